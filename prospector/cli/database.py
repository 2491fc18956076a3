"""``prospector db``: moving a team between databases, and checking one."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime

import click

from prospector.cli.context import (
    AppContext,
    at_option,
    echo_json,
    json_option,
    pass_app,
    stderr_bar,
)
from prospector.foundations.db import open_database
from prospector.services import database_check, database_copy
from prospector.services.database_copy import CopyMismatch, TableCheck


@click.group("db")
def db_group() -> None:
    """Move a team to another database (SQLite or PostgreSQL) and check a database."""


@db_group.command("copy")
@click.argument("source", metavar="SRC")
@click.argument("target", metavar="DST")
@click.option("--force", is_flag=True, help="Replace a target that already holds a team.")
@json_option
def copy(source: str, target: str, force: bool, as_json: bool) -> None:
    """Copy the whole team in SRC into DST, then verify every table's rows.

    SRC and DST are SQLite files or postgresql:// URLs, in any combination. DST is
    created or upgraded first; one that already holds a team is refused unless
    --force. Ids and the database id are kept, so the CRM's external ids still
    match. Exit 1 when the copy does not match its source (nothing is kept).
    --json prints {"source", "target", "database_id", "rows", "ok", "tables":
    [{"table", "rows", "source_rows", "ok"}]}.
    """
    with ExitStack() as stack:
        src = stack.enter_context(open_database(source, create=False))
        dst = stack.enter_context(open_database(target, create=True))
        try:
            with _progress() as progress:
                report = database_copy.copy_database(src, dst, force=force, progress=progress)
        except CopyMismatch as mismatch:
            _print_tables(mismatch.tables, as_json=as_json, source=src.path, target=dst.path)
            raise
    if as_json:
        echo_json(
            {
                "source": report.source,
                "target": report.target,
                "database_id": report.database_id,
                "rows": report.rows,
                "ok": report.ok,
                "tables": [_table_json(check) for check in report.tables],
            }
        )
        return
    _print_tables(report.tables, as_json=False)
    click.echo(
        f"copied {report.rows} rows from {report.source} to {report.target}"
        f" (database id {report.database_id})"
    )


def _print_tables(
    tables: tuple[TableCheck, ...], *, as_json: bool, source: str = "", target: str = ""
) -> None:
    if as_json:
        echo_json(
            {
                "source": source,
                "target": target,
                "ok": False,
                "tables": [_table_json(check) for check in tables],
            }
        )
        return
    width = max(len(check.table) for check in tables)
    click.echo(f"{'table':<{width}}  {'rows':>9}  checksum")
    for check in tables:
        verdict = "ok" if check.ok else f"DIFFERS (source {check.source_rows} rows)"
        click.echo(f"{check.table:<{width}}  {check.target_rows:>9}  {verdict}")


def _table_json(check: TableCheck) -> dict[str, object]:
    return {
        "table": check.table,
        "rows": check.target_rows,
        "source_rows": check.source_rows,
        "ok": check.ok,
    }


@contextmanager
def _progress() -> Iterator[database_copy.Progress | None]:
    """A rich progress bar per table on a terminal (stderr); nothing otherwise."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn

    with stderr_bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()) as shown:
        if shown is None:
            yield None
            return
        bar, task = shown

        def update(step: str, table: str, done: int, total: int) -> None:
            bar.update(task, description=f"{step} {table}", completed=done, total=total)

        yield update


@db_group.command("check")
@at_option
@json_option
@pass_app
@click.pass_context
def check(ctx: click.Context, app: AppContext, at: datetime | None, as_json: bool) -> None:
    """Report the database's backend, schema, size and claim health.

    Exit status 0 when all is well, 1 when something needs a person (a schema
    behind this Prospector's, claims held by a rep the team does not know).
    --json prints {"backend", "path", "schema", "schema_latest", "database_id",
    "size_bytes", "rows", "claims": {"held", "expired", "dialed_undispositioned",
    "unknown_rep"}, "problems", "ok"}.
    """
    with app.open_db() as db:
        found = database_check.check_database(db, now=app.clock(at)())
    claims = found.claims
    if as_json:
        echo_json(dataclasses.asdict(found) | {"ok": found.ok})
    else:
        current = "current" if found.schema == found.schema_latest else "BEHIND"
        lines = [
            ("backend", found.backend),
            ("database", found.path),
            ("schema", f"{found.schema} ({current})"),
            ("database id", found.database_id),
            ("size", _size(found.size_bytes)),
            *((f"  {table}", f"{count} rows") for table, count in found.rows.items()),
            ("claims held", str(claims.held)),
            ("leases expired", f"{claims.expired} (not yet returned)"),
            ("dials open", f"{claims.dialed_undispositioned} (dialed, no disposition yet)"),
            ("unknown reps", f"{claims.unknown_rep} (claims by a rep not in reps)"),
            ("verdict", "ok" if found.ok else "; ".join(found.problems)),
        ]
        for label, value in lines:
            click.echo(f"{label:<18}{value}")
    ctx.exit(0 if found.ok else 1)


def _size(size: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    raise AssertionError("unreachable")


def register(group: click.Group) -> None:
    group.add_command(db_group)
