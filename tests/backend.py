"""Reading a team database in tests, whichever backend holds it."""

from __future__ import annotations

import os
from typing import Any

from prospector.foundations.db import open_database


def rows(target: str | os.PathLike[str], sql: str, params: tuple | dict = ()) -> list[tuple]:
    """``sql``'s rows as plain tuples, read on a connection of its own (as a second process
    would see the database): ``?``/``:name`` parameters on both backends."""
    with open_database(target, create=False) as db:
        return [tuple(row) for row in db.query(sql, params)]


def scalar(target: str | os.PathLike[str], sql: str, params: tuple | dict = ()) -> Any:
    found = rows(target, sql, params)
    return found[0][0] if found else None


def raw_execute(target: str | os.PathLike[str], *statements: str) -> None:
    """Run ``statements`` on the database itself, past Prospector's checks (as another
    program, or an older or newer Prospector, would)."""
    if str(target).startswith(("postgresql:", "postgres:")):
        import psycopg

        with psycopg.connect(str(target), autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)  # type: ignore[call-overload]
        return
    import sqlite3

    conn = sqlite3.connect(target)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def set_schema_version(target: str | os.PathLike[str], version: int) -> None:
    """Record ``version`` as the database's schema, where each backend keeps it."""
    if str(target).startswith(("postgresql:", "postgres:")):
        raw_execute(
            target,
            f"UPDATE prospector_meta SET value = '{version}' WHERE key = 'schema_version'",
        )
    else:
        raw_execute(target, f"PRAGMA user_version = {version}")
