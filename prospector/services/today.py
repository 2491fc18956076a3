"""A rep's progress today against the team's daily goal (the workbench's today strip).

Counts follow the report definitions (DESIGN §4.10): every logged call is a dial;
a connect is a call in category connect or conversation; a conversation is a call
in category conversation; a meeting is a handoff the rep created. "Today" is the
calendar day in the team's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database
from prospector.services.settings import DailyGoal, Settings, load_settings


@dataclass(frozen=True)
class TodayProgress:
    """One rep's counts for the team's current day, beside the daily goal."""

    day: str  # ISO date in the team's zone
    dials: int
    connects: int
    conversations: int
    meetings: int
    goal: DailyGoal


def team_day_bounds(settings: Settings, now: datetime) -> tuple[datetime, datetime]:
    """The start and end (exclusive) of ``now``'s calendar day in the team's zone."""
    zone = settings.team.zone
    local = now.astimezone(zone)
    start = datetime.combine(local.date(), time(0), tzinfo=zone)
    end = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


def rep_today(
    db: Database, rep: str, *, now: datetime, settings: Settings | None = None
) -> TodayProgress:
    """The rep's dials, connects, conversations and meetings so far today."""
    settings = settings or load_settings(db)
    start, end = team_day_bounds(settings, now)
    bounds = (rep, to_db(start), to_db(end))
    calls = db.one(
        """SELECT count(*) AS dials,
                  coalesce(sum(category IN ('connect', 'conversation')), 0) AS connects,
                  coalesce(sum(category = 'conversation'), 0) AS conversations
           FROM calls WHERE rep = ? AND at >= ? AND at < ?""",
        bounds,
    )
    meetings = db.one(
        "SELECT count(*) FROM handoffs WHERE inside_rep = ? AND created_at >= ? AND created_at < ?",
        bounds,
    )
    assert calls is not None and meetings is not None
    return TodayProgress(
        day=start.date().isoformat(),
        dials=int(calls["dials"]),
        connects=int(calls["connects"]),
        conversations=int(calls["conversations"]),
        meetings=int(meetings[0]),
        goal=settings.team.daily_goal,
    )
