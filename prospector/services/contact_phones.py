"""A contact's phones at the desk: which one is dialled, switching, marking one bad.

A contact keeps every phone it arrived with (``contact_phones``, in dial order by
``rank``); ``contacts.phone`` (with ``phone_ext``) is a copy of the dialled one, the
first by rank that is not marked bad, which the queue and its indexes read.

Switching (the rep's one key on the lead card) applies to **this call** only: the
number was not reached, so the rep tries another. The switch is written to the
audit log at once (who, when, from, to) and the call logged next records the number
it was made on (``calls.phone``, ``calls.phone_ext``). Only when that call connects
on the switched number (a connect or a conversation, not a wrong number nor a
do-not-call) does the number become the contact's dialled one from then on: it
moves to rank 0, the others keep their order behind it. A number that only rang
out changes nothing, so the next rep starts from the same number.

A wrong number marks the number the call was made on bad; the dialled copy moves to
the next good number by rank. Only when none is left is the contact closed with
``phone_bad`` set (see :func:`prospector.services.calls.log_call`).

Bad numbers and numbers on the DNC list are never offered for a switch (a contact
with any DNC number is DNC as a whole; this is the guard should one slip through).

A contact written without ``contact_phones`` rows (by hand, before schema 6 filled
them in) has one phone: its ``contacts.phone``, of kind ``work``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database
from prospector.foundations.errors import NotFoundError, ProspectorError
from prospector.services.claims import refuse_if_held_by_other

SWITCH_ACTION = "contact.phone_switch"


@dataclass(frozen=True)
class ContactPhone:
    """One of a contact's phones, as the lead card and ``show`` list it."""

    e164: str
    raw: str
    kind: str  # direct | work | mobile | other | company
    extension: str | None
    number_type: str | None  # what the numbering plan says (mobile, fixed_line...)
    rank: int  # dial order: 0 first
    bad: bool  # a call found it a wrong number
    on_dnc_list: bool

    @property
    def offered(self) -> bool:
        """May be dialled: neither marked bad nor on the DNC list."""
        return not self.bad and not self.on_dnc_list

    def as_json(self, *, dialled: bool) -> dict[str, Any]:
        return {
            "e164": self.e164,
            "kind": self.kind,
            "extension": self.extension,
            "number_type": self.number_type,
            "bad": self.bad,
            "dialled": dialled,
        }


def with_extension(number: str, extension: str | None) -> str:
    """``(415) 555-0100 ext. 12``: a number as shown, with its extension if any."""
    return f"{number} ext. {extension}" if extension else number


def phones_of(db: Database, contact_id: int) -> tuple[ContactPhone, ...]:
    """Every phone of the contact in dial order (empty for an unknown contact)."""
    # A contact stored before it had phones of its own (schema 6) has only its one.
    rows = db.query(
        """SELECT p.e164, p.raw, p.kind, p.extension, p.number_type, p.rank, p.bad,
                  EXISTS (SELECT 1 FROM dnc_numbers d WHERE d.phone = p.e164) AS on_dnc
           FROM contact_phones p WHERE p.contact_id = :id
           UNION ALL
           SELECT phone, phone_raw, 'work', phone_ext, phone_type, 0, phone_bad,
                  EXISTS (SELECT 1 FROM dnc_numbers d WHERE d.phone = c.phone)
           FROM contacts c WHERE c.id = :id
             AND NOT EXISTS (SELECT 1 FROM contact_phones p WHERE p.contact_id = :id)
           ORDER BY 6, 1""",
        {"id": contact_id},
    )
    return tuple(
        ContactPhone(
            e164=row["e164"],
            raw=row["raw"],
            kind=row["kind"],
            extension=row["extension"],
            number_type=row["number_type"],
            rank=row["rank"],
            bad=bool(row["bad"]),
            on_dnc_list=bool(row["on_dnc"]),
        )
        for row in rows
    )


def find_phone(phones: tuple[ContactPhone, ...], e164: str) -> ContactPhone | None:
    return next((phone for phone in phones if phone.e164 == e164), None)


def next_offered(phones: tuple[ContactPhone, ...], current: str) -> ContactPhone | None:
    """The number after ``current`` in dial order that may be dialled, wrapping round;
    None when there is no other."""
    at = next((i for i, phone in enumerate(phones) if phone.e164 == current), -1)
    following = phones[at + 1 :] + phones[: at + 1]
    return next((p for p in following if p.offered and p.e164 != current), None)


def require_phone(db: Database, contact_id: int, e164: str) -> ContactPhone:
    """The contact's phone ``e164``, refused unless it may be dialled.

    Raises:
        NotFoundError: no such contact.
        ProspectorError: the contact has no such number, or it is bad or on the DNC list.
    """
    phones = phones_of(db, contact_id)
    if not phones:
        raise NotFoundError(f"no contact with id {contact_id}")
    phone = find_phone(phones, e164)
    if phone is None:
        known = ", ".join(p.e164 for p in phones)
        raise ProspectorError(f"contact {contact_id} has no phone {e164} (its phones: {known})")
    if phone.bad:
        raise ProspectorError(f"contact {contact_id}: {e164} is marked as a wrong number")
    if phone.on_dnc_list:
        raise ProspectorError(f"contact {contact_id}: {e164} is on the do-not-call list")
    return phone


def switch_phone(
    db: Database,
    contact_id: int,
    e164: str,
    *,
    rep: str,
    now: datetime,
    current: str | None = None,
) -> ContactPhone:
    """Switch the call about to be made from ``current`` (default: the dialled number)
    to ``e164``; audited, not stored.

    Nothing about the contact changes: the caller keeps the number for the call it
    logs next (see the module's docstring).

    Raises:
        NotFoundError: no such contact.
        ClaimError: another rep holds the contact with a live lease.
        ProspectorError: the contact has no such number, or it may not be dialled.
    """
    with db.write():
        holder = db.one(
            "SELECT id, phone, claimed_by, claim_expires_at FROM contacts WHERE id = ?",
            (contact_id,),
        )
        if holder is None:
            raise NotFoundError(f"no contact with id {contact_id}")
        refuse_if_held_by_other(holder, rep, now.astimezone(UTC))
        phone = require_phone(db, contact_id, e164)
        audit_switch(db, contact_id, current or holder["phone"], phone, rep=rep, now=now)
    return phone


def audit_switch(
    db: Database, contact_id: int, current: str, phone: ContactPhone, *, rep: str, now: datetime
) -> None:
    """Write a switch from ``current`` to ``phone`` to the audit log (inside the
    caller's transaction); nothing when they are the same number."""
    if phone.e164 != current:
        db.execute(
            "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
            (
                to_db(now.astimezone(UTC)),
                rep,
                SWITCH_ACTION,
                f"contact:{contact_id}",
                f"from {current} to {phone.e164} ({phone.kind})",
            ),
        )


def mark_bad(db: Database, contact_id: int, e164: str) -> ContactPhone | None:
    """Mark ``e164`` a wrong number; returns the dialled phone now (None: none is left).

    Call inside the caller's write transaction. A contact without phone rows has
    only the one number: none is left.
    """
    marked = db.execute(
        "UPDATE contact_phones SET bad = 1 WHERE contact_id = ? AND e164 = ?", (contact_id, e164)
    ).rowcount
    return _copy_dialled(db, contact_id) if marked else None


def make_dialled(db: Database, contact_id: int, e164: str) -> None:
    """Make ``e164`` the contact's dialled number from now on (first in dial order).

    Call inside the caller's write transaction.
    """
    db.execute(
        """UPDATE contact_phones SET rank = CASE WHEN e164 = :e164 THEN 0 ELSE rank + 1 END
           WHERE contact_id = :id""",
        {"id": contact_id, "e164": e164},
    )
    _copy_dialled(db, contact_id)


def _copy_dialled(db: Database, contact_id: int) -> ContactPhone | None:
    """Copy the first good phone by rank into ``contacts``; None (nothing copied) if none."""
    phones = [p for p in phones_of(db, contact_id) if not p.bad]
    if not phones:
        return None
    dialled = phones[0]
    db.execute(
        """UPDATE contacts SET phone = ?, phone_raw = ?, phone_ext = ?, phone_type = ?,
               phone_bad = 0 WHERE id = ?""",
        (dialled.e164, dialled.raw, dialled.extension, dialled.number_type, contact_id),
    )
    return dialled
