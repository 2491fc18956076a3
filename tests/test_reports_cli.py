"""``prospector report`` through the real CLI: formats, options and bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from prospector.foundations.db import open_database
from tests.report_factories import add_contact, log, qualify

ET = ZoneInfo("America/New_York")
AT = "2026-11-23T10:00:00-05:00"


def et(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=ET)


@pytest.fixture
def team(db_path):
    with open_database(db_path) as db:
        c1 = add_contact(db, created_at=et(20, 8), source="inbound", employees=500)
        c2 = add_contact(db, created_at=et(19, 15), source="list", employees=100)
        log(db, c1, "no_answer", rep="alice", at=et(20, 9, 3))
        log(db, c2, "gatekeeper", rep="alice", at=et(20, 9, 30), duration=40)
        log(db, c1, "meeting_set", rep="alice", at=et(20, 10, 15), duration=300)
        qualify(db, c1, rep="alice", at=et(20, 10, 20), amount=12000)
        log(db, c2, "no_answer", rep="bob", at=et(20, 13))
    return db_path


def test_daily_json_rows_end_with_the_team(team, run):
    result = run("report", "daily", "--date", "2026-11-20", "--format", "json", "--at", AT)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [
        (r["rep"], r["dials"], r["connects"], r["conversations"], r["qualified"], r["talk_seconds"])
        for r in rows
    ] == [("alice", 3, 2, 1, 1, 340), ("bob", 1, 0, 0, 0, 0), ("TEAM", 4, 2, 1, 1, 340)]


def test_daily_yesterday_in_words(team, run):
    result = run("report", "daily", "--date", "3 days ago", "--format", "json", "--at", AT)
    assert json.loads(result.output)[-1]["dials"] == 4


def test_funnel_csv_by_source(team, run):
    result = run(
        "report", "funnel", "--from", "last week", "--by", "source", "--format", "csv", "--at", AT
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["source"], r["dials"], r["qualified"], r["pipeline_amount"]) for r in rows] == [
        ("inbound", "2", "1", "12000.0"),
        ("list", "2", "0", "0.0"),
        ("TEAM", "4", "1", "12000.0"),
    ]


def test_csv_text_from_an_imported_list_cannot_start_a_formula(db_path, run):
    with open_database(db_path) as db:
        contact = add_contact(db, created_at=et(20, 8), source='=HYPERLINK("x")')
        log(db, contact, "no_answer", rep="alice", at=et(20, 9))
    result = run(
        "report", "funnel", "--from", "last week", "--by", "source", "--format", "csv", "--at", AT
    )
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["source"], r["dials"]) for r in rows] == [
        ('\'=HYPERLINK("x")', "1"),
        ("TEAM", "1"),
    ]


def table_rows(output: str) -> list[list[str]]:
    """The body rows of the table(s) in ``output``, cell by cell."""
    return [
        [cell.strip() for cell in line.split("│")] for line in output.splitlines() if "│" in line
    ]


def test_daily_table(team, run):
    daily = run("report", "daily", "--date", "2026-11-20", "--at", AT)
    assert daily.exit_code == 0, daily.output
    assert "report daily" in daily.output
    assert table_rows(daily.output) == [
        # alice: 3 dials from 09:03 to 10:15 (1.2 h: 2.50/h), 40 s + 300 s of talk.
        ["alice", "3", "2", "1", "1", "66.7%", "33.3%", "5m 40s", "09:03", "10:15", "2.50",
         "80", "20", "10", "2"],
        ["bob", "1", "0", "0", "0", "0.0%", "0.0%", "0s", "13:00", "13:00", "1.00",
         "80", "20", "10", "2"],
        # the team: 4 dials from 09:03 to 13:00 (3.95 h: 1.01/h).
        ["TEAM", "4", "2", "1", "1", "50.0%", "25.0%", "5m 40s", "09:03", "13:00", "1.01",
         "160", "40", "20", "4"],
    ]  # fmt: skip


# Every figure below is counted by hand from the ``team`` fixture: alice dials c1
# (inbound, 500 employees: tier A, received Fri 08:00, SLA 1 h) at 09:03 and at 10:15
# (meeting set, 300 s), c2 (list, 100 employees: tier B, received Thu 15:00, SLA one
# business day) at 09:30 (gatekeeper, 40 s); bob dials c2 at 13:00. c1 is qualified
# for 12,000 on Friday 2026-11-20; "now" is Monday 2026-11-23 10:00.
SLA_ROWS = [
    # A: in at 08:00, dialed at 09:03: 3 min of calling time, within its hour;
    # B: 18 h 30 min, of which 2 h 30 min calling time (Thu 15-17, Fri 09-09:30).
    ["A", "1", "100.0%", "1h 03m", "1h 03m", "3m 00s", "3m 00s",
     "0", "0", "0", "1", "0", "0", "0", "0", "–"],
    ["B", "1", "100.0%", "18h 30m", "18h 30m", "2h 30m", "2h 30m",
     "0", "0", "0", "1", "0", "0", "0", "0", "–"],
    ["C", "0", "–", "–", "–", "–", "–", "0", "0", "0", "0", "0", "0", "0", "0", "–"],
    ["ALL", "2", "100.0%", "9h 46m", "18h 30m", "1h 16m", "2h 30m",
     "0", "0", "0", "2", "0", "0", "0", "0", "–"],
]  # fmt: skip

TABLES = {
    "funnel": [
        ["alice", "3", "2", "1", "1", "12,000.00", "66.7%", "33.3%", "100.0%"],
        ["bob", "1", "0", "0", "0", "0.00", "0.0%", "0.0%", "–"],
        ["TEAM", "4", "2", "1", "1", "12,000.00", "50.0%", "25.0%", "100.0%"],
    ],
    "sla": SLA_ROWS,
    "attempts": [
        ["1", "2", "1", "0", "50.0%", "0.0%"],  # c1 no answer, c2 gatekeeper
        ["2", "2", "1", "1", "50.0%", "50.0%"],  # c1 meeting set, c2 no answer
    ],
    "segments": [
        ["industry", "(none)", "2", "0", "2", "1", "1", "50.0%", "50.0%"],
        ["employees", "50-199", "1", "0", "1", "0", "0", "0.0%", "0.0%"],
        ["employees", "200-999", "1", "0", "1", "1", "1", "100.0%", "100.0%"],
        ["source", "inbound", "1", "0", "1", "1", "1", "100.0%", "100.0%"],
        ["source", "list", "1", "0", "1", "0", "0", "0.0%", "0.0%"],
        ["list", "(none)", "2", "0", "2", "1", "1", "50.0%", "50.0%"],
    ],
    "pipeline": [
        ["2026-11-16", "1", "12,000.00", "60,000.00", "20.0%"],
        ["2026-11-23", "0", "0.00", "60,000.00", "0.0%"],
    ],
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_report_tables_show_the_figures(team, run, name):
    result = run("report", name, "--from", "2026-11-16", "--at", AT)
    assert result.exit_code == 0, result.output
    assert f"report {name}" in result.output
    assert table_rows(result.output) == TABLES[name]


def test_pipeline_projection_line(team, run):
    # 12,000 in the one complete week; from Mon 23 Nov 10:00 to 1 Jan 00:00 is 38 d 14 h
    # = 5.51 weeks: 12,000 + 5.5119 x 12,000 = 78,142.86.
    pipeline = run("report", "pipeline", "--from", "2026-11-16", "--at", AT)
    assert (
        "mean of complete weeks 12,000.00 · CV 0.00 · quarter so far 12,000.00 · "
        "projection at quarter end 78,142.86 (5.5 weeks left)"
    ) in pipeline.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("report", "daily", "--date", "2026-02-30"),
            "--date '2026-02-30' is not a date: February 2026 has 28 days, not 30",
        ),
        (("report", "daily", "--date", "soon"), "--date 'soon' is not a date"),
        (("report", "funnel", "--from", "2026-11-20", "--to", "2026-11-19"), "is after --to"),
        (("report", "velocity"), "unknown report 'velocity'"),
        (("report", "sla", "--rep", "alice"), "--rep does not apply"),
        (("report", "daily", "--by", "source"), "--by applies to the funnel"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(team, run, args, message):
    result = run(*args, "--at", AT)
    assert result.exit_code == 1
    assert message in result.output
    assert result.output.count("\n") == 1 and result.output.startswith("error: ")


def test_summaries_rebuild(team, run):
    result = run("summaries", "rebuild")
    assert result.exit_code == 0
    assert result.output.startswith("counted 4 calls into")
    again = run("report", "daily", "--date", "2026-11-20", "--format", "json", "--at", AT)
    assert json.loads(again.output)[-1]["dials"] == 4


def test_real_process_exit_status(team):
    process = subprocess.run(
        [sys.executable, "-m", "prospector", "--db", str(team), "report", "daily", "--to", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 1
    assert process.stderr.startswith(
        "error: --to 'x' is not a date: 'x' is not understood; expected YYYY-MM-DD"
    )
    assert process.stderr.count("\n") == 1 and "Traceback" not in process.stderr


def test_dashboard_and_summaries_commands_are_registered(run):
    assert "team lead's dashboard" in run("dashboard", "--help").output
    assert "Recount the report summaries" in run("summaries", "rebuild", "--help").output
