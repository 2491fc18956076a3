"""The services the workbench added: drafts, today's progress, search claims and skips."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prospector.foundations.errors import ClaimError
from prospector.services import calls, claims, drafts, handoffs
from prospector.services.today import rep_today
from tests.factories import add_contact, add_dnc_number
from tests.tui_support import START


def test_drafts_save_replace_clear(db) -> None:
    contact = add_contact(db, now=START)
    assert drafts.load_draft(db, "alice", contact) is None
    drafts.save_draft(db, "alice", contact, "first", START)
    drafts.save_draft(db, "alice", contact, "second", START)
    assert drafts.load_draft(db, "alice", contact) == "second"
    assert drafts.load_draft(db, "bob", contact) is None
    drafts.save_draft(db, "alice", contact, "   ", START)  # blank: nothing worth keeping
    assert drafts.load_draft(db, "alice", contact) is None
    drafts.save_draft(db, "alice", contact, "third", START)
    drafts.clear_draft(db, "alice", contact)
    assert drafts.load_draft(db, "alice", contact) is None


def test_a_logged_call_takes_its_reps_draft_and_only_that(db) -> None:
    contact = add_contact(db, now=START)
    drafts.save_draft(db, "alice", contact, "asked for pricing", START)
    drafts.save_draft(db, "bob", contact, "bob's own note", START)
    calls.log_call(db, contact, "no_answer", rep="alice", now=START, note="asked for pricing")
    assert drafts.load_draft(db, "alice", contact) is None
    assert drafts.load_draft(db, "bob", contact) == "bob's own note"


def test_today_counts_the_reps_calls_of_the_team_day(db) -> None:
    first, second = add_contact(db, now=START), add_contact(db, now=START)
    calls.log_call(db, first, "no_answer", rep="alice", now=START)
    calls.log_call(db, second, "gatekeeper", rep="alice", now=START + timedelta(minutes=5))
    calls.log_call(db, first, "not_interested", rep="alice", now=START + timedelta(hours=5))
    progress = rep_today(db, "alice", now=START + timedelta(hours=6))
    assert (progress.dials, progress.connects, progress.conversations) == (3, 2, 1)
    assert progress.goal.dials == 80
    # 00:30 the next day in New York: a new day, nothing yet.
    assert rep_today(db, "alice", now=START + timedelta(hours=14, minutes=30)).dials == 0
    assert rep_today(db, "bob", now=START).dials == 0


def test_today_counts_the_meetings_the_rep_handed_off_that_team_day(db) -> None:
    booked, later = add_contact(db, now=START), add_contact(db, now=START)
    calls.log_call(db, booked, "meeting_set", rep="alice", now=START)
    handoffs.qualify(db, booked, rep="alice", now=START + timedelta(minutes=1))
    # 00:30 the next day in New York: a new team day, with only the second meeting.
    handoffs.qualify(db, later, rep="alice", now=START + timedelta(hours=14, minutes=30))
    assert rep_today(db, "alice", now=START + timedelta(hours=1)).meetings == 1
    assert rep_today(db, "alice", now=START + timedelta(hours=14, minutes=30)).meetings == 1
    assert rep_today(db, "bob", now=START + timedelta(hours=1)).meetings == 0


def test_claim_contact_keeps_every_claim_rule(db) -> None:
    mine, theirs, listed = (add_contact(db, now=START) for _ in range(3))
    item = claims.claim_contact(db, mine, rep="alice", now=START)
    assert (item.contact_id, item.claimed_by) == (mine, "alice")
    claims.claim_contact(db, theirs, rep="bob", now=START)
    with pytest.raises(ClaimError, match="claimed by bob"):
        claims.claim_contact(db, theirs, rep="alice", now=START)
    phone = db.one("SELECT phone FROM contacts WHERE id = ?", (listed,))["phone"]
    add_dnc_number(db, phone, now=START)
    with pytest.raises(ClaimError, match="do-not-call"):
        claims.claim_contact(db, listed, rep="alice", now=START)
    saturday = START + timedelta(days=5)
    with pytest.raises(ClaimError, match="outside its calling window"):
        claims.claim_contact(db, listed - 2, rep="carol", now=saturday)


def test_skip_keeps_the_contact_out_of_the_queue_for_a_while(db) -> None:
    first, second = add_contact(db, now=START), add_contact(db, now=START)
    assert claims.claim_next(db, rep="alice", now=START).contact_id == first
    back = claims.skip_contact(db, first, rep="alice", reason="not now", now=START)
    assert back == START + timedelta(minutes=30)
    assert claims.claim_next(db, rep="alice", now=START).contact_id == second
    later = START + timedelta(minutes=31)
    calls.log_call(db, second, "no_answer", rep="alice", now=later)
    assert claims.claim_next(db, rep="alice", now=later).contact_id == first


def test_a_dialed_lead_cannot_be_skipped(db) -> None:
    contact = add_contact(db, now=START)
    claims.claim_next(db, rep="alice", now=START)
    claims.mark_dialed(db, contact, rep="alice", now=START)
    with pytest.raises(ClaimError, match="was dialed"):
        claims.skip_contact(db, contact, rep="alice", reason="x", now=START)
