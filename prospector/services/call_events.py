"""What a phone system knows about a call: answered, ended, how long, the recording.

``prospector event`` hands these facts over (from a webhook relay, a PBX script).
They attach to the contact's call in progress when there is one (dialed, no
outcome logged yet): they wait in ``call_events`` and the call's
:func:`.calls.log_call` takes them, its duration becoming the talk time unless the
rep gave one. Otherwise they update the contact's last logged call, and the
report summaries move with its talk time. A hangup on a call in progress
(``ended_at``) is therefore in ``call_events.ended_at`` until the call is logged,
then in ``calls.ended_at``.

Every event is written to the audit log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from prospector.foundations.clock import from_db, from_db_or_none, parse_instant, to_db
from prospector.foundations.db import Database
from prospector.foundations.errors import NotFoundError, ProspectorError
from prospector.foundations.limits import MAX_CALL_SECONDS, MAX_ID, check_rep_name
from prospector.services import rep_states
from prospector.services.reports.summary import adjust_talk
from prospector.services.settings import Settings
from prospector.services.windows import current_settings

MAX_URL = 2000
"""Characters in a recording's address."""

FIELDS = ("contact_id", "answered_at", "ended_at", "duration", "recording", "rep")
"""The keys of one ``--stdin`` JSON line."""


@dataclass(frozen=True)
class CallEvent:
    """Facts about one call; None: not told."""

    contact_id: int
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    duration: int | None = None  # talk time in seconds
    recording_url: str | None = None

    def __post_init__(self) -> None:
        if not any(
            value is not None
            for value in (self.answered_at, self.ended_at, self.duration, self.recording_url)
        ):
            raise ProspectorError(
                "an event needs at least one of answered_at, ended_at, duration, recording"
            )
        if self.duration is not None and not 0 <= self.duration <= MAX_CALL_SECONDS:
            raise ProspectorError(
                f"duration {self.duration}: expected seconds from 0 to {MAX_CALL_SECONDS}"
            )
        talk_between(self.answered_at, self.ended_at)

    def to_json(self) -> dict[str, Any]:
        return {
            "answered_at": to_db(self.answered_at) if self.answered_at else None,
            "ended_at": to_db(self.ended_at) if self.ended_at else None,
            "duration": self.duration,
            "recording": self.recording_url,
        }


@dataclass(frozen=True)
class EventResult:
    """Where an event went and what the call now says."""

    contact_id: int
    call_id: int | None  # None: the call is in progress (the event waits for its log)
    answered_at: datetime | None
    ended_at: datetime | None
    talk_seconds: int | None  # None: not known yet
    recording_url: str | None

    @property
    def pending(self) -> bool:
        return self.call_id is None

    def to_json(self) -> dict[str, Any]:
        return {
            "contact_id": self.contact_id,
            "call_id": self.call_id,
            "pending": self.pending,
            "answered_at": to_db(self.answered_at) if self.answered_at else None,
            "ended_at": to_db(self.ended_at) if self.ended_at else None,
            "talk_seconds": self.talk_seconds,
            "recording": self.recording_url,
        }


def check_recording_url(url: str) -> str:
    """``url`` when it is an https address a terminal can show as a link.

    Raises:
        ProspectorError: not https, no host, too long, or with spaces or control characters.
    """
    expected = "an https:// address"
    if len(url) > MAX_URL:
        raise ProspectorError(f"recording: longer than {MAX_URL} characters; expected {expected}")
    if any(c.isspace() or not c.isprintable() or c in "[]" for c in url):
        raise ProspectorError(f"recording {url[:80]!r}: expected {expected} with no spaces")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ProspectorError(f"recording {url[:80]!r}: expected {expected}") from None
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise ProspectorError(f"recording {url[:80]!r}: expected {expected}")
    return url


def talk_between(answered: datetime | None, ended: datetime | None) -> int | None:
    """Seconds from answer to hangup, when both are known.

    Raises:
        ProspectorError: the call ended before it was answered, or lasted over a day.
    """
    if answered is None or ended is None:
        return None
    seconds = int((ended - answered).total_seconds())
    if seconds < 0:
        raise ProspectorError(f"ended_at {to_db(ended)} is before answered_at {to_db(answered)}")
    if seconds > MAX_CALL_SECONDS:
        raise ProspectorError(f"answered_at to ended_at is over a day ({seconds} s)")
    return seconds


