"""The whole account at the desk, driven with Pilot: the colleagues on the lead card,
``a`` for the account view, Enter to call a colleague next, and what it refuses."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from prospector.foundations.clock import to_db
from prospector.foundations.db import open_database
from prospector.services.accounts import account_of
from prospector.services.calls import log_call
from prospector.tui.screens.account import AccountScreen
from prospector.tui.screens.lead import LeadScreen
from prospector.tui.widgets.key_footer import KeyFooter
from prospector.tui.widgets.lead_card import LeadCard
from tests.backend import scalar
from tests.factories import add_contact, add_phone
from tests.tui_support import (
    START,
    card_text,
    execute,
    lead_screen,
    pinned_app,
    rendered_text,
    run_async,
    settle,
    shown_contact,
    started,
    team_database,
)

WIDE, NARROW = (120, 40), (80, 24)


def ada_and_colleagues(db_path: Path | str) -> dict[str, int]:
    """The team database, and four colleagues of Ada (the first lead) at her account:
    Ben called by carol on Friday, Cy held by bob now, Dee with a meeting set, and Eve,
    never called and free."""
    ids = team_database(db_path)
    with open_database(db_path) as db:
        account = account_of(db, ids["Ada"])
        for first, title in (("Ben", "CFO"), ("Cy", "CTO"), ("Dee", "COO"), ("Eve", "CEO")):
            ids[first] = add_contact(
                db, now=START, first_name=first, last_name="Byron", title=title,
                account_id=account, employees=15, phone=f"+1212555{len(ids) + 10:04d}",
            )  # fmt: skip
        log_call(db, ids["Ben"], "no_answer", rep="carol", now=START - timedelta(days=3))
    until = to_db(START + timedelta(minutes=10))
    execute(
        db_path,
        "UPDATE contacts SET claimed_by = 'bob', claim_expires_at = ? WHERE id = ?",
        (until, ids["Cy"]),
    )
    execute(db_path, "UPDATE contacts SET status = 'qualified' WHERE id = ?", (ids["Dee"],))
    return ids


@run_async
async def test_the_card_shows_the_colleagues_most_worth_knowing_first(db_path: Path) -> None:
    ids = ada_and_colleagues(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        assert shown_contact(screen) == ids["Ada"]
        lines = card_text(screen).splitlines()
        start = next(n for n, line in enumerate(lines) if "Also at" in line)
        shown = [line.strip("│ ").rstrip() for line in lines[start : start + 5]]
        assert shown == [
            "Also at Analytical Engines: 4 colleagues · a lists them all",
            "Cy Byron, CTO · open · never called · held by bob",
            "Dee Byron, COO · meeting set · never called",
            "Ben Byron, CFO · open · no_answer 3 d ago (carol)",
            "Eve Byron, CEO · open · never called",
        ]


def fits(screen: LeadScreen) -> None:
    """The note's bottom border is above the footer, the history keeps its three rows."""
    footer = screen.query_one(KeyFooter)
    assert screen.query_one("#note").region.bottom <= footer.region.y
    assert screen.query_one("#history").region.height >= 3


@pytest.mark.parametrize(
    ("height", "rows"),
    [
        (24, ["4 colleagues (a) Cy Byron · held by bob"]),
        (40, ["4 colleagues (a) Cy Byron · held by bob", "Dee Byron · meeting set"]),
    ],
)
def test_at_80_columns_the_colleagues_take_the_rows_the_card_can_spare(
    db_path: Path, height: int, rows: list[str]
) -> None:
    ids = ada_and_colleagues(db_path)

    async def run() -> None:
        app = pinned_app(db_path)
        async with app.run_test(size=(80, height)) as pilot:
            screen = await started(pilot)
            assert shown_contact(screen) == ids["Ada"]
            lines = [line.strip("│ ").rstrip() for line in card_text(screen).splitlines()]
            start = next(n for n, line in enumerate(lines) if "colleagues (a)" in line)
            assert lines[start : start + len(rows)] == rows
            assert lines[start + len(rows)].startswith("╰")  # the card's bottom border
            assert "Ben Byron" not in card_text(screen)  # the third is for the account view
            assert screen.query_one(LeadCard).border_title == f"Lead #{ids['Ada']}"
            fits(screen)

    asyncio.run(run())


