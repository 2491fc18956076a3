"""SVG snapshots of the whole account: the account view at 80×24 and 120×40, and the
lead card's colleagues at 80×24 (pinned clock, fixed data).

Update after a deliberate change with
``pytest tests/test_tui_snapshots_account.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.test_tui_account import ada_and_colleagues
from tests.tui_support import pinned_app, settle

# The header shows the database's name: team.db, the file's, on PostgreSQL too.
pytestmark = pytest.mark.database_name("team.db")


async def open_account(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_account_view(snap_compare, db_path: Path | str, size) -> None:
    ada_and_colleagues(db_path)
    assert snap_compare(pinned_app(db_path), terminal_size=size, run_before=open_account)


def test_lead_card_with_colleagues_at_80x24(snap_compare, db_path: Path | str) -> None:
    ada_and_colleagues(db_path)
    assert snap_compare(pinned_app(db_path), terminal_size=(80, 24), run_before=settle)


def test_lead_card_with_colleagues_at_120x40(snap_compare, db_path: Path | str) -> None:
    ada_and_colleagues(db_path)
    assert snap_compare(pinned_app(db_path), terminal_size=(120, 40), run_before=settle)
