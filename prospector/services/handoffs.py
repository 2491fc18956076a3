"""Handoffs: qualified opportunities handed to outside reps (DESIGN §4.9).

``qualify`` turns a contact into a *pending* handoff: inside rep, outside rep
(see :mod:`prospector.services.assignment`), amount, meeting time, BANT answers
and a note. A contact has at most one pending handoff; qualifying it again
updates that one (fields given replace, fields omitted stay) until it is
exported, after which a new handoff is made. The contact becomes ``qualified``
(close reason "handed off") in the same transaction.

Decisions:

* DNC contacts are refused (``contacts.dnc``, status ``dnc``, or the number on the
  DNC list): DNC is absolute, and a handoff is a request for someone to call.
* Filtered contacts *are* allowed: the fit filter keeps poor-fit leads out of the
  queue, but when a rep has spoken with one and booked a meeting (an inbound
  call, a referral), the conversation outranks the rule. The handoff carries the
  contact's ``filtered_by`` in its payload so the CRM side can see it.
* Amounts are integer cents; they are shown as plain decimals ("12500.00").
* Meeting times are read in the prospect's zone (the first zone of the contact's
  locale) and stored in UTC; a meeting in the past is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prospector.foundations.clock import from_db, from_db_or_none, to_db, to_db_or_none
from prospector.foundations.db import Database
from prospector.foundations.errors import NotFoundError, ProspectorError
from prospector.foundations.limits import MAX_CENTS
from prospector.foundations.names import full_name
from prospector.services.assignment import choose_owner
from prospector.services.crm_answers.acks import AckResult, ack_handoffs
from prospector.services.meeting_time import resolve_meeting
from prospector.services.settings import Settings, load_settings

__all__ = [
    "STATUSES",
    "AckResult",
    "CrmAnswer",
    "Handoff",
    "HandoffError",
    "ack_handoffs",
    "answer_history",
    "contact_handoffs",
    "contact_zone",
    "expected_close_date",
    "first_zone",
    "format_amount",
    "get_handoff",
    "list_handoffs",
    "parse_amount",
    "qualify",
    "zones_of",
]

STATUSES = ("pending", "exported", "accepted", "rejected")
CLOSE_AFTER = timedelta(days=90)  # the expected close exports write (see expected_close_date)


class HandoffError(ProspectorError):
    """A handoff that cannot be made or changed as asked."""


@dataclass(frozen=True)
class Handoff:
    """One handoff as stored, with the contact's name and company for display."""

    id: int
    contact_id: int
    contact_name: str
    company: str
    inside_rep: str
    owner: str
    owner_email: str | None
    amount_cents: int | None
    meeting_at: datetime | None
    budget: str | None
    authority: str | None
    need: str | None
    timeline: str | None
    note: str | None
    status: str
    status_reason: str | None
    batch_id: int | None
    created_at: datetime
    updated_at: datetime
    exported_at: datetime | None
    acked_at: datetime | None
    # The CRM's latest answer (handoffs ack): open, accepted, rejected, won or lost,
    # the CRM's own word for it, and the amount and close date it reported.
    crm_status: str | None = None
    crm_stage: str | None = None
    crm_amount_cents: int | None = None
    crm_close_date: str | None = None
    crm_answered_at: datetime | None = None

    @property
    def amount(self) -> str | None:
        """The amount as a plain decimal ("12500.00"), or None."""
        return format_amount(self.amount_cents)

    @property
    def crm_amount(self) -> str | None:
        """The amount the CRM reported, as a plain decimal, or None."""
        return format_amount(self.crm_amount_cents)

    def as_json(self) -> dict[str, object]:
        """Plain values for ``--json`` output (times in UTC ISO 8601)."""
        return {
            "handoff_id": self.id,
            "contact_id": self.contact_id,
            "contact_name": self.contact_name,
            "company": self.company,
            "inside_rep": self.inside_rep,
            "owner": self.owner,
            "owner_email": self.owner_email,
            "amount": self.amount,
            "meeting_at": to_db_or_none(self.meeting_at),
            "budget": self.budget,
            "authority": self.authority,
            "need": self.need,
            "timeline": self.timeline,
            "note": self.note,
            "status": self.status,
            "status_reason": self.status_reason,
            "batch": self.batch_id,
            "created_at": to_db_or_none(self.created_at),
            "updated_at": to_db_or_none(self.updated_at),
            "exported_at": to_db_or_none(self.exported_at),
            "acked_at": to_db_or_none(self.acked_at),
            "crm_status": self.crm_status,
            "crm_stage": self.crm_stage,
            "crm_amount": self.crm_amount,
            "crm_close_date": self.crm_close_date,
            "crm_answered_at": to_db_or_none(self.crm_answered_at),
        }


