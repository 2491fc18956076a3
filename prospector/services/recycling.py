"""Recycling (DESIGN §4.4): closed-for-now contacts come back when their time comes.

``log_call`` sets ``recycle_at`` when a contact is exhausted (the tier's ``recycle``)
or closed by a disposition with a ``recycle`` delay (``not_interested``: 90 days).
When that instant passes, the contact is reopened as a **follow-up** of a new cycle:

* status ``open``, due at ``recycle_at``, no callback, no claim;
* the tier's maximum attempts count anew (``cycle_attempts_base`` and
  ``cycle_conversations_base`` remember where the cycle began), while ``attempts``
  stays the total, so call history and attempt reports remain true;
* it is not a new lead: its first-touch SLA and first dial are history, so it never
  jumps ahead of fresh leads nor counts in speed-to-lead figures again;
* ``recycles`` counts the cycles and the audit log says who came back and why.

Never recycled, whatever ``recycle_at`` says: DNC contacts (flag, status, or any of
their numbers on the list), wrong numbers (every number marked bad) and qualified
contacts. Their stale ``recycle_at``
is cleared so that they are not looked at again.

Skipped new leads come back the same way: a skip sets ``deferred_until``, which
keeps the lead out of the new-lead index (the lane would otherwise read past it on
every ``next``) until that instant has passed.

Nothing runs in the background: the queue (``next`` and ``queue``) calls
:func:`return_due` first (or asks as ``next`` does, in the statement that looks at
the rep's claims and callbacks), which costs two index seeks when nothing is due.
"""

from __future__ import annotations

from datetime import UTC, datetime

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database

RECYCLABLE = """recycle_at IS NOT NULL AND recycle_at <= :now
    AND status IN ('exhausted', 'closed') AND dnc = 0 AND phone_bad = 0
    AND coalesce(close_reason, '') <> 'wrong number'
    AND NOT EXISTS (SELECT 1 FROM dnc_numbers d WHERE d.phone = contacts.phone)
    AND coalesce((SELECT min(p.bad) FROM contact_phones p WHERE p.contact_id = contacts.id), 0) = 0
    AND NOT EXISTS (SELECT 1 FROM contact_phones p JOIN dnc_numbers d ON d.phone = p.e164
                    WHERE p.contact_id = contacts.id)"""


# True when something is due: the earliest instant, one seek at the start of the
# partial index ("IS NOT NULL" names its predicate), compared with :now outside it. A
# plan made for any :now (a desk's step on PostgreSQL plans once) must not depend on
# it: "EXISTS (... recycle_at <= $1)" was planned as a scan of every contact, which
# finds a due row at once if many are waiting, and reads them all if none is due yet.
RECYCLE_DUE = "(SELECT min(recycle_at) FROM contacts WHERE recycle_at IS NOT NULL) <= :now"
DEFERRED_DUE = "(SELECT min(deferred_until) FROM contacts WHERE deferred_until IS NOT NULL) <= :now"


def return_due(db: Database, *, now: datetime) -> None:
    """Bring back what is due before the queue is read: recycled contacts and skipped leads.

    Joins the caller's write transaction when there is one, else takes its own
    only when something is due.
    """
    stamp = to_db(now.astimezone(UTC))
    recycle, deferred = db.execute(
        f"SELECT {RECYCLE_DUE}, {DEFERRED_DUE}", {"now": stamp}
    ).fetchone()
    bring_back(db, now=now, recycle=bool(recycle), deferred=bool(deferred))


def bring_back(db: Database, *, now: datetime, recycle: bool, deferred: bool) -> None:
    """What :func:`return_due` does once it knows what is due (a caller that asked
    with :data:`RECYCLE_DUE` and :data:`DEFERRED_DUE` in a statement of its own)."""
    if not (recycle or deferred):
        return
    stamp = to_db(now.astimezone(UTC))
    with db.write_or_join():
        db.serialize()  # ``next`` claims on row locks; bringing back is one writer's work
        if recycle:
            _recycle(db, stamp, "system")
        if deferred:
            db.execute(
                "UPDATE contacts SET deferred_until = NULL"
                " WHERE deferred_until IS NOT NULL AND deferred_until <= ?",
                (stamp,),
            )


def recycle_due(db: Database, *, now: datetime, actor: str = "system") -> int:
    """Reopen every recyclable contact whose ``recycle_at`` is at or before ``now``.

    Returns how many were reopened. Works inside the caller's write transaction
    when there is one, else takes its own, and only when something is due, so a
    read-only caller pays one index seek.
    """
    stamp = to_db(now.astimezone(UTC))
    (due,) = db.execute(f"SELECT {RECYCLE_DUE}", {"now": stamp}).fetchone()
    if not due:
        return 0
    with db.write_or_join():
        return _recycle(db, stamp, actor)


def _recycle(db: Database, stamp: str, actor: str) -> int:
    params = {"now": stamp, "actor": actor}
    db.execute(
        f"""INSERT INTO audit_log (at, actor, action, subject, detail)
            SELECT :now, :actor, 'contact.recycle', 'contact:' || id,
                   status || coalesce(' (' || close_reason || ')', '')
                   || ' since ' || updated_at || '; cycle ' || (recycles + 2)
            FROM contacts WHERE {RECYCLABLE}""",
        params,
    )
    reopened = db.execute(
        f"""UPDATE contacts SET status = 'open', close_reason = NULL,
                next_call_at = recycle_at, recycle_at = NULL, recycles = recycles + 1,
                cycle_attempts_base = attempts, cycle_conversations_base = conversations,
                callback_at = NULL, callback_rep = NULL,
                claimed_by = NULL, claim_expires_at = NULL, dialed_at = NULL,
                updated_at = :now
            WHERE {RECYCLABLE}""",
        params,
    ).rowcount
    # What is left due can never come back (DNC, wrong number, qualified, reopened
    # by hand): forget the date so the next look is a single seek again.
    db.execute(
        "UPDATE contacts SET recycle_at = NULL WHERE recycle_at IS NOT NULL AND recycle_at <= :now",
        params,
    )
    return reopened
