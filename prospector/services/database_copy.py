"""Moving a team: every row of one Prospector database into another, then checked.

The source is read in one snapshot and the target written in one transaction, so
the copy is all of the team at one moment or nothing: a refusal, an error or a
checksum that does not match rolls the target back. Rows keep their ids (the
external ids a CRM holds are built from them and from the database id, which the
copy keeps too: the copy *is* the same team). Rows are streamed in chunks, so a
million contacts never sit in memory at once.

The cohort tables are kept by triggers as contacts and handoffs are inserted; the
copy inserts everything, then replaces what the triggers counted with the source's
own rows, so nothing is counted twice.

``deferred_indexes`` is not copied: it records which indexes an import dropped in
the *source* file, and the target is built with every index in place.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from prospector.foundations.db import BOOKKEEPING_META, Database, database_id
from prospector.foundations.errors import ProspectorError


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]
    """The primary key: rows are copied and checksummed in its order."""
    where: str = ""
    """Which rows are the team's (all when empty)."""


TABLES: tuple[Table, ...] = (
    Table("settings", ("id",)),
    Table("audit_log", ("id",)),
    Table("reps", ("name",)),
    Table("rep_states", ("rep", "started_at")),
    Table("import_batches", ("id",)),
    Table("accounts", ("id",)),
    Table("locales", ("id",)),
    Table("contacts", ("id",)),
    Table("contact_phones", ("contact_id", "e164")),
    Table("dnc_numbers", ("phone",)),
    Table("calls", ("id",)),
    Table("call_events", ("contact_id",)),
    Table("call_tags", ("call_id", "tag")),
    Table("drafts", ("rep", "contact_id")),
    Table("export_batches", ("id",)),
    Table("handoffs", ("id",)),
    Table("handoff_answers", ("id",)),
    Table("export_items", ("batch_id", "handoff_id")),
    Table("call_stats_daily", ("team_day", "rep", "source", "attempt")),
    Table("call_stats_hourly", ("hour_at", "rep")),
    Table("lead_segments", ("received_day", "industry", "employee_band", "source", "list_name")),
    Table("lead_speed", ("received_day", "tier", "speed_floor")),
    Table("lead_sources", ("received_day", "source", "tier")),
    Table(
        "prospector_meta",
        ("key",),
        where=f"key NOT IN ({', '.join(repr(key) for key in BOOKKEEPING_META)})",
    ),
)
"""Every table of the team, parents before the rows that refer to them."""

COHORTS = frozenset({"lead_segments", "lead_speed", "lead_sources"})
"""Kept by triggers on contacts and handoffs: replaced by the source's rows after them."""

GUARDED = (
    "contacts", "calls", "handoffs", "settings", "dnc_numbers", "audit_log",
    "accounts", "import_batches", "export_batches", "reps",
)  # fmt: skip
"""A target with a row in any of these holds a team: replaced only with ``force``."""

CHUNK = 5000

Progress = Callable[[str, str, int, int], None]
"""Called as rows go by: ("copying" or "checking", table, rows of it done, rows in all)."""


@dataclass(frozen=True)
class TableCheck:
    """One table compared: its rows on each side and whether their checksums agree."""

    table: str
    source_rows: int
    target_rows: int
    source_sha256: str
    target_sha256: str

    @property
    def ok(self) -> bool:
        return (self.source_rows, self.source_sha256) == (self.target_rows, self.target_sha256)


@dataclass(frozen=True)
class CopyReport:
    source: str
    target: str
    database_id: str
    tables: tuple[TableCheck, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.tables)

    @property
    def rows(self) -> int:
        return sum(check.target_rows for check in self.tables)


class CopyMismatch(ProspectorError):
    """The target's rows differ from the source's; carries every table's comparison."""

    def __init__(self, message: str, tables: tuple[TableCheck, ...]) -> None:
        super().__init__(message)
        self.tables = tables


