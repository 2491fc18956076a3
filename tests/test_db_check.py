"""``prospector db check``: schema, size and claim health, alike on both backends."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from prospector.foundations.clock import to_db
from prospector.foundations.migrations import MIGRATIONS
from tests.conftest import BACKEND, MONDAY_10_ET
from tests.factories import add_contact

AT = "2026-11-23T10:00:00-05:00"


@pytest.fixture
def claims(db):
    """Five contacts: alice holds one, bob's lease ran out, carol dialed one and
    never logged it, ghost (not a rep) holds one, and one is free."""
    ids = [add_contact(db, now=MONDAY_10_ET, phone=f"+1212555010{n}") for n in range(5)]
    stamp = to_db(MONDAY_10_ET)
    lease = to_db(MONDAY_10_ET + timedelta(minutes=10))
    gone = to_db(MONDAY_10_ET - timedelta(minutes=1))
    with db.write():
        for rep in ("alice", "bob", "carol"):
            db.execute("INSERT INTO reps (name, created_at) VALUES (?, ?)", (rep, stamp))
        for contact, rep, expires, dialed in (
            (ids[0], "alice", lease, None),
            (ids[1], "bob", gone, None),
            (ids[2], "carol", lease, stamp),
            (ids[3], "ghost", lease, None),
        ):
            db.execute(
                "UPDATE contacts SET claimed_by = ?, claim_expires_at = ?, dialed_at = ?"
                " WHERE id = ?",
                (rep, expires, dialed, contact),
            )
    return ids


def test_a_fresh_database_is_ok(run, db_path):
    result = run("db", "check", "--at", AT, "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["backend"] == BACKEND
    assert (found["schema"], found["schema_latest"]) == (len(MIGRATIONS), len(MIGRATIONS))
    assert found["path"] == str(db_path) and "***" not in found["path"]
    assert len(found["database_id"]) >= 8
    assert found["size_bytes"] > 0
    assert found["rows"] == dict.fromkeys(
        ["accounts", "contacts", "calls", "handoffs", "dnc_numbers", "import_batches",
         "export_batches", "audit_log"], 0,
    )  # fmt: skip
    assert found["claims"] == {
        "held": 0, "expired": 0, "dialed_undispositioned": 0, "unknown_rep": 0
    }  # fmt: skip
    assert (found["problems"], found["ok"]) == ([], True)


def test_claim_health_and_the_verdict(run, claims):
    result = run("db", "check", "--at", AT, "--json")
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)
    assert found["rows"]["contacts"] == 5
    assert found["claims"] == {
        "held": 3, "expired": 1, "dialed_undispositioned": 1, "unknown_rep": 1
    }  # fmt: skip
    assert found["problems"] == ["1 contact(s) claimed by a rep not in reps"]
    assert found["ok"] is False
    # Half an hour later every lease has run out.
    later = json.loads(run("db", "check", "--at", "2026-11-23T10:30:00-05:00", "--json").stdout)
    assert (later["claims"]["held"], later["claims"]["expired"]) == (0, 4)


def test_the_text_report(run, db_path, claims):
    result = run("db", "check", "--at", AT)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    labels = [line[:18].strip() for line in lines]
    assert labels == [
        "backend", "database", "schema", "database id", "size",
        "accounts", "contacts", "calls", "handoffs", "dnc_numbers", "import_batches",
        "export_batches", "audit_log",
        "claims held", "leases expired", "dials open", "unknown reps", "verdict",
    ]  # fmt: skip
    shown = {line[:18].strip(): line[18:] for line in lines}
    assert shown["backend"] == BACKEND and shown["database"] == str(db_path)
    assert shown["schema"] == f"{len(MIGRATIONS)} (current)"
    assert shown["contacts"] == "5 rows"
    assert shown["claims held"] == "3"
    assert shown["leases expired"] == "1 (not yet returned)"
    assert shown["dials open"] == "1 (dialed, no disposition yet)"
    assert shown["verdict"] == "1 contact(s) claimed by a rep not in reps"
    assert result.stderr == ""


def test_a_missing_database_is_one_line(tmp_path):
    from click.testing import CliRunner

    from prospector.cli import cli
    from tests.cli_checks import assert_one_line_error

    missing = tmp_path / "none.db"
    result = CliRunner().invoke(cli, ["--db", str(missing), "db", "check"])
    assert_one_line_error(result, "no Prospector database at")
    assert not missing.exists()
