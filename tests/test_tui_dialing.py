"""Dialing from the desk in the real workbench: `d` runs a real dial command on the
number shown, a failing one is a toast and the call still logs, and the call's
timer gives a connect its talk time."""

from __future__ import annotations

import json
import shlex
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from prospector.foundations.db import open_database
from prospector.services.fit import replace_settings
from prospector.services.settings import default_settings, parse_settings
from prospector.tui.app import make_app
from prospector.tui.dialogs.callback import CallbackDialog
from prospector.tui.dialogs.qualify import QualifyDialog
from prospector.tui.screens.lead import LeadScreen
from prospector.tui.widgets.call_timer import CallTimer, TalkTime
from prospector.tui.widgets.history import HistoryView
from tests.factories import add_phone
from tests.tui_support import (
    START,
    MovableClock,
    execute,
    lead_screen,
    rendered_text,
    run_async,
    settle,
    shown_contact,
    started,
    team_database,
)

SIZE = (100, 30)
SWITCHBOARD = "+12125550199"
RECORDER = """\
import json, sys
with open(sys.argv[1], "a") as out:
    out.write(json.dumps(sys.argv[2:]) + "\\n")
sys.exit(int(sys.argv[2]) if sys.argv[2].isdigit() else 0)
"""


def set_dial_command(db_path: Path | str, command: str | None) -> None:
    text = default_settings().source_text
    if command is not None:
        line = f"dial_command = {json.dumps(command)}\n"
        text = text.replace("[calling]\n", f"[calling]\n{line}", 1)
    db = open_database(db_path)
    try:
        replace_settings(db, parse_settings(text), actor="lead", now=START)
    finally:
        db.close()


@pytest.fixture
def recorder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A dial command that writes its arguments as JSON lines; its output file; the
    dial log's folder moved into the test's."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    script = tmp_path / "record dial.py"  # a space in the path, quoted in the template
    script.write_text(RECORDER)
    return script, tmp_path / "dialed.jsonl"


def command(script: Path, out: Path, *words: str) -> str:
    return shlex.join([sys.executable, str(script), str(out)]) + " " + " ".join(words)