def copy_database(
    source: Database,
    target: Database,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> CopyReport:
    """Copy every team row of ``source`` into ``target``, then verify both agree.

    Both must be open at the current schema. The target is written in one transaction:
    on any error, refusal or mismatch it is left as it was.

    Args:
        force: replace a target that already holds a team (its rows are deleted in
            the same transaction).
        progress: called as rows are copied.

    Returns:
        The per-table comparison (all ok).

    Raises:
        ProspectorError: source and target are one database; the target holds a
            team and ``force`` is False; the target is read-only.
        CopyMismatch: the rows written differ from the source's (nothing kept).
    """
    if source.same_as(target):
        raise ProspectorError("the source and the target are the same database")
    target.check_writable()
    columns = {table.name: _columns(source, target, table.name) for table in TABLES}
    with source.snapshot(), target.write():
        occupied = [name for name in GUARDED if target.one(f"SELECT 1 FROM {name} LIMIT 1")]
        if occupied and not force:
            raise ProspectorError(
                f"{target.path} already holds a team (rows in {', '.join(occupied)});"
                " --force replaces it"
            )
        for table in reversed(TABLES):
            target.execute(f"DELETE FROM {table.name}{_where(table)}")
        sums: dict[str, tuple[int, str]] = {}
        for table in TABLES:
            if table.name in COHORTS:
                target.execute(f"DELETE FROM {table.name}")  # what the triggers counted
            sums[table.name] = _copy_table(source, target, table, columns[table.name], progress)
            if table.key == ("id",):
                target.dialect.ids_taken(target, table.name)
        checks = tuple(
            _check(
                table.name,
                sums[table.name],
                table_checksum(target, table, columns[table.name], progress, sums[table.name][0]),
            )
            for table in TABLES
        )
        report = CopyReport(source.path, target.path, database_id(source), checks)
        if not report.ok:
            failed = ", ".join(check.table for check in checks if not check.ok)
            raise CopyMismatch(
                f"the copy does not match its source ({failed}); nothing was written", checks
            )
    return report


def verify_copy(source: Database, target: Database) -> tuple[TableCheck, ...]:
    """Compare every team table of two databases: row counts and checksums.

    Each side is read in one snapshot of its own.
    """
    found: list[dict[str, tuple[int, str]]] = []
    columns = {table.name: _columns(source, target, table.name) for table in TABLES}
    for db in (source, target):
        with db.snapshot():
            found.append(
                {table.name: table_checksum(db, table, columns[table.name]) for table in TABLES}
            )
    return tuple(_check(table.name, found[0][table.name], found[1][table.name]) for table in TABLES)


def table_checksum(
    db: Database,
    table: Table,
    columns: list[str],
    progress: Progress | None = None,
    expected: int = 0,
) -> tuple[int, str]:
    """(rows, sha256 of every row's canonical text in primary-key order) of ``table``.

    ``progress`` is told of the rows read, out of ``expected``.
    """
    return _walk(db, table, columns, progress, "checking", expected)


def canonical_row(row: Any) -> bytes:
    """One row as text both backends give alike: a JSON list and a newline."""
    return json.dumps(list(row), ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _copy_table(
    source: Database,
    target: Database,
    table: Table,
    columns: list[str],
    progress: Progress | None,
) -> tuple[int, str]:
    """Insert ``table``'s rows into the target; returns the source's (rows, checksum)."""
    total = 0
    if progress:  # the count is for the bar only: a table's rows are read once more
        total = int(source.one(f"SELECT count(*) FROM {table.name}{_where(table)}")[0])  # type: ignore[index]
        progress("copying", table.name, 0, total)
    return _walk(
        source,
        table,
        columns,
        progress,
        "copying",
        total,
        each_chunk=lambda values: target.insert_rows(table.name, columns, values),
    )


def _walk(
    db: Database,
    table: Table,
    columns: list[str],
    progress: Progress | None,
    step: str,
    expected: int,
    *,
    each_chunk: Callable[[list[tuple]], None] | None = None,
) -> tuple[int, str]:
    """Read ``table`` in key order, handing each chunk to ``each_chunk``; (rows, sha256
    of their canonical text). ``progress`` is told of the rows read for ``step``."""
    digest = hashlib.sha256()
    count = 0
    for chunk in _read(db, table, columns):
        values = [tuple(row) for row in chunk]
        if each_chunk:
            each_chunk(values)
        for row in values:
            digest.update(canonical_row(row))
        count += len(values)
        if progress:
            progress(step, table.name, count, expected)
    return count, digest.hexdigest()


def _read(db: Database, table: Table, columns: list[str]) -> Iterator[list[Any]]:
    names = ", ".join(f'"{column}"' for column in columns)
    order = ", ".join(f'"{column}"' for column in table.key)
    return db.stream(
        f"SELECT {names} FROM {table.name}{_where(table)} ORDER BY {order}", size=CHUNK
    )


def _where(table: Table) -> str:
    return f" WHERE {table.where}" if table.where else ""


def _columns(source: Database, target: Database, table: str) -> list[str]:
    """The table's columns, in the target's order; both sides must have the same."""
    mine = _column_names(target, table)
    if sorted(mine) != sorted(_column_names(source, table)):
        raise ProspectorError(f"{table}: the source and the target have different columns")
    return mine


def _column_names(db: Database, table: str) -> list[str]:
    cursor = db.execute(f"SELECT * FROM {table} WHERE 1 = 0")
    names = [str(column[0]) for column in cursor.description]
    cursor.fetchall()
    return names


def _check(table: str, source: tuple[int, str], target: tuple[int, str]) -> TableCheck:
    return TableCheck(table, source[0], target[0], source[1], target[1])
