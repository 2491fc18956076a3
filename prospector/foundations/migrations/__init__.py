"""Numbered schema migrations, applied in order on ``PRAGMA user_version``.

Migration N brings a file from ``user_version`` N-1 to N. They all run inside the
one transaction :func:`prospector.foundations.db.open_database` opens, so each is a
function of the connection that must not commit (``executescript`` would).

PostgreSQL databases start at :data:`postgresql.BASELINE` (schema 8, made whole by
:mod:`.postgresql`) and keep their version in ``prospector_meta``. Every migration
after the baseline runs on both backends: it gets ``db.conn`` of either kind and
writes SQL both accept (or asks ``prospector.foundations.dialect`` for what differs).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from prospector.foundations.dialect import of_connection
from prospector.foundations.migrations import (
    m001_initial,
    m002_callbacks_by_locale,
    m003_webhook_senders,
    m004_skipped_new_leads,
    m005_search_keys,
    m006_contact_phones,
    m007_crm_round_trip,
    m008_lead_sources,
    m009_working_speed,
    m010_intake_requests,
    m011_standby_lists,
    m012_call_events,
    m013_call_tags,
    m014_rep_states,
    m015_queue_ties_by_id,
)

Migration = Callable[[sqlite3.Connection], None]


def run_statements(conn: sqlite3.Connection, script: str) -> None:
    """Execute a multi-statement script without the implicit COMMIT of executescript."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement[:60]!r}")


def _sql(script: str) -> Migration:
    return lambda conn: run_statements(conn, script)


def _typed_sql(script: str) -> Migration:
    """A migration after PostgreSQL's baseline: ``{text}`` and ``{integer}`` columns in
    each backend's types."""
    return lambda conn: run_statements(conn, script.format(**of_connection(conn).column_types()))


MIGRATIONS: list[Migration] = [
    _sql(m001_initial.SQL),
    _sql(m002_callbacks_by_locale.SQL),
    _sql(m003_webhook_senders.SQL),
    _sql(m004_skipped_new_leads.SQL),
    m005_search_keys.migrate,
    _sql(m006_contact_phones.SQL),
    m007_crm_round_trip.migrate,
    _sql(m008_lead_sources.SQL),
    m009_working_speed.migrate,
    _typed_sql(m010_intake_requests.SQL),
    _typed_sql(m011_standby_lists.SQL),
    _typed_sql(m012_call_events.SQL),
    _typed_sql(m013_call_tags.SQL),
    _typed_sql(m014_rep_states.SQL),
    m015_queue_ties_by_id.migrate,
]
