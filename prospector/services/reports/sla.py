"""SLA keeping per tier: how fast and how often leads are called, and handoff acceptance.

The leads counted are the *workable* leads received in the period (contacts whose
``created_at`` falls in it): not filtered by a fit rule, and not on the DNC list
before anyone dialed them. Speed to lead runs from ``created_at`` to the first
dial (``contacts.first_dial_at``, which ``log`` sets). Dialed leads are read from
the ``lead_speed`` cohorts (see :mod:`.cohorts`); the few undialed and quietly
closed ones from partial indexes on ``contacts``.
"""

from __future__ import annotations

from collections import defaultdict

from prospector.foundations.clock import Clock, to_db
from prospector.foundations.db import Database
from prospector.services.reports.cohorts import Bucket, merge_buckets, percentile
from prospector.services.reports.common import ALL, NONE, Row, rate
from prospector.services.reports.periods import Period
from prospector.services.settings import Settings, load_settings

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
      ``p95_speed_seconds`` (nearest rank: the ⌈0.95·n⌉-th fastest) over dialed
      leads, from the speed histogram (see :func:`.cohorts.percentile` for the
      precision: within the minute below 24 h, exact when a bucket holds one speed).
    * ``median_working_seconds``, ``p95_working_seconds``: the same in the prospect's
      calling time (a lead in at 21:49 and dialed at 09:05 the next calling day took
      5 minutes), exact, over the dialed leads whose first dial recorded it (schema 9
      on); None when there are none.
    * ``band_0_5m, band_5_15m, band_15_60m, band_1_24h, band_later``: dialed leads
      by speed to lead (lower bound included), and ``not_dialed``.
    * ``closed_before_min_attempts``: leads now closed or exhausted without a
      conversation, bad phone or DNC, after fewer attempts than their tier's minimum.
    * ``overdue_now``: workable open leads of the tier (received at any time) not yet
      dialed whose first-touch deadline has passed at the clock's now.
    * ``handoffs``, ``accepted``, ``rejected``, ``acceptance_rate``: handoffs created
      in the period, by their contact's tier. The sales acceptance rate is accepted
      per answered handoff, as in the ``sources`` report: accepted counts the CRM's
      answers accepted, won and lost (sales took the handoff), and an open answer
      on a handoff accepted before (a re-opened deal: still sales'), rejected its
      rejections; other open and unanswered handoffs are not counted in it.
    """
    settings = settings or load_settings(db)
    now = to_db(clock())
    start, end = period.start_utc, period.end_utc
    entries: dict[str, Row] = defaultdict(_empty)
    histograms: dict[str, list[Bucket]] = defaultdict(list)
    working: dict[str, list[Bucket]] = defaultdict(list)  # one bucket per distinct speed
    plain = db.conn.cursor()
    plain.row_factory = None
    # Dialed leads: the cohort histogram (a few hundred rows per day and tier).
    for tier, floor, leads, within, seconds in plain.execute(
        """SELECT tier, speed_floor, sum(leads), sum(within_sla), sum(speed_seconds)
           FROM lead_speed WHERE received_day >= ? AND received_day <= ?
           GROUP BY tier, speed_floor ORDER BY tier, speed_floor""",
        (period.first.isoformat(), period.last.isoformat()),
    ):
        if not leads:
            continue
        entry = entries[tier]
        entry["dialed"] += leads
        entry["within_sla"] += within
        for name, low, high in BANDS:
            if floor >= low and (high is None or floor < high):
                entry[name] += leads
        histograms[tier].append((floor, leads, seconds))
    # Speed in working time: per contact (the calling rules of each day set it), from
    # the partial index of the dialed leads the cohorts count.
    for tier, seconds, leads in plain.execute(
        f"""SELECT coalesce(tier, ''), first_dial_working_seconds, count(*)
           FROM contacts{db.dialect.indexed_by(db, "contacts_dialed_by_created")}
           WHERE first_dial_at IS NOT NULL AND filtered_by IS NULL
             AND created_at >= ? AND created_at < ?
             AND first_dial_working_seconds IS NOT NULL
           GROUP BY coalesce(tier, ''), first_dial_working_seconds""",
        (start, end),
    ):
        working[tier].append((seconds, leads, seconds * leads))
    # Workable leads not dialed yet, and leads closed quietly: partial covering indexes.
    for tier, count, past_due in plain.execute(
        f"""SELECT coalesce(tier, ''), count(*), count(*) FILTER (WHERE sla_due_at < ?)
           FROM contacts{db.dialect.indexed_by(db, "contacts_undialed_by_created")}
           WHERE first_dial_at IS NULL AND filtered_by IS NULL AND dnc = 0
             AND created_at >= ? AND created_at < ?
           GROUP BY coalesce(tier, '')""",
        (now, start, end),
    ):
        entries[tier]["undialed"] = count
        entries[tier]["undialed_known"] = past_due or 0
    minimum = {tier.name: tier.min_attempts for tier in settings.tiers}
    for tier, attempts, count in plain.execute(
        f"""SELECT coalesce(tier, ''), attempts, count(*)
           FROM contacts{db.dialect.indexed_by(db, "contacts_closed_quietly_by_created")}
           WHERE status IN ('closed', 'exhausted') AND conversations = 0 AND phone_bad = 0
             AND dnc = 0 AND filtered_by IS NULL AND created_at >= ? AND created_at < ?
           GROUP BY coalesce(tier, ''), attempts""",
        (start, end),
    ):
        if tier in minimum and attempts < minimum[tier]:
            entries[tier]["closed_before_min_attempts"] += count
    for tier, overdue in plain.execute(
        """SELECT coalesce(tier, ''), count(*) FROM contacts
           WHERE first_dial_at IS NULL AND status = 'open' AND filtered_by IS NULL
             AND dnc = 0 AND sla_due_at < ?
           GROUP BY coalesce(tier, '')""",
        (now,),
    ):
        entries[tier]["overdue_now"] = overdue
    # handoffs.status is accepted for an accepted, won or lost answer (handoffs ack).
    for tier, handoffs, accepted, rejected in plain.execute(
        """SELECT coalesce(c.tier, ''), count(*), count(*) FILTER (WHERE h.status = 'accepted'),
                  count(*) FILTER (WHERE h.status = 'rejected')
           FROM handoffs h JOIN contacts c ON c.id = h.contact_id
           WHERE h.created_at >= ? AND h.created_at < ?
           GROUP BY coalesce(c.tier, '')""",
        (start, end),
    ):
        entry = entries[tier]
        entry["handoffs"], entry["accepted"], entry["rejected"] = handoffs, accepted, rejected
    for entry in entries.values():
        entry["received"] = entry["dialed"] + entry["undialed"]
        entry["known"] = entry["dialed"] + entry["undialed_known"]

    names = [tier.name for tier in settings.tiers]
    names += sorted(name for name in entries if name not in names)
    rows = [
        _row(name, entries[name], histograms.get(name, []), sorted(working.get(name, [])))
        for name in names
    ]
    total = _empty()
    for name in names:
        for key in total:
            total[key] += entries[name][key]
    rows.append(
        _row(ALL, total, merge_buckets(histograms.values()), merge_buckets(working.values()))
    )
    return rows


def _empty() -> Row:
    return dict.fromkeys(
        (*_SUMMED, "undialed", "undialed_known", "overdue_now", "handoffs", "accepted",
         "rejected"),
        0,
    )  # fmt: skip


def _row(tier: str, entry: Row, buckets: list[Bucket], working: list[Bucket]) -> Row:
    return {
        "tier": tier or NONE,
        "received": entry["received"],
        "known": entry["known"],
        "within_sla": entry["within_sla"],
        "within_sla_share": rate(entry["within_sla"], entry["known"]),
        "dialed": entry["dialed"],
        "median_speed_seconds": percentile(buckets, "median"),
        "p95_speed_seconds": percentile(buckets, "p95"),
        "median_working_seconds": percentile(working, "median"),
        "p95_working_seconds": percentile(working, "p95"),
        **{name: entry[name] for name, _, _ in BANDS},
        "not_dialed": entry["received"] - entry["dialed"],
        "closed_before_min_attempts": entry["closed_before_min_attempts"],
        "overdue_now": entry["overdue_now"],
        "handoffs": entry["handoffs"],
        "accepted": entry["accepted"],
        "rejected": entry["rejected"],
        "acceptance_rate": rate(entry["accepted"], entry["accepted"] + entry["rejected"]),
    }
