"""A batch's files in the output folder: all of them or none, and no leftovers.

A new batch's files are written inside the batch's transaction, in this order:

1. every file goes to a hidden temporary (0600, flushed to disk);
2. a *journal*, ``.prospector-batch-<N>.<token>.journal``, names the database,
   the batch (number, target, creation stamp) and its files;
3. the temporaries are renamed into place, one after the other;
4. the transaction commits (the batch exists, its handoffs are exported);
5. the journal is removed.

A process killed anywhere in between leaves temporaries, or visible files of a
batch the database never recorded (its handoffs are still pending), or a journal
of a recorded batch. The next export into the folder, as soon as no live writer
holds it (:mod:`prospector.foundations.leftovers`), sets it right before writing
anything: a journal of *this* database whose batch it does not have takes its
files with it; a journal of a batch it has just goes; every temporary of ours
goes. Nothing else is touched: visible files with no journal are the user's (an
earlier batch, another database's, a re-initialized team's), and a journal of
another database is left to that database's next export.

Rewriting an earlier batch writes every temporary first, then renames them
together; it has no journal, since the files it replaces are the same bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

from prospector.foundations.db import Database, database_id
from prospector.foundations.leftovers import (
    FolderHold,
    make_temp,
    remove_matching,
    sync_directory,
    temp_pattern,
)
from prospector.services.export import (
    csvfile,
    hubspot,
    jsonl,
    salesforce_leads,
    salesforce_linked,
)
from prospector.services.export.safe_csv import ExportWriteError

SUFFIXES: dict[str, tuple[str, ...]] = {
    "salesforce": salesforce_linked.SUFFIXES,
    "salesforce-leads": salesforce_leads.SUFFIXES,
    "hubspot": hubspot.SUFFIXES,
    "csv": csvfile.SUFFIXES,
    "jsonl": jsonl.SUFFIXES,
}

_ENDINGS = [f"{format}{suffix}" for format, ends in SUFFIXES.items() for suffix in ends]
BATCH_FILE = re.compile(r"prospector-batch-(\d+)-(?:" + "|".join(map(re.escape, _ENDINGS)) + ")")
"""Every name an export file can have."""
JOURNAL = re.compile(r"\.prospector-batch-(\d+)\.[0-9a-f]{8}\.journal")
LEFTOVER_TEMPS = (temp_pattern(BATCH_FILE.pattern), temp_pattern(JOURNAL.pattern))


def file_name(batch: int, format: str, suffix: str) -> str:
    """``prospector-batch-<N>-<format><suffix>``, e.g. ``...-3-salesforce-accounts.csv``."""
    return f"prospector-batch-{batch}-{format}{suffix}"


def journal_path(out: Path, batch: int) -> Path:
    """A new journal's name: its own token, so no two runs ever share one."""
    return out / f".prospector-batch-{batch}.{secrets.token_hex(4)}.journal"


def database_name(db: Database) -> str:
    """How a journal names its database: the database's own id, the same from every
    machine, path or URL the team reaches it by (and after ``db copy``)."""
    return database_id(db)


def _names_this_database(db: Database, name: object) -> bool:
    # Journals written before the id named the database by its file's resolved path.
    return name == database_name(db) or name == os.path.realpath(db.path)


class BatchFiles:
    """One batch's files in ``out``: staged, published together, or undone."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._staged: list[tuple[str, Path]] = []
        self._published: list[Path] = []
        self._journal: Path | None = None

    def stage(self, files: Iterable[tuple[str, bytes]]) -> None:
        """Write every ``(name, data)`` to its temporary. Raises ExportWriteError."""
        for name, data in files:
            self._staged.append(_write_temp(self.out / name, data))

    def journal(self, db: Database, *, batch: int, target: str, created_at: str) -> None:
        """Record, durably, which files a batch not yet committed is about to show."""
        path = journal_path(self.out, batch)
        record = {
            "database": database_name(db),
            "batch": batch,
            "target": target,
            "created_at": created_at,
            "files": [final.name for _, final in self._staged],
        }
        temp, _ = _write_temp(path, json.dumps(record).encode("utf-8"))
        try:
            _rename(temp, path)
        except ExportWriteError:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        self._journal = path
        sync_directory(self.out)  # the journal is on disk before any file shows

    def publish(self) -> list[str]:
        """Rename every staged file into place; returns their paths."""
        for temp, target in self._staged:
            _rename(temp, target)
            self._published.append(target)
        sync_directory(self.out)
        return [os.fspath(target) for target in self._published]

    def settle(self) -> None:
        """The batch is committed: its journal has done its work."""
        if self._journal is not None:
            # Left behind (a folder made read-only meanwhile), the next export removes it.
            with contextlib.suppress(OSError):
                self._journal.unlink()
            self._journal = None

    def undo(self) -> None:
        """Nothing was committed: remove the temporaries and, if journaled, the files."""
        for temp, _ in self._staged:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        if self._journal is not None:
            for target in self._published:
                with contextlib.suppress(OSError):
                    target.unlink()
            with contextlib.suppress(OSError):
                self._journal.unlink()
            self._journal = None
            sync_directory(self.out)


def clean_folder(db: Database, hold: FolderHold) -> None:
    """Set right what killed exports left in ``hold``'s folder, if nobody is writing there.

    Then hold the folder as a writer (shared) until ``hold`` is released.
    """
    try:
        if hold.alone():
            for name in sorted(_names(hold.directory)):
                if JOURNAL.fullmatch(name):
                    _settle_journal(db, hold.directory / name)
            remove_matching(
                hold.directory,
                lambda name: any(pattern.fullmatch(name) for pattern in LEFTOVER_TEMPS),
            )
            sync_directory(hold.directory)
    finally:
        hold.share()


def _names(directory: Path) -> list[str]:
    try:
        return os.listdir(directory)
    except OSError:
        return []


def _settle_journal(db: Database, path: Path) -> None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        batch = int(record["batch"])
        files = [str(name) for name in record["files"]]
        database, target, created_at = record["database"], record["target"], record["created_at"]
    except (OSError, ValueError, KeyError, TypeError):
        return  # not a journal we wrote whole: leave it and everything else alone
    named = JOURNAL.fullmatch(path.name)
    if not _names_this_database(db, database) or named is None or int(named[1]) != batch:
        return  # another database's batch: that database knows whether it committed
    recorded = db.one(
        "SELECT 1 FROM export_batches WHERE id = ? AND target = ? AND created_at = ?",
        (batch, target, created_at),
    )
    if recorded is None:
        for name in files:
            match = BATCH_FILE.fullmatch(name)
            if match is not None and int(match[1]) == batch:
                with contextlib.suppress(FileNotFoundError):
                    (path.parent / name).unlink()
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _write_temp(target: Path, data: bytes) -> tuple[str, Path]:
    try:
        # O_EXCL and 0600: private from its first moment.
        fd, temp = make_temp(target)
    except OSError as error:
        raise ExportWriteError(f"{target}: cannot be written ({error.strerror})") from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise ExportWriteError(f"{target}: cannot be written ({error.strerror})") from error
    return temp, target


def _rename(temp: str, target: Path) -> None:
    try:
        os.replace(temp, target)
    except OSError as error:
        raise ExportWriteError(f"{target}: cannot be written ({error.strerror})") from error
