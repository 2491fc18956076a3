"""Logging calls (DESIGN §4.7): one transaction for everything a disposition changes.

The call row, its note, the contact's status and next call time, the claim release,
the DNC entry and the phone's "bad" mark are written together under
``BEGIN IMMEDIATE``, or not at all. Every input is checked before anything is written.

What happens next, by the disposition's ``then``:

* ``retry``: due again after ``retry``, moved to the next moment the window is open;
  an explicit callback time replaces that (and reserves the contact). A contact that
  reaches its tier's ``max_attempts`` without ever having a conversation becomes
  ``exhausted`` (``recycle_at`` from the tier's ``recycle``); both are counted within
  the current cycle when the contact was recycled (:mod:`.recycling`).
* ``callback``: due at the agreed time, reserved for the rep ("mine") or for anyone;
  a missed personal callback opens to anyone after ``callback_grace_minutes``.
* ``close``: status ``closed``; ``recycle_at`` from the disposition's ``recycle``.
* ``qualify`` (meeting set): status ``qualified`` with close reason
  ``awaiting handoff``, until ``qualify`` makes the handoff.
* ``wrong_number``: the number the call was made on is marked bad. When the contact
  has another good number, that one is dialled from now on and the contact stays
  open, due again as after a retry (the disposition's ``retry``, if any; the daily
  cap and the tier's maximum attempts apply); when none is left it is ``closed``.
* ``do_not_call``: number added to the DNC list, status ``dnc``, forever.

A qualified contact stays qualified whatever is logged on it later: the call (and
its note) is recorded and counted, a wrong number is still marked bad, but no
retry, callback or recycle moves it, so it never re-enters the queue while its
handoff waits or after. DNC still wins: a ``do_not_call`` call (or a number on the
list) makes it ``dnc``, and every export then leaves its handoff out.

The daily cap (``max_dials_per_day`` per contact per local day) is applied here:
once a contact has had that many dials in its local day, its next retry moves to the
next local day's first open moment, so the queue never needs to count calls. An
agreed callback time is kept as agreed.

A call is made on the contact's dialled number unless the rep switched to another
of its numbers (``phone``); the call row records which. A connect on a switched
number makes it the contact's dialled number (:mod:`.contact_phones`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from prospector.foundations.clock import from_db, from_db_or_none, to_db
from prospector.foundations.db import Database
from prospector.foundations.errors import ProspectorError
from prospector.foundations.limits import check_call_seconds
from prospector.foundations.timewords import resolve_time_words
from prospector.services import call_events, contact_phones, rep_states
from prospector.services.call_tags import objection_labels, write_tags
from prospector.services.claims import record_rep, refuse_if_held_by_other
from prospector.services.contact_phones import (
    ContactPhone,
    make_dialled,
    mark_bad,
    require_phone,
)
from prospector.services.dnc import add_dnc_in_transaction
from prospector.services.drafts import clear_draft
from prospector.services.meeting_time import resolve_meeting
from prospector.services.reports.summary import record_call
from prospector.services.settings import Settings
from prospector.services.window_reasons import closed_reason
from prospector.services.windows import (
    Locale,
    calling_time_between,
    current_settings,
    is_open,
    load_contact,
    local_day_start,
    next_local_day_open,
    next_open,
)

CALLBACK_SCOPES = ("mine", "anyone")


@dataclass(frozen=True)
class CallbackCheck:
    """A callback (or meeting) time shown back before saving, in both zones, with its
    window check: why the prospect cannot be called then, and when they next can."""

    at: datetime  # in the prospect's zone
    rep_time: datetime  # the same instant in the rep's (team's) zone
    inside_window: bool
    next_open: datetime | None  # when the window next opens, if ``at`` is outside it
    timezones: tuple[str, ...]
    reason: str | None = None  # why ``at`` is outside the window (:mod:`.window_reasons`)

    @property
    def warning(self) -> str | None:
        """ "Thanksgiving Day: nobody is called that day; next open Fri 09:00 EST", or None."""
        if self.inside_window:
            return None
        text = self.reason or "outside the prospect's calling window"
        if self.next_open:
            text += f"; next open {self.next_open.astimezone(self.at.tzinfo):%a %H:%M %Z}"
        return text

    def describe(self) -> str:
        """One line: "Tue 24 Nov 15:00 EST (prospect) = 15:00 EST (you)" plus a warning."""
        text = f"{self.at:%a %d %b %H:%M %Z} (prospect) = {self.rep_time:%a %H:%M %Z} (you)"
        if self.warning:
            text += f" — {self.warning}"
        return text


@dataclass(frozen=True)
class LoggedCall:
    """What :func:`log_call` wrote."""

    call_id: int
    contact_id: int
    disposition: str
    category: str
    attempt: int
    status: str
    next_call_at: datetime | None  # None when the contact left the queue
    callback: CallbackCheck | None
    dnc_added: bool
    timezones: tuple[str, ...]
    phone: str  # the number the call was made on
    phone_ext: str | None
    next_phone: ContactPhone | None = None  # a wrong number's replacement, now dialled
    kept_qualified: bool = False  # the contact was qualified and stays so
    tags: tuple[str, ...] = ()  # the objections' labels the call is tagged with

    def to_json(self) -> dict[str, Any]:
        """The keys of DESIGN §5 (``log``); times in the prospect's offset."""
        return {
            "call_id": self.call_id,
            "contact_id": self.contact_id,
            "disposition": self.disposition,
            "status": self.status,
            "next_call_at": self.next_call_at.isoformat() if self.next_call_at else None,
            "phone": self.phone,
            "phone_ext": self.phone_ext,
            "next_phone": self.next_phone.e164 if self.next_phone else None,
            "tags": list(self.tags),
        }


