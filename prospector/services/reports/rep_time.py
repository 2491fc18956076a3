"""The time report: how each rep's team days were spent, state by state."""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import datetime, timedelta

from prospector.foundations.clock import Clock, to_db
from prospector.foundations.db import Database
from prospector.services import rep_states
from prospector.services.reports.common import TEAM, Row, parse_stored
from prospector.services.reports.periods import Period, day_start, team_day_bounds
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
    names = [day.isoformat() for day in period.days()]
    midnights = [day_start(day, period.zone) for day in period.days()]
    midnights.append(day_start(period.last + timedelta(days=1), period.zone))
    start, end = midnights[0], midnights[-1]
    codes = [pause.code for pause in settings.pause_codes]
    totals: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(day: str, rep_name: str, state: str, code: str | None, seconds: int) -> None:
        counts = totals[(day, rep_name)]
        counts[STATE_KEYS[state]] += seconds
        if code:
            counts[paused_key(code)] += seconds
            if code not in codes:
                codes.append(code)

    for day, who, state, code, seconds in _stays_within_a_day(db, period, now, rep):
        add(day, who, state, code, int(seconds))
    # The few others (across a midnight, begun before the period, or still open: to
    # now, or to where the desk went quiet) are cut here.
    quiet = rep_states.quiet_limit(settings)
    for stay in _other_stays(db, period, now, rep):
        if stay["ended_at"] is not None:
            finish = parse_stored(stay["ended_at"])
        elif stay["state"] in rep_states.GO_QUIET:
            finish = parse_stored(stay["seen_at"]) + quiet
        else:
            finish = now
        begin = max(parse_stored(stay["started_at"]), start)
        for day, seconds in _by_day(begin, min(finish, end, now), midnights, names):
            add(day, stay["rep"], stay["state"], stay["code"], seconds)
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


def _days_until(period: Period, now: datetime) -> tuple[str, list[str]]:
    """A ``days(day, start, finish)`` CTE of the period's team days, each cut at ``now``
    (a day not begun yet is empty): a stay is summed whole in the database only when
    it ended within its day, before now."""
    values, params = [], []
    stamp = to_db(now)
    for day in period.days():
        start, finish = team_day_bounds(day, period.zone)
        values.append("(?, ?, ?)")
        params += [day.isoformat(), start, max(start, min(finish, stamp))]
    return f"days(day, start, finish) AS (VALUES {', '.join(values)})", params


def _stays_within_a_day(db: Database, period: Period, now: datetime, rep: str | None) -> list:
    """Seconds of the stays begun and ended within one team day of the period before
    ``now`` (nearly all), per day, rep, state and code, summed by the database."""
    cte, params = _days_until(period, now)
    seconds = db.dialect.seconds_between("s.started_at", "s.ended_at")
    return db.query(
        f"""WITH {cte}
            SELECT d.day, s.rep, s.state, s.code, sum({seconds}) AS seconds
            FROM days d JOIN rep_states s ON s.started_at >= d.start AND s.started_at < d.finish
            WHERE s.ended_at <= d.finish AND s.state <> 'offline'
                  {"AND s.rep = ?" if rep is not None else ""}
            GROUP BY d.day, s.rep, s.state, s.code""",
        (*params, *((rep,) if rep is not None else ())),
    )


def _other_stays(db: Database, period: Period, now: datetime, rep: str | None) -> list:
    """The stays of the period that cross a team midnight or ``now``, began before the
    period, or are open."""
    cte, params = _days_until(period, now)
    only = "AND s.rep = ?" if rep is not None else ""
    who = (rep,) if rep is not None else ()
    columns = "s.rep, s.state, s.code, s.started_at, s.ended_at, s.seen_at"
    return db.query(
        f"""WITH {cte}
            SELECT {columns}
            FROM days d JOIN rep_states s ON s.started_at >= d.start AND s.started_at < d.finish
            WHERE s.ended_at > d.finish AND s.state <> 'offline' {only}
            UNION ALL
            SELECT {columns} FROM rep_states s
            WHERE s.started_at < ? AND s.ended_at > ? AND s.state <> 'offline' {only}
            UNION ALL
            SELECT {columns} FROM rep_states s
            WHERE s.ended_at IS NULL AND s.started_at < ? AND s.state <> 'offline' {only}""",
        (*params, *who, period.start_utc, period.start_utc, *who, period.end_utc, *who),
    )


def _by_day(
    begin: datetime, finish: datetime, midnights: list[datetime], names: list[str]
) -> list[tuple[str, int]]:
    """``[begin, finish)`` (within the period) cut at the team's ``midnights``: (team
    day, whole seconds) for each day it touches; ``names[i]`` begins at ``midnights[i]``."""
    pieces = []
    index = bisect.bisect_right(midnights, begin) - 1
    while begin < finish:
        cut = min(finish, midnights[index + 1])
        pieces.append((names[index], int((cut - begin).total_seconds())))
        begin, index = cut, index + 1
    return pieces
