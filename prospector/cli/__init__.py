"""The ``prospector`` command line: a thin click layer over the services.

Each command group lives in its own module and is registered here. Commands parse
input (bounded by :mod:`prospector.cli.params`), call a service and print. A
:class:`ProspectorError` or a bad option value becomes one line on stderr,
``error: ...``, and exit status 1; a command line click cannot parse (an unknown
command or option) is one such line with status 2; Ctrl-C becomes ``interrupted``
and exit status 130. Never a traceback for what a user typed.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from prospector.cli.context import (
    AppContext,
    db_option_default,
    parse_at_option,
    rep_option_default,
)
from prospector.cli.params import rep_name, usage_message
from prospector.foundations.errors import ProspectorError


class Interrupted(Exception):
    """Ctrl-C during a command, carried past click (which would print "Aborted!")."""


class ProspectorGroup(click.Group):
    """Turns user errors into one line on stderr: exit 1, or 130 for Ctrl-C."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        # Click's own standalone handling prints usage errors over several lines with
        # exit 2, and turns Ctrl-C into "Aborted!" with exit 1: it is done here instead.
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ProspectorError as error:
            _fail(f"error: {error}", 1)
        except sqlite3.OperationalError as error:
            # Services refuse writes to a read-only database up front; this catches
            # one that turned read-only under a running command.
            if "readonly" not in str(error):
                raise
            _fail(f"error: read-only database ({error})", 1)
        except click.UsageError as error:
            message, status = usage_message(error)
            _fail(f"error: {message}", status)
        except click.ClickException as error:
            _fail(f"error: {' '.join(error.format_message().split())}", 1)
        except (Interrupted, click.Abort):  # Abort: Ctrl-C while click itself parsed
            _fail("interrupted", 130)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted from None


def _fail(line: str, status: int) -> NoReturn:
    click.echo(line, err=True)
    sys.exit(status)


@click.group(cls=ProspectorGroup, invoke_without_command=True)
@click.option(
    "--db",
    "db_path",
    metavar="PATH|URL",
    default=db_option_default,
    show_default="$PROSPECTOR_DB, else the user data directory",
    help="The team's database: an SQLite file, or a postgresql:// URL.",
)
@click.option(
    "--rep",
    default=rep_option_default,
    callback=rep_name,
    show_default="$PROSPECTOR_REP, else the login name",
    help="The inside rep working.",
)
@click.option(
    "--at",
    "at",
    metavar="TIME",
    callback=parse_at_option,
    help="Run the workbench with its clock starting at TIME (ISO 8601 with offset).",
)
@click.version_option(package_name="prospector")
@click.pass_context
def cli(ctx: click.Context, db_path: str, rep: str, at: Any) -> None:
    """Prospector: a terminal workbench for teleprospecting.

    With no command, opens the workbench for --rep on --db.
    """
    ctx.obj = AppContext(db_path=db_path, rep=rep, start_at=at)
    if ctx.invoked_subcommand is None:
        from prospector.cli.workbench import open_workbench

        open_workbench(ctx.obj)


def _register() -> None:
    from prospector.cli import (
        calling,
        contacts,
        database,
        dialing,
        dnc,
        floor,
        handoffs,
        importing,
        intake,
        reports,
        settings_cmd,
        setup,
        workbench,
    )

    for module in (
        setup, settings_cmd, workbench, importing, intake, dnc, calling, contacts, handoffs,
        reports, database, dialing, floor,
    ):  # fmt: skip
        module.register(cli)


_register()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="prospector")
