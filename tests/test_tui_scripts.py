"""The script pane (``s``) and objections (``o`` + key) in the workbench, driven by Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest

from prospector.tui.dialogs.objection import ObjectionDialog
from prospector.tui.widgets.key_footer import FooterCell, KeyFooter
from prospector.tui.widgets.script_pane import ScriptPane
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

SIZE = (120, 40)


@pytest.fixture
def ids(db_path: Path) -> dict[str, int]:
    return team_database(db_path)


def pane_text(pane: ScriptPane) -> str:
    """The words the pane draws (its shown Markdown blocks'), wrapped lines joined."""
    drawn = " ".join(
        rendered_text(widget)
        for widget in pane.query("*")
        if not widget.children and widget.display and widget.region.area
    )
    return " ".join(drawn.split())


@run_async
async def test_s_shows_the_leads_script_and_it_follows_the_next_lead(
    db_path: Path, ids: dict[str, int]
) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        pane = screen.query_one(ScriptPane)
        assert not pane.display
        await pilot.press("s")
        await settle(pilot)
        assert pane.display
        # Ada is a new lead: the first-touch script, with her details merged in.
        assert pane.border_title == "Script · First touch"
        shown = pane_text(pane)
        assert "First call: Ada Lovelace, VP Operations" in shown
        assert "Analytical Engines came in through inbound" in shown
        assert "this is alice" in shown
        assert "Mon 10:00 EST" in shown  # {local_time}, the prospect's

        await pilot.press("1")  # no answer: Grace comes next, and the pane stays open
        await settle(pilot)
        assert shown_contact(screen) == ids["Grace"]
        assert pane.display
        assert "First call: Grace Hopper" in pane_text(pane)

        await pilot.press("s")
        await settle(pilot)
        assert not pane.display
        await pilot.press("2")  # busy: Alan, with the pane still closed
        await settle(pilot)
        assert shown_contact(screen) == ids["Alan"]
        assert not pane.display


@run_async
async def test_objections_tag_the_call_and_are_logged_with_it(
    db_path: Path, ids: dict[str, int]
) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ObjectionDialog)
        await pilot.press("x")  # no such key: the dialog stays
        await settle(pilot)
        assert isinstance(app.screen, ObjectionDialog)
        await pilot.press("e")
        await settle(pilot)
        assert not isinstance(app.screen, ObjectionDialog)
        pane = screen.query_one(ScriptPane)
        assert pane.display  # the answer shows in the pane, opened for it
        assert "Send me an email" in pane_text(pane)
        assert "what would you need to see in it" in pane_text(pane)
        assert "Objections Send me an email" in card_text(screen)

        await pilot.press("o", "b", "o", "e")  # a second objection; the first again is once
        await settle(pilot)
        assert "Objections Send me an email · No budget" in card_text(screen)

        await pilot.press("6")  # not interested: logged with both tags
        await settle(pilot)
        assert shown_contact(screen) == ids["Grace"]
        assert "Objections" not in card_text(screen)
        shown = pane_text(pane)  # still open, with Grace's script and no answer
        assert "First call: Grace Hopper" in shown and "budget" not in shown
        await pilot.press("1")
        await settle(pilot)
    rows = execute(
        db_path,
        "SELECT c.contact_id, t.tag FROM call_tags t JOIN calls c ON c.id = t.call_id"
        " ORDER BY t.tag",
    )
    assert [tuple(row) for row in rows] == [
        (ids["Ada"], "No budget"),
        (ids["Ada"], "Send me an email"),
    ]
    assert len(execute(db_path, "SELECT id FROM calls")) == 2


@run_async
async def test_tags_go_with_a_lead_left_without_a_call(db_path: Path, ids: dict[str, int]) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("o", "t")
        await settle(pilot)
        assert "Bad timing" in card_text(screen)
        await pilot.press("n")  # skip Ada
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert shown_contact(screen) == ids["Grace"]
        assert "Bad timing" not in card_text(screen)
        await pilot.press("1")
        await settle(pilot)
    assert execute(db_path, "SELECT * FROM call_tags") == []


@run_async
async def test_escape_leaves_the_call_untagged(db_path: Path, ids: dict[str, int]) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("o", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, ObjectionDialog)
        assert "Objections" not in card_text(screen)
        assert not screen.query_one(ScriptPane).display
        await pilot.press("1")
        await settle(pilot)
    assert execute(db_path, "SELECT * FROM call_tags") == []
    assert len(execute(db_path, "SELECT id FROM calls")) == 1


@run_async
async def test_a_team_without_scripts_or_objections(db_path: Path, ids: dict[str, int]) -> None:
    from prospector.foundations.db import open_database
    from prospector.services.settings import default_settings, parse_settings, store_settings
    from tests.tui_support import START

    bare = default_settings().source_text.split("[[scripts]]")[0]
    with open_database(db_path) as db, db.write():
        store_settings(db, parse_settings(bare), actor="lead", now=START)
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("o")  # no catalog: the key does nothing
        await settle(pilot)
        assert not isinstance(app.screen, ObjectionDialog)
        shown = [cell.description for cell in screen.query_one(KeyFooter).query(FooterCell)]
        assert "Script" in shown and "Objection" not in shown
        await pilot.press("s")
        await settle(pilot)
        pane = screen.query_one(ScriptPane)
        assert pane.border_title == "Script"
        assert "No script applies to this lead" in pane_text(pane)