def contact_locale(db: Database, contact_id: int) -> Locale:
    """The contact's locale (zones, country, state).

    Raises:
        NotFoundError: no such contact.
    """
    return load_contact(db, contact_id)[1]


def check_time(locale: Locale, at: datetime, settings: Settings) -> CallbackCheck:
    """``at`` (a callback or a meeting) against the prospect's calling window."""
    inside = is_open(locale, at, settings)
    return CallbackCheck(
        at=at.astimezone(locale.primary_zone),
        rep_time=at.astimezone(settings.team.zone),
        inside_window=inside,
        next_open=None if inside else next_open(locale, at, settings),
        timezones=locale.zones,
        reason=None if inside else closed_reason(locale, at, settings),
    )


def resolve_callback(
    db: Database,
    contact_id: int,
    text: str,
    *,
    now: datetime,
    settings: Settings | None = None,
) -> CallbackCheck:
    """Read callback time words in the prospect's zone (unless they name one) and check them.

    Raises:
        NotFoundError: no such contact.
        TimeWordsError: the text is not a time.
    """
    settings = settings or current_settings(db)
    locale = contact_locale(db, contact_id)
    at = resolve_time_words(text, zone=locale.primary_zone, now=now)
    return check_time(locale, at, settings)


def check_meeting(
    db: Database,
    contact_id: int,
    value: datetime | str,
    *,
    now: datetime,
    settings: Settings | None = None,
) -> CallbackCheck:
    """Read a meeting time as :func:`.meeting_time.resolve_meeting` does and check it
    against the prospect's calling window.

    The outside rep meets the prospect, so the prospect's calendar decides: their
    holidays and weekends and the window's hours (a meeting at 18:00 or on
    Thanksgiving is most likely a typo, or at least worth a second look).

    Raises:
        NotFoundError: no such contact.
        TimeWordsError: not a time, or a time in the past.
    """
    settings = settings or current_settings(db)
    locale = contact_locale(db, contact_id)
    instant = resolve_meeting(value, zone=locale.primary_zone, now=now)
    return check_time(locale, instant, settings)


def _check_inputs(
    disposition_then: str,
    callback: datetime | None,
    scope: str,
    durations: tuple[int | None, ...],
    now: datetime,
) -> None:
    if scope not in CALLBACK_SCOPES:
        raise ProspectorError(f"callback scope {scope!r}: expected 'mine' or 'anyone'")
    for seconds in durations:
        if seconds is not None:
            check_call_seconds(seconds)
    if disposition_then == "callback" and callback is None:
        raise ProspectorError("a callback needs a time (e.g. --callback 'tue 10am')")
    if callback is not None:
        if callback.tzinfo is None:
            raise ValueError("callback must be an aware datetime")
        if disposition_then not in ("callback", "retry"):
            raise ProspectorError(
                f"a callback time cannot follow a disposition that closes the contact"
                f" ({disposition_then})"
            )
        if callback <= now:
            raise ProspectorError(
                f"callback time {callback.isoformat(timespec='minutes')} is not in the future"
            )


