"""Schema 15: on PostgreSQL the queue's lane indexes end with ``id``.

Each lane reads a locale's first rows in ``ORDER BY <lane's columns>, c.id``. A
SQLite index carries the rowid after its columns, so its walk is already in that
order and stops after ``LIMIT n`` rows. A PostgreSQL btree orders equal keys by
where the row lies on disk, so without ``id`` in the index every due row of the
locale had to be read and sorted (2-3 ms for ``next`` at a million contacts with a
few hundred callbacks due). Nothing changes on SQLite.
"""

from __future__ import annotations

from typing import Any

from prospector.foundations.dialect import of_connection

CALLABLE = "status = 'open' AND dnc = 0 AND filtered_by IS NULL AND phone_bad = 0"

INDEXES = {
    "contacts_queue_new": (
        "locale_id, sla_due_at, tier_priority, next_call_at, id",
        "attempts = 0 AND callback_at IS NULL AND deferred_until IS NULL AND standby_list IS NULL",
    ),
    "contacts_queue_followup": (
        "locale_id, tier_priority, next_call_at, id",
        "attempts > 0 AND callback_at IS NULL",
    ),
    "contacts_queue_callback": ("locale_id, callback_at, id", "callback_at IS NOT NULL"),
    "contacts_queue_my_callback": (
        "callback_rep, locale_id, callback_at, id",
        "callback_rep IS NOT NULL",
    ),
}


def migrate(conn: Any) -> None:
    if of_connection(conn).name == "sqlite":
        return
    for name, (columns, where) in INDEXES.items():
        conn.execute(f"DROP INDEX {name}")
        conn.execute(f"CREATE INDEX {name} ON contacts ({columns}) WHERE {CALLABLE} AND {where}")
