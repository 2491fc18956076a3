"""SLA keeping per tier: how fast and how often leads are called, and handoff acceptance.

The leads counted are the *workable* leads received in the period (contacts whose
``created_at`` falls in it): not filtered by a fit rule, and not on the DNC list
before anyone dialed them. Speed to lead runs from ``created_at`` to the first
dial (``contacts.first_dial_at``, else the contact's earliest call).
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict

from prospector.foundations.clock import Clock, to_db
from prospector.foundations.db import Database
from prospector.services.reports.common import Row, rate, received_column
from prospector.services.reports.periods import Period
from prospector.services.settings import Settings, load_settings

ALL = "ALL"
BANDS = (
    ("band_0_5m", 0, 300),
    ("band_5_15m", 300, 900),
    ("band_15_60m", 900, 3600),
    ("band_1_24h", 3600, 86400),
    ("band_later", 86400, None),
)
_SUMMED = (
    "received",
    "known",
    "within_sla",
    "dialed",
    *(name for name, _, _ in BANDS),
    "closed_before_min_attempts",
)

_LEADS = """
WITH tiers(name, min_attempts) AS (VALUES {tiers}),
leads AS (
    SELECT c.tier, c.sla_due_at, c.status, c.attempts, c.conversations, c.phone_bad, c.dnc,
           coalesce(c.first_dial_at,
                    (SELECT min(k.at) FROM calls k WHERE k.contact_id = c.id)) AS first_dial,
           c.created_at
    FROM contacts c
    WHERE {received} >= :start AND {received} < :end AND c.filtered_by IS NULL
),
workable AS (
    SELECT *, CAST(round((julianday(first_dial) - julianday(created_at)) * 86400) AS INTEGER)
                  AS speed
    FROM leads WHERE NOT (dnc = 1 AND first_dial IS NULL)
)
"""


def sla(
    db: Database,
    period: Period,
    clock: Clock,
    *,
    settings: Settings | None = None,
) -> list[Row]:
    """One row per tier (in settings order, plus tiers found only in the data), then ``ALL``.

    Row keys:
    * ``received``: workable leads received in the period.
    * ``within_sla_share``: of the leads whose SLA outcome is known now (dialed,
      or undialed past their ``sla_due_at``), the share first dialed by their
      deadline; None when none is known. ``within_sla`` and ``known`` are the counts.
    * ``dialed``, ``median_speed_seconds`` (the statistical median) and
      ``p95_speed_seconds`` (nearest rank: the ⌈0.95·n⌉-th fastest) over dialed leads.
    * ``band_0_5m, band_5_15m, band_15_60m, band_1_24h, band_later``: dialed leads
      by speed to lead (lower bound included), and ``not_dialed``.
    * ``closed_before_min_attempts``: leads now closed or exhausted without a
      conversation, bad phone or DNC, after fewer attempts than their tier's minimum.
    * ``overdue_now``: workable open leads of the tier (received at any time) not yet
      dialed whose first-touch deadline has passed at the clock's now.
    * ``handoffs``, ``accepted``, ``rejected``, ``acceptance_rate`` (accepted per
      answered handoff): handoffs created in the period, by their contact's tier.
    """
    settings = settings or load_settings(db)
    now = to_db(clock())
    tier_values = ", ".join("(?, ?)" for _ in settings.tiers)
    tier_params: list[object] = []
    for tier in settings.tiers:
        tier_params.extend((tier.name, tier.min_attempts))
    bounds = {"start": period.start_utc, "end": period.end_utc, "now": now}
    received = received_column(db, bounds["start"], bounds["end"])
    leads_sql = (
        _LEADS.format(tiers=tier_values, received=received)
        .replace(":start", "?")
        .replace(":end", "?")
    )
    band_sums = ", ".join(
        f"sum(speed >= {low}" + (f" AND speed < {high}" if high else "") + f") AS {name}"
        for name, low, high in BANDS
    )
    # One pass over the contacts into a per-connection temp table; counts and the
    # sorted speeds are then read from it.
    db.execute("DROP TABLE IF EXISTS temp.sla_leads")
    db.execute(
        f"""CREATE TEMP TABLE sla_leads AS {leads_sql}
            SELECT coalesce(w.tier, '') AS tier, speed,
                   (first_dial IS NOT NULL OR sla_due_at < ?) AS known,
                   (first_dial IS NOT NULL AND first_dial <= sla_due_at) AS within_sla,
                   (status IN ('closed', 'exhausted') AND conversations = 0
                    AND phone_bad = 0 AND dnc = 0 AND attempts < t.min_attempts) AS closed_early
            FROM workable w LEFT JOIN tiers t ON t.name = w.tier""",
        (*tier_params, bounds["start"], bounds["end"], now),
    )
    entries: dict[str, Row] = defaultdict(_empty)
    speeds: dict[str, list[int]] = defaultdict(list)
    try:
        for row in db.query(
            f"""SELECT tier, count(*) AS received, sum(known) AS known,
                       sum(within_sla) AS within_sla, count(speed) AS dialed, {band_sums},
                       sum(closed_early) AS closed_before_min_attempts
                FROM temp.sla_leads GROUP BY tier"""
        ):
            entry = entries[row["tier"]]
            for name in _SUMMED:
                entry[name] = row[name] or 0
        cursor = db.conn.cursor()
        cursor.row_factory = None  # plain tuples: this can be hundreds of thousands of rows
        for tier, speed in cursor.execute(
            "SELECT tier, speed FROM temp.sla_leads WHERE speed IS NOT NULL ORDER BY tier, speed"
        ):
            speeds[tier].append(speed)
    finally:
        db.execute("DROP TABLE temp.sla_leads")
    for row in db.query(
        """SELECT coalesce(tier, '') AS tier, count(*) AS overdue FROM contacts
           WHERE first_dial_at IS NULL AND status = 'open' AND filtered_by IS NULL
             AND dnc = 0 AND sla_due_at < ?
           GROUP BY coalesce(tier, '')""",
        (now,),
    ):
        entries[row["tier"]]["overdue_now"] = row["overdue"]
    for row in db.query(
        """SELECT coalesce(c.tier, '') AS tier, count(*) AS handoffs,
                  sum(h.status = 'accepted') AS accepted, sum(h.status = 'rejected') AS rejected
           FROM handoffs h JOIN contacts c ON c.id = h.contact_id
           WHERE h.created_at >= ? AND h.created_at < ?
           GROUP BY coalesce(c.tier, '')""",
        (bounds["start"], bounds["end"]),
    ):
        entry = entries[row["tier"]]
        for name in ("handoffs", "accepted", "rejected"):
            entry[name] = row[name]

    names = [tier.name for tier in settings.tiers]
    names += sorted(name for name in entries if name not in names)
    rows = [_row(name, entries[name], speeds.get(name, [])) for name in names]
    total = _empty()
    for name in names:
        for key in (*_SUMMED, "overdue_now", "handoffs", "accepted", "rejected"):
            total[key] += entries[name][key]
    rows.append(_row(ALL, total, [speed for values in speeds.values() for speed in values]))
    return rows


def _empty() -> Row:
    return dict.fromkeys((*_SUMMED, "overdue_now", "handoffs", "accepted", "rejected"), 0)


def _row(tier: str, entry: Row, speeds: list[int]) -> Row:
    speeds = sorted(speeds)  # already sorted per tier (a no-op then); ALL merges them
    return {
        "tier": tier or "(none)",
        "received": entry["received"],
        "known": entry["known"],
        "within_sla": entry["within_sla"],
        "within_sla_share": rate(entry["within_sla"], entry["known"]),
        "dialed": entry["dialed"],
        "median_speed_seconds": statistics.median(speeds) if speeds else None,
        "p95_speed_seconds": speeds[math.ceil(0.95 * len(speeds)) - 1] if speeds else None,
        **{name: entry[name] for name, _, _ in BANDS},
        "not_dialed": entry["received"] - entry["dialed"],
        "closed_before_min_attempts": entry["closed_before_min_attempts"],
        "overdue_now": entry["overdue_now"],
        "handoffs": entry["handoffs"],
        "accepted": entry["accepted"],
        "rejected": entry["rejected"],
        "acceptance_rate": rate(entry["accepted"], entry["accepted"] + entry["rejected"]),
    }
