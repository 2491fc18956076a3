"""Written dates, read strictly: the calendar rules time words and report dates share.

``2026-12-01``, ``12/1``, ``12/1/26``, ``12/1/2026``, ``dec 1``, ``dec 1st 2026``,
``1 december``, ``the 1st of december 2026``, each optionally with its weekday
(``tue dec 1``). Slashed dates are month/day, as in the US.

Nothing is rolled over or filled in: ``dec 32`` and ``2026-02-30`` are impossible
dates, not the next month; ``mon dec 1`` when Dec 1 is a Tuesday is an error; a
number that plays no part (``dec 1 12``) is named as not understood; years lie in
2000-2100. Only python-dateutil's calendar arithmetic (relativedelta) is used here,
not its parser: that one fills in whatever is missing from a default date and drops
what it does not read, which is exactly the guessing §4.8 forbids.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE

from prospector.foundations.clock import DAY_RANGE, FIRST_DAY, LAST_DAY

WEEKDAYS = {
    **dict.fromkeys(("mon", "monday"), 0),
    **dict.fromkeys(("tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("wed", "weds", "wednesday"), 2),
    **dict.fromkeys(("thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("fri", "friday"), 4),
    **dict.fromkeys(("sat", "saturday"), 5),
    **dict.fromkeys(("sun", "sunday"), 6),
}
WEEKDAY_STEPS = (MO, TU, WE, TH, FR, SA, SU)
"""relativedelta's weekday steps by weekday number: ``WEEKDAY_STEPS[0](+1)`` is the next Monday."""
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS = {
    **{name.lower(): number for number, name in enumerate(MONTH_NAMES, 1)},
    **{name.lower()[:3]: number for number, name in enumerate(MONTH_NAMES, 1)},
    "sept": 9,
}

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)
_SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$", re.ASCII)
_DATE_LIKE = re.compile(r"^\d+([-/.]\d+)+$", re.ASCII)
_DAY_NUMBER = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$", re.ASCII)
_YEAR = re.compile(r"^\d{4}$", re.ASCII)
# Token classes: M month, D day number, Y year, O "of", T "the". The written forms:
_NAMED_FORMS = ("MD", "MDY", "MTD", "MTDY", "DM", "DMY", "DOM", "DOMY", "TDOM", "TDOMY")
_MONTH_FORMS = ("M", "MY")


class Unclear(Exception):
    """Why some words are not a date or a time; callers quote the text before it."""


def words_of(text: str) -> list[str]:
    """Lower-case words, commas dropped: ``Tue, Dec 1`` → ``["tue", "dec", "1"]``."""
    return text.strip().lower().replace(",", " ").split()


def weekday_word(word: str) -> int | None:
    """0 (Monday) … 6 (Sunday) for a weekday word (``tue``, ``Tue.``, ``tuesday``)."""
    return WEEKDAYS.get(word.lower().removesuffix("."))


def month_word(word: str) -> int | None:
    """1 … 12 for a month word (``dec``, ``Dec.``, ``december``, ``sept``)."""
    return _MONTHS.get(word.lower().removesuffix("."))


def count(digits: str, *, limit: int, beyond: str) -> int:
    """A whole number of at most ``limit``; past it, :class:`Unclear` with ``beyond``."""
    # Checking the length first keeps int() off 5,000-digit strings (a ValueError).
    if len(digits) > 12 or int(digits) > limit:
        raise Unclear(beyond)
    return int(digits)


def check_year(year: int) -> int:
    """``year``, or :class:`Unclear` when it lies outside 2000-2100."""
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        span = f"{FIRST_DAY.year}-{LAST_DAY.year}"
        raise Unclear(f"the year {year} is outside {span} (dates run from {DAY_RANGE})")
    return year


def make_date(year: int, month: int, day: int, *, written: str | None = None) -> date:
    """The date, or :class:`Unclear` saying why there is no such day."""
    if not 1 <= month <= 12:
        where = f"{written} has no month {month} (dates are month/day)" if written else ""
        raise Unclear(where or f"there is no month {month}")
    check_year(year)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise Unclear(f"{MONTH_NAMES[month - 1]} {year} has {last} days, not {day}")
    return date(year, month, day)


def month_day(month: int, day: int, today: date, *, future: bool, written: str = "") -> date:
    """A month/day without a year: its next (``future``) or latest occurrence within a year."""
    if not 1 <= month <= 12:
        raise Unclear(f"{written or month} has no month {month} (dates are month/day)")
    name, longest = MONTH_NAMES[month - 1], calendar.monthrange(2000, month)[1]  # a leap year
    if not 1 <= day <= longest:
        raise Unclear(f"{name} has {'at most ' if month == 2 else ''}{longest} days, not {day}")
    step = 1 if future else -1
    for year in (today.year, today.year + step):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, day)
            if (candidate >= today) if future else (candidate <= today):
                return make_date(year, month, day)
    # Only February 29 can be missing from both years: name the leap year to write.
    leap = next(
        year
        for year in range(today.year + step, today.year + 9 * step, step)
        if calendar.isleap(year)
    )
    within = "in the coming year" if future else "in the past year"
    raise Unclear(f"{name} {day} does not occur {within}: add the year (feb 29 {leap})")


def _numeric(word: str, today: date, *, future: bool) -> date | None:
    match = _ISO_DATE.match(word)
    if match:
        year, month, day = (int(part) for part in match.groups())
        if not 1 <= month <= 12:
            raise Unclear(f"{word} has no month {month} (dates are year-month-day)")
        return make_date(year, month, day)
    match = _SLASH_DATE.match(word)
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        if match.group(3) is None:
            return month_day(month, day, today, future=future, written=word)
        year = int(match.group(3))
        return make_date(year + 2000 if year < 100 else year, month, day, written=word)
    if _DATE_LIKE.match(word):
        raise Unclear(f"{word!r} is not a date form Prospector reads (2026-12-01 or 12/1)")
    return None


def _token_class(word: str) -> str:
    if month_word(word) is not None:
        return "M"
    if _DAY_NUMBER.match(word):
        return "D"
    if _YEAR.match(word):
        return "Y"
    return {"of": "O", "the": "T"}.get(word, "X")


def _stray(words: list[str], classes: str, forms: tuple[str, ...]) -> Unclear:
    """Name the first word that no written form can take at its place."""
    matched = max(
        n for n in range(len(classes) + 1) if any(f.startswith(classes[:n]) for f in forms)
    )
    if matched == len(words):
        return Unclear(f"{' '.join(words)!r} is not a complete date (e.g. dec 1 or dec 1 2026)")
    word = words[matched]
    hint = (
        " (a year has four digits)" if word.isdigit() and classes[:matched] in ("MD", "DM") else ""
    )
    return Unclear(f"{word!r} is not understood in {' '.join(words)!r}{hint}")


def _named(words: list[str], today: date, *, future: bool) -> date | None:
    classes = "".join(_token_class(word) for word in words)
    if "M" not in classes:
        return None
    if classes.count("M") > 1:
        raise Unclear(f"{' '.join(words)!r} names more than one month")
    month = month_word(words[classes.index("M")])
    assert month is not None
    if classes in _MONTH_FORMS:
        example = " ".join([MONTH_NAMES[month - 1][:3].lower(), "5", *words[1:]])
        raise Unclear(f"{' '.join(words)!r} is a month, not a day: add the day ({example})")
    if classes not in _NAMED_FORMS:
        raise _stray(words, classes, _NAMED_FORMS + _MONTH_FORMS)
    day_match = _DAY_NUMBER.match(words[classes.index("D")])
    assert day_match is not None
    day = int(day_match.group(1))
    if "Y" in classes:
        return make_date(int(words[classes.index("Y")]), month, day)
    return month_day(month, day, today, future=future)


def calendar_date(words: list[str], today: date, *, future: bool) -> date | None:
    """The date written in ``words``, else None when they are not a written date.

    ``future`` picks the next occurrence of a date without a year (callbacks);
    otherwise the latest one, today included (reports).

    Raises:
        Unclear: the words are a date that does not exist, contradicts its
            weekday, lacks its day, or has a word no date form takes.
    """
    if not words:
        return None
    weekday = None
    if len(words) > 1 and weekday_word(words[0]) is not None:
        weekday, words = weekday_word(words[0]), words[1:]
    elif len(words) > 1 and weekday_word(words[-1]) is not None:
        weekday, words = weekday_word(words[-1]), words[:-1]
    day = _numeric(words[0], today, future=future) if len(words) == 1 else None
    if day is None:
        day = _named(words, today, future=future)
    if day is None:
        return None
    if weekday is not None and day.weekday() != weekday:
        raise Unclear(
            f"{day.isoformat()} is a {DAY_NAMES[day.weekday()]}, not a {DAY_NAMES[weekday]}"
        )
    return day
