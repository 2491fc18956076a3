"""Prospector on PostgreSQL: a connection that speaks to services as sqlite3 does.

Services are written against :class:`sqlite3.Connection`'s small surface
(``execute``, ``executemany``, rows by index or name, ``rowcount``,
``in_transaction``); :class:`PgConnection` offers the same over psycopg 3, so one
service serves both backends. Parameters are written ``?`` or ``:name`` as for
SQLite and rewritten here; results come back as SQLite would give them (whole
sums as ``int``, comparisons as 0/1).

A write transaction takes one advisory lock, the PostgreSQL twin of SQLite's
``BEGIN IMMEDIATE``: writers queue up front, one at a time, so the services'
read-then-write steps stay serial and "could not serialize" cannot happen.
Readers never wait for it. Lock waits past the timeout are retried, as SQLite's
busy lock is.

psycopg is imported only here, and this module only for a ``postgresql://`` URL.
"""

from __future__ import annotations

import functools
import itertools
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from prospector.foundations.errors import DatabaseError

if TYPE_CHECKING:
    import psycopg

WRITE_LOCK = 0x50525350  # "PRSP": the advisory lock every write transaction holds
LOCK_TIMEOUT = "10s"

DESK_STEP = (
    " SET LOCAL enable_bitmapscan = off; SET LOCAL jit = off;"
    " SET LOCAL plan_cache_mode = force_generic_plan;"
)
"""How a transaction on row locks plans: it is a desk's step on one contact (``next``,
``log``), a dozen small statements that each want a few rows of an index, in the
index's order, up to a LIMIT. Estimating one row behind the queue's filters, the
planner would rather read every due row of a locale into a bitmap and sort them than
walk the index and stop at the first (2-3 ms instead of 0.5 at a million contacts);
and no such statement is worth compiling (JIT), whatever its estimate.

The same statements run thousands of times a day: each is planned once for any
values (psycopg prepares it after a few runs), where planning it for each run's
values cost more than running it (at a million contacts ``next`` took 3.9 ms
planned for each run's values, 1.7 ms planned once). So every one of them is written
to plan the same whatever the values: no range test a plan could choose to scan for
(see ``recycling.RECYCLE_DUE``); ``tests/test_pg_desk_plans.py`` explains them all
both ways."""
ONE_WRITER = (
    " SET LOCAL enable_bitmapscan = DEFAULT; SET LOCAL jit = DEFAULT;"
    " SET LOCAL plan_cache_mode = force_custom_plan;"
)
"""Once such a transaction takes the write lock it does one writer's work over many
rows (bringing recycled contacts back), planned as everything else is (for each run's
values: see :func:`connect`)."""


