"""``prospector import FILE``: load a list of contacts and their companies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from prospector.cli.context import AppContext, at_option, json_option, pass_app, stderr_bar

if TYPE_CHECKING:
    from prospector.services.importing import Progress


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=True))
@click.option("--source", metavar="S", help="Lead source for rows whose file gives none.")
@click.option(
    "--map",
    "mappings",
    metavar="HEADER=FIELD",
    multiple=True,
    help="Read column HEADER as FIELD (e.g. --map 'Tel (work)=phone'). Repeatable.",
)
@click.option(
    "--region",
    metavar="CC",
    help="Country for numbers without a country code (default: the row's country,"
    " else the settings' team.default_region).",
)
@click.option(
    "--rejects",
    "rejects_to",
    metavar="PATH",
    help="Write rejected rows to PATH (a file or a folder) instead of beside FILE.",
)
@click.option(
    "--sheet",
    metavar="NAME",
    help="For a spreadsheet (.xlsx, .xls, .ods): the sheet to read (default: the first).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Check and count; change nothing in the database. Prints what each column became.",
)
@at_option
@json_option
@pass_app
def import_command(
    app: AppContext,
    file: str,
    source: str | None,
    mappings: tuple[str, ...],
    region: str | None,
    rejects_to: str | None,
    sheet: str | None,
    dry_run: bool,
    at: datetime | None,
    as_json: bool,
) -> None:
    """Import FILE: a CSV (UTF-8, Windows-1252 or UTF-16; comma, semicolon or tab
    separated) or a spreadsheet (.xlsx, .xls, .ods).

    Columns are recognised by the names vendors and CRMs give them (Apollo,
    ZoomInfo, Salesforce, HubSpot, Cognism, Lusha, ...; English, French, German,
    Spanish), by the settings' [import.columns] and by --map. Rows that cannot be
    used go to FILE's stem + .rejects.csv beside it (or to --rejects; when FILE's
    folder is read-only, to the current folder), with a reject_reason column.
    Importing the same file again inserts nothing.
    """
    # Imported here: the importer (workers, writer) is not needed by other commands,
    # the workbench among them.
    from prospector.services.importing import import_file

    with app.open_db() as db, _progress_bar() as progress:
        result = import_file(
            db,
            file,
            source=source,
            region=region,
            mappings=list(mappings),
            dry_run=dry_run,
            now=app.clock(at)(),
            rep=app.rep,
            progress=progress,
            rejects=rejects_to,
            sheet=sheet,
        )
    if as_json:
        click.echo(json.dumps(result.as_json()))
        return
    if result.columns:
        click.echo(f"columns of {file}:")
        width = max(len(use.column) for use in result.columns)
        for use in result.columns:
            click.echo(f"  {use.column:<{width}}  {use.describe()}")
    prefix = "dry run: would import" if dry_run else "imported"
    click.echo(
        f"{prefix} {file}: {result.read} rows read, {result.inserted} inserted,"
        f" {result.updated} updated, {result.rejected} rejected"
        f" ({result.filtered} filtered out by fit rules, {result.dnc} on the DNC list)"
    )
    if result.rejects_file:
        moved = rejects_to is None and Path(result.rejects_file).parent != Path(file).parent
        note = f" ({Path(file).parent} is read-only)" if moved else ""
        click.echo(f"rejected rows: {result.rejects_file}{note}")
    for line in report_lines(result.toll_free, result.warnings):
        click.echo(line)


WARNINGS_SHOWN = 10


def report_lines(toll_free: int, warnings: tuple[str, ...]) -> list[str]:
    """The toll-free count and the first warnings, for the terminal (--json has them all)."""
    lines = []
    if toll_free:
        lines.append(
            f"{toll_free} toll-free or non-geographic number(s) dialled:"
            " zones from the address, else the team's"
        )
    if warnings:
        lines.append(f"{len(warnings)} warning(s):")
        lines.extend(f"  {warning}" for warning in warnings[:WARNINGS_SHOWN])
        if len(warnings) > WARNINGS_SHOWN:
            lines.append(f"  … and {len(warnings) - WARNINGS_SHOWN} more (--json lists all)")
    return lines


@contextmanager
def _progress_bar() -> Iterator[Progress | None]:
    """A rich progress bar (rows/s, ETA) on a terminal; nothing otherwise."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

    with stderr_bar(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} rows/s"),
        TimeRemainingColumn(),
        rate="-",
    ) as shown:
        if shown is None:
            yield None
            return
        bar, task = shown

        def update(done: int, total: int) -> None:
            speed = bar.tasks[0].speed
            bar.update(task, completed=done, total=total, rate=f"{speed:,.0f}" if speed else "-")

        yield update


def register(group: click.Group) -> None:
    group.add_command(import_command)
