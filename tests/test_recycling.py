"""Recycling: exhausted and not-interested contacts come back as a new cycle, on time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prospector.foundations.clock import to_db
from prospector.foundations.errors import ClaimError
from prospector.services.calls import log_call
from prospector.services.claims import claim_contact, claim_next
from prospector.services.contacts import contact_card
from prospector.services.queue import LANE_FOLLOW_UP, build_queue
from prospector.services.recycling import recycle_due
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact, add_dnc_number

NOW = MONDAY_10_ET  # Monday 2026-11-23 10:00 New York


def _row(db, contact_id: int):
    return db.one("SELECT * FROM contacts WHERE id = ?", (contact_id,))


def test_exhausted_contact_comes_back_with_its_attempts_anew(db) -> None:
    contact = add_contact(db, now=NOW, employees=20)  # tier C: 4 attempts, recycle 120 days
    for day in range(4):
        last = log_call(db, contact, "no_answer", rep="a", now=NOW + timedelta(days=day))
    assert last.status == "exhausted"
    due = NOW + timedelta(days=3 + 120)  # Friday 2027-03-26 11:00 EDT
    assert _row(db, contact)["recycle_at"] == to_db(due)

    just_before = due - timedelta(seconds=1)
    assert build_queue(db, rep="a", now=just_before) == []
    assert recycle_due(db, now=just_before) == 0

    [item] = build_queue(db, rep="a", now=due)
    assert item.contact_id == contact and item.lane == LANE_FOLLOW_UP
    assert item.reason == "attempt 1 of 4 (recycled, cycle 2), tier C, due 0 min ago"
    row = _row(db, contact)
    assert (row["status"], row["close_reason"], row["recycle_at"]) == ("open", None, None)
    assert (row["attempts"], row["recycles"], row["cycle_attempts_base"]) == (4, 1, 4)
    assert row["next_call_at"] == to_db(due)
    assert contact_card(db, contact, now=due).next_attempt == 1
    [audit] = db.query("SELECT * FROM audit_log WHERE action = 'contact.recycle'")
    assert (audit["actor"], audit["subject"], audit["at"]) == (
        "system",
        f"contact:{contact}",
        to_db(due),
    )
    assert audit["detail"].startswith("exhausted (max attempts without a conversation) since")
    assert audit["detail"].endswith("; cycle 2")

    # The new cycle has the tier's four attempts again: exhausted after the fourth only.
    results = [
        log_call(db, contact, "no_answer", rep="a", now=due + timedelta(days=day)).status
        for day in range(4)
    ]
    assert results == ["open", "open", "open", "exhausted"]
    assert _row(db, contact)["attempts"] == 8


def test_not_interested_comes_back_through_next_when_its_window_opens(db) -> None:
    contact = add_contact(db, now=NOW)
    fresh = add_contact(db, now=NOW)
    log_call(db, contact, "not_interested", rep="a", now=NOW)
    sunday = NOW + timedelta(days=90)  # 2027-02-21: the team does not call on Sundays
    assert claim_next(db, rep="a", now=sunday) is None
    row = _row(db, contact)
    assert (row["status"], row["next_call_at"], row["recycles"]) == ("open", to_db(sunday), 1)
    assert row["cycle_conversations_base"] == 1

    monday = datetime(2027, 2, 22, 15, 0, tzinfo=UTC)  # 10:00 EST
    first = claim_next(db, rep="a", now=monday)
    assert first is not None and first.contact_id == fresh  # a new lead still goes first
    log_call(db, fresh, "not_a_fit", rep="a", now=monday)
    again = claim_next(db, rep="a", now=monday)
    assert again is not None and again.contact_id == contact and again.lane == LANE_FOLLOW_UP
    assert again.claimed_by == "a"
    # The first cycle's conversation does not keep it open forever: tier B's six
    # unanswered attempts of this cycle exhaust it.
    results = [
        log_call(db, contact, "no_answer", rep="a", now=monday + timedelta(days=day)).status
        for day in range(6)
    ]
    assert results == ["open"] * 5 + ["exhausted"]


@pytest.mark.parametrize(
    "columns",
    [
        {"status": "dnc", "dnc": 1, "close_reason": "do not call"},
        {"status": "closed", "dnc": 1, "close_reason": "not_interested"},
        {"status": "closed", "phone_bad": 1, "close_reason": "wrong number"},
        {"status": "qualified", "close_reason": "awaiting handoff"},
        {"status": "closed", "close_reason": "on the list", "on_list": True},
    ],
    ids=["dnc-status", "dnc-flag", "wrong-number", "qualified", "dnc-list"],
)
def test_never_recycled(db, columns: dict) -> None:
    columns = dict(columns)  # the parameter is shared by every run of the test in a process
    on_list = columns.pop("on_list", False)
    stale = to_db(NOW - timedelta(days=1))
    kept = add_contact(db, now=NOW - timedelta(days=200), recycle_at=stale, **columns)
    if on_list:
        add_dnc_number(db, _row(db, kept)["phone"], now=NOW)
    back = add_contact(
        db, now=NOW - timedelta(days=200), status="exhausted", attempts=4, recycle_at=stale
    )
    assert recycle_due(db, now=NOW) == 1
    assert _row(db, back)["status"] == "open"
    row = _row(db, kept)
    assert row["status"] == columns["status"] and row["recycles"] == 0
    assert row["recycle_at"] is None  # forgotten, so the next look is one seek
    assert [item.contact_id for item in build_queue(db, rep="a", now=NOW)] == [back]


def test_nothing_due_writes_nothing(db) -> None:
    later = to_db(NOW + timedelta(days=1))
    contact = add_contact(db, now=NOW, status="closed", attempts=1, recycle_at=later)
    before = db.conn.total_changes
    assert recycle_due(db, now=NOW) == 0
    assert db.conn.total_changes == before
    assert _row(db, contact)["recycle_at"] == later


def test_a_search_hit_due_back_can_be_opened(db) -> None:
    contact = add_contact(db, now=NOW)
    log_call(db, contact, "not_interested", rep="a", now=NOW)
    with pytest.raises(ClaimError, match="is closed"):
        claim_contact(db, contact, rep="a", now=NOW + timedelta(days=1))
    monday = datetime(2027, 2, 22, 15, 0, tzinfo=UTC)
    assert claim_contact(db, contact, rep="a", now=monday).claimed_by == "a"
