"""The lead card's phones in the real workbench: every number shown, t switches the
number for this call, a wrong number moves on to the next one."""

from __future__ import annotations

from pathlib import Path

import pytest

from prospector.foundations.db import open_database
from prospector.tui.screens.lead import LeadScreen
from prospector.tui.widgets.history import HistoryView
from prospector.tui.widgets.key_footer import FooterCell
from prospector.tui.widgets.lead_card import LeadCard
from prospector.tui.widgets.note_editor import NoteEditor
from tests.factories import add_dnc_number, add_phone
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

SIZE = (100, 30)
DIRECT = "+12125550000"  # Ada's imported number (team_database)
MOBILE = "+19175550101"
SWITCHBOARD = "+12125550199"
OLD = "+16465550123"


@pytest.fixture
def ids(db_path: Path) -> dict[str, int]:
    """The team; Ada, first in the queue, also has a mobile, the switchboard (ext. 4) and
    an old number found wrong before."""
    people = team_database(db_path)
    with open_database(db_path) as db:
        add_phone(db, people["Ada"], MOBILE, "mobile")
        add_phone(
            db, people["Ada"], SWITCHBOARD, "company", extension="4", number_type="fixed_line"
        )
        add_phone(db, people["Ada"], OLD, "other", bad=True)
    return people


def card_lines(screen: LeadScreen) -> list[str]:
    return [line.strip("│ ") for line in card_text(screen).splitlines()]


def switches(db_path: Path) -> list[tuple]:
    rows = execute(
        db_path,
        "SELECT actor, subject, detail FROM audit_log WHERE action = 'contact.phone_switch'"
        " ORDER BY id",
    )
    return [tuple(row) for row in rows]


def contact(db_path: Path, contact_id: int) -> tuple:
    row = execute(
        db_path, "SELECT phone, phone_ext, status FROM contacts WHERE id = ?", (contact_id,)
    )[0]
    return tuple(row)


@run_async
async def test_the_card_shows_every_number(db_path: Path, ids: dict[str, int]) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=(110, 32)) as pilot:
        screen = await started(pilot)
        lines = card_lines(screen)
        assert lines[3] == "(212) 555-0000  +12125550000  work · fixed/mobile"
        assert " ".join(" ".join(lines[4:6]).split()) == (
            "Also mobile (917) 555-0101 · company (212) 555-0199 ext. 4 · other (646) 555-0123 bad"
        )  # wrapped: there is room for it at this size
        card = screen.query_one(LeadCard)
        struck = [
            segment.text
            for strip in card.render_lines(card.region.reset_offset)
            for segment in strip
            if segment.style is not None and segment.style.strike
        ]
        assert " ".join("".join(struck).split()) == "other (646) 555-0123"  # the bad one


@run_async
async def test_t_switches_for_this_call_and_the_call_records_it(
    db_path: Path, ids: dict[str, int]
) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert screen.query_one(LeadCard).border_title == f"Lead #{ids['Ada']} · switched to mobile"
        lines = card_lines(screen)
        assert lines[3] == "(917) 555-0101  +19175550101  mobile"
        assert lines[4].startswith("Also work (212) 555-0000 · company")
        assert switches(db_path) == [
            ("alice", f"contact:{ids['Ada']}", f"from {DIRECT} to {MOBILE} (mobile)")
        ]
        await pilot.press("d")  # the dial refreshes the card: the switch stays
        await settle(pilot)
        assert card_lines(screen)[3] == "(917) 555-0101  +19175550101  mobile"

        await pilot.press("1")  # no answer on the mobile
        await settle(pilot)
    calls = execute(db_path, "SELECT contact_id, phone, phone_ext FROM calls")
    assert [tuple(call) for call in calls] == [(ids["Ada"], MOBILE, None)]
    assert contact(db_path, ids["Ada"]) == (DIRECT, None, "open")  # only for that call


@run_async
async def test_p_cycles_through_the_good_numbers(db_path: Path, ids: dict[str, int]) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("t", "t")
        await settle(pilot)
        assert card_lines(screen)[3].startswith("(212) 555-0199 ext. 4  +12125550199  company")
        await pilot.press("t")  # past the bad number, back to the dialled one
        await settle(pilot)
        assert screen.query_one(LeadCard).border_title == f"Lead #{ids['Ada']}"
        assert card_lines(screen)[3].startswith("(212) 555-0000  +12125550000")
    assert [detail for _, _, detail in switches(db_path)] == [
        f"from {DIRECT} to {MOBILE} (mobile)",
        f"from {MOBILE} to {SWITCHBOARD} (company)",
        f"from {SWITCHBOARD} to {DIRECT} (work)",
    ]


