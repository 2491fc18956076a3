"""``prospector report objections``: tagged calls per objection, by rep, source and team,
by what they ended as; hand-counted data on both backends, through the real CLI."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from prospector.foundations.db import open_database
from prospector.services.reports.objections import ending
from prospector.services.settings import default_settings, parse_settings, store_settings
from tests.report_factories import add_contact, log
from tests.test_reports_cli import table_rows

ET = ZoneInfo("America/New_York")
AT = "2026-11-23T10:00:00-05:00"
WEEK = ("--from", "2026-11-16", "--to", "2026-11-20")


def et(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=ET)


@pytest.fixture
def team(db_path):
    """Six tagged calls and one untagged; one tag from an objection since dropped."""
    with open_database(db_path) as db:
        inbound = add_contact(db, created_at=et(19, 8), source="inbound", employees=500)
        listed = add_contact(db, created_at=et(19, 8), source="list")
        nameless = add_contact(db, created_at=et(19, 8))
        other = add_contact(db, created_at=et(9, 8), source="list")
        # An earlier catalog had "Price" (key p); its calls keep the label.
        earlier = default_settings().source_text + (
            '\n[[objections]]\nkey = "p"\nlabel = "Price"\nanswer = "Value first."\n'
        )
        with db.write():
            store_settings(db, parse_settings(earlier), actor="lead", now=et(9, 8))
        log(db, other, "no_answer", rep="bob", at=et(10, 9), tags=("n",))  # before the week
        log(db, nameless, "busy", rep="bob", at=et(16, 9), tags=("p",))
        with db.write():
            store_settings(db, default_settings(), actor="lead", now=et(16, 10))

        log(db, inbound, "no_answer", rep="alice", at=et(20, 9, 3), tags=("e",))  # other
        log(  # callback, two objections
            db,
            listed,
            "callback",
            rep="alice",
            at=et(20, 9, 30),
            callback=et(24, 10),
            tags=("Bad timing", "b"),
        )
        log(db, nameless, "not_interested", rep="bob", at=et(20, 10), tags=("n", "e"))
        log(db, inbound, "meeting_set", rep="alice", at=et(20, 11), tags=("no budget",))
        # A retry with an agreed time counts as a callback too.
        log(db, other, "no_answer", rep="bob", at=et(20, 12), callback=et(23, 11), tags=("t",))
        log(db, listed, "busy", rep="alice", at=et(20, 13))  # untagged: not counted
    return db_path


# objection, key, by, segment, calls, meetings, callbacks, not interested, other, meeting %
WEEK_ROWS = [
    ["Not interested", "n", "rep", "bob", "1", "0", "0", "1", "0", "0.0%"],
    ["Not interested", "n", "source", "(none)", "1", "0", "0", "1", "0", "0.0%"],
    ["Not interested", "n", "team", "TEAM", "1", "0", "0", "1", "0", "0.0%"],
    ["Send me an email", "e", "rep", "alice", "1", "0", "0", "0", "1", "0.0%"],
    ["Send me an email", "e", "rep", "bob", "1", "0", "0", "1", "0", "0.0%"],
    ["Send me an email", "e", "source", "inbound", "1", "0", "0", "0", "1", "0.0%"],
    ["Send me an email", "e", "source", "(none)", "1", "0", "0", "1", "0", "0.0%"],
    ["Send me an email", "e", "team", "TEAM", "2", "0", "0", "1", "1", "0.0%"],
    ["No budget", "b", "rep", "alice", "2", "1", "1", "0", "0", "50.0%"],
    ["No budget", "b", "source", "inbound", "1", "1", "0", "0", "0", "100.0%"],
    ["No budget", "b", "source", "list", "1", "0", "1", "0", "0", "0.0%"],
    ["No budget", "b", "team", "TEAM", "2", "1", "1", "0", "0", "50.0%"],
    ["Using a competitor", "c", "team", "TEAM", "0", "0", "0", "0", "0", "–"],
    ["Bad timing", "t", "rep", "alice", "1", "0", "1", "0", "0", "0.0%"],
    ["Bad timing", "t", "rep", "bob", "1", "0", "1", "0", "0", "0.0%"],
    ["Bad timing", "t", "source", "list", "2", "0", "2", "0", "0", "0.0%"],
    ["Bad timing", "t", "team", "TEAM", "2", "0", "2", "0", "0", "0.0%"],
    ["Price", "–", "rep", "bob", "1", "0", "0", "0", "1", "0.0%"],
    ["Price", "–", "source", "(none)", "1", "0", "0", "0", "1", "0.0%"],
    ["Price", "–", "team", "TEAM", "1", "0", "0", "0", "1", "0.0%"],
]


def test_the_weeks_table(team, run):
    result = run("report", "objections", *WEEK, "--at", AT)
    assert result.exit_code == 0, result.output
    assert "report objections" in result.output
    assert table_rows(result.output) == WEEK_ROWS


def test_json_has_every_key_and_the_same_counts(team, run):
    result = run("report", "objections", *WEEK, "--json", "--at", AT)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert set(rows[0]) == {
        "objection", "key", "dimension", "segment", "calls", "meetings", "callbacks",
        "not_interested", "other", "meeting_rate",
    }  # fmt: skip
    shown = [
        [r["objection"], r["key"] or "–", r["dimension"], r["segment"], str(r["calls"]),
         str(r["meetings"]), str(r["callbacks"]), str(r["not_interested"]), str(r["other"]),
         "–" if r["meeting_rate"] is None else f"{r['meeting_rate'] * 100:.1f}%"]
        for r in rows
    ]  # fmt: skip
    assert shown == WEEK_ROWS
    assert rows[-1]["key"] is None


def test_one_reps_calls(team, run):
    result = run("report", "objections", *WEEK, "--rep", "alice", "--json", "--at", AT)
    assert result.exit_code == 0, result.output
    teams = {
        r["objection"]: r["calls"] for r in json.loads(result.output) if r["segment"] == "TEAM"
    }
    assert teams == {
        "Not interested": 0,
        "Send me an email": 1,
        "No budget": 2,
        "Using a competitor": 0,
        "Bad timing": 1,
    }


def test_the_period_bounds_the_calls(team, run):
    result = run("report", "objections", "--from", "2026-11-09", "--json", "--at", AT)
    rows = json.loads(result.output)
    team_of = {r["objection"]: r for r in rows if r["segment"] == "TEAM"}
    assert team_of["Not interested"]["calls"] == 2  # the call of the 10th counts now
    assert team_of["Not interested"]["other"] == 1
    # Default period: the 7 team days ending today (17-23 Nov): the 16th's Price is out.
    default = json.loads(run("report", "objections", "--json", "--at", AT).output)
    assert "Price" not in {r["objection"] for r in default}


def test_csv_and_no_by(team, run):
    csv_out = run("report", "objections", *WEEK, "--format", "csv", "--at", AT)
    assert csv_out.output.splitlines()[0] == (
        "objection,key,dimension,segment,calls,meetings,callbacks,not_interested,other,meeting_rate"
    )
    refused = run("report", "objections", "--by", "rep", "--at", AT)
    assert refused.exit_code == 1
    assert refused.output.strip().splitlines()[-1].startswith("error: --by applies to the funnel")


@pytest.mark.parametrize(
    ("then", "agreed", "expected"),
    [
        ("qualify", False, "meetings"),
        ("qualify", True, "meetings"),
        ("callback", True, "callbacks"),
        ("retry", True, "callbacks"),
        ("close", False, "not_interested"),
        ("retry", False, "other"),
        ("wrong_number", False, "other"),
        ("do_not_call", False, "other"),
        (None, False, "other"),  # a disposition no longer in the catalog
    ],
)
def test_what_a_call_ended_as(then, agreed, expected):
    assert ending(then, agreed) == expected
