"""``prospector db copy``: a team moved SQLite → PostgreSQL → SQLite is the same team.

These tests need a file and a PostgreSQL database at once (``tmp_path`` and
``pg_url``), so they run once, in the SQLite run of the suite.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from prospector.cli import cli
from prospector.foundations.db import open_database
from prospector.services import database_copy
from prospector.services.database_copy import TABLES, verify_copy
from tests.backend import rows, scalar
from tests.cli_checks import AT, assert_one_line_error, dump

LATER = "2026-11-23T10:20:00-05:00"


def invoke(*args: str, db: str | Path | None = None, rep: str = "alice"):
    prefix = ["--db", str(db), "--rep", rep] if db is not None else []
    return CliRunner().invoke(cli, [*prefix, *args], catch_exceptions=False)


@pytest.fixture
def team(team_template: Path, tmp_path: Path) -> Path:
    """The template team plus calls, a callback, a DNC entry, settings and their audit."""
    path = tmp_path / "source" / "team.db"
    path.parent.mkdir()
    shutil.copy(team_template, path)
    for rep, disposition, extra in (
        ("alice", "no_answer", ()),
        ("bob", "callback", ("--callback", "tomorrow 10am", "--note", "Call me back")),
        ("carol", "do_not_call", ()),
    ):
        claimed = json.loads(invoke("next", "--at", AT, "--json", db=path, rep=rep).stdout)
        logged = invoke(
            "log", str(claimed["contact_id"]), disposition, "--duration", "42", "--at", AT,
            *extra, db=path, rep=rep,
        )  # fmt: skip
        assert logged.exit_code == 0, logged.output
    assert invoke("dnc", "add", "+14155550123", "--at", AT, db=path).exit_code == 0
    return path


def copy(source: str | Path, target: str | Path, *args: str):
    return invoke("db", "copy", str(source), str(target), *args)


def team_rows(target: str | Path) -> dict[str, list[tuple]]:
    """Every team table's rows in key order, on either backend."""
    found = {}
    for table in TABLES:
        where = f" WHERE {table.where}" if table.where else ""
        order = ", ".join(table.key)
        found[table.name] = rows(target, f"SELECT * FROM {table.name}{where} ORDER BY {order}")
    return found


def outputs(target: str | Path) -> list[str]:
    """What reps and leads see: the daily report and the queue, as JSON."""
    return [
        invoke("report", "daily", "--json", "--at", LATER, db=target).output,
        invoke("queue", "--json", "--limit", "50", "--at", LATER, db=target).output,
        invoke("handoffs", "--json", db=target).output,
    ]


def test_a_round_trip_through_postgresql_gives_back_the_same_team(team, pg_url, tmp_path):
    before = dump(team)
    to_pg = copy(team, pg_url)
    assert to_pg.exit_code == 0, to_pg.output
    back = tmp_path / "back" / "team.db"
    to_file = copy(pg_url, back)
    assert to_file.exit_code == 0, to_file.output

    assert dump(back) == before  # every row and every schema statement
    assert dump(team) == before  # the source untouched
    assert team_rows(pg_url) == team_rows(team)
    database_id = "SELECT value FROM prospector_meta WHERE key = 'database_id'"
    assert scalar(pg_url, database_id) == scalar(team, database_id)
    # Every copied table was verified, each line says so.
    printed = to_pg.output.splitlines()
    assert printed[0].split() == ["table", "rows", "checksum"]
    assert [line.split()[0] for line in printed[1:-1]] == [table.name for table in TABLES]
    assert all(line.endswith("  ok") for line in printed[1:-1])
    assert printed[-1].startswith(f"copied {sum(map(len, team_rows(team).values()))} rows from")


def test_reps_and_leads_see_the_same_team_on_every_copy(team, pg_url, tmp_path):
    back = tmp_path / "back.db"
    assert copy(team, pg_url).exit_code == 0
    assert copy(pg_url, back).exit_code == 0
    expected = outputs(team)
    assert all(json.loads(text) is not None for text in expected)
    assert outputs(back) == expected
    assert outputs(pg_url) == expected


def test_a_copy_goes_on_with_new_ids_after_the_copied_ones(team, pg_url):
    assert copy(team, pg_url).exit_code == 0
    last = {
        table: scalar(team, f"SELECT coalesce(max(id), 0) FROM {table}")
        for table in ("calls", "audit_log")
    }
    with open_database(pg_url) as db, db.write():
        call = db.insert(
            "INSERT INTO calls (contact_id, rep, at, disposition, category, attempt, status_after)"
            " VALUES (1, 'dan', ?, 'busy', 'dial', 1, 'open')",
            (LATER,),
        )
        audit = db.insert(
            "INSERT INTO audit_log (at, actor, action) VALUES (?, 'dan', 'test')", (LATER,)
        )
    assert (call, audit) == (last["calls"] + 1, last["audit_log"] + 1)


