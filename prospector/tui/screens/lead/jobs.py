"""What the lead screen runs on worker threads, and the messages that bring the results back.

Each job function here builds a :data:`Job`: a no-argument callable that
:func:`run` runs off the event loop. A job uses the worker thread's own
connection, calls the desk, and returns messages for the screen to handle; it
never touches a widget.

The messages are posted to the lead screen and carry its namespace, so their
handlers there are named ``on_lead_screen_*`` as for messages nested in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message
from textual.screen import Screen

from prospector.foundations.errors import ProspectorError
from prospector.services import claims, contact_phones, dial_command, drafts, rep_states
from prospector.services.calls import LoggedCall
from prospector.services.contacts import ContactCard
from prospector.services.settings import Disposition
from prospector.tui import desk
from prospector.tui.desk import Desk, OwnerChoice

if TYPE_CHECKING:
    from prospector.tui.app import ProspectorApp
    from prospector.tui.dialogs.qualify import QualifyDialog
    from prospector.tui.screens.lead.outcomes import Answers
    from prospector.tui.widgets.note_editor import DraftFence, DraftWriter

Job = Callable[[], Message | list[Message] | None]

NAMESPACE = "lead_screen"  # handler names: on_lead_screen_<message>


# --- messages: what the workers found out -------------------------------------------


@dataclass
class LeadClaimed(Message, namespace=NAMESPACE):
    """A lead was claimed (or none is callable: ``desk.lead`` is None)."""

    desk: Desk


@dataclass
class CallLogged(Message, namespace=NAMESPACE):
    """A call was logged on ``name``."""

    logged: LoggedCall
    name: str
    label: str


@dataclass
class HandoffCreated(Message, namespace=NAMESPACE):
    """A qualified lead was handed to ``owner`` (handoff ``handoff_id``)."""

    handoff_id: int
    name: str
    owner: str


@dataclass
class OwnerSuggested(Message, namespace=NAMESPACE):
    """The outside reps for the qualification form, and the suggested one."""

    choice: OwnerChoice
    dialog: QualifyDialog


@dataclass
class LeadSkipped(Message, namespace=NAMESPACE):
    """The lead ``name`` was released for ``reason``."""

    name: str
    reason: str


@dataclass
class DialStarted(Message, namespace=NAMESPACE):
    """The dial started; ``card`` is the lead's card as it now reads.

    ``argv``: the dial command to run now (None: none is set)."""

    card: ContactCard
    argv: list[str] | None = None


@dataclass
class DialFailed(Message, namespace=NAMESPACE):
    """The dial command could not run or failed; ``text`` is one line for the rep."""

    text: str


@dataclass
class Paused(Message, namespace=NAMESPACE):
    """The rep is paused for ``label`` since ``since``; their lead went back to the queue."""

    label: str
    since: datetime


@dataclass
class ClaimLost(Message, namespace=NAMESPACE):
    """The rep no longer holds the lead ``contact_id``; ``why`` says why."""

    contact_id: int
    why: str


@dataclass
class ClaimRenewed(Message, namespace=NAMESPACE):
    """The rep's lease on the lead ``contact_id`` now ends at ``expires_at``."""

    contact_id: int
    expires_at: datetime


@dataclass
class ActionFailed(Message, namespace=NAMESPACE):
    """A worker could not do what was asked; ``text`` is for the rep.

    ``ends_claim`` is set when the job was one that ends by claiming a lead (run
    with ``claiming=True``): no lead will come from it.
    """

    text: str
    ends_claim: bool = False


# --- running them -------------------------------------------------------------------


def run(screen: Screen, job: Job, *, claiming: bool = False) -> None:
    """Run ``job`` on a worker thread; post what it returns to ``screen``.

    A :class:`ProspectorError` becomes :class:`ActionFailed` with its text; any
    other error too, and is logged and re-raised so the worker shows it as failed.

    Args:
        claiming: ``job`` ends by claiming a lead (its :class:`LeadClaimed`); when
            it fails instead, its :class:`ActionFailed` has ``ends_claim`` set.
    """
    screen.run_worker(
        partial(_work, screen, job, claiming),
        name="_worker",
        group="lead",
        thread=True,
        exit_on_error=False,
    )


def _work(screen: Screen, job: Job, claiming: bool) -> None:
    try:
        result = job()
    except ProspectorError as error:
        screen.post_message(ActionFailed(str(error), ends_claim=claiming))
        return
    except Exception as error:  # a bug must not freeze the desk: report, log, go on
        screen.log.error(f"workbench worker failed: {error!r}")
        screen.post_message(ActionFailed(f"unexpected error: {error!r}", ends_claim=claiming))
        raise
    for message in result if isinstance(result, list) else [result]:
        if message is not None:
            screen.post_message(message)


# --- jobs ---------------------------------------------------------------------------


def start(app: ProspectorApp) -> Job:
    """The session's first lead (a dial left without an outcome comes first)."""
    return lambda: LeadClaimed(desk.start(app.database(), rep=app.rep, now=app.clock()))


