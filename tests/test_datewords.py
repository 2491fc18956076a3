"""Report dates, with a pinned "now": Monday 2026-11-23 10:00 in New York."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospector.foundations.datewords import date_range_words, resolve_date_words
from prospector.foundations.errors import TimeWordsError

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday 10:00 EST


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 11, 23)),
        ("yesterday", date(2026, 11, 22)),
        ("mon", date(2026, 11, 23)),
        ("fri", date(2026, 11, 20)),
        ("last monday", date(2026, 11, 16)),
        ("last fri", date(2026, 11, 20)),
        ("2026-11-20", date(2026, 11, 20)),
        ("11/20", date(2026, 11, 20)),
        ("12/1", date(2025, 12, 1)),  # report dates look back
        ("nov 20", date(2026, 11, 20)),
    ],
)
def test_date_words(text: str, expected: date) -> None:
    assert resolve_date_words(text, zone=NY, now=NOW) == expected


def test_date_words_use_the_zone_for_today() -> None:
    late = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # 22:00 Monday in New York
    assert resolve_date_words("today", zone=NY, now=late) == date(2026, 11, 23)
    assert resolve_date_words("today", zone=ZoneInfo("UTC"), now=late) == date(2026, 11, 24)


@pytest.mark.parametrize("text", ["banana", "", "13/40", "last"])
def test_not_a_date(text: str) -> None:
    with pytest.raises(TimeWordsError, match=r"not a (calendar )?date"):
        resolve_date_words(text, zone=NY, now=NOW)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("last week", (date(2026, 11, 16), date(2026, 11, 22))),
        ("this week", (date(2026, 11, 23), date(2026, 11, 29))),
        ("last 7 days", (date(2026, 11, 17), date(2026, 11, 23))),
        ("this month", (date(2026, 11, 1), date(2026, 11, 30))),
        ("last month", (date(2026, 10, 1), date(2026, 10, 31))),
        ("11/1 to 11/20", (date(2026, 11, 1), date(2026, 11, 20))),
        ("yesterday", (date(2026, 11, 22), date(2026, 11, 22))),
        ("Yesterday", (date(2026, 11, 22), date(2026, 11, 22))),
        ("2026-11-20", (date(2026, 11, 20), date(2026, 11, 20))),
        ("3 days ago", (date(2026, 11, 20), date(2026, 11, 20))),
        ("1 day ago", (date(2026, 11, 22), date(2026, 11, 22))),
        ("friday", (date(2026, 11, 20), date(2026, 11, 20))),
        ("monday", (date(2026, 11, 23), date(2026, 11, 23))),
        ("past 3 days", (date(2026, 11, 21), date(2026, 11, 23))),
        ("this quarter", (date(2026, 10, 1), date(2026, 12, 31))),
        ("last quarter", (date(2026, 7, 1), date(2026, 9, 30))),
        ("10 days ago to 3 days ago", (date(2026, 11, 13), date(2026, 11, 20))),
    ],
)
def test_date_ranges(text: str, expected: tuple[date, date]) -> None:
    assert date_range_words(text, zone=NY, now=NOW) == expected


def test_bad_date_ranges() -> None:
    with pytest.raises(TimeWordsError):
        date_range_words("the olden days", zone=NY, now=NOW)
    with pytest.raises(TimeWordsError, match="ends before it starts"):
        date_range_words("11/20 to 11/1", zone=NY, now=NOW)


@pytest.mark.parametrize(
    ("today", "this_quarter", "last_quarter", "last_month"),
    [
        (date(2026, 1, 15), (1, 1, 3, 31), (10, 1, 12, 31), (12, 1, 12, 31)),
        (date(2026, 3, 31), (1, 1, 3, 31), (10, 1, 12, 31), (2, 1, 2, 28)),
        (date(2026, 4, 1), (4, 1, 6, 30), (1, 1, 3, 31), (3, 1, 3, 31)),
        (date(2026, 12, 31), (10, 1, 12, 31), (7, 1, 9, 30), (11, 1, 11, 30)),
    ],
)
def test_quarters_and_months_at_year_ends(today, this_quarter, last_quarter, last_month):
    now = datetime.combine(today, datetime.min.time(), tzinfo=NY).replace(hour=12)

    def spans(text: str) -> tuple[int, int, int, int]:
        first, last = date_range_words(text, zone=NY, now=now)
        return first.month, first.day, last.month, last.day

    assert spans("this quarter") == this_quarter
    assert spans("last quarter") == last_quarter
    assert spans("last month") == last_month
    first, _ = date_range_words("last quarter", zone=NY, now=now)
    assert first.year == (today.year - 1 if today.month <= 3 else today.year)


@pytest.mark.parametrize("text", ["someday", "last 0 days", "this fortnight", "3 days hence"])
def test_not_a_date_range_names_what_is_expected(text: str) -> None:
    with pytest.raises(TimeWordsError, match=r"is not a date: .*YYYY-MM-DD|at least one day"):
        date_range_words(text, zone=NY, now=NOW)


def test_an_impossible_calendar_date_says_so() -> None:
    with pytest.raises(
        TimeWordsError, match=r"^'2026-02-30' is not a date: February 2026 has 28 days, not 30$"
    ):
        date_range_words("2026-02-30", zone=NY, now=NOW)


@given(st.integers(0, 400), st.integers(1, 400))
def test_days_ago_and_last_n_days_agree(back: int, count: int) -> None:
    day = resolve_date_words(f"{back} days ago", zone=NY, now=NOW)
    assert (date(2026, 11, 23) - day).days == back
    first, last = date_range_words(f"last {count} days", zone=NY, now=NOW)
    assert last == date(2026, 11, 23) and (last - first).days == count - 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nov 2026", (date(2026, 11, 1), date(2026, 11, 30))),
        ("November 2025", (date(2025, 11, 1), date(2025, 11, 30))),
        ("feb 2028", (date(2028, 2, 1), date(2028, 2, 29))),
        ("2026-02", (date(2026, 2, 1), date(2026, 2, 28))),
        ("nov", (date(2026, 11, 1), date(2026, 11, 30))),  # the latest November: this one
        ("dec", (date(2025, 12, 1), date(2025, 12, 31))),  # the latest December: last year's
        ("2025", (date(2025, 1, 1), date(2025, 12, 31))),
        ("this year", (date(2026, 1, 1), date(2026, 12, 31))),
        ("last year", (date(2025, 1, 1), date(2025, 12, 31))),
        ("oct to nov", (date(2026, 10, 1), date(2026, 11, 30))),
        ("last week to this week", (date(2026, 11, 16), date(2026, 11, 29))),
        ("nov 20 2026", (date(2026, 11, 20), date(2026, 11, 20))),
        ("fri nov 20", (date(2026, 11, 20), date(2026, 11, 20))),
        ("2000-01-01 to 2100-12-31", (date(2000, 1, 1), date(2100, 12, 31))),
    ],
)
def test_a_month_or_year_is_that_whole_range(text: str, expected: tuple[date, date]) -> None:
    assert date_range_words(text, zone=NY, now=NOW) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("nov 32", "November has 30 days, not 32"),
        ("nov 31", "November has 30 days, not 31"),
        ("feb 29", "February 29 does not occur in the past year: add the year (feb 29 2024)"),
        ("2026-02-29", "February 2026 has 28 days, not 29"),
        ("13/40", "13/40 has no month 13 (dates are month/day)"),
        ("2026-13", "there is no month 13"),
        ("thu nov 20", "2026-11-20 is a Friday, not a Thursday"),
        ("nov 20 12", "'12' is not understood in 'nov 20 12' (a year has four digits)"),
        ("nov 2026 3pm", "'3pm' is not understood in 'nov 2026 3pm'"),
        ("last 99999999 days", "it starts before 2000-01-01 (report dates run from 2000-01-01 to"),
        ("99999999 days ago", "it starts before 2000-01-01"),
        (f"{'9' * 5000} days ago", "it starts before 2000-01-01"),
        ("0001-01-01", "the year 1 is outside 2000-2100 (dates run from 2000-01-01 to 2100-12-31)"),
        ("9999-12-31", "the year 9999 is outside 2000-2100"),
        ("0001-01-01 to 9999-12-31", "the year 1 is outside 2000-2100"),
        ("1999", "the year 1999 is outside 2000-2100"),
        ("dec 1999", "the year 1999 is outside 2000-2100"),
        ("a to b to c", "a range has two ends (A to B)"),
        ("3 days hence", "'hence' is not understood; expected YYYY-MM-DD"),
    ],
)
def test_what_is_not_a_date_is_named(text: str, why: str) -> None:
    with pytest.raises(TimeWordsError) as caught:
        date_range_words(text, zone=NY, now=NOW)
    assert str(caught.value).startswith(f"{text!r} is not a date: {why}"), str(caught.value)


def test_the_range_reaches_back_to_2000_exactly() -> None:
    assert date_range_words("last 9824 days", zone=NY, now=NOW)[0] == date(2000, 1, 1)
    assert resolve_date_words("9823 days ago", zone=NY, now=NOW) == date(2000, 1, 1)
    with pytest.raises(TimeWordsError, match="before 2000-01-01"):
        date_range_words("last 9825 days", zone=NY, now=NOW)


def test_a_single_day_is_asked_for_where_a_range_is_given() -> None:
    with pytest.raises(TimeWordsError, match="names the days 2026-11-01 to 2026-11-30, not one"):
        resolve_date_words("nov 2026", zone=NY, now=NOW)


@given(st.integers(1990, 2110), st.integers(0, 13), st.integers(0, 32))
def test_an_iso_day_is_that_day_or_an_error(year: int, month: int, day: int) -> None:
    text = f"{year:04}-{month:02}-{day:02}"
    try:
        expected: date | None = date(year, month, day)
    except ValueError:
        expected = None
    if expected is None or not 2000 <= year <= 2100:
        with pytest.raises(TimeWordsError):
            date_range_words(text, zone=NY, now=NOW)
    else:
        assert date_range_words(text, zone=NY, now=NOW) == (expected, expected)
