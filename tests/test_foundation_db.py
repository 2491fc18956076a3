"""Opening, identifying, migrating and protecting the database file."""

from __future__ import annotations

import os
import sqlite3
import stat
import time

import pytest
from click.testing import CliRunner

from prospector.cli import cli
from prospector.foundations.db import database_id, open_database, schema_version
from prospector.foundations.errors import DatabaseError
from prospector.foundations.migrations import MIGRATIONS
from tests.backend import raw_execute, rows, set_schema_version


@pytest.mark.sqlite_only  # file mode, WAL and PRAGMAs: see the next test for both backends
def test_new_database_is_private_wal_and_current(db_path):
    db = open_database(db_path)
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    assert db.one("PRAGMA journal_mode")[0] == "wal"
    assert db.one("PRAGMA foreign_keys")[0] == 1
    assert db.one("PRAGMA user_version")[0] == len(MIGRATIONS)
    assert db.one("PRAGMA application_id")[0] == 0x50525350  # "PRSP"
    db.close()


def test_a_new_database_is_prospectors_and_current(db_path):
    open_database(db_path).close()
    with open_database(db_path, create=False) as db:
        assert schema_version(db) == len(MIGRATIONS)
        assert db.one("SELECT count(*) FROM contacts")[0] == 0


def test_a_foreign_database_is_refused_on_either_backend(db_path):
    """Another application's database (tables, and no Prospector identity)."""
    raw_execute(db_path, "CREATE TABLE things (x INTEGER)")
    with pytest.raises(DatabaseError, match="not a Prospector database"):
        open_database(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "init"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "not a Prospector database" in result.output


def test_reopening_keeps_data(db_path):
    with open_database(db_path) as db, db.write():
        db.execute("INSERT INTO reps (name, created_at) VALUES ('alice', '2026-11-23T15:00:00Z')")
    with open_database(db_path) as db:
        assert [r["name"] for r in db.query("SELECT name FROM reps")] == ["alice"]


def test_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="not a Prospector database"):
        open_database(path)


def test_text_file_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not a database\n" * 100)
    with pytest.raises(DatabaseError, match="not a Prospector database"):
        open_database(path)


@pytest.mark.sqlite_only  # schema 1 exists only as a SQLite file; PostgreSQL starts at 8
def test_older_schema_is_migrated_in_place(db_path):
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN")
    MIGRATIONS[0](conn)
    conn.execute("INSERT INTO reps (name, created_at) VALUES ('alice', '2026-11-23T15:00:00Z')")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("PRAGMA application_id = 1347572560")  # 0x50525350, "PRSP"
    conn.execute("COMMIT")
    conn.close()
    with open_database(db_path) as db:
        assert db.one("PRAGMA user_version")[0] == len(MIGRATIONS)
        assert [r["name"] for r in db.query("SELECT name FROM reps")] == ["alice"]
        indexes = {r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"contacts_queue_callback", "contacts_queue_my_callback"} <= indexes
    assert "contacts_by_callback_rep" not in indexes


