"""The few SQL fragments SQLite and PostgreSQL spell differently.

Services write one statement for both backends; where the two disagree they ask
``db.dialect`` for the fragment instead of branching on the backend. Everything
else (``?`` and ``:name`` parameters, ``ON CONFLICT``, ``RETURNING``, ``FILTER``)
is SQL both understand; the PostgreSQL connection rewrites only the parameters.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from typing import Any


class SQLiteDialect:
    name = "sqlite"

    def ints_in(self, param: str) -> str:
        """A subquery of the whole numbers in the JSON list bound to ``param``."""
        return f"(SELECT value FROM json_each({param}))"

    def texts_in(self, param: str) -> str:
        """A subquery of the strings in the JSON list bound to ``param``."""
        return f"(SELECT value FROM json_each({param}))"

    def greatest(self, *values: str) -> str:
        """The largest of ``values``, NULL if any is NULL (SQLite's scalar max())."""
        return f"max({', '.join(values)})"

    def least(self, *values: str) -> str:
        return f"min({', '.join(values)})"

    def contains(self, haystack: str, needle: str) -> str:
        """True when ``needle`` occurs in ``haystack`` (both text)."""
        return f"instr({haystack}, {needle}) > 0"

    skip_locked = ""
    """Appended to the queue's top-of-queue SELECT: SQLite's write lock is the whole file."""

    # --- db copy / db check (pgc) ---------------------------------------------------

    database_bytes = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
    """A query of the database's size in bytes (the file, for SQLite)."""

    # --- importing (pgi) ---------------------------------------------------------

    @contextlib.contextmanager
    def bulk_load(self, db: Any) -> Iterator[None]:
        """Connection settings for the length of an import, restored afterwards.

        Foreign-key checks are off (the writer only references locales, accounts and
        the batch it has just read or written), so are CHECK constraints (see below),
        the page cache is larger and WAL checkpoints are less frequent. Durability is
        unchanged: every chunk still commits under ``synchronous = NORMAL``, so the
        resumable record stays true.
        """
        db.execute("PRAGMA foreign_keys = OFF")
        # The writer's values for checked columns are its own constants (status 'open',
        # the phone kinds), and SQLite evaluates an ``IN (...)`` check by building a
        # lookup table afresh for every row of an executemany: a sixth of the load.
        db.execute("PRAGMA ignore_check_constraints = ON")
        db.execute("PRAGMA cache_size = -131072")
        db.execute("PRAGMA wal_autocheckpoint = 16384")
        try:
            yield
        finally:
            db.execute("PRAGMA wal_autocheckpoint = 1000")
            db.execute("PRAGMA cache_size = -2000")
            db.execute("PRAGMA ignore_check_constraints = OFF")
            db.execute("PRAGMA foreign_keys = ON")

    @contextlib.contextmanager
    def building_indexes(self, db: Any) -> Iterator[None]:
        """Connection settings for building indexes over loaded tables, restored after.

        SQLite sorts an index's keys in its page cache when they fit, on one core;
        with a small cache it sorts runs of them and merges those on worker threads
        (``PRAGMA threads``). For a million-row import's six indexes that took 2.1 s
        against 4.8 s in the import's 128 MB cache.
        """
        cache = db.one("PRAGMA cache_size")[0]
        threads = db.one("PRAGMA threads")[0]
        db.execute("PRAGMA cache_size = -4096")
        db.execute(f"PRAGMA threads = {max(1, os.cpu_count() or 1)}")
        try:
            yield
        finally:
            db.execute(f"PRAGMA threads = {int(threads)}")
            db.execute(f"PRAGMA cache_size = {int(cache)}")

    def data_version(self, db: Any) -> Any:
        """A value that changes when another connection commits accounts, contacts or
        DNC numbers, compared by the import writer to know when to catch up.

        Read again inside the writer's own transaction after its writes, it must equal
        the next reading unless someone else committed since. SQLite's ``PRAGMA
        data_version`` ignores this connection's own commits.
        """
        return db.one("PRAGMA data_version")[0]

    def ids_taken(self, db: Any, *tables: str) -> None:
        """After rows were inserted into ``tables`` with explicit ids: later inserts
        without an id must get ids above them (SQLite's rowid does by itself)."""

    def flag(self, param: str) -> str:
        """A 0/1 flag column's value from a parameter that may be a Python bool."""
        return param

    def schema_objects(self, db: Any, table: str, names: tuple[str, ...]) -> list[tuple]:
        """``(kind, name, sql)`` of those of ``names`` that are indexes or triggers of
        ``table``; ``sql`` creates it again."""
        return db.query(
            f"""SELECT type, name, sql FROM sqlite_master
                WHERE type IN ('index', 'trigger') AND tbl_name = ? AND sql IS NOT NULL
                  AND name IN {self.texts_in("?")}""",
            (table, json.dumps(names)),
        )

    def drop_schema_object(self, db: Any, kind: str, name: str) -> None:
        """Drop the index or trigger ``name``."""
        db.execute(f'DROP {kind.upper()} "{name}"')

    def schema_object_exists(self, db: Any, name: str) -> bool:
        """Whether an index or trigger named ``name`` exists."""
        return db.one("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)) is not None

    # --- reports (pgr): the cohort tables' value lists ---------------------------------
    def segment_values(self, c: str, industry: str, employees: str, sign: str = "1") -> str:
        """SELECT list of one contact's ``lead_segments`` row (``c``: its alias)."""
        from prospector.foundations.migrations import m001_initial

        return m001_initial.segment_values(c, industry, employees, sign)

    def speed_values(self, c: str, sign: str = "1") -> str:
        """SELECT list of one dialed contact's ``lead_speed`` row."""
        from prospector.foundations.migrations import m001_initial

        return m001_initial.speed_values(c, sign)

    def source_values(self, c: str, sign: str = "1") -> str:
        """SELECT list of one contact's ``lead_sources`` row."""
        from prospector.foundations.migrations import m008_lead_sources

        return m008_lead_sources.source_values(c, sign)

    def indexed_by(self, db: Any, index: str) -> str:
        """Appended to a table name: the index SQLite's planner must use (PostgreSQL's
        planner picks it by itself), unless a large import has it deferred for now
        (see ``importing.indexes``): then the planner does without."""
        return f" INDEXED BY {index}" if self.schema_object_exists(db, index) else ""

    # --- queue, claims, search (pgq) ---

    def each_locale_heads(self, locales: str, heads: str, only: str | None = None) -> str:
        """A FROM fragment: ``contacts c`` rows picked per locale by ``heads``.

        ``locales`` is a parameter bound to a JSON array of locale ids; ``heads`` is a
        ``SELECT c.id FROM contacts c WHERE c.locale_id = l.value ... LIMIT n``
        that reads one locale's first rows from a partial index. SQLite runs it as
        a correlated ``IN`` per locale; PostgreSQL as a ``LATERAL`` join. ``only``:
        the columns of ``c`` the query reads besides the id, when that is all it
        reads (PostgreSQL then takes them from the heads, not from the table again).
        """
        return f"json_each({locales}) AS l JOIN contacts c ON c.id IN ({heads})"

    def like(self, text: str, pattern: str) -> str:
        """``text LIKE pattern`` without regard to ASCII case, ``\\`` escaping."""
        return f"{text} LIKE {pattern} ESCAPE '\\'"

    # --- migrations after the baseline (intake: m010) ---

    def column_types(self) -> dict[str, str]:
        """``{text}``, ``{integer}``: the column types of a table both backends create."""
        return {"text": "TEXT", "integer": "INTEGER"}

    # --- row locks (log, next) ---

    def lock_rows_of(self, alias: str) -> str:
        """A SELECT's tail that locks the rows it reads from ``alias`` until the end of
        the transaction (SQLite's write transaction already excludes other writers)."""
        return ""

    def skip_locked_of(self, alias: str) -> str:
        """As :meth:`lock_rows_of`, passing over rows another transaction holds."""
        return ""

    def ids_in_order(self, param: str) -> str:
        """A FROM item ``(id, pos)`` of the whole numbers in the JSON list bound to
        ``param``, with their places in it."""
        return f"(SELECT CAST(value AS INTEGER) AS id, key AS pos FROM json_each({param}))"

    # --- rep states (report time) ---

    def seconds_between(self, earlier: str, later: str) -> str:
        """Whole seconds from the stored time ``earlier`` to ``later`` (SQL expressions)."""
        return f"CAST(round((julianday({later}) - julianday({earlier})) * 86400) AS INTEGER)"


class PostgresDialect(SQLiteDialect):
    name = "postgresql"

    def ints_in(self, param: str) -> str:
        return f"(SELECT value::bigint FROM json_array_elements_text({param}::json))"

    def texts_in(self, param: str) -> str:
        return f"(SELECT value FROM json_array_elements_text({param}::json))"

    def greatest(self, *values: str) -> str:
        # PostgreSQL's greatest() skips NULLs; SQLite's max() returns NULL.
        nulls = " OR ".join(f"({value}) IS NULL" for value in values)
        return f"CASE WHEN {nulls} THEN NULL ELSE greatest({', '.join(values)}) END"

    def least(self, *values: str) -> str:
        nulls = " OR ".join(f"({value}) IS NULL" for value in values)
        return f"CASE WHEN {nulls} THEN NULL ELSE least({', '.join(values)}) END"

    def contains(self, haystack: str, needle: str) -> str:
        return f"strpos({haystack}, {needle}) > 0"

    skip_locked = " FOR UPDATE SKIP LOCKED"

    # --- db copy / db check (pgc) ---------------------------------------------------

    database_bytes = "SELECT pg_database_size(current_database())"

    # --- importing (pgi) ---------------------------------------------------------

    @contextlib.contextmanager
    def bulk_load(self, db: Any) -> Iterator[None]:
        # Nothing to tune: foreign keys and checks cannot be turned off without
        # superuser rights, and one commit per chunk makes the commits' flushes free.
        yield

    @contextlib.contextmanager
    def building_indexes(self, db: Any) -> Iterator[None]:
        yield  # nothing is deferred (see schema_objects)

    def data_version(self, db: Any) -> Any:
        # Only imports insert contacts and accounts, with ids above every existing one,
        # and every writer holds the write lock (see pg.py), so the ids' maxima and the
        # DNC list's size and hash say whether someone else committed what the writer
        # catches up on. The primary keys make the maxima an index lookup each.
        row = db.one(
            """SELECT (SELECT coalesce(max(id), 0) FROM contacts),
                      (SELECT coalesce(max(id), 0) FROM accounts),
                      count(*), coalesce(sum(hashtext(phone)), 0)
               FROM dnc_numbers"""
        )
        return tuple(row)

    def ids_taken(self, db: Any, *tables: str) -> None:
        for table in tables:
            db.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" coalesce(max(id), 0) + 1, false) FROM {table}"
            )

    def flag(self, param: str) -> str:
        return f"CAST({param} AS INTEGER)"

    def schema_objects(self, db: Any, table: str, names: tuple[str, ...]) -> list[tuple]:
        # Nothing is deferred on a team server: dropping an index locks the whole table
        # against every rep's reads until the chunk commits, leaves their queue without
        # its index until the import ends, and needs the table's owner (reps are not).
        return []

    # --- reports (pgr): the cohort tables' value lists ---------------------------------
    def segment_values(self, c: str, industry: str, employees: str, sign: str = "1") -> str:
        from prospector.foundations.migrations import postgresql

        return postgresql.segment_values(c, industry, employees, sign)

    def speed_values(self, c: str, sign: str = "1") -> str:
        from prospector.foundations.migrations import postgresql

        return postgresql.speed_values(c, sign)

    def source_values(self, c: str, sign: str = "1") -> str:
        from prospector.foundations.migrations import postgresql

        return postgresql.source_values(c, sign)

    def indexed_by(self, db: Any, index: str) -> str:
        return ""

    # --- queue, claims, search (pgq) ---

    def each_locale_heads(self, locales: str, heads: str, only: str | None = None) -> str:
        if only is not None:
            heads = heads.replace("SELECT c.id FROM", f"SELECT c.id, {only} FROM", 1)
            return f"{self.ints_in(locales)} AS l(value) CROSS JOIN LATERAL ({heads}) AS c"
        return (
            f"{self.ints_in(locales)} AS l(value)"
            f" CROSS JOIN LATERAL ({heads}) AS heads JOIN contacts c ON c.id = heads.id"
        )

    def like(self, text: str, pattern: str) -> str:
        return f"lower({text}) LIKE lower({pattern}) ESCAPE '\\'"

    # --- migrations after the baseline (intake: m010) ---

    def column_types(self) -> dict[str, str]:
        # As the baseline's (migrations/postgresql.py): byte-order text, 64-bit integers.
        return {"text": 'TEXT COLLATE "C"', "integer": "BIGINT"}

    def lock_rows_of(self, alias: str) -> str:
        return f" FOR UPDATE OF {alias}"

    def skip_locked_of(self, alias: str) -> str:
        return f" FOR UPDATE OF {alias} SKIP LOCKED"

    def ids_in_order(self, param: str) -> str:
        return (
            f"(SELECT value::bigint AS id, pos FROM json_array_elements_text({param}::json)"
            " WITH ORDINALITY AS t(value, pos))"
        )

    # --- rep states (report time) ---

    def seconds_between(self, earlier: str, later: str) -> str:
        return f"round(extract(epoch FROM (({later})::timestamp - ({earlier})::timestamp)))::bigint"


SQLITE = SQLiteDialect()
POSTGRES = PostgresDialect()


def of_connection(conn: Any) -> SQLiteDialect | PostgresDialect:
    """The dialect of a raw connection (what a migration function is given)."""
    return SQLITE if isinstance(conn, sqlite3.Connection) else POSTGRES
