"""Sources: the marketing/sales SLA loop per lead source and tier, in numbers.

Two halves, each over the period's team days:

* **Leads** are the cohort received in the period (contacts whose ``created_at``
  falls in it, as in ``segments``), by their source and their current tier:
  ``leads``; ``filtered`` by a fit rule; ``worked``, with at least one attempt.
  Read from the ``lead_sources`` cohort table (see :mod:`.cohorts`).
* **Handoffs** are those *created* in the period, whenever their lead arrived
  (the same handoffs ``sla`` and ``pipeline`` count), by their contact's source
  and tier. Accepted and rejected are ``handoffs.status``, which ``handoffs
  ack`` keeps as Prospector's side of the CRM's answer (accepted for an
  accepted, won or lost answer; once accepted, an open answer, a re-opened
  deal, leaves it accepted), also for handoffs answered before schema 7; won
  and lost are the CRM's latest answer, ``handoffs.crm_status``.

  - ``accepted``: answered accepted, won or lost (sales took it);
    ``rejected``: answered rejected. ``acceptance_rate`` = accepted / (accepted +
    rejected): per handoff sales *answered*; open and unanswered handoffs wait.
  - ``pipeline_amount``: the CRM's amount when it gave one, else the estimated
    amount, summed over handoffs not rejected or lost; ``pipeline_share``: that
    over the pipeline of all sources. It is not the ``pipeline`` or ``funnel``
    reports' amount: those sum the estimates of every handoff made, whatever
    the CRM answered (what the team handed over, not what sales still works).
  - ``won_amount``: the same amount over won handoffs; ``win_rate`` = won /
    (won + lost).
  - ``median_days_to_close``: the median of (CRM close date − the team day the
    handoff was made) over won handoffs with a close date, leaving out a close
    date equal to the placeholder the export wrote (the team day it was made +
    90 days: the CRM kept it, so it says nothing of when the deal closed).

Rates are fractions rounded to 4 places, None when the denominator is 0; amounts
are in currency units. Sources are grouped as the tiers match them, case and
surrounding spaces ignored ("Inbound" and "inbound " are one row, named by the
spelling most of its leads and handoffs have). **Inbound** are the sources
``[reports] inbound_sources`` lists (matched the same way; default ``["inbound",
"webinar", "demo request"]``, the sources the shipped tier A takes as inbound);
the last row carries their share of the pipeline against ``[reports]
inbound_pipeline_target`` (default 0.5).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from prospector.foundations.clock import Clock
from prospector.foundations.db import Database
from prospector.services.handoffs import expected_close_date
from prospector.services.reports.common import (
    NONE,
    TEAM,
    Row,
    parse_stored,
    rate,
)
from prospector.services.reports.periods import Period, team_day
from prospector.services.reports.sla import ALL
from prospector.services.settings import Settings, load_settings

INBOUND_KEYS = ("inbound_pipeline_amount", "inbound_share", "inbound_target", "under_target")


@dataclass
class _Tally:
    leads: int = 0
    filtered: int = 0
    worked: int = 0
    handoffs: int = 0
    accepted: int = 0
    rejected: int = 0
    won: int = 0
    lost: int = 0
    pipeline_cents: int = 0
    won_cents: int = 0
    days_to_close: list[int] = field(default_factory=list)

    def add(self, other: _Tally) -> None:
        for name, value in vars(other).items():
            if name == "days_to_close":
                self.days_to_close.extend(value)
            else:
                setattr(self, name, getattr(self, name) + value)


def sources(
    db: Database, period: Period, clock: Clock, *, settings: Settings | None = None
) -> list[Row]:
    """Rows per (source, tier), each source closed by its ``ALL`` tier row; then per tier
    for the whole team (source ``TEAM``); then ``TEAM``/``ALL``.

    Row keys: ``source, tier, inbound, leads, filtered, worked, handoffs, accepted,
    rejected, acceptance_rate, pipeline_amount, pipeline_share, won, lost,
    won_amount, win_rate, median_days_to_close`` (see the module docstring), and
    ``inbound_pipeline_amount, inbound_share, inbound_target, under_target``, set on
    the last row only (None elsewhere): the inbound sources' pipeline, its share of
    all pipeline, the target, and whether the share is under it (both None
    without any pipeline). ``inbound`` says whether the row's source is inbound (None on TEAM
    rows). A source or tier that is missing reads ``"(none)"``, sorted last.
    """
    del clock
    settings = settings or load_settings(db)
    zone = period.zone
    tallies: dict[tuple[str, str], _Tally] = defaultdict(_Tally)  # (source key, tier)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)  # source key -> as written
    plain = db.conn.cursor()
    plain.row_factory = None
    for source, tier, leads, filtered, worked in plain.execute(
        """SELECT source, tier, sum(leads), sum(filtered), sum(worked) FROM lead_sources
           WHERE received_day >= ? AND received_day <= ? GROUP BY source, tier""",
        (period.first.isoformat(), period.last.isoformat()),
    ):
        if leads:
            tally = tallies[(_source_key(source), tier)]
            tally.leads += leads
            tally.filtered += filtered
            tally.worked += worked
            spellings[_source_key(source)][source.strip()] += leads
    for source, tier, status, answer, created_at, close_date, cents in plain.execute(
        """SELECT coalesce(c.source, ''), coalesce(c.tier, ''), h.status, h.crm_status,
                   h.created_at, h.crm_close_date,
                   coalesce(h.crm_amount_cents, h.amount_cents, 0)
            FROM handoffs h JOIN contacts c ON c.id = h.contact_id
            WHERE h.created_at >= ? AND h.created_at < ?""",
        (period.start_utc, period.end_utc),
    ):
        tally = tallies[(_source_key(source), tier)]
        spellings[_source_key(source)][source.strip()] += 1
        tally.handoffs += 1
        if status == "accepted":
            tally.accepted += 1
        elif status == "rejected":
            tally.rejected += 1
        if status != "rejected" and answer != "lost":
            tally.pipeline_cents += cents
        if answer == "lost":
            tally.lost += 1
        elif answer == "won":
            tally.won += 1
            tally.won_cents += cents
            made_at = parse_stored(created_at)
            # The export's placeholder, kept by the CRM on closing, is not a close.
            if close_date and close_date != expected_close_date(made_at, zone):
                made = team_day(made_at, zone)
                tally.days_to_close.append((date.fromisoformat(close_date) - made).days)

    inbound = {_source_key(name) for name in settings.reports.inbound_sources}
    tier_names = [tier.name for tier in settings.tiers]
    found_tiers = {tier for _, tier in tallies}
    tiers = [name for name in tier_names if name in found_tiers]
    tiers += sorted(
        (t for t in found_tiers if t not in tier_names and t), key=lambda t: (t.casefold(), t)
    )
    tiers += [""] if "" in found_tiers else []
    # Each source by the spelling it has most (ties: the first in sorted order).
    shown = {key: min(names, key=lambda n: (-names[n], n)) for key, names in spellings.items()}
    source_keys = sorted({s for s, _ in tallies if s}, key=lambda key: (shown[key].casefold(), key))
    source_keys += [""] if any(not s for s, _ in tallies) else []

    total = _Tally()
    for tally in tallies.values():
        total.add(tally)
    everything = total.pipeline_cents
    rows: list[Row] = []
    for source in source_keys:
        is_inbound = source in inbound
        name = shown.get(source, "")
        of_source = _Tally()
        for tier in tiers:
            if (source, tier) in tallies:
                tally = tallies[(source, tier)]
                of_source.add(tally)
                rows.append(_row(name, tier, is_inbound, tally, everything))
        rows.append(_row(name, ALL, is_inbound, of_source, everything))
    for tier in tiers:
        of_tier = _Tally()
        for (_, tally_tier), tally in tallies.items():
            if tally_tier == tier:
                of_tier.add(tally)
        rows.append(_row(TEAM, tier, None, of_tier, everything))
    inbound_cents = sum(
        tally.pipeline_cents for (source, _), tally in tallies.items() if source in inbound
    )
    target = settings.reports.inbound_pipeline_target
    share = rate(inbound_cents, everything)
    last = _row(TEAM, ALL, None, total, everything)
    last |= {
        "inbound_pipeline_amount": inbound_cents / 100,
        "inbound_share": share,
        "inbound_target": target,
        "under_target": None if share is None else share < target,
    }
    for row in rows:
        row |= dict.fromkeys(INBOUND_KEYS)
    return [*rows, last]


def _source_key(source: str) -> str:
    """How sources are told apart: as the tiers match them (``fit.matches``)."""
    return source.strip().casefold()


def _row(source: str, tier: str, inbound: bool | None, tally: _Tally, everything: int) -> Row:
    days = tally.days_to_close
    return {
        "source": source or NONE,
        "tier": tier or NONE,
        "inbound": inbound,
        "leads": tally.leads,
        "filtered": tally.filtered,
        "worked": tally.worked,
        "handoffs": tally.handoffs,
        "accepted": tally.accepted,
        "rejected": tally.rejected,
        "acceptance_rate": rate(tally.accepted, tally.accepted + tally.rejected),
        "pipeline_amount": tally.pipeline_cents / 100,
        "pipeline_share": rate(tally.pipeline_cents, everything),
        "won": tally.won,
        "lost": tally.lost,
        "won_amount": tally.won_cents / 100,
        "win_rate": rate(tally.won, tally.won + tally.lost),
        "median_days_to_close": float(statistics.median(days)) if days else None,
    }
