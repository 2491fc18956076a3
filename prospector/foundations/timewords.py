"""Time words: callback and report times typed as people say them (DESIGN §4.8).

Grammar (case-insensitive; ``at`` and commas are ignored)::

    in N minutes|min|hours|h|days|d|weeks      elapsed time from now
    [DAY] TIME [ZONE]   or   TIME [DAY] [ZONE]
    DAY  = today | tomorrow | mon..sun | next mon..sun | this mon..sun
         | 2026-12-01 | 12/1 | 12/1/2026 | dec 1 | 1 december 2026
    TIME = 3pm | 3:30pm | 9:30 | 15:00 | noon | midnight
    ZONE = ET PT CT MT AKT HT AT NT (and their S/D forms) | UTC | GMT | UK
         | any IANA name (Europe/London)

Rules, chosen so that nothing is a guess:

* Text is read in ``zone`` (the prospect's) unless it names one.
* A time with no day is its next occurrence (today if still ahead, else tomorrow);
  a weekday alone is its next occurrence at that time (today if still ahead);
  ``next mon`` is the first Monday after today, never today; a month/day without a
  year is its next occurrence.
* A bare number (``3``) is not a time: it needs am/pm or a colon.
* A wall time inside a spring-forward gap (02:30 on the night clocks jump from 02:00
  to 03:00) does not exist: it is an error, not silently moved. A wall time that
  happens twice (fall back) is its first occurrence.
* Absolute dates written with month names go through python-dateutil; everything
  else is this module's own small grammar.

Report dates (:func:`resolve_date_words`, :func:`date_range_words`) look back
instead: a weekday or a month/day is its most recent occurrence (today included),
``N days ago``, and ranges ``this/last week|month|quarter``, ``last N days``,
``A to B``. The reports and the dashboard read their dates with these.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

from prospector.foundations.errors import TimeWordsError

_WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "weds": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}

_ZONE_WORDS = {
    **dict.fromkeys(("et", "est", "edt", "eastern"), "America/New_York"),
    **dict.fromkeys(("ct", "cst", "cdt", "central"), "America/Chicago"),
    **dict.fromkeys(("mt", "mst", "mdt", "mountain"), "America/Denver"),
    **dict.fromkeys(("az", "arizona"), "America/Phoenix"),
    **dict.fromkeys(("pt", "pst", "pdt", "pacific"), "America/Los_Angeles"),
    **dict.fromkeys(("akt", "akst", "akdt", "alaska"), "America/Anchorage"),
    **dict.fromkeys(("ht", "hst", "hawaii"), "Pacific/Honolulu"),
    **dict.fromkeys(("ast", "adt", "atlantic"), "America/Halifax"),
    **dict.fromkeys(("nt", "nst", "ndt", "newfoundland"), "America/St_Johns"),
    **dict.fromkeys(("uk", "bst", "london"), "Europe/London"),
    **dict.fromkeys(("utc", "gmt", "z"), "UTC"),
}

_UNITS = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), timedelta(minutes=1)),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), timedelta(hours=1)),
    **dict.fromkeys(("d", "day", "days"), timedelta(days=1)),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), timedelta(weeks=1)),
}

_RELATIVE = re.compile(r"^in\s+(\d+|an?|half\s+an?)\s*([a-z]+)$")
# A clock time needs am/pm or a colon: a bare "3" is not a time.
_TIME_AMPM = re.compile(r"(?<![\w/:.-])(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|a|p)(?![\w])")
_TIME_24H = re.compile(r"(?<![\w/:.-])(\d{1,2}):(\d{2})(?![\w/:])")
_TIME_WORDS = re.compile(r"(?<![\w])(noon|midday|midnight)(?![\w])")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$")
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})t(\d{1,2}:\d{2})$")


def _not_a_time(text: str, why: str) -> TimeWordsError:
    return TimeWordsError(f"{text!r} is not a time: {why}")


def _not_a_date(text: str, why: str) -> TimeWordsError:
    return TimeWordsError(f"{text!r} is not a date: {why}")


@functools.cache
def _iana_names() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def zone_named(word: str) -> ZoneInfo | None:
    """The zone a word names (``ET``, ``pt``, ``UK``, ``Europe/London``), else None."""
    key = word.strip().lower()
    if key in _ZONE_WORDS:
        return ZoneInfo(_ZONE_WORDS[key])
    name = _iana_names().get(key) if "/" in key or key == "utc" else None
    return ZoneInfo(name) if name else None


def _split_zone(text: str, zone: ZoneInfo) -> tuple[str, ZoneInfo]:
    words = text.split()
    if len(words) >= 2:
        named = zone_named(words[-1])
        if named is not None:
            return " ".join(words[:-1]), named
    return text, zone


def _clean(text: str) -> str:
    value = text.strip().lower().replace(",", " ")
    value = re.sub(r"(?<![\w])(at|@)(?![\w])", " ", value)
    return re.sub(r"\s+", " ", value).strip()


def _wall_to_instant(original: str, day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The instant of a wall time in ``zone``: first occurrence; gaps are errors."""
    local = datetime.combine(day, clock, tzinfo=zone)  # fold=0: the first occurrence
    round_trip = local.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise _not_a_time(
            original,
            f"{local:%Y-%m-%d %H:%M} does not exist in {zone.key}"
            " (the clocks spring forward over it)",
        )
    return local


