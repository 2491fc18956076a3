"""Every time a user types on the command line: exit 1, one line naming the option
and what is allowed, nothing written, no file created (issue 11, §2 and §3)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from prospector.cli import cli
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact

AT = "2026-11-23T10:00:00-05:00"
REPORTS = ("daily", "funnel", "sla", "attempts", "segments", "pipeline")
RANGE = "2000-01-01T00:00:00Z to 2100-12-31T23:59:59Z"


def one_line_error(result, start: str) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: {start}"), result.stderr
    return result.stderr


def commands_taking_at(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from commands_taking_at(command, (*path, name))
        elif any("--at" in param.opts for param in command.params):
            yield (*path, name)


AT_COMMANDS = list(commands_taking_at(cli))


def test_the_commands_with_at_are_found() -> None:
    assert {("queue",), ("next",), ("log",), ("qualify",), ("report",), ("dnc", "add")} <= set(
        AT_COMMANDS
    )


@pytest.mark.parametrize("command", [(), *AT_COMMANDS], ids=lambda c: " ".join(c) or "group")
@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("0001-01-01T00:00:00Z", f"is outside the times Prospector reads, {RANGE}"),
        ("9999-12-31T23:59:59Z", f"is outside the times Prospector reads, {RANGE}"),
        ("0001-01-01T00:00:00+05:00", "is outside the times Prospector reads"),
        ("9999-12-31T23:59:59-05:00", "is outside the times Prospector reads"),
        ("1999-12-31T23:59:59Z", "is outside the times Prospector reads"),
        ("2101-01-01T00:00:00Z", "is outside the times Prospector reads"),
        ("2026-11-23T10:00:00", "has no UTC offset"),
        ("tomorrow", "is not an ISO 8601 time with an offset"),
    ],
)
def test_at_outside_2000_to_2100_is_one_line(tmp_path: Path, command, value, why) -> None:
    db = tmp_path / "team.db"
    args = ["--db", str(db), "--at", value] if not command else ["--db", str(db), *command]
    if command:
        args += ["--at", value]
    result = CliRunner().invoke(cli, args)
    assert why in one_line_error(result, f"--at {value!r} ")
    assert not db.exists()


def test_the_range_ends_are_still_accepted(run) -> None:
    assert run("init").exit_code == 0
    for instant in ("2000-01-01T00:00:00Z", "2100-12-31T23:59:59Z", "2100-12-31T18:59:59-05:00"):
        result = run("queue", "--at", instant)
        assert result.exit_code == 0, result.output
        assert result.output == "nothing callable now\n"


@pytest.fixture
def lead(db) -> int:
    return add_contact(db, now=MONDAY_10_ET - timedelta(minutes=5), first_name="Ada")


def count(db, table: str) -> int:
    return int(db.one(f"SELECT count(*) FROM {table}")[0])


@pytest.mark.parametrize(
    ("words", "why"),
    [
        ("dec 32 3pm", "December has 31 days, not 32"),
        ("feb 30 3pm", "February has at most 29 days, not 30"),
        ("mon dec 1 3pm", "2026-12-01 is a Tuesday, not a Monday"),
        ("tue 2026-12-02 3pm", "2026-12-02 is a Wednesday, not a Tuesday"),
        ("jan 2027 3pm", "'jan 2027' is a month, not a day"),
        ("dec 1 12 3pm", "'12' is not understood in 'dec 1 12'"),
        ("in 99999999 days", f"it is after 2100-12-31 (times run from {RANGE})"),
        ("12/1/9999 3pm", "the year 9999 is outside 2000-2100"),
    ],
)
def test_log_callback_words_that_are_not_a_time(run, db, lead, words, why) -> None:
    result = run("log", str(lead), "callback", "--callback", words, "--at", AT)
    assert why in one_line_error(result, f"--callback {words!r} is not a time: ")
    assert count(db, "calls") == 0
    assert db.one("SELECT status, callback_at FROM contacts WHERE id = ?", (lead,))[1] is None


def test_log_callback_in_atlantic_time(run, db, lead) -> None:
    result = run(
        "log", str(lead), "callback", "--callback", "tomorrow 3pm AT", "--at", AT, "--json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["next_call_at"] == "2026-11-24T14:00:00-05:00"  # 15:00 AST


@pytest.mark.parametrize(
    ("words", "why"),
    [
        ("dec 32 3pm", "December has 31 days, not 32"),
        ("mon dec 1 3pm", "2026-12-01 is a Tuesday, not a Monday"),
        ("jan 2027 3pm", "'jan 2027' is a month, not a day"),
        ("3pm 5", "'5' is not understood"),
        ("in 99999999 days", "it is after 2100-12-31"),
        ("9999-12-31T23:59:59Z", "it is after 2100-12-31"),
    ],
)
def test_qualify_meeting_words_that_are_not_a_time(run, db, lead, words, why) -> None:
    result = run("qualify", str(lead), "--meeting", words, "--at", AT)
    assert why in one_line_error(result, f"meeting {words!r} is not a time: ")
    assert count(db, "handoffs") == 0


YEARS = "(dates run from 2000-01-01 to 2100-12-31)"
DAYS = "(report dates run from 2000-01-01 to 2100-12-31)"


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize(
    ("options", "start"),
    [
        (
            ("--from", "0001-01-01", "--to", "9999-12-31"),
            f"--from '0001-01-01' is not a date: the year 1 is outside 2000-2100 {YEARS}",
        ),
        (("--from", "2026-11-01", "--to", "9999-12-31"), "--to '9999-12-31' is not a date: the"),
        (("--to", "2101-01-01"), "--to '2101-01-01' is not a date: the year 2101"),
        (
            ("--date", "last 99999999 days"),
            f"--date 'last 99999999 days' is not a date: it starts before 2000-01-01 {DAYS}",
        ),
        (("--date", "99999999 days ago"), "--date '99999999 days ago' is not a date: it starts"),
        (("--from", "last 99999999 days"), "--from 'last 99999999 days' is not a date: it"),
        (("--date", "nov 32"), "--date 'nov 32' is not a date: November has 30 days, not 32"),
        (("--date", "thu nov 20"), "--date 'thu nov 20' is not a date: 2026-11-20 is a Friday"),
        (("--date", "nov 20 12"), "--date 'nov 20 12' is not a date: '12' is not understood"),
    ],
)
def test_report_dates_out_of_range_or_impossible(run, name, options, start) -> None:
    assert run("init").exit_code == 0
    one_line_error(run("report", name, *options, "--at", AT), start)


def test_a_month_with_its_year_is_that_month(run) -> None:
    assert run("init").exit_code == 0
    result = run("report", "daily", "--date", "nov 2026", "--format", "json", "--at", AT)
    assert result.exit_code == 0, result.output
    days = [row["day"] for row in json.loads(result.stdout) if row["rep"] == "TEAM"]
    assert (days[0], days[-1], len(days)) == ("2026-11-01", "2026-11-30", 30)


@pytest.mark.parametrize(
    ("words", "why"),
    [
        ("nov 32", "'nov 32' is not a date: November has 30 days, not 32"),
        ("last 99999999 days", "'last 99999999 days' is not a date: it starts before 2000-01-01"),
        ("0001-01-01 to 9999-12-31", "'0001-01-01 to 9999-12-31' is not a date: the year 1"),
    ],
)
def test_the_dashboards_typed_period_is_read_the_same_way(db, clock, words, why) -> None:
    from prospector.foundations.errors import TimeWordsError
    from prospector.services.reports.dashboard import dashboard_data

    with pytest.raises(TimeWordsError) as caught:
        dashboard_data(db, clock, words)
    assert str(caught.value).startswith(why)
    november = dashboard_data(db, clock, "nov 2026").period
    assert (november.first.isoformat(), november.last.isoformat()) == ("2026-11-01", "2026-11-30")
