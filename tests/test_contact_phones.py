"""A contact's phones at the desk: switching, logging on a number, wrong numbers, recycling.

Contacts come in through the real importer with one phone; their other numbers are
added the way the importer keeps them (``tests.factories.add_phone``), until the
importer fills several phones itself.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database, open_database
from prospector.foundations.errors import ClaimError, ProspectorError
from prospector.services import claims
from prospector.services.calls import log_call
from prospector.services.contact_phones import next_offered, phones_of, switch_phone
from prospector.services.contacts import contact_card
from prospector.services.recycling import recycle_due
from tests.cli_checks import assert_one_line_error, dump
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact, add_dnc_number, add_phone

AT = "2026-11-23T10:00:00-05:00"
DIRECT = "+12125550100"
MOBILE = "+19175550101"
SWITCHBOARD = "+12125550199"


def import_one(
    run, db_path: Path | str, folder: Path, name: str = "Ada", phone: str = "(212) 555-0100"
) -> int:
    """Import a one-phone list of one person through the real CLI; returns the id."""
    path = folder / f"{name}.csv"
    path.write_text(
        f"first_name,last_name,company,title,phone,state\n{name},Lovelace,Engines,CTO,{phone},NY\n",
        encoding="utf-8",
    )
    result = run("import", str(path), "--source", "list", "--at", AT)
    assert result.exit_code == 0, result.output
    with open_database(db_path) as db:
        return int(db.one("SELECT id FROM contacts WHERE first_name = ?", (name,))[0])


@pytest.fixture
def ada(run, db_path, tmp_path) -> int:
    """Ada: her direct line (imported), then a mobile and the company switchboard (ext. 4)."""
    contact = import_one(run, db_path, tmp_path)
    with open_database(db_path) as db:
        add_phone(db, contact, MOBILE, "mobile")
        add_phone(db, contact, SWITCHBOARD, "company", extension="4", number_type="fixed_line")
    return contact


def contact_row(db: Database, contact_id: int):
    return db.one(
        "SELECT phone, phone_ext, phone_bad, status, close_reason, attempts, next_call_at"
        " FROM contacts WHERE id = ?",
        (contact_id,),
    )


def test_phones_are_listed_in_dial_order(ada, db_path) -> None:
    with open_database(db_path) as db:
        phones = phones_of(db, ada)
        card = contact_card(db, ada, now=MONDAY_10_ET)
    assert [(p.e164, p.kind, p.extension, p.rank) for p in phones] == [
        (DIRECT, "work", None, 0),
        (MOBILE, "mobile", None, 1),
        (SWITCHBOARD, "company", "4", 2),
    ]
    assert card.phone == DIRECT and card.phones == phones


def test_switch_is_audited_and_changes_nothing_else(ada, db_path) -> None:
    with open_database(db_path) as db:
        before = contact_row(db, ada)
        phone = switch_phone(db, ada, MOBILE, rep="alice", now=MONDAY_10_ET)
        assert phone.kind == "mobile"
        assert contact_row(db, ada) == before
        audit = db.query("SELECT at, actor, action, subject, detail FROM audit_log")
    assert [tuple(row) for row in audit] == [
        (
            to_db(MONDAY_10_ET),
            "alice",
            "contact.phone_switch",
            f"contact:{ada}",
            f"from {DIRECT} to {MOBILE} (mobile)",
        )
    ]


def test_the_next_number_offered_skips_bad_and_dnc_ones(ada, db_path) -> None:
    with open_database(db_path) as db:
        add_phone(db, ada, "+13125550111", "other")
        log_call(db, ada, "wrong_number", rep="alice", now=MONDAY_10_ET, phone=MOBILE)
        add_dnc_number(db, SWITCHBOARD, now=MONDAY_10_ET)
        phones = phones_of(db, ada)
    assert [p.e164 for p in phones if p.offered] == [DIRECT, "+13125550111"]
    assert next_offered(phones, DIRECT).e164 == "+13125550111"
    assert next_offered(phones, "+13125550111").e164 == DIRECT  # round again
    assert next_offered(phones[:1], DIRECT) is None


def test_switch_refuses_what_may_not_be_dialled(ada, db_path) -> None:
    with open_database(db_path) as db:
        with pytest.raises(ProspectorError, match=r"has no phone \+13125550000"):
            switch_phone(db, ada, "+13125550000", rep="alice", now=MONDAY_10_ET)
        log_call(db, ada, "wrong_number", rep="alice", now=MONDAY_10_ET, phone=MOBILE)
        with pytest.raises(ProspectorError, match="marked as a wrong number"):
            switch_phone(db, ada, MOBILE, rep="alice", now=MONDAY_10_ET)
        add_dnc_number(db, SWITCHBOARD, now=MONDAY_10_ET)
        with pytest.raises(ProspectorError, match="do-not-call"):
            switch_phone(db, ada, SWITCHBOARD, rep="alice", now=MONDAY_10_ET)
        claims.claim_contact(db, ada, rep="bob", now=MONDAY_10_ET)
        with pytest.raises(ClaimError):
            switch_phone(db, ada, DIRECT, rep="alice", now=MONDAY_10_ET)
        switches = db.one("SELECT count(*) FROM audit_log WHERE action = 'contact.phone_switch'")
    assert switches[0] == 0


def test_a_call_records_the_number_it_was_made_on(ada, db_path) -> None:
    with open_database(db_path) as db:
        log_call(db, ada, "no_answer", rep="alice", now=MONDAY_10_ET)
        later = MONDAY_10_ET + timedelta(hours=5)
        log_call(db, ada, "no_answer", rep="alice", now=later, phone=SWITCHBOARD)
        calls = db.query("SELECT phone, phone_ext FROM calls ORDER BY id")
        # Only rang out: the switch was for that call, the contact is dialled as before.
        assert contact_row(db, ada)["phone"] == DIRECT
        card = contact_card(db, ada, now=later)
    assert [tuple(call) for call in calls] == [(DIRECT, None), (SWITCHBOARD, "4")]
    assert [(c.phone, c.phone_ext) for c in card.history] == [(SWITCHBOARD, "4"), (DIRECT, None)]


def test_a_connect_on_a_switched_number_makes_it_the_dialled_one(ada, db_path) -> None:
    with open_database(db_path) as db:
        log_call(db, ada, "gatekeeper", rep="alice", now=MONDAY_10_ET, phone=SWITCHBOARD)
        row = contact_row(db, ada)
        order = [(p.e164, p.rank) for p in phones_of(db, ada)]
    assert (row["phone"], row["phone_ext"]) == (SWITCHBOARD, "4")
    assert order == [(SWITCHBOARD, 0), (DIRECT, 1), (MOBILE, 2)]


def test_a_wrong_number_moves_on_then_closes(ada, db_path) -> None:
    with open_database(db_path) as db:
        first = log_call(db, ada, "wrong_number", rep="alice", now=MONDAY_10_ET)
        row = contact_row(db, ada)
        assert first.status == "open" and first.next_phone is not None
        assert first.next_phone.e164 == MOBILE
        # Due again at once (the window is open), as a follow-up; the attempt counted.
        assert (row["phone"], row["status"], row["phone_bad"]) == (MOBILE, "open", 0)
        assert (row["attempts"], row["next_call_at"]) == (1, to_db(MONDAY_10_ET))
        assert first.next_call_at == MONDAY_10_ET

        later = MONDAY_10_ET + timedelta(minutes=10)
        second = log_call(db, ada, "wrong_number", rep="alice", now=later)
        assert second.next_phone is not None and second.next_phone.e164 == SWITCHBOARD
        assert contact_row(db, ada)["phone_ext"] == "4"

        last = log_call(db, ada, "wrong_number", rep="alice", now=later)
        row = contact_row(db, ada)
        bad = [p.bad for p in phones_of(db, ada)]
        calls = [c[0] for c in db.query("SELECT phone FROM calls ORDER BY id")]
    assert last.status == "closed" and last.next_phone is None and last.next_call_at is None
    assert (row["status"], row["close_reason"], row["phone_bad"]) == ("closed", "wrong number", 1)
    assert bad == [True, True, True]
    assert calls == [DIRECT, MOBILE, SWITCHBOARD]


def test_a_wrong_switched_number_leaves_the_dialled_one(ada, db_path) -> None:
    with open_database(db_path) as db:
        logged = log_call(db, ada, "wrong_number", rep="alice", now=MONDAY_10_ET, phone=MOBILE)
        row = contact_row(db, ada)
        bad = {p.e164: p.bad for p in phones_of(db, ada)}
    assert logged.next_phone is not None and logged.next_phone.e164 == DIRECT
    assert (row["phone"], row["status"]) == (DIRECT, "open")
    assert bad == {DIRECT: False, MOBILE: True, SWITCHBOARD: False}


def test_a_dnc_on_any_number_makes_the_contact_dnc(ada, db_path) -> None:
    with open_database(db_path) as db:
        add_dnc_number(db, SWITCHBOARD, now=MONDAY_10_ET)
        logged = log_call(db, ada, "no_answer", rep="alice", now=MONDAY_10_ET)
    assert logged.status == "dnc"


def test_do_not_call_lists_the_number_called(ada, db_path) -> None:
    with open_database(db_path) as db:
        log_call(db, ada, "do_not_call", rep="alice", now=MONDAY_10_ET, phone=MOBILE)
        listed = [row[0] for row in db.query("SELECT phone FROM dnc_numbers")]
    assert listed == [MOBILE]


def test_recycling_leaves_contacts_whose_every_number_is_bad_or_any_is_dnc(db) -> None:
    """Closed for now with a recycle date: only a contact with a good number, and none on
    the DNC list, comes back."""
    people = {}
    for name in ("good", "all_bad", "one_dnc"):
        people[name] = add_contact(db, now=MONDAY_10_ET, first_name=name)
        add_phone(db, people[name], f"+1917555{len(people):04d}", "mobile")
        log_call(db, people[name], "not_interested", rep="alice", now=MONDAY_10_ET)
    with db.write():
        db.execute("UPDATE contact_phones SET bad = 1 WHERE contact_id = ?", (people["all_bad"],))
    add_dnc_number(db, "+19175550003", now=MONDAY_10_ET)
    reopened = recycle_due(db, now=MONDAY_10_ET + timedelta(days=91))
    status = {
        name: db.one("SELECT status FROM contacts WHERE id = ?", (contact,))[0]
        for name, contact in people.items()
    }
    assert reopened == 1
    assert status == {"good": "open", "all_bad": "closed", "one_dnc": "closed"}


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["no_answer", "gatekeeper", "wrong_number"]),
        st.sampled_from([None, DIRECT, MOBILE, SWITCHBOARD]),
    ),
    max_size=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations=OPERATIONS)
def test_the_dialled_number_is_the_first_good_one(tmp_path_factory, operations) -> None:
    """Whatever calls are logged on whichever numbers, the contact dials its first good
    number in dial order, and is closed exactly when no good number is left."""
    db = open_database(tmp_path_factory.mktemp("phones") / "team.db")
    try:
        contact = add_contact(db, now=MONDAY_10_ET, phone=DIRECT)
        add_phone(db, contact, MOBILE, "mobile")
        add_phone(db, contact, SWITCHBOARD, "company", extension="4")
        now = MONDAY_10_ET
        for disposition, phone in operations:
            now += timedelta(minutes=1)
            status = contact_row(db, contact)["status"]
            if status != "open":
                break
            try:
                log_call(db, contact, disposition, rep="alice", now=now, phone=phone)
            except ProspectorError as error:
                assert "marked as a wrong number" in str(error)
        phones = phones_of(db, contact)
        row = contact_row(db, contact)
        good = [p for p in phones if not p.bad]
        if good:
            assert (row["phone"], row["phone_ext"], row["phone_bad"]) == (
                good[0].e164,
                good[0].extension,
                0,
            )
            assert row["close_reason"] != "wrong number"
        else:
            assert (row["status"], row["phone_bad"]) == ("closed", 1)
        assert sorted(p.rank for p in phones) == sorted({p.rank for p in phones})
    finally:
        db.close()


# --- the CLI ------------------------------------------------------------------------


def test_show_lists_every_phone(run, ada, db_path) -> None:
    with open_database(db_path) as db:
        log_call(db, ada, "wrong_number", rep="alice", now=MONDAY_10_ET)
    result = run("show", str(ada), "--at", AT)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == f"  phone       {MOBILE}  (917) 555-0101  (mobile)"
    assert lines[2:5] == [
        f"  phones      1. work     {DIRECT}  (212) 555-0100  BAD",
        f"              2. mobile   {MOBILE}  (917) 555-0101  dialled",
        f"              3. company  {SWITCHBOARD}  (212) 555-0199 ext. 4",
    ]
    assert f"    2026-11-23 10:00 EST  alice  wrong_number  attempt 1, 0 s  on {DIRECT}" in lines

    card = json.loads(run("show", str(ada), "--json", "--at", AT).output)
    assert card["phone"] == MOBILE and card["phone_bad"] is False
    assert card["phones"] == [
        {"e164": DIRECT, "kind": "work", "extension": None,
         "number_type": "fixed_line_or_mobile", "bad": True, "dialled": False},
        {"e164": MOBILE, "kind": "mobile", "extension": None,
         "number_type": "mobile", "bad": False, "dialled": True},
        {"e164": SWITCHBOARD, "kind": "company", "extension": "4",
         "number_type": "fixed_line", "bad": False, "dialled": False},
    ]  # fmt: skip
    assert card["calls"][0]["phone"] == DIRECT


def test_log_on_another_number(run, ada, db_path) -> None:
    result = run("log", str(ada), "gatekeeper", "--phone", SWITCHBOARD, "--at", AT, "--json")
    assert result.exit_code == 0, result.output
    logged = json.loads(result.output)
    assert (logged["phone"], logged["phone_ext"], logged["next_phone"]) == (SWITCHBOARD, "4", None)
    with open_database(db_path) as db:
        assert contact_row(db, ada)["phone"] == SWITCHBOARD  # a connect: dialled from now on
        audit = db.one("SELECT actor, detail FROM audit_log WHERE action = 'contact.phone_switch'")
    assert tuple(audit) == ("alice", f"from {DIRECT} to {SWITCHBOARD} (company)")


def test_log_refuses_a_number_the_contact_does_not_have(run, ada, db_path) -> None:
    before = dump(db_path)
    result = run("log", str(ada), "no_answer", "--phone", "+13125550000", "--at", AT)
    assert_one_line_error(result, f"contact {ada} has no phone +13125550000")
    assert dump(db_path) == before


def test_a_refused_log_on_another_number_writes_no_switch(run, ada, db_path) -> None:
    # The switch is audited with the call: a call refused for another reason (a
    # callback without its time) leaves no switch behind either.
    before = dump(db_path)
    result = run("log", str(ada), "callback", "--phone", MOBILE, "--at", AT)
    assert_one_line_error(result, "a callback needs a time")
    assert dump(db_path) == before


def test_log_wrong_number_says_which_number_is_dialled(run, ada) -> None:
    result = run("log", str(ada), "wrong_number", "--at", AT)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [
        f"  wrong number: next number {MOBILE} (mobile) is dialled from now on",
        "  next call   Mon 23 Nov 10:00 EST (prospect) = Mon 10:00 EST (you)",
    ]
    run("log", str(ada), "wrong_number", "--at", AT)
    last = run("log", str(ada), "9", "--at", AT)
    assert last.output.splitlines() == [
        f"logged call 3: contact {ada} wrong_number (attempt 3) → closed",
        "  wrong number: no good number left, contact closed",
    ]


def test_next_and_queue_show_the_dialled_numbers_extension(run, db_path, tmp_path):
    contact = import_one(run, db_path, tmp_path)
    with open_database(db_path) as db, db.write():
        db.execute("UPDATE contacts SET phone_ext = '12' WHERE id = ?", (contact,))
    queue = run("queue", "--at", AT)
    assert "ext. 12" in queue.stdout
    claimed = run("next", "--at", AT)
    assert "  phone       +12125550100 ext. 12" in claimed.stdout.splitlines()
