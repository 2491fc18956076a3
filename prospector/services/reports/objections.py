"""Objections: the calls tagged with each, and what those calls ended as.

A call ends as a ``meeting`` (its disposition qualifies), a ``callback`` (a time
was agreed), ``not_interested`` (its disposition closes the contact: the default
catalog's not interested and not a fit) or ``other`` (no answer, voicemail, a
retry...; also a disposition no longer in the catalog). A call tagged with two
objections counts under each.
"""

from __future__ import annotations

from prospector.foundations.clock import Clock
from prospector.foundations.db import Database
from prospector.services.reports.common import NONE, TEAM, Row, rate
from prospector.services.reports.periods import Period
from prospector.services.settings import Settings

ENDINGS = ("meetings", "callbacks", "not_interested", "other")
DIMENSIONS = ("rep", "source")


def ending(then: str | None, agreed_callback: bool) -> str:
    """What a call ended as (one of :data:`ENDINGS`), from its disposition's ``then``."""
    if then == "qualify":
        return "meetings"
    if agreed_callback:
        return "callbacks"
    return "not_interested" if then == "close" else "other"


def objections(
    db: Database, period: Period, clock: Clock, *, settings: Settings, rep: str | None = None
) -> list[Row]:
    """Per objection, its tagged calls over the period by rep, then by source, then
    the team's.

    Row keys: ``objection`` (the label), ``key`` (its key, None for a tag no longer
    in the catalog), ``dimension`` (``rep``, ``source`` or ``team``), ``segment``
    (the rep, the source, ``"(none)"`` for no source, or ``"TEAM"``), ``calls``,
    ``meetings``, ``callbacks``, ``not_interested``, ``other``, ``meeting_rate``
    (meetings per call). Objections come in the catalog's order, each with its
    team row even when no call met it; tags no longer in the catalog follow, by
    label. ``rep`` counts only that rep's calls.
    """
    del clock
    then = {d.code: d.then for d in settings.dispositions}
    counts: dict[str, dict[tuple[str, str], Row]] = {o.label: {} for o in settings.objections}
    for row in db.query(
        """SELECT t.tag AS tag, c.rep AS rep, ct.source AS source, c.disposition AS disposition,
                  CASE WHEN c.callback_at IS NULL THEN 0 ELSE 1 END AS agreed, count(*) AS calls
           FROM call_tags t
           JOIN calls c ON c.id = t.call_id
           JOIN contacts ct ON ct.id = c.contact_id
           WHERE c.at >= :start AND c.at < :end AND (CAST(:rep AS TEXT) IS NULL OR c.rep = :rep)
           GROUP BY t.tag, c.rep, ct.source, c.disposition,
                    CASE WHEN c.callback_at IS NULL THEN 0 ELSE 1 END""",
        {"start": period.start_utc, "end": period.end_utc, "rep": rep},
    ):
        groups = counts.setdefault(row["tag"], {})
        end = ending(then.get(row["disposition"]), bool(row["agreed"]))
        for group in (("rep", row["rep"]), ("source", row["source"] or NONE), ("team", TEAM)):
            entry = groups.setdefault(group, dict.fromkeys(("calls", *ENDINGS), 0))
            entry["calls"] += row["calls"]
            entry[end] += row["calls"]
    keys = {o.label: o.key for o in settings.objections}
    rows: list[Row] = []
    for label in [*keys, *sorted(set(counts) - set(keys))]:
        groups = counts[label]
        groups.setdefault(("team", TEAM), dict.fromkeys(("calls", *ENDINGS), 0))
        for dimension in (*DIMENSIONS, "team"):
            for (kind, segment), entry in sorted(groups.items(), key=_segment_order):
                if kind == dimension:
                    rows.append(
                        {
                            "objection": label,
                            "key": keys.get(label),
                            "dimension": dimension,
                            "segment": segment,
                            **entry,
                            "meeting_rate": rate(entry["meetings"], entry["calls"]),
                        }
                    )
    return rows


def _segment_order(item: tuple[tuple[str, str], Row]) -> tuple[str, bool, str]:
    (kind, segment), _ = item
    return kind, segment == NONE, segment  # "(none)" after every source
