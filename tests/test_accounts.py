"""The whole account: colleagues ranked for the card, the account view's page and total,
and ``calling.account_lock`` (one rep at a time on an account), on both backends."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.foundations.clock import from_db, to_db
from prospector.foundations.db import Database
from prospector.foundations.errors import ClaimError, NotFoundError
from prospector.services.accounts import account_holder, account_of, account_view, colleagues
from prospector.services.calls import log_call
from prospector.services.claims import claim_contact, claim_next, release_claim
from prospector.services.fit import replace_settings
from prospector.services.settings import default_settings, parse_settings
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact

NOW = MONDAY_10_ET
AT = NOW.isoformat()
ROOT = Path(__file__).resolve().parents[1]


def lock_accounts(db: Database, on: bool = True) -> None:
    """Store the default settings with ``calling.account_lock`` set to ``on``."""
    text = default_settings().source_text
    assert "account_lock = false" in text
    text = text.replace("account_lock = false", f"account_lock = {str(on).lower()}", 1)
    replace_settings(db, parse_settings(text), actor="test", now=NOW)


def account(db: Database, size: int, company: str = "Acme Corp", **columns) -> list[int]:
    """``size`` contacts of one new account (the first one's), in insertion order."""
    first = add_contact(db, now=NOW, company=company, first_name="P0", last_name="Lee", **columns)
    account_id = account_of(db, first)
    return [first] + [
        add_contact(
            db, now=NOW, first_name=f"P{n}", last_name="Lee", account_id=account_id, **columns
        )
        for n in range(1, size)
    ]


def test_colleagues_rank_held_then_meeting_then_last_called_with_their_last_call(db) -> None:
    me, held, expired, met, old, recent, never, never2 = account(db, 8)
    log_call(db, old, "no_answer", rep="carol", now=NOW - timedelta(days=3))
    log_call(db, recent, "no_answer", rep="dave", now=NOW - timedelta(days=2))
    log_call(db, recent, "voicemail", rep="erin", now=NOW - timedelta(hours=1))
    with db.write():
        db.execute("UPDATE contacts SET status = 'qualified' WHERE id = ?", (met,))
        db.execute(
            "UPDATE contacts SET claimed_by = 'bob', claim_expires_at = ? WHERE id = ?",
            (to_db(NOW + timedelta(minutes=5)), held),
        )
        db.execute(
            "UPDATE contacts SET claimed_by = 'zed', claim_expires_at = ? WHERE id = ?",
            (to_db(NOW - timedelta(minutes=1)), expired),
        )
    found = colleagues(db, me, now=NOW, limit=5)
    assert found.total == 7 and found.more == 2
    assert [c.contact_id for c in found.shown] == [held, met, recent, old, expired]
    first, _, last_called, older, lapsed = found.shown
    assert (first.held_by, first.held_until) == ("bob", NOW + timedelta(minutes=5))
    assert lapsed.held_by is None and lapsed.held_until is None  # a lease run out holds nothing
    assert (last_called.last_disposition, last_called.last_rep) == ("voicemail", "erin")
    assert last_called.last_call_at == NOW - timedelta(hours=1)
    assert (older.last_disposition, older.last_rep) == ("no_answer", "carol")
    assert found.shown[1].status == "qualified" and found.shown[1].last_call_at is None
    everyone = colleagues(db, me, now=NOW, limit=50)
    assert [c.contact_id for c in everyone.shown][5:] == [never, never2]  # never called: by id
    assert me not in [c.contact_id for c in everyone.shown]
    assert everyone.shown[0].as_json()["last_call"] is None
    assert everyone.shown[2].as_json()["last_call"] == {
        "at": to_db(NOW - timedelta(hours=1)),
        "disposition": "voicemail",
        "rep": "erin",
    }


def test_a_contact_alone_at_its_account_or_without_one_has_no_colleague(db) -> None:
    alone = add_contact(db, now=NOW)
    orphan = add_contact(db, now=NOW, account_id=None)
    for contact in (alone, orphan, 10**9):
        found = colleagues(db, contact, now=NOW)
        assert (found.shown, found.total) == ((), 0)


def test_the_account_view_lists_a_page_of_all_its_contacts_with_the_total(db) -> None:
    ids = account(db, 30, company="Big Co")
    add_contact(db, now=NOW, company="Other Co")  # not in the account
    with db.write():
        db.execute(
            "UPDATE contacts SET claimed_by = 'bob', claim_expires_at = ? WHERE id = ?",
            (to_db(NOW + timedelta(minutes=5)), ids[17]),
        )
    view = account_view(db, account_of(db, ids[0]), now=NOW, limit=10)
    assert view.account.name == "Big Co" and view.account.employees == 120
    assert view.account.industry == "Software"
    assert view.contacts.total == 30 and view.contacts.more == 20
    assert [c.contact_id for c in view.contacts.shown] == [ids[17], *ids[:9]]
    whole = account_view(db, view.account.account_id, now=NOW)
    assert sorted(c.contact_id for c in whole.contacts.shown) == ids


@pytest.mark.parametrize("account_id", [0, -1, 10**9, 2**70])
def test_an_unknown_account_is_not_found(db, account_id) -> None:
    add_contact(db, now=NOW)
    with pytest.raises(NotFoundError, match=f"no account with id {account_id}"):
        account_view(db, account_id, now=NOW)


def test_without_the_lock_two_reps_call_one_account(db) -> None:
    ids = account(db, 2)
    assert not default_settings().calling.account_lock
    got = {claim_next(db, rep=rep, now=NOW).contact_id for rep in ("alice", "bob")}
    assert got == set(ids)
    claim_contact(db, ids[0], rep="alice", now=NOW)  # alice's own; bob holds the other


def test_with_the_lock_next_skips_an_account_another_rep_holds(db) -> None:
    lock_accounts(db)
    acme = account(db, 3)
    other = add_contact(db, now=NOW, company="Other Co", employees=20)  # last in the queue
    alice = claim_next(db, rep="alice", now=NOW)
    assert alice.contact_id in acme
    assert claim_next(db, rep="bob", now=NOW).contact_id == other
    assert claim_next(db, rep="carol", now=NOW) is None  # Acme is alice's, Other Co bob's
    # alice moves on inside her account: she may, it is hers.
    assert claim_next(db, rep="alice", now=NOW).contact_id in acme
    # Her lease runs out: the account is free again.
    later = NOW + timedelta(minutes=16)
    assert claim_next(db, rep="carol", now=later).contact_id in acme


def test_with_the_lock_opening_a_contact_of_a_held_account_says_who_holds_it(db) -> None:
    lock_accounts(db)
    first, second = account(db, 2)
    claim_contact(db, first, rep="alice", now=NOW)
    with pytest.raises(ClaimError) as refused:
        claim_contact(db, second, rep="bob", now=NOW)
    assert str(refused.value) == (
        f"contact {second}: Acme Corp is held by alice (calling contact {first});"
        " with calling.account_lock one rep at a time calls an account"
    )
    assert account_holder(db, second, rep="bob", now=NOW) == ("alice", first)
    assert account_holder(db, second, rep="alice", now=NOW) is None
    log_call(db, first, "no_answer", rep="alice", now=NOW)  # releases the account
    assert claim_contact(db, second, rep="bob", now=NOW).claimed_by == "bob"


def test_settings_refuse_an_account_lock_that_is_not_true_or_false() -> None:
    text = default_settings().source_text.replace("account_lock = false", 'account_lock = "yes"')
    with pytest.raises(Exception, match=r"calling\.account_lock.*true or false"):
        parse_settings(text)


REPS = ("alice", "bob", "carol")
steps = st.lists(
    st.tuples(
        st.sampled_from(REPS),
        st.sampled_from(["next", "open", "log", "release", "later"]),
        st.integers(0, 11),
    ),
    min_size=1,
    max_size=25,
)


@pytest.fixture
def locked_world(db):
    """Three accounts of four contacts, the lock on; built once, reset per example."""
    lock_accounts(db)
    ids = [contact for company in ("A Co", "B Co", "C Co") for contact in account(db, 4, company)]
    yield db, ids


def live_holders(db: Database, now) -> dict[int, set[str]]:
    holders: dict[int, set[str]] = {}
    for account_id, rep, until in db.query(
        "SELECT account_id, claimed_by, claim_expires_at FROM contacts WHERE claimed_by IS NOT NULL"
    ):
        if until is None or from_db(until) > now:
            holders.setdefault(account_id, set()).add(rep)
    return holders


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=steps)
def test_with_the_lock_two_reps_never_hold_one_account(locked_world, plan) -> None:
    db, ids = locked_world
    with db.write():
        db.execute(
            "UPDATE contacts SET claimed_by = NULL, claim_expires_at = NULL, dialed_at = NULL,"
            " status = 'open', attempts = 0, next_call_at = ?, callback_at = NULL",
            (to_db(NOW),),
        )
    now = NOW
    for rep, step, index in plan:
        contact = ids[index]
        try:
            if step == "next":
                claim_next(db, rep=rep, now=now)
            elif step == "open":
                claim_contact(db, contact, rep=rep, now=now)
            elif step == "log":
                log_call(db, contact, "busy", rep=rep, now=now)
            elif step == "release":
                release_claim(db, contact, rep=rep, now=now)
            else:
                now += timedelta(minutes=6)  # leases (15 min) run out in turn
        except ClaimError:
            pass
        except Exception as error:  # log_call refuses another rep's lead in its own words
            assert "claimed by" in str(error) or "not open" in str(error), error
        assert all(len(reps) == 1 for reps in live_holders(db, now).values())


