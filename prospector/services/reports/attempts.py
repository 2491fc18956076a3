"""Attempts: how often the 1st, 2nd, 3rd … call to a contact reaches someone."""

from __future__ import annotations

from prospector.foundations.clock import Clock
from prospector.foundations.db import Database
from prospector.services.reports.common import Row, rate
from prospector.services.reports.periods import Period


def attempts(db: Database, period: Period, clock: Clock, *, rep: str | None = None) -> list[Row]:
    """One row per attempt number among the calls logged in the period.

    Row keys: ``attempt, dials, connects, conversations, contact_rate,
    conversation_rate``. ``contact_rate`` is connects per dial of calls that were
    that attempt on their contact; ``conversation_rate`` conversations per dial.
    Attempt numbers with no calls in the period have no row. ``rep`` counts only
    that rep's calls.
    """
    del clock
    return [
        {
            "attempt": row["attempt"],
            "dials": row["dials"],
            "connects": row["connects"],
            "conversations": row["conversations"],
            "contact_rate": rate(row["connects"], row["dials"]),
            "conversation_rate": rate(row["conversations"], row["dials"]),
        }
        for row in db.query(
            """SELECT attempt, sum(dials) AS dials, sum(connects) AS connects,
                      sum(conversations) AS conversations
               FROM call_stats_daily
               WHERE team_day BETWEEN :first AND :last
                 AND (CAST(:rep AS TEXT) IS NULL OR rep = :rep)
               GROUP BY attempt ORDER BY attempt""",
            {"first": period.first.isoformat(), "last": period.last.isoformat(), "rep": rep},
        )
    ]
