"""``prospector dnc``: the do-not-call list."""

from __future__ import annotations

from datetime import datetime

import click

from prospector.cli.context import AppContext, at_option, pass_app
from prospector.services import dnc as dnc_service


@click.group("dnc")
def dnc_group() -> None:
    """The do-not-call list: numbers that are never offered to a rep."""


@dnc_group.command("add")
@click.argument("numbers", nargs=-1, required=True)
@click.option("--reason", metavar="TEXT", help="Why (kept with the number).")
@at_option
@pass_app
def add(app: AppContext, numbers: tuple[str, ...], reason: str | None, at: datetime | None) -> None:
    """Put NUMBERS on the list; their contacts are never queued again."""
    with app.open_db() as db:
        change = dnc_service.add_dnc(db, numbers, actor=app.rep, now=app.clock(at)(), reason=reason)
    click.echo(_added(change))


@dnc_group.command("import")
@click.argument("file", type=click.Path(dir_okay=True))
@at_option
@pass_app
def import_numbers(app: AppContext, file: str, at: datetime | None) -> None:
    """Add every number of FILE (a CSV with a phone column, or one number a line)."""
    with app.open_db() as db:
        change = dnc_service.import_dnc(db, file, actor=app.rep, now=app.clock(at)())
    click.echo(
        _added(change) + (f", {len(change.rejected)} line(s) skipped" if change.rejected else "")
    )
    for line in change.rejected:
        click.echo(f"skipped {file}: {line}", err=True)


@dnc_group.command("check")
@click.argument("number")
@pass_app
def check(app: AppContext, number: str) -> None:
    """Say whether NUMBER is on the list (exit 0 either way)."""
    with app.open_db() as db:
        e164 = dnc_service.normalize_number(db, number)
        listed = dnc_service.is_dnc(db, e164)
    click.echo(f"{e164}: {'listed' if listed else 'not listed'}")


@dnc_group.command("remove")
@click.argument("number")
@at_option
@pass_app
def remove(app: AppContext, number: str, at: datetime | None) -> None:
    """Take NUMBER off the list (recorded in the audit log)."""
    with app.open_db() as db:
        change = dnc_service.remove_dnc(db, number, actor=app.rep, now=app.clock(at)())
    if change.numbers:
        click.echo(f"{change.phone}: removed; {change.contacts} contact(s) may be called again")
    else:
        click.echo(f"{change.phone}: was not listed")


def _added(change: dnc_service.DncChange) -> str:
    return (
        f"{change.numbers} number(s) added ({change.already} already listed),"
        f" {change.contacts} contact(s) marked do-not-call"
    )


def register(group: click.Group) -> None:
    group.add_command(dnc_group)