ACCOUNTS, PER_ACCOUNT, LOCKING_REPS = 6, 5, 6


@pytest.mark.slow
def test_with_the_lock_reps_in_many_processes_never_hold_one_account_at_once(db, db_path):
    lock_accounts(db)
    for n in range(ACCOUNTS):
        account(db, PER_ACCOUNT, company=f"Company {n}")
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.account_lock_worker",
                str(db_path),
                f"rep{n}",
                NOW.isoformat(),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(LOCKING_REPS)
    ]
    holds = []
    for n, proc in enumerate(procs):
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        holds += [{**hold, "rep": f"rep{n}"} for hold in json.loads(out)]
    assert sorted(hold["contact"] for hold in holds) == sorted(
        row[0] for row in db.query("SELECT id FROM contacts")
    )  # every contact was claimed once and logged
    assert len({hold["rep"] for hold in holds}) > 1  # the reps did work side by side
    for one in holds:
        for other in holds:
            if one["rep"] != other["rep"] and one["account"] == other["account"]:
                assert one["to"] <= other["from"] or other["to"] <= one["from"], (one, other)


@pytest.mark.sqlite_only
@pytest.mark.parametrize("locked", [False, True])
def test_next_reads_the_account_only_with_the_lock_on(db, locked) -> None:
    """Without the lock no statement of ``next`` looks at who holds the account (the
    lock's condition is left out of the text, not made true)."""
    lock_accounts(db, on=locked)
    account(db, 3)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        assert claim_next(db, rep="alice", now=NOW) is not None
    finally:
        db.conn.set_trace_callback(None)
    looking = [sql for sql in statements if "h.account_id = c.account_id" in sql]
    assert bool(looking) is locked
