"""Each rep's own daily goal (issue 15, item 5): settings, ``report daily``, the today strip.

``[reps.NAME.daily_goal]`` sets any of dials, connects, conversations and meetings;
a key left out is the team's. The TEAM row of ``report daily`` is measured against
the sum of the goals of the reps on it.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from prospector.foundations.db import open_database
from prospector.foundations.errors import SettingsError
from prospector.services.settings import (
    DailyGoal,
    default_settings,
    parse_settings,
    store_settings,
)
from prospector.tui.widgets.today_strip import TodayStrip
from tests.report_factories import add_contact, log
from tests.tui_support import START, pinned_app, run_async, started, team_database

ET = ZoneInfo("America/New_York")
TEAM_GOAL = DailyGoal(dials=80, connects=20, conversations=10, meetings=2)
GOALS = """
[reps.alice.daily_goal]
dials = 120
meetings = 4

[reps."Bo Smith".daily_goal]
dials = 40
connects = 8
conversations = 3
meetings = 1
"""


def with_goals(extra: str = GOALS) -> str:
    return default_settings().source_text + extra


def test_a_reps_goal_falls_back_to_the_teams_key_by_key() -> None:
    settings = parse_settings(with_goals())
    assert settings.daily_goal("alice") == DailyGoal(
        dials=120, connects=20, conversations=10, meetings=4
    )
    assert settings.daily_goal("Bo Smith") == DailyGoal(40, 8, 3, 1)
    assert settings.daily_goal("carol") == TEAM_GOAL == settings.team.daily_goal


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "[reps.alice.daily_goal]\ncalls = 3\n",
            "settings: unknown key reps.alice.daily_goal.calls",
        ),
        (
            "[reps.alice.daily_goal]\ndials = -1\n",
            "settings: reps.alice.daily_goal.dials = -1: expected",
        ),
        (
            '[reps.alice.daily_goal]\ndials = "many"\n',
            "settings: reps.alice.daily_goal.dials = 'many': expected",
        ),
        ("[reps.alice]\nteam = 1\n", "settings: reps.alice.daily_goal is missing"),
        (
            "[reps.alice]\ndaily_goal = {}\nteam = 1\n",
            "settings: unknown key reps.alice.team",
        ),
        (
            '[reps." alice".daily_goal]\ndials = 3\n',
            "settings: reps.' alice': expected a rep name of 1 to 100 characters",
        ),
        ('[reps."".daily_goal]\ndials = 3\n', "settings: reps.'': expected a rep name"),
        ("[reps]\nalice = 3\n", "settings: reps.alice must be a table"),
    ],
)
def test_bad_goals_are_one_line_errors(extra: str, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings(with_goals(extra))
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


def test_settings_load_refuses_a_bad_goal(run, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(with_goals("[reps.alice.daily_goal]\nmeetings = 100000\n"))
    result = run("settings", "load", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "reps.alice.daily_goal.meetings = 100000: expected" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.fixture
def two_reps(db_path: Path) -> Path:
    with open_database(db_path) as db:
        with db.write():
            store_settings(db, parse_settings(with_goals()), actor="lead", now=START)
        day = datetime(2026, 11, 20, 9, tzinfo=ET)
        contact = add_contact(db, created_at=day, source="list", employees=100)
        log(db, contact, "no_answer", rep="alice", at=day.replace(hour=10))
        log(db, contact, "no_answer", rep="Bo Smith", at=day.replace(hour=11))
        log(db, contact, "no_answer", rep="carol", at=day.replace(hour=12))
    return db_path


def test_report_daily_compares_each_rep_with_their_own_goal(two_reps: Path, run) -> None:
    args = ("report", "daily", "--date", "2026-11-20", "--at", "2026-11-23T10:00:00-05:00")
    rows = json.loads(run(*args, "--json").stdout)
    goals = [
        (r["rep"], r["goal_dials"], r["goal_connects"], r["goal_conversations"], r["goal_meetings"])
        for r in rows
    ]
    assert goals == [
        ("Bo Smith", 40, 8, 3, 1),
        ("alice", 120, 20, 10, 4),
        ("carol", 80, 20, 10, 2),  # no goal of her own: the team's
        ("TEAM", 240, 48, 23, 7),  # the sum of the three
    ]
    assert [r["dials"] for r in rows] == [1, 1, 1, 3]
    table = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout)))
    assert [(r["rep"], r["goal_dials"], r["goal_meetings"]) for r in table] == [
        ("Bo Smith", "40", "1"),
        ("alice", "120", "4"),
        ("carol", "80", "2"),
        ("TEAM", "240", "7"),
    ]
    only = json.loads(run(*args, "--rep", "alice", "--json").stdout)
    assert [(r["rep"], r["goal_dials"]) for r in only] == [("alice", 120), ("TEAM", 120)]


def strip_text(app) -> str:
    return str(app.screen.query_one(TodayStrip).query_one("#today-counts").render())


@run_async
async def test_the_today_strip_shows_the_reps_own_goal(db_path: Path) -> None:
    team_database(db_path)
    with open_database(db_path) as db, db.write():
        store_settings(db, parse_settings(with_goals()), actor="lead", now=START)
    app = pinned_app(db_path, rep="Bo Smith")
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        assert "dials 0/40  connects 0/8  conversations 0/3  meetings 0/1" in strip_text(app)
    other = pinned_app(db_path, rep="carol")
    async with other.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        assert "dials 0/80  connects 0/20  conversations 0/10  meetings 0/2" in strip_text(other)
