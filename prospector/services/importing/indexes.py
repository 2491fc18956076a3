"""Building the contacts' indexes (and their insert triggers) after a large load.

Each new contact costs an entry in four indexes (new-lead queue, email, phone,
account) at random places and in two report indexes (not dialed yet), each of its
phones one in an index by number, and a run of each lead-count trigger's program
(which does nothing for an import's rows: the writer counts them itself).
Over a large import into an (almost) empty table, that is a third of the writer's
time, while building an index once over the loaded rows is a sort (for a million
rows' phones: 1.3 s, against 5.5 s spent keeping the two number indexes on the
way). So a large import into a small table drops them first and creates them
again at its end.

The dropped definitions are kept in ``deferred_indexes`` in the transaction that
drops them, so an import that dies half-way (a kill, a power cut) leaves a
record: the next import (a resume, or any other) creates them again before it
starts. The writer itself never needs them: it finds contacts by id, and by phone
and email through its own maps (:class:`.matching.KnownNumbers`). Only imports
insert contacts and phones, and an import's rows carry their batch, which the
triggers skip: no contact goes uncounted while they are away. Other writers of
phones are imports too: the unique index on personal numbers, away meanwhile,
is a guard their maps keep (see ``KnownNumbers.catch_up``).
"""

from __future__ import annotations

from prospector.foundations.db import Database

INDEXES = (
    "contacts_by_email",
    "contacts_by_phone",
    "contacts_by_account",
    "contacts_queue_new",
    "contacts_awaiting_first_dial",
    "contacts_undialed_by_created",
)
"""The indexes every new contact enters at a random place, and the two report indexes
of leads not dialed yet. Those are keyed by tier and SLA deadline (after the arrival
instant, the same for a whole import): their few runs, one per deadline, grow in the
middle of the index, which cost an import 1.2 s of a million rows each to keep against
0.5 s to build. The SLA report, which names one, does without it meanwhile (see
``dialect.indexed_by``). The partial indexes a new lead stays out of (callbacks,
follow-ups, closed, claimed...) cost only a test per row: less than a scan of the
table each to build them again."""
TRIGGERS = ("lead_cohorts_insert", "lead_sources_insert")
PHONE_INDEXES = ("contact_phones_personal", "contact_phones_company")
DEFERRED = INDEXES + TRIGGERS + PHONE_INDEXES
DEFER_FROM_ROWS = 20_000
"""Smaller files are loaded with the indexes in place: the rebuild would cost more."""
DEFER_RATIO = 4
"""Defer only when the file has at least this many times the rows the table holds."""


def should_defer(existing: int, rows: int) -> bool:
    return rows >= DEFER_FROM_ROWS and existing * DEFER_RATIO <= rows


def defer(db: Database) -> None:
    """Drop the contacts' deferred indexes and trigger, remembering them.

    Call inside ``db.write()``.
    """
    found = db.dialect.schema_objects(db, "contacts", INDEXES + TRIGGERS)
    found += db.dialect.schema_objects(db, "contact_phones", PHONE_INDEXES)
    for kind, name, sql in found:
        db.execute(
            """INSERT INTO deferred_indexes (name, sql) VALUES (?, ?)
               ON CONFLICT (name) DO UPDATE SET sql = excluded.sql""",
            (name, sql),
        )
        db.dialect.drop_schema_object(db, kind, name)


def restore(db: Database) -> int:
    """Create every deferred index and trigger again; returns how many.

    Call inside ``db.write()``.
    """
    found = db.query("SELECT name, sql FROM deferred_indexes ORDER BY name")
    if not found:
        return 0
    with db.dialect.building_indexes(db):
        for name, sql in found:
            if not db.dialect.schema_object_exists(db, name):
                db.execute(sql)
            db.execute("DELETE FROM deferred_indexes WHERE name = ?", (name,))
    return len(found)
