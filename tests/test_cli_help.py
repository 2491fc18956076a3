"""Every command explains itself, and the README shows every top-level command."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from prospector.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


COMMANDS = list(_commands(cli))


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help(path, command):
    assert (command.help or "").strip(), f"prospector {' '.join(path)} has no help text"
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    for option in command.params:
        if isinstance(option, click.Option) and not option.hidden:
            assert option.help, f"prospector {' '.join(path)} {option.opts[0]} has no help"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_readme_shows_every_command(name):
    assert f"prospector {name}" in README or f"prospector --rep bob {name}" in README, name
