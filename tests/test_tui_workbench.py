"""The rep's calling loop in the workbench, driven with Pilot on a real temp database."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList, Static

from prospector.foundations.db import open_database
from prospector.tui.dialogs.callback import CallbackDialog
from prospector.tui.dialogs.confirm_dnc import ConfirmDncDialog
from prospector.tui.dialogs.qualify import QualifyDialog
from prospector.tui.screens.help import HelpScreen
from prospector.tui.screens.lead import LeadScreen
from prospector.tui.screens.lead import screen as lead_screen_module
from prospector.tui.screens.search import SearchScreen
from prospector.tui.widgets import note_editor
from prospector.tui.widgets.note_editor import NoteEditor
from tests.tui_support import (
    card_text,
    execute,
    pinned_app,
    rendered_text,
    run_async,
    settle,
    shown_contact,
    started,
    team_database,
)

SIZE = (100, 30)


@pytest.fixture
def ids(db_path: Path) -> dict[str, int]:
    return team_database(db_path)


@run_async
async def test_loop_note_then_outcome_then_next_lead(db_path: Path, ids: dict[str, int]) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert shown_contact(screen) == ids["Ada"]
        text = card_text(screen)
        assert "Ada Lovelace" in text and "(212) 555-0000" in text and "+12125550000" in text
        assert "open until 12:00" in text and "Tier A" in text and "attempt 1 of 8" in text

        await pilot.press("e", *"rang out", "escape", "1")
        await settle(pilot)

        assert shown_contact(screen) == ids["Grace"]
        assert "Grace Hopper" in card_text(screen)
        assert screen.query_one(NoteEditor).text == ""
    calls = execute(db_path, "SELECT contact_id, rep, disposition, note FROM calls")
    assert [tuple(call) for call in calls] == [(ids["Ada"], "alice", "no_answer", "rang out")]
    assert execute(db_path, "SELECT * FROM drafts") == []
    held = execute(db_path, "SELECT id FROM contacts WHERE claimed_by = 'alice'")
    assert [row["id"] for row in held] == [ids["Grace"]]


@run_async
async def test_digits_type_into_the_note_not_the_log(db_path: Path, ids: dict[str, int]) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("e", "1", "2", "3")
        await settle(pilot)
        assert screen.query_one(NoteEditor).text == "123"
        assert shown_contact(screen) == ids["Ada"]
    assert execute(db_path, "SELECT * FROM calls") == []


@run_async
async def test_callback_with_time_words(db_path: Path, ids: dict[str, int]) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, CallbackDialog)
        await pilot.press(*"tomorrow 3pm")
        preview = str(app.screen.preview.render())
        assert "Tue 24 Nov 15:00 EST" in preview and "America/New_York" in preview
        assert "outside" not in preview
        await pilot.press("ctrl+t", "enter")
        await settle(pilot)
        assert shown_contact(screen) == ids["Grace"]
    call = execute(db_path, "SELECT disposition, callback_at, callback_scope FROM calls")[0]
    assert tuple(call) == ("callback", "2026-11-24T20:00:00Z", "anyone")


@run_async
async def test_callback_outside_the_window_is_flagged(db_path: Path, ids: dict[str, int]) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("5", *"saturday 10am")
        assert "outside the prospect's calling window" in str(app.screen.preview.render())
        await pilot.press("ctrl+a", "ctrl+k", *"no time at all")
        assert app.screen.preview.instant is None
        await pilot.press("enter")  # not a time: nothing is logged, the dialog stays
        await settle(pilot)
        assert isinstance(app.screen, CallbackDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert shown_contact(screen) == ids["Ada"]
    assert execute(db_path, "SELECT * FROM calls") == []


@run_async
async def test_meeting_set_opens_the_qualify_form_and_hands_off(
    db_path: Path, ids: dict[str, int]
) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("e", *"wants a demo", "escape", "8")
        await settle(pilot)
        assert isinstance(app.screen, QualifyDialog)
        await pilot.press(*"25000", "enter", *"thu 2pm", "enter")
        assert "Thu 26 Nov 14:00 EST" in str(app.screen.preview.render())
        await pilot.press("tab", *"approved", "enter", *"the COO", "ctrl+s")
        await settle(pilot)
        assert shown_contact(screen) == ids["Grace"]
    handoff = execute(
        db_path,
        "SELECT contact_id, inside_rep, owner, amount_cents, meeting_at, budget, authority, note"
        " FROM handoffs",
    )
    assert [tuple(row) for row in handoff] == [
        (
            ids["Ada"],
            "alice",
            "Dana Whitfield",  # the territory map: US-NY
            2_500_000,
            "2026-11-26T19:00:00Z",
            "approved",
            "the COO",
            "wants a demo",
        )
    ]
    status = execute(db_path, "SELECT status FROM contacts WHERE id = ?", (ids["Ada"],))
    assert status[0]["status"] == "qualified"


@run_async
async def test_qualify_form_typed_straight_through_with_tab(
    db_path: Path, ids: dict[str, int]
) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("8")
        await settle(pilot)
        # Tab and Shift+Tab walk the fields in order, past the owner list. (The
        # type-ahead race the priority bindings prevent shows only with a real
        # terminal's batched keys, checked by hand in tmux; Pilot waits per key.)
        await pilot.press(*"9000", "tab", *"thu 2pm", "tab", "tab", *"approved", "tab")
        await pilot.press(*"the COO", "shift+tab", "end", *" in Q1", "ctrl+s")
        await settle(pilot)
        assert shown_contact(screen) == ids["Grace"]
    handoff = execute(db_path, "SELECT amount_cents, meeting_at, budget, authority FROM handoffs")
    assert [tuple(row) for row in handoff] == [
        (900_000, "2026-11-26T19:00:00Z", "approved in Q1", "the COO")
    ]


@run_async
async def test_do_not_call_asks_first(db_path: Path, ids: dict[str, int]) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("0")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDncDialog)
        await pilot.press("n")
        await settle(pilot)
        assert shown_contact(screen) == ids["Ada"]
        assert execute(db_path, "SELECT * FROM dnc_numbers") == []

        await pilot.press("0", "y")
        await settle(pilot)
        assert shown_contact(screen) == ids["Grace"]
    assert [row["phone"] for row in execute(db_path, "SELECT phone FROM dnc_numbers")] == [
        "+12125550000"
    ]
    contact = execute(db_path, "SELECT dnc, status FROM contacts WHERE id = ?", (ids["Ada"],))[0]
    assert contact["dnc"] == 1


@run_async
async def test_draft_survives_quitting_mid_note(db_path: Path, ids: dict[str, int]) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("e", *"asked for pricing")
        await pilot.press("ctrl+q")  # straight out, inside the typing pause
    assert [tuple(r) for r in execute(db_path, "SELECT rep, contact_id, text FROM drafts")] == [
        ("alice", ids["Ada"], "asked for pricing")
    ]
    again = pinned_app(db_path)
    async with again.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert shown_contact(screen) == ids["Ada"]
        editor = screen.query_one(NoteEditor)
        assert editor.text == "asked for pricing"
        await pilot.press("e", "space", *"twice", "escape", "2")
        await settle(pilot)
    note = execute(db_path, "SELECT note FROM calls WHERE contact_id = ?", (ids["Ada"],))
    assert note[0]["note"] == "asked for pricing twice"
    assert execute(db_path, "SELECT * FROM drafts") == []


@run_async
async def test_draft_survives_a_crash(
    db_path: Path, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(note_editor, "DRAFT_DELAY", 0.01)
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("e", *"left a message")
        editor = screen.query_one(NoteEditor)
        deadline = time.monotonic() + 10  # bounded, however busy the machine
        while editor.border_subtitle != "draft saved" and time.monotonic() < deadline:
            await pilot.pause(0.02)
            await settle(pilot)
        assert editor.border_subtitle == "draft saved"
        saved = execute(db_path, "SELECT rep, contact_id, text FROM drafts")
        assert [tuple(row) for row in saved] == [("alice", ids["Ada"], "left a message")]
        # Leaving run_test tears the app down without its quit action: no flush.
    again = pinned_app(db_path)
    async with again.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert screen.query_one(NoteEditor).text == "left a message"
        assert screen.query_one(NoteEditor).border_subtitle == "draft restored"


@run_async
async def test_a_second_rep_never_sees_the_first_reps_lead(
    db_path: Path, ids: dict[str, int]
) -> None:
    alice, bob = pinned_app(db_path, "alice"), pinned_app(db_path, "bob")
    async with alice.run_test(size=SIZE) as a:
        screen_a = await started(a)
        assert shown_contact(screen_a) == ids["Ada"]
        async with bob.run_test(size=SIZE) as b:
            screen_b = await started(b)
            assert shown_contact(screen_b) == ids["Grace"]
            upcoming = screen_b.desk.upcoming  # type: ignore[union-attr]
            assert ids["Ada"] not in [item.contact_id for item in upcoming]
            await b.press("1")
            await settle(b)
            assert shown_contact(screen_b) == ids["Alan"]
            await a.press("1")
            await settle(a)
            assert shown_contact(screen_a) == ids["Edsger"]
    holders = execute(db_path, "SELECT claimed_by, count(*) FROM contacts GROUP BY claimed_by")
    assert {row[0]: row[1] for row in holders} == {None: 2, "alice": 1, "bob": 1}


@run_async
async def test_a_dial_without_an_outcome_comes_back_first(
    db_path: Path, ids: dict[str, int]
) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert "Dialed at 10:00 EST" in card_text(screen)
        # Searching away from a dialed lead is refused: it needs an outcome first.
        await pilot.press("slash", *"Turing", "enter")
        await settle(pilot)
        assert shown_contact(screen) == ids["Ada"]
    again = pinned_app(db_path)
    async with again.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert shown_contact(screen) == ids["Ada"]
        assert screen.query_one("#banner").has_class("-shown")
        assert "never logged" in card_text(screen)
        await pilot.press("3")
        await settle(pilot)
    call = execute(db_path, "SELECT disposition, dialed_at FROM calls")[0]
    assert tuple(call) == ("voicemail", "2026-11-23T15:00:00Z")


@run_async
async def test_skip_asks_why_and_moves_on(db_path: Path, ids: dict[str, int]) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")  # the first reason: "not now"
        await settle(pilot)
        assert shown_contact(screen) == ids["Grace"]
        assert ids["Ada"] not in [i.contact_id for i in screen.desk.upcoming]  # type: ignore[union-attr]
    audit = execute(db_path, "SELECT action, subject, detail FROM audit_log WHERE actor = 'alice'")
    assert [tuple(row) for row in audit] == [("claim.skip", f"contact:{ids['Ada']}", "not now")]


@run_async
async def test_search_opens_a_contact_and_refuses_a_dnc_one(
    db_path: Path, ids: dict[str, int]
) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("slash", *"bletchley")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one(OptionList).option_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert shown_contact(screen) == ids["Alan"]
        assert "opened from search" in card_text(screen)

        execute(db_path, "UPDATE contacts SET dnc = 1 WHERE id = ?", (ids["Edsger"],))
        await pilot.press("slash", *"dijkstra", "enter")
        await settle(pilot)
        assert shown_contact(screen) == ids["Alan"]
        assert any("do-not-call" in n.message for n in app._notifications)
    held = execute(db_path, "SELECT id FROM contacts WHERE claimed_by = 'alice'")
    assert [row["id"] for row in held] == [ids["Alan"]]


@run_async
async def test_help_and_palette_list_every_action(db_path: Path, ids: dict[str, int]) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table")
        help_text = rendered_text(table)
        for words in ("No answer", "Do not call", "Dialed", "Skip", "Search", "Quit"):
            assert words in help_text
        # Textual's own Tab / Shift+Tab / copy keys are the app's, not the lead's.
        lead_keys, _, app_keys = help_text.partition("Workbench")
        assert "Focus Next" in app_keys and "Copy" in app_keys
        assert "Focus Next" not in lead_keys and "Copy" not in lead_keys
        await pilot.press("escape", "ctrl+p", *"meeting")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QualifyDialog)


@run_async
async def test_empty_queue_says_so(db_path: Path) -> None:
    open_database(db_path).close()
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert shown_contact(screen) is None
        assert "Nothing to call" in card_text(screen)
        await pilot.press("1", "d", "n")  # nothing to act on: no error, nothing written
        await settle(pilot)
        assert isinstance(app.screen, LeadScreen)
    assert execute(db_path, "SELECT * FROM calls") == []


@run_async
async def test_refresh_key_finds_leads_loaded_while_the_queue_was_empty(db_path: Path) -> None:
    open_database(db_path).close()
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert shown_contact(screen) is None
        ids = team_database(db_path)  # the team lead imports a list meanwhile
        await pilot.press("g")
        await settle(pilot)
        assert shown_contact(screen) == ids["Ada"]
    held = execute(db_path, "SELECT id FROM contacts WHERE claimed_by = 'alice'")
    assert [row["id"] for row in held] == [ids["Ada"]]


@run_async
async def test_an_empty_desk_looks_again_by_itself(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lead_screen_module, "EMPTY_POLL_SECONDS", 0.05)
    open_database(db_path).close()
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert shown_contact(screen) is None
        ids = team_database(db_path)  # no key pressed: the desk polls the queue
        for _ in range(200):
            if shown_contact(screen) is not None:
                break
            await pilot.pause(0.02)
            await settle(pilot)
        assert shown_contact(screen) == ids["Ada"]


@run_async
async def test_reports_key_opens_the_dashboard_and_escape_returns(
    db_path: Path, ids: dict[str, int]
) -> None:
    from prospector.tui.screens.dashboard import DashboardScreen

    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("1")  # one call, so the dashboard has a figure to show
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        daily = app.screen.query_one("#dashboard-daily", DataTable)
        alice = [daily.get_row_at(n) for n in range(daily.row_count)]
        assert any(str(row[0]) == "alice" and str(row[1]) == "1" for row in alice), alice
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LeadScreen)
        assert shown_contact(screen) == ids["Grace"]


@run_async
async def test_meeting_set_without_a_meeting_time_is_refused_in_the_form(
    db_path: Path, ids: dict[str, int]
) -> None:
    """The outcome requires a meeting: the form stays open on that field, nothing logged."""
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("8")
        await settle(pilot)
        assert isinstance(app.screen, QualifyDialog)
        await pilot.press(*"25000", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, QualifyDialog)
        assert app.screen.focused is not None and app.screen.focused.id == "q-meeting"
        error = app.screen.query_one("#qualify-error", Static)
        assert error.display and str(error.render()) == "Meeting time: needed for this outcome"
        await pilot.press("t")  # typing in the field named clears the message
        assert not error.display
        await pilot.press("backspace")
        await pilot.press(*"thu 2pm", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, QualifyDialog)
    assert execute(db_path, "SELECT count(*) AS n FROM calls")[0]["n"] == 1
    assert execute(db_path, "SELECT count(*) AS n FROM handoffs")[0]["n"] == 1
