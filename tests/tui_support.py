"""Shared by the workbench tests: a small team database and a pinned app."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prospector.foundations.clock import fixed_clock
from prospector.foundations.db import open_database
from prospector.tui.app import ProspectorApp, make_app
from tests.factories import add_contact

# Monday 2026-11-23 10:00 in New York: windows open on the east coast.
START = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)

PEOPLE = (
    # first, last, company, employees, source (inbound + 200 = tier A: first in the queue)
    ("Ada", "Lovelace", "Analytical Engines", 900, "inbound"),
    ("Grace", "Hopper", "Cobol Works", 300, "list"),
    ("Alan", "Turing", "Bletchley Labs", 60, "list"),
    ("Edsger", "Dijkstra", "Shortest Path Inc", 40, "list"),
)


def team_database(path: Path, *, now: datetime = START) -> dict[str, int]:
    """Create ``path`` with four New York contacts; returns their ids by first name."""
    db = open_database(path)
    ids = {}
    for number, (first, last, company, employees, source) in enumerate(PEOPLE):
        ids[first] = add_contact(
            db,
            now=now,
            phone=f"+1212555{number:04d}",
            first_name=first,
            last_name=last,
            company=company,
            employees=employees,
            source=source,
            title="VP Operations",
            industry="Manufacturing",
            state="NY",
        )
    db.close()
    return ids


def pinned_app(path: Path, rep: str = "alice", now: datetime = START) -> ProspectorApp:
    """The workbench on ``path`` with a clock stopped at ``now``."""
    return make_app(db_path=str(path), rep=rep, clock=fixed_clock(now))


def run_async(test):
    """Run an ``async def`` test on a fresh event loop (no async pytest plugin needed)."""
    import asyncio
    import functools

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper
