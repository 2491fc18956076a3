"""Summary tables that keep reports fast: counts per team day, rep, source, attempt.

``call_stats_daily`` and ``call_stats_hourly`` hold what the reports need from
``calls``, kept up to date by :func:`record_call` in the same transaction as each
logged call. :func:`rebuild_summaries` recounts them from ``calls`` (after the
team's time zone changes, or for calls inserted some other way); the two must
always agree, and the tests check that they do.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from prospector.foundations.clock import from_db, to_db
from prospector.foundations.db import Database
from prospector.foundations.limits import MAX_CALL_SECONDS, check_call_seconds
from prospector.services.reports.cohorts import rebuild_cohorts
from prospector.services.reports.periods import team_day, team_day_bounds
from prospector.services.settings import Settings

CONNECT_CATEGORIES = ("connect", "conversation")

_UPSERT_DAILY = """
INSERT INTO call_stats_daily (team_day, rep, source, attempt, dials, connects,
                              conversations, talk_seconds, first_at, last_at)
VALUES (:day, :rep, :source, :attempt, 1, :connect, :conversation, :talk, :at, :at)
ON CONFLICT (team_day, rep, source, attempt) DO UPDATE SET
    dials = call_stats_daily.dials + 1,
    connects = call_stats_daily.connects + excluded.connects,
    conversations = call_stats_daily.conversations + excluded.conversations,
    talk_seconds = call_stats_daily.talk_seconds + excluded.talk_seconds,
    first_at = {first_at},
    last_at = {last_at}
"""

_UPSERT_HOURLY = """
INSERT INTO call_stats_hourly (hour_at, rep, dials, connects, conversations)
VALUES (:hour, :rep, 1, :connect, :conversation)
ON CONFLICT (hour_at, rep) DO UPDATE SET
    dials = call_stats_hourly.dials + 1,
    connects = call_stats_hourly.connects + excluded.connects,
    conversations = call_stats_hourly.conversations + excluded.conversations
"""


def hour_start(at_text: str) -> str:
    """The UTC hour a stored time falls in, as stored text (``…T14:00:00Z``)."""
    return at_text[:13] + ":00:00Z"


def record_call(
    db: Database,
    *,
    source: str | None,
    rep: str,
    at: datetime,
    category: str,
    attempt: int,
    duration_seconds: int,
    settings: Settings,
) -> None:
    """Count one logged call in the summary tables.

    Must be called inside the ``db.write()`` transaction that inserts the call,
    with the same values as the ``calls`` row (``at`` is the call's instant,
    ``attempt`` its attempt number) and the called contact's ``source``, so the
    summaries commit or roll back with it. Talk time counts only connects
    (category ``connect`` or ``conversation``).
    """
    if category not in ("dial", *CONNECT_CATEGORIES):
        raise ValueError(f"unknown call category {category!r}")
    check_call_seconds(duration_seconds)  # an unbounded one could overflow the sums
    at_text = to_db(at)
    connect = int(category in CONNECT_CATEGORIES)
    values = {
        "day": team_day(at, settings.team.zone).isoformat(),
        "hour": hour_start(at_text),
        "rep": rep,
        "source": source or "",
        "attempt": attempt,
        "connect": connect,
        "conversation": int(category == "conversation"),
        "talk": duration_seconds if connect else 0,
        "at": at_text,
    }
    db.execute(
        _UPSERT_DAILY.format(
            first_at=db.dialect.least("call_stats_daily.first_at", "excluded.first_at"),
            last_at=db.dialect.greatest("call_stats_daily.last_at", "excluded.last_at"),
        ),
        values,
    )
    db.execute(_UPSERT_HOURLY, values)


def adjust_talk(
    db: Database,
    *,
    source: str | None,
    rep: str,
    at: datetime,
    category: str,
    attempt: int,
    change: int,
    settings: Settings,
) -> None:
    """Move a logged call's talk time in the summaries by ``change`` seconds (a phone
    system told its real duration later). Inside the transaction that updates the call;
    the values are the call's, as :func:`record_call` had them."""
    if category not in CONNECT_CATEGORIES or change == 0:
        return  # a dial's talk time is not summed
    db.execute(
        """UPDATE call_stats_daily SET talk_seconds = talk_seconds + ?
           WHERE team_day = ? AND rep = ? AND source = ? AND attempt = ?""",
        (change, team_day(at, settings.team.zone).isoformat(), rep, source or "", attempt),
    )


