"""Callbacks and meetings on a holiday or outside the window (issue 15, item 4).

The shell refuses them with one line naming why and when the prospect can next be
called, unless ``--anyway``; the workbench shows the same warning and lets the rep
keep the time.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from prospector.services.calls import check_time, contact_locale
from prospector.services.settings import load_settings
from prospector.tui.dialogs.callback import CallbackDialog
from prospector.tui.dialogs.qualify import QualifyDialog
from tests.factories import add_contact
from tests.tui_support import execute, pinned_app, run_async, settle, started, team_database

MONDAY = "2026-11-23T10:00:00-05:00"  # the week of US Thanksgiving (Thu 26 Nov)
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


@pytest.fixture
def new_yorker(db) -> int:
    return add_contact(db, now=NOW - timedelta(hours=1), state="NY")


def test_a_callback_on_thanksgiving_is_refused_then_kept_with_anyway(run, db, new_yorker):
    args = ("log", str(new_yorker), "callback", "--callback", "thu 2pm", "--at", MONDAY)
    refused = run(*args)
    assert refused.exit_code == 1
    assert refused.stderr.strip().splitlines() == [
        "error: --callback 'thu 2pm' is Thu 26 Nov 14:00 EST — Thanksgiving Day: nobody is"
        " called that day; next open Fri 09:00 EST (--anyway keeps it); nothing was saved"
    ]
    assert db.one("SELECT count(*) FROM calls")[0] == 0
    kept = run(*args, "--anyway", "--json")
    assert kept.exit_code == 0, kept.output
    body = json.loads(kept.stdout)
    assert body["callback_outside_window"] is True
    assert body["callback_warning"] == (
        "Thanksgiving Day: nobody is called that day; next open Fri 09:00 EST"
    )
    assert db.one("SELECT callback_at FROM contacts WHERE id = ?", (new_yorker,))[0] == (
        "2026-11-26T19:00:00Z"
    )


def test_canadian_thanksgiving_for_an_ontario_prospect(run, db):
    friday = datetime(2026, 10, 9, 14, 0, tzinfo=UTC)
    toronto = add_contact(
        db, now=friday, zones=("America/Toronto",), country="CA", state="ON", phone="+14165550101"
    )
    at = "2026-10-09T10:00:00-04:00"
    refused = run("log", str(toronto), "callback", "--callback", "mon 10am", "--at", at)
    assert refused.exit_code == 1
    assert "Mon 12 Oct 10:00 EDT — Thanksgiving Day: nobody is called that day" in refused.stderr
    assert "next open Tue 09:00 EDT" in refused.stderr
    # US Thanksgiving is an ordinary Thursday in Ontario.
    thursday = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)
    assert check_time(contact_locale(db, toronto), thursday, load_settings(db)).inside_window


@pytest.mark.parametrize(
    ("words", "reason", "next_open"),
    [
        ("sat 10am", "weekend", "Mon 09:00 EST"),
        ("tomorrow 8:30am", "before 09:00", "Tue 09:00 EST"),
        ("tomorrow 12:30pm", "lunch", "Tue 13:00 EST"),
        ("tomorrow 5pm", "after 17:00", "Wed 09:00 EST"),
    ],
)
def test_the_window_says_why(run, db, new_yorker, words, reason, next_open):
    refused = run("log", str(new_yorker), "callback", "--callback", words, "--at", MONDAY)
    assert refused.exit_code == 1
    assert (
        f"— {reason}: outside the prospect's calling window; next open {next_open}"
        " (--anyway keeps it)"
    ) in refused.stderr


def test_a_meeting_is_checked_against_the_prospects_calendar(run, db, new_yorker):
    log = ("log", str(new_yorker), "meeting_set", "--meeting", "thu 2pm", "--at", MONDAY)
    refused = run(*log)
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        "error: --meeting 'thu 2pm' is Thu 26 Nov 14:00 EST — Thanksgiving Day"
    )
    assert db.one("SELECT count(*) FROM calls")[0] == 0
    assert db.one("SELECT count(*) FROM handoffs")[0] == 0
    other = add_contact(db, now=NOW, state="NY")
    qualify = ("qualify", str(other), "--meeting", "sat 11am", "--at", MONDAY)
    refused = run(*qualify)
    assert refused.exit_code == 1
    assert "Sat 28 Nov 11:00 EST — weekend: outside the prospect's calling window" in (
        refused.stderr
    )
    assert db.one("SELECT count(*) FROM handoffs")[0] == 0
    assert run(*qualify, "--anyway").exit_code == 0
    assert run(*log, "--anyway").exit_code == 0
    assert sorted(r[0] for r in db.query("SELECT meeting_at FROM handoffs")) == [
        "2026-11-26T19:00:00Z",
        "2026-11-28T16:00:00Z",
    ]


def test_a_meeting_inside_the_window_needs_no_anyway(run, db, new_yorker):
    result = run("qualify", str(new_yorker), "--meeting", "wed 2pm", "--at", MONDAY)
    assert result.exit_code == 0, result.output


@run_async
async def test_the_workbench_warns_and_lets_the_rep_keep_a_holiday_callback(db_path: Path):
    team_database(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=(140, 44)) as pilot:
        await started(pilot)
        await pilot.press("5", *"thu 2pm")
        assert isinstance(app.screen, CallbackDialog)
        preview = str(app.screen.preview.render())
        assert "Thu 26 Nov 14:00 EST" in preview
        assert "Thanksgiving Day: nobody is called that day; next open Fri 09:00 EST" in preview
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, CallbackDialog)
    calls = execute(db_path, "SELECT disposition, callback_at FROM calls")
    assert [tuple(c) for c in calls] == [("callback", "2026-11-26T19:00:00Z")]


@run_async
async def test_the_qualify_form_warns_about_a_meeting_on_a_holiday(db_path: Path):
    team_database(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=(140, 44)) as pilot:
        await started(pilot)
        await pilot.press("8")  # meeting set
        await settle(pilot)
        assert isinstance(app.screen, QualifyDialog)
        await pilot.press(*"25000", "enter", *"thu 2pm")
        preview = str(app.screen.preview.render())
        assert "Thanksgiving Day: nobody is called that day; next open Fri 09:00 EST" in preview
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, QualifyDialog)
    rows = execute(db_path, "SELECT meeting_at FROM handoffs")
    assert [r[0] for r in rows] == ["2026-11-26T19:00:00Z"]
