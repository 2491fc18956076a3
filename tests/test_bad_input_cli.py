"""Anything a user can type: a bad value is one line naming it, exit 1, nothing changed.

Each case runs one command against a copy of a real team database (the demo list,
one handoff exported as batch 1, one pending), from inside the test's folder, and
checks: exit status 1, exactly one stderr line starting ``error:`` that names the
argument (and the allowed range), no traceback, the database dumped before and after
identical, and no file created or changed in the folder.
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from prospector.cli import cli
from prospector.cli.params import FiniteRange, IdType
from tests.cli_checks import AT, assert_one_line_error, dump, files_under

BIG = "99999999999999999999"  # 20 digits: past SQLite's 64-bit integers
PAST_64_BITS = str(2**63)
ID_RANGE = "from 1 to 9223372036854775807"
WEBHOOK = ["export", "--webhook", "https://crm.example.com/hook"]

ID_COMMANDS = {
    "log": ["log", "{}", "no_answer"],
    "qualify": ["qualify", "{}"],
    "claim renew": ["claim", "renew", "{}"],
    "claim release": ["claim", "release", "{}"],
    "claim dialed": ["claim", "dialed", "{}"],
    "dial": ["dial", "{}"],
    "event": ["event", "{}", "--duration", "5"],
    "export --batch": ["export", "--batch", "{}"],
}
ID_NAMES = {"export --batch": "'--batch'", "event": "'[CONTACT_ID]'"}
BAD_IDS = [BIG, PAST_64_BITS, "-1", "0", "abc", "1.5", "１２", "1e3", "9" * 5000]

CASES: dict[str, tuple[list[str], tuple[str, ...]]] = {
    # talk time: 0 to a day
    "duration 2**63-1": (["log", "5", "no_answer", "--duration", str(2**63 - 1)],
                         ("'--duration'", "0<=x<=86400")),
    "duration past a day": (["log", "5", "meeting_set", "--duration", "86401"],
                            ("'--duration'", "0<=x<=86400")),
    "duration negative": (["log", "5", "no_answer", "--duration", "-1"], ("'--duration'",)),
    "duration nan": (["log", "5", "no_answer", "--duration", "nan"], ("'--duration'",)),
    # webhook options
    "timeout -1": ([*WEBHOOK, "--timeout", "-1"], ("'--timeout'", "0<x<=300")),
    "timeout nan": ([*WEBHOOK, "--timeout", "nan"], ("'--timeout'", "0<x<=300")),
    "timeout inf": ([*WEBHOOK, "--timeout", "inf"], ("'--timeout'", "0<x<=300")),
    "timeout 0": ([*WEBHOOK, "--timeout", "0"], ("'--timeout'",)),
    "timeout huge": ([*WEBHOOK, "--timeout", "1e308"], ("'--timeout'",)),
    "attempts 0": ([*WEBHOOK, "--attempts", "0"], ("'--attempts'", "1<=x<=20")),
    "attempts huge": ([*WEBHOOK, "--attempts", BIG], ("'--attempts'", "1<=x<=20")),
    "attempts negative": ([*WEBHOOK, "--attempts", "-3"], ("'--attempts'",)),
    # webhook URLs
    "port too big": (["export", "--webhook", "https://crm.example.com:99999/h"],
                     ("webhook URL", "port '99999'", "1 to 65535")),
    "port letters": (["export", "--webhook", "https://crm.example.com:abc/h"],
                     ("webhook URL", "port 'abc'", "1 to 65535")),
    "port zero": (["export", "--webhook", "https://crm.example.com:0/h"], ("port '0'",)),
    "credentials": (["export", "--webhook", "https://user:secret@crm.example.com/h"],
                    ("webhook URL", "no user name or password")),
    "user name": (["export", "--webhook", "https://user@crm.example.com/h"],
                  ("no user name or password",)),
    "ftp scheme": (["export", "--webhook", "ftp://crm.example.com/h"], ("https://host/path",)),
    "no host": (["export", "--webhook", "https:///h"], ("https://host/path",)),
    "plain http": (["export", "--webhook", "http://crm.example.com/h"], ("https:// is required",)),
    "open bracket": (["export", "--webhook", "https://[::1/h"], ("webhook URL",)),
    "blank in URL": (["export", "--webhook", "https://crm example.com/h"], ("blanks",)),
    "bad host": (["export", "--webhook", "https://crm..example.com/h"], ("not a host name",)),
    "url and format": ([*WEBHOOK, "--format", "csv"], ("--format or --webhook",)),
    # other numbers
    "limit 0": (["queue", "--limit", "0"], ("'--limit'", "1<=x<=1000")),
    "limit huge": (["queue", "--limit", BIG], ("'--limit'", "1<=x<=1000")),
    "limit nan": (["queue", "--limit", "nan"], ("'--limit'",)),
    "amount nan": (["qualify", "5", "--amount", "nan"], ("amount 'nan'",)),
    "amount inf": (["qualify", "5", "--amount", "inf"], ("amount 'inf'",)),
    "amount negative": (["qualify", "5", "--amount", "-5"], ("amount '-5'",)),
    "amount 1e400": (["qualify", "5", "--amount", "1e400"], ("amount '1e400'",)),
    "amount huge": (["qualify", "5", "--amount", BIG], ("too large", "at most 9999999999999.99")),
    "amount cents": (["qualify", "5", "--amount", "12.345"], ("amount '12.345'",)),
    "refresh nan": (["dashboard", "--refresh", "nan"], ("'--refresh'", "1<=x<=3600")),
    "refresh negative": (["dashboard", "--refresh", "-1"], ("'--refresh'", "1<=x<=3600")),
    "refresh inf": (["dashboard", "--refresh", "inf"], ("'--refresh'",)),
    # names and words
    "empty rep": (["--rep", "", "next"], ("'--rep'",)),
    "blank rep": (["--rep", "   ", "log", "5", "no_answer"], ("'--rep'",)),
    "control rep": (["--rep", "al\x1bice", "next"], ("'--rep'", "control characters")),
    "unknown region": (["import", "list.csv", "--region", "ZZ"], ("--region 'ZZ'",)),
    "numeric region": (["import", "list.csv", "--region", BIG], ("--region",)),
    "rejects nowhere": (["import", "list.csv", "--rejects", "missing/x.csv"],
                        ("rejects file", "no folder")),
    "unknown status": (["handoffs", "--status", "done"], ("unknown status 'done'",)),
    "unknown report": (["report", "weekly"], ("unknown report 'weekly'",)),
    "report by": (["report", "funnel", "--by", "tier"], ("'--by'",)),
    "unknown format": (["export", "--format", "xml"], ("unknown export format 'xml'",)),
    "unknown disposition": (["log", "5", "maybe"], ("unknown disposition 'maybe'",)),
    "unknown owner": (["qualify", "5", "--owner", "Nobody Here"], ("unknown outside rep",)),
    "dnc huge": (["dnc", "add", BIG], ("not a valid phone number",)),
    "dnc check huge": (["dnc", "check", BIG], ("not a valid phone number",)),
    "unknown batch": (["export", "--batch", "7", "--out", "new"], ("no export batch 7",)),
    "format to a new folder": (["export", "--format", "xml", "--out", "new/er"],
                               ("unknown export format",)),
    "webhook batch to files": (["export", "--batch", "1", "--webhook", "https://h.example:x/"],
                               ("port 'x'",)),
    "unknown contact": (["log", "100000", "no_answer"], ("no contact with id 100000",)),
    # files
    "settings folder": (["settings", "load", "."], ("'FILE'", "is a directory")),
    "missing list": (["import", "nope.csv"], ("nope.csv", "no such file")),
    "ack huge id": (["handoffs", "ack", "ack_big.csv"],
                    ("ack_big.csv", "row 2", "is not an id", ID_RANGE)),
    "ack zero id": (["handoffs", "ack", "ack_zero.csv"], ("row 2", "'0' is not an id")),
    "ack negative id": (["handoffs", "ack", "ack_negative.csv"], ("row 2", "'-1' is not an id")),
    "ack digits of another script": (["handoffs", "ack", "ack_arabic.csv"], ("row 2",)),
    "missing argument": (["log"], ("Missing argument 'CONTACT_ID'",)),
}  # fmt: skip

# A command line click cannot parse keeps click's usage status, 2 (DESIGN §5), in one line.
UNPARSABLE: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "unknown command": (["frobnicate"], ("No such command 'frobnicate'",)),
    "unknown option": (["queue", "--limt", "3"], ("--limt",)),
    "extra argument": (["claim", "renew", "5", "6"], ("unexpected extra argument",)),
}  # fmt: skip

FILES = {
    "list.csv": "Phone,Name\n(415) 555-2671,Ada\n12,Bad\n",
    "ack_big.csv": f"handoff_id,status\n{BIG},accepted\n",
    "ack_zero.csv": "handoff_id,status\n0,accepted\n",
    "ack_negative.csv": "handoff_id,status\n-1,accepted\n",
    "ack_arabic.csv": "handoff_id,status\n\u0661,accepted\n",
}


@pytest.fixture
def team(team_copy, tmp_path, monkeypatch):
    """A copy of the team_template (in an otherwise empty folder that is also the cwd, on
    SQLite); the folder holds the input files."""
    monkeypatch.delenv("PROSPECTOR_DB", raising=False)
    monkeypatch.delenv("PROSPECTOR_REP", raising=False)
    monkeypatch.chdir(tmp_path)
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return team_copy


def refused(team, args: list[str], *needles: str, status: int = 1) -> None:
    folder = Path.cwd()  # the team's folder (see ``team``)
    before, files = dump(team), files_under(folder)
    result = CliRunner().invoke(cli, ["--db", str(team), "--rep", "alice", "--at", AT, *args])
    assert_one_line_error(result, *needles, status=status)
    assert dump(team) == before
    assert files_under(folder) == files


@pytest.mark.parametrize("case", CASES)
def test_bad_value_is_refused(team, case):
    args, needles = CASES[case]
    refused(team, args, *needles)


@pytest.mark.parametrize("case", UNPARSABLE)
def test_unparsable_command_line_is_one_line_with_usage_status(team, case):
    args, needles = UNPARSABLE[case]
    refused(team, args, *needles, status=2)


@pytest.mark.parametrize("command", ID_COMMANDS)
@pytest.mark.parametrize("value", BAD_IDS, ids=lambda v: v[:24])
def test_bad_id_is_refused(team, command, value):
    args = [value if arg == "{}" else arg for arg in ID_COMMANDS[command]]
    name = ID_NAMES.get(command, "'CONTACT_ID'")
    refused(team, args, f"Invalid value for {name}", "is not an id", ID_RANGE)


def test_the_largest_id_is_an_id_that_does_not_exist(team):
    refused(team, ["log", str(2**63 - 1), "no_answer"], f"no contact with id {2**63 - 1}")


def test_two_calls_at_the_64_bit_limit_cannot_break_the_daily_report(team):
    for contact in ("7", "10"):
        refused(team, ["log", contact, "meeting_set", "--duration", str(2**63 - 1)], "--duration")
    on_team = ["--db", str(team), "--rep", "alice", "--at", AT]
    longest = CliRunner().invoke(
        cli, [*on_team, "log", "7", "meeting_set", "--meeting", "in 2 days", "--duration", "86400"]
    )
    assert longest.exit_code == 0, longest.output
    report = CliRunner().invoke(cli, [*on_team, "report", "daily", "--format", "json"])
    assert report.exit_code == 0, report.output
    assert '"talk_seconds": 86400' in report.output


def _parameters(group: click.Group, prefix: tuple[str, ...] = ("prospector",)):
    yield from ((prefix, param) for param in group.params)
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _parameters(command, (*prefix, name))
        else:
            yield from (((*prefix, name), param) for param in command.params)


PARAMETERS = list(_parameters(cli))


@pytest.mark.parametrize(
    ("path", "param"), PARAMETERS, ids=[f"{' '.join(p)} {q.name}" for p, q in PARAMETERS]
)
def test_every_number_a_user_types_is_bounded(path, param):
    """Every numeric option or argument, now and added later, has a range on both
    sides (and floats refuse nan): an unbounded click int reaches SQLite as an
    OverflowError, an unbounded float as a timeout of inf."""
    kind = param.type
    if isinstance(kind, click.types.FloatParamType):
        assert isinstance(kind, FiniteRange), f"{' '.join(path)} {param.name}: use FiniteRange"
    if isinstance(kind, click.types.IntParamType):
        assert isinstance(kind, click.IntRange), f"{' '.join(path)} {param.name}: use ID/IntRange"
    if isinstance(kind, click.IntRange | click.FloatRange):
        assert kind.min is not None and kind.max is not None, f"{param.name}: unbounded"
    if (param.name or "").endswith("_id"):
        assert isinstance(kind, IdType), f"{' '.join(path)} {param.name}: use params.ID"
