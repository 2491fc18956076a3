"""Segments: how each industry, employee band, source and list converts.

A cohort view: the leads received in the period (contacts whose ``created_at``
falls in it) and what has become of them by now, so fit rules can be tuned. Read
from ``lead_segments`` (see :mod:`.cohorts`), not from the contacts.
"""

from __future__ import annotations

import functools
from collections import defaultdict

from prospector.foundations.clock import Clock
from prospector.foundations.db import Database
from prospector.services.reports.common import NONE, Row, rate
from prospector.services.reports.periods import Period

DIMENSIONS = ("industry", "employees", "source", "list")
EMPLOYEE_BANDS = ((1000, "1000+"), (200, "200-999"), (50, "50-199"), (10, "10-49"), (0, "1-9"))
_COUNTS = ("leads", "filtered", "dialed", "conversed", "qualified")


def employee_band(employees: int | None) -> str:
    """The band an employee count falls in: 1-9, 10-49, 50-199, 200-999, 1000+."""
    return NONE if employees is None else stored_band(employees)


@functools.cache  # an import asks for every lead; counts repeat
def stored_band(employees: int | None) -> str:
    """``lead_segments.employee_band`` of a count: as :func:`employee_band`, ``''`` for none.

    The same bands as ``EMPLOYEE_BAND_SQL`` in the schema's triggers.
    """
    if employees is None:
        return ""
    return next((label for floor, label in EMPLOYEE_BANDS if employees >= floor), "1-9")


def segments(db: Database, period: Period, clock: Clock) -> list[Row]:
    """Rows for each dimension (industry, employees, source, list), each segment in order.

    Row keys: ``dimension, segment, leads, filtered, dialed, conversed, qualified,
    filtered_share, conversation_rate, qualified_rate``. ``leads`` are contacts
    received in the period; ``filtered`` those a fit rule filtered; ``dialed``
    those with at least one attempt; ``conversed`` those with at least one
    conversation; ``qualified`` those with at least one handoff. ``filtered_share``
    is filtered per lead; ``conversation_rate`` and ``qualified_rate`` are per
    dialed lead. Missing values are the segment ``"(none)"``, sorted last.
    """
    del clock
    # The cohort table grouped by all four keys at once (a few thousand rows for a
    # quarter); the roll-up per dimension is then cheap.
    combos = db.conn.cursor()
    combos.row_factory = None
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(_COUNTS))
    for *keys, leads, filtered, dialed, conversed, qualified in combos.execute(
        """SELECT industry, employee_band, source, list_name, sum(leads), sum(filtered),
                  sum(dialed), sum(conversed), sum(qualified)
           FROM lead_segments WHERE received_day >= ? AND received_day <= ?
           GROUP BY industry, employee_band, source, list_name""",
        (period.first.isoformat(), period.last.isoformat()),
    ):
        sums = (leads, filtered, dialed, conversed, qualified)
        if not any(sums):
            continue  # every lead of it has moved to another cohort
        for dimension, key in zip(DIMENSIONS, keys, strict=True):
            counts_of = totals[(dimension, key or NONE)]
            for index, count in enumerate(sums):
                counts_of[index] += count

    def order(item: tuple[tuple[str, str], list[int]]) -> tuple[int, int, str, str]:
        (dimension, segment), _ = item
        band_order = [label for _, label in reversed(EMPLOYEE_BANDS)]
        rank = band_order.index(segment) if dimension == "employees" and segment != NONE else 0
        folded = f"{rank:02d}{segment.casefold()}"
        return DIMENSIONS.index(dimension), segment == NONE, folded, segment

    rows = []
    for (dimension, segment), values in sorted(totals.items(), key=order):
        entry: dict[str, int] = dict(zip(_COUNTS, values, strict=True))
        rows.append(
            {
                "dimension": dimension,
                "segment": segment,
                **entry,
                "filtered_share": rate(entry["filtered"], entry["leads"]),
                "conversation_rate": rate(entry["conversed"], entry["dialed"]),
                "qualified_rate": rate(entry["qualified"], entry["dialed"]),
            }
        )
    return rows
