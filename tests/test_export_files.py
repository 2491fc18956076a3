"""export to files: headers, values, quoting, neutralization, 0600, batches (DESIGN §4.9)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospector.foundations.db import database_id, open_database
from prospector.services import handoffs
from prospector.services.export import FORMATS, export_pending, rewrite_batch
from prospector.services.export.payloads import dump
from prospector.services.export.safe_csv import Column, cell, csv_bytes
from tests import handoff_factories
from tests.conftest import MONDAY_10_ET
from tests.handoff_factories import make_call, make_contact

AT = "2026-11-23T16:00:00Z"
JSONL = "prospector-batch-1-jsonl.jsonl"
MULTILINE = 'Spoke with Jane.\nBudget "approved", Q1 start;\r\nwants a demo'
# What a spreadsheet reads as the start of a formula (OWASP "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def two_handoffs(db):
    """Jane (NY, meeting, calls with awkward notes) and '-Bob' at '@Evil' (CA, no meeting)."""
    return make_two_handoffs(db)


def make_two_handoffs(db):
    jane = make_contact(db, state="NY", phone="+12125550100", email="jane@acme.example")
    make_call(db, jane, at="2026-11-20T15:00:00Z", disposition="voicemail", note="=HYPERLINK(x)")
    make_call(db, jane, at="2026-11-18T15:00:00Z", disposition="no_answer", rep="bob")
    make_call(
        db,
        jane,
        at="2026-11-21T15:30:00Z",
        disposition="meeting_set",
        category="conversation",
        note=MULTILINE,
    )
    bob = make_contact(
        db,
        first_name="-Bob",
        last_name="+Smith",
        title="\tCEO",
        company="@Evil Corp",
        state="CA",
        zones="America/Los_Angeles",
        phone="+14155550101",
        source=None,
    )
    handoffs.qualify(
        db,
        jane,
        rep="alice",
        now=MONDAY_10_ET,
        amount="12500",
        meeting_at="2026-12-01 14:00",
        budget="=1+1",
        need="CRM replacement",
    )
    handoffs.qualify(db, bob, rep="alice", now=MONDAY_10_ET, note="@mention me")
    return jane, bob


def test_every_format_is_the_same_bytes_on_either_backend(db, tmp_path, monkeypatch):
    """The same team on this backend and in an SQLite file: the same stored payloads
    and the same bytes in every format (no key reordered, no number spelled otherwise)."""
    twin = open_database(tmp_path / "twin.db")
    written = []
    for database in (db, twin):
        monkeypatch.setattr(handoff_factories, "_numbers", itertools.count(1))
        make_two_handoffs(database)
        with database.write():
            database.execute(
                "UPDATE prospector_meta SET value = 'feedc0ffee12' WHERE key = 'database_id'"
            )
        export_pending(database, now=MONDAY_10_ET, actor="lead", format="jsonl", out_dir=tmp_path)
        folder = tmp_path / str(len(written))
        for format in sorted(FORMATS):
            rewrite_batch(database, 1, format=format, out_dir=folder)
        stored = database.query("SELECT handoff_id, payload FROM export_items ORDER BY handoff_id")
        files = {path.name: path.read_bytes() for path in folder.iterdir()}
        written.append(([tuple(row) for row in stored], files))
    twin.close()
    assert len(written[0][1]) >= len(FORMATS) and b"feedc0ffee12-h1" in written[0][1][JSONL]
    assert written[0] == written[1]


def read_csv(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def export(run, *args):
    result = run("export", *args, "--json", "--at", AT)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def private(path: str | Path) -> bool:
    return stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_salesforce_leads_file(run, two_handoffs, tmp_path):
    out = tmp_path / "out"
    report = export(run, "--format", "salesforce-leads", "--out", str(out))
    assert report["batch"] == 1 and report["count"] == 2 and report["format"] == "salesforce-leads"
    assert report["path"] == str(out)
    leads = out / "prospector-batch-1-salesforce-leads.csv"
    mapping = out / "prospector-batch-1-salesforce-leads.sdl"
    assert report["files"] == [str(leads), str(mapping)]
    assert private(leads) and private(mapping)

    header, rows = read_csv(leads)
    assert header == [
        "Prospector_Id__c",
        "FirstName",
        "LastName",
        "Company",
        "Title",
        "Phone",
        "Email",
        "LeadSource",
        "Status",
        "Industry",
        "NumberOfEmployees",
        "State",
        "Country",
        "Website",
        "Description",
        "User:Owner.Username",
    ]
    jane, bob = rows
    assert re.fullmatch(r"[0-9a-f]{12}-h1", jane["Prospector_Id__c"])
    assert (jane["FirstName"], jane["LastName"], jane["Company"]) == ("Jane", "Doe", "Acme Corp")
    assert jane["Phone"] == "+12125550100"  # E.164 kept as is, leading + and all
    assert jane["Status"] == "Open - Not Contacted"
    assert (jane["LeadSource"], jane["Industry"]) == ("Web", "Technology")
    assert jane["NumberOfEmployees"] == "250"
    # Every call, oldest first, each with date, rep and disposition; multi-line note intact.
    description = jane["Description"]
    assert description.index("2026-11-18 15:00 UTC · bob · no_answer") < description.index(
        "2026-11-20 15:00 UTC · alice · voicemail: =HYPERLINK(x)"
    )
    assert "meeting_set: " + MULTILINE.replace("\r\n", "\n") in description.replace("\r\n", "\n")
    assert "Budget: =1+1" in description
    # Free text beginning with a formula character is neutralized; phones are not.
    assert (bob["FirstName"], bob["LastName"], bob["Title"]) == ("'-Bob", "'+Smith", "'\tCEO")
    assert bob["Company"] == "'@Evil Corp"
    assert bob["Phone"] == "+14155550101"
    assert bob["LeadSource"] == ""  # no source on the contact
    assert bob["User:Owner.Username"] == ""  # no salesforce_user for the rep in the defaults


def test_hubspot_multi_object_file(run, two_handoffs, tmp_path):
    report = export(run, "--format", "hubspot", "--out", str(tmp_path))
    path = tmp_path / "prospector-batch-1-hubspot.csv"
    assert report["path"] == str(path) and private(path)
    header, (jane, bob) = read_csv(path)
    for name in (
        "First name",
        "Last name",
        "Email",
        "Phone number",
        "Company name",
        "Company domain name",
        "Deal name",
        "Amount",
        "Deal stage",
        "Pipeline",
        "Close date",
        "Contact owner",
        "Prospector handoff id",
    ):
        assert name in header
    assert jane["Contact owner"] == "dana.whitfield@example.com"
    assert bob["Contact owner"] == "marco.reyes@example.com"
    # The meeting-booked deal is one stage further along (tests/test_export_hubspot.py).
    assert (jane["Deal stage"], bob["Deal stage"]) == ("qualifiedtobuy", "appointmentscheduled")
    assert jane["Pipeline"] == "default" and jane["Close date"] == "2027-02-21"
    assert jane["Amount"] == "12500.00" and jane["Phone number"] == "+12125550100"
    assert bob["First name"] == "'-Bob"
    assert jane["Deal name"] == "Acme Corp - Jane Doe"


def test_own_csv_and_jsonl(run, db, two_handoffs, tmp_path):
    export(run, "--format", "csv", "--out", str(tmp_path))
    header, (jane, bob) = read_csv(tmp_path / "prospector-batch-1-csv.csv")
    ours = database_id(db)
    assert header[:8] == [
        "handoff_id",
        "external_id",
        "contact_id",
        "contact_external_id",
        "account_id",
        "account_external_id",
        "database_id",
        "first_name",
    ]
    assert [jane[k] for k in header[:7]] == [
        "1",
        f"{ours}-h1",
        "1",
        f"{ours}-c1",
        "1",
        f"{ours}-a1",
        ours,
    ]
    assert (bob["external_id"], bob["contact_external_id"]) == (f"{ours}-h2", f"{ours}-c2")
    assert jane["meeting_at"] == "2026-12-01T19:00:00Z"
    assert jane["meeting_local"] == "2026-12-01T14:00:00-05:00"
    assert jane["budget"] == "'=1+1" and bob["note"] == "'@mention me"
    assert jane["amount"] == "12500.00" and jane["phone"] == "+12125550100"

    # jsonl holds the text as typed (no spreadsheet opens it), all calls oldest first.
    run(
        "qualify", "2", "--note", "@again", "--meeting", "wed 11am", "--at", AT
    )  # bob is exported; this makes a new one
    report = export(run, "--format", "jsonl", "--out", str(tmp_path))
    lines = (tmp_path / "prospector-batch-2-jsonl.jsonl").read_text("utf-8").splitlines()
    assert report["count"] == 1 and len(lines) == 1
    payload = json.loads(lines[0])
    assert payload["first_name"] == "-Bob" and payload["note"] == "@again"


def test_calls_oldest_first_in_jsonl(run, two_handoffs, tmp_path):
    export(run, "--format", "jsonl", "--out", str(tmp_path))
    first = json.loads((tmp_path / "prospector-batch-1-jsonl.jsonl").read_text().splitlines()[0])
    assert [c["at"] for c in first["calls"]] == [
        "2026-11-18T15:00:00Z",
        "2026-11-20T15:00:00Z",
        "2026-11-21T15:30:00Z",
    ]
    assert first["calls"][2]["note"] == MULTILINE


def test_exported_once_then_empty_and_resend(run, db, two_handoffs, tmp_path):
    export(run, "--out", str(tmp_path))
    assert {h.status for h in handoffs.list_handoffs(db)} == {"exported"}
    assert {h.batch_id for h in handoffs.list_handoffs(db)} == {1}
    before = sorted(os.listdir(tmp_path))
    again = export(run, "--out", str(tmp_path))
    assert again == {**again, "batch": None, "count": 0, "path": None}
    assert sorted(os.listdir(tmp_path)) == before
    assert db.one("SELECT count(*) FROM export_batches")[0] == 1
    resent = export(run, "--resend", "--out", str(tmp_path))
    assert (resent["batch"], resent["count"]) == (2, 2)
    assert {h.status for h in handoffs.list_handoffs(db)} == {"exported"}


def test_batch_rewrites_byte_for_byte(run, db, two_handoffs, tmp_path):
    export(run, "--format", "salesforce", "--out", str(tmp_path / "first"))
    first = {p.name: p.read_bytes() for p in (tmp_path / "first").iterdir()}
    # The world moves on: the contact's company is renamed and more calls happen.
    with db.write():
        db.execute("UPDATE accounts SET name = 'Renamed Inc'")
    make_call(db, 1, at="2026-11-23T15:10:00Z", note="after the export")
    report = json.loads(
        run("export", "--batch", "1", "--out", str(tmp_path / "again"), "--json").output
    )
    assert report["rewritten"] is True and report["batch"] == 1
    again = {p.name: p.read_bytes() for p in (tmp_path / "again").iterdir()}
    assert again == first
    assert all(private(p) for p in (tmp_path / "again").iterdir())
    # Another format from the same stored payloads.
    other = json.loads(
        run("export", "--batch", "1", "--format", "jsonl", "--out", str(tmp_path), "--json").output
    )
    assert other["path"] == str(tmp_path / "prospector-batch-1-jsonl.jsonl")


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_a_batch_cut_before_schema_7_is_written_with_the_external_ids(
    run, db, two_handoffs, tmp_path, format
):
    """Payloads stored before schema 7 had no external ids: ``--batch N`` adds them,
    so the files are those of a batch cut today (no KeyError, no blank id)."""
    handoffs.qualify(db, make_contact(db, company=None), rep="alice", now=MONDAY_10_ET)
    export(run, "--format", "jsonl", "--out", str(tmp_path / "cut"))
    export(run, "--batch", "1", "--format", format, "--out", str(tmp_path / "new"))
    added = (
        "account_id",
        "database_id",
        "external_id",
        "contact_external_id",
        "account_external_id",
    )
    with db.write():
        for batch_id, handoff_id, text in db.query(
            "SELECT batch_id, handoff_id, payload FROM export_items"
        ):
            old = {key: value for key, value in json.loads(text).items() if key not in added}
            db.execute(
                "UPDATE export_items SET payload = ? WHERE batch_id = ? AND handoff_id = ?",
                (dump(old), batch_id, handoff_id),
            )
    assert "external_id" not in db.one("SELECT payload FROM export_items")[0]
    export(run, "--batch", "1", "--format", format, "--out", str(tmp_path / "old"))
    new = {p.name: p.read_bytes() for p in (tmp_path / "new").iterdir()}
    assert new == {p.name: p.read_bytes() for p in (tmp_path / "old").iterdir()}
    ours = database_id(db)
    assert all(f"{ours}-h{n}".encode() in b"".join(new.values()) for n in (1, 2, 3))


def test_dnc_after_qualify_is_held_back_pending(run, db, two_handoffs, tmp_path):
    with db.write():
        db.execute("INSERT INTO dnc_numbers (phone, added_at) VALUES ('+14155550101', ?)", (AT,))
    report = export(run, "--out", str(tmp_path))
    assert (report["count"], report["held_dnc"]) == (1, 1)
    assert [h.status for h in handoffs.list_handoffs(db)] == ["exported", "pending"]
    _, rows = read_csv(report["path"])
    assert [r["phone"] for r in rows] == ["+12125550100"]


def test_unwritable_out_changes_nothing(run, db, two_handoffs, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for out in (blocker, blocker / "sub"):
        result = run("export", "--format", "hubspot", "--out", str(out), "--at", AT)
        assert result.exit_code == 1
        assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
        assert str(out) in result.stderr
    assert {h.status for h in handoffs.list_handoffs(db)} == {"pending"}
    assert db.one("SELECT count(*) FROM export_batches")[0] == 0


def test_failed_file_write_rolls_the_batch_back(db, two_handoffs, tmp_path, monkeypatch):
    from prospector.services.export import batchfiles, runner
    from prospector.services.export.safe_csv import ExportWriteError

    out = tmp_path / "out"
    real = batchfiles._write_temp

    def second_fails(target, data):
        if target.name.endswith("-opportunities.csv"):
            raise ExportWriteError(f"{target}: cannot be written (disk full)")
        return real(target, data)

    monkeypatch.setattr(batchfiles, "_write_temp", second_fails)
    with pytest.raises(ExportWriteError, match="disk full"):
        runner.export_pending(db, now=MONDAY_10_ET, actor="lead", format="salesforce", out_dir=out)
    assert {h.status for h in handoffs.list_handoffs(db)} == {"pending"}
    assert db.one("SELECT count(*) FROM export_batches")[0] == 0
    assert db.one("SELECT count(*) FROM export_items")[0] == 0
    assert os.listdir(out) == []  # the files staged before it left no temporary behind


def test_a_failed_rename_takes_the_published_files_back(db, two_handoffs, tmp_path, monkeypatch):
    from prospector.services.export import batchfiles, runner
    from prospector.services.export.safe_csv import ExportWriteError

    out = tmp_path / "out"
    real = batchfiles._rename

    def second_fails(temp, target):
        if target.name.endswith("-opportunities.csv"):
            raise ExportWriteError(f"{target}: cannot be written (disk full)")
        real(temp, target)

    monkeypatch.setattr(batchfiles, "_rename", second_fails)
    with pytest.raises(ExportWriteError, match="disk full"):
        runner.export_pending(db, now=MONDAY_10_ET, actor="lead", format="salesforce", out_dir=out)
    assert os.listdir(out) == []  # not the first files alone, no temporary, no journal
    assert {h.status for h in handoffs.list_handoffs(db)} == {"pending"}
    assert db.one("SELECT count(*) FROM export_batches")[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "excel"], "unknown export format 'excel'"),
        (["--batch", "42"], "no export batch 42"),
        (["--format", "csv", "--webhook", "https://crm.example/h"], "not both"),
    ],
)
def test_bad_export_requests(run, two_handoffs, tmp_path, args, message):
    result = run("export", *args, "--out", str(tmp_path))
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.splitlines()) == 1


def test_publishing_replaces_owner_only_and_leaves_no_temp(tmp_path):
    from prospector.services.export.batchfiles import BatchFiles

    target = tmp_path / "f.csv"
    target.write_text("old")
    os.chmod(target, 0o644)
    files = BatchFiles(tmp_path)
    files.stage([("f.csv", b"new")])
    assert target.read_bytes() == b"old"  # staged: nothing shows yet
    files.publish()
    assert target.read_bytes() == b"new" and private(target)
    assert os.listdir(tmp_path) == ["f.csv"]


# --- cells ---------------------------------------------------------------------------


@given(st.text())
def test_text_cells_never_start_a_formula(text):
    written = cell(text)
    assert not written.startswith(FORMULA_START)
    assert written == ("'" + text if text.startswith(FORMULA_START) else text)


@given(st.text(), st.text())
def test_csv_round_trips_neutralized_text(first, second):
    columns = [Column("a", "a"), Column("b", "b", "phone")]
    data = csv_bytes(columns, [{"a": first, "b": second}])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[0] == ["a", "b"]
    e164 = re.fullmatch(r"\+[1-9]\d{1,14}", second) is not None
    assert rows[1] == [
        "'" + first if first.startswith(FORMULA_START) else first,
        second if e164 or not second.startswith(FORMULA_START) else "'" + second,
    ]
    assert e164 or not rows[1][1].startswith(FORMULA_START)


@pytest.mark.parametrize(
    ("value", "kind", "written"),
    [
        ("+14155552671", "phone", "+14155552671"),
        ("+1 415 555", "phone", "'+1 415 555"),
        ("2026-12-01", "date", "2026-12-01"),
        ("-12.00", "amount", "'-12.00"),
        ("12500.00", "amount", "12500.00"),
        ("\rx", "text", "'\rx"),
        (None, "text", ""),
    ],
)
def test_structured_cells_only_when_well_formed(value, kind, written):
    assert cell(value, kind) == written
