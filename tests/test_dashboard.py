"""The dashboard screen: Pilot-driven, and one SVG snapshot at 100×36."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import DataTable, Input, Static

from prospector.foundations.clock import fixed_clock
from prospector.foundations.db import open_database
from prospector.services.fit import replace_settings
from prospector.services.settings import load_settings, parse_settings
from prospector.tui.dashboard_app import DashboardApp
from tests.report_factories import ack, add_contact, log, qualify

ET = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 20, 17, 0, tzinfo=ET)  # Friday, end of the day


def et(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=ET)


def build_team(path: Path | str) -> str:
    with open_database(path) as db:
        contacts = [
            add_contact(db, created_at=et(19, 9), source="inbound", employees=500),
            add_contact(db, created_at=et(19, 15), source="list", employees=100),
            add_contact(db, created_at=et(20, 8), source="list", employees=20),
            add_contact(db, created_at=et(20, 9), source="inbound", employees=300),
        ]
        plan = [
            ("alice", 9, 5, "no_answer", 0),
            ("alice", 9, 40, "gatekeeper", 35),
            ("alice", 10, 10, "meeting_set", 420),
            ("bob", 10, 30, "voicemail", 0),
            ("bob", 11, 15, "busy", 0),
            ("alice", 13, 20, "callback", 200),
            ("bob", 14, 5, "no_answer", 0),
            ("bob", 15, 45, "not_interested", 180),
        ]
        for index, (rep, hour, minute, disposition, seconds) in enumerate(plan):
            log(
                db,
                contacts[index % 4],
                disposition,
                rep=rep,
                at=et(20, hour, minute),
                duration=seconds,
                callback=et(23, 10) if disposition == "callback" else None,
            )
        for week, amount in ((2, 40000), (9, 65000), (16, 52000)):
            contact = add_contact(db, created_at=et(week, 9), source="inbound")
            qualify(db, contact, rep="alice", at=et(week + 1, 11), amount=amount)
        handoff = qualify(db, contacts[2], rep="alice", at=et(20, 10, 15), amount=18000)
        ack(db, handoff, "accepted", at=et(20, 16))
    return str(path)


@pytest.fixture
def team_db(db_path) -> str:
    return build_team(db_path)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_dashboard_shows_the_day_and_takes_time_words(team_db):
    asyncio.run(_shows_the_day_and_takes_time_words(team_db))


async def _shows_the_day_and_takes_time_words(team_db: str) -> None:
    app = DashboardApp(db_path=team_db, clock=fixed_clock(NOW), refresh_seconds=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        status = app.screen.query_one("#dashboard-status", Static)
        assert "2026-11-20 · as of Fri 20 Nov 17:00" in str(status.render())
        daily = app.screen.query_one("#dashboard-daily", DataTable)
        assert [daily.get_row_at(i)[:3] for i in range(daily.row_count)] == [
            ["alice", "4", "3"],
            ["bob", "4", "1"],
            ["TEAM", "8", "4"],
        ]
        sla = app.screen.query_one("#dashboard-sla", DataTable)
        assert [sla.get_row_at(i)[0] for i in range(sla.row_count)] == ["A", "B", "C", "ALL"]

        await pilot.press("slash")
        date_input = app.screen.query_one("#dashboard-date", Input)
        assert date_input.has_focus
        date_input.value = ""
        await pilot.press(*"last week", "enter")
        await settle(pilot)
        assert "2026-11-09 → 2026-11-15" in str(status.render())
        # several days: the team's row for each day
        assert daily.row_count == 7
        assert daily.get_row_at(0)[0] == "2026-11-09"

        date_input.value = "whenever"
        await pilot.press("slash", "enter")
        await settle(pilot)
        assert "2026-11-09 → 2026-11-15" in str(status.render())  # kept the last good period
        assert [n.message for n in app._notifications][-1].startswith("'whenever' is not a date")

        await pilot.press("escape")
    assert app.return_code == 0


def test_dashboard_refreshes_while_open(team_db):
    asyncio.run(_refreshes_while_open(team_db))


async def _refreshes_while_open(team_db: str) -> None:
    app = DashboardApp(db_path=team_db, clock=fixed_clock(NOW), refresh_seconds=0.2)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        daily = app.screen.query_one("#dashboard-daily", DataTable)
        assert daily.get_row_at(daily.row_count - 1)[1] == "8"
        with open_database(team_db) as db:
            contact = add_contact(db, created_at=et(20, 9), source="list")
            log(db, contact, "no_answer", rep="carol", at=et(20, 16, 30))
        for _ in range(100):
            await pilot.pause(0.1)
            if daily.get_row_at(daily.row_count - 1)[1] == "9":
                break
        assert daily.get_row_at(daily.row_count - 1)[1] == "9"
        assert daily.get_row_at(2)[0] == "carol"


def test_dashboard_sources_panel(team_db):
    asyncio.run(_sources_panel(team_db))


async def _sources_panel(team_db: str) -> None:
    app = DashboardApp(db_path=team_db, clock=fixed_clock(NOW), refresh_seconds=3600)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#dashboard-sources", DataTable)
        # 13 weeks to Nov 20: inbound made 40,000 + 65,000 + 52,000 of pipeline, the
        # list lead 18,000 (accepted).
        assert [table.get_row_at(i)[:7] for i in range(table.row_count)] == [
            ["inbound", "5", "2", "3", "–", "157,000.00", "89.7%"],
            ["list", "2", "2", "1", "100.0%", "18,000.00", "10.3%"],
            ["TEAM", "7", "4", "4", "100.0%", "175,000.00", "100.0%"],
        ]
        assert table.border_title == (
            "Sources 22 Aug → 20 Nov · inbound 89.7% of pipeline (target 50.0%)"
        )
        assert not table.has_class("under-target")

        with open_database(team_db) as db:
            text = load_settings(db).source_text
            raised = text + "\n[reports]\ninbound_pipeline_target = 0.95\n"
            replace_settings(db, parse_settings(raised), actor="lead", now=NOW)
        await pilot.press("r")
        await settle(pilot)
        assert str(table.border_title).endswith("(target 95.0%) UNDER TARGET")
        assert table.has_class("under-target")


def test_dashboard_snapshot(snap_compare, db_path):
    path = build_team(db_path)
    app = DashboardApp(db_path=path, clock=fixed_clock(NOW), refresh_seconds=3600)

    async def loaded(pilot) -> None:
        await settle(pilot)

    # 100 columns: queue health under the daily table; 36 rows: the charts keep their
    # height, the sources table is scrolled to.
    assert snap_compare(app, terminal_size=(100, 36), run_before=loaded)
