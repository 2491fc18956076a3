"""Rep states (ready, on call, wrap-up, paused, offline) moved by the services themselves."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prospector.foundations.clock import to_db
from prospector.foundations.errors import ClaimError, ProspectorError, SettingsError
from prospector.services import calls, claims, rep_states
from tests.backend import rows
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact

T0 = MONDAY_10_ET


def stays(db, rep: str = "alice") -> list[tuple]:
    return [
        tuple(row)
        for row in db.query(
            "SELECT state, code, started_at, ended_at FROM rep_states WHERE rep = ?"
            " ORDER BY started_at",
            (rep,),
        )
    ]


def at(minutes: float) -> str:
    return to_db(T0 + timedelta(minutes=minutes))


def test_claim_dial_hangup_log_walk_through_every_state(db) -> None:
    first = add_contact(db, now=T0)
    add_contact(db, now=T0)
    item = claims.claim_next(db, rep="alice", now=T0)
    assert item is not None and item.contact_id == first
    claims.mark_dialed(db, first, rep="alice", now=T0 + timedelta(minutes=1))
    with db.write():
        assert rep_states.hangup(db, "alice", T0 + timedelta(minutes=4), contact_id=first)
    calls.log_call(db, first, "no_answer", rep="alice", now=T0 + timedelta(minutes=5))
    claims.claim_next(db, rep="alice", now=T0 + timedelta(minutes=6))  # still ready: no new stay
    assert stays(db) == [
        ("ready", None, at(0), at(1)),
        ("on_call", None, at(1), at(4)),
        ("wrap_up", None, at(4), at(5)),
        ("ready", None, at(5), None),
    ]
    state = rep_states.state_of(db, "alice", T0 + timedelta(minutes=6))
    assert state is not None and state.state == "ready"
    assert state.seconds_in_state(T0 + timedelta(minutes=6)) == 60


def test_next_says_a_ready_rep_is_there_once_a_third_of_a_lease(db) -> None:
    """A claim by a rep ready and heard from within a third of a lease (5 of the 15
    minutes) writes no state: only a later one moves ``seen_at`` on."""
    for _ in range(3):
        add_contact(db, now=T0)
    seen = "SELECT seen_at FROM rep_states WHERE rep = 'alice' AND ended_at IS NULL"
    claims.claim_next(db, rep="alice", now=T0)
    claims.claim_next(db, rep="alice", now=T0 + timedelta(minutes=4))
    assert rows(db.path, seen) == [(at(0),)]
    claims.claim_next(db, rep="alice", now=T0 + timedelta(minutes=6))
    assert rows(db.path, seen) == [(at(6),)]
    assert [state for state, *_ in stays(db)] == ["ready"]


def test_entering_the_same_state_again_changes_nothing_but_the_last_seen(db) -> None:
    with db.write():
        assert rep_states.enter(db, "alice", "paused", T0, code="lunch") == "paused"
    with db.write():
        rep_states.enter(db, "alice", "paused", T0 + timedelta(minutes=3), code="lunch")
    assert stays(db) == [("paused", "lunch", at(0), None)]
    assert rows(db.path, "SELECT seen_at FROM rep_states") == [(at(3),)]
    with db.write():  # another code is another stay
        rep_states.enter(db, "alice", "paused", T0 + timedelta(minutes=5), code="break")
    assert stays(db) == [("paused", "lunch", at(0), at(5)), ("paused", "break", at(5), None)]


def test_two_states_in_one_second_keep_only_the_last(db) -> None:
    with db.write():
        rep_states.enter(db, "alice", "ready", T0)
        rep_states.enter(db, "alice", "on_call", T0, contact_id=7)
    assert stays(db) == [("on_call", None, at(0), None)]


def test_a_hangup_after_the_log_leaves_the_rep_ready(db) -> None:
    contact = add_contact(db, now=T0)
    claims.claim_next(db, rep="alice", now=T0)
    calls.log_call(db, contact, "no_answer", rep="alice", now=T0 + timedelta(minutes=2))
    with db.write():
        assert not rep_states.hangup(db, "alice", T0 + timedelta(minutes=3))
    assert [s[0] for s in stays(db)] == ["ready"]


def test_pause_releases_undialed_leads_untouched_and_refuses_claims(db) -> None:
    contact = add_contact(db, now=T0)
    claims.claim_next(db, rep="alice", now=T0)
    before = rows(db.path, "SELECT next_call_at, attempts, deferred_until FROM contacts")
    chosen = rep_states.pause(db, "alice", "Lunch", T0 + timedelta(minutes=1))
    assert chosen.code == "lunch"
    assert rows(db.path, "SELECT claimed_by FROM contacts WHERE id = ?", (contact,)) == [(None,)]
    assert rows(db.path, "SELECT next_call_at, attempts, deferred_until FROM contacts") == before
    with pytest.raises(ClaimError, match="alice is paused"):
        claims.claim_next(db, rep="alice", now=T0 + timedelta(minutes=2))
    with pytest.raises(ClaimError, match="paused"):
        claims.claim_contact(db, contact, rep="alice", now=T0 + timedelta(minutes=2))
    assert rows(db.path, "SELECT claimed_by FROM contacts") == [(None,)]
    # Another rep takes the lead back from the queue meanwhile.
    assert claims.claim_next(db, rep="bob", now=T0 + timedelta(minutes=2)) is not None
    assert rep_states.resume(db, "alice", T0 + timedelta(minutes=30))
    assert not rep_states.resume(db, "alice", T0 + timedelta(minutes=31))
    assert stays(db) == [
        ("ready", None, at(0), at(1)),
        ("paused", "lunch", at(1), at(30)),
        ("ready", None, at(30), None),
    ]


def test_pause_is_refused_while_a_dial_waits_for_its_outcome(db) -> None:
    contact = add_contact(db, now=T0)
    claims.claim_next(db, rep="alice", now=T0)
    claims.mark_dialed(db, contact, rep="alice", now=T0)
    with pytest.raises(ProspectorError, match="log the call first"):
        rep_states.pause(db, "alice", "lunch", T0 + timedelta(minutes=1))
    with pytest.raises(SettingsError, match="unknown pause code 'nap'"):
        rep_states.pause(db, "alice", "nap", T0 + timedelta(minutes=1))
    assert [s[0] for s in stays(db)] == ["on_call"]


def test_a_call_logged_while_paused_keeps_the_pause(db) -> None:
    contact = add_contact(db, now=T0)
    rep_states.pause(db, "alice", "admin", T0)
    calls.log_call(db, contact, "no_answer", rep="alice", now=T0 + timedelta(minutes=1))
    assert stays(db) == [("paused", "admin", at(0), None)]


def test_a_quiet_desk_reads_offline_and_its_stay_ends_where_it_went_quiet(db) -> None:
    contact = add_contact(db, now=T0)
    claims.claim_next(db, rep="alice", now=T0)
    claims.renew_claim(db, contact, rep="alice", now=T0 + timedelta(minutes=5))
    lease = 15  # the shipped calling.lease_minutes
    heard = rep_states.state_of(db, "alice", T0 + timedelta(minutes=5 + lease))
    assert heard is not None and heard.state == "ready"
    gone = rep_states.state_of(db, "alice", T0 + timedelta(minutes=5 + lease, seconds=1))
    assert gone is not None and gone.state == "offline"
    assert gone.since == T0 + timedelta(minutes=5 + lease)
    claims.claim_next(db, rep="alice", now=T0 + timedelta(hours=3))
    assert stays(db) == [
        ("ready", None, at(0), at(5 + lease)),
        ("ready", None, at(180), None),
    ]


def test_closing_the_workbench_is_offline_and_never_read_back_as_anything_else(db) -> None:
    rep_states.change(db, "alice", "ready", T0)
    rep_states.change(db, "alice", "offline", T0 + timedelta(minutes=10))
    later = rep_states.state_of(db, "alice", T0 + timedelta(days=2))
    assert later is not None and later.state == "offline"
    assert later.since == T0 + timedelta(minutes=10)
    assert rep_states.state_of(db, "bob", T0) is None


def test_writes_dated_in_the_past_leave_the_state_now_alone(db) -> None:
    first, second = add_contact(db, now=T0 - timedelta(days=1)), add_contact(db, now=T0)
    calls.log_call(db, first, "no_answer", rep="alice", now=T0 + timedelta(minutes=10))
    claims.claim_next(db, rep="alice", now=T0 + timedelta(minutes=20))
    claims.mark_dialed(db, second, rep="alice", now=T0 + timedelta(minutes=21))
    # A call from yesterday typed in now (log --at), twice: no error, alice still on call.
    calls.log_call(db, first, "no_answer", rep="alice", now=T0 - timedelta(hours=20))
    calls.log_call(db, first, "busy", rep="alice", now=T0 - timedelta(hours=20))
    assert stays(db) == [("ready", None, at(10), at(21)), ("on_call", None, at(21), None)]
    assert rows(db.path, "SELECT seen_at FROM rep_states WHERE ended_at IS NULL") == [(at(21),)]
