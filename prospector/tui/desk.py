"""What the lead screen's workers do: service calls composed, run off the event loop.

Every function here takes the worker thread's own :class:`Database` and returns
plain values (a :class:`Desk`) for the screen to render; none touches a widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from prospector.foundations.db import Database
from prospector.services import calls, claims, drafts, picks, queue
from prospector.services.calls import LoggedCall
from prospector.services.contacts import ContactCard, contact_card
from prospector.services.queue import QueueItem
from prospector.services.settings import Settings
from prospector.services.today import TodayProgress, rep_today
from prospector.services.windows import current_settings

PREVIEW_LENGTH = 4  # queue items shown under "Up next"


@dataclass(frozen=True)
class Lead:
    """The claimed contact: the queue's view of it, its card, and the rep's draft note."""

    item: QueueItem
    card: ContactCard
    draft: str | None
    recovered: bool  # dialed earlier and never given a disposition


@dataclass(frozen=True)
class Desk:
    """Everything the lead screen shows at one moment."""

    lead: Lead | None
    upcoming: tuple[QueueItem, ...]
    today: TodayProgress
    settings: Settings


def _desk(
    db: Database, *, rep: str, now: datetime, item: QueueItem | None, recovered: bool = False
) -> Desk:
    settings = current_settings(db)
    lead = None
    if item is not None:
        lead = Lead(
            item=item,
            card=contact_card(db, item.contact_id, now=now, settings=settings),
            draft=drafts.load_draft(db, rep, item.contact_id),
            recovered=recovered,
        )
    upcoming = tuple(
        other
        for other in queue.build_queue(
            db, rep=rep, now=now, limit=PREVIEW_LENGTH + 1, settings=settings
        )
        if item is None or other.contact_id != item.contact_id
    )[:PREVIEW_LENGTH]
    return Desk(lead, upcoming, rep_today(db, rep, now=now, settings=settings), settings)


def start(db: Database, *, rep: str, now: datetime) -> Desk:
    """The first lead of a session: a dial left without an outcome comes first."""
    forgotten = claims.undispositioned_claims(db, rep=rep, now=now)
    if forgotten:
        return _desk(db, rep=rep, now=now, item=forgotten[0], recovered=True)
    return next_lead(db, rep=rep, now=now)


def next_lead(db: Database, *, rep: str, now: datetime) -> Desk:
    """Claim the top of the rep's queue (or show an empty desk)."""
    item = claims.claim_next(db, rep=rep, now=now)
    return _desk(db, rep=rep, now=now, item=item, recovered=bool(item and item.lane == 0))


def log_and_next(
    db: Database,
    contact_id: int,
    disposition: str,
    *,
    rep: str,
    now: datetime,
    note: str | None,
    callback: datetime | None = None,
    callback_scope: str = "mine",
) -> tuple[LoggedCall, Desk]:
    """Log the call (which saves the note and clears the draft), then claim the next lead."""
    logged = calls.log_call(
        db,
        contact_id,
        disposition,
        rep=rep,
        now=now,
        note=note or None,
        callback=callback,
        callback_scope=callback_scope,
    )
    return logged, next_lead(db, rep=rep, now=now)


def skip_and_next(db: Database, contact_id: int, *, rep: str, reason: str, now: datetime) -> Desk:
    """Skip the held lead (it stays out of the queue a while), then claim the next."""
    picks.skip_contact(db, contact_id, rep=rep, reason=reason, now=now)
    return next_lead(db, rep=rep, now=now)


def open_contact(db: Database, contact_id: int, *, rep: str, now: datetime) -> Desk:
    """Claim a contact found by search and show it."""
    item = picks.claim_contact(db, contact_id, rep=rep, now=now)
    return _desk(db, rep=rep, now=now, item=item)


def mark_dialed(db: Database, contact_id: int, *, rep: str, now: datetime) -> ContactCard:
    """Record the dial start; returns the refreshed card."""
    claims.mark_dialed(db, contact_id, rep=rep, now=now)
    return contact_card(db, contact_id, now=now)
