"""Claims (DESIGN §4.6): a rep holds a contact for a lease while calling it.

Every change happens inside ``db.write()``. On SQLite (``BEGIN IMMEDIATE``) the queue
is read and the claim written under the file's write lock; on PostgreSQL ``next``
claims side by side with other reps, with one conditional UPDATE of a row locked for
it. Either way two reps — in two processes — can never hold the same contact. A
lease that runs out returns the contact to the queue;
logging a call releases it (:func:`prospector.services.calls.log_call`).

A claim whose dial was started (:func:`mark_dialed`) but never given a disposition
is lane 0 of its rep's queue: ``next`` hands it back to the same rep first, marked
as such, so the call is not forgotten. :func:`undispositioned_claims` lists them
regardless of windows (the workbench asks for them when the rep comes back).

Beside ``next``, the workbench claims a contact found by search (:func:`claim_contact`)
and skips one (:func:`skip_contact`), under the same rules: one write transaction,
never two reps on one contact, never a DNC number, never outside the window.

With ``calling.account_lock`` a claim holds the contact's whole account: the queue
skips contacts of an account another rep holds and :func:`claim_contact` refuses
them. Row locks alone cannot keep two reps off two contacts of one account, so
with the lock on ``next`` takes the write lock too; without it, ``next`` runs the
very statements it always did.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from prospector.foundations.clock import from_db, to_db
from prospector.foundations.db import Database
from prospector.foundations.errors import ClaimError, NotFoundError
from prospector.services import rep_states
from prospector.services.accounts import account_holder
from prospector.services.forecast import refill
from prospector.services.queue import (
    ITEM_RETURNING,
    LANE_FOLLOW_UP,
    LANE_NEW,
    LANE_UNDISPOSITIONED,
    STILL_OFFERED,
    Probe,
    QueueItem,
    humanize,
    item_from_row,
    item_of,
    load_items,
    not_held,
    probe,
    queue_ids,
)
from prospector.services.recycling import bring_back, return_due
from prospector.services.settings import Settings
from prospector.services.windows import (
    Locale,
    current_settings,
    is_open,
    load_contact,
    next_open,
)


def record_rep(db: Database, rep: str, now: datetime) -> None:
    """Add the rep to ``reps`` on first use (call inside a write transaction)."""
    db.execute(
        "INSERT INTO reps (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (rep, to_db(now)),
    )


def _require_own_claim(db: Database, contact_id: int, rep: str, now: datetime) -> None:
    row = _holder(db, contact_id)
    if row["claimed_by"] != rep:
        refuse_if_held_by_other(row, rep, now)
        raise ClaimError(f"contact {contact_id} is not claimed by {rep}; use 'next' first")


def _holder(db: Database, contact_id: int):
    row = db.one(
        "SELECT id, claimed_by, claim_expires_at, dialed_at FROM contacts WHERE id = ?",
        (contact_id,),
    )
    if row is None:
        raise NotFoundError(f"no contact with id {contact_id}")
    return row


def held_by_other(row, rep: str, now: datetime) -> str | None:
    """The other rep holding this contact with a live lease, else None."""
    holder = row["claimed_by"]
    if holder is None or holder == rep:
        return None
    if row["claim_expires_at"] and from_db(row["claim_expires_at"]) <= now:
        return None
    return holder


def refuse_if_held_by_other(row, rep: str, now: datetime) -> None:
    """Raise :class:`ClaimError` when another rep holds the contact with a live lease."""
    other = held_by_other(row, rep, now)
    if other is not None:
        # How long, not until when: the rep reading it may be in any zone.
        left = humanize(max(from_db(row["claim_expires_at"]) - now, timedelta(minutes=1)))
        raise ClaimError(f"contact {row['id']} is claimed by {other} (lease ends in {left})")


def claim_next(
    db: Database, *, rep: str, now: datetime, settings: Settings | None = None
) -> QueueItem | None:
    """Atomically claim the top of the rep's queue for a lease; None when nothing is callable.

    Recycled contacts and skipped leads that are due come back first. The rep's
    earlier claims that were never dialed are let go first (``next`` moves on;
    the same contact comes back if it is still the top). A dialed, undispositioned
    claim is the top of the queue (lane 0) and is handed back, keeping its dial time.

    At the empty desk (nothing to offer) the standby lists get their refill check
    (:func:`.forecast.refill`), and the queue is asked again when one opened.
    """
    now = now.astimezone(UTC)
    item = _claim_top(db, rep=rep, now=now, settings=settings)
    if item is None and refill(db, now=now, actor=rep, settings=settings):
        item = _claim_top(db, rep=rep, now=now, settings=settings)
    return item


def _claim_top(
    db: Database, *, rep: str, now: datetime, settings: Settings | None
) -> QueueItem | None:
    # Reps claim side by side: the claim is one conditional UPDATE of a row locked
    # (or skipped) for it, so two can never hold one contact; only bringing back
    # what is due takes the write lock, before any row is locked.
    with db.write(serial=False):
        # On a server each statement is a round trip: one probe reads the settings'
        # version and says which of the rarely needed steps and lanes to skip.
        probed = probe(db, rep=rep, now=now)
        settings = settings or current_settings(db, version=probed.settings_version)
        if settings.calling.account_lock:
            # Row locks cannot stop two reps claiming two contacts of one account at
            # once: with the lock on, claims take the write lock, one at a time.
            db.serialize()
        lease = to_db(now + timedelta(minutes=settings.calling.lease_minutes))
        bring_back(db, now=now, recycle=probed.recycle_due, deferred=probed.deferred_due)
        if not probed.rep_known:
            record_rep(db, rep, now)
        if not rep_states.heard_lately(probed.state, probed.seen_at, now, settings):
            rep_states.refuse_if_paused(db, rep, now, settings)
        if probed.held:
            db.execute(
                "UPDATE contacts SET claimed_by = NULL, claim_expires_at = NULL"
                " WHERE claimed_by = ? AND dialed_at IS NULL",
                (rep,),
            )
        top = _claim_first_free(db, rep, now, lease, settings, probed)
        if top is None:
            return None
        lane, row = top
        item = item_of(row, lane, now=now, settings=settings)
        if item is None:  # the queue offered it, so never; roll the claim back all the same
            raise ClaimError(f"contact {row['id']} could not be read back; try again")
    return item


LOCKED_TOPS = (1, 20, 200)
"""How far down the queue ``next`` looks, in turn, while the top rows are being
claimed by other reps at the same moment."""


def _claim_first_free(
    db: Database, rep: str, now: datetime, lease: str, settings: Settings, probed: Probe
) -> tuple[int, Any] | None:
    """Claim the queue's first contact whose row no other transaction holds, and return
    its lane and its row as claimed (:data:`.queue.ITEM_RETURNING`: the item comes
    back with the claim, in one round trip); None when the queue is empty.

    On PostgreSQL other reps claim at the same moment: a row another transaction
    holds is skipped (``FOR UPDATE SKIP LOCKED``), not waited for, and one claimed
    meanwhile fails the UPDATE's condition; either way the next one is tried.
    SQLite's file lock leaves the top always free.

    Raises:
        ClaimError: every one of the first rows is held by someone else right now.
    """
    tried: set[int] = set()
    for limit in LOCKED_TOPS:
        ids = queue_ids(db, rep=rep, now=now, limit=limit, settings=settings, probed=probed)
        if not ids:
            return None
        lanes = {contact_id: lane for lane, contact_id in ids if contact_id not in tried}
        tried.update(lanes)
        if not lanes:
            continue
        # The first free one of the candidates, in queue order, in one statement.
        claimed = db.one(
            f"""UPDATE contacts SET claimed_by = :rep, claim_expires_at = :lease,
                   dialed_at = CASE WHEN claimed_by = :rep THEN dialed_at END
               WHERE id = (SELECT c.id FROM {db.dialect.ids_in_order(":ids")} AS o
                           JOIN contacts c ON c.id = o.id
                           WHERE {not_held(settings)} AND {STILL_OFFERED}
                           ORDER BY o.pos LIMIT 1{db.dialect.skip_locked_of("c")})
               RETURNING {ITEM_RETURNING}""",
            {"rep": rep, "lease": lease, "ids": json.dumps(list(lanes)), "now": to_db(now)},
        )
        if claimed is not None:
            return lanes[claimed["id"]], claimed
    raise ClaimError("the contacts at the top of the queue are busy; try again")


def renew_claim(
    db: Database,
    contact_id: int,
    *,
    rep: str,
    now: datetime,
    settings: Settings | None = None,
) -> datetime:
    """Extend the rep's lease on a contact to ``now`` + the lease length; returns the new end.

    Raises:
        NotFoundError: no such contact.
        ClaimError: the rep does not hold it (never held, released, or taken after expiry).
    """
    settings = settings or current_settings(db)
    expires = now.astimezone(UTC) + timedelta(minutes=settings.calling.lease_minutes)
    with db.write():
        _require_own_claim(db, contact_id, rep, now)
        db.execute(
            "UPDATE contacts SET claim_expires_at = ? WHERE id = ?", (to_db(expires), contact_id)
        )
        rep_states.touch(db, rep, now)
    return expires


def release_claim(
    db: Database, contact_id: int, *, rep: str, reason: str = "released", now: datetime
) -> bool:
    """Give a contact back to the queue. Returns False when the rep did not hold it.

    Releasing a dialed claim without a disposition is recorded in the audit log
    (with ``reason``), since a dial is then never logged.

    Raises:
        NotFoundError: no such contact.
        ClaimError: another rep holds it with a live lease.
    """
    with db.write():
        row = _holder(db, contact_id)
        if row["claimed_by"] != rep:
            refuse_if_held_by_other(row, rep, now)
            return False
        db.execute(
            "UPDATE contacts SET claimed_by = NULL, claim_expires_at = NULL, dialed_at = NULL"
            " WHERE id = ?",
            (contact_id,),
        )
        if row["dialed_at"]:
            db.execute(
                "INSERT INTO audit_log (at, actor, action, subject, detail)"
                " VALUES (?, ?, 'claim.release_dialed', ?, ?)",
                (to_db(now), rep, f"contact:{contact_id}", reason),
            )
    return True


def mark_dialed(
    db: Database,
    contact_id: int,
    *,
    rep: str,
    now: datetime,
    settings: Settings | None = None,
) -> None:
    """Record that the rep started dialing a contact they hold (renewing the lease).

    Raises:
        NotFoundError: no such contact.
        ClaimError: the rep does not hold it.
    """
    settings = settings or current_settings(db)
    expires = now.astimezone(UTC) + timedelta(minutes=settings.calling.lease_minutes)
    with db.write():
        _require_own_claim(db, contact_id, rep, now)
        db.execute(
            "UPDATE contacts SET dialed_at = ?, claim_expires_at = ? WHERE id = ?",
            (to_db(now), to_db(expires), contact_id),
        )
        rep_states.enter(db, rep, rep_states.ON_CALL, now, contact_id=contact_id, settings=settings)


def undispositioned_claims(
    db: Database,
    *,
    rep: str,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> list[QueueItem]:
    """The rep's dialed-but-never-logged claims, oldest dial first, whatever the window.

    These are what the workbench asks the rep to disposition when they come back.
    """
    settings = settings or current_settings(db)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    ids = [
        (LANE_UNDISPOSITIONED, row["id"])
        for row in db.query(
            "SELECT id FROM contacts WHERE claimed_by = ? AND dialed_at IS NOT NULL"
            " ORDER BY dialed_at, id",
            (rep,),
        )
    ]
    return load_items(db, ids, now=now, settings=settings, check_window=False)


SKIP_DELAY = timedelta(minutes=30)
"""How long a skipped contact stays out of the queue (so ``next`` moves on)."""


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


def _refuse_account_held(db: Database, row, rep: str, now: datetime) -> None:
    held = account_holder(db, row["id"], rep=rep, now=now)
    if held is not None:
        holder, other = held
        company = row["company"] or "its account"
        raise ClaimError(
            f"contact {row['id']}: {company} is held by {holder} (calling contact {other});"
            " with calling.account_lock one rep at a time calls an account"
        )


def claim_contact(
    db: Database,
    contact_id: int,
    *,
    rep: str,
    now: datetime,
    settings: Settings | None = None,
    why: str = "opened from search",
) -> QueueItem:
    """Claim one chosen contact for the rep (a search hit), as ``next`` would claim it;
    ``why`` is the item's reason.

    The rep's other claims that were never dialed are let go, as with ``next``.

    Raises:
        NotFoundError: no such contact.
        ClaimError: another rep holds it (or, with ``calling.account_lock``, a contact
            of its account), or it may not be called now (DNC, closed, filtered, bad
            number, or outside its calling window).
    """
    settings = settings or current_settings(db)
    now = now.astimezone(UTC)
    lease = to_db(now + timedelta(minutes=settings.calling.lease_minutes))
    with db.write():
        return_due(db, now=now)  # a closed contact found by search may be due back
        row, locale = load_contact(db, contact_id)
        refuse_if_held_by_other(row, rep, now)
        if settings.calling.account_lock:
            _refuse_account_held(db, row, rep, now)
        _refuse_uncallable(row, locale, now, settings)
        record_rep(db, rep, now)
        rep_states.refuse_if_paused(db, rep, now, settings)
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
    return dataclasses.replace(item, reason=why, claimed_by=rep, claim_expires_at=from_db(lease))


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
        row, _ = load_contact(db, contact_id)
        if row["claimed_by"] != rep:
            refuse_if_held_by_other(row, rep, now)
            raise ClaimError(f"contact {contact_id} is not claimed by {rep}")
        if row["dialed_at"]:
            raise ClaimError(
                f"contact {contact_id} was dialed: log what happened instead of skipping it"
            )
        db.execute(
            f"""UPDATE contacts SET claimed_by = NULL, claim_expires_at = NULL, dialed_at = NULL,
                   next_call_at = {db.dialect.greatest("next_call_at", "CAST(:back AS TEXT)")},
                   deferred_until = CASE WHEN attempts = 0 AND callback_at IS NULL
                                         THEN :back END,
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
