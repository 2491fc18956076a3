"""Reading a team database in tests, whichever backend holds it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import urllib.parse
from typing import Any

from prospector.foundations.db import POSTGRES_URL, open_database


def is_url(target: str | os.PathLike[str]) -> bool:
    """True for a PostgreSQL URL, False for an SQLite file."""
    return bool(POSTGRES_URL.match(os.fspath(target)))


def rows(target: str | os.PathLike[str], sql: str, params: tuple | dict = ()) -> list[tuple]:
    """``sql``'s rows as plain tuples, read on a connection of its own (as a second process
    would see the database): ``?``/``:name`` parameters on both backends."""
    with open_database(target, create=False) as db:
        return [tuple(row) for row in db.query(sql, params)]


def scalar(target: str | os.PathLike[str], sql: str, params: tuple | dict = ()) -> Any:
    found = rows(target, sql, params)
    return found[0][0] if found else None


def dump(target: str | os.PathLike[str]) -> list[str]:
    """Every row and schema object of the database, as text, to compare before and after.

    SQLite: the file read ``immutable`` (no ``-wal``/``-shm`` of its own; no command is
    running, the last one to close folded its WAL into the file). PostgreSQL: every
    table's rows in order, and the names and definitions of its tables, indexes and
    sequence positions, read straight from the server (no Prospector code on the way).
    """
    if not is_url(target):
        conn = sqlite3.connect(f"file:{target}?mode=ro&immutable=1", uri=True)
        try:
            return list(conn.iterdump())
        finally:
            conn.close()
    import psycopg

    lines = []
    with psycopg.connect(os.fspath(target), autocommit=True) as conn:
        for name, definition in conn.execute(
            """SELECT c.relname, c.relkind::text || ' ' || coalesce(pg_get_indexdef(c.oid), '')
               FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace
               ORDER BY c.relname"""
        ):
            lines.append(f"-- {name}: {definition}")
        tables = conn.execute(
            """SELECT table_name FROM information_schema.tables
               WHERE table_schema = current_schema() ORDER BY table_name"""
        ).fetchall()
        for (table,) in tables:
            found = conn.execute(f'SELECT * FROM "{table}"').fetchall()
            lines += sorted(f"{table} {row!r}" for row in found)
        for name, value in conn.execute(
            """SELECT sequencename, last_value FROM pg_sequences
               WHERE schemaname = current_schema() ORDER BY sequencename"""
        ):
            lines.append(f"-- sequence {name} at {value}")
    return lines


def copy_team(template: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Make ``target`` a copy of the team database ``template``.

    SQLite: the file copied. PostgreSQL: ``target``'s (empty) database made again
    from ``template``'s with ``CREATE DATABASE ... TEMPLATE``, which needs no open
    connection on the template.
    """
    if not is_url(template):
        shutil.copyfile(template, target)
        return
    import psycopg

    source, copy = _database_name(template), _database_name(target)
    server = urllib.parse.urlsplit(os.fspath(target))._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')


def _database_name(url: str | os.PathLike[str]) -> str:
    return urllib.parse.urlsplit(os.fspath(url)).path.lstrip("/")


def open_connections(target: str | os.PathLike[str]) -> int:
    """How many connections to the database are open now, by anyone: the server's
    sessions on it (PostgreSQL), or this process's file handles on it (SQLite)."""
    if not is_url(target):
        path = os.path.realpath(target)
        count = 0
        for fd in os.listdir("/proc/self/fd"):
            try:
                count += os.readlink(f"/proc/self/fd/{fd}") == path
            except OSError:  # closed meanwhile (the listing's own handle)
                pass
        return count
    import psycopg

    server = urllib.parse.urlsplit(os.fspath(target))._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (_database_name(target),)
        ).fetchone()
    return int(row[0]) if row else 0


def raw_execute(target: str | os.PathLike[str], *statements: str) -> None:
    """Run ``statements`` on the database itself, past Prospector's checks (as another
    program, or an older or newer Prospector, would)."""
    if is_url(target):
        import psycopg

        with psycopg.connect(str(target), autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)  # type: ignore[call-overload]
        return
    conn = sqlite3.connect(target)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def set_schema_version(target: str | os.PathLike[str], version: int) -> None:
    """Record ``version`` as the database's schema, where each backend keeps it."""
    if is_url(target):
        raw_execute(
            target,
            f"UPDATE prospector_meta SET value = '{version}' WHERE key = 'schema_version'",
        )
    else:
        raw_execute(target, f"PRAGMA user_version = {version}")
