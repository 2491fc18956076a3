"""The workbench's ``/`` search, driven with Pilot: the rules of ``prospector search``."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from prospector.foundations.db import open_database
from prospector.tui.screens.search import SearchScreen
from tests.factories import add_contact
from tests.tui_support import (
    START,
    pinned_app,
    run_async,
    settle,
    shown_contact,
    started,
    team_database,
)

SIZE = (100, 30)


def results(app) -> tuple[str, list[str]]:
    """The results' title ("2 found") and the shown lines."""
    options = app.screen.query_one("#search-results", OptionList)
    lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    return str(options.border_title), lines


async def search(pilot, text: str) -> tuple[str, list[str]]:
    """Type ``text`` into the open search box (replacing what was there)."""
    box = pilot.app.screen.query_one("#search-input", Input)
    box.value = ""
    await pilot.press(*text)
    await settle(pilot)
    assert box.value == text
    return results(pilot.app)


@run_async
async def test_search_folds_accents_and_takes_wildcards_literally(db_path: Path) -> None:
    team_database(db_path)
    with open_database(db_path) as db:
        anna = add_contact(
            db, now=START, first_name="Anna", last_name="Müller", phone="+12125550102",
            company="Société Générale", email="anna_m@sg.example",
        )  # fmt: skip
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert await search(pilot, "muller") == (
            "1 found",
            [f"#{anna}  Anna Müller · Société Générale · +12125550102  (open)"],
        )
        assert (await search(pilot, "MÜLLER"))[0] == "1 found"
        assert (await search(pilot, "societe"))[0] == "1 found"
        assert await search(pilot, "%") == ("0 found", [])
        assert (await search(pilot, "anna_m"))[0] == "1 found"
        assert (await search(pilot, "212.555.0102"))[1][0].startswith(f"#{anna} ")
        assert not app._notifications


@run_async
async def test_a_20_digit_search_finds_nothing_and_raises_nothing(db_path: Path) -> None:
    team_database(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert await search(pilot, "12345678901234567890") == ("0 found", [])
        assert await search(pilot, "#99999999999999999999") == ("0 found", [])
        assert not app._notifications  # no "search failed: ..." either
        await pilot.press("enter")  # nothing to open: the search stays
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)


@run_async
async def test_first_down_highlights_the_first_result_and_enter_opens_it(db_path: Path) -> None:
    team_database(db_path)
    with open_database(db_path) as db:
        horst, konrad = (
            add_contact(db, now=START, first_name=name, last_name="Zuse",
                        phone=phone, company="Zuse KG")
            for name, phone in (("Horst", "+12125550141"), ("Konrad", "+12125550142"))
        )  # fmt: skip
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        lead = await started(pilot)
        await pilot.press("slash")
        await settle(pilot)
        title, lines = await search(pilot, "zuse")
        assert title == "2 found" and lines[0].startswith(f"#{horst} ")
        await pilot.press("down")
        options = app.screen.query_one("#search-results", OptionList)
        assert options.has_focus and options.highlighted == 0
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)
        assert shown_contact(lead) == horst != konrad


@run_async
async def test_enter_or_down_with_nothing_found_says_why(db_path: Path) -> None:
    team_database(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert [n.message for n in app._notifications] == [
            "type an id, name, company, email or phone first"
        ]
        assert await search(pilot, "nobody-here") == ("0 found", [])
        await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-input", Input).has_focus
        assert [n.message for n in app._notifications][1:] == [
            "nothing found for 'nobody-here'",
            "nothing found for 'nobody-here'",
        ]
