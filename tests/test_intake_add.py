"""`prospector add`: leads from flags or JSON lines, through the import's own rules."""

from __future__ import annotations

import json
from pathlib import Path

from tests import backend

MONDAY_2149_ET = "2026-11-23T21:49:00-05:00"
TUESDAY_1030_ET = "2026-11-24T10:30:00-05:00"
A_LEAD = ("--source", "inbound", "--employees", "500", "--company", "Big Co")


def added(run, *args: str, input: str | None = None) -> list[dict]:
    result = run("add", *args, "--json", input=input)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_an_a_lead_at_night_is_due_an_hour_into_the_next_calling_day(run, db_path):
    [lead] = added(
        run, "--first", "Ann", "--last", "Lee", "--phone", "(212) 555-0100", *A_LEAD,
        "--at", MONDAY_2149_ET,
    )  # fmt: skip
    assert lead["outcome"] == "inserted" and lead["tier"] == "A"
    # The calling day opens at 09:00 New York time: one working hour later.
    assert lead["sla_due_at"] == "2026-11-24T15:00:00Z"
    shown = json.loads(run("show", str(lead["contact_id"]), "--json").stdout)
    assert (shown["first_name"], shown["phone"], shown["company"]) == (
        "Ann",
        "+12125550100",
        "Big Co",
    )
    queue = json.loads(run("queue", "--json", "--at", "2026-11-24T09:05:00-05:00").stdout)
    assert [item["contact_id"] for item in queue] == [lead["contact_id"]]
    assert backend.rows(db_path, "SELECT created_at, sla_due_at FROM contacts") == [
        ("2026-11-24T02:49:00Z", "2026-11-24T15:00:00Z")
    ]


def test_a_lead_during_the_day_is_due_an_hour_later(run):
    [lead] = added(run, "--phone", "+1 212 555 0100", *A_LEAD, "--at", TUESDAY_1030_ET)
    assert lead["sla_due_at"] == "2026-11-24T16:30:00Z"


def test_the_same_person_again_is_matched_not_duplicated(run, db_path, tmp_path: Path):
    # A contact with two phones (from a list): a lead giving the mobile one is that contact.
    listing = tmp_path / "list.csv"
    listing.write_text("First Name,Direct Phone,Mobile Phone\nKim,(303) 555-0142,(303) 555-0199\n")
    assert run("import", str(listing), "--at", "2026-11-23T15:00:00Z").exit_code == 0
    [lead] = added(run, "--first", "Kim", "--phone", "+1 303-555-0199", "--title", "CTO")
    assert (lead["contact_id"], lead["outcome"], lead["stored"]) == (1, "updated", "updated")
    [again] = added(run, "--first", "Kim", "--phone", "303.555.0142", "--email", "kim@x.example")
    assert (again["contact_id"], again["outcome"]) == (1, "updated")
    assert backend.rows(db_path, "SELECT id, title, email FROM contacts") == [
        (1, "CTO", "kim@x.example")
    ]
    text = run("add", "--first", "Kim", "--phone", "(303) 555-0199")
    assert (text.exit_code, text.stdout) == (0, "1 updated\n")


def test_dnc_and_fit_rules_apply(run, db_path):
    assert run("dnc", "add", "212 555 0101").exit_code == 0
    dnc = run("add", "--first", "Dan", "--phone", "+1 212 555 0101")
    assert (dnc.exit_code, dnc.stdout) == (0, "1 dnc\n")
    shop = run(
        "add", "--company", "Shop Co", "--phone", "(212) 555-0102", "--industry", "eCommerce"
    )
    assert (shop.exit_code, shop.stdout) == (0, "2 filtered: no eCommerce\n")
    assert backend.rows(db_path, "SELECT id, dnc, filtered_by FROM contacts ORDER BY id") == [
        (1, 1, None),
        (2, 0, "no eCommerce"),
    ]


def test_a_lead_without_a_valid_phone_is_rejected(run, db_path):
    result = run("add", "--first", "Cy", "--phone", "12345")
    assert result.exit_code == 1
    assert result.stdout == (
        "- rejected: no valid phone: phone '12345' is not a valid number for US\n"
    )
    nophone = run("add", "--first", "Cy", "--json")
    assert nophone.exit_code == 1
    assert json.loads(nophone.stdout)["reason"] == "no phone number"
    assert json.loads(nophone.stdout)["field"] == "phone"
    assert backend.scalar(db_path, "SELECT count(*) FROM contacts") == 0


def test_stdin_takes_each_line_on_its_own(run, db_path):
    lines = "\n".join(
        [
            '{"first": "Bo", "phone": "+1 415 555 2671", "source": "inbound"}',
            '{"first": "Oops", "phone": ',
            '{"first": "Cy", "phone": "12345"}',
            '{"first": "Ed", "fax": "+1 415 555 0000"}',
            "",
            '{"first": "Di", "phone": "+44 20 7946 0018", "employees": 50}',
            '{"first": "Bo", "phone": "(415) 555-2671", "email": "bo@x.example"}',
            '["not", "an", "object"]',
        ]
    )
    result = run("add", "--stdin", "--json", "--at", TUESDAY_1030_ET, input=lines + "\n")
    assert result.exit_code == 1
    outcomes = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["line"], o["contact_id"], o["outcome"]) for o in outcomes] == [
        (1, 1, "inserted"),
        (3, None, "rejected"),
        (6, 2, "inserted"),
        (7, 1, "updated"),
    ]
    assert result.stderr.splitlines() == [
        "error: stdin line 2: not JSON (Expecting value: line 1 column 28 (char 27))",
        "error: stdin line 4: fax: unknown field; expected one of first, last, company, phone,"
        " email, title, source, list, state, country, website, employees, industry",
        "error: stdin line 8: expected a JSON object with fields first, last, company, phone,"
        " email, title, source, list, state, country, website, employees, industry",
    ]
    assert backend.rows(db_path, "SELECT id, first_name, email FROM contacts ORDER BY id") == [
        (1, "Bo", "bo@x.example"),
        (2, "Di", None),
    ]


def test_stdin_leads_arrive_when_read(run, db_path):
    added(run, "--stdin", "--at", MONDAY_2149_ET, input='{"phone": "+1 212 555 0100"}\n')
    assert backend.scalar(db_path, "SELECT received_day FROM contacts") == "2026-11-23"


def test_flags_and_stdin_together_or_neither_are_refused(run):
    both = run("add", "--stdin", "--phone", "+1 212 555 0100", input="")
    assert (both.exit_code, both.stderr) == (
        1,
        "error: give a lead's fields as options or on --stdin, not both\n",
    )
    neither = run("add")
    assert neither.exit_code == 1 and "no lead" in neither.stderr
    wrong = run("add", "--stdin", input='{"phone": 2125550100}\n')
    assert (wrong.exit_code, wrong.stderr) == (
        1,
        "error: stdin line 1: phone: expected text, got int\n",
    )
