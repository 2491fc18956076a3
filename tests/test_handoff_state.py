"""A qualified contact stays qualified whatever is logged on it later (issue 13, item 5).

The calls are recorded (history, reports); the contact never re-enters any rep's
queue, cannot be claimed, and no retry, callback or recycle moves it. DNC still
wins: a do-not-call call makes it ``dnc``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.services import call_outcomes, claims, handoffs, queue, recycling
from prospector.services.call_outcomes import HandoffAnswers
from prospector.services.claims import ClaimError
from prospector.services.handoffs import HandoffError
from prospector.services.settings import default_settings
from tests.factories import add_contact

START = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday 10:00 in New York
FRIDAY = START + timedelta(days=4)
CATALOG = default_settings().dispositions
REPS = ("alice", "bob")


def qualified_contact(db) -> int:
    contact = add_contact(db, now=START - timedelta(days=1), state="NY", source="inbound")
    handoffs.qualify(db, contact, rep="alice", now=START, amount="5000")
    return contact


def log(db, contact: int, code: str, *, rep: str, now: datetime):
    chosen = next(d for d in CATALOG if d.code == code)
    return call_outcomes.log_outcome(
        db,
        contact,
        code,
        rep=rep,
        now=now,
        note=f"{code} by {rep}",
        callback=now + timedelta(days=1) if chosen.then == "callback" else None,
        answers=HandoffAnswers(meeting="fri 11am") if chosen.then == "qualify" else None,
    ).call


def offered(db, contact: int, at: datetime) -> bool:
    """Whether any rep's queue offers ``contact`` at ``at``, or any rep may claim it."""
    for rep in REPS:
        if contact in {i.contact_id for i in queue.build_queue(db, rep=rep, now=at, limit=500)}:
            return True
        try:
            claims.claim_contact(db, contact, rep=rep, now=at)
        except ClaimError:
            continue
        claims.release_claim(db, contact, rep=rep, reason="test", now=at)
        return True
    return False


@pytest.mark.parametrize("code", [d.code for d in CATALOG if d.then != "do_not_call"])
def test_any_later_call_keeps_the_contact_qualified(db, code):
    contact = qualified_contact(db)
    logged = log(db, contact, code, rep="bob", now=START + timedelta(hours=1))
    assert (logged.status, logged.kept_qualified, logged.next_call_at) == ("qualified", True, None)
    row = db.one("SELECT status, close_reason, callback_at FROM contacts WHERE id = ?", (contact,))
    assert (row["status"], row["close_reason"], row["callback_at"]) == (
        "qualified",
        "handed off",
        None,
    )
    call = db.one(
        "SELECT disposition, note, status_after FROM calls WHERE id = ?", (logged.call_id,)
    )
    assert tuple(call) == (code, f"{code} by bob", "qualified")
    for at in (START + timedelta(days=1, hours=2), FRIDAY, START + timedelta(days=120)):
        recycling.recycle_due(db, now=at)
        assert not offered(db, contact, at), at
    assert [h.status for h in handoffs.contact_handoffs(db, contact)] == ["pending"]


def test_do_not_call_still_wins_over_qualified(db):
    contact = qualified_contact(db)
    logged = log(db, contact, "do_not_call", rep="alice", now=START + timedelta(minutes=5))
    assert (logged.status, logged.dnc_added, logged.kept_qualified) == ("dnc", True, False)
    row = db.one("SELECT status, dnc FROM contacts WHERE id = ?", (contact,))
    assert (row["status"], row["dnc"]) == ("dnc", 1)
    assert not offered(db, contact, FRIDAY)


def test_the_same_call_on_an_open_contact_still_schedules_it(db):
    """The control: the rule is about qualified contacts, not every contact."""
    contact = add_contact(db, now=START - timedelta(days=1), state="NY", source="inbound")
    logged = log(db, contact, "no_answer", rep="alice", now=START)
    assert (logged.status, logged.kept_qualified) == ("open", False)
    assert offered(db, contact, FRIDAY)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from([d.code for d in CATALOG]),
            st.sampled_from(REPS),
            st.integers(min_value=1, max_value=600),  # minutes after the previous call
        ),
        min_size=1,
        max_size=8,
    )
)
def test_no_sequence_of_logs_puts_a_qualified_contact_back_in_a_queue(db, steps):
    control = add_contact(db, now=START - timedelta(days=1), state="NY", source="inbound")
    contact = qualified_contact(db)
    now = START
    logged = 0
    for code, rep, minutes in steps:
        now += timedelta(minutes=minutes)
        dnc = db.one("SELECT status FROM contacts WHERE id = ?", (contact,))[0] == "dnc"
        if dnc and code == "meeting_set":
            # No handoff for a DNC contact: refused whole, nothing logged.
            with pytest.raises(HandoffError, match="do-not-call"):
                log(db, contact, code, rep=rep, now=now)
        else:
            log(db, contact, code, rep=rep, now=now)
            logged += 1
        for at in (now, now + timedelta(days=1, minutes=1), now + timedelta(days=3)):
            assert not offered(db, contact, at), (code, at)
    status = db.one("SELECT status FROM contacts WHERE id = ?", (contact,))[0]
    dnc_logged = any(code == "do_not_call" for code, _, _ in steps)
    assert status == ("dnc" if dnc_logged else "qualified")
    assert db.one("SELECT count(*) FROM calls WHERE contact_id = ?", (contact,))[0] == logged
    # The queue works at all: an open contact next to it is offered.
    assert offered(db, control, START + timedelta(minutes=1))