# --- values -----------------------------------------------------------------------


def parse_amount(value: Decimal | int | float | str | None) -> int | None:
    """An amount as integer cents: ``"12,500"`` → 1250000; None stays None.

    Accepts digits with an optional ``.cc`` part, thousands commas, a leading
    currency sign. Raises HandoffError for anything else, negatives, or more
    than two decimals.
    """
    if value is None:
        return None
    text = str(value).strip()
    cleaned = re.sub(r"^[$€£]\s*", "", text).replace(",", "").replace("_", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
        raise HandoffError(f"amount {text!r}: expected a positive number like 12500 or 12500.50")
    cents = int(number * 100)
    if cents >= MAX_CENTS:
        raise HandoffError(
            f"amount {text[:40]!r}: too large (at most {format_amount(MAX_CENTS - 1)})"
        )
    return cents


def format_amount(cents: int | None) -> str | None:
    """Integer cents as a plain decimal with two places, or None."""
    if cents is None:
        return None
    return f"{cents // 100}.{cents % 100:02d}"


def expected_close_date(qualified: datetime, team_zone: ZoneInfo) -> str:
    """The close date exports give a new deal (a CRM needs one): the team day the
    handoff was made plus :data:`CLOSE_AFTER`, ``YYYY-MM-DD``. A placeholder, not a
    forecast: reports do not take it back as the day a deal closed."""
    return (qualified.astimezone(team_zone) + CLOSE_AFTER).date().isoformat()


def zones_of(text: str) -> list[str]:
    """Zone names from a locale's ``zones`` text, in order."""
    # The importer writes the candidate set as text; accept the shapes it may take
    # (a JSON list, or names separated by commas, semicolons or spaces).
    return [z for z in re.split(r"[\s,;\[\]\"']+", text or "") if z]


def first_zone(zones: str | None, fallback: ZoneInfo) -> ZoneInfo:
    """The first zone of a locale's ``zones`` text that names a real zone, else ``fallback``."""
    for name in zones_of(zones or ""):
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return fallback


def contact_zone(db: Database, contact_id: int, fallback: ZoneInfo) -> ZoneInfo:
    """The prospect's zone: the first of the contact's locale zones, else ``fallback``."""
    row = db.one(
        "SELECT l.zones FROM contacts c JOIN locales l ON l.id = c.locale_id WHERE c.id = ?",
        (contact_id,),
    )
    return first_zone(row["zones"] if row else None, fallback)


# --- reading ------------------------------------------------------------------------

_SELECT = """
    SELECT h.*, c.first_name, c.last_name, a.name AS company
    FROM handoffs h
    JOIN contacts c ON c.id = h.contact_id
    LEFT JOIN accounts a ON a.id = c.account_id
"""


def _handoff(row) -> Handoff:
    name = full_name(row["first_name"], row["last_name"])
    return Handoff(
        id=row["id"],
        contact_id=row["contact_id"],
        contact_name=name,
        company=row["company"] or "",
        inside_rep=row["inside_rep"],
        owner=row["owner"],
        owner_email=row["owner_email"],
        amount_cents=row["amount_cents"],
        meeting_at=from_db_or_none(row["meeting_at"]),
        budget=row["budget"],
        authority=row["authority"],
        need=row["need"],
        timeline=row["timeline"],
        note=row["note"],
        status=row["status"],
        status_reason=row["status_reason"],
        batch_id=row["batch_id"],
        created_at=from_db(row["created_at"]),
        updated_at=from_db(row["updated_at"]),
        exported_at=from_db_or_none(row["exported_at"]),
        acked_at=from_db_or_none(row["acked_at"]),
        crm_status=row["crm_status"],
        crm_stage=row["crm_stage"],
        crm_amount_cents=row["crm_amount_cents"],
        crm_close_date=row["crm_close_date"],
        crm_answered_at=from_db_or_none(row["crm_answered_at"]),
    )


@dataclass(frozen=True)
class CrmAnswer:
    """One answer the CRM gave about a handoff, as recorded by ``handoffs ack``."""

    answered_at: datetime
    file: str | None
    crm_status: str
    crm_stage: str | None
    amount_cents: int | None
    close_date: str | None
    reason: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "answered_at": to_db(self.answered_at),
            "file": self.file,
            "crm_status": self.crm_status,
            "crm_stage": self.crm_stage,
            "crm_amount": format_amount(self.amount_cents),
            "crm_close_date": self.close_date,
            "reason": self.reason,
        }


