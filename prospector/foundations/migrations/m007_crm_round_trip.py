"""Schema 7: the handoff round trip (issue 13).

``prospector_meta`` holds facts about the database itself. ``database_id`` is a
short random id made once, when the schema is created or upgraded to 7: every
external id Prospector hands a CRM (accounts, contacts, handoffs, webhook ids)
carries it, so a second database, or this one re-created, never upserts over the
records the first one sent.

A handoff keeps the CRM's latest answer beside its own status: ``crm_status``
is what that answer means (``open``, ``accepted``, ``rejected``, ``won`` or
``lost``), ``crm_stage`` the CRM's own word for it (a lead status or a deal
stage), with the amount and close date the CRM reported. ``handoff_answers``
keeps every answer recorded, oldest first, with the file it came from.
"""

from __future__ import annotations

import sqlite3
import uuid

SQL = """
CREATE TABLE prospector_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
ALTER TABLE handoffs ADD COLUMN crm_status TEXT
    CHECK (crm_status IN ('open', 'accepted', 'rejected', 'won', 'lost'));
ALTER TABLE handoffs ADD COLUMN crm_stage TEXT;
ALTER TABLE handoffs ADD COLUMN crm_amount_cents INTEGER;
ALTER TABLE handoffs ADD COLUMN crm_close_date TEXT;
ALTER TABLE handoffs ADD COLUMN crm_answered_at TEXT;
CREATE TABLE handoff_answers (
    id INTEGER PRIMARY KEY,
    handoff_id INTEGER NOT NULL REFERENCES handoffs (id),
    answered_at TEXT NOT NULL,
    file TEXT,
    crm_status TEXT NOT NULL
        CHECK (crm_status IN ('open', 'accepted', 'rejected', 'won', 'lost')),
    crm_stage TEXT,
    amount_cents INTEGER,
    close_date TEXT,
    reason TEXT
);
CREATE INDEX handoff_answers_by_handoff ON handoff_answers (handoff_id, id);
"""


def new_database_id() -> str:
    """Twelve lowercase hex digits: short enough for an external id, 48 random bits."""
    return uuid.uuid4().hex[:12]


def migrate(conn: sqlite3.Connection) -> None:
    from prospector.foundations.migrations import run_statements

    run_statements(conn, SQL)
    conn.execute(
        "INSERT INTO prospector_meta (key, value) VALUES ('database_id', ?)",
        (new_database_id(),),
    )