def parse_line(text: str, number: int) -> tuple[CallEvent, str | None]:
    """One ``--stdin`` line: the event and the ``rep`` it names (None: not named).

    Raises:
        ProspectorError: ``stdin line N: field: expected ...``.
    """
    where = f"stdin line {number}"
    try:
        data = json.loads(text)
    except ValueError:
        raise ProspectorError(f"{where}: expected one JSON object") from None
    if not isinstance(data, dict):
        raise ProspectorError(f"{where}: expected one JSON object")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ProspectorError(f"{where}: {unknown[0]}: expected one of {', '.join(FIELDS)}")

    def field(name: str, kinds: tuple[type, ...], expected: str) -> Any:
        value = data.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, kinds)):
            raise ProspectorError(f"{where}: {name}: expected {expected}")
        return value

    contact_id = field("contact_id", (int,), "a contact id")
    if contact_id is None or not 1 <= contact_id <= MAX_ID:
        raise ProspectorError(f"{where}: contact_id: expected a contact id")
    instants = {}
    for name in ("answered_at", "ended_at"):
        value = field(name, (str,), "ISO 8601 time with an offset")
        try:
            instants[name] = parse_instant(value) if value is not None else None
        except ValueError:
            expected = "ISO 8601 time with an offset"
            raise ProspectorError(f"{where}: {name}: expected {expected}") from None
    duration = field("duration", (int,), f"seconds from 0 to {MAX_CALL_SECONDS}")
    recording = field("recording", (str,), "an https:// address")
    rep = field("rep", (str,), "a rep's name")
    if rep is not None:
        try:
            check_rep_name(rep)
        except ProspectorError as error:
            raise ProspectorError(f"{where}: rep: {error}") from None
    try:
        event = CallEvent(
            contact_id,
            answered_at=instants["answered_at"],
            ended_at=instants["ended_at"],
            duration=duration,
            recording_url=check_recording_url(recording) if recording is not None else None,
        )
    except ProspectorError as error:
        raise ProspectorError(f"{where}: {error}") from None
    return event, rep


def record_event(
    db: Database,
    event: CallEvent,
    *,
    rep: str,
    now: datetime,
    settings: Settings | None = None,
) -> EventResult:
    """Attach ``event`` to the contact's call in progress, else to its last call.

    Raises:
        NotFoundError: no such contact.
        ProspectorError: no call in progress and none logged; the times, with what the
            call already holds, end before they start.
    """
    settings = settings or current_settings(db)
    now = now.astimezone(UTC)
    with db.write(serial=False):
        contact = db.one(
            "SELECT c.id, c.dialed_at, c.claimed_by FROM contacts c WHERE c.id = ?"
            + db.dialect.lock_rows_of("c"),
            (event.contact_id,),
        )
        if contact is None:
            raise NotFoundError(f"no contact with id {event.contact_id}")
        if contact["dialed_at"] is not None:
            result = _to_call_in_progress(db, event, rep=rep, now=now)
            if event.ended_at is not None and contact["claimed_by"] is not None:
                # The phone hung up: the rep holding the call is wrapping it up now.
                rep_states.hangup(db, contact["claimed_by"], now, contact_id=event.contact_id)
        else:
            result = _to_last_call(db, event, settings)
        db.execute(
            "INSERT INTO audit_log (at, actor, action, subject, detail)"
            " VALUES (?, ?, 'call.event', ?, ?)",
            (
                to_db(now),
                rep,
                f"contact:{event.contact_id}",
                json.dumps({**event.to_json(), "call_id": result.call_id}, separators=(",", ":")),
            ),
        )
    return result