def answer_history(db: Database, handoff_id: int) -> list[CrmAnswer]:
    """The CRM's answers about a handoff, oldest first (by when they were given)."""
    rows = db.query(
        "SELECT * FROM handoff_answers WHERE handoff_id = ? ORDER BY answered_at, id",
        (handoff_id,),
    )
    return [
        CrmAnswer(
            answered_at=from_db(row["answered_at"]),
            file=row["file"],
            crm_status=row["crm_status"],
            crm_stage=row["crm_stage"],
            amount_cents=row["amount_cents"],
            close_date=row["close_date"],
            reason=row["reason"],
        )
        for row in rows
    ]


def get_handoff(db: Database, handoff_id: int) -> Handoff:
    """The handoff with this id. Raises NotFoundError."""
    row = db.one(_SELECT + " WHERE h.id = ?", (handoff_id,))
    if row is None:
        raise NotFoundError(f"no handoff {handoff_id}")
    return _handoff(row)


def list_handoffs(db: Database, status: str | None = None) -> list[Handoff]:
    """Handoffs, oldest first, optionally only those with ``status``.

    Raises:
        HandoffError: ``status`` is not one of :data:`STATUSES`.
    """
    if status is None:
        rows = db.query(_SELECT + " ORDER BY h.id")
    else:
        if status not in STATUSES:
            raise HandoffError(
                f"unknown status {status!r} (expected one of: {', '.join(STATUSES)})"
            )
        rows = db.query(_SELECT + " WHERE h.status = ? ORDER BY h.id", (status,))
    return [_handoff(row) for row in rows]


def contact_handoffs(db: Database, contact_id: int) -> list[Handoff]:
    """The contact's handoffs, oldest first (usually none or one)."""
    return [
        _handoff(row)
        for row in db.query(_SELECT + " WHERE h.contact_id = ? ORDER BY h.id", (contact_id,))
    ]


# --- qualifying ---------------------------------------------------------------------


def _contact_for_handoff(db: Database, contact_id: int):
    row = db.one(
        """SELECT c.id, c.phone, c.dnc, c.status, c.state, c.country, a.industry,
                  EXISTS (SELECT 1 FROM dnc_numbers d WHERE d.phone = c.phone) AS listed
           FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id
           WHERE c.id = ?""",
        (contact_id,),
    )
    if row is None:
        raise NotFoundError(f"no contact {contact_id}")
    if row["dnc"] or row["status"] == "dnc" or row["listed"]:
        raise HandoffError(
            f"contact {contact_id} is on the do-not-call list ({row['phone']}): no handoff"
        )
    return row


def new_handoff_requires(settings: Settings) -> tuple[str, ...]:
    """What a handoff made on its own (``prospector qualify``) must be given: what the
    catalog's qualifying dispositions require (the meeting set's meeting time, by
    default), as the call that makes one would."""
    fields: list[str] = []
    for disposition in settings.dispositions:
        if disposition.then == "qualify":
            fields += [name for name in disposition.requires if name not in fields]
    return tuple(fields)


