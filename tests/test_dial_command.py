"""The dial command template: split first, fields filled in within each word, so that
contact data can never add, split or turn into arguments; and running it for real."""

from __future__ import annotations

import json
import shlex
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospector.foundations.errors import SettingsError
from prospector.services.dial_command import (
    DialError,
    DialTarget,
    build_argv,
    parse_template,
    run_dial,
)
from prospector.services.settings import default_settings, parse_settings

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
HOSTILE = [
    "12 34",
    "'; rm -rf ~; echo '",
    '"quoted" and \\"escaped\\"',
    "$(touch /tmp/pwned)",
    "`id`",
    "a;b|c&d>e",
    "{rep}",
    "\n--next-line",
    "*",
]


def target(extension: str | None = "12", rep: str = "alice") -> DialTarget:
    return DialTarget(contact_id=42, e164="+14155550123", extension=extension, rep=rep)


def test_the_tel_uri_carries_the_extension_as_rfc_3966_has_it() -> None:
    assert target().tel_uri == "tel:+14155550123;ext=12"
    assert target(None).tel_uri == "tel:+14155550123"
    assert target("").tel_uri == "tel:+14155550123"
    # Anything but phone digits and visual separators is dropped from the URI.
    assert target("12;isub=evil,x").tel_uri == "tel:+14155550123;ext=12"
    assert target("1-2 (3)").tel_uri == "tel:+14155550123;ext=1-2(3)"


def test_fields_are_filled_in_within_each_word() -> None:
    argv = build_argv(
        "pbx-call --to={e164} --uri '{tel_uri}' 'ext {extension}' {contact_id} --agent {rep}",
        target(),
    )
    assert argv == [
        "pbx-call",
        "--to=+14155550123",
        "--uri",
        "tel:+14155550123;ext=12",
        "ext 12",
        "42",
        "--agent",
        "alice",
    ]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_contact_data_stays_one_argument(hostile: str) -> None:
    argv = build_argv("dial {extension} --agent={rep} {tel_uri}", target(hostile, rep=hostile))
    assert len(argv) == 4
    assert argv[1] == hostile
    assert argv[2] == f"--agent={hostile}"
    assert ";" not in argv[3].removeprefix("tel:+14155550123;")  # one ext= at most


@pytest.mark.parametrize("value", ["-rf", "--output=/etc/passwd", "-"])
def test_a_field_that_would_start_an_argument_with_a_dash_is_refused(value: str) -> None:
    with pytest.raises(DialError, match="an option"):
        build_argv("dial {extension}", target(value))
    # Inside a word that is already an option, it is only that option's value.
    assert build_argv("dial --ext={extension}", target(value)) == ["dial", f"--ext={value}"]


@given(extension=st.text(max_size=30), rep=st.text(min_size=1, max_size=30))
def test_no_contact_data_changes_the_number_of_arguments(extension: str, rep: str) -> None:
    template = "softphone call {tel_uri} --ext {extension} --rep={rep}"
    try:
        argv = build_argv(template, target(extension, rep))
    except DialError:
        assert extension.startswith("-")
        return
    assert len(argv) == len(shlex.split(template))
    assert argv[4] == extension and argv[5] == f"--rep={rep}"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("", "expected a command"),
        ("   ", "expected a command"),
        ("call {phone}", "unknown field {phone}"),
        ("call {e164!r}", "unknown field {e164!r}"),
        ("call {e164:>20}", "unknown field {e164:>20}"),
        ("call '{tel_uri}", "No closing quotation"),
        ("call {tel_uri", "expected '}'"),
    ],
)
def test_a_bad_template_is_one_settings_line(template: str, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_template(template)
    text = str(caught.value)
    assert text.startswith("settings: calling.dial_command = ")
    assert message in text
    assert "\n" not in text


def test_the_settings_refuse_a_bad_template_when_loaded() -> None:
    text = default_settings().source_text.replace(
        "[calling]\n", '[calling]\ndial_command = "call {phone}"\n', 1
    )
    with pytest.raises(SettingsError, match=r"calling.dial_command .* unknown field \{phone\}"):
        parse_settings(text)
    good = text.replace("{phone}", "{tel_uri}")
    assert parse_settings(good).calling.dial_command == "call {tel_uri}"
    assert default_settings().calling.dial_command is None


def write_script(tmp_path: Path, body: str) -> list[str]:
    script = tmp_path / "dial.py"
    script.write_text(body)
    return [sys.executable, str(script)]


def test_the_command_runs_without_a_shell_and_logs_its_output(tmp_path: Path) -> None:
    command = write_script(
        tmp_path,
        "import json, sys\nprint(json.dumps(sys.argv[1:]))\nprint('to stderr', file=sys.stderr)\n"
        "print(repr(sys.stdin.read()))\n",
    )
    log = tmp_path / "logs" / "dial.log"
    argv = [*command, *build_argv("{extension} {rep}", target("$(id)", rep="a b"))]
    ran = run_dial(argv, now=NOW, log_path=log)
    assert not ran.still_running and ran.log_path == log
    lines = log.read_text().splitlines()
    assert lines[0].startswith("--- 2026-11-23T15:00:00+00:00 ")
    assert json.loads(lines[1]) == ["$(id)", "a b"]
    assert set(lines[2:]) == {"to stderr", "''"}  # stdin closed: nothing to read
    run_dial(argv, now=NOW, log_path=log)  # appended, never truncated
    assert len(log.read_text().splitlines()) == 8


def test_a_command_still_running_is_left_to_run(tmp_path: Path) -> None:
    command = write_script(tmp_path, "import time\ntime.sleep(5)\n")
    ran = run_dial(command, now=NOW, log_path=tmp_path / "dial.log", wait=0.2)
    assert ran.still_running


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "dial command failed: no-such-softphone: not found"),
        ("not executable", "dial command failed: softphone: not executable"),
        ("exits 3", f"dial command failed: {Path(sys.executable).name} exited with 3 (see "),
    ],
)
def test_a_command_that_cannot_dial_is_one_line(tmp_path: Path, setup: str, message: str) -> None:
    if setup == "missing":
        argv = [str(tmp_path / "no-such-softphone")]
    elif setup == "not executable":
        path = tmp_path / "softphone"
        path.write_text("#!/bin/sh\n")
        path.chmod(0o644)
        argv = [str(path)]
    else:
        argv = write_script(tmp_path, "import sys\nsys.exit(3)\n")
    with pytest.raises(DialError) as caught:
        run_dial(argv, now=NOW, log_path=tmp_path / "dial.log")
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)
