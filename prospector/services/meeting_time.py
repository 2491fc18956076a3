"""Reading a handoff's meeting time: time words in the prospect's zone (DESIGN §4.8)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from prospector.foundations.errors import TimeWordsError
from prospector.foundations.timewords import resolve_time_words


def resolve_meeting(value: datetime | str, *, zone: ZoneInfo, now: datetime) -> datetime:
    """The meeting instant in UTC.

    Text is time words read in ``zone`` (the prospect's), ISO 8601 with an offset
    included (taken as written). A meeting already past is refused: it is almost
    always a typo, and a handoff tells an outside rep where to be.

    Raises:
        TimeWordsError: not a time, or a time in the past; the message starts
            with "meeting" so it names what was typed wherever it is shown.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("meeting_at must be an aware datetime")
        instant = value
        shown = value.isoformat()
    else:
        shown = value.strip()
        try:
            instant = resolve_time_words(shown, zone=zone, now=now)
        except TimeWordsError as error:
            raise TimeWordsError(f"meeting {error}") from None
    if instant <= now:
        local = instant.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        raise TimeWordsError(f"meeting {shown!r} is {local}, which is in the past")
    return instant.astimezone(UTC)