def dialed(out: Path) -> list[list[str]]:
    return [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []


async def wait_for(pilot, done, tries: int = 300) -> bool:
    for _ in range(tries):
        await settle(pilot)
        if done():
            return True
        await pilot.pause(0.02)
    return False


def calls(db_path: Path | str) -> list[tuple]:
    rows = execute(
        db_path,
        "SELECT contact_id, disposition, duration_seconds, phone FROM calls ORDER BY id",
    )
    return [tuple(row) for row in rows]


def timer_text(screen: LeadScreen) -> str | None:
    timer = screen.query_one(CallTimer)
    return str(timer.render()).strip() if timer.has_class("-running") else None


@run_async
async def test_d_runs_the_command_on_the_switched_number_with_its_extension(
    db_path: Path, recorder: tuple[Path, Path]
) -> None:
    people = team_database(db_path)
    with open_database(db_path) as db:
        add_phone(db, people["Ada"], SWITCHBOARD, "company", extension="12")
    script, out = recorder
    set_dial_command(db_path, command(script, out, "{tel_uri}", "--ext={extension}", "{rep}"))
    app = make_app(db_path=str(db_path), rep="alice", clock=MovableClock())
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert shown_contact(screen) == people["Ada"]
        await pilot.press("t")  # the switchboard, extension 12
        await pilot.press("d")
        assert await wait_for(pilot, lambda: dialed(out))
        assert dialed(out) == [["tel:+12125550199;ext=12", "--ext=12", "alice"]]
        dialed_at = execute(
            db_path, "SELECT dialed_at FROM contacts WHERE id = ?", (people["Ada"],)
        )[0][0]
        assert dialed_at == "2026-11-23T15:00:00Z"
    log = Path(recorder[0].parent / "state" / "prospector" / "log" / "dial.log").read_text()
    assert "tel:+12125550199;ext=12" in log


@run_async
async def test_a_failing_command_is_a_toast_and_the_call_still_logs(
    db_path: Path, recorder: tuple[Path, Path]
) -> None:
    people = team_database(db_path)
    script, out = recorder
    set_dial_command(db_path, command(script, out, "3", "{e164}"))  # exits 3
    app = make_app(db_path=str(db_path), rep="alice", clock=MovableClock())
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("d")

        def toasted() -> list[str]:
            return [str(n.message) for n in app._notifications]

        assert await wait_for(pilot, lambda: any("dial command failed" in t for t in toasted()))
        failed = [t for t in toasted() if "dial command failed" in t]
        assert failed == [
            f"dial command failed: {sys.executable.rsplit('/', 1)[-1]} exited with 3"
            f" (see {script.parent / 'state' / 'prospector' / 'log' / 'dial.log'})"
        ]
        assert dialed(out) == [["3", "+12125550000"]]
        await pilot.press("1")  # no answer
        assert await wait_for(pilot, lambda: bool(calls(db_path)))
        assert calls(db_path) == [(people["Ada"], "no_answer", 0, "+12125550000")]
        assert shown_contact(screen) != people["Ada"]


@run_async
async def test_a_command_not_found_is_a_toast(db_path: Path, recorder: tuple[Path, Path]) -> None:
    team_database(db_path)
    set_dial_command(db_path, "/nonexistent/softphone {tel_uri}")
    app = make_app(db_path=str(db_path), rep="alice", clock=MovableClock())
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("d")

        def texts() -> list[str]:
            return [str(n.message) for n in app._notifications]

        assert await wait_for(pilot, lambda: bool(texts()))
        assert "dial command failed: softphone: not found" in texts()


@run_async
async def test_the_timer_gives_a_connect_its_talk_time(db_path: Path) -> None:
    people = team_database(db_path)
    clock = MovableClock()
    app = make_app(db_path=str(db_path), rep="alice", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert timer_text(screen) is None  # no call timed before the dial
        await pilot.press("d")
        await settle(pilot)
        assert timer_text(screen) == "on call 00:00"
        clock.advance(timedelta(minutes=2, seconds=5))
        screen._tick_call()  # what the one-second timer runs
        assert timer_text(screen) == "on call 02:05"
        screen.refresh_bindings()
        await settle(pilot)  # a redraw keeps it
        assert timer_text(screen) == "on call 02:05"
        await pilot.press("6")  # not interested: a conversation, no prompt
        assert await wait_for(pilot, lambda: bool(calls(db_path)))
        assert calls(db_path) == [(people["Ada"], "not_interested", 125, "+12125550000")]
        # The next lead starts with no call timed.
        assert await wait_for(pilot, lambda: shown_contact(screen) != people["Ada"])
        assert timer_text(screen) is None
    daily = execute(db_path, "SELECT sum(talk_seconds) FROM call_stats_daily")
    assert daily[0][0] == 125


@run_async
async def test_a_dial_outcome_logs_no_talk_time(db_path: Path) -> None:
    people = team_database(db_path)
    clock = MovableClock()
    app = make_app(db_path=str(db_path), rep="alice", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("d")
        await settle(pilot)
        clock.advance(timedelta(seconds=40))
        await pilot.press("1")  # no answer
        assert await wait_for(pilot, lambda: bool(calls(db_path)))
        assert calls(db_path) == [(people["Ada"], "no_answer", 0, "+12125550000")]


@run_async
async def test_the_callback_prompt_is_prefilled_and_the_rep_corrects_it(db_path: Path) -> None:
    people = team_database(db_path)
    clock = MovableClock()
    app = make_app(db_path=str(db_path), rep="alice", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("d")
        await settle(pilot)
        clock.advance(timedelta(minutes=3, seconds=7))
        await pilot.press("5")  # callback: a conversation with a prompt
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CallbackDialog)
        talk = dialog.query_one(TalkTime)
        assert talk.value == "03:07"
        assert timer_text(lead_screen(app)) == "call 03:07 ■"  # stopped by the key
        # Going back to the lead runs the timer on; the key stops it again.
        await pilot.press("escape")
        await settle(pilot)
        clock.advance(timedelta(seconds=3))
        screen._tick_call()
        assert timer_text(screen) == "on call 03:10"
        await pilot.press("5")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CallbackDialog)
        assert dialog.query_one(TalkTime).value == "03:10"
        dialog.query_one(TalkTime).value = "2:30"
        await pilot.click("#callback-when")
        await pilot.press(*"tomorrow 3pm", "enter")
        assert await wait_for(pilot, lambda: bool(calls(db_path)))
        assert calls(db_path) == [(people["Ada"], "callback", 150, "+12125550000")]


@run_async
async def test_history_shows_talk_time_and_the_recording_link(db_path: Path) -> None:
    people = team_database(db_path)
    with open_database(db_path) as db:
        from prospector.services import call_events, claims
        from prospector.services.calls import log_call

        claims.claim_contact(db, people["Ada"], rep="bob", now=START - timedelta(days=3))
        log_call(
            db, people["Ada"], "gatekeeper", rep="bob", now=START - timedelta(days=3), duration=65
        )
        call_events.record_event(
            db,
            call_events.CallEvent(people["Ada"], recording_url="https://pbx.example/r/7.mp3"),
            rep="bob",
            now=START - timedelta(days=3),
        )
    # Alice dialed Ada a minute ago and never logged it: Ada comes back first.
    execute(
        db_path,
        "UPDATE contacts SET claimed_by = 'alice', claim_expires_at = ?, dialed_at = ?"
        " WHERE id = ?",
        ("2026-11-23T15:10:00Z", "2026-11-23T14:59:00Z", people["Ada"]),
    )
    app = make_app(db_path=str(db_path), rep="alice", clock=MovableClock())
    async with app.run_test(size=(110, 30)) as pilot:
        screen = await started(pilot)
        assert shown_contact(screen) == people["Ada"]
        lines = screen.query_one(HistoryView).query_one("#history-lines")
        assert "gatekeeper  attempt 1 · bob · talk 01:05 · recording" in rendered_text(lines)
        links = {
            segment.style.link
            for line in lines.render_lines(lines.region.reset_offset)
            for segment in line
            if segment.style is not None and segment.style.link
        }
        assert links == {"https://pbx.example/r/7.mp3"}


@run_async
async def test_the_meeting_form_shows_the_talk_time_and_refuses_a_bad_one(db_path: Path) -> None:
    people = team_database(db_path)
    clock = MovableClock()
    app = make_app(db_path=str(db_path), rep="alice", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("d")
        await settle(pilot)
        clock.advance(timedelta(minutes=12, seconds=4))
        await pilot.press("8")  # meeting set: the qualification form
        await settle(pilot)
        form = app.screen
        assert isinstance(form, QualifyDialog)
        talk = form.query_one(TalkTime)
        assert talk.value == "12:04"
        talk.value = "twelve"
        await pilot.press(*"25000", "enter", *"thu 2pm", "ctrl+s")
        await settle(pilot)
        assert app.screen is form and form.focused is talk  # refused, the field to fix
        talk.value = "12:04"  # as timed: the timer's seconds are logged
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: bool(calls(db_path)))
        assert calls(db_path) == [(people["Ada"], "meeting_set", 724, "+12125550000")]
        assert timer_text(screen) is None
