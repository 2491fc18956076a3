"""Time words the mutation run found unpinned: edge readings and the exact messages.

Callback times are read with a pinned "now", Monday 2026-11-30 10:00 in New York
(Dec 1 2026 is a Tuesday); report dates pin their own "now" per case.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from prospector.foundations.datewords import date_range_words, resolve_date_words
from prospector.foundations.errors import TimeWordsError
from prospector.foundations.timewords import resolve_time_words

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # Monday 10:00 EST
TIME_HINT = "(e.g. tomorrow 3pm, tue 10am, dec 1 2pm, in 2 hours)"
DATE_HELP = (
    "expected YYYY-MM-DD, today, yesterday, N days ago, a weekday, last monday, 11/20,"
    " nov 20, nov 2026, 2026, this/last week, this/last month, this/last quarter,"
    " this/last year, last N days, or A to B"
)


def _time_error(text: str, *, zone: ZoneInfo = NY, now: datetime = NOW) -> str:
    with pytest.raises(TimeWordsError) as caught:
        resolve_time_words(text, zone=zone, now=now)
    return str(caught.value)


def _date_error(text: str, *, now: datetime) -> str:
    with pytest.raises(TimeWordsError) as caught:
        date_range_words(text, zone=UTC, now=now)
    return str(caught.value)


# --- Callback times: the day words -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tonight 8pm et", datetime(2026, 11, 30, 20, 0, tzinfo=NY)),
        ("next tue 10am et", datetime(2026, 12, 1, 10, 0, tzinfo=NY)),  # tomorrow, not in 8 days
        ("this wed 10am et", datetime(2026, 12, 2, 10, 0, tzinfo=NY)),
        ("12/1 tue 3pm et", datetime(2026, 12, 1, 15, 0, tzinfo=NY)),
        ("dec 1 tue 3pm et", datetime(2026, 12, 1, 15, 0, tzinfo=NY)),
        ("dec. 1 3pm et", datetime(2026, 12, 1, 15, 0, tzinfo=NY)),
        ("tue. dec 1 3pm et", datetime(2026, 12, 1, 15, 0, tzinfo=NY)),
        ("dec 1 14:00:59 et", datetime(2026, 12, 1, 14, 0, 59, tzinfo=NY)),
        # "time" belongs to the zone; the day after it is still read.
        ("3pm eastern time tomorrow", datetime(2026, 12, 1, 15, 0, tzinfo=NY)),
    ],
)
def test_day_words_name_the_day_they_say(text: str, expected: datetime) -> None:
    # Read in Los Angeles: only the words can make these New York times.
    assert resolve_time_words(text, zone=LA, now=NOW) == expected


def test_a_weekday_time_the_clocks_skipped_last_sunday_is_next_sunday() -> None:
    monday_after_spring_forward = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)  # 10:00 EDT
    assert resolve_time_words("sun 2:30am", zone=NY, now=monday_after_spring_forward) == (
        datetime(2026, 3, 15, 2, 30, tzinfo=NY)
    )


def test_a_relative_amount_with_leading_zeros_is_its_number_up_to_twelve_digits() -> None:
    assert resolve_time_words("in 000000000001 hours", zone=NY, now=NOW) == datetime(
        2026, 11, 30, 16, 0, tzinfo=UTC
    )
    assert _time_error("in 0000000000001 hours") == (
        "'in 0000000000001 hours' is not a time: it is after 2100-12-31"
        " (times run from 2000-01-01T00:00:00Z to 2100-12-31T23:59:59Z)"
    )


# --- Callback times: what the user is told -----------------------------------------


@pytest.mark.parametrize(
    "word", ["today", "tonight", "tomorrow", "tmrw", "tmr", "next", "this", "the", "of", "wed"]
)
def test_the_stray_word_named_is_the_unknown_one_not_a_day_word(word: str) -> None:
    assert _time_error(f"{word} foo 3pm") == (
        f"'{word} foo 3pm' is not a time: 'foo' is not understood {TIME_HINT}"
    )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("this next 3pm", f"'this next' is not a day {TIME_HINT}"),
        ("on", "no time of day (e.g. 10am, 14:30)"),
        ("2026-13-01T14:00Z", "it is not a valid ISO 8601 time (e.g. 2026-12-01T14:00-05:00)"),
        (
            "３",  # a full-width digit is no number Prospector reads
            "'３' is not understood (a time needs am/pm or a colon, a day its month:"
            " 3pm, 15:00, dec 1)",
        ),
        (
            "1999-12-31T23:00Z",
            "it is before 2000-01-01 (times run from 2000-01-01T00:00:00Z to 2100-12-31T23:59:59Z)",
        ),
        ("13/1/26 3pm", "13/1/26 has no month 13 (dates are month/day)"),
        ("dec the 3pm", "'dec the' is not a complete date (e.g. dec 1 or dec 1 2026)"),
        ("dec 1 foo 3pm", "'foo' is not understood in 'dec 1 foo'"),
        ("dec 1 2026 5 3pm", "'5' is not understood in 'dec 1 2026 5'"),
        ("1 dec 26 3pm", "'26' is not understood in '1 dec 26' (a year has four digits)"),
        ("dec 1 wed 3pm", "2026-12-01 is a Tuesday, not a Wednesday"),
        ("3pm et pt utc", "it names more than one time zone ('et' and 'pt')"),
    ],
)
def test_unreadable_times_say_exactly_why(text: str, why: str) -> None:
    assert _time_error(text) == f"{text!r} is not a time: {why}"


def test_feb_29_missing_from_the_coming_year_names_the_next_leap_year() -> None:
    march_2025 = datetime(2025, 3, 1, 17, 0, tzinfo=UTC)
    assert _time_error("feb 29 3pm", now=march_2025) == (
        "'feb 29 3pm' is not a time: February 29 does not occur in the coming year:"
        " add the year (feb 29 2028)"
    )


# --- Report dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("dec 1 tue", datetime(2026, 12, 10, 12, 0, tzinfo=UTC), date(2026, 12, 1)),
        ("last tue", datetime(2026, 12, 9, 12, 0, tzinfo=UTC), date(2026, 12, 8)),  # Wednesday
        ("tue", datetime(2026, 12, 7, 12, 0, tzinfo=UTC), date(2026, 12, 1)),  # Monday
    ],
)
def test_report_weekdays_are_the_latest_ones(text: str, now: datetime, expected: date) -> None:
    assert resolve_date_words(text, zone=UTC, now=now) == expected


REPORT_NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("last tue wed", DATE_HELP),
        ("1 tue", DATE_HELP),
        ("2026-11 1", f"'2026-11' is not understood; {DATE_HELP}"),
        ("today..", f"'today..' is not understood; {DATE_HELP}"),
        # Full-width digits are not numbers Prospector reads.
        ("２０２６", DATE_HELP),
        ("last ３ days", DATE_HELP),
        ("３ days ago", DATE_HELP),
        ("２０２６-11", f"'２０２６-11' is not understood; {DATE_HELP}"),
        ("nov ２０２６", "'２０２６' is not understood in 'nov ２０２６'"),
    ],
)
def test_unreadable_report_dates_say_exactly_why(text: str, why: str) -> None:
    assert _date_error(text, now=REPORT_NOW) == f"{text!r} is not a date: {why}"


def test_report_ranges_reaching_outside_the_day_range_say_which_end() -> None:
    assert _date_error("last year", now=datetime(2000, 6, 1, 12, 0, tzinfo=UTC)) == (
        "'last year' is not a date: it starts before 2000-01-01"
        " (report dates run from 2000-01-01 to 2100-12-31)"
    )
    assert _date_error("tomorrow", now=datetime(2100, 12, 31, 12, 0, tzinfo=UTC)) == (
        "'tomorrow' is not a date: it ends after 2100-12-31"
        " (report dates run from 2000-01-01 to 2100-12-31)"
    )
