"""The dashboard at 80×24 and 120×40 with five reps, and with nothing logged yet.

At 80×24 the daily table keeps every rep's row, the TEAM row and every column to
Dials/h (short headers; the charts give way; queue health goes under it); at
120×40 queue health sits beside it. Charts of nothing start their axis at 0.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from textual.widgets import DataTable
from textual_plotext import PlotextPlot

from prospector.foundations.clock import fixed_clock
from prospector.foundations.db import open_database
from prospector.tui.dashboard_app import DashboardApp
from tests.report_factories import add_contact, log
from tests.test_dashboard import NOW, build_team, et
from tests.tui_support import rendered_text

AXIS_LABEL = re.compile(r"\s*(-?[0-9.]+)[┤├]")  # a y-axis label and its tick


def five_reps(path: Path | str) -> str:
    """The dashboard tests' team (alice, bob) and three more reps' calls that day."""
    build_team(path)
    with open_database(path) as db:
        plan = [("carol", 9, 20, "voicemail"), ("dave", 11, 5, "gatekeeper"),
                ("erin", 14, 40, "not_interested"), ("carol", 15, 30, "no_answer")]  # fmt: skip
        for rep, hour, minute, disposition in plan:
            contact = add_contact(db, created_at=et(20, 8), source="list", employees=60)
            log(db, contact, disposition, rep=rep, at=et(20, hour, minute), duration=90)
    return str(path)


def app_on(path: str) -> DashboardApp:
    return DashboardApp(db_path=path, clock=fixed_clock(NOW), refresh_seconds=3600)


async def loaded(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_dashboard_80x24(snap_compare, db_path) -> None:
    assert snap_compare(app_on(five_reps(db_path)), terminal_size=(80, 24), run_before=loaded)


def test_dashboard_120x40(snap_compare, db_path) -> None:
    assert snap_compare(app_on(five_reps(db_path)), terminal_size=(120, 40), run_before=loaded)


def test_dashboard_of_nothing_yet(snap_compare, db_path) -> None:
    with open_database(db_path):
        pass
    assert snap_compare(app_on(str(db_path)), terminal_size=(120, 40), run_before=loaded)


def test_the_daily_table_fits_80x24_whole(db_path) -> None:
    asyncio.run(_fits_whole(five_reps(db_path)))


async def _fits_whole(path: str) -> None:
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        daily = app.screen.query_one("#dashboard-daily", DataTable)
        text = rendered_text(daily)
        lines = [line.split("│")[1].split() for line in text.splitlines()[1:-1]]
        assert lines[0][-1] == "Dials/h"
        assert [line[0] for line in lines[1:]] == ["alice", "bob", "carol", "dave", "erin", "TEAM"]
        screen = app.screen.region
        assert screen.contains_region(daily.region)


def test_empty_charts_start_at_zero(db_path) -> None:
    asyncio.run(_start_at_zero(str(db_path)))


async def _start_at_zero(path: str) -> None:
    with open_database(path):
        pass
    app = app_on(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        lowest = {}
        for plot in app.screen.query(PlotextPlot):
            lines = rendered_text(plot).splitlines()
            labels = [float(m[1]) for line in lines if (m := AXIS_LABEL.match(line))]
            lowest[plot.id] = min(labels, default=None)
        # No hour has dials: no bars and no axis; the funnel and pipeline from 0 up.
        assert lowest == {
            "dashboard-activity": None,
            "dashboard-funnel": 0,
            "dashboard-pipeline": 0,
        }
