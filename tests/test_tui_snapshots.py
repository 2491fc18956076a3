"""SVG snapshots of the workbench's main screens at 100×30 (pinned clock, fixed data).

Update after a deliberate change with ``pytest tests/test_tui_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui_support import pinned_app, settle, team_database

SIZE = (100, 30)

# The header shows the database's name: team.db, the file's, on PostgreSQL too.
pytestmark = pytest.mark.database_name("team.db")


def _app(db_path: Path | str):
    team_database(db_path)
    return pinned_app(db_path)


def test_lead_screen(snap_compare, db_path: Path | str) -> None:
    assert snap_compare(_app(db_path), terminal_size=SIZE, run_before=settle)


def test_qualify_modal(snap_compare, db_path: Path | str) -> None:
    async def open_form(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("8")
        await settle(pilot)
        await pilot.press(*"25000", "enter", *"thu 2pm")
        await settle(pilot)

    assert snap_compare(_app(db_path), terminal_size=SIZE, run_before=open_form)


def test_help_screen(snap_compare, db_path: Path | str) -> None:
    async def open_help(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(_app(db_path), terminal_size=SIZE, run_before=open_help)


def test_lead_with_several_numbers(snap_compare, db_path: Path | str) -> None:
    """Ada with a mobile, a switchboard (ext. 4) and a bad old number, switched to the mobile."""
    from prospector.foundations.db import open_database
    from tests.factories import add_phone

    path = db_path
    ada = team_database(path)["Ada"]
    with open_database(path) as db:
        add_phone(db, ada, "+19175550101", "mobile")
        add_phone(db, ada, "+12125550199", "company", extension="4", number_type="fixed_line")
        add_phone(db, ada, "+16465550123", "other", bad=True)

    async def switch(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        pilot.app.clear_notifications()  # a toast would time out on a slow machine
        await settle(pilot)

    assert snap_compare(pinned_app(path), terminal_size=SIZE, run_before=switch)
