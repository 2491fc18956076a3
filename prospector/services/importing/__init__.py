"""Importing lists: a CSV file of contacts (with their companies) into the database.

``import_file`` sniffs the file (:mod:`.reader`) and cuts it into byte ranges
(:mod:`.ranges`). When the file is large, worker processes each read, parse and
normalize ranges (:mod:`.rows`: phones, zones, domains, profile keys) and send
back rows ready to insert; the importing process only decides insert or merge
and writes (:mod:`.writer`), one transaction per chunk of rows.

Interruptions. Each run has a record in ``import_batches`` (file hash, status
``running``/``done``/``failed``, ``rows_committed``, counts), updated in the same
transaction as each chunk it describes, so the database always says how far a
run got. Running the same file again (same SHA-256) after a crash or a failure
*resumes that batch*: the file is read from the top again, and because an import
is idempotent (contacts matched by E.164/email, fields only set when they differ)
the rows already committed change nothing, while the rest are written. Contacts
the interrupted run inserted carry its batch id, so they are counted as inserted
again and the finished record reads exactly as an uninterrupted run would have.
The rejects file is written once at the end (temporary file, then rename).

``dry_run`` does all of it inside one transaction that is rolled back: counts and
the rejects file are real, the database is left untouched.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import multiprocessing
import os
import pickle
import signal
import sqlite3
import sys
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from itertools import pairwise
from typing import Any

from prospector.foundations.clock import to_db, to_db_or_none
from prospector.foundations.db import Database
from prospector.foundations.errors import DatabaseError, InputFileError
from prospector.foundations.limits import check_region
from prospector.services.importing import indexes
from prospector.services.importing import rows as row_rules
from prospector.services.importing.columns import (
    ColumnUse,
    parse_mappings,
    plan_columns,
)
from prospector.services.importing.formats import opened_list
from prospector.services.importing.profiles import ProfileKeys
from prospector.services.importing.ranges import FileScan, scan_file
from prospector.services.importing.reader import TableFile
from prospector.services.importing.rejects import RejectsFile, rejects_path
from prospector.services.importing.rows import RangeResult, Reject, RowRules
from prospector.services.importing.writer import ContactWriter, Counts
from prospector.services.settings import load_settings

__all__ = ["ImportResult", "Progress", "import_file"]

CHUNK_ROWS = 50_000
"""Rows per transaction. Large: each commit writes every index page the chunk
dirtied to the WAL, and random keys (phone, email, account) dirty most of them,
so fewer, larger commits write far less. A chunk holds the lock about a second."""
FIRST_CHUNK_ROWS = 5000
"""Rows of the first transaction: the writer starts on the workers' first ranges
instead of waiting for a whole chunk of them (the importing process is the one
that sets the pace: its idle start is time lost)."""
PARALLEL_FROM_ROWS = 20_000
"""Smaller files are normalized in-process: starting workers costs more than it saves."""
SEQUENTIAL_ROWS = 5000
"""Rows per normalizing step when a malformed file must be read in order."""

Progress = Callable[[int, int], None]
"""``progress(rows_done, rows_estimated)``, called after each chunk."""


@dataclass(frozen=True)
class ImportResult:
    """What an import did (DESIGN §5's ``--json`` keys, plus the batch id)."""

    read: int
    inserted: int
    updated: int
    rejected: int
    filtered: int
    dnc: int
    rejects_file: str | None
    batch_id: int | None = None
    toll_free: int = 0  # rows whose dialled number is toll-free or non-geographic
    warnings: tuple[str, ...] = ()  # "line N: text": what was kept, skipped or guessed
    columns: tuple[ColumnUse, ...] = ()  # a dry run's: what each column of the file became

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["batch_id"]
        data["columns"] = [use.as_json() for use in self.columns]
        if not self.columns:
            del data["columns"]
        return data


def import_file(
    db: Database,
    path: str | os.PathLike[str],
    *,
    source: str | None = None,
    region: str | None = None,
    mappings: dict[str, str] | list[str] | tuple[str, ...] = (),
    dry_run: bool = False,
    now: datetime,
    rep: str,
    progress: Progress | None = None,
    workers: int | None = None,
    rejects: str | os.PathLike[str] | None = None,
    sheet: str | None = None,
) -> ImportResult:
    """Import one list file; every data row is inserted, updated or rejected.

    Args:
        path: the list: a CSV file (UTF-8 with or without BOM, Windows-1252, or
            UTF-16 with a BOM; comma, semicolon, tab or pipe separated) or a
            spreadsheet (.xlsx, .xls, .ods; see :mod:`.formats`).
        source: the lead source for rows whose file has no Source value.
        region: ISO country for numbers without a country code when the row has no
            country (default: the settings' ``team.default_region``).
        mappings: ``{"Header": "field"}`` or ``["Header=field", ...]`` overrides.
        dry_run: count and write the rejects file, but leave the database as it was.
        now: the import's instant (``created_at``, ``next_call_at``, SLA start).
        rep: who imports (kept on the batch record).
        progress: called with ``(rows_done, rows_estimated)`` after each chunk.
        workers: normalizing processes (default: one per CPU; 0 = in-process).
        rejects: where the rejects file goes (default: beside the list, else a
            writable folder; see :func:`.rejects.rejects_path`).
        sheet: the spreadsheet's sheet to read (default: the first).

    Raises:
        InputFileError: the file, its header, a ``--map`` or ``rejects`` cannot be
            used; nothing is written in that case.
        ProspectorError: ``region`` is not a country phonenumbers knows.
    """
    overrides = parse_mappings(mappings)
    if region is not None:
        region = check_region(region, "--region")
    with opened_list(path, sheet=sheet) as table:
        return _import_table(
            db, table, overrides, source, region, dry_run, now, rep, progress, workers, rejects
        )


def _import_table(
    db, table, overrides, source, region, dry_run, now, rep, progress, workers, rejects
) -> ImportResult:
    settings = load_settings(db)
    plan = plan_columns(table, overrides, settings.import_columns)
    columns = plan.fields
    scan = scan_file(table.path, table=table)
    table = replace(table, footer_line=scan.footer_line)
    if scan.rows == 0:
        raise InputFileError(f"{table.origin}: row 1: no data rows after the header")
    rules = RowRules(
        columns=columns,
        width=len(table.header),
        default_region=(region or settings.team.default_region).upper(),
        keys=ProfileKeys(settings),
        source=source,
        headers=tuple(table.header),
        team_zone=settings.team.timezone,
    )
    db.check_writable()  # a dry run writes too, inside the transaction it rolls back
    phone_columns = [column.column for column in rules.phone_columns]
    rejects_file = RejectsFile(table, rejects_path(table.origin, rejects), phone_columns)
    sha256 = table.original_sha256 or scan.sha256
    batch_id = None if dry_run else _start_batch(db, table, sha256, source, rep, now)
    writer = ContactWriter(db, settings, now, batch_id)
    counts = Counts()
    with _bulk_load(db):
        result = _run(
            db,
            table,
            rules,
            scan,
            writer,
            rejects_file,
            counts,
            batch_id,
            dry_run,
            now,
            progress,
            workers,
        )
    return replace(result, columns=plan.uses) if dry_run else result


class _DryRunDone(Exception):
    """Ends a dry run's transaction: ``db.write()`` rolls it back."""


def _run(
    db, table, rules, scan, writer, rejects, counts, batch_id, dry_run, now, progress, workers
):
    def on_reject(reject: Reject) -> None:
        rejects.add(reject.fields, reject.reason)

    def write_all() -> str | None:
        for chunk, lines in _chunks(_normalized(table, rules, scan, workers), CHUNK_ROWS):
            try:
                if dry_run:
                    counts.add(writer.write_chunk(chunk, on_reject, lines))
                else:
                    with db.write():
                        counts.add(writer.write_chunk(chunk, on_reject, lines))
                        _record_progress(db, batch_id, counts)
                        db.dialect.ids_taken(db, "accounts", "contacts")
            except sqlite3.IntegrityError as error:
                # The writer's view of existing phones missed a change another process
                # made (see .writer); the chunk was rolled back, a new run starts afresh.
                raise DatabaseError(
                    f"{table.origin}: contacts changed under the import ({error});"
                    " run it again to resume"
                ) from error
            if progress is not None:
                progress(counts.read, max(scan.rows, counts.read))
        return rejects.finish()

    try:
        if dry_run:
            with contextlib.suppress(_DryRunDone), db.write():
                rejects_file = write_all()
                raise _DryRunDone  # the database is left as it was
        else:
            with db.write():
                indexes.restore(db)  # what an import that died left deferred
                existing = db.one("SELECT count(*) FROM contacts")
                if indexes.should_defer(existing[0] if existing else 0, scan.rows):
                    indexes.defer(db)
            rejects_file = write_all()
    except BaseException as error:
        rejects.discard()
        if batch_id is not None:
            _fail_batch(db, batch_id, error)
            with contextlib.suppress(Exception), db.write():
                indexes.restore(db)
        raise
    if not dry_run:
        released = writer.release()
        try:
            with db.write():
                indexes.restore(db)
                _record_progress(db, batch_id, counts, rejects_file=rejects_file, now=now)
        finally:
            released.join()
    return ImportResult(
        **{name: value for name, value in asdict(counts).items() if name != "warnings"},
        warnings=tuple(counts.warnings),
        rejects_file=rejects_file,
        batch_id=batch_id,
    )


@contextlib.contextmanager
def _bulk_load(db: Database) -> Iterator[None]:
    """Settings for the length of an import, restored afterwards: the connection's
    (``db.dialect.bulk_load``), and Python's cyclic garbage collector rests.

    The writer's maps of every known phone and email hold millions of objects, which
    each cyclic collection would walk again (a fifth of an import's time); an import
    makes no reference cycles worth collecting before it ends.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        with db.dialect.bulk_load(db):
            yield
    finally:
        if collecting:
            gc.enable()


# --- reading and normalizing ------------------------------------------------------


def _chunks(
    parts: Iterator[tuple[list[tuple], list[int]]], size: int
) -> Iterator[tuple[list[tuple], list[int]]]:
    """The rows of ``parts`` (with their line numbers) again, ``size`` at a time but
    the first chunk, of :data:`FIRST_CHUNK_ROWS`."""
    buffer: list[tuple] = []
    numbers: list[int] = []
    want = min(FIRST_CHUNK_ROWS, size)
    for part, lines in parts:
        buffer.extend(part)
        numbers.extend(lines)
        while len(buffer) >= want:
            yield buffer[:want], numbers[:want]
            buffer, numbers = buffer[want:], numbers[want:]
            want = size
    if buffer:
        yield buffer, numbers


def _normalized(
    table: TableFile, rules: RowRules, scan: FileScan, workers: int | None
) -> Iterator[tuple[list[tuple], list[int]]]:
    """Every row's result (a row tuple or a :class:`Reject`) and line, in file order, in parts.

    A range is used only when the one before it ended cleanly (see :mod:`.ranges`):
    past a range that did not, or one the CSV reader failed on, the rest of the file
    is read in order, which is exact whatever the file holds.
    """
    spans = list(pairwise(scan.bounds))
    lines_before = 0
    for (start, _end), result in zip(
        spans, _range_results(table, rules, scan, workers), strict=True
    ):
        if result.error is not None or not result.clean:
            yield from _in_order(table, rules, start, lines_before)
            return
        items, numbers = result.items, result.numbers
        if lines_before:
            numbers = [number + lines_before for number in numbers]
            if result.rejects:
                items = list(items)
                for index in result.rejects:
                    number, reason, fields = items[index]
                    items[index] = Reject(number + lines_before, reason, fields)
        yield items, numbers
        lines_before += result.lines


def _range_results(
    table: TableFile, rules: RowRules, scan: FileScan, workers: int | None
) -> Iterator[RangeResult]:
    spans = list(pairwise(scan.bounds))
    tasks = [(start, end, index == len(spans) - 1) for index, (start, end) in enumerate(spans)]
    count = (os.cpu_count() or 1) if workers is None else workers
    if count < 1 or scan.rows < PARALLEL_FROM_ROWS or len(tasks) < 2:
        for task in tasks:
            yield row_rules.normalize_range(rules, table, *task)
        return
    # fork keeps worker start-up cheap; elsewhere, spawn.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    row_rules.warm_up(rules)  # forked workers inherit the phone metadata analysis
    context = multiprocessing.get_context(method)
    with context.Pool(count, initializer=_init_worker, initargs=(rules, table)) as pool:
        pending: deque = deque()
        # A bounded window keeps memory flat while letting the workers run ahead of a
        # commit. Results arrive as bytes and are unpacked here, between writes: were
        # the pool's result thread to unpack them, it would hold the GIL while this
        # thread waits for it after each row of an executemany.
        window = count * 4 + 8
        for task in tasks:
            pending.append(pool.apply_async(_work, task))
            if len(pending) >= window:
                yield _loaded(pending.popleft().get())
        while pending:
            yield _loaded(pending.popleft().get())


def _in_order(
    table: TableFile, rules: RowRules, start: int, lines_before: int
) -> Iterator[tuple[list[tuple], list[int]]]:
    """The rows from byte ``start`` (a record start) to the end, read sequentially."""
    chunk: list[tuple[int, list[str]]] = []
    for item in table.rows(start, lines_before):
        chunk.append(item)
        if len(chunk) >= SEQUENTIAL_ROWS:
            yield row_rules.normalize_chunk(rules, chunk), [number for number, _ in chunk]
            chunk = []
    if chunk:
        yield row_rules.normalize_chunk(rules, chunk), [number for number, _ in chunk]


_WORKER: tuple[RowRules, TableFile] | None = None


def _init_worker(rules: RowRules, table: TableFile) -> None:
    global _WORKER
    # Ctrl-C reaches the whole process group: the importing process stops the run
    # (and the pool); a worker must not die on it with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()  # as in the importing process (see _bulk_load); a worker ends with the import
    # The importing process is the one that cannot be spread over cores (one SQLite
    # writer): with fewer cores than processes, it goes first.
    with contextlib.suppress(OSError):
        os.nice(5)
    _WORKER = (rules, table)


def _work(start: int, end: int, last: bool) -> tuple[bool, bytes]:
    """A range's :class:`RangeResult` as ``(marshalled, bytes)``.

    Rows are tuples of text, numbers and None, which marshal writes in half the
    time pickle takes (objects shared between rows stay shared); a Reject, a
    named tuple, travels as a plain one. Pickle serves should a value marshal
    cannot write ever turn up.
    """
    assert _WORKER is not None
    rules, table = _WORKER
    result = row_rules.normalize_range(rules, table, start, end, last)
    items = result.items
    if result.rejects:
        items = list(items)
        for index in result.rejects:
            items[index] = tuple(items[index])
    fields = (items, result.rejects, result.lines, result.clean, result.error, result.numbers)
    try:
        return True, marshal.dumps(fields)
    except ValueError:
        return False, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def _loaded(sent: tuple[bool, bytes]) -> RangeResult:
    """What :func:`_work` sent, as the :class:`RangeResult` it was."""
    marshalled, data = sent
    if not marshalled:
        return pickle.loads(data)
    items, rejects, lines, clean, error, numbers = marshal.loads(data)
    for index in rejects:
        items[index] = Reject(*items[index])
    return RangeResult(items, rejects, lines, clean, error, numbers)


# --- the batch record ----------------------------------------------------------------


def _start_batch(
    db: Database, table: TableFile, sha256: str, source: str | None, rep: str, now: datetime
) -> int:
    """The batch to write under: an interrupted one for the same file, else a new one."""
    with db.write():
        row = db.one(
            """SELECT id FROM import_batches WHERE file_sha256 = ? AND status != 'done'
               ORDER BY id DESC LIMIT 1""",
            (sha256,),
        )
        if row is not None:
            db.execute(
                "UPDATE import_batches SET status = 'running', error = NULL, path = ? WHERE id = ?",
                (str(table.origin), row[0]),
            )
            return int(row[0])
        return db.insert(
            """INSERT INTO import_batches (path, file_sha256, source, rep, started_at, status)
               VALUES (?, ?, ?, ?, ?, 'running')""",
            (str(table.origin), sha256, source, rep, to_db(now)),
        )


def _record_progress(
    db: Database,
    batch_id: int | None,
    counts: Counts,
    *,
    rejects_file: str | None = None,
    now: datetime | None = None,
) -> None:
    db.execute(
        """UPDATE import_batches SET rows_committed = ?, read = ?, inserted = ?, updated = ?,
               rejected = ?, filtered = ?, dnc = ?, toll_free = ?, warnings = ?,
               rejects_file = ?,
               status = CASE WHEN ? = 1 THEN 'done' ELSE status END,
               finished_at = coalesce(?, finished_at)
           WHERE id = ?""",
        (
            counts.read,
            counts.read,
            counts.inserted,
            counts.updated,
            counts.rejected,
            counts.filtered,
            counts.dnc,
            counts.toll_free,
            len(counts.warnings),
            rejects_file,
            int(now is not None),
            to_db_or_none(now),
            batch_id,
        ),
    )


def _fail_batch(db: Database, batch_id: int, error: BaseException) -> None:
    with contextlib.suppress(Exception):
        if db.conn.in_transaction:
            db.conn.rollback()
        with db.write():
            db.execute(
                "UPDATE import_batches SET status = 'failed', error = ? WHERE id = ?",
                (f"{type(error).__name__}: {error}"[:500], batch_id),
            )


# --- rejects ---------------------------------------------------------------------------
