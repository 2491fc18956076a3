"""Injectable clocks: every rule that depends on "now" takes one.

Times inside Prospector are aware ``datetime`` objects; the database stores UTC text
(see :func:`to_db` / :func:`from_db`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day

Clock = Callable[[], datetime]
"""A zero-argument callable returning the current instant as an aware datetime."""

DB_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

# The instants and days Prospector works with. Anything a user types (--at, time
# words, report dates) must fall in here: a year 1 or 9999 is always a typo, and
# one step past either end of datetime's range is an OverflowError deep in a rule.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
EARLIEST = datetime.combine(FIRST_DAY, time_of_day.min, UTC)
LATEST = datetime.combine(LAST_DAY, time_of_day(23, 59, 59), UTC)
INSTANT_RANGE = f"{EARLIEST.strftime(DB_FORMAT)} to {LATEST.strftime(DB_FORMAT)}"
DAY_RANGE = f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"


def system_clock() -> datetime:
    """The real current instant, in UTC."""
    return datetime.now(UTC)


def fixed_clock(instant: datetime) -> Clock:
    """A clock stopped at ``instant`` (tests, ``--at`` on one-shot commands)."""
    if instant.tzinfo is None:
        raise ValueError("fixed_clock needs an aware datetime")
    pinned = instant.astimezone(UTC)
    return lambda: pinned


def running_clock(start: datetime) -> Clock:
    """A clock that starts at ``start`` and runs on in real time (``prospector --at``)."""
    if start.tzinfo is None:
        raise ValueError("running_clock needs an aware datetime")
    origin = time.monotonic()
    base = start.astimezone(UTC)
    return lambda: base + timedelta(seconds=time.monotonic() - origin)


def to_db(instant: datetime) -> str:
    """UTC text for the database, second resolution: sorts as it compares."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime cannot be stored")
    return instant.astimezone(UTC).strftime(DB_FORMAT)


def from_db(text: str) -> datetime:
    """Inverse of :func:`to_db`; raises ValueError for any other shape of text."""
    # fromisoformat is ~8x faster than strptime, and every queue item parses several
    # stamps; the shape test keeps it exactly as strict as DB_FORMAT.
    if len(text) == 20 and text[10] == "T" and text[19] == "Z" and text[:19].isascii():
        try:
            return datetime.fromisoformat(text[:19]).replace(tzinfo=UTC)
        except ValueError:
            pass  # strptime below names the problem
    return datetime.strptime(text, DB_FORMAT).replace(tzinfo=UTC)


def from_db_or_none(text: str | None) -> datetime | None:
    """:func:`from_db` for nullable columns."""
    return from_db(text) if text else None


def to_db_or_none(instant: datetime | None) -> str | None:
    """:func:`to_db` for nullable columns."""
    return to_db(instant) if instant else None


def in_range(instant: datetime) -> bool:
    """True when an aware instant lies within :data:`EARLIEST` … :data:`LATEST`."""
    return EARLIEST <= instant <= LATEST


def parse_instant(text: str) -> datetime:
    """Parse ISO 8601 with an offset or ``Z`` (the ``--at`` option).

    Raises:
        ValueError: the text is not ISO 8601, has no offset, or lies outside
            :data:`INSTANT_RANGE`; the message says which, quoting the text.
    """
    example = "(e.g. 2026-11-23T10:00:00-05:00)"
    try:
        value = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 time with an offset {example}") from None
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset {example}")
    try:
        inside = in_range(value.astimezone(UTC))
    except OverflowError:  # 0001-01-01T00:00:00+05:00 has no UTC instant at all
        inside = False
    if not inside:
        raise ValueError(f"{text!r} is outside the times Prospector reads, {INSTANT_RANGE}")
    return value
