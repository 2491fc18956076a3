"""The dashboard's queue-health panel: the forecast's figures, the standby lists, and a
layout that keeps the daily table's TEAM row in sight at 80×24 and 120×40."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import DataTable

from prospector.foundations.clock import fixed_clock
from prospector.foundations.db import open_database
from prospector.services.fit import replace_settings
from prospector.services.forecast import forecast
from prospector.services.settings import load_settings, parse_settings
from prospector.services.standby import open_list
from prospector.tui.dashboard_app import DashboardApp
from tests.report_factories import add_contact
from tests.test_dashboard import build_team, et, settle

AT = et(20, 14, 30)  # Friday afternoon: windows open, the day's calls made

LISTS = """
[[lists]]
name = "Backfill"
standby = true
order = 1

[[lists]]
name = "Spring"
standby = true
order = 2
"""


@pytest.fixture
def team_db(db_path) -> str:
    path = build_team(db_path)
    with open_database(path) as db:
        text = load_settings(db).source_text + LISTS
        replace_settings(db, parse_settings(text), actor="lead", now=et(20, 9))
        with db.write():
            open_list(db, "Backfill", now=et(20, 14, 5), actor="cron", reason="work was low")
        # Two new A leads at 14:00 (SLA 15:00): one to call, one held on "Spring".
        add_contact(db, created_at=et(20, 14), source="inbound", employees=500)
        add_contact(db, created_at=et(20, 14), source="inbound", employees=500, list_name="Spring")
    return path


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_queue_health_panel(team_db, size):
    asyncio.run(_panel(team_db, size))


async def _panel(team_db: str, size: tuple[int, int]) -> None:
    app = DashboardApp(db_path=team_db, clock=fixed_clock(AT), refresh_seconds=3600)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        panel = app.screen.query_one("#dashboard-queue", DataTable)
        with open_database(team_db) as db:
            work = forecast(db, now=AT)
        expected = [
            [row.who, str(row.callable_now), f"{row.hours_today:.1f} h",
             str(row.sla_next_hour), str(row.sla_overdue)]
            for row in (*work.reps, work.team)
        ]  # fmt: skip
        assert [panel.get_row_at(i) for i in range(panel.row_count)] == expected
        assert [row[0] for row in expected] == ["alice", "bob", "TEAM"]
        assert expected[-1][1] == "1" and expected[-1][3] == "1"  # the lead not held
        assert panel.border_subtitle == "1 standby left · Backfill Fri 14:05"

        # The daily table shows every row, TEAM last, inside the screen.
        daily = app.screen.query_one("#dashboard-daily", DataTable)
        assert daily.get_row_at(daily.row_count - 1)[0] == "TEAM"
        for table in (daily, panel):
            # Inside the round border, no scrollbar line: the header and every row.
            lines = table.region.height - 2 - table.scrollbar_size_horizontal
            assert lines >= table.row_count + 1, table.id
            assert table.region.bottom <= size[1] - 1  # above the footer
