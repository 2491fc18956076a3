"""Migrations stay numbered alike on both backends."""

from __future__ import annotations

from prospector.foundations.migrations import MIGRATIONS, postgresql


def test_the_postgresql_baseline_is_a_sqlite_schema_version():
    # A migration added after the baseline runs on PostgreSQL too (pg._upgrade_steps):
    # it must be written for both, never for SQLite alone.
    assert 1 <= postgresql.BASELINE <= len(MIGRATIONS)


def test_a_fresh_postgresql_database_is_at_the_latest_schema(pg_url):
    from prospector.foundations.db import open_database, schema_version

    with open_database(pg_url) as db:
        assert schema_version(db) == len(MIGRATIONS)
        assert db.dialect.name == "postgresql"
