"""Leads one at a time (``prospector add``, the intake endpoint), through the import's own rules.

A lead is a JSON-like mapping of the field names in :data:`FIELDS`. It is turned
into a one-row table and normalized by :func:`.rows.normalize_chunk`, then written
by the import's :class:`.writer.ContactWriter`: the same phones, matching (every
phone of every contact), accounts, fit rules, tiers, DNC and per-locale SLA
deadline as a list file, with the lead's arrival time as the import's instant.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from prospector.foundations.clock import from_db_or_none, to_db_or_none
from prospector.foundations.db import Database
from prospector.foundations.errors import ProspectorError
from prospector.foundations.limits import check_region
from prospector.services.importing.profiles import ProfileKeys
from prospector.services.importing.rows import Reject, RowRules, normalize_chunk
from prospector.services.importing.writer import ContactWriter
from prospector.services.lead_fields import FIELDS
from prospector.services.settings import Settings, load_settings

__all__ = [
    "FIELDS", "LeadError", "LeadOutcome", "LeadWriter", "add_leads", "lead_fields",
    "rejected_field",
]  # fmt: skip

MAX_FIELD_CHARS = 1000


class LeadError(ProspectorError):
    """A lead that cannot be used; ``field`` names the culprit (None: the lead as a whole)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


def lead_fields(value: object) -> dict[str, str]:
    """A lead's JSON object checked and as text: known names, text values (``employees``
    may be a number), null or "" for a field left out.

    Raises:
        LeadError: not an object, an unknown field, a value of the wrong type.
    """
    if not isinstance(value, Mapping):
        raise LeadError(None, f"expected a JSON object with fields {', '.join(FIELDS)}")
    found: dict[str, str] = {}
    for name, cell in value.items():
        if name not in FIELDS:
            raise LeadError(str(name)[:60], f"unknown field; expected one of {', '.join(FIELDS)}")
        if cell is None:
            continue
        if name == "employees" and isinstance(cell, int) and not isinstance(cell, bool):
            cell = str(cell)
        if not isinstance(cell, str):
            raise LeadError(name, f"expected text, got {type(cell).__name__}")
        if len(cell) > MAX_FIELD_CHARS:
            raise LeadError(name, f"{len(cell)} characters; at most {MAX_FIELD_CHARS}")
        found[name] = cell
    return found


@dataclass(frozen=True)
class LeadOutcome:
    """What became of one lead.

    ``outcome``: ``inserted`` or ``updated`` (a known contact matched), or, whichever
    of the two, ``dnc`` (a phone is on the DNC list) or ``filtered`` (``reason``: the
    fit rule); ``rejected`` (``reason``: why, ``field``: which) writes nothing.
    """

    contact_id: int | None
    outcome: str
    reason: str | None = None
    field: str | None = None
    stored: str | None = None  # "inserted" or "updated"; None when rejected
    tier: str | None = None
    sla_due_at: datetime | None = None
    warnings: tuple[str, ...] = ()

    def text(self) -> str:
        """``12 inserted``, ``12 filtered: RULE``, ``- rejected: REASON``."""
        shown = f"{self.outcome}: {self.reason}" if self.reason else self.outcome
        return f"{self.contact_id if self.contact_id is not None else '-'} {shown}"

    def as_json(self) -> dict[str, Any]:
        return {
            "contact_id": self.contact_id,
            "outcome": self.outcome,
            "reason": self.reason,
            "field": self.field,
            "stored": self.stored,
            "tier": self.tier,
            "sla_due_at": to_db_or_none(self.sla_due_at),
            "warnings": list(self.warnings),
        }


def rejected_field(item: Reject) -> str:
    """The lead's field a rejected row's reason is about."""
    return "country" if item.reason.startswith("unknown country") else "phone"


def _rejected(item: Reject) -> LeadOutcome:
    return LeadOutcome(None, "rejected", item.reason, rejected_field(item))


