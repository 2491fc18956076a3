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
