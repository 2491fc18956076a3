"""Time words, with a pinned "now": Monday 2026-11-23 10:00 in New York."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospector.foundations.errors import TimeWordsError
from prospector.foundations.timewords import (
    date_range_words,
    resolve_date_words,
    resolve_time_words,
)

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday 10:00 EST


def at(text: str, zone: ZoneInfo = NY, now: datetime = NOW) -> str:
    return resolve_time_words(text, zone=zone, now=now).isoformat()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 3pm", "2026-11-24T15:00:00-05:00"),
        ("Tomorrow at 3 PM", "2026-11-24T15:00:00-05:00"),
        ("3pm tomorrow", "2026-11-24T15:00:00-05:00"),
        ("tue 10am", "2026-11-24T10:00:00-05:00"),
        ("next monday 9:30", "2026-11-30T09:30:00-05:00"),
        ("monday 11am", "2026-11-23T11:00:00-05:00"),  # still ahead today
        ("mon 9am", "2026-11-30T09:00:00-05:00"),  # already past today
        ("in 2 hours", "2026-11-23T12:00:00-05:00"),
        ("in 30 min", "2026-11-23T10:30:00-05:00"),
        ("in an hour", "2026-11-23T11:00:00-05:00"),
        ("today 4:15pm", "2026-11-23T16:15:00-05:00"),
        ("2026-12-01 14:00", "2026-12-01T14:00:00-05:00"),
        ("2026-12-01T14:00", "2026-12-01T14:00:00-05:00"),
        ("12/1 2pm", "2026-12-01T14:00:00-05:00"),
        ("dec 1 2pm", "2026-12-01T14:00:00-05:00"),
        ("3pm", "2026-11-23T15:00:00-05:00"),
        ("9am", "2026-11-24T09:00:00-05:00"),  # next occurrence
        ("noon", "2026-11-23T12:00:00-05:00"),
        ("11/20 9am", "2027-11-20T09:00:00-05:00"),  # month/day: next occurrence
        ("3pm ET", "2026-11-23T15:00:00-05:00"),
        ("10am PT", "2026-11-23T10:00:00-08:00"),
        ("15:00 Europe/London", "2026-11-24T15:00:00+00:00"),  # 15:00 London has passed
        ("3pm UK", "2026-11-24T15:00:00+00:00"),
        ("tomorrow 9am CT", "2026-11-24T09:00:00-06:00"),
    ],
)
def test_time_words(text: str, expected: str) -> None:
    assert at(text) == expected


def test_text_is_read_in_the_given_zone() -> None:
    assert at("tomorrow 3pm", zone=ZoneInfo("America/Los_Angeles")) == ("2026-11-24T15:00:00-08:00")


@pytest.mark.parametrize(
    "text",
    [
        "banana",
        "3",
        "tomorrow",
        "25:00",
        "13pm",
        "2/30 3pm",
        "",
        "   ",
        "in 2 fortnights",
        "someday 3pm",
        "3pm 4pm",
        "call me maybe",
    ],
)
def test_not_a_time(text: str) -> None:
    with pytest.raises(TimeWordsError, match="is not a time"):
        at(text)


def test_spring_forward_gap_is_an_error() -> None:
    before = datetime(2026, 3, 7, 15, 0, tzinfo=UTC)
    with pytest.raises(TimeWordsError, match="does not exist"):
        at("2026-03-08 2:30am", now=before)
    with pytest.raises(TimeWordsError, match="does not exist"):
        at("tomorrow 2:30am", now=before)
    assert at("tomorrow 3:30am", now=before) == "2026-03-08T03:30:00-04:00"


def test_fall_back_repeat_takes_the_first_occurrence() -> None:
    before = datetime(2026, 10, 31, 15, 0, tzinfo=UTC)
    first = resolve_time_words("tomorrow 1:30am", zone=NY, now=before)
    assert first.isoformat() == "2026-11-01T01:30:00-04:00"
    assert first.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_relative_words_are_elapsed_time_across_dst() -> None:
    before = datetime(2026, 3, 8, 6, 30, tzinfo=UTC)  # 01:30 EST, clocks jump at 02:00
    assert resolve_time_words("in 1 hour", zone=NY, now=before).astimezone(UTC) == datetime(
        2026, 3, 8, 7, 30, tzinfo=UTC
    )


@given(
    st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
    st.sampled_from(["3pm", "tue 10am", "next friday 9:30", "tomorrow 8am", "in 45 min"]),
)
def test_results_are_aware_and_in_the_future(now: datetime, text: str) -> None:
    try:
        result = resolve_time_words(text, zone=NY, now=now)
    except TimeWordsError as error:
        assert "does not exist" in str(error)
        return
    assert result.tzinfo is not None
    assert result > now


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
    with pytest.raises(TimeWordsError, match=r"^'2026-02-30' is not a calendar date$"):
        date_range_words("2026-02-30", zone=NY, now=NOW)


@given(st.integers(0, 400), st.integers(1, 400))
def test_days_ago_and_last_n_days_agree(back: int, count: int) -> None:
    day = resolve_date_words(f"{back} days ago", zone=NY, now=NOW)
    assert (date(2026, 11, 23) - day).days == back
    first, last = date_range_words(f"last {count} days", zone=NY, now=NOW)
    assert last == date(2026, 11, 23) and (last - first).days == count - 1
