"""Opening Prospector's SQLite file: pragmas, identity check, migrations, retries.

One file holds a team's data. Several reps (processes) use it at once, so it runs
in WAL mode with a busy timeout, and every write transaction starts with
``BEGIN IMMEDIATE`` so that lock waits happen up front, where they can be retried.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from prospector.foundations.access import may_write
from prospector.foundations.dialect import POSTGRES, SQLITE, SQLiteDialect
from prospector.foundations.errors import DatabaseError
from prospector.foundations.migrations import MIGRATIONS

APPLICATION_ID = 0x50525350  # "PRSP": marks the file as Prospector's
BUSY_TIMEOUT_MS = 10_000
T = TypeVar("T")


def _null(value: None) -> None:
    return None


# sqlite3 binds str, int, float and bytes directly, but sends every other value
# (None, a bool) through its adapter lookup first, whose misses cost ~0.7 µs a
# parameter: 40% of binding an import's contact rows, which carry several Nones
# each. A registered adapter is a hit. These bind the values as sqlite3 does
# anyway (None as NULL, a bool as 0/1); they serve the whole process.
sqlite3.register_adapter(type(None), _null)
sqlite3.register_adapter(bool, int)

if TYPE_CHECKING:
    import sqlite_utils

    from prospector.foundations.pg import PgConnection


class Database:
    """A Prospector database: a configured :class:`sqlite3.Connection` plus helpers.

    ``db.conn`` is the raw connection (autocommit mode: transactions are explicit);
    ``db.utils`` is a :class:`sqlite_utils.Database` over the same connection.
    ``db.read_only`` is True when the file was opened for reading only.
    ``db.dialect`` spells the SQL the backends disagree on; on PostgreSQL ``db.conn``
    is a :class:`~prospector.foundations.pg.PgConnection` with the same surface.
    """

    def __init__(
        self,
        conn: sqlite3.Connection | PgConnection,
        path: str,
        *,
        read_only: bool = False,
        dialect: SQLiteDialect = SQLITE,
    ) -> None:
        self.conn: Any = conn
        self.path = path
        self.read_only = read_only
        self.dialect = dialect
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

    def insert(self, sql: str, params: tuple | dict = ()) -> int:
        """Run an ``INSERT`` of one row; returns its ``id`` (both backends: ``RETURNING``)."""
        return int(self.conn.execute(f"{sql} RETURNING id", params).fetchone()[0])

    def check_writable(self) -> None:
        """Refuse up front, for work that would make files before its transaction.

        Raises:
            DatabaseError: the database is read-only.
        """
        if self.read_only:
            raise read_only_error(self.path)

    @contextlib.contextmanager
    def write(self, *, serial: bool = True) -> Iterator[sqlite3.Connection]:
        """A write transaction taken with ``BEGIN IMMEDIATE``; commits or rolls back.

        Lock contention past the busy timeout is retried with back-off, so
        "database is locked" never reaches a user. Nesting is not supported.

        On PostgreSQL the transaction takes the one write lock too, so writers run
        one at a time as on SQLite, unless ``serial`` is False: then it relies on
        row locks alone, and a step that needs the lock takes it with
        :meth:`serialize` (SQLite's file lock is always serial).

        Raises:
            DatabaseError: the database is read-only (nothing is written).
        """
        self.check_writable()
        if self.dialect is SQLITE:
            _begin_immediate(self.conn)
        else:
            self.conn.begin_write(serial=serial)
        try:
            yield self.conn
        except sqlite3.OperationalError as error:
            self.conn.rollback()
            # The file turned read-only after it was opened (chmod, a remount).
            if "readonly" in str(error):
                raise read_only_error(self.path) from error
            raise
        except BaseException:
            self.conn.rollback()
            raise
        else:
            self.conn.commit()

    def serialize(self) -> None:
        """Inside a :meth:`write` begun with ``serial=False``: take the write lock now,
        before any row lock, so that read-then-write steps run one at a time."""
        if self.dialect is not SQLITE:
            self.conn.serialize()

    @contextlib.contextmanager
    def write_or_join(self, *, serial: bool = True) -> Iterator[sqlite3.Connection]:
        """The caller's open transaction (it commits), else a :meth:`write` of its own.

        For steps that must commit with whatever the caller is writing, such as a
        draft cleared with its call, and stand alone when called on their own.
        ``serial``: as :meth:`write`'s (a joined transaction is left as it is).
        """
        if self.conn.in_transaction:
            yield self.conn
        else:
            with self.write(serial=serial) as conn:
                yield conn

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read transaction: every read inside sees the database as it was when the
        first one ran, whatever other processes commit meanwhile (SQLite's WAL
        snapshot; PostgreSQL's REPEATABLE READ). Ends without writing anything."""
        if self.dialect is SQLITE:
            self.conn.execute("BEGIN")
        else:
            self.conn.begin_snapshot()
        try:
            yield
        finally:
            self.conn.rollback()

    def stream(
        self, sql: str, params: tuple | dict = (), *, size: int = 5000
    ) -> Iterator[list[sqlite3.Row]]:
        """``sql``'s rows in chunks of at most ``size``, never the whole result in memory
        (on PostgreSQL a server-side cursor: call it inside :meth:`snapshot` or
        :meth:`write`)."""
        if self.dialect is SQLITE:
            cursor = self.conn.execute(sql, params)
            while chunk := cursor.fetchmany(size):
                yield chunk
            return
        yield from self.conn.stream(sql, params, size)

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """Insert many rows of ``columns`` into ``table`` (inside :meth:`write`); on
        PostgreSQL by ``COPY``."""
        if self.dialect is SQLITE:
            names = ", ".join(f'"{column}"' for column in columns)
            marks = ", ".join("?" * len(columns))
            self.conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            return
        self.conn.copy_rows(table, columns, rows)

    def same_as(self, other: Database) -> bool:
        """True when ``other`` is this very database (another connection to it)."""
        if self.dialect is not other.dialect:
            return False
        if self.dialect is SQLITE:
            if ":memory:" in (self.path, other.path):
                return False
            try:
                return os.path.samefile(self.path, other.path)
            except OSError:
                return False
        from prospector.foundations import pg

        return pg.server_database(self.conn) == pg.server_database(other.conn)

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
        if self._checkpointer is not None or self.path == ":memory:" or self.read_only:
            return
        if self.dialect is not SQLITE:
            return  # the server checkpoints
        self.leave_checkpoints_to_others()
        self._checkpointer = _Checkpointer(self.path, interval)
        self._checkpointer.start()

    def leave_checkpoints_to_others(self) -> None:
        """Never checkpoint in this connection's commits (another connection does them)."""
        if self.dialect is SQLITE:
            self.conn.execute("PRAGMA wal_autocheckpoint = 0")

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


def _connect(path: str, *, check_same_thread: bool, read_only: bool = False) -> sqlite3.Connection:
    target, uri = path, False
    if read_only:
        target, uri = _read_only_uri(path), True
    conn = sqlite3.connect(
        target,
        isolation_level=None,  # autocommit; write() opens transactions explicitly
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=check_same_thread,
        uri=uri,
    )
    conn.row_factory = sqlite3.Row
    return conn


def _read_only_uri(path: str) -> str:
    """A ``mode=ro`` URI for ``path``; ``immutable`` too when it has no ``-wal`` file.

    A read-only connection must not create files: SQLite would otherwise make the
    ``-wal`` and ``-shm`` files of a WAL database, owned by this user, where the
    database's owner might not be able to write them (or fail to, in a read-only
    folder). With no ``-wal`` file no one is writing now, and ``immutable`` reads
    the file as it is without them. With one, the existing files are used.
    """
    absolute = os.path.abspath(path)
    uri = f"file:{urllib.parse.quote(absolute)}?mode=ro"
    if not os.path.exists(absolute + "-wal"):
        uri += "&immutable=1"
    return uri


def read_only_error(name: str) -> DatabaseError:
    """The one error every write to a read-only database ends in."""
    return DatabaseError(
        f"{name}: read-only database (opened for reading; changes cannot be saved)"
    )


def open_database(
    path: str | os.PathLike[str],
    *,
    create: bool = True,
    check_same_thread: bool = True,
) -> Database:
    """Open (creating or upgrading if needed) a Prospector database.

    A file this process may not write (see :func:`.access.may_write`), or one in
    a folder where SQLite cannot create its ``-wal`` file, is opened for reading
    only: reads work, and :meth:`Database.write` refuses with "read-only database".

    Args:
        path: the file, or ``":memory:"``.
        create: create the file when missing; otherwise a missing file is an error
            and nothing (no folder, no file) is created.
        check_same_thread: pass False for a connection used from worker threads.

    Raises:
        DatabaseError: no such file (``create`` False), the file is not
            Prospector's, comes from a newer version, cannot be read, or is
            read-only and would need upgrading.
    """
    name = os.fspath(path)
    if POSTGRES_URL.match(name):
        return _open_postgres(name, create=create)
    in_memory = name == ":memory:"
    read_only = False
    if not in_memory:
        try:
            read_only = _check_file(name, create)
        except OSError as error:  # a name too long, a folder that cannot be made...
            raise DatabaseError(f"{name}: cannot be used ({error.strerror})") from error
    try:
        conn = _connect(name, check_same_thread=check_same_thread, read_only=read_only)
        _check_identity(conn, name)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if read_only:
            _check_current(conn, name)
        else:
            if not in_memory:
                retrying(lambda: conn.execute("PRAGMA journal_mode = WAL"))
            conn.execute("PRAGMA synchronous = NORMAL")
            _migrate(conn, name)
    except sqlite3.OperationalError as error:  # cannot open, locked, read-only...
        raise DatabaseError(f"{name}: cannot be opened ({error})") from error
    except sqlite3.DatabaseError as error:  # not an SQLite file at all
        raise DatabaseError(f"{name}: not a Prospector database ({error})") from error
    if not in_memory and not read_only:
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.chmod(name + suffix, 0o600)
    return Database(conn, name, read_only=read_only)


URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
POSTGRES_URL = re.compile(r"postgres(?:ql)?://", re.IGNORECASE)


def _open_postgres(url: str, *, create: bool) -> Database:
    from prospector.foundations import pg

    shown = without_password(url)
    conn = pg.connect(url)
    try:
        pg.prepare(conn, shown, create=create)
    except BaseException:
        conn.close()
        raise
    return Database(conn, shown, dialect=POSTGRES)


def database_label(path: str | os.PathLike[str]) -> str:
    """A database's short name for a header: a file's name, or a PostgreSQL database's
    (never the host, user or password)."""
    name = os.fspath(path)
    if POSTGRES_URL.match(name):
        parts = urllib.parse.urlsplit(name)
        database = urllib.parse.unquote(parts.path.lstrip("/"))
        if not database:
            query = urllib.parse.parse_qs(parts.query)
            database = query.get("dbname", [""])[0]
        return database or parts.username or "postgresql"
    return Path(name).name


def without_password(url: str) -> str:
    """``url`` as it may be shown: its password, if any, replaced by ``***``."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is not None:
        host = parts.netloc.rpartition("@")[2]
        parts = parts._replace(netloc=f"{parts.username or ''}:***@{host}")
    # libpq also reads a password from the query string (``?password=...``).
    query = re.sub(r"(?i)(^|&)(password=)[^&]*", r"\1\2***", parts.query)
    return urllib.parse.urlunsplit(parts._replace(query=query))


def _check_file(name: str, create: bool) -> bool:
    """Check (or create) the database file; True when it must be opened read-only."""
    if not name:
        raise DatabaseError("no database path given (--db is empty)")
    if URL.match(name):
        # Never a file named after it (``postgresql:/...`` in the working folder).
        raise DatabaseError(
            f"{without_password(name)}: not a database Prospector can open"
            " (an SQLite file path or a postgresql:// URL)"
        )
    file = Path(name)
    if file.is_dir():
        raise DatabaseError(f"{name}: is a directory, not a database file")
    if not file.exists():
        if not create:
            raise DatabaseError(f"no Prospector database at {name} — run `prospector init`")
        file.parent.mkdir(parents=True, exist_ok=True)
        # Created here with 0600 so no moment exists where others could read it.
        fd = os.open(name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    if not file.is_file():
        raise DatabaseError(f"{name}: not a database file (a device or a pipe)")
    if not os.access(name, os.R_OK):
        raise DatabaseError(f"{name}: cannot be read (permission denied)")
    return not may_write(name) or not may_write(os.path.dirname(os.path.abspath(name)))


def _check_identity(conn: sqlite3.Connection, name: str) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id == APPLICATION_ID:
        return
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id != 0 or tables:
        raise DatabaseError(f"{name}: not a Prospector database")


def _check_version(conn: sqlite3.Connection, name: str) -> int:
    """The file's schema version; refuses one from a newer Prospector."""
    latest = len(MIGRATIONS)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > latest:
        raise DatabaseError(
            f"{name}: made by a newer Prospector (schema {version}, this one knows {latest});"
            " upgrade Prospector"
        )
    return int(version)


def _check_current(conn: sqlite3.Connection, name: str) -> None:
    """A read-only file must already have this version's schema: it cannot be upgraded."""
    version = _check_version(conn, name)
    if version < len(MIGRATIONS):
        raise DatabaseError(
            f"{name}: read-only database from an older Prospector (schema {version});"
            " make it writable and run `prospector init` to upgrade it"
        )


def _migrate(conn: sqlite3.Connection, name: str) -> None:
    if _check_version(conn, name) == len(MIGRATIONS):
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
    if db.dialect is not SQLITE:
        from prospector.foundations import pg

        return pg.schema_version(db.conn)
    return int(db.one("PRAGMA user_version")[0])  # type: ignore[index]


def database_id(db: Database) -> str:
    """This database's own id: the namespace of every external id it hands a CRM."""
    row = db.one("SELECT value FROM prospector_meta WHERE key = 'database_id'")
    assert row is not None, "schema 7 makes the database id"
    return str(row[0])


BOOKKEEPING_META = ("application", "schema_version")
"""``prospector_meta`` keys that describe one backend's copy (PostgreSQL keeps SQLite's
``PRAGMA application_id`` and ``user_version`` there), not the team: never copied."""


def peek_sqlite(path: str, sql: str, params: tuple = ()) -> sqlite3.Row | None:
    """The first row of ``sql`` read from the SQLite file at ``path`` as it is: read
    only, no upgrade, no file created; None when ``path`` is a PostgreSQL URL, no
    file, or not a database the query can read (the command then says why)."""
    if POSTGRES_URL.match(path) or not os.path.isfile(path):
        return None
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True)
    except sqlite3.Error:
        return None
    try:
        return conn.execute(sql, params).fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