def test_json_names_every_table(team, tmp_path):
    result = copy(team, tmp_path / "copy.db", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["ok"] is True and found["database_id"]
    assert [table["table"] for table in found["tables"]] == [table.name for table in TABLES]
    assert all(table["ok"] and table["rows"] == table["source_rows"] for table in found["tables"])


def test_a_target_holding_a_team_is_refused_without_force(team, team_template, pg_url, tmp_path):
    assert copy(team_template, pg_url).exit_code == 0
    held = team_rows(pg_url)
    refused = copy(team, pg_url)
    assert_one_line_error(refused, "already holds a team", "--force")
    assert refused.stdout == ""
    assert team_rows(pg_url) == held

    file_target = tmp_path / "other.db"
    assert copy(team_template, file_target).exit_code == 0
    kept = dump(file_target)
    assert_one_line_error(copy(team, file_target), "already holds a team")
    assert dump(file_target) == kept

    assert copy(team, pg_url, "--force").exit_code == 0
    assert team_rows(pg_url) == team_rows(team)
    assert copy(pg_url, file_target, "--force").exit_code == 0
    assert team_rows(file_target) == team_rows(team)


def test_the_same_database_twice_is_refused(team, pg_url):
    assert copy(team, pg_url).exit_code == 0
    kept = dump(team)
    assert_one_line_error(copy(team, team, "--force"), "the same database")
    assert dump(team) == kept
    held = team_rows(pg_url)
    assert_one_line_error(copy(pg_url, pg_url, "--force"), "the same database")
    assert team_rows(pg_url) == held


def test_a_changed_row_in_the_target_is_detected(team, pg_url):
    assert copy(team, pg_url).exit_code == 0
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE contacts SET title = 'Chief Tamperer' WHERE id = 7")
        conn.execute("DELETE FROM dnc_numbers WHERE phone = (SELECT min(phone) FROM dnc_numbers)")
    with open_database(team, create=False) as source, open_database(pg_url) as target:
        checks = verify_copy(source, target)
    differing = {check.table for check in checks if not check.ok}
    assert differing == {"contacts", "dnc_numbers"}
    by_table = {check.table: check for check in checks}
    contacts, dnc = by_table["contacts"], by_table["dnc_numbers"]
    assert contacts.source_rows == contacts.target_rows  # same count, other checksum
    assert dnc.target_rows == dnc.source_rows - 1


def test_a_copy_that_does_not_match_keeps_nothing(team, pg_url, monkeypatch):
    real = database_copy.table_checksum

    def tampered(db, table, columns, *args):
        rows_seen, digest = real(db, table, columns, *args)
        return (rows_seen, "0" * 64) if table.name == "calls" else (rows_seen, digest)

    monkeypatch.setattr(database_copy, "table_checksum", tampered)
    result = copy(team, pg_url)
    assert_one_line_error(result, "does not match its source (calls)", "nothing was written")
    assert "calls" in result.stdout and "DIFFERS" in result.stdout
    assert scalar(pg_url, "SELECT count(*) FROM contacts") == 0
    assert scalar(pg_url, "SELECT count(*) FROM calls") == 0


def test_user_errors_are_one_line(team, tmp_path, pg_url):
    missing = tmp_path / "missing.db"
    assert_one_line_error(copy(missing, pg_url), "no Prospector database at")
    assert not missing.exists()
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE x (a)")
    assert_one_line_error(copy(team, foreign), "not a Prospector database")
    assert_one_line_error(copy(foreign, pg_url), "not a Prospector database")
    with psycopg.connect(pg_url) as conn:  # the target was not even created
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert tables.fetchone()[0] == 0


def test_a_read_only_source_is_copied_and_an_old_one_refused(team, tmp_path):
    before = dump(team)
    team.chmod(0o444)
    try:
        result = copy(team, tmp_path / "copy.db")
        assert result.exit_code == 0, result.output
        assert dump(tmp_path / "copy.db") == before
    finally:
        team.chmod(0o644)
    old = tmp_path / "old.db"
    open_database(old).close()
    with sqlite3.connect(old) as conn:
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    old.chmod(0o444)
    target = tmp_path / "never.db"
    assert_one_line_error(copy(old, target), "read-only database from an older Prospector")
    assert not target.exists()
