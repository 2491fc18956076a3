"""Time words: callback and meeting times typed as people say them (DESIGN §4.8).

Grammar (case-insensitive; commas, ``on`` and ``at``/``@`` before other words are
ignored)::

    in N minutes|min|hours|h|days|d|weeks      elapsed time from now
    [DAY] TIME [ZONE]   or   TIME [DAY] [ZONE]
    2026-12-01T14:00[:00][Z|-05:00]             ISO 8601 (an offset names the instant)
    DAY  = today | tonight | tomorrow | mon..sun | next mon..sun | this mon..sun
         | [WEEKDAY] DATE
    DATE = 2026-12-01 | 12/1 | 12/1/26 | 12/1/2026 | dec 1 | dec 1st 2026
         | 1 december | 1st of december 2026
    TIME = 3pm | 3 pm | 3:30pm | 9:30 | 15:00 | noon | midnight
    ZONE = any word of the zone table: ET PT CT MT AZ AKT HT AT NT (and their
           S/D forms), UTC GMT Z UK BST, eastern ... newfoundland, optionally
           followed by "time"; or an IANA name (Europe/London)

Rules, chosen so that nothing is a guess:

* Every word must play a part in that grammar: a stray number (``dec 1 12 3pm``,
  ``3pm 5``), a second time or zone, or an unknown word is an error naming it.
* An impossible date (``dec 32``, ``feb 30``, ``13/45``) is an error, never rolled
  into the next month; a weekday that contradicts its date (``mon dec 1`` when
  Dec 1 is a Tuesday) is an error, and so is a month without a day.
* ``AT`` as the last word is Atlantic time; anywhere else ``at`` is a filler.
* Text is read in ``zone`` (the prospect's) unless it names one.
* A time with no day is its next occurrence (today if still ahead, else tomorrow);
  a weekday alone is its next occurrence at that time (today if still ahead);
  ``next mon`` is the first Monday after today, never today; a month/day without a
  year is its next occurrence within a year (``feb 29`` may need its year).
* A bare number (``3``) is not a time: it needs am/pm or a colon.
* A wall time inside a spring-forward gap (02:30 on the night clocks jump from 02:00
  to 03:00) does not exist: it is an error, not silently moved. A wall time that
  happens twice (fall back) is its first occurrence.
* Times and dates lie within the years 2000-2100 (:data:`~.clock.INSTANT_RANGE`).

Report dates (``N days ago``, ``last mon``, ``last week``, ``nov 2026``...) are read
by :mod:`prospector.foundations.datewords` with the same calendar rules.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from prospector.foundations.calendar_words import (
    WEEKDAY_STEPS,
    Unclear,
    calendar_date,
    count,
    month_word,
    weekday_word,
    words_of,
)
from prospector.foundations.clock import EARLIEST, INSTANT_RANGE, LATEST, in_range
from prospector.foundations.errors import TimeWordsError

_ZONE_WORDS = {
    **dict.fromkeys(("et", "est", "edt", "eastern"), "America/New_York"),
    **dict.fromkeys(("ct", "cst", "cdt", "central"), "America/Chicago"),
    **dict.fromkeys(("mt", "mst", "mdt", "mountain"), "America/Denver"),
    **dict.fromkeys(("az", "arizona"), "America/Phoenix"),
    **dict.fromkeys(("pt", "pst", "pdt", "pacific"), "America/Los_Angeles"),
    **dict.fromkeys(("akt", "akst", "akdt", "alaska"), "America/Anchorage"),
    **dict.fromkeys(("ht", "hst", "hawaii"), "Pacific/Honolulu"),
    **dict.fromkeys(("at", "ast", "adt", "atlantic"), "America/Halifax"),
    **dict.fromkeys(("nt", "nst", "ndt", "newfoundland"), "America/St_Johns"),
    **dict.fromkeys(("uk", "bst", "london"), "Europe/London"),
    **dict.fromkeys(("utc", "gmt", "z"), "UTC"),
}
ZONE_WORDS = frozenset(_ZONE_WORDS)
"""Every word :func:`zone_named` reads as a zone (besides IANA names)."""

_FILLERS = ("at", "@", "on")

_UNITS = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), timedelta(minutes=1)),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), timedelta(hours=1)),
    **dict.fromkeys(("d", "day", "days"), timedelta(days=1)),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), timedelta(weeks=1)),
}

_RELATIVE = re.compile(r"^in\s+(\d+|an?|half\s+an?)\s*([a-z]+)$", re.ASCII)
# A clock time needs am/pm or a colon: a bare "3" is not a time.
_TIME_AMPM = re.compile(
    r"(?<![\w/:.-])(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|a|p)(?![\w])", re.ASCII
)
_TIME_24H = re.compile(r"(?<![\w/:.-])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\w/:.-])", re.ASCII)
_TIME_WORDS = re.compile(r"(?<![\w])(noon|midday|midnight)(?![\w])", re.ASCII)
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})t(\d{1,2}:\d{2}(?::\d{2})?)$", re.ASCII)
_ISO_INSTANT = re.compile(
    r"^\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:z|[+-]\d{2}(?::?\d{2})?)$",
    re.ASCII,
)


@functools.cache
def _iana_names() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def zone_named(word: str) -> ZoneInfo | None:
    """The zone a word names (``ET``, ``pt``, ``AT``, ``UK``, ``Europe/London``), else None."""
    key = word.strip().lower()
    if key in _ZONE_WORDS:
        return ZoneInfo(_ZONE_WORDS[key])
    name = _iana_names().get(key) if "/" in key else None
    return ZoneInfo(name) if name else None


def _take_zone(words: list[str], zone: ZoneInfo) -> tuple[list[str], ZoneInfo]:
    """Remove the one zone the words name (``at`` only as the last word)."""
    last = len(words) - 1
    found = [
        (index, named)
        for index, word in enumerate(words)
        if (word != "at" or index == last) and (named := zone_named(word)) is not None
    ]
    if len(found) > 1:
        first, second = (words[index] for index, _ in found[:2])
        raise Unclear(f"it names more than one time zone ({first!r} and {second!r})")
    if not found:
        return words, zone
    index, named = found[0]
    # "3pm eastern time": the word "time" belongs to the zone.
    end = index + 2 if index + 1 <= last and words[index + 1] == "time" else index + 1
    return words[:index] + words[end:], named


def _wall_to_instant(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The instant of a wall time in ``zone``: first occurrence; gaps are errors."""
    local = datetime.combine(day, clock, tzinfo=zone)  # fold=0: the first occurrence
    round_trip = local.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise Unclear(
            f"{local:%Y-%m-%d %H:%M} does not exist in {zone.key}"
            " (the clocks spring forward over it)"
        )
    return local


