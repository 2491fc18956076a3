"""Team days: the team's calendar days in its own time zone, as UTC text bounds.

Reports count by the team's days (``settings.team.timezone``), not by UTC days. A
day runs from local midnight to the next local midnight, so a DST day has 23 or
25 hours; the bounds are UTC text (``to_db``) so they compare with stored times.

Dates are read by :mod:`prospector.foundations.datewords` (``date_range_words``):
``2026-11-23``, ``today``, ``yesterday``, ``N days ago``, a weekday name (its last
occurrence, today included), and ranges such as ``last week``, ``this quarter``,
``nov 2026``, ``last N days`` or ``11/1 to 11/20``. Weeks are ISO weeks, Monday to
Sunday. Every day lies within 2000-01-01 … 2100-12-31.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from prospector.foundations.clock import FIRST_DAY, to_db
from prospector.foundations.datewords import date_range_words
from prospector.foundations.errors import ProspectorError, TimeWordsError


class ReportError(ProspectorError):
    """A report asked for with input that cannot be used (dates, names, options)."""


@dataclass(frozen=True)
class Period:
    """The team days ``first`` … ``last`` (both included) in ``zone``."""

    first: date
    last: date
    zone: ZoneInfo

    @property
    def start_utc(self) -> str:
        """UTC text of the first day's local midnight (included)."""
        return to_db(day_start(self.first, self.zone))

    @property
    def end_utc(self) -> str:
        """UTC text of the local midnight after the last day (excluded)."""
        return to_db(day_start(self.last + timedelta(days=1), self.zone))

    def days(self) -> list[date]:
        """Every team day of the period, in order."""
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The instant the team day ``day`` begins (local midnight), in UTC.

    Where a zone skips midnight itself (DST at 00:00), this is the first instant
    of the day that exists.
    """
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def team_day_bounds(day: date, zone: ZoneInfo) -> tuple[str, str]:
    """UTC text bounds ``[start, end)`` of one team day."""
    return to_db(day_start(day, zone)), to_db(day_start(day + timedelta(days=1), zone))


def team_day(instant: datetime, zone: ZoneInfo) -> date:
    """The team day an instant falls in."""
    return instant.astimezone(zone).date()


def day_hours(day: date, zone: ZoneInfo) -> float:
    """How long a team day lasts: 24, or 23/25 on DST days."""
    length = day_start(day + timedelta(days=1), zone) - day_start(day, zone)
    return length.total_seconds() / 3600


def week_monday(day: date) -> date:
    """The Monday of the ISO week holding ``day``."""
    return day - timedelta(days=day.weekday())


def period_of_words(words: str, *, zone: ZoneInfo, now: datetime) -> Period:
    """The period a day or range phrase names (the dashboard's typed period).

    Raises:
        TimeWordsError: not a day or a range of days, or outside the years
            2000-2100; the message quotes the words and says why.
    """
    first, last = date_range_words(words, zone=zone, now=now)
    return Period(first, last, zone)


def _read(option: str, text: str, zone: ZoneInfo, now: datetime) -> tuple[date, date]:
    try:
        return date_range_words(text, zone=zone, now=now)
    except TimeWordsError as error:
        raise TimeWordsError(f"{option} {error}") from None


def resolve_period(
    *,
    date_text: str | None = None,
    from_text: str | None = None,
    to_text: str | None = None,
    zone: ZoneInfo,
    now: datetime,
    default_days: int = 1,
) -> Period:
    """The period a report is asked for: ``--date``, or ``--from``/``--to``.

    ``--date`` may be a day or a range ("last week", "nov 2026"). ``--from`` takes
    the first day of what it reads and ``--to`` the last, so ``--from "last week"``
    starts on that Monday. A missing ``--to`` means today; a missing ``--from``
    means the ``default_days`` days ending at ``--to``; with neither, the
    ``default_days`` days ending today.

    Raises:
        TimeWordsError: a text that is not a date or a range of dates, or one
            outside 2000-01-01 … 2100-12-31; the message starts with the option.
        ReportError: ``--date`` together with ``--from``/``--to``, or ``--from``
            after ``--to``.
    """
    if date_text is not None:
        if from_text is not None or to_text is not None:
            raise ReportError("--date cannot be combined with --from or --to")
        first, last = _read("--date", date_text, zone, now)
        return Period(first, last, zone)
    start = _read("--from", from_text, zone, now)[0] if from_text is not None else None
    today = now.astimezone(zone).date()
    last = _read("--to", to_text, zone, now)[1] if to_text is not None else today
    first = start or max(last - timedelta(days=max(default_days, 1) - 1), FIRST_DAY)
    if first > last:
        raise ReportError(f"--from {first.isoformat()} is after --to {last.isoformat()}")
    return Period(first, last, zone)
