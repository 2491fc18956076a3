"""``queue``, ``next``, ``log`` and ``claim`` through the real CLI."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact

AT = "2026-11-23T10:00:00-05:00"


@pytest.fixture
def two_leads(db):
    first = add_contact(
        db,
        now=MONDAY_10_ET - timedelta(minutes=5),
        first_name="Ada",
        company="Engines",
        source="inbound",
        employees=500,
    )
    second = add_contact(
        db, now=MONDAY_10_ET, first_name="Bo", zones=("America/Chicago",), state="IL"
    )
    return first, second


def test_queue_json_keys(run, two_leads) -> None:
    result = run("queue", "--at", AT, "--json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert [item["contact_id"] for item in items] == list(two_leads)
    assert set(items[0]) == {
        "contact_id",
        "name",
        "company",
        "phone",
        "timezones",
        "local_time",
        "tier",
        "reason",
        "sla_due_at",
    }
    # Ada came in at 09:55 with a 1 h SLA; Bo, in Chicago, with one business day.
    assert [item["sla_due_at"] for item in items] == [
        "2026-11-23T15:55:00Z",
        "2026-11-24T15:00:00Z",
    ]
    assert items[0]["local_time"] == "2026-11-23T10:00:00-05:00"
    assert items[1]["local_time"] == "2026-11-23T09:00:00-06:00"
    assert items[0]["reason"] == "new A lead — SLA 55 min left"


def test_queue_table(run, two_leads, db) -> None:
    result = run("queue", "--at", AT)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].strip() == "queue for alice"
    rows = [
        [cell.strip() for cell in line.split("│")[1:-1]]
        for line in result.stdout.splitlines()
        if line.startswith("│")
    ]
    phones = [db.one("SELECT phone FROM contacts WHERE id = ?", (i,))[0] for i in two_leads]
    first, second = two_leads
    assert rows == [
        # Ada: inbound, 500 employees (tier A), in 5 minutes ago with a 1 h SLA.
        ["1", str(first), "Ada Lee", "Engines", phones[0], "Mon 10:00 EST", "A",
         "new A lead — SLA 55 min left"],
        # Bo: 120 employees (tier B), one business day, in Chicago an hour behind.
        ["2", str(second), "Bo Lee", "Acme Corp", phones[1], "Mon 09:00 CST", "B",
         "new B lead — SLA 7 h left"],
    ]  # fmt: skip


def test_next_then_log(run, two_leads, db) -> None:
    claimed = json.loads(run("next", "--at", AT, "--json").stdout)
    assert claimed["contact_id"] == two_leads[0] and claimed["claimed_by"] == "alice"
    other = json.loads(run("next", "--at", AT, "--json", rep="bob").stdout)
    assert other["contact_id"] == two_leads[1]
    assert json.loads(run("next", "--at", AT, "--json", rep="carol").stdout) is None
    refused = run("log", str(two_leads[0]), "no_answer", "--at", AT, rep="bob")
    assert refused.exit_code == 1
    assert refused.stderr.strip().splitlines() == [
        f"error: contact {two_leads[0]} is claimed by alice (lease ends in 15 min)"
    ]
    logged = run(
        "log",
        str(two_leads[0]),
        "callback",
        "--callback",
        "tomorrow 3pm",
        "--note",
        "wants pricing",
        "--at",
        AT,
        "--json",
    )
    assert logged.exit_code == 0, logged.output
    body = json.loads(logged.stdout)
    assert {k: body[k] for k in ("contact_id", "disposition", "status", "next_call_at")} == {
        "contact_id": two_leads[0],
        "disposition": "callback",
        "status": "open",
        "next_call_at": "2026-11-24T15:00:00-05:00",
    }
    assert body["callback_outside_window"] is False
    late = ("log", str(two_leads[1]), "callback", "--callback", "tomorrow 6pm", "--at", AT)
    refused = run(*late, rep="bob")
    assert refused.exit_code == 1
    assert refused.stderr.strip().splitlines() == [
        "error: --callback 'tomorrow 6pm' is Tue 24 Nov 18:00 CST — after 17:00: outside the"
        " prospect's calling window; next open Wed 09:00 CST (--anyway keeps it);"
        " nothing was saved"
    ]
    human = run(*late, "--anyway", rep="bob")
    assert human.exit_code == 0, human.output
    assert "18:00 CST (prospect) = Tue 19:00 EST (you)" in human.stdout
    assert "after 17:00: outside the prospect's calling window" in human.stdout
    assert db.one("SELECT count(*) FROM calls")[0] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "999", "no_answer"], "error: no contact with id 999"),
        (["log", "{id}", "nope"], "error: unknown disposition 'nope'"),
        (
            ["log", "{id}", "callback", "--callback", "whenever"],
            "error: --callback 'whenever' is not a time",
        ),
        (["log", "{id}", "no_answer", "--at", "monday"], "error: --at 'monday' is not an ISO"),
        (["queue", "--at", "yesterday"], "error: --at 'yesterday' is not an ISO"),
    ],
)
def test_bad_input_is_one_line_exit_1_nothing_written(run, two_leads, db, args, message):
    args = [a.format(id=two_leads[0]) for a in args]
    if "--at" not in args:
        args += ["--at", AT]
    result = run(*args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), lines
    assert db.one("SELECT count(*) FROM calls")[0] == 0
    assert db.one("SELECT count(*) FROM contacts WHERE claimed_by IS NOT NULL")[0] == 0


def test_claim_commands(run, two_leads) -> None:
    first = str(two_leads[0])
    run("next", "--at", AT)
    assert run("claim", "dialed", first, "--at", AT).exit_code == 0
    listed = json.loads(run("claim", "list", "--at", AT, "--json").stdout)
    assert [item["contact_id"] for item in listed] == [two_leads[0]]
    assert (
        "until 2026-11-23 15:20"
        in run("claim", "renew", first, "--at", "2026-11-23T15:05:00Z").stdout
    )
    assert "released" in run("claim", "release", first, "--at", AT).stdout
    assert run("claim", "renew", first, "--at", AT).exit_code == 1


def test_a_late_evening_lead_is_due_in_the_next_calling_hour(run, tmp_path) -> None:
    # In at 21:49 New York time on Monday: nobody can call before Tuesday 09:00, so the
    # 1 h A lead is due at 10:00, and at 09:30 it has 30 minutes left (not "overdue").
    leads = tmp_path / "web.csv"
    leads.write_text(
        "First Name,Last Name,Company,Phone,State,Lead Source,Employees\n"
        "Ann,Ray,Orbit,+1 212 555 0142,NY,inbound,500\n",
        "utf-8",
    )
    imported = run("import", str(leads), "--at", "2026-11-23T21:49:00-05:00")
    assert imported.exit_code == 0, imported.output
    result = run("queue", "--json", "--at", "2026-11-24T09:30:00-05:00")
    [item] = json.loads(result.stdout)
    assert item["sla_due_at"] == "2026-11-24T15:00:00Z"
    assert item["reason"] == "new A lead — SLA 30 min left"
    result = run("queue", "--json", "--at", "2026-11-24T10:15:00-05:00")
    assert json.loads(result.stdout)[0]["reason"] == "new A lead — SLA overdue by 15 min"
