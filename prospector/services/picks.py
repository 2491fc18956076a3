"""The workbench's claims beside ``next``: opening a contact found by search, and skipping.

Both keep the rules of :mod:`prospector.services.claims`: one write transaction,
never two reps on one contact, never a DNC number, never outside the window.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from prospector.foundations.clock import from_db, to_db
from prospector.foundations.db import Database
from prospector.foundations.errors import ClaimError, NotFoundError
from prospector.services.claims import record_rep, refuse_if_held_by_other
from prospector.services.queue import LANE_FOLLOW_UP, LANE_NEW, QueueItem, item_from_row
from prospector.services.settings import Settings
from prospector.services.windows import Locale, current_settings, is_open, next_open

SKIP_DELAY = timedelta(minutes=30)
"""How long a skipped contact stays out of the queue (so ``next`` moves on)."""


def _contact_row(db: Database, contact_id: int):
    row = db.one(
        """SELECT c.*, a.name AS company, l.zones, l.country AS locale_country,
                  l.state AS locale_state,
                  EXISTS (SELECT 1 FROM dnc_numbers d WHERE d.phone = c.phone) AS on_dnc_list
           FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id
           JOIN locales l ON l.id = c.locale_id WHERE c.id = ?""",
        (contact_id,),
    )
    if row is None:
        raise NotFoundError(f"no contact with id {contact_id}")
    locale = Locale(
        row["locale_id"], tuple(row["zones"].split()), row["locale_country"], row["locale_state"]
    )
    return row, locale


def _refuse_uncallable(row, locale: Locale, now: datetime, settings: Settings) -> None:
    who = f"contact {row['id']}"
    if row["dnc"] or row["on_dnc_list"]:
        raise ClaimError(f"{who} is on the do-not-call list")
    if row["status"] != "open":
        raise ClaimError(f"{who} is {row['status']} ({row['close_reason'] or 'not open'})")
    if row["filtered_by"]:
        raise ClaimError(f"{who} is filtered out by the fit rule {row['filtered_by']!r}")
    if row["phone_bad"]:
        raise ClaimError(f"{who} has a number marked bad")
    if not is_open(locale, now, settings):
        opens = next_open(locale, now, settings)
        when = f"; it opens {opens.astimezone(locale.primary_zone):%a %H:%M %Z}" if opens else ""
        raise ClaimError(f"{who} is outside its calling window now{when}")


def claim_contact(
    db: Database,
    contact_id: int,
    *,
    rep: str,
    now: datetime,
    settings: Settings | None = None,
) -> QueueItem:
    """Claim one chosen contact for the rep (a search hit), as ``next`` would claim it.

    The rep's other claims that were never dialed are let go, as with ``next``.

    Raises:
        NotFoundError: no such contact.
        ClaimError: another rep holds it, or it may not be called now (DNC, closed,
            filtered, bad number, or outside its calling window).
    """
    settings = settings or current_settings(db)
    now = now.astimezone(UTC)
    lease = to_db(now + timedelta(minutes=settings.calling.lease_minutes))
    with db.write():
        row, locale = _contact_row(db, contact_id)
        refuse_if_held_by_other(row, rep, now)
        _refuse_uncallable(row, locale, now, settings)
        record_rep(db, rep, now)
        db.execute(
            "UPDATE contacts SET claimed_by = NULL, claim_expires_at = NULL"
            " WHERE claimed_by = ? AND dialed_at IS NULL AND id <> ?",
            (rep, contact_id),
        )
        db.execute(
            """UPDATE contacts SET claimed_by = :rep, claim_expires_at = :lease,
                   dialed_at = CASE WHEN claimed_by = :rep THEN dialed_at END
               WHERE id = :id""",
            {"rep": rep, "lease": lease, "id": contact_id},
        )
    lane = LANE_NEW if row["attempts"] == 0 else LANE_FOLLOW_UP
    item = item_from_row(row, lane, locale, now=now, settings=settings)
    return dataclasses.replace(
        item, reason="opened from search", claimed_by=rep, claim_expires_at=from_db(lease)
    )


def skip_contact(
    db: Database,
    contact_id: int,
    *,
    rep: str,
    reason: str,
    now: datetime,
    delay: timedelta = SKIP_DELAY,
) -> datetime:
    """Give a held contact back and keep it out of the queue for ``delay``.

    Without the delay, ``next`` would hand the same contact straight back. A due
    callback stays a callback (and stays the rep's), only later. The reason goes
    to the audit log. Returns when the contact is due again.

    Raises:
        NotFoundError: no such contact.
        ClaimError: the rep does not hold it, or has dialed it (a dial needs an outcome).
    """
    now = now.astimezone(UTC)
    back = to_db(now + delay)
    with db.write():
        row, _ = _contact_row(db, contact_id)
        if row["claimed_by"] != rep:
            refuse_if_held_by_other(row, rep, now)
            raise ClaimError(f"contact {contact_id} is not claimed by {rep}")
        if row["dialed_at"]:
            raise ClaimError(
                f"contact {contact_id} was dialed: log what happened instead of skipping it"
            )
        db.execute(
            """UPDATE contacts SET claimed_by = NULL, claim_expires_at = NULL, dialed_at = NULL,
                   next_call_at = max(next_call_at, :back),
                   callback_at = CASE WHEN callback_at <= :now THEN :back ELSE callback_at END,
                   updated_at = :now
               WHERE id = :id""",
            {"back": back, "now": to_db(now), "id": contact_id},
        )
        db.execute(
            "INSERT INTO audit_log (at, actor, action, subject, detail)"
            " VALUES (?, ?, 'claim.skip', ?, ?)",
            (to_db(now), rep, f"contact:{contact_id}", reason),
        )
    return from_db(back)
