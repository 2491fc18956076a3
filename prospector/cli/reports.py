"""``prospector report NAME``, ``prospector summaries rebuild`` and ``prospector dashboard``."""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

import click

from prospector.cli.context import AppContext, at_option, echo_json, json_option, pass_app
from prospector.cli.params import FiniteRange


@click.command("report")
@click.argument("name", metavar="NAME")
@click.option("--date", "date", metavar="D", help="One day, or a range such as 'last week'.")
@click.option("--from", "date_from", metavar="D", help="First team day of the range.")
@click.option("--to", "date_to", metavar="D", help="Last team day of the range (default today).")
@click.option(
    "--rep",
    "rep",
    metavar="R",
    help="Only this inside rep (daily, funnel, attempts, objections, time).",
)
@click.option(
    "--by", "by", type=click.Choice(["rep", "source"]), help="Funnel grouping (default rep)."
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "csv", "json"]),
    default=None,
    show_default="table",
    help="A table to read, CSV for a spreadsheet, or JSON for scripts.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the same as --format json).")
@at_option
@pass_app
def report(
    app: AppContext,
    name: str,
    date: str | None,
    date_from: str | None,
    date_to: str | None,
    rep: str | None,
    by: str | None,
    output: str | None,
    as_json: bool,
    at: Any,
) -> None:
    """Team reports: daily, funnel, sla, attempts, segments, pipeline, sources, objections, time.

    Dates are the team's days in its time zone: YYYY-MM-DD, today, yesterday,
    'N days ago', a weekday, 'this week', 'last week', 'this month',
    'last month', 'this quarter', 'last quarter', 'last N days'.
    """
    if as_json and output not in (None, "json"):
        raise click.UsageError(f"--json and --format {output} ask for two formats; give one")
    output = "json" if as_json else output or "table"
    from prospector.services.reports import run_report

    with app.open_db() as db:
        rows = run_report(
            db,
            name.lower(),
            app.clock(at),
            date=date,
            date_from=date_from,
            date_to=date_to,
            rep=rep,
            by=by,
        )
    if output == "json":
        click.echo(json.dumps(rows, indent=2))
    elif output == "csv":
        _write_csv(rows)
    else:
        _print_table(name.lower(), rows)


def _write_csv(rows: list[dict[str, Any]]) -> None:
    from prospector.services.export.safe_csv import neutralize

    keys: list[str] = []
    for row in rows:
        keys += [key for key in row if key not in keys]
    writer = csv.DictWriter(sys.stdout, fieldnames=keys, lineterminator="\n")
    writer.writeheader()
    # Sources, lists and segment names come from imported files: a team lead opens
    # this in a spreadsheet, so text must not start a formula. Numbers stay numbers.
    writer.writerows(
        {key: neutralize(value) if isinstance(value, str) else value for key, value in row.items()}
        for row in rows
    )


def _print_table(name: str, rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    from prospector.services.reports.display import (
        cell,
        header,
        inbound_caption,
        pipeline_caption,
        table_columns,
    )

    body = rows[:-1] if name == "pipeline" else rows
    columns = table_columns(name, body)
    captions = {"pipeline": pipeline_caption, "sources": inbound_caption}
    caption = captions[name](rows[-1]) if name in captions else None
    table = Table(title=f"report {name}", show_edge=False)
    for key in columns:
        table.add_column(header(key), justify="left" if key in _TEXT else "right")
    for index, row in enumerate(body):
        if name == "sources":
            # Each source's tiers, closed by its ALL row; then the team's tiers and total.
            total = row["tier"] == "ALL"
            last_of_block = index == len(body) - 1 or body[index + 1]["source"] != row["source"]
        else:
            total = row.get("tier") == "ALL" or "TEAM" in (
                row.get("rep"),
                row.get("source"),
                row.get("segment"),
            )
            last_of_block = total
        table.add_row(
            *(cell(key, row.get(key)) for key in columns),
            style="bold" if total else None,
            end_section=last_of_block and index < len(body) - 1,
        )
    console = Console(width=None if sys.stdout.isatty() else 200)
    console.print(table)
    if caption:
        console.print(caption)


_TEXT = ("day", "rep", "source", "tier", "dimension", "segment", "week", "objection", "key")


@click.group("summaries")
def summaries() -> None:
    """The report summary tables."""


@summaries.command("rebuild")
@json_option
@pass_app
def rebuild(app: AppContext, as_json: bool) -> None:
    """Recount the report summaries from the calls and contacts (after a zone change,
    or data written by hand).

    --json prints {"calls", "daily_rows", "hourly_rows", "leads"}.
    """
    from prospector.services.reports import rebuild_summaries
    from prospector.services.settings import load_settings

    with app.open_db() as db, db.write():
        counts = rebuild_summaries(db, load_settings(db))
    if as_json:
        echo_json(counts)
        return
    click.echo(
        f"counted {counts['calls']} calls into {counts['daily_rows']} daily"
        f" and {counts['hourly_rows']} hourly rows, and {counts['leads']} leads into cohorts"
    )


@click.command("dashboard")
@click.option(
    "--refresh",
    type=FiniteRange(1, 3600),
    default=30.0,
    show_default=True,
    help="Seconds between refreshes.",
)
@at_option
@pass_app
def dashboard(app: AppContext, refresh: float, at: Any) -> None:
    """The team lead's dashboard: daily table, dials per hour, funnel, pipeline, SLA, sources."""
    from prospector.tui.dashboard_app import DashboardApp

    with app.open_db():
        pass  # upgrade (and refuse a missing or foreign file) before the screen opens
    DashboardApp(db_path=app.db_path, clock=app.screen_clock(at), refresh_seconds=refresh).run()


def register(group: click.Group) -> None:
    group.add_command(report)
    group.add_command(summaries)
    group.add_command(dashboard)
