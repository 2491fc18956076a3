"""What the lead screen's workers do: service calls composed, run off the event loop.

Every function here takes the worker thread's own :class:`Database` and returns
plain values (a :class:`Desk`) for the screen to render; none touches a widget.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from prospector.foundations.db import Database
from prospector.foundations.errors import ProspectorError
from prospector.services import (
    accounts,
    call_outcomes,
    claims,
    contact_phones,
    drafts,
    handoffs,
    queue,
    rep_states,
)
from prospector.services.accounts import Colleagues
from prospector.services.assignment import choose_owner
from prospector.services.call_outcomes import HandoffAnswers
from prospector.services.calls import LoggedCall
from prospector.services.contact_phones import ContactPhone
from prospector.services.contacts import ContactCard, contact_card
from prospector.services.next_callable import NextCallable, next_callable
from prospector.services.queue import QueueItem
from prospector.services.settings import PauseCode, Settings
from prospector.services.today import TodayProgress, rep_today
from prospector.services.windows import current_settings

PREVIEW_LENGTH = 4  # queue items shown under "Up next"


@dataclass(frozen=True)
class Lead:
    """The claimed contact: the queue's view of it, its card, and the rep's draft note.

    ``switched_to`` is the number the rep switched to for this call (None: the
    contact's dialled number); it lives with the lead on screen, not in the
    database, until the call is logged (:mod:`prospector.services.contact_phones`).
    ``colleagues``: the first of the account's other contacts, read on the worker
    with the lead (:mod:`prospector.services.accounts`).
    ``tags`` are the objections (labels) the rep tagged the call in progress with
    (``o``); they too go with the lead, and are written with its call.
    """

    item: QueueItem
    card: ContactCard
    draft: str | None
    recovered: bool  # dialed earlier and never given a disposition
    switched_to: ContactPhone | None = None
    colleagues: Colleagues = accounts.NONE  # the account's other contacts, read with it
    tags: tuple[str, ...] = ()

    @property
    def phone(self) -> ContactPhone | None:
        """The number this call is made on (None only for a contact with no phone row)."""
        return self.switched_to or contact_phones.find_phone(self.card.phones, self.card.phone)

    @property
    def next_phone(self) -> ContactPhone | None:
        """The number the switch key goes to next (None: no other may be dialled)."""
        current = self.phone.e164 if self.phone else self.card.phone
        return contact_phones.next_offered(self.card.phones, current)


@dataclass(frozen=True)
class Desk:
    """Everything the lead screen shows at one moment."""

    lead: Lead | None
    upcoming: tuple[QueueItem, ...]
    today: TodayProgress
    settings: Settings
    next_callable: NextCallable | None = None  # when the desk is empty: what comes next


def _desk(
    db: Database,
    *,
    rep: str,
    now: datetime,
    item: QueueItem | None,
    recovered: bool = False,
    settings: Settings | None = None,
) -> Desk:
    settings = settings or current_settings(db)
    lead = None
    if item is not None:
        lead = Lead(
            item=item,
            card=contact_card(db, item.contact_id, now=now, settings=settings),
            draft=drafts.load_draft(db, rep, item.contact_id),
            recovered=recovered,
            colleagues=accounts.colleagues(db, item.contact_id, now=now),
        )
    upcoming = tuple(
        other
        for other in queue.build_queue(
            db, rep=rep, now=now, limit=PREVIEW_LENGTH + 1, settings=settings
        )
        if item is None or other.contact_id != item.contact_id
    )[:PREVIEW_LENGTH]
    today = rep_today(db, rep, now=now, settings=settings)
    waiting = None
    if lead is None and not upcoming:
        waiting = next_callable(db, rep=rep, now=now, settings=settings)
    return Desk(lead, upcoming, today, settings, waiting)


def start(db: Database, *, rep: str, now: datetime) -> Desk:
    """The first lead of a session: a dial left without an outcome comes first.

    The rep is ready from now (a pause or an offline state left behind ends).
    """
    settings = current_settings(db)  # read once for the whole start (it is on the start-up path)
    rep_states.change(db, rep, rep_states.READY, now)
    forgotten = claims.undispositioned_claims(db, rep=rep, now=now, settings=settings)
    if forgotten:
        return _desk(db, rep=rep, now=now, item=forgotten[0], recovered=True, settings=settings)
    return next_lead(db, rep=rep, now=now, settings=settings)


def next_lead(db: Database, *, rep: str, now: datetime, settings: Settings | None = None) -> Desk:
    """Claim the top of the rep's queue (or show an empty desk)."""
    settings = settings or current_settings(db)
    item = claims.claim_next(db, rep=rep, now=now, settings=settings)
    recovered = bool(item and item.lane == 0)
    return _desk(db, rep=rep, now=now, item=item, recovered=recovered, settings=settings)


@dataclass(frozen=True)
class Logged:
    """What logging a call did: the call, and the handoff it made (meeting set)."""

    call: LoggedCall
    handoff: handoffs.Handoff | None
    desk: Desk


@dataclass(frozen=True)
class OwnerChoice:
    """Outside reps a handoff may go to, and the one the territory map / round robin picks."""

    owners: tuple[str, ...]
    suggested: str | None
    problem: str | None


def suggest_owner(db: Database, card: ContactCard) -> OwnerChoice:
    """The outside rep the handoff service would choose for this contact."""
    settings = current_settings(db)
    owners = tuple(rep.name for rep in settings.outside_reps)
    try:
        chosen = choose_owner(
            db, settings, country=card.country, state=card.state, industry=card.industry
        )
    except ProspectorError as error:
        return OwnerChoice(owners, None, str(error))
    return OwnerChoice(owners, chosen.name, None)


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
    qualify: HandoffAnswers | None = None,
    phone: str | None = None,
    duration: int | None = None,
    timed: int | None = None,
    tags: tuple[str, ...] = (),
) -> Logged:
    """Log the call (which saves the note and clears the draft), then claim the next lead.

    With ``qualify`` (the qualification form's answers), the handoff is made with the
    call in one transaction, through the same service as the shell's ``log``: when it
    cannot be made (no outside rep, say), nothing is logged and the lead stays.
    ``phone`` is the number called when the rep switched (None: the dialled one).
    ``duration``: the talk time the rep typed; ``timed``: the call timer's seconds
    (see :func:`.calls.log_call`); ``tags``: the objections the call is tagged with.

    Raises:
        ProspectorError: nothing was logged (its text says why).
    """
    try:
        outcome = call_outcomes.log_outcome(
            db,
            contact_id,
            disposition,
            rep=rep,
            now=now,
            answers=qualify,
            note=note or None,
            callback=callback,
            callback_scope=callback_scope,
            phone=phone,
            duration=duration,
            timed=timed,
            tags=tags,
        )
    except ProspectorError as error:
        if qualify is None or isinstance(error, call_outcomes.MissingAnswersError):
            raise
        raise ProspectorError(f"{error} (nothing was logged)") from None
    return Logged(outcome.call, outcome.handoff, next_lead(db, rep=rep, now=now))