def _take_clock(text: str, original: str) -> tuple[time | None, str]:
    """Find the clock time in ``text``; return it and the text without it."""
    found: list[tuple[re.Match[str], time]] = []
    for match in _TIME_AMPM.finditer(text):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise _not_a_time(original, f"{match.group(0)!r} is not a clock time")
        pm = match.group(3).startswith("p")
        found.append((match, time(hour % 12 + (12 if pm else 0), minute)))
    for match in _TIME_24H.finditer(text):
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise _not_a_time(original, f"{match.group(0)!r} is not a clock time")
        if not any(m.start() <= match.start() < m.end() for m, _ in found):
            found.append((match, time(hour, minute)))
    for match in _TIME_WORDS.finditer(text):
        found.append((match, time(0) if match.group(1) == "midnight" else time(12)))
    if len(found) > 1:
        raise _not_a_time(original, "it names more than one clock time")
    if not found:
        return None, text
    match, clock = found[0]
    rest = (text[: match.start()] + " " + text[match.end() :]).strip()
    return clock, re.sub(r"\s+", " ", rest)


def _next_month_day(month: int, day: int, today: date, original: str) -> date:
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise _not_a_time(original, f"{month}/{day} is not a calendar date")


def _absolute_date(phrase: str, today: date, original: str, *, future: bool) -> date | None:
    """ISO, month/day(/year), or a date with a month name (via dateutil)."""
    match = _ISO_DATE.match(phrase)
    try:
        if match:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        match = _SLASH_DATE.match(phrase)
        if match:
            month, day = int(match.group(1)), int(match.group(2))
            if match.group(3):
                year = int(match.group(3))
                return date(year + 2000 if year < 100 else year, month, day)
            if future:
                return _next_month_day(month, day, today, original)
            candidate = date(today.year, month, day)
            return candidate if candidate <= today else date(today.year - 1, month, day)
    except ValueError as error:
        if phrase == _clean(original):
            raise TimeWordsError(f"{original!r} is not a calendar date") from error
        raise TimeWordsError(f"{original!r}: {phrase!r} is not a calendar date") from error
    # Month names ("dec 1", "1 december 2026"): dateutil, strictly (no fuzzy guessing),
    # and only for text that has letters and a number in it.
    if not (re.search(r"[a-z]{3}", phrase) and re.search(r"\d", phrase)):
        return None
    try:
        parsed = dateutil_parser.parse(phrase, default=datetime(today.year, 1, 1))
    except (ValueError, OverflowError):
        return None
    if parsed.time() != time(0):
        return None
    if re.search(r"\d{4}", phrase):
        return parsed.date()
    if future:
        return _next_month_day(parsed.month, parsed.day, today, original)
    candidate = parsed.date()
    return candidate if candidate <= today else candidate.replace(year=today.year - 1)


def resolve_time_words(text: str, *, zone: ZoneInfo, now: datetime) -> datetime:
    """The instant ``text`` names, read in ``zone`` unless the text names a zone.

    Args:
        text: words such as ``tomorrow 3pm``, ``tue 10am``, ``in 2 hours``,
            ``2026-12-01 14:00``, ``12/1 2pm``, ``3pm ET``, ``15:00 Europe/London``.
        zone: the zone to read wall times in (the prospect's).
        now: the current instant (aware).

    Returns:
        An aware datetime in the zone the time was read in.

    Raises:
        TimeWordsError: the text is not a time (the message says so and why);
            a wall time that the clocks skip (spring forward) is an error too.
    """
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    original = text
    words, zone = _split_zone(text.strip(), zone)
    phrase = _clean(words)
    if not phrase:
        raise _not_a_time(original, "it is empty")
    local_now = now.astimezone(zone)
    if phrase == "now":
        return local_now
    match = _RELATIVE.match(phrase)
    if match:
        unit = _UNITS.get(match.group(2))
        if unit is None:
            raise _not_a_time(original, f"{match.group(2)!r} is not a unit of time")
        amount = match.group(1)
        count = 0.5 if amount.startswith("half") else 1 if amount in ("a", "an") else int(amount)
        return (now + count * unit).astimezone(zone)
    iso = _ISO_DATETIME.match(phrase)
    if iso:
        phrase = f"{iso.group(1)} {iso.group(2)}"
    clock, day_words = _take_clock(phrase, original)
    if clock is None and re.fullmatch(r"\d{1,4}", day_words):
        raise _not_a_time(original, "a bare number needs am/pm or a colon (3pm, 15:00)")
    if clock is None:
        raise _not_a_time(original, "no time of day (add one, e.g. '10am' or '14:30')")
    today = local_now.date()

    def first_at_or_after(start: date, step_days: int = 1) -> datetime:
        day = start
        while True:
            instant = _wall_to_instant(original, day, clock, zone)
            if instant > local_now:
                return instant
            day += timedelta(days=step_days)

    if day_words == "":
        return first_at_or_after(today)
    if day_words == "today":
        return _wall_to_instant(original, today, clock, zone)
    if day_words in ("tomorrow", "tmrw", "tmr"):
        return _wall_to_instant(original, today + timedelta(days=1), clock, zone)
    weekday = re.fullmatch(r"(next |this )?([a-z]+)", day_words)
    if weekday and weekday.group(2) in _WEEKDAYS:
        target = _WEEKDAYS[weekday.group(2)]
        ahead = (target - today.weekday()) % 7
        if weekday.group(1) == "next ":
            return _wall_to_instant(original, today + timedelta(days=ahead or 7), clock, zone)
        return first_at_or_after(today + timedelta(days=ahead), step_days=7)
    day = _absolute_date(day_words, today, original, future=True)
    if day is None:
        raise _not_a_time(original, f"{day_words!r} is not a day")
    return _wall_to_instant(original, day, clock, zone)