@run_async
async def test_a_number_put_on_the_dnc_list_meanwhile_is_refused(
    db_path: Path, ids: dict[str, int]
) -> None:
    """The card was read before the mobile went on the DNC list: the switch and the call
    on it are refused, nothing is logged."""
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        with open_database(db_path) as db:
            add_dnc_number(db, MOBILE, now=START)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        refused = [n.message for n in app._notifications if n.title == "Not done"]
    assert refused == [f"contact {ids['Ada']}: {MOBILE} is on the do-not-call list"] * 2
    assert execute(db_path, "SELECT count(*) FROM calls")[0][0] == 0
    assert switches(db_path) == []


@run_async
async def test_a_connect_on_the_switched_number_keeps_it(
    db_path: Path, ids: dict[str, int]
) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("t", "t")
        await settle(pilot)
        await pilot.press("4")  # a gatekeeper answered the switchboard
        await settle(pilot)
    assert contact(db_path, ids["Ada"]) == (SWITCHBOARD, "4", "open")


@run_async
async def test_a_wrong_number_moves_on_to_the_next(db_path: Path, ids: dict[str, int]) -> None:
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("9")
        await settle(pilot)
        said = [n.message for n in app._notifications]
        screen = lead_screen(app)
        while shown_contact(screen) != ids["Ada"]:  # the new leads first, then her again
            assert shown_contact(screen) is not None
            await pilot.press("7")  # not a fit
            await settle(pilot)
        lines = card_lines(screen)
        assert lines[3] == "(917) 555-0101  +19175550101  mobile"
        history = screen.query_one(HistoryView).query_one("#history-lines")
        shown = rendered_text(history)
        assert "wrong number attempt 1 · alice · on (212) 555-0000" in " ".join(shown.split())
    assert (
        "Wrong number logged for Ada Lovelace; wrong number: next number (917) 555-0101 (mobile)"
        in said
    )
    assert contact(db_path, ids["Ada"]) == (MOBILE, None, "open")
    bad = execute(db_path, "SELECT e164 FROM contact_phones WHERE bad = 1 ORDER BY e164")
    assert [row[0] for row in bad] == [DIRECT, OLD]


@run_async
async def test_one_number_leaves_the_key_dimmed(db_path: Path) -> None:
    team_database(db_path)  # everyone has one number
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        cell = next(c for c in screen.query(FooterCell) if c.key == "t")
        assert cell.description == "Next number" and not cell.enabled
        assert "Also" not in card_text(screen)
        await pilot.press("t")
        await settle(pilot)
        assert screen.query_one(LeadCard).border_title == "Lead #1"
    assert switches(db_path) == []


@pytest.mark.parametrize("size", [(80, 24), (110, 32)])
@run_async
async def test_the_card_fits(db_path: Path, ids: dict[str, int], size: tuple[int, int]) -> None:
    """Switched and dialed, with every number shown: the card, the history, the note
    and the footer are all on screen, the card never cut."""
    app = pinned_app(db_path)
    async with app.run_test(size=size) as pilot:
        screen = await started(pilot)
        await pilot.press("t", "d")
        await settle(pilot)
        card = screen.query_one(LeadCard)
        assert "Dialed at 10:00 EST" in card_text(screen) or (
            card.border_subtitle == "dialed 10:00 · yours until 10:15 EST"
        )
        lines = card_lines(screen)
        phone = next(i for i, line in enumerate(lines) if line.startswith("(917) 555-0101"))
        assert lines[phone + 1].startswith("Also work (212) 555-0000")
        assert card.region.height == card.virtual_size.height
        history, note = screen.query_one(HistoryView), screen.query_one(NoteEditor)
        footer_top = min(cell.region.y for cell in screen.query(FooterCell))
        assert history.region.height >= 3
        assert note.region.y + note.region.height <= footer_top
        assert all(
            cell.region.x + cell.region.width <= size[0] for cell in screen.query(FooterCell)
        )
