"""A call and what it makes, logged together: the handoff of a meeting set.

DESIGN §4.7: logging a call (call record, note, contact status, next time, claim
release, DNC entry, handoff) is one transaction. A disposition whose ``then`` is
``qualify`` (the default catalog's ``meeting_set``) makes the contact's handoff with
the call, in the same ``db.write()``: :func:`.calls.log_call` and
:func:`.handoffs.qualify` join it. The shell's ``log`` and the workbench's meeting
flow both come through :func:`log_outcome`.

What a qualifying disposition needs first is the team's data, not code: its
``requires`` in the settings' catalog names handoff fields (:data:`HANDOFF_FIELDS`;
the default ``meeting_set`` requires the meeting time). When one is missing, or the
handoff cannot be made (no outside rep to give it to, a meeting in the past, a
contact on the do-not-call list, a bad amount), nothing is logged at all: the rep
fixes the answer and logs again, and no contact is ever left qualified without its
handoff. Handoff answers given with a disposition that does not qualify are
refused rather than dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from prospector.foundations.db import Database
from prospector.foundations.errors import ProspectorError
from prospector.services import calls, handoffs
from prospector.services.calls import LoggedCall
from prospector.services.handoffs import Handoff
from prospector.services.settings import HANDOFF_FIELDS, Settings
from prospector.services.windows import current_settings


@dataclass(frozen=True)
class HandoffAnswers:
    """What the rep learnt for the handoff; None (or blank text) is "not given".

    The names are the settings' :data:`HANDOFF_FIELDS` (``requires``).
    """

    amount: Decimal | int | float | str | None = None
    meeting: datetime | str | None = None  # an aware instant, or time words
    owner: str | None = None
    budget: str | None = None
    authority: str | None = None
    need: str | None = None
    timeline: str | None = None
    note: str | None = None

    def given(self) -> tuple[str, ...]:
        """The names of the answers given, in :data:`HANDOFF_FIELDS` order."""
        return tuple(name for name in HANDOFF_FIELDS if _present(getattr(self, name)))

    def missing(self, required: tuple[str, ...]) -> tuple[str, ...]:
        """Those of ``required`` not given."""
        given = self.given()
        return tuple(name for name in required if name not in given)


assert tuple(f.name for f in fields(HandoffAnswers)) == HANDOFF_FIELDS


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


class MissingAnswersError(ProspectorError):
    """A qualifying disposition logged without the answers its settings require."""

    def __init__(self, disposition: str, missing: tuple[str, ...]) -> None:
        self.disposition = disposition
        self.missing = missing
        super().__init__(
            f"{disposition} makes a handoff and needs its {', '.join(missing)} first"
            " (the disposition's `requires` in the settings); nothing was logged"
        )


@dataclass(frozen=True)
class Outcome:
    """The call logged, and the handoff it made (None: its disposition does not qualify)."""

    call: LoggedCall
    handoff: Handoff | None

    def to_json(self) -> dict[str, Any]:
        """``log --json``: the call's keys, with ``handoff_id`` when a handoff was made."""
        shown = self.call.to_json()
        if self.handoff is not None:
            shown["handoff_id"] = self.handoff.id
        return shown


def log_outcome(
    db: Database,
    contact_id: int,
    disposition: str,
    *,
    rep: str,
    now: datetime,
    answers: HandoffAnswers | None = None,
    note: str | None = None,
    callback: datetime | None = None,
    callback_scope: str = "mine",
    duration: int | None = None,
    timed: int | None = None,
    phone: str | None = None,
    audit_switch: bool = False,
    settings: Settings | None = None,
    tags: tuple[str, ...] = (),
) -> Outcome:
    """Log the call (see :func:`.calls.log_call` for every argument but ``answers``);
    when ``disposition`` qualifies, make or update the contact's handoff from
    ``answers`` in the same transaction.

    Raises:
        MissingAnswersError: a qualifying disposition without its required answers.
        ProspectorError: handoff answers with a disposition that does not qualify; and
            whatever :func:`.calls.log_call` or :func:`.handoffs.qualify` raise. In
            every case nothing is written.
    """
    settings = settings or current_settings(db)
    chosen = settings.disposition(disposition)
    answers = answers or HandoffAnswers()
    qualifies = chosen.then == "qualify"
    if not qualifies and answers.given():
        raise ProspectorError(
            f"handoff answers ({', '.join(answers.given())}) go only with a disposition that"
            f" qualifies (then = qualify), not {chosen.code}; nothing was logged"
        )
    missing = answers.missing(chosen.requires) if qualifies else ()
    if missing:
        raise MissingAnswersError(chosen.code, missing)
    # Checked before the lock is taken, as log_call checks its own inputs.
    handoffs.parse_amount(answers.amount)
    with db.write():
        logged = calls.log_call(
            db,
            contact_id,
            chosen.code,
            rep=rep,
            now=now,
            note=note,
            callback=callback,
            callback_scope=callback_scope,
            duration=duration,
            timed=timed,
            phone=phone,
            audit_switch=audit_switch,
            settings=settings,
            tags=tags,
        )
        made = None
        if qualifies:
            made = handoffs.qualify(
                db,
                contact_id,
                rep=rep,
                now=now,
                amount=answers.amount,
                meeting_at=answers.meeting,
                owner=answers.owner or None,
                budget=answers.budget or None,
                authority=answers.authority or None,
                need=answers.need or None,
                timeline=answers.timeline or None,
                note=answers.note or None,
                settings=settings,
            )
    return Outcome(logged, made)
