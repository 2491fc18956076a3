"""The demo database's clock: where a session on it starts when no ``--at`` is given.

``prospector demo`` records the demo's start (the next weekday 10:00 in New York
when it was built) in ``prospector_meta`` under :data:`DEMO_CLOCK_KEY`. On that
database every command without ``--at`` (the workbench, ``dashboard``, ``report``,
``queue`` …) runs on a clock that starts at the demo's start, or at the last call
logged or rep state recorded when that is later, and runs on from there in real
time: a second session goes on where the first stopped rather than going back under
calls already logged, and the dashboard and reports open on the demo's figures. Read
without opening the database for writing (this runs before every command on an
SQLite file).
"""

from __future__ import annotations

from datetime import datetime

from prospector.foundations.clock import from_db
from prospector.foundations.db import peek_sqlite

DEMO_CLOCK_KEY = "demo_clock"


def demo_resumes_at(path: str) -> datetime | None:
    """Where the demo's clock stands for the database at ``path``: its start, or its
    last call or last rep state when later; None when it is not a demo database (or
    not readable)."""
    # A state the desk recorded after the last call (a pause left on at quitting) is
    # as much the demo's past: a clock behind it would leave that pause on for good.
    # One read of the file on every command; a demo from before rep states (schema 14)
    # is read again without them.
    marks = _DEMO_MARKS.format(states="(SELECT max(seen_at) FROM rep_states)")
    row = peek_sqlite(path, marks, (DEMO_CLOCK_KEY,)) or peek_sqlite(
        path, _DEMO_MARKS.format(states="NULL"), (DEMO_CLOCK_KEY,)
    )
    if row is None or row[0] is None:
        return None
    return max(from_db(mark) for mark in row if mark)


_DEMO_MARKS = """SELECT (SELECT value FROM prospector_meta WHERE key = ?),
    (SELECT max(at) FROM calls), {states}"""
