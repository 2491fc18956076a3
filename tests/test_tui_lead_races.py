"""The lead screen while something else is under way.

An answer given in an open dialog lands on the lead it was asked about, even when
the lead changed underneath; a draft being written when the call is logged does
not come back; a log still running keeps the outcome keys waiting.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from prospector.services import claims
from prospector.tui import desk
from prospector.tui.app import ProspectorApp
from prospector.tui.dialogs.callback import CallbackDialog
from prospector.tui.dialogs.confirm_dnc import ConfirmDncDialog
from prospector.tui.screens.lead import LeadScreen, jobs
from prospector.tui.widgets import note_editor
from prospector.tui.widgets.note_editor import DraftWriter, NoteEditor
from tests.tui_support import (
    execute,
    lead_screen,
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
WAIT = 10  # seconds a held-up worker waits for the test at most


async def wait_until(pilot: Pilot, done: Callable[[], bool], tries: int = 500) -> bool:
    """Let the app run until ``done()`` (False if it never is)."""
    for _ in range(tries):
        if done():
            return True
        await pilot.pause(0.01)
    return done()


class ObservedLock:
    """A draft lock that counts who tried to take it (the writer, then the log's barrier)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.attempts = 0

    def __enter__(self) -> ObservedLock:
        self.attempts += 1
        self._lock.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def queued_text(editor: NoteEditor) -> str | None:
    """The text of the draft save waiting behind the one being written, if any."""
    waiting = editor._waiting
    return None if waiting is None else waiting[2]


def calls(db_path: Path) -> list[tuple]:
    return [tuple(row) for row in execute(db_path, "SELECT contact_id, disposition FROM calls")]


def held_up_writer(entered: threading.Event, gate: threading.Event) -> Callable:
    """A ``jobs.draft_writer`` whose writes start, then wait for ``gate`` (a slow disk)."""
    real = jobs.draft_writer

    def make(app: ProspectorApp) -> DraftWriter:
        write = real(app)

        def slowly(contact_id: int, text: str) -> None:
            entered.set()
            gate.wait(WAIT)
            write(contact_id, text)

        return slowly

    return make


@run_async
async def test_a_dnc_answer_lands_on_the_lead_it_was_asked_about(db_path: Path) -> None:
    ids = team_database(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("e", *"asked to be removed", "escape", "0")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDncDialog)
        # While the rep reads the confirmation, the lease is found lost: bob has Ada.
        await lose_claim(pilot, db_path, ids["Ada"])
        assert shown_contact(screen) == ids["Grace"]  # underneath the dialog
        let_go(db_path, ids["Ada"])  # bob moved on without calling her
        await pilot.press("y")
        await settle(pilot)
        assert shown_contact(screen) == ids["Grace"]
    logged = execute(db_path, "SELECT contact_id, disposition, note FROM calls")
    assert [tuple(row) for row in logged] == [(ids["Ada"], "do_not_call", "asked to be removed")]
    phones = execute(db_path, "SELECT phone FROM dnc_numbers")
    assert [row["phone"] for row in phones] == ["+12125550000"]  # Ada's, not Grace's
    assert [row["id"] for row in execute(db_path, "SELECT id FROM contacts WHERE dnc = 1")] == [
        ids["Ada"]
    ]
    assert execute(db_path, "SELECT * FROM drafts") == []


@run_async
async def test_an_answer_on_a_lead_another_rep_now_holds_is_refused(db_path: Path) -> None:
    ids = team_database(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("0")
        await settle(pilot)
        await lose_claim(pilot, db_path, ids["Ada"])
        await pilot.press("y")  # bob still holds Ada
        await settle(pilot)
        refused = [n.message for n in app._notifications if n.title == "Not done"]
        assert len(refused) == 1 and f"contact {ids['Ada']} is claimed by bob" in refused[0]
        assert calls(db_path) == []
        assert shown_contact(screen) == ids["Grace"]
        await pilot.press("1")  # the refusal left the keys working, on the lead shown
        await settle(pilot)
    assert calls(db_path) == [(ids["Grace"], "no_answer")]
    assert execute(db_path, "SELECT * FROM dnc_numbers") == []


@run_async
async def test_a_callback_answered_after_the_queue_ran_dry(db_path: Path) -> None:
    ids = team_database(db_path)
    execute(db_path, "UPDATE contacts SET status = 'closed' WHERE id <> ?", (ids["Ada"],))
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("5", *"tomorrow 3pm")
        await settle(pilot)
        assert isinstance(app.screen, CallbackDialog)
        await lose_claim(pilot, db_path, ids["Ada"])
        assert shown_contact(screen) is None  # nothing else to call
        let_go(db_path, ids["Ada"])
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert shown_contact(screen) is None
    logged = execute(db_path, "SELECT contact_id, disposition, callback_at FROM calls")
    assert [tuple(row) for row in logged] == [(ids["Ada"], "callback", "2026-11-24T20:00:00Z")]


@run_async
async def test_a_draft_being_written_when_the_call_is_logged_does_not_come_back(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(note_editor, "DRAFT_DELAY", 60)  # only leaving the box saves
    entered, gate = threading.Event(), threading.Event()
    monkeypatch.setattr(jobs, "draft_writer", held_up_writer(entered, gate))
    ids = team_database(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lock = ObservedLock()
        lead_screen(app).query_one(NoteEditor)._save_lock = lock  # type: ignore[assignment]
        await pilot.press("e", *"rang out", "escape")
        assert await wait_until(pilot, entered.is_set)  # the draft write has started
        assert lock.attempts == 1  # ... holding the draft lock
        await pilot.press("1")
        # The log waits for that write (a second taker of the lock); a log that did not
        # wait would be written first. Either way, only then does the write go on.
        assert await wait_until(pilot, lambda: lock.attempts == 2 or bool(calls(db_path)))
        assert calls(db_path) == []
        gate.set()
        await settle(pilot)
        assert shown_contact(lead_screen(app)) == ids["Grace"]
    logged = execute(db_path, "SELECT contact_id, note FROM calls")
    assert [tuple(row) for row in logged] == [(ids["Ada"], "rang out")]
    assert execute(db_path, "SELECT * FROM drafts") == []


@run_async
async def test_a_failed_draft_write_does_not_free_the_keys_while_a_call_is_logged(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(note_editor, "DRAFT_DELAY", 60)  # only leaving the box saves
    entered, draft_gate, log_gate = threading.Event(), threading.Event(), threading.Event()
    monkeypatch.setattr(jobs, "draft_writer", held_up_writer(entered, draft_gate))
    real_log = desk.log_and_next

    def slow_log(*args, **kwargs):  # a log held up (by another process's write, say)
        log_gate.wait(WAIT)
        return real_log(*args, **kwargs)

    monkeypatch.setattr(desk, "log_and_next", slow_log)
    ids = team_database(db_path)
    refuse_inserts(db_path, "drafts", "drafts are refused")
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("e", *"no answer", "escape")
        assert await wait_until(pilot, entered.is_set)
        await pilot.press("1")  # the log starts
        draft_gate.set()  # and the draft write fails meanwhile
        assert await wait_until(
            pilot, lambda: any(n.title == "Not done" for n in app._notifications)
        )
        assert screen.busy
        await pilot.press("2")  # still Ada on screen: this must not log a second call
        log_gate.set()
        await settle(pilot)
        assert shown_contact(screen) == ids["Grace"]
    assert calls(db_path) == [(ids["Ada"], "no_answer")]


@run_async
async def test_a_stuck_draft_write_holds_one_worker_and_the_newest_text_follows(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(note_editor, "DRAFT_DELAY", 0.01)
    entered, gate = threading.Event(), threading.Event()
    monkeypatch.setattr(jobs, "draft_writer", held_up_writer(entered, gate))
    ids = team_database(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "a")
        assert await wait_until(pilot, entered.is_set)  # the first write is stuck
        editor = lead_screen(app).query_one(NoteEditor)
        typed = "a"
        for key in "bcde":  # the rep types on, pausing after each key until a save is asked
            await pilot.press(key)
            typed += key
            assert await wait_until(pilot, lambda text=typed: queued_text(editor) == text)
        drafting = [w for w in app.workers if w.group == "drafts" and not w.is_finished]
        assert len(drafting) == 1
        gate.set()
        await settle(pilot)
    drafts = execute(db_path, "SELECT contact_id, text FROM drafts")
    assert [tuple(row) for row in drafts] == [(ids["Ada"], "abcde")]


@run_async
async def test_a_renewal_failing_under_a_call_being_logged_is_not_a_lost_claim(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renew_gate, log_gate = threading.Event(), threading.Event()
    real_renew, real_log = claims.renew_claim, desk.log_and_next

    def late_renew(*args, **kwargs):  # started just before the key; answers after the log
        renew_gate.wait(WAIT)
        return real_renew(*args, **kwargs)

    def log_then_wait(*args, **kwargs):  # the call is logged; the next lead is on its way
        done = real_log(*args, **kwargs)
        renew_gate.set()
        log_gate.wait(WAIT)
        return done

    lost: list[int] = []
    real_lost = LeadScreen.on_lead_screen_claim_lost

    def claim_lost(self, message) -> None:
        real_lost(self, message)
        lost.append(message.contact_id)

    monkeypatch.setattr(claims, "renew_claim", late_renew)
    monkeypatch.setattr(desk, "log_and_next", log_then_wait)
    monkeypatch.setattr(LeadScreen, "on_lead_screen_claim_lost", claim_lost)
    ids = team_database(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        screen._renew()  # what the lease timer runs
        await pilot.press("1")
        assert await wait_until(pilot, renew_gate.is_set)
        # The renewal fails while Ada is still shown and the log is still under way.
        assert await wait_until(pilot, lambda: lost == [ids["Ada"]])
        assert shown_contact(screen) == ids["Ada"]
        log_gate.set()
        await settle(pilot)
        assert shown_contact(screen) == ids["Grace"]
        assert not [n for n in app._notifications if "Lost the claim" in n.message]
    assert calls(db_path) == [(ids["Ada"], "no_answer")]
