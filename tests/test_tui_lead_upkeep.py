"""What the lead screen keeps up unasked: the note's draft and the lead's lease.

A draft that cannot be written is told to the rep (and the note still goes with
the call); a claim taken away is told, and the next lead comes.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from prospector.foundations.db import open_database
from prospector.services.fit import replace_settings
from prospector.services.settings import default_settings, parse_settings
from prospector.tui.app import make_app
from prospector.tui.screens.lead import LeadScreen
from prospector.tui.widgets import note_editor
from prospector.tui.widgets.lead_card import LeadCard
from prospector.tui.widgets.note_editor import NoteEditor
from tests.tui_support import (
    START,
    MovableClock,
    execute,
    let_go,
    lose_claim,
    pinned_app,
    refuse_inserts,
    run_async,
    settle,
    shown_contact,
    started,
    team_database,
)

SIZE = (100, 30)


@run_async
async def test_a_draft_that_cannot_be_written_says_so(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(note_editor, "DRAFT_DELAY", 0.01)
    ids = team_database(db_path)
    refuse_inserts(db_path, "drafts", "drafts are refused")
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", *"call back")
        for _ in range(500):  # each pause in the typing tries a write: wait for one
            if any(n.title == "Not done" for n in app._notifications):
                break
            await pilot.pause(0.02)
        failed = {n.message for n in app._notifications if n.title == "Not done"}
        assert failed == {"the draft note could not be saved: drafts are refused"}
        assert app.screen.query_one(NoteEditor).border_subtitle == "typing…"  # never saved
        await pilot.press("escape", "1")  # the note still goes with the call
        await settle(pilot)
    calls = execute(db_path, "SELECT contact_id, note FROM calls")
    assert [tuple(row) for row in calls] == [(ids["Ada"], "call back")]


@run_async
async def test_a_lost_claim_is_told_and_the_next_lead_comes(db_path: Path) -> None:
    ids = team_database(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LeadScreen)
        assert shown_contact(screen) == ids["Ada"]
        # Another rep took it, as after a lease that ran out.
        execute(db_path, "UPDATE contacts SET claimed_by = 'bob' WHERE id = ?", (ids["Ada"],))
        screen._renew()  # what the lease timer runs every third of the lease
        await settle(pilot)
        lost = [n for n in app._notifications if n.message.startswith("Lost the claim")]
        assert [n.severity for n in lost] == ["error"]
        assert f"contact {ids['Ada']} is claimed by bob" in lost[0].message
        assert shown_contact(screen) == ids["Grace"]


@run_async
async def test_a_lost_claim_keeps_the_note_typed_so_far(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(note_editor, "DRAFT_DELAY", 60)  # no pause in the typing saves it
    ids = team_database(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("e", *"call after lunch")
        await lose_claim(pilot, db_path, ids["Ada"])
        assert shown_contact(screen) == ids["Grace"]
        let_go(db_path, ids["Ada"])  # bob moved on: Ada can be opened again
        await pilot.press("escape", "slash", *"Lovelace", "enter")
        await settle(pilot)
        assert shown_contact(screen) == ids["Ada"]
        editor = screen.query_one(NoteEditor)
        assert editor.text == "call after lunch"
        assert editor.border_subtitle == "draft restored"


def team_zone(db_path: Path, zone: str) -> None:
    """Move the team (its reps, its days) to ``zone``; contacts keep theirs."""
    text = default_settings().source_text.replace(
        'timezone = "America/New_York"', f'timezone = "{zone}"', 1
    )
    db = open_database(db_path)
    try:
        replace_settings(db, parse_settings(text), actor="lead", now=START)
    finally:
        db.close()


@run_async
async def test_the_lease_end_is_in_the_reps_zone_and_moves_on_when_renewed(
    db_path: Path,
) -> None:
    team_database(db_path)  # New York contacts
    team_zone(db_path, "America/Chicago")
    clock = MovableClock()
    app = make_app(db_path=str(db_path), rep="alice", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        card = screen.query_one(LeadCard)
        # Claimed at 15:00 UTC for 15 minutes: 09:15 in Chicago (10:15 in New York).
        assert card.border_subtitle == "yours until 09:15 CST"
        clock.advance(timedelta(minutes=5))
        screen._renew()
        await settle(pilot)
        assert card.border_subtitle == "yours until 09:20 CST"
