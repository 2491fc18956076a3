"""handoffs ack FILE: the CRM's accept/reject answers (DESIGN §4.9)."""

from __future__ import annotations

import json

import pytest

from prospector.foundations.errors import InputFileError
from prospector.services import handoffs
from prospector.services.export import export_pending
from tests.conftest import MONDAY_10_ET
from tests.handoff_factories import make_contact

AT = "2026-11-30T15:00:00Z"


@pytest.fixture
def exported(db, tmp_path):
    """Handoffs 1-3 exported; handoff 4 still pending."""
    for _ in range(4):
        handoffs.qualify(db, make_contact(db), rep="alice", now=MONDAY_10_ET)
        if db.one("SELECT count(*) FROM handoffs")[0] == 3:
            export_pending(db, now=MONDAY_10_ET, actor="lead", out_dir=tmp_path / "out")
    return tmp_path


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def by_id(db):
    return {h.id: (h.status, h.status_reason) for h in handoffs.list_handoffs(db)}


def test_salesforce_report_columns(run, db, exported):
    report = write(
        exported / "sf.csv",
        "Prospector_Handoff_Id__c,Lead Status,Rejection Reason\r\n"
        "1,Closed - Converted,\r\n"
        '2,Closed - Not Converted,"no budget, call in Q3"\r\n',
    )
    result = run("handoffs", "ack", str(report), "--at", AT)
    assert result.exit_code == 0, result.output
    assert "2 rows: 1 accepted, 1 rejected, 0 unchanged" in result.output
    assert by_id(db) == {
        1: ("accepted", None),
        2: ("rejected", "no budget, call in Q3"),
        3: ("exported", None),
        4: ("pending", None),
    }
    assert db.one("SELECT acked_at FROM handoffs WHERE id = 1")[0] == AT


def test_hubspot_report_semicolons_bom_and_repeat(run, db, exported):
    report = write(
        exported / "hs.csv",
        "\ufeffRecord ID;Prospector handoff id;Deal stage;Closed lost reason\n"
        "901;3;closedlost;wrong persona\n"
        "902;1;Accepted;\n",
    )
    result = run("handoffs", "ack", str(report), "--json", "--at", AT)
    assert json.loads(result.output) == {"rows": 2, "accepted": 1, "rejected": 1, "unchanged": 0}
    again = run("handoffs", "ack", str(report), "--json", "--at", AT)
    assert json.loads(again.output)["unchanged"] == 2
    assert by_id(db)[3] == ("rejected", "wrong persona")


def test_own_names_and_a_later_answer_replaces(db, exported):
    first = write(exported / "a.csv", "handoff_id,status,reason\n1,rejected,too small\n")
    handoffs.ack_handoffs(db, first, now=MONDAY_10_ET)
    second = write(exported / "b.csv", "handoff_id,status\n1,accepted\n")
    result = handoffs.ack_handoffs(db, second, now=MONDAY_10_ET)
    assert result.accepted == 1
    assert by_id(db)[1] == ("accepted", None)


def test_bad_rows_are_all_named_and_nothing_is_applied(run, db, exported):
    report = write(
        exported / "bad.csv",
        "handoff_id,status,reason\n"
        "1,accepted,\n"
        "999,accepted,\n"
        "4,rejected,not exported yet\n"
        "2,maybe,\n"
        "x,accepted,\n",
    )
    result = run("handoffs", "ack", str(report), "--at", AT)
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    message = result.stderr
    assert "4 bad rows, nothing recorded" in message
    assert "row 3: no handoff 999" in message
    assert "row 4: handoff 4 has not been exported yet" in message
    assert "row 5: status 'maybe'" in message
    assert "row 6: handoff id 'x'" in message
    assert by_id(db)[1] == ("exported", None)  # the good row was not applied either


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("id,status\n1,accepted\n", "no handoff id column"),
        ("handoff_id,comment\n1,fine\n", "no status column"),
    ],
)
def test_unusable_files(db, exported, text, message):
    path = write(exported / "r.csv", text)
    with pytest.raises(InputFileError, match=message):
        handoffs.ack_handoffs(db, path, now=MONDAY_10_ET)


def test_missing_file(run, tmp_path):
    result = run("handoffs", "ack", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1 and "no such file" in result.stderr
