"""Dials per clock hour of a period, for the dashboard's chart."""

from __future__ import annotations

from prospector.foundations.clock import Clock
from prospector.foundations.db import Database
from prospector.services.reports.common import Row, parse_stored
from prospector.services.reports.periods import Period


def dials_by_hour(
    db: Database, period: Period, clock: Clock, *, rep: str | None = None
) -> list[Row]:
    """One row per clock hour of the period that has calls, in time order.

    Row keys: ``hour`` (the hour's start, ISO 8601 in the team's zone),
    ``label`` (its local ``HH:MM``), ``dials, connects, conversations``. Hours
    are real hours, so the repeated hour of a DST fall-back day appears twice.
    """
    del clock
    rows = []
    for row in db.query(
        """SELECT hour_at, sum(dials) AS dials, sum(connects) AS connects,
                  sum(conversations) AS conversations
           FROM call_stats_hourly
           WHERE hour_at >= ? AND hour_at < ? AND (CAST(? AS TEXT) IS NULL OR rep = ?)
           GROUP BY hour_at ORDER BY hour_at""",
        (period.start_utc, period.end_utc, rep, rep),
    ):
        local = parse_stored(row["hour_at"]).astimezone(period.zone)
        rows.append(
            {
                "hour": local.isoformat(),
                "label": local.strftime("%H:%M"),
                "dials": row["dials"],
                "connects": row["connects"],
                "conversations": row["conversations"],
            }
        )
    return rows
