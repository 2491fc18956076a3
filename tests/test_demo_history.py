"""The demo's six weeks of history and its clock (issue 16, item 6 of the polish list).

The demo database is built once for the module (a few seconds) through the real
``build_demo``; the clock's tests build a demo without history (the clock does not
depend on it).
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable, Input, Static

from prospector.cli import cli
from prospector.cli.context import AppContext
from prospector.foundations.clock import from_db
from prospector.foundations.db import open_database
from prospector.services.demo import build_demo, demo_start
from prospector.services.demo_history import HISTORY_REPS, WEEKS
from prospector.services.reports.summary import rebuild_summaries
from prospector.services.settings import load_settings
from prospector.tui import desk
from prospector.tui.dashboard_app import DashboardApp

NY = ZoneInfo("America/New_York")
# Built on a Saturday: the demo starts Monday 30 Nov 10:00 in New York.
START = demo_start(datetime(2026, 11, 28, 12, 0, tzinfo=NY))


def run(db: Path, *args: str):
    result = CliRunner().invoke(cli, ["--db", str(db), "--rep", "demo", *args])
    assert result.exit_code == 0, result.output
    return result


def summary(path: Path) -> list[tuple]:
    """What the history wrote, counted: calls by rep and disposition, contacts by
    status, handoffs by status and CRM answer, and the report summary tables."""
    with open_database(path, create=False) as db:
        queries = (
            "SELECT rep, disposition, count(*), sum(duration_seconds) FROM calls GROUP BY 1, 2",
            "SELECT status, source, tier, count(*) FROM contacts GROUP BY 1, 2, 3",
            "SELECT status, crm_status, count(*), sum(amount_cents) FROM handoffs GROUP BY 1, 2",
            "SELECT * FROM call_stats_daily ORDER BY 1, 2, 3",
            "SELECT count(*), min(at), max(at) FROM calls",
        )
        return [tuple(row) for sql in queries for row in db.query(sql)]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.db", now=START)


def test_the_history_is_six_weeks_of_five_reps_before_the_start(demo_db: Path) -> None:
    with open_database(demo_db, create=False) as db:
        reps = [row[0] for row in db.query("SELECT DISTINCT rep FROM calls ORDER BY 1")]
        first, last = db.one("SELECT min(at), max(at) FROM calls")
        rates = db.one(
            """SELECT count(*), sum(category <> 'dial'), sum(category = 'conversation'),
                      sum(disposition = 'meeting_set') FROM calls"""
        )
        answers = dict(db.query("SELECT crm_status, count(*) FROM handoffs GROUP BY 1"))
        callbacks = db.one("SELECT count(*) FROM calls WHERE disposition = 'callback'")[0]
        [clock] = db.one("SELECT value FROM prospector_meta WHERE key = 'demo_clock'")
        demo_leads = db.one(
            "SELECT count(*) FROM contacts WHERE created_at = ? AND attempts = 0", (clock,)
        )[0]
    assert reps == sorted(HISTORY_REPS)
    assert from_db(first).astimezone(NY).date() == (START - timedelta(weeks=WEEKS)).date()
    assert from_db(last) < START
    dials, connects, conversations, meetings = rates
    assert dials > 5000
    assert 0.15 < connects / dials < 0.35 and 0.07 < conversations / dials < 0.2
    assert 0.005 < meetings / dials < 0.03 and callbacks > 100
    assert answers["accepted"] > answers["rejected"] > 0 and answers["won"] > 0
    assert answers["lost"] > 0
    # The demo list is still there, uncalled, for the rep's first session.
    assert from_db(clock) == START and demo_leads >= 290


def test_reports_show_last_week_on_the_demo_clock(demo_db: Path) -> None:
    """No --at: the reports run on the demo's clock, so "last week" is the history's."""
    daily = json.loads(run(demo_db, "report", "daily", "--date", "last week", "--json").output)
    team = [row for row in daily if row["rep"] == "TEAM" and row["dials"]]
    # Thanksgiving (Thursday 26th) and the weekend are no working days.
    assert [row["day"] for row in team] == ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-27"]
    assert all(row["dials"] > 150 and row["qualified"] > 0 for row in team)
    pipeline = json.loads(run(demo_db, "report", "pipeline", "--json").output)
    weeks = [row for row in pipeline if row["week"] >= "2026-10-19" and row["complete"]]
    assert len(weeks) == WEEKS and all(week["handoffs"] > 5 for week in weeks)
    sla = json.loads(run(demo_db, "report", "sla", "--date", "last week", "--json").output)
    everyone = next(row for row in sla if row["tier"] == "ALL")
    assert everyone["received"] > 100
    # A few SLA misses over the six weeks, not many.
    since = f"--from={(START - timedelta(weeks=WEEKS)).date().isoformat()}"
    whole = json.loads(run(demo_db, "report", "sla", since, "--json").output)
    share = next(row for row in whole if row["tier"] == "A")["within_sla_share"]
    assert 0.8 < share < 1


def test_summaries_kept_while_building_equal_a_recount(demo_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(demo_db.read_bytes())
    kept = summary(copy)
    with open_database(copy) as db, db.write():
        rebuild_summaries(db, load_settings(db))
    assert summary(copy) == kept


def test_the_same_seed_builds_the_same_history(demo_db: Path, tmp_path: Path) -> None:
    again = build_demo(tmp_path / "again.db", now=START)
    assert summary(again) == summary(demo_db)


def test_the_dashboard_opens_on_the_demo_clock(demo_db: Path, monkeypatch) -> None:
    seen: list[datetime] = []
    monkeypatch.setattr(DashboardApp, "run", lambda app: seen.append(app.clock()))
    run(demo_db, "dashboard")
    assert START <= seen[0] < START + timedelta(minutes=1)
    asyncio.run(_dashboard_shows_figures(demo_db))


async def _dashboard_shows_figures(demo_db: Path) -> None:
    clock = AppContext(db_path=str(demo_db), rep="demo").clock()
    app = DashboardApp(db_path=str(demo_db), clock=clock, refresh_seconds=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        # Today: the team's first hour, before the demo's start at 10:00.
        daily = app.screen.query_one("#dashboard-daily", DataTable)
        rows = [daily.get_row_at(i) for i in range(daily.row_count)]
        assert [str(row[0]) for row in rows] == [*sorted(HISTORY_REPS), "TEAM"]
        assert int(str(rows[-1][1])) > 20
        await pilot.press("slash")
        app.screen.query_one("#dashboard-date", Input).value = "last week"
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#dashboard-status", Static).render())
        assert status.startswith("2026-11-23 → 2026-11-29 · as of Mon 30 Nov 10:0")
        dials = [int(str(daily.get_row_at(i)[1])) for i in range(daily.row_count)]
        assert len(dials) == 7 and sum(dials) > 800


def test_the_demo_clock_goes_on_from_the_last_call(tmp_path: Path, monkeypatch) -> None:
    """A second session starts where the first stopped: not at 10:00 again, under
    calls already logged at 10:03."""
    demo = tmp_path / "demo.db"
    build_demo(demo, now=START, history=False)
    first = run(demo, "demo", "--build-only").output
    assert first == f"demo database: {demo} (clock for the demo: {START.isoformat()})\n"
    lead = json.loads(run(demo, "next", "--json").output)
    at = (START + timedelta(minutes=3)).isoformat()
    run(demo, "log", str(lead["contact_id"]), "no_answer", "--at", at)
    again = run(demo, "demo", "--build-only").output
    assert again == f"demo database: {demo} (clock for the demo: {at})\n"
    # The workbench on the demo database (no command) and every command go on from there.
    opened: list[datetime | None] = []
    monkeypatch.setattr(
        "prospector.tui.app.make_app",
        lambda **kwargs: type("App", (), {"run": lambda _: opened.append(kwargs["start_at"])})(),
    )
    run(demo)
    assert opened == [datetime.fromisoformat(at)]
    now = AppContext(db_path=str(demo), rep="demo").clock()()
    assert opened[0] <= now < opened[0] + timedelta(minutes=1)


def test_a_pause_left_on_at_quitting_ends_when_the_demo_starts_again(tmp_path: Path) -> None:
    """The desk recorded a lunch after the last call and was killed: the demo's clock
    goes on from the pause, so the next workbench start ends it and finds a lead (a
    clock back at the last call left the rep paused, and the desk waiting, for good)."""
    demo = tmp_path / "demo.db"
    build_demo(demo, now=START, history=False)
    lead = json.loads(run(demo, "next", "--json").output)
    logged = START + timedelta(minutes=1)
    run(demo, "log", str(lead["contact_id"]), "no_answer", "--at", logged.isoformat())
    paused = logged + timedelta(seconds=40)
    run(demo, "pause", "--code", "lunch", "--at", paused.isoformat())
    context = AppContext(db_path=str(demo), rep="demo")
    assert context.demo_resumes_at() == paused
    with open_database(demo, create=False) as db:
        assert desk.start(db, rep="demo", now=context.clock()()).lead is not None


def test_a_demo_from_before_rep_states_still_resumes_at_its_last_call(tmp_path: Path) -> None:
    """A demo file an older Prospector built (no rep_states table until its next
    command upgrades it) keeps its clock: the first command runs on from the last call."""
    import sqlite3

    demo = tmp_path / "demo.db"
    build_demo(demo, now=START, history=False)
    lead = json.loads(run(demo, "next", "--json").output)
    logged = START + timedelta(minutes=3)
    run(demo, "log", str(lead["contact_id"]), "no_answer", "--at", logged.isoformat())
    with sqlite3.connect(demo) as conn:
        conn.execute("DROP TABLE rep_states")
    assert AppContext(db_path=str(demo), rep="demo").demo_resumes_at() == logged


def test_a_team_database_keeps_the_real_clock(tmp_path: Path) -> None:
    team = tmp_path / "team.db"
    run(team, "init")
    before = datetime.now(NY)
    assert AppContext(db_path=str(team), rep="ann").demo_resumes_at() is None
    assert AppContext(db_path=str(team), rep="ann").clock()() >= before


def test_the_floor_and_report_time_show_the_demo_teams_day(demo_db: Path) -> None:
    # No --at: the floor runs on the demo's clock, where the team's first hour is today.
    reps = json.loads(run(demo_db, "floor", "--json").stdout)
    assert [rep["rep"] for rep in reps] == sorted(HISTORY_REPS)
    assert all(rep["state"] == "ready" and rep["dials"] > 0 for rep in reps)
    assert all(0 <= rep["seconds_in_state"] < 3600 for rep in reps)
    week = json.loads(run(demo_db, "report", "time", "--date", "last week", "--json").stdout)
    team = [row for row in week if row["rep"] == "TEAM" and row["total_seconds"]]
    assert [row["day"] for row in team] == ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-27"]
    for day in team:
        # Five reps' days: hours on the phone, wrap-ups, lunches, most time ready.
        assert day["on_call_seconds"] > 3 * 3600 and day["wrap_up_seconds"] > 3600
        assert 2 * 3600 < day["paused_lunch_seconds"] == day["paused_seconds"]
        assert day["ready_seconds"] > day["on_call_seconds"]
        assert 25 * 3600 < day["total_seconds"] < 45 * 3600


def test_the_demos_objections_have_a_week_of_tagged_calls(demo_db: Path) -> None:
    week = json.loads(run(demo_db, "report", "objections", "--date", "last week", "--json").stdout)
    team = {row["objection"]: row for row in week if row["dimension"] == "team"}
    assert len(team) == 5 and all(row["calls"] > 5 for row in team.values())
    tagged = sum(row["calls"] for row in team.values())
    ended = sum(row["meetings"] + row["callbacks"] + row["not_interested"] for row in team.values())
    assert ended == tagged  # only conversations that ended so are tagged in the demo
