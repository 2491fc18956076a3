"""Report dates: calendar days and ranges typed as a team lead says them.

They look back instead of ahead: a weekday or a month/day is its most recent
occurrence (today included). Days: ``today``, ``yesterday``, ``tomorrow``,
``N days ago``, ``mon``, ``last mon``, ``2026-11-20``, ``11/20``, ``nov 20``,
``nov 20 2026``. Ranges: ``this/last week|month|quarter|year`` (ISO weeks, Monday
to Sunday; calendar quarters), ``last N days`` (ending today), a month (``nov``:
the latest November, this one included; ``nov 2026``; ``2026-11``), a year
(``2026``), and ``A to B`` or ``A..B`` with a day or range on each side.

Every day lies within :data:`~.clock.DAY_RANGE`. Written dates follow
:mod:`.calendar_words`: ``nov 32`` is an error, never another day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from prospector.foundations.calendar_words import (
    WEEKDAY_STEPS,
    Unclear,
    calendar_date,
    check_year,
    count,
    make_date,
    month_word,
    weekday_word,
    words_of,
)
from prospector.foundations.clock import DAY_RANGE, FIRST_DAY, LAST_DAY
from prospector.foundations.errors import TimeWordsError

DATE_WORDS_HELP = (
    "expected YYYY-MM-DD, today, yesterday, N days ago, a weekday, last monday, 11/20,"
    " nov 20, nov 2026, 2026, this/last week, this/last month, this/last quarter,"
    " this/last year, last N days, or A to B"
)
_KNOWN = (
    "today",
    "yesterday",
    "tomorrow",
    "last",
    "this",
    "past",
    "day",
    "days",
    "ago",
    "the",
    "of",
)
_BEFORE_FIRST = f"it starts before {FIRST_DAY.isoformat()} (report dates run from {DAY_RANGE})"


def month_bounds(day: date) -> tuple[date, date]:
    """First and last day of the calendar month holding ``day``."""
    first = day.replace(day=1)
    return first, first + relativedelta(months=1, days=-1)


def quarter_bounds(day: date) -> tuple[date, date]:
    """First and last day of the calendar quarter holding ``day``."""
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return first, first + relativedelta(months=3, days=-1)


def _one_day(words: list[str], today: date) -> date | None:
    phrase = " ".join(words)
    if phrase in ("today", "yesterday", "tomorrow"):
        return today + timedelta(days=("yesterday", "today", "tomorrow").index(phrase) - 1)
    ago = re.fullmatch(r"(\d+) days? ago", phrase, re.ASCII)
    if ago:
        back = count(ago.group(1), limit=(today - FIRST_DAY).days, beyond=_BEFORE_FIRST)
        return today - timedelta(days=back)
    last = len(words) == 2 and words[0] == "last"
    weekday = weekday_word(words[-1]) if len(words) == 1 or last else None
    if weekday is not None:
        # The latest such weekday, today included; "last mon" never means today.
        return today + relativedelta(days=-1 if last else 0, weekday=WEEKDAY_STEPS[weekday](-1))
    return calendar_date(words, today, future=False)


def _month(words: list[str], today: date) -> tuple[date, date] | None:
    """``nov`` (the latest November), ``nov 2026``, ``2026-11``; else None."""
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})", words[0], re.ASCII) if len(words) == 1 else None
    if iso:
        return month_bounds(make_date(int(iso.group(1)), int(iso.group(2)), 1))
    month = month_word(words[0])
    if month is None or len(words) > 2:
        return None
    if len(words) == 2:
        if not re.fullmatch(r"\d{4}", words[1], re.ASCII):
            return None
        return month_bounds(make_date(int(words[1]), month, 1))
    year = today.year if month <= today.month else today.year - 1
    return month_bounds(make_date(year, month, 1))


def _span(words: list[str], today: date) -> tuple[date, date] | None:
    phrase = " ".join(words)
    monday = today - timedelta(days=today.weekday())
    named = {
        "this week": lambda: (monday, monday + timedelta(days=6)),
        "last week": lambda: (monday - timedelta(days=7), monday - timedelta(days=1)),
        "this month": lambda: month_bounds(today),
        "last month": lambda: month_bounds(today - relativedelta(months=1)),
        "this quarter": lambda: quarter_bounds(today),
        "last quarter": lambda: quarter_bounds(today - relativedelta(months=3)),
        "this year": lambda: (date(today.year, 1, 1), date(today.year, 12, 31)),
        "last year": lambda: (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    }
    if phrase in named:
        return named[phrase]()
    match = re.fullmatch(r"(?:last|past) (\d+) days?", phrase, re.ASCII)
    if match:
        days = count(match.group(1), limit=(today - FIRST_DAY).days + 1, beyond=_BEFORE_FIRST)
        if days < 1:
            raise Unclear("a range needs at least one day")
        return today - timedelta(days=days - 1), today
    if re.fullmatch(r"\d{4}", phrase, re.ASCII):
        year = check_year(int(phrase))
        return date(year, 1, 1), date(year, 12, 31)
    month = _month(words, today)
    if month is not None:
        return month
    day = _one_day(words, today)
    return (day, day) if day is not None else None


def _date_vocabulary(word: str) -> bool:
    return (
        word in _KNOWN
        or word.isdigit()
        or weekday_word(word) is not None
        or month_word(word) is not None
    )


def _checked(span: tuple[date, date]) -> tuple[date, date]:
    first, last = span
    if first < FIRST_DAY:
        raise Unclear(_BEFORE_FIRST)
    if last > LAST_DAY:
        raise Unclear(f"it ends after {LAST_DAY.isoformat()} (report dates run from {DAY_RANGE})")
    return first, last


def _read_range(text: str, today: date) -> tuple[date, date]:
    words = words_of(text)
    if not words:
        raise Unclear("it is empty")
    phrase = " ".join(words)
    parts = re.split(r"\s*\.\.\s*|\s+to\s+", phrase, flags=re.ASCII)
    if len(parts) == 2 and all(parts):
        first, last = _side(parts[0], today)[0], _side(parts[1], today)[1]
        if last < first:
            raise Unclear("the range ends before it starts")
        return first, last
    if len(parts) > 2:
        raise Unclear("a range has two ends (A to B)")
    return _side(phrase, today)


def _side(phrase: str, today: date) -> tuple[date, date]:
    words = phrase.split()
    span = _span(words, today)
    if span is None:
        unknown = next((word for word in words if not _date_vocabulary(word)), None)
        if unknown is None:
            raise Unclear(DATE_WORDS_HELP)
        raise Unclear(f"{unknown!r} is not understood; {DATE_WORDS_HELP}")
    return _checked(span)


def date_range_words(text: str, *, zone: ZoneInfo, now: datetime) -> tuple[date, date]:
    """The inclusive ``(first, last)`` team days a phrase names, as seen in ``zone``.

    Raises:
        TimeWordsError: the text is not a day or a range of days, ends before it
            starts, or reaches outside :data:`~.clock.DAY_RANGE`; the one-line
            message quotes the text and says what was not understood.
    """
    try:
        return _read_range(text, now.astimezone(zone).date())
    except Unclear as why:
        raise TimeWordsError(f"{text.strip()!r} is not a date: {why}") from None


def resolve_date_words(text: str, *, zone: ZoneInfo, now: datetime) -> date:
    """The one calendar day ``text`` names, as seen in ``zone``.

    Raises:
        TimeWordsError: the text is not a single day (see :func:`date_range_words`).
    """
    first, last = date_range_words(text, zone=zone, now=now)
    if first != last:
        raise TimeWordsError(
            f"{text.strip()!r} is not a date: it names the days {first} to {last}, not one day"
        )
    return first
