"""The daily report: each rep's day and the team's, from the summary tables."""

from __future__ import annotations

from collections import defaultdict

from prospector.foundations.clock import Clock
from prospector.foundations.db import Database
from prospector.services.reports.common import (
    TEAM,
    Row,
    days_cte,
    dials_per_hour,
    local_time,
    rate,
)
from prospector.services.reports.periods import Period
from prospector.services.settings import DailyGoal, load_settings

COUNTS = ("dials", "connects", "conversations", "qualified", "talk_seconds")
GOALS = ("goal_dials", "goal_connects", "goal_conversations", "goal_meetings")


def daily(db: Database, period: Period, clock: Clock, *, rep: str | None = None) -> list[Row]:
    """Per team day: one row per rep, then a ``rep: "TEAM"`` row totalling them.

    Row keys: ``day, rep, dials, connects, conversations, qualified, connect_rate,
    conversation_rate, talk_seconds, first_dial, last_dial, dials_per_hour,
    goal_dials, goal_connects, goal_conversations, goal_meetings``.
    ``qualified`` counts handoffs the rep created that day; a rep appears on a
    day when they logged a call or created a handoff. Reps are in name order.
    The TEAM row sums the rows above it; its first/last dial are the team's
    earliest and latest and its dials per hour is the team's dials over that span.
    A day with no calls and no handoffs has only its TEAM row, all zeros.
    ``rep`` restricts the rows to one rep (the TEAM row then equals theirs).
    The goals are each rep's own (``[reps.NAME.daily_goal]``, else the team's); the
    TEAM row's are the sum of the goals of the reps above it, so that the team is
    measured against what the reps who worked that day set out to do (a day with no
    rep has goals of 0).
    ``clock`` is unused: a day's figures do not depend on when they are read.
    """
    del clock
    settings = load_settings(db)
    where, params = "", {"first": period.first.isoformat(), "last": period.last.isoformat()}
    if rep is not None:
        where, params["rep"] = "AND rep = :rep", rep
    stats: dict[tuple[str, str], Row] = {}
    for row in db.query(
        f"""SELECT team_day, rep, sum(dials) AS dials, sum(connects) AS connects,
                   sum(conversations) AS conversations, sum(talk_seconds) AS talk_seconds,
                   min(first_at) AS first_at, max(last_at) AS last_at
            FROM call_stats_daily
            WHERE team_day BETWEEN :first AND :last {where}
            GROUP BY team_day, rep""",
        params,
    ):
        stats[(row["team_day"], row["rep"])] = {**dict(row), "qualified": 0}
    cte, cte_params = days_cte(period)
    rep_filter = "AND h.inside_rep = ?" if rep is not None else ""
    for row in db.query(
        f"""WITH {cte}
            SELECT d.day, h.inside_rep AS rep, count(*) AS qualified
            FROM days d JOIN handoffs h ON h.created_at >= d.start AND h.created_at < d.finish
            WHERE true {rep_filter}
            GROUP BY d.day, h.inside_rep""",
        (*cte_params, *([rep] if rep is not None else [])),
    ):
        entry = stats.setdefault(
            (row["day"], row["rep"]),
            {
                "dials": 0,
                "connects": 0,
                "conversations": 0,
                "talk_seconds": 0,
                "first_at": None,
                "last_at": None,
            },
        )
        entry["qualified"] = row["qualified"]

    by_day: dict[str, list[tuple[str, Row]]] = defaultdict(list)
    for (day_key, name), entry in stats.items():
        by_day[day_key].append((name, entry))
    rows: list[Row] = []
    for day in period.days():
        key = day.isoformat()
        team: Row = {name: 0 for name in COUNTS} | {"first_at": None, "last_at": None}
        goals = dict.fromkeys(GOALS, 0)
        for name, entry in sorted(by_day.get(key, [])):
            rows.append(_row(key, name, entry, period) | _goals(settings.daily_goal(name)))
            for count in COUNTS:
                team[count] += entry[count]
            for goal, value in _goals(settings.daily_goal(name)).items():
                goals[goal] += value
            if entry["first_at"] is not None:
                team["first_at"] = min(filter(None, (team["first_at"], entry["first_at"])))
                team["last_at"] = max(filter(None, (team["last_at"], entry["last_at"])))
        rows.append(_row(key, TEAM, team, period) | goals)
    return rows


def _goals(goal: DailyGoal) -> dict[str, int]:
    return {
        "goal_dials": goal.dials,
        "goal_connects": goal.connects,
        "goal_conversations": goal.conversations,
        "goal_meetings": goal.meetings,
    }


def _row(day: str, rep: str, entry: Row, period: Period) -> Row:
    return {
        "day": day,
        "rep": rep,
        "dials": entry["dials"],
        "connects": entry["connects"],
        "conversations": entry["conversations"],
        "qualified": entry["qualified"],
        "connect_rate": rate(entry["connects"], entry["dials"]),
        "conversation_rate": rate(entry["conversations"], entry["dials"]),
        "talk_seconds": entry["talk_seconds"],
        "first_dial": local_time(entry["first_at"], period.zone),
        "last_dial": local_time(entry["last_at"], period.zone),
        "dials_per_hour": dials_per_hour(entry["dials"], entry["first_at"], entry["last_at"]),
    }
