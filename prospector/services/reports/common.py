"""What the reports share: rows, rates, local times and the team-day table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from prospector.foundations.clock import from_db
from prospector.services.reports.periods import Period, team_day_bounds

Row = dict[str, Any]
"""One report row: plain keys and JSON-ready values (numbers, text, None)."""

TEAM = "TEAM"
ALL = "ALL"
"""The row of every tier (sla and sources reports)."""
"""The key of the total row that ends per-rep and per-source reports."""
NONE = "(none)"
"""A missing source, tier or segment value, as the reports show it (sorted last)."""


def rate(part: int | float, whole: int | float) -> float | None:
    """``part / whole`` rounded to 4 places; None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None


def parse_stored(text: str) -> datetime:
    """:func:`from_db` without ``strptime``, which costs 10× more (reports parse many)."""
    if len(text) != 20 or text[10] != "T" or text[19] != "Z":
        return from_db(text)  # the strict parser, for its error
    return datetime(
        int(text[0:4]),
        int(text[5:7]),
        int(text[8:10]),
        int(text[11:13]),
        int(text[14:16]),
        int(text[17:19]),
        tzinfo=UTC,
    )


def local_time(text: str | None, zone: ZoneInfo) -> str | None:
    """A stored UTC time shown as ISO 8601 in the team's zone, with its offset."""
    return parse_stored(text).astimezone(zone).isoformat() if text else None


def dials_per_hour(dials: int, first_at: str | None, last_at: str | None) -> float | None:
    """Dials divided by the hours between the first and the last dial.

    The span counts as at least one hour, so a single dial (or a burst inside one
    hour) gives the plain number of dials rather than an extrapolated rate.
    None when there were no dials.
    """
    if not dials or first_at is None or last_at is None:
        return None
    hours = (parse_stored(last_at) - parse_stored(first_at)).total_seconds() / 3600
    return round(dials / max(hours, 1.0), 2)


def days_cte(period: Period) -> tuple[str, list[str]]:
    """A ``days(day, start, finish)`` CTE of the period's team days and UTC bounds.

    Joining stored UTC times against it buckets them by team day, DST-correct.
    """
    values = []
    params: list[str] = []
    for day in period.days():
        values.append("(?, ?, ?)")
        params.extend((day.isoformat(), *team_day_bounds(day, period.zone)))
    return f"days(day, start, finish) AS (VALUES {', '.join(values)})", params