def skip_and_next(db: Database, contact_id: int, *, rep: str, reason: str, now: datetime) -> Desk:
    """Skip the held lead (it stays out of the queue a while), then claim the next."""
    claims.skip_contact(db, contact_id, rep=rep, reason=reason, now=now)
    return next_lead(db, rep=rep, now=now)


def open_contact(
    db: Database, contact_id: int, *, rep: str, now: datetime, why: str = "opened from search"
) -> Desk:
    """Claim a contact found by search (or chosen in the account view) and show it."""
    item = claims.claim_contact(db, contact_id, rep=rep, now=now, why=why)
    return _desk(db, rep=rep, now=now, item=item)


def mark_dialed(db: Database, contact_id: int, *, rep: str, now: datetime) -> ContactCard:
    """Record the dial start; returns the refreshed card."""
    claims.mark_dialed(db, contact_id, rep=rep, now=now)
    return contact_card(db, contact_id, now=now)


def pause(db: Database, code: str, *, rep: str, now: datetime) -> PauseCode:
    """Pause the rep: the lead held goes back to the queue untouched, nothing is claimed."""
    return rep_states.pause(db, rep, code, now)


def resume(db: Database, *, rep: str, now: datetime) -> Desk:
    """End the rep's pause and claim the next lead."""
    rep_states.resume(db, rep, now)
    return next_lead(db, rep=rep, now=now)


def switched(lead: Lead) -> Lead | None:
    """The lead with its call switched to its next number (None: no other may be dialled).

    Shown at once; ``contact_phones.switch_phone`` writes it to the audit log.
    """
    target = lead.next_phone
    if target is None:
        return None
    return replace(lead, switched_to=None if target.e164 == lead.card.phone else target)