class Row(tuple):
    """A result row read by position or (case-insensitive) column name, as sqlite3.Row."""

    __slots__ = ()
    _index: ClassVar[dict[str, int]] = {}
    _names: ClassVar[tuple[str, ...]] = ()

    def __getitem__(self, key):
        if isinstance(key, str):
            try:
                key = self._index[key.lower()]
            except KeyError:
                raise IndexError(f"no such column: {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@functools.lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    index = {name.lower(): position for position, name in reversed(list(enumerate(names)))}
    return type("Row", (Row,), {"__slots__": (), "_index": index, "_names": names})


def _row_factory(cursor: Any):
    description = cursor.description
    if description is None:
        return tuple
    row_class = _row_class(tuple(column.name for column in description))
    return lambda values: row_class(values)


_TOKENS = re.compile(
    r"""'(?:[^']|'')*'      # a string literal
      | "(?:[^"]|"")*"      # a quoted name
      | --[^\n]*            # a line comment
      | /\*.*?\*/           # a block comment
      | ::                  # a cast, not a parameter
      | :[A-Za-z_]\w*       # a named parameter
      | \?                  # a positional parameter
      | %                   # psycopg's own placeholder mark
    """,
    re.VERBOSE | re.DOTALL,
)


@functools.lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """SQLite-style parameters (``?``, ``:name``) as psycopg's (``%s``, ``%(name)s``)."""

    def replace(match: re.Match[str]) -> str:
        token = match.group()
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if token.startswith(":") and token != "::":
            return f"%({token[1:]})s"
        # psycopg reads every % as a placeholder mark, in literals and comments too.
        return token.replace("%", "%%")

    return _TOKENS.sub(replace, sql)


def _sqlite_error(error: Exception) -> Exception:
    """The sqlite3 exception services already handle for a psycopg one."""
    import psycopg

    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    state = getattr(error, "sqlstate", None) or ""
    if isinstance(error, psycopg.OperationalError) and (
        not state or state.startswith("08") or state.startswith("57P")
    ):
        # The server went away (restart, network, shutdown): a user's problem to fix,
        # said in one line, not a bug's traceback.
        return DatabaseError(f"the database server cannot be reached ({message})")
    if isinstance(error, psycopg.errors.IntegrityError):
        return sqlite3.IntegrityError(message)
    if isinstance(error, psycopg.errors.OperationalError):
        return sqlite3.OperationalError(message)
    return sqlite3.DatabaseError(message)


LOCKED_BY_ANOTHER = "the database stayed locked by another writer; try again"


class PgConnection:
    """The sqlite3.Connection subset services use, over one psycopg connection."""

    def __init__(self, raw: psycopg.Connection) -> None:
        self.raw = raw
        self.total_changes = 0
        """Rows inserted, updated or deleted on this connection, as sqlite3 counts them."""
        self._watcher: _Watcher | None = None

    @property
    def in_transaction(self) -> bool:
        import psycopg

        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        import psycopg

        try:
            # Always with parameters, even none, so that psycopg reads "%%" as "%".
            cursor = self.raw.execute(translate(sql), params or ())
        except psycopg.errors.Error as error:
            raise _sqlite_error(error) from error
        self._count_changes(cursor)
        return cursor

    def _count_changes(self, cursor: Any) -> None:
        status = cursor.statusmessage or ""
        if status.startswith(("INSERT", "UPDATE", "DELETE")) and cursor.rowcount > 0:
            self.total_changes += cursor.rowcount

    def executemany(self, sql: str, rows: Iterable[Sequence[Any] | dict[str, Any]]) -> Any:
        import psycopg

        cursor = self.raw.cursor()
        try:
            cursor.executemany(translate(sql), rows)
        except psycopg.errors.Error as error:
            raise _sqlite_error(error) from error
        self._count_changes(cursor)
        return cursor

    def set_progress_handler(self, handler: Callable[[], object] | None, n: int) -> None:
        """Ask ``handler`` every few milliseconds while statements run; when it answers
        true the running statement is cancelled (it raises
        :class:`sqlite3.OperationalError`, as SQLite's interrupted statement does).
        ``None`` stops asking. ``n`` (SQLite's step count) has no meaning here."""
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        if handler is not None:
            self._watcher = _Watcher(self.raw, handler)
            self._watcher.start()

    def commit(self) -> None:
        if self.in_transaction:
            self.raw.execute("COMMIT")

    def rollback(self) -> None:
        # A server that went away has rolled back already: nothing to send, and the
        # error that brought us here is the one to tell.
        if self.in_transaction and not (self.raw.closed or self.raw.broken):
            self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()

    def cursor(self) -> PgCursor:
        """A cursor; set its ``row_factory`` to None for plain tuples, as with sqlite3."""
        return PgCursor(self)

    def begin_write(self, attempts: int = 5, *, serial: bool = True) -> None:
        """``BEGIN`` and take the write lock, waiting for another writer as SQLite would
        (``serial``); else only ``BEGIN``: the transaction relies on row locks."""
        import psycopg

        lock = f" SELECT pg_advisory_xact_lock({WRITE_LOCK})" if serial else DESK_STEP
        for attempt in range(attempts):
            try:
                # One round trip; the timeout bounds this wait (and any in the transaction).
                self.raw.execute(f"BEGIN; SET LOCAL lock_timeout = '{LOCK_TIMEOUT}';{lock}")
                return
            except psycopg.errors.LockNotAvailable as error:
                self.rollback()
                if attempt == attempts - 1:
                    raise DatabaseError(LOCKED_BY_ANOTHER) from error
                time.sleep(0.05)
            except psycopg.Error as error:
                self.rollback()
                raise _sqlite_error(error) from error

    def serialize(self) -> None:
        """Take the write lock inside a transaction begun without it (held to its end)."""
        import psycopg

        try:
            self.raw.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK});{ONE_WRITER}")
        except psycopg.errors.LockNotAvailable as error:
            raise DatabaseError(LOCKED_BY_ANOTHER) from error
        except psycopg.Error as error:
            raise _sqlite_error(error) from error

    def begin_snapshot(self) -> None:
        """``BEGIN`` a read-only transaction whose reads all see one moment."""
        self.raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def stream(
        self, sql: str, params: Sequence[Any] | dict[str, Any], size: int
    ) -> Iterator[list[Any]]:
        """``sql``'s rows in chunks through a server-side cursor (inside a transaction)."""
        import psycopg

        cursor = self.raw.cursor(name=f"prospector_stream_{next(_CURSORS)}")
        try:
            cursor.execute(translate(sql), params or ())
            while chunk := cursor.fetchmany(size):
                yield chunk
        except psycopg.errors.Error as error:
            raise _sqlite_error(error) from error
        finally:
            if not self.raw.closed and self.in_transaction:
                cursor.close()

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Insert ``rows`` into ``table`` with ``COPY ... FROM STDIN`` (triggers run as for
        INSERT), many times faster than one INSERT a row."""
        import psycopg

        names = ", ".join(f'"{column}"' for column in columns)
        try:
            with (
                self.raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        except psycopg.errors.Error as error:
            raise _sqlite_error(error) from error


_CURSORS = itertools.count(1)


def server_database(conn: PgConnection) -> tuple[Any, ...]:
    """What tells one server's database from another's: its name, the server's address
    and port, and when that server started."""
    row = conn.execute(
        "SELECT current_database(), inet_server_addr()::text, inet_server_port(),"
        " pg_postmaster_start_time()::text"
    ).fetchone()
    return tuple(row)


class _Watcher(threading.Thread):
    """Asks a handler while a statement runs and cancels the statement when it says so."""

    interval = 0.01

    def __init__(self, raw: psycopg.Connection, handler: Callable[[], object]) -> None:
        super().__init__(name="prospector-pg-cancel", daemon=True)
        self.raw = raw
        self.handler = handler
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            try:
                stop = self.handler()
            except Exception:  # the caller asks it again itself; never crash a thread
                return
            if stop:
                self.raw.cancel_safe()
                return

    def stop(self) -> None:
        self.done.set()
        self.join()


def _register_loaders(raw: psycopg.Connection) -> None:
    """Sums and averages (``numeric``) and comparisons (``bool``) as SQLite gives them."""
    from psycopg.adapt import Loader

    class NumericLoader(Loader):
        def load(self, data: Any) -> int | float:
            text = bytes(data).decode()
            if "." in text or "e" in text or "N" in text:
                return float(text)
            return int(text)

    class BoolLoader(Loader):
        def load(self, data: Any) -> int:
            return 1 if bytes(data) == b"t" else 0

    raw.adapters.register_loader("numeric", NumericLoader)
    raw.adapters.register_loader("bool", BoolLoader)


def connect(url: str) -> PgConnection:
    """Connect to ``url`` (autocommit: transactions are explicit, as with SQLite).

    Raises:
        DatabaseError: psycopg is missing, or the server refused or could not be
            reached (the message never carries the password).
    """
    try:
        import psycopg
    except ImportError:
        raise DatabaseError(
            "PostgreSQL support is not installed: pip install 'prospector[postgres]'"
        ) from None
    from prospector.foundations.db import without_password

    try:
        raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
    except psycopg.Error as error:
        reason = _first_line(error, url)
        raise DatabaseError(f"{without_password(url)}: cannot connect ({reason})") from None
    _register_loaders(raw)
    # Statements are prepared once (psycopg does it after a few runs) but planned for
    # each run's values: a generic plan guesses at "deferred_until <= $1" and scans
    # every contact where the partial index holds a handful (50 ms instead of 0.1).
    # A desk's step, whose statements are written not to, plans once (DESK_STEP).
    raw.execute("SET plan_cache_mode = force_custom_plan")
    return PgConnection(raw)


def _first_line(error: Exception, url: str) -> str:
    """The server's reason, one line, with any password in it masked."""
    import urllib.parse

    text = " ".join(str(error).split()) or type(error).__name__
    password = urllib.parse.urlsplit(url).password
    if password:
        text = text.replace(password, "***").replace(urllib.parse.unquote(password), "***")
    return text


