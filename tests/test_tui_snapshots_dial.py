"""SVG snapshots of a timed call: the timer on the lead card's border at 80×24 and
120×40, and the callback prompt with the talk time to correct.

Update after a deliberate change with
``pytest tests/test_tui_snapshots_dial.py --snapshot-update``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from prospector.tui.app import make_app
from tests.tui_support import MovableClock, settle, team_database

# The header shows the database's name: team.db, the file's, on PostgreSQL too.
pytestmark = pytest.mark.database_name("team.db")


def timed_call(db_path: Path | str, *keys: str):
    """The workbench on the team, Ada dialed 2 min 5 s ago; then ``keys`` pressed."""
    team_database(db_path)
    clock = MovableClock()
    app = make_app(db_path=str(db_path), rep="alice", clock=clock)

    async def dial(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        clock.advance(timedelta(minutes=2, seconds=5))
        pilot.app.screen._tick_call()  # what the one-second timer runs
        await pilot.press(*keys)
        await settle(pilot)
        for field in pilot.app.screen.query(Input):  # a steady cursor: no blink in the picture
            field.cursor_blink = False

    return app, dial


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_the_timer_on_the_lead_card(snap_compare, db_path: Path | str, size) -> None:
    app, dial = timed_call(db_path)
    assert snap_compare(app, terminal_size=size, run_before=dial)


def test_the_callback_prompt_with_the_talk_time(snap_compare, db_path: Path | str) -> None:
    app, dial = timed_call(db_path, "5")
    assert snap_compare(app, terminal_size=(100, 30), run_before=dial)
