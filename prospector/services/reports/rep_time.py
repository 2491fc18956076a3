"""The time report: how each rep's team days were spent, state by state."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from prospector.foundations.clock import Clock, from_db
from prospector.foundations.db import Database
from prospector.services import rep_states
from prospector.services.reports.common import TEAM, Row
from prospector.services.reports.periods import Period, day_start, team_day
from prospector.services.settings import Settings

STATE_KEYS = {
    rep_states.READY: "ready_seconds",
    rep_states.ON_CALL: "on_call_seconds",
    rep_states.WRAP_UP: "wrap_up_seconds",
    rep_states.PAUSED: "paused_seconds",
}


def paused_key(code: str) -> str:
    """The key of one pause code's time (``paused_lunch_seconds``)."""
    return f"paused_{code}_seconds"


def rep_time(
    db: Database, period: Period, clock: Clock, *, rep: str | None = None, settings: Settings
) -> list[Row]:
    """Per team day: one row per rep who was ready, on a call, wrapping up or paused,
    then a ``rep: "TEAM"`` row totalling them (all zeros on a day nobody worked).

    Row keys (seconds): ``day, rep, ready_seconds, on_call_seconds, wrap_up_seconds,
    paused_seconds``, one ``paused_CODE_seconds`` per pause code in the settings (and
    any other code found in the stays), and ``total_seconds`` (the four states).
    A stay is cut at the team's midnights (DST-correct); one still open counts up to
    ``clock``'s now, or up to where its desk went quiet (:mod:`.rep_states`).
    Offline time is not counted. ``rep`` restricts the rows to one rep.
    """
    now = clock()
    start, end = (
        day_start(period.first, period.zone),
        day_start(period.last + timedelta(days=1), period.zone),
    )
    where, params = "", {"start": period.start_utc, "end": period.end_utc}
    if rep is not None:
        where, params["rep"] = "AND rep = :rep", rep
    codes = [pause.code for pause in settings.pause_codes]
    totals: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    quiet = rep_states.quiet_limit(settings)
    for stay in db.query(
        f"""SELECT rep, state, code, started_at, ended_at, seen_at FROM rep_states
            WHERE started_at < :end AND (ended_at IS NULL OR ended_at > :start)
              AND state <> 'offline' {where}""",
        params,
    ):
        begin = from_db(stay["started_at"])
        if stay["ended_at"] is not None:
            finish = from_db(stay["ended_at"])
        elif stay["state"] in rep_states.GO_QUIET:
            finish = min(now, from_db(stay["seen_at"]) + quiet)
        else:
            finish = now
        for day, seconds in _by_day(max(begin, start), min(finish, end, now), period):
            counts = totals[(day, stay["rep"])]
            counts[STATE_KEYS[stay["state"]]] += seconds
            if stay["code"]:
                counts[paused_key(stay["code"])] += seconds
                if stay["code"] not in codes:
                    codes.append(stay["code"])
    keys = [*STATE_KEYS.values(), *(paused_key(code) for code in codes)]
    rows: list[Row] = []
    for team_date in period.days():
        text = team_date.isoformat()
        team = {key: 0 for key in keys}
        for who in sorted(r for d, r in totals if d == text):
            counts = totals[(text, who)]
            row: Row = {"day": text, "rep": who, **{key: counts.get(key, 0) for key in keys}}
            row["total_seconds"] = sum(row[key] for key in STATE_KEYS.values())
            rows.append(row)
            for key in keys:
                team[key] += row[key]
        total = sum(team[key] for key in STATE_KEYS.values())
        rows.append({"day": text, "rep": TEAM, **team, "total_seconds": total})
    return rows


def _by_day(begin: datetime, finish: datetime, period: Period) -> list[tuple[str, int]]:
    """``[begin, finish)`` cut at the team's midnights: (team day, whole seconds) each."""
    pieces = []
    while begin < finish:
        day = team_day(begin, period.zone)
        cut = min(finish, day_start(day + timedelta(days=1), period.zone))
        pieces.append((day.isoformat(), int((cut - begin).total_seconds())))
        begin = cut
    return pieces
