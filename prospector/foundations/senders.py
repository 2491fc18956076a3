"""Whether the process sending a webhook batch is still at it, on either backend.

A webhook batch records the process sending it (``export_batches.sending_pid``)
until it is done; another export leaves that batch's handoffs alone while the
sender lives, and takes them when it has died (killed, machine restarted).

* SQLite: every process using the file is on this machine (WAL needs shared
  memory), so the stored pid says it: ``kill(pid, 0)``.
* PostgreSQL: a sender may run on any rep's machine, where a pid means nothing
  here. The sender holds a session advisory lock keyed by its batch while it
  sends; the server drops it the moment the sender's connection goes (the process
  killed, its machine lost), so "alive" is "the lock is held".
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from prospector.foundations.dialect import SQLITE

if TYPE_CHECKING:
    from prospector.foundations.db import Database

SENDER_LOCK = 0x50525353  # "PRSS": advisory locks (SENDER_LOCK, batch) held by senders


def hold(db: Database, batch_id: int) -> None:
    """Mark this connection as the sender of ``batch_id`` (call inside the ``db.write()``
    that creates the batch, so no other export sees the batch without its holder)."""
    if db.dialect is not SQLITE:
        db.execute("SELECT pg_try_advisory_lock(?, ?)", (SENDER_LOCK, batch_id))


def release(db: Database, batch_id: int) -> None:
    """This connection no longer sends ``batch_id``."""
    if db.dialect is not SQLITE:
        db.execute("SELECT pg_advisory_unlock(?, ?)", (SENDER_LOCK, batch_id))


def alive(db: Database, senders: Iterable[tuple[int, int]]) -> list[int]:
    """Of ``(batch_id, sending_pid)`` pairs, the batches whose sender still lives."""
    senders = list(senders)
    if not senders:
        return []
    if db.dialect is SQLITE:
        return [batch for batch, pid in senders if _process_alive(pid)]
    held = {
        row[0]
        for row in db.query(
            """SELECT objid::bigint FROM pg_locks
               WHERE locktype = 'advisory' AND granted AND objsubid = 2
                 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                 AND classid::bigint = ?""",
            (SENDER_LOCK,),
        )
    }
    return [batch for batch, _ in senders if batch in held]


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