def qualify(
    db: Database,
    contact_id: int,
    *,
    rep: str,
    now: datetime,
    amount: Decimal | int | float | str | None = None,
    meeting_at: datetime | str | None = None,
    owner: str | None = None,
    budget: str | None = None,
    authority: str | None = None,
    need: str | None = None,
    timeline: str | None = None,
    note: str | None = None,
    settings: Settings | None = None,
    requires: tuple[str, ...] = (),
) -> Handoff:
    """Create the contact's pending handoff, or update the one it already has.

    Args:
        rep: the inside rep qualifying (kept from the first qualify on updates).
        now: the instant of qualifying.
        amount: estimated amount (see :func:`parse_amount`).
        meeting_at: an aware datetime, or text read in the prospect's zone.
        owner: an outside rep's name or email, overriding the assignment.
        settings: the team's settings, when the caller has them (else read here).
        requires: handoff fields (``HANDOFF_FIELDS``) a new handoff must be given;
            an update of a pending one adds to what it has and needs none.

    Returns:
        The handoff as stored.

    Raises:
        NotFoundError: no such contact.
        HandoffError: DNC contact, bad amount, meeting in the past, a new handoff
            without a field of ``requires``.
        AssignmentError: no outside rep can be chosen.
        TimeWordsError: meeting text that is not a time.
    """
    settings = settings or load_settings(db)
    cents = parse_amount(amount)
    stamp = to_db(now)
    with db.write_or_join():  # joined by :func:`.call_outcomes.log_outcome` (a meeting set)
        contact = _contact_for_handoff(db, contact_id)
        meeting = None
        if meeting_at is not None:
            zone = contact_zone(db, contact_id, settings.team.zone)
            meeting = resolve_meeting(meeting_at, zone=zone, now=now)
        pending = db.one(
            "SELECT * FROM handoffs WHERE contact_id = ? AND status = 'pending'", (contact_id,)
        )
        if pending is None:
            chosen = choose_owner(
                db,
                settings,
                country=contact["country"],
                state=contact["state"],
                industry=contact["industry"],
                override=owner,
            )
            answers: dict[str, object] = {
                "amount": cents, "meeting": meeting, "owner": owner, "budget": budget,
                "authority": authority, "need": need, "timeline": timeline, "note": note,
            }  # fmt: skip
            missing = [name for name in requires if answers[name] in (None, "")]
            if missing:
                raise HandoffError(
                    f"contact {contact_id}: a new handoff needs its {', '.join(missing)}"
                    " (the meeting set's `requires` in the settings); nothing was written"
                )
            handoff_id = db.insert(
                """INSERT INTO handoffs (contact_id, inside_rep, owner, owner_email,
                       amount_cents, meeting_at, budget, authority, need, timeline, note,
                       status, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)""",
                (
                    contact_id,
                    rep,
                    chosen.name,
                    chosen.email,
                    cents,
                    to_db(meeting) if meeting else None,
                    budget,
                    authority,
                    need,
                    timeline,
                    note,
                    stamp,
                    stamp,
                ),
            )
        else:
            handoff_id = pending["id"]
            changes: dict[str, object] = {
                "amount_cents": cents,
                "meeting_at": to_db(meeting) if meeting else None,
                "budget": budget,
                "authority": authority,
                "need": need,
                "timeline": timeline,
                "note": note,
            }
            if owner:
                chosen = choose_owner(
                    db, settings, country=None, state=None, industry=None, override=owner
                )
                changes.update(owner=chosen.name, owner_email=chosen.email)
            given = {k: v for k, v in changes.items() if v is not None}
            given["updated_at"] = stamp
            assignments = ", ".join(f"{column} = :{column}" for column in given)
            db.execute(
                f"UPDATE handoffs SET {assignments} WHERE id = :id", {**given, "id": handoff_id}
            )
        db.execute(
            """UPDATE contacts SET status = 'qualified', close_reason = 'handed off',
                   claimed_by = NULL, claim_expires_at = NULL, updated_at = ?
               WHERE id = ?""",
            (stamp, contact_id),
        )
        db.execute(
            "INSERT INTO reps (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING", (rep, stamp)
        )
    return get_handoff(db, handoff_id)
