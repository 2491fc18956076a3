"""The PostgreSQL connection answers services as sqlite3 does (foundations/pg.py)."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from prospector.foundations.db import Database, open_database, without_password
from prospector.foundations.errors import DatabaseError
from prospector.foundations.pg import translate


@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        ("SELECT ? , ?", "SELECT %s , %s"),
        ("WHERE a = :rep AND b = :rep_2", "WHERE a = %(rep)s AND b = %(rep_2)s"),
        ("SELECT x::bigint", "SELECT x::bigint"),
        ("WHERE name LIKE '%a?b:c%'", "WHERE name LIKE '%%a?b:c%%'"),
        ("SELECT 7 % 2", "SELECT 7 %% 2"),
        ('SELECT "odd?name"', 'SELECT "odd?name"'),
        ("SELECT 1 -- what? :x 5%\n, ?", "SELECT 1 -- what? :x 5%%\n, %s"),
        ("SELECT 'it''s ?'", "SELECT 'it''s ?'"),
    ],
)
def test_parameters_are_rewritten_outside_literals_and_comments(sqlite, postgres):
    assert translate(sqlite) == postgres


@pytest.fixture
def pg(pg_url):
    with open_database(pg_url) as db:
        yield db


def test_rows_read_as_sqlite_gives_them(pg: Database):
    row = pg.one(
        "SELECT 1 AS Count, 'a%b' AS text, sum(x) AS total, avg(x) AS mean, 2 > 1 AS yes,"
        " :p AS p FROM (VALUES (1), (2)) AS v (x)",
        {"p": "z"},
    )
    assert row["count"] == row["COUNT"] == row[0] == 1
    assert row["text"] == "a%b"
    assert (row["total"], type(row["total"])) == (3, int)  # numeric sum, as SQLite's int
    assert row["mean"] == 1.5
    assert (row["yes"], type(row["yes"])) == (1, int)  # a comparison is 0/1, as in SQLite
    assert dict(zip(row.keys(), row, strict=True))["p"] == "z"
    with pytest.raises(IndexError):
        row["missing"]


def test_integrity_errors_are_sqlites(pg: Database):
    with pg.write():
        pg.execute("INSERT INTO reps (name, created_at) VALUES ('ann', 'x')")
    with pytest.raises(sqlite3.IntegrityError), pg.write():
        pg.execute("INSERT INTO reps (name, created_at) VALUES ('ann', 'y')")
    assert pg.query("SELECT name, created_at FROM reps") == [("ann", "x")]


def test_one_writer_at_a_time_as_with_sqlite(pg_url):
    """A second writer waits for the first to commit, then sees its write."""
    first, second = open_database(pg_url), open_database(pg_url)
    seen: list[int] = []
    entered = threading.Event()

    def other_writer():
        entered.set()
        with second.write():
            seen.append(second.one("SELECT count(*) FROM reps")[0])

    try:
        with first.write():
            first.execute("INSERT INTO reps (name, created_at) VALUES ('ann', 'x')")
            thread = threading.Thread(target=other_writer)
            thread.start()
            entered.wait()
            time.sleep(0.3)
            assert seen == []  # still waiting for the lock
        thread.join(5)
        assert seen == [1]
    finally:
        first.close()
        second.close()


def test_a_lost_server_is_one_line_not_a_traceback(pg: Database, pg_cluster):
    import psycopg

    pid = pg.one("SELECT pg_backend_pid()")[0]
    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(DatabaseError, match="cannot be reached"):
        pg.one("SELECT 1")


def test_a_server_lost_inside_a_write_is_one_line_too(pg: Database, pg_cluster):
    import psycopg

    pid = pg.one("SELECT pg_backend_pid()")[0]
    with pytest.raises(DatabaseError, match="cannot be reached"), pg.write():
        pg.execute("INSERT INTO reps (name, created_at) VALUES ('ann', '2026-11-23T15:00:00Z')")
        with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        pg.one("SELECT 1")


def test_a_refused_connection_never_shows_the_password(pg_cluster):
    url = f"postgresql://nobody:s3cret@/nowhere?host={pg_cluster.root}&password=s3cret"
    with pytest.raises(DatabaseError) as refused:
        open_database(url)
    message = str(refused.value)
    assert "s3cret" not in message
    assert "cannot connect" in message
    assert "\n" not in message


def test_passwords_are_masked_in_urls():
    assert (
        without_password("postgresql://bob:pw@db.example/team?sslmode=require&password=pw2")
        == "postgresql://bob:***@db.example/team?sslmode=require&password=***"
    )
    assert without_password("postgresql://bob@/team?host=/tmp/x") == (
        "postgresql://bob@/team?host=/tmp/x"
    )


def test_next_skips_a_row_someone_else_holds_locked(pg_url):
    """FOR UPDATE SKIP LOCKED: a row another session locked is passed over, not waited for."""
    from prospector.services.claims import claim_next
    from tests.conftest import MONDAY_10_ET
    from tests.factories import add_contact

    with open_database(pg_url) as db, open_database(pg_url) as other:
        first = add_contact(db, now=MONDAY_10_ET, source="inbound", employees=500)
        second = add_contact(db, now=MONDAY_10_ET)
        other.conn.execute("BEGIN")
        other.one("SELECT id FROM contacts WHERE id = ? FOR UPDATE", (first,))
        started = time.perf_counter()
        claimed = claim_next(db, rep="alice", now=MONDAY_10_ET)
        assert claimed is not None and claimed.contact_id == second
        assert time.perf_counter() - started < 5
        other.conn.rollback()
        assert claim_next(db, rep="bob", now=MONDAY_10_ET).contact_id == first
