"""A rep's progress today against their daily goal (the workbench's today strip).

Counts follow the report definitions (DESIGN §4.10): every logged call is a dial;
a connect is a call in category connect or conversation; a conversation is a call
in category conversation; a meeting is a handoff the rep created. "Today" is the
calendar day in the team's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from prospector.foundations.db import Database
from prospector.services.reports.periods import team_day, team_day_bounds
from prospector.services.settings import DailyGoal, Settings, load_settings


@dataclass(frozen=True)
class TodayProgress:
    """One rep's counts for the team's current day, beside their own daily goal (the
    team's unless ``[reps.NAME.daily_goal]`` sets one)."""

    day: str  # ISO date in the team's zone
    dials: int
    connects: int
    conversations: int
    meetings: int
    goal: DailyGoal


def rep_today(
    db: Database, rep: str, *, now: datetime, settings: Settings | None = None
) -> TodayProgress:
    """The rep's dials, connects, conversations and meetings so far today."""
    settings = settings or load_settings(db)
    day = team_day(now, settings.team.zone)
    bounds = (rep, *team_day_bounds(day, settings.team.zone))
    calls = db.one(
        """SELECT count(*) AS dials,
                  count(*) FILTER (WHERE category IN ('connect', 'conversation')) AS connects,
                  count(*) FILTER (WHERE category = 'conversation') AS conversations
           FROM calls WHERE rep = ? AND at >= ? AND at < ?""",
        bounds,
    )
    meetings = db.one(
        "SELECT count(*) FROM handoffs WHERE inside_rep = ? AND created_at >= ? AND created_at < ?",
        bounds,
    )
    assert calls is not None and meetings is not None
    return TodayProgress(
        day=day.isoformat(),
        dials=int(calls["dials"]),
        connects=int(calls["connects"]),
        conversations=int(calls["conversations"]),
        meetings=int(meetings[0]),
        goal=settings.daily_goal(rep),
    )
