"""The suite's throwaway PostgreSQL cluster (issue 14's groundwork): it starts, serves a
fresh database per test over its socket, and hands out claims the way ``next`` will."""

from __future__ import annotations

import psycopg
from psycopg.conninfo import conninfo_to_dict


def test_a_fresh_postgresql_15_or_newer_database(pg_url):
    with psycopg.connect(pg_url) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()[0]
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    assert int(version) >= 150000
    assert tables == 0
    assert "host=/tmp/pgt." in pg_url  # a socket in its own directory: no TCP port


def test_two_sessions_skip_each_others_locked_row(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as setup:
        setup.execute("CREATE TABLE queue (id int PRIMARY KEY, claimed_by text)")
        setup.execute("INSERT INTO queue SELECT n, NULL FROM generate_series(1, 3) n")
    claim = """SELECT id FROM queue WHERE claimed_by IS NULL ORDER BY id
               LIMIT 1 FOR UPDATE SKIP LOCKED"""
    with psycopg.connect(pg_url) as ann, psycopg.connect(pg_url) as ben:
        first = ann.execute(claim).fetchone()[0]
        second = ben.execute(claim).fetchone()[0]
    assert (first, second) == (1, 2)


def test_each_test_gets_its_own_database(pg_cluster, pg_url):
    name = conninfo_to_dict(pg_url)["dbname"]
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        names = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
    assert name in names
