"""The workbench's pause (``p``), wrap-up and going offline, and the floor screen, by Pilot."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable

from prospector.foundations.clock import fixed_clock
from prospector.foundations.db import open_database
from prospector.services import rep_states
from prospector.tui.app import make_app
from prospector.tui.dashboard_app import DashboardApp
from prospector.tui.dialogs.pause_code import PauseCodeDialog
from prospector.tui.floor_app import FloorApp
from prospector.tui.screens.floor import FloorScreen
from prospector.tui.widgets.key_footer import FooterCell, KeyFooter
from tests.tui_support import (
    START,
    MovableClock,
    card_text,
    execute,
    run_async,
    settle,
    shown_contact,
    started,
    team_database,
)

SIZE = (100, 30)


def footer_cells(screen) -> list[str]:
    footer = screen.query_one(KeyFooter)
    return [f"{cell.key_display} {cell.description}" for cell in footer.query(FooterCell)]


def states(db_path) -> list[tuple]:
    return [
        tuple(row)
        for row in execute(
            db_path,
            "SELECT state, code, started_at, ended_at FROM rep_states WHERE rep = 'alice'"
            " ORDER BY started_at",
        )
    ]


def holders(db_path) -> list[tuple]:
    return [
        tuple(row)
        for row in execute(db_path, "SELECT claimed_by FROM contacts WHERE claimed_by IS NOT NULL")
    ]


@run_async
async def test_p_and_a_code_release_the_lead_and_nothing_is_claimed_until_resumed(
    db_path: Path,
) -> None:
    ids = team_database(db_path)
    before = execute(
        db_path, "SELECT id, next_call_at, attempts, deferred_until FROM contacts ORDER BY id"
    )
    clock = MovableClock()
    app = make_app(db_path=str(db_path), rep="alice", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert shown_contact(screen) == ids["Ada"]
        clock.advance(timedelta(minutes=1))
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PauseCodeDialog)
        await pilot.press("1")  # the first code: lunch
        await settle(pilot)
        assert shown_contact(screen) is None
        assert holders(db_path) == []  # back to the queue, untouched
        assert (
            execute(
                db_path,
                "SELECT id, next_call_at, attempts, deferred_until FROM contacts ORDER BY id",
            )
            == before
        )
        clock.advance(timedelta(minutes=12, seconds=4))
        await pilot.pause(1.2)  # the pause's time ticks on the card
        assert "Paused: Lunch 12:04" in card_text(screen)
        assert "p Resume" in footer_cells(screen)
        screen.action_refresh()  # what the empty-queue poll and g run
        await settle(pilot)
        assert holders(db_path) == [] and shown_contact(screen) is None
        await pilot.press("n", "1")  # lead keys do nothing while paused
        await settle(pilot)
        assert execute(db_path, "SELECT count(*) FROM calls")[0][0] == 0
        clock.advance(timedelta(minutes=30))
        await pilot.press("enter")
        await settle(pilot)
        assert shown_contact(screen) == ids["Ada"]
        assert holders(db_path) == [("alice",)]
        assert "p Pause" in footer_cells(screen)
        clock.advance(timedelta(minutes=2))
        await pilot.press("ctrl+q")
    assert [(s[0], s[1]) for s in states(db_path)] == [
        ("ready", None),
        ("paused", "lunch"),
        ("ready", None),
        ("offline", None),  # quitting
    ]


@run_async
async def test_p_is_refused_while_the_dialed_lead_waits_for_its_outcome(db_path: Path) -> None:
    ids = team_database(db_path)
    clock = MovableClock()
    app = make_app(db_path=str(db_path), rep="alice", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        clock.advance(timedelta(minutes=1))
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert not isinstance(app.screen, PauseCodeDialog)
        assert shown_contact(screen) == ids["Ada"]
        assert any("log the outcome before pausing" in str(n.message) for n in app._notifications)
        clock.advance(timedelta(minutes=3))
        await pilot.press("5")  # callback: its dialog opens, the call is over
        await settle(pilot)
        assert [s[0] for s in states(db_path)][-1] == "wrap_up"
        clock.advance(timedelta(minutes=1))
        await pilot.press(*"tue 10am", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert execute(db_path, "SELECT count(*) FROM calls")[0][0] == 1
        clock.advance(timedelta(minutes=2))
        await pilot.press("ctrl+q")
    assert [s[0] for s in states(db_path)] == ["ready", "on_call", "wrap_up", "ready", "offline"]


def busy_floor(db_path) -> None:
    team_database(db_path, now=START - timedelta(hours=1))
    db = open_database(db_path)
    try:
        from prospector.services import claims

        item = claims.claim_next(db, rep="alice", now=START - timedelta(minutes=5))
        assert item is not None
        claims.mark_dialed(db, item.contact_id, rep="alice", now=START - timedelta(minutes=2))
        rep_states.pause(db, "bob", "coaching", START - timedelta(minutes=20))
        claims.claim_next(db, rep="carol", now=START - timedelta(minutes=1))
    finally:
        db.close()


@run_async
async def test_the_floor_screen_lists_the_reps_and_refreshes(db_path: Path) -> None:
    busy_floor(db_path)
    clock = MovableClock()
    app = FloorApp(db_path=str(db_path), clock=clock, refresh_seconds=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        rows = [tuple(table.get_row_at(n)) for n in range(table.row_count)]
        assert [row[:3] for row in rows] == [
            ("alice", "On call", "2:00"),
            ("bob", "Paused: Coaching", "20:00"),
            ("carol", "Ready", "1:00"),
        ]
        assert rows[0][4] == "Ada Lovelace, Analytical Engines" and rows[0][5] == "0/80"
        db = open_database(db_path)
        try:  # bob is back, on another terminal
            rep_states.resume(db, "bob", START + timedelta(minutes=1))
        finally:
            db.close()
        clock.advance(timedelta(minutes=1))
        await pilot.pause(0.5)
        await settle(pilot)
        assert table.get_row_at(1)[:3] == ["bob", "Ready", "0:00"]
        await pilot.press("escape")
        await settle(pilot)
    assert app.return_code == 0


@run_async
async def test_f_on_the_dashboard_opens_the_floor(db_path: Path) -> None:
    busy_floor(db_path)
    app = DashboardApp(db_path=str(db_path), clock=fixed_clock(START))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
        assert app.screen.query_one(DataTable).row_count == 3
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, FloorScreen)
