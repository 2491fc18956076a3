"""Numbered export batches and their items (payload snapshots).

A batch row says what was asked (format, target, who, when, whether it re-sent);
each item keeps the exact payload text the batch carried, so a batch can be
written again later byte for byte, whatever has happened to the handoffs since
(less those whose contact has become DNC: :mod:`.left_out`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from prospector.foundations import senders
from prospector.foundations.clock import from_db, to_db
from prospector.foundations.db import Database
from prospector.foundations.errors import NotFoundError


@dataclass(frozen=True)
class Batch:
    id: int
    format: str
    target: str | None
    created_at: datetime
    created_by: str | None
    resend: bool
    items: int
    delivered: int


def create_batch(
    db: Database,
    *,
    format: str,
    target: str | None,
    now: datetime,
    actor: str,
    resend: bool,
    items: list[tuple[int, str]],
    sending_pid: int | None = None,
) -> int:
    """Insert a batch and its items ``(handoff_id, payload text)``; returns its number.

    ``sending_pid``: the process that will send it (webhooks), until
    :func:`finish_sending`. Call inside ``db.write()``.
    """
    # The number is the next after the highest, as SQLite's rowid gives it: a batch
    # rolled back (a killed export) leaves no gap. A PostgreSQL sequence would, and
    # the number is a rep's (file names, ``export --batch N``). The write lock makes
    # max() + 1 safe.
    batch_id = db.insert(
        """INSERT INTO export_batches (id, format, target, created_at, created_by, resend,
               sending_pid)
           VALUES ((SELECT coalesce(max(id), 0) + 1 FROM export_batches), ?, ?, ?, ?, ?, ?)""",
        (format, target, to_db(now), actor, int(resend), sending_pid),
    )
    db.conn.executemany(
        "INSERT INTO export_items (batch_id, handoff_id, payload) VALUES (?, ?, ?)",
        [(batch_id, handoff_id, text) for handoff_id, text in items],
    )
    return batch_id


def mark_exported(db: Database, batch_id: int, handoff_ids: list[int], now: datetime) -> None:
    """Record items as delivered and their handoffs as exported by this batch.

    Handoffs already past *pending* (a re-send) keep their status. Call inside
    ``db.write()``.
    """
    stamp = to_db(now)
    db.conn.executemany(
        "UPDATE export_items SET delivered = 1, error = NULL WHERE batch_id = ? AND handoff_id = ?",
        [(batch_id, handoff_id) for handoff_id in handoff_ids],
    )
    db.conn.executemany(
        """UPDATE handoffs SET batch_id = ?, exported_at = ?, updated_at = ?,
               status = CASE status WHEN 'pending' THEN 'exported' ELSE status END
           WHERE id = ?""",
        [(batch_id, stamp, stamp, handoff_id) for handoff_id in handoff_ids],
    )


def finish_sending(db: Database, batch_id: int) -> None:
    """The batch's sender is done (or gave up). Call inside ``db.write()``."""
    db.execute("UPDATE export_batches SET sending_pid = NULL WHERE id = ?", (batch_id,))


@dataclass(frozen=True)
class InFlight:
    """Handoffs a live sender still has to deliver, and the batches sending them."""

    handoff_ids: frozenset[int]
    batches: tuple[int, ...]


def in_flight(db: Database) -> InFlight:
    """Unanswered items of batches whose sending process is still alive.

    A sender that died (killed, machine restarted) holds nothing: its pending
    handoffs go out with the next export, under the same idempotency keys. Who is
    alive is :mod:`prospector.foundations.senders`' to say (a pid on SQLite, the
    sender's session on PostgreSQL, where senders may be on other machines).
    """
    live = senders.alive(
        db,
        (
            (row["id"], row["sending_pid"])
            for row in db.query(
                "SELECT id, sending_pid FROM export_batches"
                " WHERE sending_pid IS NOT NULL ORDER BY id"
            )
        ),
    )
    if not live:
        return InFlight(frozenset(), ())
    marks = ",".join("?" for _ in live)
    rows = db.query(
        f"""SELECT handoff_id FROM export_items
            WHERE batch_id IN ({marks}) AND delivered = 0 AND error IS NULL""",
        tuple(live),
    )
    return InFlight(frozenset(row[0] for row in rows), tuple(live))


def record_failure(db: Database, batch_id: int, handoff_id: int, error: str) -> None:
    """Keep why an item was not delivered. Call inside ``db.write()``."""
    db.execute(
        "UPDATE export_items SET error = ? WHERE batch_id = ? AND handoff_id = ?",
        (error, batch_id, handoff_id),
    )


def get_batch(db: Database, batch_id: int) -> Batch:
    """The batch with this number. Raises NotFoundError."""
    row = db.one(
        """SELECT b.*, count(i.handoff_id) AS items, coalesce(sum(i.delivered), 0) AS delivered
           FROM export_batches b LEFT JOIN export_items i ON i.batch_id = b.id
           WHERE b.id = ? GROUP BY b.id""",
        (batch_id,),
    )
    if row is None:
        raise NotFoundError(f"no export batch {batch_id}")
    return Batch(
        id=row["id"],
        format=row["format"],
        target=row["target"],
        created_at=from_db(row["created_at"]),
        created_by=row["created_by"],
        resend=bool(row["resend"]),
        items=row["items"],
        delivered=row["delivered"],
    )


def batch_items(db: Database, batch_id: int) -> list[tuple[int, str]]:
    """``(handoff_id, payload text)`` of a batch, in handoff order."""
    return [
        (row["handoff_id"], row["payload"])
        for row in db.query(
            "SELECT handoff_id, payload FROM export_items WHERE batch_id = ? ORDER BY handoff_id",
            (batch_id,),
        )
    ]


def first_payloads(db: Database, handoff_ids: list[int]) -> dict[int, str]:
    """The payload text each handoff had in the first batch that held it (if any).

    A webhook sends this, not a payload rebuilt since: the receiver saw that body
    under the handoff's webhook id, and an id must always mean the same body.
    """
    if not handoff_ids:
        return {}
    rows = db.query(
        f"""SELECT i.handoff_id, i.payload FROM export_items i
            WHERE i.handoff_id IN {db.dialect.ints_in("?")}
              AND i.batch_id = (SELECT min(j.batch_id) FROM export_items j
                                WHERE j.handoff_id = i.handoff_id)""",
        (json.dumps(handoff_ids),),
    )
    return {row[0]: row[1] for row in rows}
