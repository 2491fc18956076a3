"""SVG snapshots of the floor (80×24 and 120×40) and of the paused desk (pinned clock).

Update after a deliberate change with
``pytest tests/test_tui_snapshots_floor.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from prospector.foundations.clock import fixed_clock
from prospector.tui.floor_app import FloorApp
from tests.test_tui_pause_floor import busy_floor
from tests.tui_support import START, pinned_app, settle, team_database

# The workbench's header shows the database's name: team.db, the file's, on PostgreSQL too.
pytestmark = pytest.mark.database_name("team.db")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_floor(snap_compare, db_path: Path | str, size: tuple[int, int]) -> None:
    busy_floor(db_path)
    app = FloorApp(db_path=str(db_path), clock=fixed_clock(START))
    assert snap_compare(app, terminal_size=size, run_before=settle)


def test_paused_desk(snap_compare, db_path: Path | str) -> None:
    team_database(db_path)

    async def pause_for_lunch(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)

    app = pinned_app(db_path)
    assert snap_compare(app, terminal_size=(100, 30), run_before=pause_for_lunch)
