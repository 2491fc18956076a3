"""The outcome keys, and what each outcome asks before its call is logged.

Most outcomes are logged at once. Do-not-call asks to confirm, a callback asks
when and for whom, a meeting set opens the qualification form; each hands the
rep's answers on to be logged, or nothing when the rep goes back to the lead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from prospector.foundations.clock import Clock
from prospector.services.call_outcomes import HandoffAnswers
from prospector.services.calls import check_time
from prospector.services.contacts import ContactCard
from prospector.services.settings import Disposition, Settings
from prospector.services.windows import Locale

if TYPE_CHECKING:
    from prospector.tui.dialogs.callback import CallbackChoice
    from prospector.tui.dialogs.qualify import QualifyDialog, QualifyForm
    from prospector.tui.widgets.time_preview import WindowCheck


@dataclass(frozen=True)
class Answers:
    """What the rep told the outcome's dialog, for logging the call."""

    callback: datetime | None = None
    scope: str = "mine"  # who may take the callback: "mine" or "anyone"
    qualify: HandoffAnswers | None = None  # the qualification form's answers
    talk: int | None = None  # talk time the rep typed over the timer's (None: kept)


LogCall = Callable[[Answers], None]


OUTCOME_KEYS = "1234567890"
OUTCOME_BINDINGS = [
    Binding(key, f"disposition('{key}')", "", id=f"lead.outcome.{key}") for key in OUTCOME_KEYS
]
"""One binding per digit, for the lead screen's ``BINDINGS``, first there so that they
come first in its footer, in key order. Each runs the screen's ``disposition(key)``
action; the team's catalog says what each logs and names it (:func:`describe`); a
digit the catalog does not use is hidden (see :func:`by_key`)."""


def by_key(settings: Settings | None, key: object) -> Disposition | None:
    """The catalog's disposition with hotkey ``key`` (None: none, or no settings yet)."""
    if settings is None:
        return None
    return next((d for d in settings.dispositions if d.key == key), None)


def describe(binding: Binding, settings: Settings | None) -> Binding:
    """An outcome key's binding named as the team's catalog names its disposition.

    Its label shows in the footer, the help screen and the command palette. Any
    other binding is returned as it is.
    """
    if not (binding.id or "").startswith("lead.outcome."):
        return binding
    chosen = by_key(settings, binding.key)
    if chosen is None:
        return binding
    return replace(
        binding,
        description=chosen.label,
        show=True,
        tooltip=f"Log {chosen.label} ({chosen.counts_as})",
    )


def asks_first(chosen: Disposition) -> bool:
    """Whether ``chosen`` opens a dialog before its call is logged (:func:`ask_then_log`)."""
    return chosen.then in ("do_not_call", "callback", "qualify")


def ask_then_log(
    app: App[object],
    chosen: Disposition,
    card: ContactCard,
    *,
    settings: Settings,
    clock: Clock,
    note: str,
    log: LogCall,
    talk: int | None = None,
    back: Callable[[], None] | None = None,
) -> QualifyDialog | None:
    """Open the dialog ``chosen`` needs (if any) for the call on ``card``, then ``log``.

    Args:
        note: the note typed so far (the qualification form starts from it).
        log: called with the answers once the rep has given them; never when the
            rep goes back to the lead.
        talk: the timed call's seconds, shown in the dialog (callback, meeting set)
            for the rep to correct (None: no field).
        back: called when the rep goes back to the lead instead.

    Returns:
        The qualification form when one was opened: its owner is suggested later.
    """
    if chosen.then == "do_not_call":
        from prospector.tui.dialogs.confirm_dnc import ConfirmDncDialog

        def confirmed(yes: bool | None) -> None:
            if yes:
                log(Answers())
            elif back is not None:
                back()

        app.push_screen(ConfirmDncDialog(card.name, card.phone_national), confirmed)
    elif chosen.then == "callback":
        from prospector.tui.dialogs.callback import CallbackDialog

        def agreed(choice: CallbackChoice | None) -> None:
            if choice is not None:
                log(Answers(callback=choice.at, scope=choice.scope, talk=choice.talk))
            elif back is not None:
                back()

        app.push_screen(
            CallbackDialog(
                name=card.name,
                prospect_zone=card.local_time.tzinfo,  # type: ignore[arg-type]
                rep_zone=settings.team.zone,
                now=clock,
                window_check=window_check(card, settings),
                talk=talk,
            ),
            agreed,
        )
    elif chosen.then == "qualify":
        return _qualify(
            app,
            card,
            settings=settings,
            clock=clock,
            note=note,
            log=log,
            required=chosen.requires,
            talk=talk,
            back=back,
        )
    else:
        log(Answers())
    return None


def window_check(card: ContactCard, settings: Settings) -> WindowCheck:
    """Says why an instant is outside the prospect's calling window and when it next
    opens (None when open): the rep may still keep it."""
    locale = Locale(0, card.timezones, card.country or "", card.state or "")

    def check(instant: datetime) -> str | None:
        return check_time(locale, instant, settings).warning

    return check


def _qualify(
    app: App[object],
    card: ContactCard,
    *,
    settings: Settings,
    clock: Clock,
    note: str,
    log: LogCall,
    required: tuple[str, ...] = (),
    talk: int | None = None,
    back: Callable[[], None] | None = None,
) -> QualifyDialog:
    """Meeting set: the qualification form at once; the suggested owner fills in later."""
    from prospector.tui.dialogs.qualify import QualifyDialog

    def answered(form: QualifyForm | None) -> None:
        if form is not None:
            log(Answers(qualify=handoff_fields(form), talk=form.talk))
        elif back is not None:
            back()

    dialog = QualifyDialog(
        name=card.name,
        owners=[rep.name for rep in settings.outside_reps],
        suggested_owner=None,
        prospect_zone=card.local_time.tzinfo,  # type: ignore[arg-type]
        rep_zone=settings.team.zone,
        now=clock,
        window_check=window_check(card, settings),
        note=note,
        required=required,
        talk=talk,
    )
    app.push_screen(dialog, answered)
    return dialog


def handoff_fields(form: QualifyForm) -> HandoffAnswers:
    """The form's answers, as the call's log takes them for the handoff."""
    return HandoffAnswers(
        amount=form.amount,
        meeting=form.meeting_at,
        owner=form.owner,
        budget=form.budget,
        authority=form.authority,
        need=form.need,
        timeline=form.timeline,
        note=form.note,
    )
