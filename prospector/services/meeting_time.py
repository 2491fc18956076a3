"""Reading a handoff's meeting time: time words in the prospect's zone (DESIGN §4.8)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from prospector.foundations.errors import TimeWordsError
from prospector.foundations.timewords import resolve_time_words


def resolve_meeting(value: datetime | str, *, zone: ZoneInfo, now: datetime) -> datetime:
    """The meeting instant in UTC.

    Text is ISO 8601 with an offset (taken as written) or time words read in
    ``zone`` (the prospect's). A meeting already past is refused: it is almost
    always a typo, and a handoff tells an outside rep where to be.

    Raises:
        TimeWordsError: not a time, or a time in the past.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("meeting_at must be an aware datetime")
        instant = value
        shown = value.isoformat()
    else:
        shown = value.strip()
        instant = _iso_with_offset(shown) or resolve_time_words(shown, zone=zone, now=now)
    if instant <= now:
        local = instant.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        raise TimeWordsError(f"meeting {shown!r} is {local}, which is in the past")
    return instant.astimezone(UTC)


def _iso_with_offset(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