def _tables(conn: PgConnection) -> set[str]:
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    ).fetchall()
    return {row[0] for row in rows}


_META = "SELECT key, value FROM prospector_meta"


def meta(conn: PgConnection) -> dict[str, str]:
    return dict(conn.execute(_META).fetchall())


def _meta_if_any(conn: PgConnection) -> dict[str, str] | None:
    """``prospector_meta``'s rows, None when there is no such table. Read first, in one
    round trip: listing the tables costs a new connection's backend 4 ms of catalog
    reads, paid by every command (only a database without it needs the listing)."""
    import psycopg

    try:
        return dict(conn.raw.execute(_META).fetchall())
    except psycopg.errors.UndefinedTable:
        return None


def schema_version(conn: PgConnection) -> int:
    return int(meta(conn).get("schema_version", "0"))


def prepare(conn: PgConnection, name: str, *, create: bool) -> None:
    """Check the database is Prospector's (or empty), then create or upgrade its schema.

    Raises:
        DatabaseError: empty and ``create`` is False; another application's tables;
            a newer Prospector's schema.
    """
    from prospector.foundations.migrations import MIGRATIONS
    from prospector.foundations.migrations import postgresql as pg_schema

    latest = len(MIGRATIONS)
    info = _meta_if_any(conn)
    if info is not None:
        if info.get("application") != pg_schema.APPLICATION:
            raise DatabaseError(f"{name}: not a Prospector database")
        version = int(info.get("schema_version", "0"))
        if version > latest:
            raise DatabaseError(
                f"{name}: made by a newer Prospector (schema {version}, this one knows"
                f" {latest}); upgrade Prospector"
            )
        if version < latest:
            _upgrade(conn)
        return
    if _tables(conn):
        raise DatabaseError(f"{name}: not a Prospector database (it has other tables)")
    if not create:
        raise DatabaseError(f"no Prospector database at {name} — run `prospector init`")
    conn.begin_write()
    try:
        if _tables(conn):  # another process created it while we waited for the lock
            conn.rollback()
            return prepare(conn, name, create=create)
        pg_schema.create_schema(conn.raw)
        _upgrade_steps(conn, pg_schema.BASELINE)
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
    return None


def _upgrade(conn: PgConnection) -> None:
    conn.begin_write()
    try:
        _upgrade_steps(conn, schema_version(conn))
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def _upgrade_steps(conn: PgConnection, version: int) -> None:
    """Migrations after the baseline, each written for both dialects."""
    from prospector.foundations.migrations import MIGRATIONS

    for number in range(version + 1, len(MIGRATIONS) + 1):
        MIGRATIONS[number - 1](conn)  # type: ignore[arg-type]
        conn.execute(
            "UPDATE prospector_meta SET value = ? WHERE key = 'schema_version'", (str(number),)
        )


class PgCursor:
    """sqlite3.Cursor's ``row_factory`` and ``execute`` (reports read many rows this way)."""

    def __init__(self, conn: PgConnection) -> None:
        self._conn = conn
        self.row_factory: Any = _row_factory

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        import psycopg
        from psycopg.rows import tuple_row

        factory = tuple_row if self.row_factory is None else _row_factory
        cursor = self._conn.raw.cursor(row_factory=factory)
        try:
            return cursor.execute(translate(sql), params or ())
        except psycopg.errors.Error as error:
            raise _sqlite_error(error) from error
