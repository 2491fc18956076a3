"""The ``prospector`` command line: a thin click layer over the services.

Each command group lives in its own module and is registered here. Commands parse
input, call a service and print; a :class:`ProspectorError` becomes one line on
stderr and exit status 1.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from prospector.cli.context import (
    AppContext,
    db_option_default,
    parse_at_option,
    rep_option_default,
)
from prospector.foundations.errors import ProspectorError


class ProspectorGroup(click.Group):
    """Turns user errors into one-line messages with exit status 1."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # Wraps parsing too, so the group's own options (--at) fail the same way.
        try:
            return super().main(*args, **kwargs)
        except ProspectorError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


@click.group(cls=ProspectorGroup, invoke_without_command=True)
@click.option(
    "--db",
    "db_path",
    metavar="PATH",
    default=db_option_default,
    show_default="$PROSPECTOR_DB, else the user data directory",
    help="The team's database file.",
)
@click.option(
    "--rep",
    default=rep_option_default,
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
        dnc,
        handoffs,
        importing,
        reports,
        settings_cmd,
        setup,
        workbench,
    )

    for module in (
        setup, settings_cmd, workbench, importing, dnc, calling, contacts, handoffs, reports,
    ):  # fmt: skip
        module.register(cli)


_register()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="prospector")
