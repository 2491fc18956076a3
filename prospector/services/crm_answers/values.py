"""Amounts and close dates as CRM reports write them.

Amounts (integer cents): ``12500``, ``12500.5``, ``12,500.00``, ``$12,500``,
``USD 12,500.00`` (multi-currency Salesforce orgs), ``12.500,00 €``,
``12 500,00 EUR``, ``12'500.00``. The currency is dropped: a handoff's amounts
are in the team's one currency. When both ``.`` and ``,`` appear, the last one
is the decimal separator. A lone separator followed by exactly three digits
groups thousands (``12,500`` and ``12.500`` are twelve thousand five hundred:
CRMs write money with two decimals, never three); followed by one or two it is
the decimal separator. Negative amounts and more than two decimals are refused.

Close dates (``YYYY-MM-DD``): ISO ``2026-11-30`` (HubSpot, with or without a
time after it), ``2026/11/30``, dotted ``30.11.2026`` (always day first, as
German and other European locales write it), and slashed ``11/30/2026`` or
``30/11/2026`` as the report's user locale wrote them. A report is written in one
locale, so the slash order is decided once per file: a date with a first part
over 12 makes it day-first, one with a second part over 12 month-first (both in
one file: refused); when no date settles it, ``[crm] slash_dates`` does
(default month-first, Salesforce's en_US); a date that reads neither way
(99/99/2026) settles nothing and is refused as no date. Two-digit years are
20xx; a four-digit year is as written, and one before 1900 is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from prospector.foundations.limits import MAX_CENTS

AMOUNT_EXPECTED = "expected an amount like 12500, 12,500.00 or USD 12,500.00"
DATE_EXPECTED = "expected a date like 2026-11-30, 11/30/2026 or 30.11.2026"
MIN_YEAR = 1900  # no deal closed earlier: 0026-01-01 is a typing slip, not 2026

_SYMBOLS = "$€£¥₹"
_AMOUNT = re.compile(
    rf"(?:[A-Z]{{3}}\s?|[A-Z]{{0,2}}[{_SYMBOLS}]\s?)?"
    r"(?P<number>[0-9][0-9.,'\s\u00a0\u202f]*?)"
    rf"(?:\s?(?:[A-Z]{{3}}|[{_SYMBOLS}]))?"
)
_GROUPS = re.compile(r"[0-9]+|[1-9][0-9]{0,2}(?:,[0-9]{3})+")
_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?: .*)?")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?: .*)?")


class ValueProblem(ValueError):
    """A cell that is not what its column holds; the message says what was expected."""


def parse_amount(text: str) -> int | None:
    """``text`` as integer cents, None when blank. Raises :class:`ValueProblem`."""
    text = text.strip()
    if not text:
        return None
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise ValueProblem(AMOUNT_EXPECTED)
    # Spaces and apostrophes only ever group thousands (12 500,00; 12'500.00).
    number = re.sub(r"[\s\u00a0\u202f']", "", match["number"])
    decimals = ""
    last = max(number.rfind("."), number.rfind(","))
    if last >= 0:
        tail = number[last + 1 :]
        both = "." in number and "," in number
        grouping = not both and number.count(number[last]) == 1 and len(tail) == 3
        if both or (number.count(number[last]) == 1 and not grouping):
            if not (tail.isdigit() and len(tail) <= 2):
                raise ValueProblem(f"{AMOUNT_EXPECTED} (at most two decimals)")
            number, decimals = number[:last], tail
    number = number.replace(".", ",")
    if not _GROUPS.fullmatch(number):
        raise ValueProblem(AMOUNT_EXPECTED)
    cents = int(number.replace(",", "")) * 100 + int(decimals.ljust(2, "0") or 0)
    if cents >= MAX_CENTS:
        raise ValueProblem(f"an amount below {MAX_CENTS // 100:,}")
    return cents


def slash_order(cells: Iterable[tuple[int, str]], default: str) -> str:
    """``month-first`` or ``day-first`` for a file's slashed dates (``(row, cell)`` pairs).

    Raises:
        ValueProblem: one date only reads day first and another only month first.
    """
    day_first: int | None = None
    month_first: int | None = None
    for row, cell in cells:
        match = _SLASHED.fullmatch(cell.strip())
        if match is None:
            continue
        # Only a date that reads one way settles the order (99/99/2026 reads
        # neither way: parse_date says it is no date).
        first, second, year = int(match[1]), int(match[2]), _year(match[3])
        reads_day_first = _is_day(year, second, first)
        reads_month_first = _is_day(year, first, second)
        if reads_day_first and not reads_month_first and day_first is None:
            day_first = row
        if reads_month_first and not reads_day_first and month_first is None:
            month_first = row
    if day_first is not None and month_first is not None:
        raise ValueProblem(
            f"close dates in two orders: row {day_first} is day first,"
            f" row {month_first} month first"
        )
    if day_first is not None:
        return "day-first"
    if month_first is not None:
        return "month-first"
    return default


def parse_date(text: str, order: str) -> str | None:
    """``text`` as ``YYYY-MM-DD``, None when blank. Raises :class:`ValueProblem`."""
    text = text.strip()
    if not text:
        return None
    if match := _ISO.fullmatch(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _DOTTED.fullmatch(text):
        day, month, year = int(match[1]), int(match[2]), _year(match[3])
    elif match := _SLASHED.fullmatch(text):
        first, second, year = int(match[1]), int(match[2]), _year(match[3])
        month, day = (second, first) if order == "day-first" else (first, second)
    else:
        raise ValueProblem(DATE_EXPECTED)
    if year < MIN_YEAR:
        raise ValueProblem(f"{DATE_EXPECTED} (year {year:04d}: before {MIN_YEAR})")
    if not _is_day(year, month, day):
        raise ValueProblem(f"{DATE_EXPECTED} (no such day)")
    return date(year, month, day).isoformat()


def _year(digits: str) -> int:
    """A slashed or dotted date's year: two digits are 20xx, four are as written."""
    return int(digits) + (2000 if len(digits) == 2 else 0)


def _is_day(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