def _to_call_in_progress(db: Database, event: CallEvent, *, rep: str, now: datetime) -> EventResult:
    was = db.one("SELECT * FROM call_events WHERE contact_id = ?", (event.contact_id,))
    merged = _merged(was, event)
    talk = (
        merged.duration
        if merged.duration is not None
        else talk_between(merged.answered_at, merged.ended_at)
    )
    db.execute(
        """INSERT INTO call_events (contact_id, rep, received_at, answered_at, ended_at,
                                    duration_seconds, recording_url)
           VALUES (:id, :rep, :now, :answered, :ended, :duration, :recording)
           ON CONFLICT (contact_id) DO UPDATE SET
               rep = excluded.rep, received_at = excluded.received_at,
               answered_at = excluded.answered_at, ended_at = excluded.ended_at,
               duration_seconds = excluded.duration_seconds,
               recording_url = excluded.recording_url""",
        {
            "id": event.contact_id,
            "rep": rep,
            "now": to_db(now),
            "answered": _stamp(merged.answered_at),
            "ended": _stamp(merged.ended_at),
            "duration": merged.duration,
            "recording": merged.recording_url,
        },
    )
    return EventResult(
        event.contact_id, None, merged.answered_at, merged.ended_at, talk, merged.recording_url
    )


def _to_last_call(db: Database, event: CallEvent, settings: Settings) -> EventResult:
    call = db.one(
        """SELECT k.*, c.source FROM calls k JOIN contacts c ON c.id = k.contact_id
           WHERE k.contact_id = ? ORDER BY k.at DESC, k.id DESC LIMIT 1""",
        (event.contact_id,),
    )
    if call is None:
        raise ProspectorError(
            f"contact {event.contact_id} has no call in progress and no call logged"
        )
    merged = _merged(call, event, duration_column=None)
    talk = (
        merged.duration
        if merged.duration is not None
        else talk_between(merged.answered_at, merged.ended_at)
    )
    old = int(call["duration_seconds"])
    new = old if talk is None else talk
    db.execute(
        """UPDATE calls SET answered_at = ?, ended_at = ?, recording_url = ?,
               duration_seconds = ? WHERE id = ?""",
        (
            _stamp(merged.answered_at),
            _stamp(merged.ended_at),
            merged.recording_url,
            new,
            call["id"],
        ),
    )
    if new != old:
        adjust_talk(
            db,
            source=call["source"],
            rep=call["rep"],
            at=from_db(call["at"]),
            category=call["category"],
            attempt=call["attempt"],
            change=new - old,
            settings=settings,
        )
    return EventResult(
        event.contact_id, int(call["id"]), merged.answered_at, merged.ended_at, new,
        merged.recording_url,
    )  # fmt: skip


def _merged(row: Any, event: CallEvent, duration_column: str | None = "duration_seconds"):
    """``event`` over what ``row`` (a pending event or a call) already holds.

    Raises:
        ProspectorError: the merged times end before they start.
    """
    if row is None:
        return event
    return CallEvent(
        event.contact_id,
        answered_at=event.answered_at or from_db_or_none(row["answered_at"]),
        ended_at=event.ended_at or from_db_or_none(row["ended_at"]),
        duration=event.duration
        if event.duration is not None or duration_column is None
        else row[duration_column],
        recording_url=event.recording_url or row["recording_url"],
    )


def _stamp(at: datetime | None) -> str | None:
    return to_db(at) if at is not None else None


@dataclass(frozen=True)
class PendingEvent:
    """A phone system's facts about a call in progress, taken by its log."""

    answered_at: str | None
    ended_at: str | None
    recording_url: str | None
    talk_seconds: int | None


def take_pending(db: Database, contact_id: int, dialed_at: str | None) -> PendingEvent | None:
    """Remove the contact's waiting event and return it when it belongs to the dial
    started at ``dialed_at`` (one received before that dial, or with no dial, is
    stale: dropped). Call inside the transaction that logs the call."""
    row = db.one("DELETE FROM call_events WHERE contact_id = ? RETURNING *", (contact_id,))
    if row is None:
        return None
    if dialed_at is None or from_db(row["received_at"]) < from_db(dialed_at):
        return None
    talk = row["duration_seconds"]
    if talk is None:
        talk = talk_between(from_db_or_none(row["answered_at"]), from_db_or_none(row["ended_at"]))
    return PendingEvent(row["answered_at"], row["ended_at"], row["recording_url"], talk)
