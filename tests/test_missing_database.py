"""A mistyped --db is an error, not an empty team: only init and demo create one."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from prospector.cli import cli
from prospector.foundations.db import without_password
from tests.cli_checks import assert_one_line_error, files_under

COMMANDS = [
    ["queue"],
    ["next"],
    ["log", "5", "no_answer"],
    ["claim", "renew", "5"],
    ["claim", "release", "5"],
    ["claim", "dialed", "5"],
    ["claim", "list"],
    ["qualify", "5"],
    ["handoffs"],
    ["handoffs", "ack", "ack.csv"],
    ["export"],
    ["export", "--batch", "1"],
    ["import", "list.csv"],
    ["dnc", "add", "+1 415 555 2671"],
    ["dnc", "import", "list.csv"],
    ["dnc", "check", "+1 415 555 2671"],
    ["dnc", "remove", "+1 415 555 2671"],
    ["settings", "show"],
    ["settings", "load", "settings.toml"],
    ["settings", "reapply"],
    ["report", "daily"],
    ["summaries", "rebuild"],
    ["dashboard"],
    [],  # the workbench
]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROSPECTOR_DB", raising=False)
    (tmp_path / "list.csv").write_text("Phone\n(415) 555-2671\n")
    (tmp_path / "ack.csv").write_text("handoff_id,status\n1,accepted\n")
    from prospector.services.settings import DEFAULTS_FILE

    (tmp_path / "settings.toml").write_text(DEFAULTS_FILE.read_text(encoding="utf-8"))
    return tmp_path


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args) or "workbench")
def test_every_command_refuses_a_missing_database(folder, args):
    typo = folder / "tema" / "team.db"
    before = files_under(folder)
    result = CliRunner().invoke(cli, ["--db", str(typo), "--rep", "alice", *args])
    assert_one_line_error(result, f"no Prospector database at {typo} — run `prospector init`")
    assert files_under(folder) == before  # no folder, no file


def test_init_creates_it(folder):
    path = folder / "new" / "team.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "init"])
    assert result.exit_code == 0, result.output
    assert path.is_file()
    queue = CliRunner().invoke(cli, ["--db", str(path), "--rep", "alice", "queue"])
    assert (queue.exit_code, queue.output) == (0, "nothing callable now\n")


def test_a_real_process_exits_1(folder):
    typo = folder / "team.bd"
    done = subprocess.run(
        [sys.executable, "-m", "prospector", "--db", str(typo), "queue"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == f"error: no Prospector database at {typo} — run `prospector init`\n"
    assert done.stdout == ""
    assert not typo.exists()


@pytest.mark.parametrize(
    ("db", "needle"),
    [("", "no database path given"), ("/dev/null", "not a database file"),
     ("{folder}/" + "x" * 300 + "/team.db", "cannot be used (File name too long)"),
     ("{folder}/list.csv/team.db", "no Prospector database at"),
     ("{folder}", "is a directory")],
)  # fmt: skip
def test_paths_that_cannot_be_a_database(folder, db, needle):
    before = files_under(folder)
    result = CliRunner().invoke(cli, ["--db", db.format(folder=folder), "queue"])
    assert_one_line_error(result, needle)
    assert files_under(folder) == before


@pytest.mark.parametrize(
    "args",
    [["queue"], ["next"], ["dnc", "add", "+1 415 555 2671"], ["settings", "show"], []],
    ids=lambda args: " ".join(args) or "workbench",
)
def test_only_init_makes_an_empty_team_database_prospectors(db_path, monkeypatch, args):
    """The same on either backend: a file not there yet, or an empty PostgreSQL database."""
    monkeypatch.delenv("PROSPECTOR_DB", raising=False)
    shown = without_password(str(db_path))
    result = CliRunner().invoke(cli, ["--db", str(db_path), "--rep", "alice", *args])
    assert_one_line_error(result, f"no Prospector database at {shown} — run `prospector init`")
    made = CliRunner().invoke(cli, ["--db", str(db_path), "init"])
    assert made.exit_code == 0, made.output
    queue = CliRunner().invoke(cli, ["--db", str(db_path), "--rep", "alice", "queue"])
    assert (queue.exit_code, queue.output) == (0, "nothing callable now\n")