class LeadWriter:
    """Leads written into one database as they arrive.

    The writer learns the database's contacts once (as an import does) and keeps up
    with other connections' new contacts; call :meth:`write` inside ``db.write()``.
    """

    def __init__(
        self, db: Database, *, settings: Settings | None = None, region: str | None = None
    ) -> None:
        db.check_writable()
        self.db = db
        self.settings = settings or load_settings(db)
        default_region = check_region(region, "--region") if region else None
        names = tuple(FIELDS)
        self.rules = RowRules(
            columns={FIELDS[name]: [index] for index, name in enumerate(names)},
            width=len(names),
            default_region=(default_region or self.settings.team.default_region).upper(),
            keys=ProfileKeys(self.settings),
            headers=names,
            team_zone=self.settings.team.timezone,
        )
        self._writer: ContactWriter | None = None

    def normalize(self, leads: Iterable[Mapping[str, str]]) -> list[tuple]:
        """Each lead (as :func:`lead_fields` gives it) as the import's row tuple or Reject."""
        table = [
            (number, [lead.get(name, "") for name in FIELDS])
            for number, lead in enumerate(leads, start=1)
        ]
        return normalize_chunk(self.rules, table)

    def write(self, item: tuple, now: datetime) -> LeadOutcome:
        """Write one normalized lead that arrived at ``now`` (the SLA's start); a Reject
        writes nothing. Inside ``db.write()``."""
        if type(item) is Reject:
            return _rejected(item)
        writer = self._writer
        if writer is None:
            writer = self._writer = ContactWriter(self.db, self.settings, now, None)
        elif writer.now != now:
            writer.set_clock(now)
        # Each lead stands on its own, as a one-row import would: the contact it names
        # takes every field it gives (in a file, later rows only fill empty fields).
        writer.touched_contacts.clear()
        writer.start_max_id = sys.maxsize
        try:
            counts = writer.write_chunk([item], _no_rejects, [1])
        except sqlite3.IntegrityError:
            # Another connection gave an older contact one of these phones since the
            # writer learned them (see matching.KnownNumbers.catch_up): learn afresh.
            self._writer = None
            raise
        contact_id = writer.next_id if counts.inserted else writer.last_matched
        found = self.db.one(
            "SELECT filtered_by, dnc, tier, sla_due_at FROM contacts WHERE id = ?", (contact_id,)
        )
        assert found is not None and contact_id is not None
        stored = "inserted" if counts.inserted else "updated"
        filtered_by, dnc, tier, sla_due_at = found
        if dnc:
            outcome, reason = "dnc", None
        elif filtered_by is not None:
            outcome, reason = "filtered", filtered_by
        else:
            outcome, reason = stored, None
        return LeadOutcome(
            contact_id,
            outcome,
            reason,
            stored=stored,
            tier=tier,
            sla_due_at=from_db_or_none(sla_due_at),
            warnings=tuple(note.split(": ", 1)[1] for note in counts.warnings),
        )

    def write_alone(self, item: tuple, now: datetime) -> LeadOutcome:
        """:meth:`write` in a transaction of its own, written again once if another
        connection took one of its phones meanwhile (the writer learns afresh)."""
        try:
            with self.db.write():
                return self.write(item, now)
        except sqlite3.IntegrityError:
            with self.db.write():
                return self.write(item, now)


def _no_rejects(_reject: Reject) -> None:
    """Rejects never reach the writer (:meth:`LeadWriter.write` answers them)."""


def add_leads(
    db: Database,
    records: Iterable[Mapping[str, object]],
    *,
    now: datetime,
    settings: Settings | None = None,
    region: str | None = None,
) -> list[LeadOutcome]:
    """Add leads that arrived at ``now``; one outcome per record, in order.

    Each lead is its own transaction, so a rejected one leaves the others written.

    Raises:
        LeadError: a record is not a lead (:func:`lead_fields`). Nothing is written then.
    """
    leads = [lead_fields(record) for record in records]
    writer = LeadWriter(db, settings=settings, region=region)
    items = writer.normalize(leads)
    outcomes = []
    for item in items:
        if type(item) is Reject:
            outcomes.append(_rejected(item))
            continue
        outcomes.append(writer.write_alone(item, now))
    return outcomes
