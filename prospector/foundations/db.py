"""Opening Prospector's SQLite file: pragmas, identity check, migrations, retries.

One file holds a team's data. Several reps (processes) use it at once, so it runs
in WAL mode with a busy timeout, and every write transaction starts with
``BEGIN IMMEDIATE`` so that lock waits happen up front, where they can be retried.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from prospector.foundations.errors import DatabaseError
from prospector.foundations.migrations import MIGRATIONS

APPLICATION_ID = 0x50525350  # "PRSP": marks the file as Prospector's
BUSY_TIMEOUT_MS = 10_000
T = TypeVar("T")

if TYPE_CHECKING:
    import sqlite_utils


class Database:
    """A Prospector database: a configured :class:`sqlite3.Connection` plus helpers.

    ``db.conn`` is the raw connection (autocommit mode: transactions are explicit);
    ``db.utils`` is a :class:`sqlite_utils.Database` over the same connection.
    """

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._utils: sqlite_utils.Database | None = None
        self._checkpointer: _Checkpointer | None = None

    @property
    def utils(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection, imported on first use: it loads
        click, which services and foundations must not pull in."""
        if self._utils is None:
            import sqlite_utils

            self._utils = sqlite_utils.Database(self.conn)
        return self._utils

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction taken with ``BEGIN IMMEDIATE``; commits or rolls back.

        Lock contention past the busy timeout is retried with back-off, so
        "database is locked" never reaches a user. Nesting is not supported.
        """
        _begin_immediate(self.conn)
        try:
            yield self.conn
        except BaseException:
            self.conn.rollback()
            raise
        else:
            self.conn.commit()

    @contextlib.contextmanager
    def write_or_join(self) -> Iterator[sqlite3.Connection]:
        """The caller's open transaction (it commits), else a :meth:`write` of its own.

        For steps that must commit with whatever the caller is writing, such as a
        draft cleared with its call, and stand alone when called on their own.
        """
        if self.conn.in_transaction:
            yield self.conn
        else:
            with self.write() as conn:
                yield conn

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        self.conn.close()

    def checkpoint_in_background(self, interval: float = 2.0) -> None:
        """Move WAL checkpoints off this connection's commits, into a thread.

        SQLite's automatic checkpoint runs inside whichever commit crosses the
        threshold and syncs the file there: a rep's ``log`` would pay tens of
        milliseconds once every few hundred calls. Long-lived sessions (the
        workbench, benchmarks of it) call this; one-shot commands need not, since
        the last connection to close checkpoints anyway.
        """
        if self._checkpointer is not None or self.path == ":memory:":
            return
        self.conn.execute("PRAGMA wal_autocheckpoint = 0")
        self._checkpointer = _Checkpointer(self.path, interval)
        self._checkpointer.start()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Checkpointer(threading.Thread):
    """Runs ``PRAGMA wal_checkpoint(PASSIVE)`` every few seconds on its own connection.

    PASSIVE never waits for readers or writers, so it cannot stall a rep.
    """

    def __init__(self, path: str, interval: float) -> None:
        super().__init__(name="prospector-checkpoint", daemon=True)
        self._path = path
        self._interval = interval
        self._stopped = threading.Event()
        self.last_result: tuple[int, int, int] | None = None
        """(busy, WAL frames, frames checkpointed) of the latest checkpoint."""

    def run(self) -> None:
        conn = _connect(self._path, check_same_thread=True)
        try:
            while not self._stopped.wait(self._interval):
                with contextlib.suppress(sqlite3.OperationalError):
                    row = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    self.last_result = (row[0], row[1], row[2])
        finally:
            conn.close()

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=5)


def _begin_immediate(conn: sqlite3.Connection, attempts: int = 50) -> None:
    delay = 0.01
    for attempt in range(attempts):
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            if attempt == attempts - 1:
                raise DatabaseError(
                    "the database stayed locked by another process; try again"
                ) from error
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def retrying(operation: Callable[[], T], attempts: int = 50) -> T:
    """Run ``operation`` again when SQLite reports a lock (for reads outside ``write``)."""
    delay = 0.01
    for attempt in range(attempts):
        try:
            return operation()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    raise AssertionError("unreachable")


def _connect(path: str, *, check_same_thread: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(
        path,
        isolation_level=None,  # autocommit; write() opens transactions explicitly
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=check_same_thread,
    )
    conn.row_factory = sqlite3.Row
    return conn


def open_database(
    path: str | os.PathLike[str],
    *,
    create: bool = True,
    check_same_thread: bool = True,
) -> Database:
    """Open (creating or upgrading if needed) a Prospector database.

    Args:
        path: the file, or ``":memory:"``.
        create: create the file when missing; otherwise a missing file is an error.
        check_same_thread: pass False for a connection used from worker threads.

    Raises:
        DatabaseError: the file is not Prospector's, comes from a newer version,
            or cannot be opened.
    """
    name = os.fspath(path)
    in_memory = name == ":memory:"
    if not in_memory:
        file = Path(name)
        if file.is_dir():
            raise DatabaseError(f"{name}: is a directory, not a database file")
        if not file.exists():
            if not create:
                raise DatabaseError(f"{name}: no such database (run 'prospector init')")
            file.parent.mkdir(parents=True, exist_ok=True)
            # Created here with 0600 so no moment exists where others could read it.
            fd = os.open(name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
    try:
        conn = _connect(name, check_same_thread=check_same_thread)
        _check_identity(conn, name)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            retrying(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        conn.execute("PRAGMA synchronous = NORMAL")
        _migrate(conn, name)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{name}: not a Prospector database ({error})") from error
    if not in_memory:
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.chmod(name + suffix, 0o600)
    return Database(conn, name)


def _check_identity(conn: sqlite3.Connection, name: str) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id == APPLICATION_ID:
        return
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id != 0 or tables:
        raise DatabaseError(f"{name}: not a Prospector database")


def _migrate(conn: sqlite3.Connection, name: str) -> None:
    latest = len(MIGRATIONS)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > latest:
        raise DatabaseError(
            f"{name}: made by a newer Prospector (schema {version}, this one knows {latest});"
            " upgrade Prospector"
        )
    if version == latest:
        return
    _begin_immediate(conn)
    try:
        # Another process may have migrated while we waited for the lock.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            migration(conn)
            conn.execute(f"PRAGMA user_version = {number}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def schema_version(db: Database) -> int:
    return int(db.one("PRAGMA user_version")[0])  # type: ignore[index]