def next_lead(app: ProspectorApp) -> Job:
    """Claim the top of the rep's queue."""
    return lambda: LeadClaimed(desk.next_lead(app.database(), rep=app.rep, now=app.clock()))


def open_contact(app: ProspectorApp, contact_id: int, *, why: str) -> Job:
    """Claim a contact found by search or chosen in the account view (``why`` says which)."""
    return lambda: LeadClaimed(
        desk.open_contact(app.database(), contact_id, rep=app.rep, now=app.clock(), why=why)
    )


def log_call(
    app: ProspectorApp,
    card: ContactCard,
    chosen: Disposition,
    note: str,
    answers: Answers,
    fence: DraftFence,
    phone: str | None = None,
    timed: int | None = None,
    tags: tuple[str, ...] = (),
) -> Job:
    """Log ``chosen`` with ``note`` and the dialog's answers, then claim the next lead.

    ``fence`` runs first, on the worker: no draft asked for before it is written
    after the call (whose log deletes the draft). ``phone`` is the number called
    when the rep switched (None: the contact's dialled one); ``timed``, the seconds
    the call's timer ran (the talk time of a connect, unless the rep typed one);
    ``tags``, the objections the call is tagged with.
    """

    def job() -> list[Message]:
        fence()
        done = desk.log_and_next(
            app.database(),
            card.contact_id,
            chosen.code,
            rep=app.rep,
            now=app.clock(),
            note=note,
            callback=answers.callback,
            callback_scope=answers.scope,
            qualify=answers.qualify,
            phone=phone,
            duration=answers.talk,
            timed=timed,
            tags=tags,
        )
        messages: list[Message] = [CallLogged(done.call, card.name, chosen.label)]
        if done.handoff is not None:
            messages.append(HandoffCreated(done.handoff.id, card.name, done.handoff.owner))
        messages.append(LeadClaimed(done.desk))
        return messages

    return job


def suggest_owner(app: ProspectorApp, card: ContactCard, dialog: QualifyDialog) -> Job:
    """Find the outside rep the handoff would go to, for the open qualification form."""
    return lambda: OwnerSuggested(desk.suggest_owner(app.database(), card), dialog)


def skip(app: ProspectorApp, card: ContactCard, reason: str) -> Job:
    """Release the lead for ``reason``, then claim the next."""

    def job() -> list[Message]:
        after = desk.skip_and_next(
            app.database(), card.contact_id, rep=app.rep, reason=reason, now=app.clock()
        )
        return [LeadSkipped(card.name, reason), LeadClaimed(after)]

    return job


def mark_dialed(app: ProspectorApp, card: ContactCard, argv: list[str] | None = None) -> Job:
    """Record that the dial started; ``argv``, the dial command, runs once it is."""
    return lambda: DialStarted(
        desk.mark_dialed(app.database(), card.contact_id, rep=app.rep, now=app.clock()), argv
    )


def run_dial(app: ProspectorApp, argv: list[str]) -> Job:
    """Run the dial command and watch it briefly (:func:`.dial_command.run_dial`)."""

    def job() -> DialFailed | None:
        try:
            dial_command.run_dial(argv, now=app.clock())
        except dial_command.DialError as error:
            return DialFailed(str(error))
        return None

    return job


def pause(app: ProspectorApp, code: str) -> Job:
    """Pause the rep with ``code`` (the lead held goes back to the queue)."""

    def job() -> Message:
        now = app.clock()
        chosen = desk.pause(app.database(), code, rep=app.rep, now=now)
        return Paused(chosen.label, now)

    return job


def resume(app: ProspectorApp) -> Job:
    """End the pause, then claim the next lead."""
    return lambda: LeadClaimed(desk.resume(app.database(), rep=app.rep, now=app.clock()))


def wrap_up(app: ProspectorApp, contact_id: int) -> Job:
    """The call ended and its outcome is being told (until it is logged)."""

    def job() -> None:
        rep_states.change(
            app.database(), app.rep, rep_states.WRAP_UP, app.clock(), contact_id=contact_id
        )

    return job


def record_switch(app: ProspectorApp, contact_id: int, was: str, now_on: str) -> Job:
    """Write the rep's switch of numbers to the audit log (the screen shows it already)."""

    def job() -> None:
        contact_phones.switch_phone(
            app.database(), contact_id, now_on, rep=app.rep, now=app.clock(), current=was
        )

    return job


def renew_claim(app: ProspectorApp, contact_id: int) -> Job:
    """Extend the lease on the held lead; says so when it is no longer the rep's."""

    def job() -> Message:
        try:
            until = claims.renew_claim(app.database(), contact_id, rep=app.rep, now=app.clock())
        except ProspectorError as error:
            return ClaimLost(contact_id, str(error))
        return ClaimRenewed(contact_id, until)

    return job


def draft_writer(app: ProspectorApp) -> DraftWriter:
    """Stores the rep's draft notes; safe on any thread (each uses its own connection)."""

    def write(contact_id: int, text: str) -> None:
        drafts.save_draft(app.database(), app.rep, contact_id, text, app.clock())

    return write