@run_async
async def test_with_no_row_to_spare_the_card_title_counts_the_colleagues(db_path: Path) -> None:
    """At 80×24 a second number takes the colleagues' row: the title says how many."""
    ids = ada_and_colleagues(db_path)
    with open_database(db_path) as db:
        add_phone(db, ids["Ada"], "+19175550101", "mobile")
    app = pinned_app(db_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = await started(pilot)
        assert screen.query_one(LeadCard).border_title == f"Lead #{ids['Ada']} · 4 colleagues (a)"
        assert "Cy Byron" not in card_text(screen)
        fits(screen)


@run_async
async def test_a_lists_the_account_and_enter_calls_a_colleague_next(db_path: Path) -> None:
    ids = ada_and_colleagues(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        heading = str(app.screen.query_one("#account-heading", Static).render())
        assert heading == "Analytical Engines · Manufacturing · 900 staff · 5 contacts"
        table = app.screen.query_one(DataTable)
        assert table.row_count == 5
        rows = [table.get_row_at(n) for n in range(5)]
        assert [str(row[1]) for row in rows] == [
            "Ada Lovelace",
            "Cy Byron",
            "Dee Byron",
            "Ben Byron",
            "Eve Byron",
        ]
        assert [str(row[2]) for row in rows] == ["this lead", "bob", "", "", ""]
        assert [str(row[6]) for row in rows] == ["VP Operations", "CTO", "COO", "CFO", "CEO"]
        assert (rows[3][4], rows[3][5]) == ("no_answer 3 d ago", "carol")
        assert table.cursor_row == 0  # on the lead itself
        await pilot.press("down", "down", "down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadScreen)
        assert shown_contact(screen) == ids["Eve"]
        assert screen.lead is not None and screen.lead.item.reason == "opened from the account view"
        assert scalar(db_path, "SELECT claimed_by FROM contacts WHERE id = ?", (ids["Eve"],)) == (
            "alice"
        )
        # Ada was let go, as / search's open lets the lead go.
        assert (
            scalar(db_path, "SELECT claimed_by FROM contacts WHERE id = ?", (ids["Ada"],)) is None
        )
        assert "Also at Analytical Engines: 4 colleagues" in card_text(screen)
        assert "Ada Lovelace, VP Operations · open · never called" in card_text(screen)


@run_async
async def test_a_colleague_held_by_another_rep_says_who_and_stays(db_path: Path) -> None:
    ids = ada_and_colleagues(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("down", "enter")  # Cy, bob's
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert [n.message for n in app._notifications] == [
            "Cy Byron is held by bob: not yours to call now"
        ]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LeadScreen)
        assert shown_contact(screen) == ids["Ada"]
        assert (
            scalar(db_path, "SELECT claimed_by FROM contacts WHERE id = ?", (ids["Cy"],)) == "bob"
        )


@run_async
async def test_a_dialed_lead_must_be_logged_before_calling_a_colleague(db_path: Path) -> None:
    ids = ada_and_colleagues(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("down", "down", "down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadScreen)
        assert shown_contact(screen) == ids["Ada"]
        assert [n.message for n in app._notifications][-1] == (
            "You dialed Ada Lovelace: log the outcome before opening another lead"
        )
        assert (
            scalar(db_path, "SELECT claimed_by FROM contacts WHERE id = ?", (ids["Eve"],)) is None
        )


@run_async
async def test_with_the_account_lock_a_colleague_of_a_held_account_is_refused(db_path) -> None:
    """alice calls Eve from Ada's account view (her own account); bob is then offered
    no one at Analytical Engines, and opening Ben says alice holds the account."""
    from tests.test_accounts import lock_accounts

    ids = ada_and_colleagues(db_path)
    execute(db_path, "UPDATE contacts SET claimed_by = NULL WHERE id = ?", (ids["Cy"],))
    with open_database(db_path) as db:
        lock_accounts(db)
    app = pinned_app(db_path)
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        assert shown_contact(screen) == ids["Ada"]
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("down", "down", "down", "down", "enter")
        await settle(pilot)
        assert shown_contact(screen) == ids["Eve"]  # her own account: she may
        bob = pinned_app(db_path, rep="bob")
        async with bob.run_test(size=WIDE) as bob_pilot:
            bobs = await started(bob_pilot)
            assert bobs.desk is not None
            offered = {shown_contact(bobs)} | {item.contact_id for item in bobs.desk.upcoming}
            assert offered <= {ids["Grace"], ids["Alan"], ids["Edsger"]}
            bobs._open(ids["Ben"], why="opened from the account view")
            await settle(bob_pilot)
            assert [n.message for n in bob._notifications] == [
                f"contact {ids['Ben']}: Analytical Engines is held by alice (calling contact"
                f" {ids['Eve']}); with calling.account_lock one rep at a time calls an account"
            ]
            assert shown_contact(bobs) != ids["Ben"]


@run_async
async def test_a_without_a_lead_does_nothing(db_path: Path) -> None:
    app = pinned_app(db_path)
    open_database(db_path).close()  # an empty team: no lead
    async with app.run_test(size=WIDE) as pilot:
        screen = await started(pilot)
        assert screen.lead is None
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, LeadScreen)
        assert rendered_text(lead_screen(app).query_one("#card"))


@run_async
async def test_under_a_forgotten_dials_banner_the_colleagues_take_no_row(db_path: Path) -> None:
    """At 80×24 the banner and the dial's line leave no row (the note is pushed down by
    them already, colleagues or not): the colleagues are only counted in the title."""
    ids = ada_and_colleagues(db_path)
    until, dialed = to_db(START + timedelta(minutes=10)), to_db(START - timedelta(minutes=5))
    execute(
        db_path,
        "UPDATE contacts SET claimed_by = 'alice', claim_expires_at = ?, dialed_at = ?"
        " WHERE id = ?",
        (until, dialed, ids["Ada"]),
    )
    app = pinned_app(db_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = await started(pilot)
        assert screen.lead is not None and screen.lead.recovered
        assert screen.query_one("#banner").region.height == 2
        assert "Dialed at 09:55 EST and never logged" in card_text(screen)
        assert screen.query_one(LeadCard).border_title == f"Lead #{ids['Ada']} · 4 colleagues (a)"
        assert "Cy Byron" not in card_text(screen)
