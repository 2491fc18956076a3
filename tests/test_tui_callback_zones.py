"""The workbench's callback dialog reads time words in the prospect's zone, not the team's.

Every contact of ``tui_support.team_database`` is in New York, the team's own zone,
so a dialog reading words in the team's zone would pass every other workbench test.
Here the prospect is in London (five hours ahead of the team in November).
"""

from __future__ import annotations

from pathlib import Path

from prospector.foundations.db import open_database
from prospector.tui.dialogs.callback import CallbackDialog
from tests.factories import add_contact
from tests.tui_support import START, execute, pinned_app, run_async, settle, shown_contact, started

SIZE = (100, 30)


def london_contact(path: Path) -> int:
    """One contact in London, the only one: the first lead the workbench shows."""
    db = open_database(path)
    try:
        return add_contact(
            db,
            now=START,
            phone="+442079460123",
            zones=("Europe/London",),
            country="GB",
            first_name="Ada",
            last_name="King",
            company="Difference Engines Ltd",
            employees=300,
        )
    finally:
        db.close()


@run_async
async def test_tomorrow_3pm_is_3pm_in_london_for_a_london_prospect(db_path: Path) -> None:
    contact = london_contact(db_path)
    app = pinned_app(db_path)  # Monday 15:00 in London, 10:00 for the team in New York
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert shown_contact(screen) == contact
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, CallbackDialog)
        await pilot.press(*"tomorrow 3pm")
        preview = str(app.screen.preview.render())
        assert "Tue 24 Nov 15:00 GMT" in preview and "Europe/London" in preview
        assert "Tue 24 Nov 10:00 EST" in preview  # the rep's own clock
        assert "outside" not in preview
        await pilot.press("enter")
        await settle(pilot)
    call = execute(
        db_path, "SELECT contact_id, disposition, callback_at, callback_scope FROM calls"
    )
    assert [tuple(row) for row in call] == [(contact, "callback", "2026-11-24T15:00:00Z", "mine")]
    row = execute(
        db_path, "SELECT callback_at, callback_rep FROM contacts WHERE id = ?", (contact,)
    )
    assert tuple(row[0]) == ("2026-11-24T15:00:00Z", "alice")