def _take_clock(phrase: str) -> tuple[time | None, list[str]]:
    """Find the one clock time in ``phrase``; return it and the other words."""
    found: list[tuple[re.Match[str], time]] = []
    for match in _TIME_AMPM.finditer(phrase):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise Unclear(f"{match.group(0)!r} is not a clock time (1:00am to 12:59pm)")
        pm = match.group(3).startswith("p")
        found.append((match, time(hour % 12 + (12 if pm else 0), minute)))
    for match in _TIME_24H.finditer(phrase):
        hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise Unclear(f"{match.group(0)!r} is not a clock time (00:00 to 23:59)")
        if not any(m.start() <= match.start() < m.end() for m, _ in found):
            found.append((match, time(hour, minute, second)))
    for match in _TIME_WORDS.finditer(phrase):
        found.append((match, time(0) if match.group(1) == "midnight" else time(12)))
    if len(found) > 1:
        raise Unclear("it names more than one clock time")
    if not found:
        return None, phrase.split()
    match, clock = found[0]
    return clock, (phrase[: match.start()] + " " + phrase[match.end() :]).split()


def _relative(amount: str, unit_word: str, now: datetime, zone: ZoneInfo) -> datetime:
    unit = _UNITS.get(unit_word)
    if unit is None:
        raise Unclear(f"{unit_word!r} is not a unit of time (minutes, hours, days, weeks)")
    if amount.startswith("half"):
        steps: float = 0.5
    elif amount in ("a", "an"):
        steps = 1
    else:
        beyond = f"it is after {LATEST:%Y-%m-%d} (times run from {INSTANT_RANGE})"
        steps = count(amount, limit=(LATEST - now) // unit, beyond=beyond)
    return (now + steps * unit).astimezone(zone)


def _day_named(words: list[str], today: date) -> tuple[str, date | int | None]:
    """What the day words name: ``("any", None)`` (none: the next such time),
    ``("date", day)``, ``("weekday", 0..6)`` or ``("next weekday", 0..6)``."""
    phrase = " ".join(words)
    if not words:
        return "any", None
    if phrase in ("today", "tonight"):
        return "date", today
    if phrase in ("tomorrow", "tmrw", "tmr"):
        return "date", today + timedelta(days=1)
    modifier = words[0] if len(words) == 2 and words[0] in ("next", "this") else ""
    target = weekday_word(words[-1]) if len(words) == (2 if modifier else 1) else None
    if target is not None:
        return ("next weekday" if modifier == "next" else "weekday"), target
    day = calendar_date(words, today, future=True)
    if day is None:
        unknown = next((word for word in words if not _day_vocabulary(word)), None)
        if unknown is not None and unknown.isdigit():
            hint = "a time needs am/pm or a colon, a day its month: 3pm, 15:00, dec 1"
            raise Unclear(f"{unknown!r} is not understood ({hint})")
        what = f"{unknown!r} is not understood" if unknown else f"{phrase!r} is not a day"
        raise Unclear(f"{what} (e.g. tomorrow 3pm, tue 10am, dec 1 2pm, in 2 hours)")
    return "date", day


def _day_vocabulary(word: str) -> bool:
    return (
        word in ("today", "tonight", "tomorrow", "tmrw", "tmr", "next", "this", "the", "of")
        or weekday_word(word) is not None
        or month_word(word) is not None
    )


def _at_clock(kind: str, value: date | int | None, at: time, now: datetime, zone: ZoneInfo):
    """The instant of clock time ``at`` on the day :func:`_day_named` read."""
    today = now.date()
    if isinstance(value, date):
        return _wall_to_instant(value, at, zone)
    if kind == "any":
        start, step = today, 1
    else:
        assert isinstance(value, int)
        if kind == "next weekday":  # the first one after today, never today
            following = today + relativedelta(days=1, weekday=WEEKDAY_STEPS[value](+1))
            return _wall_to_instant(following, at, zone)
        start, step = today + relativedelta(weekday=WEEKDAY_STEPS[value](+1)), 7
    while True:  # the first occurrence still ahead: today's, else the next one
        instant = _wall_to_instant(start, at, zone)
        if instant > now:
            return instant
        start += timedelta(days=step)


def _read(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    stripped = text.strip().lower()
    if _ISO_INSTANT.match(stripped):
        try:
            return datetime.fromisoformat(stripped.upper())
        except ValueError:  # a month 13, an hour 25, an offset of 25 hours
            raise Unclear("it is not a valid ISO 8601 time (e.g. 2026-12-01T14:00-05:00)") from None
    words, zone = _take_zone(words_of(text), zone)
    words = [word for word in words if word not in _FILLERS]
    if not words:
        raise Unclear("it is empty" if not text.strip() else "no time of day (e.g. 10am, 14:30)")
    phrase = " ".join(words)
    local_now = now.astimezone(zone)
    if phrase == "now":
        return local_now
    relative = _RELATIVE.match(phrase)
    if relative:
        return _relative(relative.group(1), relative.group(2), now, zone)
    iso = _ISO_DATETIME.match(phrase)
    if iso:
        phrase = f"{iso.group(1)} {iso.group(2)}"
    clock, day_words = _take_clock(phrase)
    if clock is None and len(day_words) == 1 and re.fullmatch(r"\d{1,4}", day_words[0], re.ASCII):
        raise Unclear("a bare number needs am/pm or a colon (3pm, 15:00)")
    # The day first, so an impossible date or a stray word is named as such.
    kind, day = _day_named(day_words, local_now.date())
    if clock is None:
        raise Unclear("no time of day (add one, e.g. '10am' or '14:30')")
    return _at_clock(kind, day, clock, local_now, zone)


def resolve_time_words(text: str, *, zone: ZoneInfo, now: datetime) -> datetime:
    """The instant ``text`` names, read in ``zone`` unless the text names a zone.

    Args:
        text: words such as ``tomorrow 3pm``, ``tue 10am``, ``in 2 hours``,
            ``2026-12-01 14:00``, ``12/1 2pm``, ``3pm ET``, ``15:00 Europe/London``.
        zone: the zone to read wall times in (the prospect's).
        now: the current instant (aware).

    Returns:
        An aware datetime in the zone the time was read in, within
        :data:`~.clock.INSTANT_RANGE`.

    Raises:
        TimeWordsError: the text is not a time; the one-line message quotes the
            text and says what was not understood (an impossible date, a stray
            word, a wall time the clocks skip, a time outside the years 2000-2100).
    """
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    try:
        instant = _read(text, zone, now)
    except Unclear as why:
        raise TimeWordsError(f"{text.strip()!r} is not a time: {why}") from None
    if not in_range(instant.astimezone(UTC)):
        side = "before" if instant < EARLIEST else "after"
        bound = (EARLIEST if side == "before" else LATEST).date().isoformat()
        raise TimeWordsError(
            f"{text.strip()!r} is not a time: it is {side} {bound} (times run from {INSTANT_RANGE})"
        )
    return instant
