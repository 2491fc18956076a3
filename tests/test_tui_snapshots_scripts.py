"""SVG snapshots of the script pane (``s``) with an objection's answer (``o``), at 80×24
and 120×40 (pinned clock, fixed data).

Update after a deliberate change with
``pytest tests/test_tui_snapshots_scripts.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui_support import pinned_app, settle, team_database

# The header shows the database's name: team.db, the file's, on PostgreSQL too.
pytestmark = pytest.mark.database_name("team.db")


async def _open_script(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)


async def _objection(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("o", "b")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_script_pane(snap_compare, db_path: Path | str, size: tuple[int, int]) -> None:
    team_database(db_path)
    assert snap_compare(pinned_app(db_path), terminal_size=size, run_before=_open_script)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_objection_answer(snap_compare, db_path: Path | str, size: tuple[int, int]) -> None:
    team_database(db_path)
    assert snap_compare(pinned_app(db_path), terminal_size=size, run_before=_objection)
