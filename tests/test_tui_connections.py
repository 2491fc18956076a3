"""The workbench and the dashboard hold few connections, and close them all on exit.

A team server's connection slots are shared by every rep: the workbench opens one per
worker thread (a bounded pool) and the dashboard one per refresh, closed at once.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from prospector.foundations.clock import fixed_clock
from prospector.foundations.db import database_label
from prospector.tui.dashboard_app import DashboardApp
from tests.backend import open_connections
from tests.tui_support import START, pinned_app, run_async, settle, started, team_database

SIZE = (100, 30)
WORKER_THREADS = min(32, (os.cpu_count() or 1) + 4)
"""asyncio's default executor, which runs Textual's thread workers."""


@run_async
async def test_the_workbench_closes_every_connection_it_opened(db_path: Path | str) -> None:
    team_database(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        for _ in range(8):  # refresh, and the dashboard opened and closed
            await pilot.press("g")
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
        # One per worker thread and the checkpoint thread's at most, whatever was run.
        assert 1 <= open_connections(db_path) <= WORKER_THREADS + 1
    assert open_connections(db_path) == 0


@run_async
async def test_the_dashboard_refreshing_holds_no_connection_between_refreshes(
    db_path: Path | str,
) -> None:
    team_database(db_path)
    app = DashboardApp(db_path=str(db_path), clock=fixed_clock(START), refresh_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(40):
            await pilot.pause(0.05)
        await settle(pilot)
        assert open_connections(db_path) <= 1  # a refresh may be under way
    # A refresh running at exit finishes on its thread (threads cannot be cancelled).
    assert await closed_soon(db_path)


async def closed_soon(db_path: Path | str) -> bool:
    for _ in range(100):
        if open_connections(db_path) == 0:
            return True
        await asyncio.sleep(0.05)
    return False


def test_the_header_names_the_database_never_its_host_user_or_password() -> None:
    assert database_label("/srv/teams/east.db") == "east.db"
    assert database_label("postgresql://rep:s3cret@db.example:5432/east") == "east"
    assert database_label("postgres://rep:s3cret@db.example/?dbname=west") == "west"
    assert database_label("postgresql://rep:s3cret@db.example") == "rep"  # libpq's default
    assert database_label("postgresql:///team%2Eone?host=/run/pg") == "team.one"