@pytest.mark.parametrize("version", [len(MIGRATIONS) + 1, 99])
def test_newer_schema_is_refused(db_path, version):
    open_database(db_path).close()
    set_schema_version(db_path, version)
    with pytest.raises(DatabaseError, match="newer Prospector"):
        open_database(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "queue"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert f"newer Prospector (schema {version}" in result.output


def test_failed_write_rolls_back(db):
    with pytest.raises(RuntimeError), db.write():
        db.execute("INSERT INTO reps (name, created_at) VALUES ('bob', 'x')")
        raise RuntimeError("boom")
    assert db.one("SELECT count(*) FROM reps")[0] == 0


@pytest.mark.sqlite_only  # sqlite3's adapters; psycopg binds by its own rules
def test_none_and_bools_bind_as_sqlite3_binds_them_by_itself(db):
    """The adapters registered for speed (see foundations.db) change no value."""
    assert sqlite3.adapters[(type(None), sqlite3.PrepareProtocol)] is not None
    got = db.one("SELECT ? IS NULL, typeof(?), ?, typeof(?), ?", (None, True, True, False, False))
    assert tuple(got) == (1, "integer", 1, "integer", 0)
    db.execute("CREATE TEMP TABLE bound (v)")
    db.conn.executemany("INSERT INTO bound VALUES (?)", [(None,), (True,), (False,)])
    assert [tuple(row) for row in db.query("SELECT v, typeof(v) FROM bound")] == [
        (None, "null"),
        (1, "integer"),
        (0, "integer"),
    ]


def test_write_or_join_commits_alone_and_joins_an_open_transaction(db):
    insert = "INSERT INTO reps (name, created_at) VALUES (?, '2026-11-23T15:00:00Z')"
    with db.write_or_join():
        db.execute(insert, ("alone",))
    with pytest.raises(RuntimeError), db.write():
        with db.write_or_join():
            db.execute(insert, ("joined",))
        raise RuntimeError("the caller's transaction fails")
    assert [row["name"] for row in db.query("SELECT name FROM reps")] == ["alone"]


def test_cli_refuses_foreign_database_in_one_line(tmp_path, run):
    path = tmp_path / "x.db"
    path.write_bytes(b"\x00\x01binary junk" * 50)
    from click.testing import CliRunner

    from prospector.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(path), "init"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "not a Prospector database" in result.output


@pytest.mark.sqlite_only  # WAL checkpoints: the PostgreSQL server does its own
def test_background_checkpoint_moves_checkpoints_off_commits(db_path):
    db = open_database(db_path)
    db.checkpoint_in_background(interval=0.01)
    assert db.one("PRAGMA wal_autocheckpoint")[0] == 0  # commits never checkpoint
    for n in range(400):
        with db.write():
            db.execute("INSERT INTO reps (name, created_at) VALUES (?, 'x')", (f"rep{n}",))
    checkpointer = db._checkpointer
    assert checkpointer is not None
    # The thread catches up with every frame written (bounded wait, however busy the box).
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        result = checkpointer.last_result
        if result is not None and result[1] > 0 and result[1] == result[2]:
            break
        time.sleep(0.01)
    assert result is not None and result[1] == result[2] > 0
    other = open_database(db_path)
    assert other.one("SELECT count(*) FROM reps")[0] == 400
    other.close()
    db.close()
    assert db._checkpointer is None and not checkpointer.is_alive()


def test_each_database_has_its_own_id_kept_across_openings(tmp_path):
    ids = []
    for name in ("first.db", "second.db"):
        open_database(tmp_path / name).close()
        with open_database(tmp_path / name) as db:
            ids.append(database_id(db))
        with open_database(tmp_path / name) as db:
            assert database_id(db) == ids[-1]
    assert ids[0] != ids[1]
    assert all(len(found) == 12 and int(found, 16) >= 0 for found in ids)


@pytest.mark.parametrize("command", [["init"], ["queue"], ["show", "1"]])
def test_a_database_url_is_refused_without_its_password_and_creates_nothing(
    tmp_path, monkeypatch, command
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROSPECTOR_DB", raising=False)
    url = "postgresql://ann:s3cret@db.example/team?sslmode=require"
    result = CliRunner().invoke(cli, ["--db", url, *command])
    assert result.exit_code == 1
    assert "postgresql://ann:***@db.example/team" in result.output
    assert "s3cret" not in result.output
    assert list(tmp_path.iterdir()) == []  # no "postgresql:" folder, no file


def test_a_failed_connection_is_one_line_without_the_password(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROSPECTOR_DB", raising=False)
    url = "postgresql://bob:s3cret@/nope?host=/tmp/nonexistent"
    for args in (["--db", url, "queue"], ["--db", url, "init"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1
        assert result.output.count("\n") == 1, result.output
        assert result.output.startswith("error: postgresql://bob:***@/nope")
        assert "cannot connect" in result.output
        assert "s3cret" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_prospector_db_names_the_database_as_db_does(db_path, monkeypatch):
    monkeypatch.setenv("PROSPECTOR_DB", str(db_path))
    runner = CliRunner()
    assert runner.invoke(cli, ["init"]).exit_code == 0
    added = runner.invoke(cli, ["dnc", "add", "+1 415 555 2671"])
    assert added.exit_code == 0, added.output
    assert rows(db_path, "SELECT phone FROM dnc_numbers") == [("+14155552671",)]
    monkeypatch.delenv("PROSPECTOR_DB")
    shown = runner.invoke(cli, ["--db", str(db_path), "dnc", "check", "+1 415 555 2671"])
    assert shown.exit_code == 0 and "+14155552671" in shown.output
