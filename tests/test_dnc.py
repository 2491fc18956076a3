"""The do-not-call list through the CLI and the service functions."""

from __future__ import annotations

import json

from prospector.foundations.db import open_database
from prospector.services import dnc
from tests.backend import rows
from tests.conftest import MONDAY_10_ET


def one(db_path, sql):
    return rows(db_path, sql)


def test_add_check_remove_cycle(tmp_path, run, db_path):
    path = tmp_path / "l.csv"
    path.write_text("Phone,Name\n(415) 555-2671,Ada L\n(415) 555-2672,Bo K\n")
    assert run("import", str(path)).exit_code == 0
    added = run("dnc", "add", "+1 415-555-2671", "415.555.2699")
    assert added.exit_code == 0
    assert (
        added.output.strip()
        == "2 number(s) added (0 already listed), 1 contact(s) marked do-not-call"
    )
    listed = run("dnc", "check", "(415) 555-2671")
    assert (listed.exit_code, listed.output) == (0, "+14155552671: listed\n")
    checked = run("dnc", "check", "4155552672")
    # "Not listed" is an answer on stdout, and exit status 1 so a script can branch.
    assert (checked.exit_code, checked.stdout, checked.stderr) == (
        1,
        "+14155552672: not listed\n",
        "",
    )
    assert one(db_path, "SELECT phone, dnc FROM contacts ORDER BY id") == [
        ("+14155552671", 1),
        ("+14155552672", 0),
    ]
    removed = run("dnc", "remove", "415-555-2671", rep="lead")
    assert removed.exit_code == 0 and "removed" in removed.output
    assert one(db_path, "SELECT dnc FROM contacts WHERE phone = '+14155552671'") == [(0,)]
    assert one(
        db_path, "SELECT actor, action, subject FROM audit_log WHERE action = 'dnc.remove'"
    ) == [("lead", "dnc.remove", "+14155552671")]
    assert run("dnc", "remove", "415-555-2671").output.strip() == "+14155552671: was not listed"


def test_removal_keeps_contacts_closed_by_a_do_not_call_call(db_path, db):
    with db.write():
        db.execute("INSERT INTO locales (zones) VALUES ('America/New_York')")
        db.execute(
            """INSERT INTO contacts (phone, phone_raw, locale_id, status, dnc, next_call_at,
                   created_at, updated_at)
               VALUES ('+12125550100', '212 555 0100', 1, 'dnc', 1, 'x', 'x', 'x')"""
        )
        dnc.add_dnc_in_transaction(db, [("+12125550100", None)], actor="bob", now=MONDAY_10_ET)
    dnc.remove_dnc(db, "212 555 0100", actor="lead", now=MONDAY_10_ET)
    assert db.one("SELECT status, dnc FROM contacts")[:] == ("dnc", 1)
    assert not dnc.is_dnc(db, "+12125550100")


def test_dnc_import_file_plain_and_csv(tmp_path, run, db_path):
    plain = tmp_path / "dnc.txt"
    plain.write_text("(415) 555-2671\n+44 20 7946 0018\n\nnot a number\n")
    result = run("dnc", "import", str(plain))
    assert result.exit_code == 0
    assert result.stdout.startswith("2 number(s) added")
    assert "line 4" in result.stderr
    table = tmp_path / "dnc.csv"
    table.write_text("Name;Phone Number\nX;(212) 555-0100\nY;(415) 555-2671\n")
    result = run("dnc", "import", str(table))
    assert result.stdout.startswith("1 number(s) added (1 already listed)")
    assert one(db_path, "SELECT count(*) FROM dnc_numbers") == [(3,)]


def test_import_never_clears_dnc(tmp_path, run, db_path):
    run("dnc", "add", "(415) 555-2671")
    path = tmp_path / "l.csv"
    path.write_text("Phone\n(415) 555-2671\n")
    run("import", str(path))
    run("import", str(path))
    assert one(db_path, "SELECT dnc FROM contacts") == [(1,)]


def test_invalid_number_is_one_line(run):
    result = run("dnc", "check", "hello")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "not a valid phone number" in result.stderr
    assert result.stdout == ""  # no answer: a script can tell an error from "not listed"


def test_every_dnc_command_prints_json(tmp_path, run, db_path):
    path = tmp_path / "l.csv"
    path.write_text("Phone,Name\n(415) 555-2671,Ada L\n")
    run("import", str(path))
    added = run("dnc", "add", "415 555 2671", "415 555 2699", "--json")
    assert json.loads(added.stdout) == {"added": 2, "already_listed": 0, "contacts": 1}
    plain = tmp_path / "dnc.txt"
    plain.write_text("(415) 555-2699\n(212) 555-0100\nnot a number\n")
    imported = run("dnc", "import", str(plain), "--json")
    assert imported.exit_code == 0 and imported.stderr == ""
    assert json.loads(imported.stdout) == {
        "added": 1,
        "already_listed": 1,
        "contacts": 0,
        "skipped": ["line 3: 'not a number' is not a phone number (no digits to dial)"],
    }
    listed = run("dnc", "check", "(415) 555-2671", "--json")
    assert (listed.exit_code, json.loads(listed.stdout)) == (
        0,
        {"phone": "+14155552671", "listed": True},
    )
    unlisted = run("dnc", "check", "(415) 555-2672", "--json")
    assert (unlisted.exit_code, json.loads(unlisted.stdout)) == (
        1,
        {"phone": "+14155552672", "listed": False},
    )
    removed = run("dnc", "remove", "+14155552671", "--json")
    assert json.loads(removed.stdout) == {"phone": "+14155552671", "removed": True, "contacts": 1}
    again = run("dnc", "remove", "+14155552671", "--json")
    assert json.loads(again.stdout) == {"phone": "+14155552671", "removed": False, "contacts": 0}


def test_service_api(db_path):
    with open_database(db_path) as db:
        change = dnc.add_dnc(db, ["(303) 555-0142"], actor="a", now=MONDAY_10_ET, reason="asked")
        assert (change.numbers, change.contacts) == (1, 0)
        assert dnc.is_dnc(db, "+13035550142")
        assert db.one("SELECT reason, added_by FROM dnc_numbers")[:] == ("asked", "a")
