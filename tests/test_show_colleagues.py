"""``prospector show`` lists the contact's colleagues (text and --json), through the CLI."""

from __future__ import annotations

import json
from datetime import timedelta

from prospector.foundations.clock import to_db
from prospector.foundations.db import open_database
from prospector.services.accounts import account_of
from prospector.services.calls import log_call
from prospector.services.claims import claim_contact
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact

AT = "2026-11-23T10:00:00-05:00"


def acme(db_path, size: int = 3) -> list[int]:
    """Pat at Acme Corp and ``size - 1`` colleagues: Sam called by carol, Kim held by bob."""
    with open_database(db_path) as db:
        pat = add_contact(db, now=MONDAY_10_ET, first_name="Pat", company="Acme Corp")
        account = account_of(db, pat)
        names = ["Sam", "Kim", *(f"Extra{n}" for n in range(size - 3))]
        others = [
            add_contact(
                db,
                now=MONDAY_10_ET,
                first_name=name,
                last_name="Ng",
                title=None,
                account_id=account,
            )
            for name in names
        ]
        log_call(db, others[0], "voicemail", rep="carol", now=MONDAY_10_ET - timedelta(days=1))
        claim_contact(db, others[1], rep="bob", now=MONDAY_10_ET)
    return [pat, *others]


def test_show_lists_the_colleagues_with_last_call_and_holder(db_path, run) -> None:
    pat, sam, kim = acme(db_path)
    result = run("show", str(pat), "--at", AT)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = lines.index("  colleagues  2 at Acme Corp")
    assert lines[at + 1 :] == [
        f"    {kim}  Kim Ng  open  never called  held by bob",
        f"    {sam}  Sam Ng  open  last call 2026-11-22 10:00 EST voicemail by carol",
    ]


def test_show_json_lists_the_colleagues_and_their_total(db_path, run) -> None:
    pat, sam, kim = acme(db_path)
    card = json.loads(run("show", str(pat), "--json", "--at", AT).output)
    assert card["colleagues_total"] == 2
    assert card["colleagues"] == [
        {
            "contact_id": kim,
            "name": "Kim Ng",
            "title": None,
            "status": "open",
            "last_call": None,
            "held_by": "bob",
            "held_until": to_db(MONDAY_10_ET + timedelta(minutes=15)),
        },
        {
            "contact_id": sam,
            "name": "Sam Ng",
            "title": None,
            "status": "open",
            "last_call": {"at": "2026-11-22T15:00:00Z", "disposition": "voicemail", "rep": "carol"},
            "held_by": None,
            "held_until": None,
        },
    ]


def test_show_cuts_a_big_account_to_fifty_and_says_how_many_more(db_path, run) -> None:
    pat, *_ = acme(db_path, size=60)
    lines = run("show", str(pat), "--at", AT).output.splitlines()
    assert "  colleagues  59 at Acme Corp" in lines
    assert lines[-1] == "    and 9 more"
    card = json.loads(run("show", str(pat), "--json", "--at", AT).output)
    assert (len(card["colleagues"]), card["colleagues_total"]) == (50, 59)


def test_show_a_contact_alone_at_its_account(db_path, run) -> None:
    with open_database(db_path) as db:
        alone = add_contact(db, now=MONDAY_10_ET)
    lines = run("show", str(alone), "--at", AT).output.splitlines()
    assert lines[-1] == "  colleagues  none"
    card = json.loads(run("show", str(alone), "--json", "--at", AT).output)
    assert (card["colleagues"], card["colleagues_total"]) == ([], 0)
