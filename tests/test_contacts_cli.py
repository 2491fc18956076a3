"""``prospector search`` and ``prospector show`` through the real CLI."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from prospector.foundations.db import open_database
from prospector.services.calls import log_call
from prospector.services.handoffs import qualify
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact

AT = "2026-11-23T10:00:00-05:00"


@pytest.fixture
def team(db_path) -> dict[str, int]:
    with open_database(db_path) as db:
        ids = {
            "anna": add_contact(
                db, now=MONDAY_10_ET, first_name="Anna", last_name="Müller", phone="+12125550102",
                company="Société Générale", email="anna@sg.example", state="NY",
            ),
            "hans": add_contact(
                db, now=MONDAY_10_ET, first_name="Hans", last_name="Muller", phone="+12125550104",
                company="Muller AG", email="hans_m@muller.example", state="NY",
            ),
            "fiona": add_contact(
                db, now=MONDAY_10_ET, first_name="Fiona", last_name="Murray",
                phone="+441314960624", zones=("Europe/London",), country="GB",
                company="Edinburgh Works", email="hansm@ed.example",
            ),
        }  # fmt: skip
    return ids


def test_search_prints_one_line_a_match(team, run) -> None:
    result = run("search", "muller")
    assert result.exit_code == 0
    assert result.output == (
        f"{team['hans']}  Hans Muller · Muller AG · +12125550104  (open)\n"
        f"{team['anna']}  Anna Müller · Société Générale · +12125550102  (open)\n"
    )


def test_search_json_and_limit(team, run) -> None:
    result = run("search", "MÜLLER", "--json", "--limit", "1")
    assert json.loads(result.output) == [
        {
            "contact_id": team["hans"],
            "name": "Hans Muller",
            "company": "Muller AG",
            "phone": "+12125550104",
            "status": "open",
        }
    ]


def test_search_rules_from_the_shell(team, run) -> None:
    def ids(text: str) -> list[int]:
        return [match["contact_id"] for match in json.loads(run("search", text, "--json").output)]

    assert ids("hans_m") == [team["hans"]]  # not hansm@ed.example
    assert ids("%") == []
    assert ids("0131 496 0624") == [team["fiona"]]
    assert ids("(212) 555-0102") == [team["anna"]]
    assert ids("societe") == [team["anna"]]


@pytest.mark.parametrize("text", ["12345678901234567890", "%", "#" + "9" * 30, " "])
def test_search_finding_nothing_says_so_and_exits_0(team, run, text) -> None:
    result = run("search", text)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "no contact matches\n", "")


def test_show_prints_the_card_with_calls_and_handoff(team, db_path, run) -> None:
    hans = team["hans"]
    with open_database(db_path) as db:
        note = "ask for Hans\nafter 2pm"
        log_call(db, hans, "gatekeeper", rep="alice", now=MONDAY_10_ET, note=note, duration=30)
        later = MONDAY_10_ET + timedelta(hours=1)
        log_call(db, hans, "meeting_set", rep="alice", now=later, note="demo booked", duration=300)
        qualify(db, hans, rep="alice", now=later, amount="12,500")
    result = run("show", str(hans), "--at", "2026-11-23T11:30:00-05:00")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{hans}  Hans Muller — VP Sales, Muller AG"
    assert lines[1] == "  phone       +12125550104  (212) 555-0104  (fixed_line_or_mobile)"
    assert "  email       hans_m@muller.example" in lines
    assert "  zones       America/New_York" in lines
    assert "  local time  Mon 11:30 EST (window open until 12:00)" in lines
    assert "  status      qualified (handed off)" in lines
    assert "  do-not-call no" in lines
    assert "  attempts    2 of 6" in lines  # tier B (50+ employees): 6 attempts
    assert "  calls       2" in lines
    calls = lines[lines.index("  calls       2") + 1 :]
    assert calls[:5] == [
        "    2026-11-23 11:00 EST  alice  meeting_set  attempt 2, 300 s",
        "      demo booked",
        "    2026-11-23 10:00 EST  alice  gatekeeper  attempt 1, 30 s",
        "      ask for Hans",
        "      after 2pm",
    ]
    assert calls[5] == "  handoff"
    assert calls[6] == "    #1 pending to Dana Whitfield, amount 12500.00"  # first outside rep


def test_show_json(team, db_path, run) -> None:
    with open_database(db_path) as db:
        log_call(db, team["anna"], "no_answer", rep="alice", now=MONDAY_10_ET, note="rang out")
    card = json.loads(run("show", str(team["anna"]), "--json", "--at", AT).output)
    assert card["contact_id"] == team["anna"] and card["name"] == "Anna Müller"
    assert card["company"] == "Société Générale" and card["phone"] == "+12125550102"
    assert card["local_time"] == "2026-11-23T10:00:00-05:00"
    assert card["window_open"] is True and card["window_until"] == "2026-11-23T12:00:00-05:00"
    assert card["attempts"] == 1 and card["dnc"] is False and card["claimed_by"] is None
    assert card["next_call_at"] == "2026-11-23T19:00:00Z"  # no answer: retry in 4 hours
    assert [(c["disposition"], c["note"], c["at"]) for c in card["calls"]] == [
        ("no_answer", "rang out", "2026-11-23T15:00:00Z")
    ]
    assert card["handoffs"] == []


def test_show_an_unknown_id_is_one_line(team, run) -> None:
    result = run("show", "999")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "error: no contact with id 999\n"


@pytest.mark.parametrize("contact_id", ["12345678901234567890", "0", "-3"])
def test_show_an_absurd_id_is_one_line_naming_the_range(team, run, contact_id) -> None:
    result = run("show", contact_id)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        f"error: Invalid value for 'CONTACT_ID': '{contact_id}' is not an id"
        " (expected a whole number from 1 to 9223372036854775807)\n"
    )