def rebuild_summaries(db: Database, settings: Settings) -> dict[str, int]:
    """Recount every report summary in the team's current time zone.

    The call tables from ``calls``; the lead cohorts (``lead_segments``,
    ``lead_speed``) from ``contacts``, ``accounts`` and ``handoffs``, after moving
    each contact to the team day it arrived on (:func:`.cohorts.rebuild_cohorts`).
    Call inside ``db.write()`` (a settings change that moves the team's zone does
    it in the same transaction). A talk time outside 0..a day (written before
    :func:`.calls.log_call` checked it, or by hand) counts as the nearest bound, so
    the sums stay integers a report can add up. Returns how many calls and leads
    were counted and how many call summary rows were written.
    """
    leads = rebuild_cohorts(db, settings)
    zone = settings.team.zone
    db.execute("DELETE FROM call_stats_daily")
    db.execute("DELETE FROM call_stats_hourly")
    span = db.one("SELECT min(at) AS first, max(at) AS last, count(*) AS n FROM calls")
    if span is None or span["n"] == 0:
        return {"calls": 0, "leads": leads, "daily_rows": 0, "hourly_rows": 0}
    first = team_day(from_db(span["first"]), zone)
    last = team_day(from_db(span["last"]), zone)
    db.execute("DROP TABLE IF EXISTS report_days")
    db.execute("CREATE TEMP TABLE report_days (day TEXT, start TEXT, finish TEXT)")
    days = []
    day = first
    while day <= last:
        days.append((day.isoformat(), *team_day_bounds(day, zone)))
        day += timedelta(days=1)
    db.conn.executemany("INSERT INTO report_days VALUES (?, ?, ?)", days)
    talk = db.dialect.least(db.dialect.greatest("k.duration_seconds", "0"), ":most")
    db.execute(
        f"""INSERT INTO call_stats_daily (team_day, rep, source, attempt, dials, connects,
                                         conversations, talk_seconds, first_at, last_at)
           SELECT d.day, k.rep, coalesce(c.source, ''), k.attempt, count(*),
                  count(*) FILTER (WHERE k.category IN ('connect', 'conversation')),
                  count(*) FILTER (WHERE k.category = 'conversation'),
                  sum(CASE WHEN k.category IN ('connect', 'conversation')
                           THEN {talk} ELSE 0 END),
                  min(k.at), max(k.at)
           FROM report_days d
           JOIN calls k ON k.at >= d.start AND k.at < d.finish
           LEFT JOIN contacts c ON c.id = k.contact_id
           GROUP BY d.day, k.rep, coalesce(c.source, ''), k.attempt""",
        {"most": MAX_CALL_SECONDS},
    )
    db.execute(
        """INSERT INTO call_stats_hourly (hour_at, rep, dials, connects, conversations)
           SELECT substr(at, 1, 13) || ':00:00Z', rep, count(*),
                  count(*) FILTER (WHERE category IN ('connect', 'conversation')),
                  count(*) FILTER (WHERE category = 'conversation')
           FROM calls GROUP BY substr(at, 1, 13), rep"""
    )
    db.execute("DROP TABLE report_days")
    daily_rows = db.one("SELECT count(*) FROM call_stats_daily")[0]  # type: ignore[index]
    hourly_rows = db.one("SELECT count(*) FROM call_stats_hourly")[0]  # type: ignore[index]
    return {
        "calls": int(span["n"]),
        "leads": leads,
        "daily_rows": daily_rows,
        "hourly_rows": hourly_rows,
    }