def log_call(
    db: Database,
    contact_id: int,
    disposition: str,
    *,
    rep: str,
    now: datetime,
    note: str | None = None,
    callback: datetime | None = None,
    callback_scope: str = "mine",
    duration: int | None = None,
    timed: int | None = None,
    phone: str | None = None,
    audit_switch: bool = False,
    settings: Settings | None = None,
    tags: tuple[str, ...] = (),
) -> LoggedCall:
    """Record a call on a contact and everything that follows from its disposition.

    Args:
        contact_id: the contact called.
        disposition: a code (``no_answer``) or hotkey (``1``) from the settings catalog.
        rep: the inside rep who called.
        now: when the call is logged.
        note: free text kept with the call.
        callback: an agreed time (required for ``callback``; allowed for retries).
        callback_scope: ``mine`` (reserved for ``rep``) or ``anyone``.
        duration: talk time in seconds, 0 to a day (:data:`.limits.MAX_CALL_SECONDS`),
            as the rep gave it. None: a phone system's (``prospector event`` on the call
            in progress), else ``timed`` for a connect, else 0.
        timed: the seconds the desk's timer ran from the dial to the outcome key.
        phone: the number called, one of the contact's (E.164); None: the dialled one.
        audit_switch: write the switch to ``phone`` to the audit log with the call
            (the command line; the workbench audits it when the rep presses the key).
        tags: the objections the prospect raised, by key or label (``[[objections]]``).

    The contact must be claimed by ``rep`` or by no one (an expired lease counts as no
    one); logging releases the claim.

    Raises:
        NotFoundError: unknown contact.
        SettingsError: unknown disposition or objection.
        ClaimError: another rep holds the contact with a live lease.
        ProspectorError: a callback time that is missing, in the past, or given with a
            closing disposition; a bad scope or duration; a ``phone`` the contact does
            not have, or one marked bad or on the DNC list.
    """
    settings = settings or current_settings(db)
    now = now.astimezone(UTC)
    chosen = settings.disposition(disposition)
    _check_inputs(chosen.then, callback, callback_scope, (duration, timed), now)
    labels = objection_labels(settings, tags)
    # Joined by :func:`.call_outcomes.log_outcome` (a meeting set). On PostgreSQL a
    # plain call locks only its contact's row, so reps log side by side; adding to
    # the DNC list (it reaches other contacts) takes the write lock.
    with db.write_or_join(serial=chosen.then == "do_not_call"):
        row, locale = load_contact(db, contact_id, lock=True, rep=rep)
        refuse_if_held_by_other(row, rep, now)
        told = (
            call_events.take_pending(db, contact_id, row["dialed_at"])
            if row["event_waiting"]
            else None
        )
        if duration is None:
            if told is not None and told.talk_seconds is not None:
                duration = told.talk_seconds
            else:
                duration = timed if timed is not None and chosen.is_connect else 0
        switched = (
            require_phone(db, contact_id, phone) if phone not in (None, row["phone"]) else None
        )
        if switched and audit_switch:
            contact_phones.audit_switch(db, contact_id, row["phone"], switched, rep=rep, now=now)
        called, called_raw, called_ext = (
            (switched.e164, switched.raw, switched.extension)
            if switched
            else (row["phone"], row["phone_raw"], row["phone_ext"])
        )
        if not row["rep_known"]:
            record_rep(db, rep, now)
        # A call logged ends its wrap-up (a lunch begun meanwhile goes on).
        rep_states.enter(db, rep, rep_states.READY, now, keep_paused=True, settings=settings)
        attempt = int(row["attempts"]) + 1
        conversations = int(row["conversations"]) + int(chosen.is_conversation)
        tier = settings.tier(row["tier"])
        # A contact with any number on the DNC list is DNC as a whole.
        on_dnc = bool(
            row["dnc"] or row["on_dnc_list"] or row["phone_on_dnc"] or row["status"] == "dnc"
        )
        status, close_reason = "open", None
        next_at: datetime | None = None
        callback_at, callback_rep = None, None
        recycle_at = from_db_or_none(row["recycle_at"])
        phone_bad = int(row["phone_bad"])
        dnc_added = False
        next_phone: ContactPhone | None = None

        def due_again() -> None:
            """As after a retry: the disposition's delay, the window, the daily cap, and
            the tier's maximum attempts within the current cycle."""
            nonlocal status, close_reason, next_at, recycle_at
            earliest = now + chosen.retry.as_timedelta() if chosen.retry else now
            next_at = next_open(locale, earliest, settings) or earliest
            dials_today = db.execute(
                "SELECT count(*) FROM calls WHERE contact_id = ? AND at >= ?",
                (contact_id, to_db(local_day_start(locale, now))),
            ).fetchone()[0]
            if dials_today + 1 >= settings.calling.max_dials_per_day:
                tomorrow = next_local_day_open(locale, now, settings)
                if tomorrow is not None and tomorrow > next_at:
                    next_at = tomorrow
            # Counted within the current cycle: a recycled contact gets its attempts anew.
            if (
                tier
                and attempt - row["cycle_attempts_base"] >= tier.max_attempts
                and conversations == row["cycle_conversations_base"]
            ):
                status, close_reason, next_at = (
                    "exhausted",
                    "max attempts without a conversation",
                    None,
                )
                recycle_at = now + tier.recycle.as_timedelta() if tier.recycle else None

        if chosen.then == "retry" and callback is None:
            due_again()
        elif chosen.then in ("retry", "callback"):
            assert callback is not None
            next_at = callback.astimezone(UTC)
            callback_at = next_at
            callback_rep = rep if callback_scope == "mine" else None
        elif chosen.then == "close":
            status, close_reason = "closed", chosen.code
            recycle_at = now + chosen.recycle.as_timedelta() if chosen.recycle else None
        elif chosen.then == "qualify":
            status, close_reason = "qualified", "awaiting handoff"
        elif chosen.then == "wrong_number":
            next_phone = mark_bad(db, contact_id, called)
            if next_phone is None:
                status, close_reason, phone_bad = "closed", "wrong number", 1
            else:
                due_again()
        elif chosen.then == "do_not_call":
            change = add_dnc_in_transaction(
                db, [(called, called_raw)], actor=rep, now=now, reason="asked on a call"
            )
            dnc_added = change.numbers == 1
            on_dnc = True
        kept_qualified = row["status"] == "qualified" and not on_dnc
        if on_dnc:
            # DNC is absolute: whatever was said, the contact never comes back.
            status, close_reason, next_at = "dnc", "do not call", None
            callback_at = callback_rep = None
        else:
            if kept_qualified:
                # Its handoff is made: a later call is history, never a way back into
                # the queue (nor a second owner for a contact sales already has).
                status, close_reason, next_at = "qualified", row["close_reason"], None
                callback_at = callback_rep = None
                recycle_at = from_db_or_none(row["recycle_at"])
            if switched is not None and chosen.is_connect and chosen.then != "wrong_number":
                # Reached on the number the rep switched to: the one to dial from now on.
                make_dialled(db, contact_id, switched.e164)

        dialed_at = row["dialed_at"] if row["claimed_by"] == rep else None
        call_id = db.insert(
            """INSERT INTO calls (contact_id, rep, at, dialed_at, disposition, category,
                   attempt, duration_seconds, note, callback_at, callback_scope,
                   next_call_at, status_after, phone, phone_ext, answered_at, ended_at,
                   recording_url)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                contact_id,
                rep,
                to_db(now),
                dialed_at,
                chosen.code,
                chosen.counts_as,
                attempt,
                duration,
                note or None,
                to_db(callback_at) if callback_at else None,
                callback_scope if callback_at else None,
                to_db(next_at) if next_at else None,
                status,
                called,
                called_ext,
                told.answered_at if told else None,
                told.ended_at if told else None,
                told.recording_url if told else None,
            ),
        )
        write_tags(db, int(call_id), labels)
        record_call(
            db,
            source=row["source"],
            rep=rep,
            at=now,
            category=chosen.counts_as,
            attempt=attempt,
            duration_seconds=duration,
            settings=settings,
        )
        if row["draft_waiting"]:
            clear_draft(db, rep, contact_id)  # the note is in the call now
        stamp = to_db(now)
        working = None
        if row["first_dial_at"] is None:  # speed to lead in the prospect's calling time
            arrived = from_db(row["created_at"])
            working = int(calling_time_between(locale, arrived, now, settings).total_seconds())
        db.execute(
            """UPDATE contacts SET attempts = :attempt, conversations = :conversations,
                   first_dial_at = coalesce(first_dial_at, :now), last_dial_at = :now,
                   first_dial_working_seconds = coalesce(first_dial_working_seconds, :working),
                   status = :status, close_reason = :close_reason,
                   next_call_at = coalesce(:next_at, next_call_at),
                   callback_at = :callback_at, callback_rep = :callback_rep,
                   recycle_at = :recycle_at, phone_bad = :phone_bad,
                   dnc = CASE WHEN :on_dnc = 1 THEN 1 ELSE dnc END,
                   claimed_by = NULL, claim_expires_at = NULL, dialed_at = NULL,
                   deferred_until = NULL, updated_at = :now
               WHERE id = :id""",
            {
                "attempt": attempt,
                "conversations": conversations,
                "now": stamp,
                "status": status,
                "close_reason": close_reason,
                "next_at": to_db(next_at) if next_at else None,
                "callback_at": to_db(callback_at) if callback_at else None,
                "callback_rep": callback_rep,
                "recycle_at": to_db(recycle_at) if recycle_at else None,
                "phone_bad": phone_bad,
                "on_dnc": int(on_dnc),
                "working": working,
                "id": contact_id,
            },
        )  # last: on PostgreSQL its triggers lock the shared report rows until the commit
    check = check_time(locale, callback_at, settings) if callback_at is not None else None
    zone: ZoneInfo = locale.primary_zone
    return LoggedCall(
        call_id=int(call_id or 0),
        contact_id=contact_id,
        disposition=chosen.code,
        category=chosen.counts_as,
        attempt=attempt,
        status=status,
        next_call_at=next_at.astimezone(zone) if next_at and status == "open" else None,
        callback=check,
        dnc_added=dnc_added,
        timezones=locale.zones,
        phone=called,
        phone_ext=called_ext,
        next_phone=next_phone if status == "open" else None,
        kept_qualified=kept_qualified,
        tags=labels,
    )
