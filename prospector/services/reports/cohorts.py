"""Lead cohorts: leads counted by the team day they arrived, for sla, segments and sources.

``lead_segments``, ``lead_speed`` (schema in ``m001_initial``) and ``lead_sources``
(``m008_lead_sources``) are kept up to
date by SQLite triggers on ``contacts``, ``accounts`` and ``handoffs``, in the same
statement as each change, whichever service makes it (import, ``log``, ``qualify``,
re-tiering after a settings change). :func:`rebuild_cohorts` recounts them from
the base tables, after recomputing each contact's ``received_day`` in the team's
current zone.

Speed to lead is kept as a histogram (see :func:`percentile`): one-minute buckets
below 24 h, one-hour buckets below 30 days, one-day buckets beyond, each with the
exact sum of its speeds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import timedelta

from prospector.foundations.clock import from_db
from prospector.foundations.db import Database
from prospector.foundations.migrations.m001_initial import SPEED_WHERE
from prospector.foundations.migrations.m008_lead_sources import lead_sources_recount
from prospector.services.reports.periods import team_day, team_day_bounds
from prospector.services.settings import Settings

Bucket = tuple[int, int, int]
"""(speed_floor, leads, speed_seconds) of one histogram bucket."""
NewLead = tuple[tuple[str, str], str | None, str | None, str | None, str | None]
"""``((industry, employee band), source, list_name, filtered_by, tier)`` of leads just
inserted: their account's values as ``lead_segments`` stores them, then their own."""


def rebuild_cohorts(db: Database, settings: Settings) -> int:
    """Recompute ``contacts.received_day`` and recount the cohort tables; the lead count.

    Call inside ``db.write()``.
    """
    zone = settings.team.zone
    span = db.one("SELECT min(created_at), max(created_at), count(*) FROM contacts")
    db.execute("DELETE FROM lead_segments")
    db.execute("DELETE FROM lead_speed")
    db.execute("DELETE FROM lead_sources")
    if span is None or not span[2]:
        return 0
    db.execute("DROP TABLE IF EXISTS cohort_days")
    db.execute("CREATE TEMP TABLE cohort_days (start TEXT PRIMARY KEY, day TEXT)")
    day, last = team_day(from_db(span[0]), zone), team_day(from_db(span[1]), zone)
    rows = []
    while day <= last:
        rows.append((team_day_bounds(day, zone)[0], day.isoformat()))
        day += timedelta(days=1)
    db.conn.executemany("INSERT INTO cohort_days VALUES (?, ?)", rows)
    # Not a column the triggers watch: moving days is the recount's job, below.
    day_of = """(SELECT day FROM cohort_days d WHERE d.start <= contacts.created_at
                 ORDER BY d.start DESC LIMIT 1)"""
    db.execute(
        f"UPDATE contacts SET received_day = {day_of} WHERE received_day IS DISTINCT FROM {day_of}"
    )
    db.execute("DROP TABLE cohort_days")
    db.execute(
        f"""INSERT INTO lead_segments (received_day, industry, employee_band, source,
                list_name, leads, filtered, dialed, conversed, qualified)
            WITH v(d, i, b, s, l, leads, filtered, dialed, conversed, qualified) AS (
                SELECT {db.dialect.segment_values("c", "a.industry", "a.employees")}
                FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id)
            SELECT d, i, b, s, l, sum(leads), sum(filtered), sum(dialed), sum(conversed),
                   sum(qualified)
            FROM v GROUP BY d, i, b, s, l"""
    )
    db.execute(
        f"""INSERT INTO lead_speed (received_day, tier, speed_floor, leads, within_sla,
                speed_seconds)
            WITH v(d, t, f, leads, within_sla, speed) AS (
                SELECT {db.dialect.speed_values("c")} FROM contacts c
                WHERE {SPEED_WHERE.format(c="c")})
            SELECT d, t, f, sum(leads), sum(within_sla), sum(speed) FROM v GROUP BY d, t, f"""
    )
    db.execute(lead_sources_recount(db.dialect.source_values("c")))
    return int(span[2])


