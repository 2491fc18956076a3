"""Shared by the workbench tests: a small team database and a pinned app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget

from prospector.foundations.clock import fixed_clock, to_db
from prospector.foundations.db import open_database
from prospector.services import claims
from prospector.tui.app import ProspectorApp, make_app
from prospector.tui.screens.lead import LeadScreen
from prospector.tui.widgets.lead_card import LeadCard
from tests.backend import is_url
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


class MovableClock:
    """A stopped clock the test moves on by hand (a lease renewed later, say)."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


async def settle(pilot: Pilot) -> None:
    """Wait until every worker is done and every message they posted is handled."""
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def execute(db_path: Path | str, sql: str, params: tuple = ()) -> list:
    """Run ``sql`` in its own write transaction on ``db_path``; returns its rows."""
    db = open_database(db_path)
    try:
        with db.write():
            cursor = db.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        db.close()


def refuse_inserts(db_path: Path | str, table: str, message: str) -> None:
    """Make every insert into ``table`` fail with ``message`` (a trigger, on either backend)."""
    if is_url(db_path):
        execute(
            db_path,
            f"CREATE FUNCTION refuse_{table}() RETURNS trigger LANGUAGE plpgsql"
            f" AS $$ BEGIN RAISE EXCEPTION '{message}'; END $$",
        )
        execute(
            db_path,
            f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION refuse_{table}()",
        )
    else:
        execute(
            db_path,
            f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table}"
            f" BEGIN SELECT RAISE(ABORT, '{message}'); END",
        )


def shown_contact(screen: LeadScreen) -> int | None:
    """The contact on the lead card (None while the queue is empty)."""
    lead = screen.query_one(LeadCard).lead
    return None if lead is None else lead.card.contact_id


def rendered_text(widget: Widget) -> str:
    """The widget's text as drawn on screen, one line a row."""
    return "\n".join(line.text for line in widget.render_lines(widget.region.reset_offset))


def card_text(screen: LeadScreen) -> str:
    """The lead card's text as drawn on screen."""
    return rendered_text(screen.query_one(LeadCard))


def take_over(db_path: Path, contact_id: int, rep: str = "bob", now: datetime = START) -> None:
    """The holder's lease ran out (a laptop asleep, say) and ``rep`` claimed the contact."""
    lapsed = to_db(now - timedelta(minutes=1))
    execute(db_path, "UPDATE contacts SET claim_expires_at = ? WHERE id = ?", (lapsed, contact_id))
    db = open_database(db_path)
    try:
        claims.claim_contact(db, contact_id, rep=rep, now=now)
    finally:
        db.close()


def lead_screen(app: App) -> LeadScreen:
    """The lead screen (under whatever dialog is open on it)."""
    screen = app.screen_stack[1]
    assert isinstance(screen, LeadScreen)
    return screen


async def started(pilot: Pilot) -> LeadScreen:
    """Wait until the first lead is shown; returns the lead screen."""
    await settle(pilot)
    return lead_screen(pilot.app)


async def lose_claim(pilot: Pilot, db_path: Path, contact_id: int) -> None:
    """Bob takes the contact after the rep's lease lapsed, and the lease timer finds out."""
    take_over(db_path, contact_id)
    lead_screen(pilot.app)._renew()  # what the lease timer runs every third of the lease
    await settle(pilot)


def let_go(db_path: Path, contact_id: int, rep: str = "bob", now: datetime = START) -> None:
    """``rep`` gives the contact back to the queue (moved on without calling it)."""
    db = open_database(db_path)
    try:
        assert claims.release_claim(db, contact_id, rep=rep, now=now)
    finally:
        db.close()


def run_async(test):
    """Run an ``async def`` test on a fresh event loop (no async pytest plugin needed)."""
    import asyncio
    import functools

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper
