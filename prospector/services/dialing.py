"""Marking a dial from the shell or the desk, and what the dial command is given.

See :mod:`.dial_command` for the command itself.
"""

from __future__ import annotations

from datetime import datetime

from prospector.foundations.clock import from_db
from prospector.foundations.db import Database
from prospector.foundations.errors import NotFoundError
from prospector.services import claims, contact_phones
from prospector.services.dial_command import DialTarget
from prospector.services.settings import Settings
from prospector.services.windows import current_settings


def mark_and_target(
    db: Database,
    contact_id: int,
    *,
    rep: str,
    now: datetime,
    phone: str | None = None,
    settings: Settings | None = None,
) -> DialTarget:
    """Mark the dial of ``contact_id`` as started now and say what to dial.

    As ``log`` does, the rep must hold the contact or nobody may: a contact nobody
    holds is claimed first (refused, as a search hit is, when it may not be called now).

    Args:
        phone: the number to dial, one of the contact's (E.164); None: its dialled one.

    Raises:
        NotFoundError: no such contact.
        ClaimError: another rep holds it, or it may not be called now.
        ProspectorError: ``phone`` is not one of its good numbers.
    """
    settings = settings or current_settings(db)
    chosen = contact_phones.require_phone(db, contact_id, phone) if phone else None
    row = db.one(
        "SELECT id, claimed_by, claim_expires_at, phone, phone_ext FROM contacts WHERE id = ?",
        (contact_id,),
    )
    if row is None:
        raise NotFoundError(f"no contact with id {contact_id}")
    expired = row["claim_expires_at"] is not None and from_db(row["claim_expires_at"]) <= now
    if row["claimed_by"] != rep or expired:
        # Refused when another rep holds it with a live lease.
        claims.claim_contact(db, contact_id, rep=rep, now=now, settings=settings)
    claims.mark_dialed(db, contact_id, rep=rep, now=now, settings=settings)
    if chosen is not None:
        return DialTarget(contact_id, chosen.e164, chosen.extension, rep)
    return DialTarget(contact_id, row["phone"], row["phone_ext"], rep)