def count_new_leads(db: Database, received_day: str, leads: Mapping[NewLead, int]) -> None:
    """Count contacts just inserted, received on ``received_day``, in ``lead_segments``
    and ``lead_sources``.

    The importer calls this in the transaction that inserted them, instead of the
    per-row insert trigger (which skips rows carrying an ``import_batch_id``), with
    how many leads share each :data:`NewLead` profile (account values as they stand
    in that transaction). Counting here rather than with a grouped query over the
    new rows spares a scan of them. New leads have no dial, conversation or handoff
    yet, and nothing for ``lead_speed``.
    """
    counted: dict[tuple[str, str, str, str], list[int]] = {}
    by_source: dict[tuple[str, str], list[int]] = {}
    for ((industry, band), source, list_name, filtered_by, tier), number in leads.items():
        filtered = number if filtered_by is not None else 0
        found = counted.setdefault((industry, band, source or "", list_name or ""), [0, 0])
        found[0] += number
        found[1] += filtered
        found = by_source.setdefault((source or "", tier or ""), [0, 0])
        found[0] += number
        found[1] += filtered
    db.conn.executemany(
        """INSERT INTO lead_segments (received_day, industry, employee_band, source,
               list_name, leads, filtered, dialed, conversed, qualified)
           VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0)
           ON CONFLICT (received_day, industry, employee_band, source, list_name) DO UPDATE
           SET leads = lead_segments.leads + excluded.leads,
               filtered = lead_segments.filtered + excluded.filtered""",
        [(received_day, *key, leads, filtered) for key, (leads, filtered) in counted.items()],
    )
    db.conn.executemany(
        """INSERT INTO lead_sources (received_day, source, tier, leads, filtered, worked)
           VALUES (?, ?, ?, ?, ?, 0)
           ON CONFLICT (received_day, source, tier) DO UPDATE
           SET leads = lead_sources.leads + excluded.leads,
               filtered = lead_sources.filtered + excluded.filtered""",
        [(received_day, *pair, leads, filtered) for pair, (leads, filtered) in by_source.items()],
    )


def merge_buckets(groups: Iterable[list[Bucket]]) -> list[Bucket]:
    """Several histograms as one, ordered by speed."""
    merged: dict[int, list[int]] = {}
    for buckets in groups:
        for floor, leads, seconds in buckets:
            entry = merged.setdefault(floor, [0, 0])
            entry[0] += leads
            entry[1] += seconds
    return [(floor, leads, seconds) for floor, (leads, seconds) in sorted(merged.items())]


def _value_at_rank(buckets: list[Bucket], rank: int) -> float:
    """The speed of the ``rank``-th fastest lead (1-based), as its bucket's mean."""
    seen = 0
    for _, leads, seconds in buckets:
        seen += leads
        if seen >= rank:
            return seconds / leads
    raise ValueError(f"rank {rank} beyond {seen} leads")


def percentile(buckets: list[Bucket], which: str) -> int | None:
    """``median`` (the statistical median) or ``p95`` (nearest rank, ⌈0.95·n⌉) in seconds.

    Precision: the rank is found exactly; its speed is the mean of the bucket that
    holds it, so the result lies in the same bucket as the true value (within a
    minute below 24 h, an hour below 30 days, a day beyond) and is exact when the
    bucket holds one distinct speed. The median of an even count averages two ranks.
    None when no lead was dialed.
    """
    total = sum(leads for _, leads, _ in buckets if leads > 0)
    if total == 0:
        return None
    live = [bucket for bucket in buckets if bucket[1] > 0]
    if which == "p95":
        return round(_value_at_rank(live, math.ceil(0.95 * total)))
    if total % 2:
        return round(_value_at_rank(live, (total + 1) // 2))
    middle = (_value_at_rank(live, total // 2) + _value_at_rank(live, total // 2 + 1)) / 2
    return round(middle)
