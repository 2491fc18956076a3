"""Importing lists: a CSV file of contacts (with their companies) into the database.

``import_file`` reads the file (:mod:`.reader`), normalizes rows in worker
processes when the file is large (:mod:`.rows`: phones, zones, domains) and
writes them in the importing process (:mod:`.writer`), one transaction per chunk
of rows.

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
import csv
import hashlib
import multiprocessing
import os
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database
from prospector.foundations.errors import InputFileError
from prospector.services.importing import rows as row_rules
from prospector.services.importing.reader import (
    TableFile,
    map_header,
    open_table,
    parse_mappings,
)
from prospector.services.importing.rows import Reject, Row, RowRules
from prospector.services.importing.writer import ContactWriter, Counts
from prospector.services.settings import load_settings

__all__ = ["ImportResult", "Progress", "import_file"]

CHUNK_ROWS = 4000
"""Rows per worker task and per transaction."""
PARALLEL_FROM_ROWS = 20_000
"""Smaller files are normalized in-process: starting workers costs more than it saves."""

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

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["batch_id"]
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
) -> ImportResult:
    """Import one list file; every data row is inserted, updated or rejected.

    Args:
        path: the CSV file (UTF-8 with or without BOM, or Windows-1252; comma,
            semicolon, tab or pipe separated).
        source: the lead source for rows whose file has no Source value.
        region: ISO country for numbers without a country code when the row has no
            country (default: the settings' ``team.default_region``).
        mappings: ``{"Header": "field"}`` or ``["Header=field", ...]`` overrides.
        dry_run: count and write the rejects file, but leave the database as it was.
        now: the import's instant (``created_at``, ``next_call_at``, SLA start).
        rep: who imports (kept on the batch record).
        progress: called with ``(rows_done, rows_estimated)`` after each chunk.
        workers: normalizing processes (default: one per CPU; 0 = in-process).

    Raises:
        InputFileError: the file, its header or a ``--map`` cannot be used; nothing
            is written in that case.
    """
    overrides = parse_mappings(mappings)
    table = open_table(path)
    columns = map_header(table, overrides)
    scan = _scan(table.path)
    if scan.rows == 0:
        raise InputFileError(f"{table.path}: row 1: no data rows after the header")
    settings = load_settings(db)
    rules = RowRules(
        columns=columns,
        width=len(table.header),
        default_region=(region or settings.team.default_region).upper(),
        source=source,
    )
    rejects = _RejectsFile(table)
    batch_id = None if dry_run else _start_batch(db, table, scan.sha256, source, rep, now)
    writer = ContactWriter(db, settings, now, batch_id)
    counts = Counts()
    with _bulk_load(db):
        return _run(
            db,
            table,
            rules,
            scan,
            writer,
            rejects,
            counts,
            batch_id,
            dry_run,
            now,
            progress,
            workers,
        )


def _run(
    db, table, rules, scan, writer, rejects, counts, batch_id, dry_run, now, progress, workers
):
    try:
        if dry_run:
            db.execute("BEGIN IMMEDIATE")
        for chunk, results in _normalized_chunks(table, rules, scan.rows, workers):
            raw = dict(chunk)

            def on_reject(reject: Reject, raw: dict[int, list[str]] = raw) -> None:
                rejects.add(raw[reject.number], reject.reason)

            if dry_run:
                counts.add(writer.write_chunk(results, on_reject))
            else:
                with db.write():
                    counts.add(writer.write_chunk(results, on_reject))
                    _record_progress(db, batch_id, counts)
            if progress is not None:
                progress(counts.read, max(scan.rows, counts.read))
        rejects_file = rejects.finish()
    except BaseException as error:
        rejects.discard()
        if dry_run:
            db.conn.rollback()
        elif batch_id is not None:
            _fail_batch(db, batch_id, error)
        raise
    if dry_run:
        db.conn.rollback()
    else:
        with db.write():
            _record_progress(db, batch_id, counts, rejects_file=rejects_file, now=now)
    return ImportResult(**asdict(counts), rejects_file=rejects_file, batch_id=batch_id)


@contextlib.contextmanager
def _bulk_load(db: Database) -> Iterator[None]:
    """Connection settings for the length of an import, restored afterwards.

    Foreign-key checks are off (the writer only references locales, accounts and
    the batch it has just read or written), the page cache is larger, and WAL
    checkpoints are less frequent. Durability is unchanged: every chunk still
    commits under ``synchronous = NORMAL``, so the resumable record stays true.
    """
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("PRAGMA cache_size = -131072")
    db.execute("PRAGMA wal_autocheckpoint = 16384")
    try:
        yield
    finally:
        db.execute("PRAGMA wal_autocheckpoint = 1000")
        db.execute("PRAGMA cache_size = -2000")
        db.execute("PRAGMA foreign_keys = ON")


# --- reading and normalizing ------------------------------------------------------


def _chunks(table: TableFile) -> Iterator[list[tuple[int, list[str]]]]:
    chunk: list[tuple[int, list[str]]] = []
    for item in table.rows():
        chunk.append(item)
        if len(chunk) >= CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _normalized_chunks(
    table: TableFile, rules: RowRules, estimated_rows: int, workers: int | None
) -> Iterator[tuple[list[tuple[int, list[str]]], list[Row | Reject]]]:
    """Chunks of raw rows with their normalized results, in file order."""
    count = (os.cpu_count() or 1) if workers is None else workers
    if count < 1 or estimated_rows < PARALLEL_FROM_ROWS:
        for chunk in _chunks(table):
            yield chunk, row_rules.normalize_chunk(rules, chunk)
        return
    # fork keeps worker start-up cheap; elsewhere, spawn.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    row_rules.warm_up()  # forked workers inherit the phone metadata analysis
    context = multiprocessing.get_context(method)
    with context.Pool(count, initializer=_init_worker, initargs=(rules,)) as pool:
        pending: deque = deque()
        # A bounded window keeps memory flat: the main process writes while the
        # workers normalize the next few chunks.
        window = count * 3
        for chunk in _chunks(table):
            pending.append((chunk, pool.apply_async(_work, (chunk,))))
            if len(pending) >= window:
                done, task = pending.popleft()
                yield done, task.get()
        while pending:
            done, task = pending.popleft()
            yield done, task.get()


_WORKER_RULES: RowRules | None = None


def _init_worker(rules: RowRules) -> None:
    global _WORKER_RULES
    _WORKER_RULES = rules


def _work(chunk: list[tuple[int, list[str]]]) -> list[Row | Reject]:
    assert _WORKER_RULES is not None
    return row_rules.normalize_chunk(_WORKER_RULES, chunk)


@dataclass(frozen=True)
class _Scan:
    sha256: str
    rows: int  # an estimate: lines after the header (quoted newlines count extra)


def _scan(path: Path) -> _Scan:
    digest = hashlib.sha256()
    lines = 0
    last = b""
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            lines += block.count(b"\n")
            last = block[-1:]
    if last and last != b"\n":
        lines += 1
    return _Scan(digest.hexdigest(), max(0, lines - 1))


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
                (str(table.path), row[0]),
            )
            return int(row[0])
        cursor = db.execute(
            """INSERT INTO import_batches (path, file_sha256, source, rep, started_at, status)
               VALUES (?, ?, ?, ?, ?, 'running')""",
            (str(table.path), sha256, source, rep, to_db(now)),
        )
        return int(cursor.lastrowid or 0)


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
               rejected = ?, filtered = ?, dnc = ?, rejects_file = ?,
               status = CASE WHEN ? THEN 'done' ELSE status END,
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
            rejects_file,
            now is not None,
            to_db(now) if now else None,
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


class _RejectsFile:
    """``<stem>.rejects.csv`` beside the input: its columns plus ``reject_reason``.

    Rows go to a temporary file in the same folder, renamed into place at the end,
    so a reader never sees half a rejects file. With no rejects, a stale rejects
    file from an earlier run of the same list is removed.
    """

    def __init__(self, table: TableFile) -> None:
        self.table = table
        self.final = table.path.with_name(f"{table.path.stem}.rejects.csv")
        self._handle: Any = None
        self._writer: Any = None
        self._temp: str | None = None

    def add(self, fields: list[str], reason: str) -> None:
        if self._writer is None:
            fd, self._temp = tempfile.mkstemp(
                prefix=f".{self.final.name}.", dir=self.final.parent, text=True
            )
            self._handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle, delimiter=self.table.delimiter)
            self._writer.writerow([*self.table.header, "reject_reason"])
        width = len(self.table.header)
        padded = [*fields[:width], *([""] * (width - len(fields)))]
        self._writer.writerow([*padded, reason])

    def finish(self) -> str | None:
        if self._handle is None:
            with contextlib.suppress(FileNotFoundError):
                self.final.unlink()
            return None
        self._handle.close()
        assert self._temp is not None
        os.replace(self._temp, self.final)
        self._handle = self._temp = None
        return str(self.final)

    def discard(self) -> None:
        if self._handle is not None:
            self._handle.close()
        if self._temp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._temp)
