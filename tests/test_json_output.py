"""``--json`` on every command that prints data, with the keys its help promises."""

from __future__ import annotations

import json
import tomllib

import click
import pytest

from prospector.cli import cli
from prospector.foundations.db import open_database
from prospector.foundations.migrations import MIGRATIONS
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact
from tests.report_factories import log

AT = "2026-11-23T10:00:00-05:00"
# These open a screen, or serve HTTP (whose answers are JSON); they print no data.
SCREENS = {("demo",), ("dashboard",), ("serve",)}


def _leaves(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _leaves(command, (*prefix, name))
        else:
            yield (*prefix, name), command


LEAVES = [(path, command) for path, command in _leaves(cli) if path not in SCREENS]


@pytest.mark.parametrize(("path", "command"), LEAVES, ids=[" ".join(p) for p, _ in LEAVES])
def test_every_command_that_prints_data_takes_json(path, command) -> None:
    assert "--json" in [opt for param in command.params for opt in param.opts], path


def test_report_json_is_format_json(db_path, run) -> None:
    with open_database(db_path) as db:
        contact = add_contact(db, now=MONDAY_10_ET)
        log(db, contact, "no_answer", rep="alice", at=MONDAY_10_ET)
    by_format = run("report", "daily", "--date", "2026-11-23", "--format", "json", "--at", AT)
    by_flag = run("report", "daily", "--date", "2026-11-23", "--json", "--at", AT)
    both = run("report", "daily", "--date", "2026-11-23", "--json", "--format", "json", "--at", AT)
    assert by_flag.exit_code == 0 and by_flag.output == by_format.output == both.output
    assert json.loads(by_flag.output)[-1]["dials"] == 1


def test_report_json_with_another_format_is_a_usage_error(db_path, run) -> None:
    open_database(db_path).close()
    result = run("report", "daily", "--json", "--format", "csv", "--at", AT)
    assert result.exit_code == 2 and result.stdout == ""
    assert "--json and --format csv" in result.stderr


def test_settings_show_json_holds_what_the_toml_says(db_path, run) -> None:
    text = run("settings", "show").output
    shown = run("settings", "show", "--json")
    assert shown.exit_code == 0
    data = json.loads(shown.output)
    assert data["team"]["default_region"] == "US"
    assert data == json.loads(json.dumps(tomllib.loads(text), default=str))


def test_settings_load_and_reapply_json(tmp_path, db_path, run) -> None:
    with open_database(db_path) as db:
        add_contact(db, now=MONDAY_10_ET, employees=5)
    path = tmp_path / "mine.toml"
    path.write_text(run("settings", "show").output, encoding="utf-8")
    loaded = run("settings", "load", str(path), "--json")
    assert json.loads(loaded.output) == {"file": str(path), "reapplied": None}
    reapplied = run("settings", "reapply", "--json")
    assert json.loads(reapplied.output) == {"contacts": 1, "filter_changed": 0, "tier_changed": 0}


def test_init_and_summaries_json(db_path, run) -> None:
    assert json.loads(run("init", "--json").output) == {
        "path": str(db_path),
        "schema": len(MIGRATIONS),
    }
    with open_database(db_path) as db:
        contact = add_contact(db, now=MONDAY_10_ET)
        log(db, contact, "no_answer", rep="alice", at=MONDAY_10_ET)
    counts = json.loads(run("summaries", "rebuild", "--json").output)
    assert counts["calls"] == 1 and counts["leads"] == 1


def test_claim_commands_json(db_path, run) -> None:
    with open_database(db_path) as db:
        contact = add_contact(db, now=MONDAY_10_ET)
    assert json.loads(run("next", "--json", "--at", AT).output)["contact_id"] == contact
    renewed = run("claim", "renew", str(contact), "--json", "--at", "2026-11-23T10:05:00-05:00")
    assert json.loads(renewed.output) == {
        "contact_id": contact,
        "claimed_by": "alice",
        "claim_expires_at": "2026-11-23T15:20:00Z",
    }
    dialed = run("claim", "dialed", str(contact), "--json", "--at", "2026-11-23T10:06:00-05:00")
    assert json.loads(dialed.output) == {"contact_id": contact, "dialed_at": "2026-11-23T15:06:00Z"}
    released = run("claim", "release", str(contact), "--json", "--at", AT)
    assert json.loads(released.output) == {"contact_id": contact, "released": True}
    again = run("claim", "release", str(contact), "--json", "--at", AT)
    assert json.loads(again.output) == {"contact_id": contact, "released": False}