DATE_WORDS_HELP = (
    "expected YYYY-MM-DD, today, yesterday, N days ago, a weekday, last monday, 11/20,"
    " nov 20, this/last week, this/last month, this/last quarter, last N days, or A to B"
)


def month_bounds(day: date) -> tuple[date, date]:
    """First and last day of the calendar month holding ``day``."""
    first = day.replace(day=1)
    following = date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)
    return first, following - timedelta(days=1)


def quarter_bounds(day: date) -> tuple[date, date]:
    """First and last day of the calendar quarter holding ``day``."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    first = date(day.year, first_month, 1)
    following = (
        date(day.year + 1, 1, 1) if first_month == 10 else date(day.year, first_month + 3, 1)
    )
    return first, following - timedelta(days=1)


def resolve_date_words(text: str, *, zone: ZoneInfo, now: datetime) -> date:
    """The calendar day ``text`` names, as seen in ``zone`` (report dates).

    ``today``, ``yesterday``, ``tomorrow``, ``N days ago``, a weekday (``mon``: the
    most recent Monday, today included), ``last mon`` (the most recent Monday before
    today), ``2026-11-20``, ``11/20`` (the most recent such day, today included),
    ``nov 20``.

    Raises:
        TimeWordsError: the text is not a date.
    """
    phrase = _clean(text)
    if not phrase:
        raise _not_a_date(text, "it is empty")
    today = now.astimezone(zone).date()
    if phrase == "today":
        return today
    if phrase == "yesterday":
        return today - timedelta(days=1)
    if phrase == "tomorrow":
        return today + timedelta(days=1)
    ago = re.fullmatch(r"(\d+) days? ago", phrase)
    if ago:
        return today - timedelta(days=int(ago.group(1)))
    weekday = re.fullmatch(r"(last )?([a-z]+)", phrase)
    if weekday and weekday.group(2) in _WEEKDAYS:
        back = (today.weekday() - _WEEKDAYS[weekday.group(2)]) % 7
        if weekday.group(1) and back == 0:
            back = 7
        return today - timedelta(days=back)
    day = _absolute_date(phrase, today, text, future=False)
    if day is None:
        raise _not_a_date(text, DATE_WORDS_HELP)
    return day


def date_range_words(text: str, *, zone: ZoneInfo, now: datetime) -> tuple[date, date]:
    """The inclusive ``(first, last)`` days a phrase names, as seen in ``zone``.

    ``this week`` / ``last week`` (ISO weeks, Monday to Sunday), ``this month`` /
    ``last month``, ``this quarter`` / ``last quarter`` (calendar quarters),
    ``last 7 days`` / ``last N days`` (ending today), ``A to B`` or ``A..B`` with date
    words on each side, or any single date word (a one-day range).

    Raises:
        TimeWordsError: the text is not a date range, or it ends before it starts.
    """
    phrase = _clean(text)
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    if phrase == "this week":
        return monday, monday + timedelta(days=6)
    if phrase == "last week":
        return monday - timedelta(days=7), monday - timedelta(days=1)
    if phrase == "this month":
        return month_bounds(today)
    if phrase == "last month":
        return month_bounds(today.replace(day=1) - timedelta(days=1))
    if phrase == "this quarter":
        return quarter_bounds(today)
    if phrase == "last quarter":
        return quarter_bounds(quarter_bounds(today)[0] - timedelta(days=1))
    match = re.fullmatch(r"(?:last|past) (\d+) days?", phrase)
    if match:
        count = int(match.group(1))
        if count < 1:
            raise _not_a_date(text, "a range needs at least one day")
        return today - timedelta(days=count - 1), today
    parts = re.split(r"\s*\.\.\s*|\s+to\s+", phrase)
    if len(parts) == 2:
        first = resolve_date_words(parts[0], zone=zone, now=now)
        last = resolve_date_words(parts[1], zone=zone, now=now)
        if last < first:
            raise _not_a_date(text, "the range ends before it starts")
        return first, last
    try:
        day = resolve_date_words(phrase, zone=zone, now=now)
    except TimeWordsError as error:
        if "calendar date" in str(error):
            raise
        raise _not_a_date(text, DATE_WORDS_HELP) from None
    return day, day
