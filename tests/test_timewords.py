"""Time words, with a pinned "now": Monday 2026-11-23 10:00 in New York."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospector.foundations.errors import TimeWordsError
from prospector.foundations.timewords import ZONE_WORDS, resolve_time_words

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


# --- nothing is guessed ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("dec 32 3pm", "December has 31 days, not 32"),
        ("feb 30 3pm", "February has at most 29 days, not 30"),
        ("feb 30", "February has at most 29 days, not 30"),
        ("2026-02-30 10am", "February 2026 has 28 days, not 30"),
        ("2026-13-01 10am", "2026-13-01 has no month 13 (dates are year-month-day)"),
        ("13/45 2pm", "13/45 has no month 13 (dates are month/day)"),
        ("31/04 3pm", "31/04 has no month 31 (dates are month/day)"),
        ("4/31 3pm", "April has 30 days, not 31"),
        ("11/31/2026 9am", "November 2026 has 30 days, not 31"),
        ("feb 29 2027 3pm", "February 2027 has 28 days, not 29"),
        ("feb 29 3pm", "February 29 does not occur in the coming year: add the year (feb 29 2028)"),
        ("dec 0 3pm", "December has 31 days, not 0"),
        ("0/1 3pm", "0/1 has no month 0 (dates are month/day)"),
    ],
)
def test_an_impossible_date_is_named_not_rolled_over(text: str, why: str) -> None:
    with pytest.raises(TimeWordsError) as caught:
        at(text)
    assert str(caught.value) == f"{text!r} is not a time: {why}"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("mon dec 1 3pm", "2026-12-01 is a Tuesday, not a Monday"),
        ("tue 2026-12-02 3pm", "2026-12-02 is a Wednesday, not a Tuesday"),
        ("fri 12/1 9am", "2026-12-01 is a Tuesday, not a Friday"),
        ("saturday, december 6th, 2026 10am", "2026-12-06 is a Sunday, not a Saturday"),
    ],
)
def test_a_weekday_that_contradicts_its_date_is_an_error(text: str, why: str) -> None:
    with pytest.raises(TimeWordsError) as caught:
        at(text)
    assert str(caught.value) == f"{text!r} is not a time: {why}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tue dec 1 3pm", "2026-12-01T15:00:00-05:00"),
        ("Tuesday, December 1st, 2026 at 3pm", "2026-12-01T15:00:00-05:00"),
        ("wed 2026-12-02 3pm", "2026-12-02T15:00:00-05:00"),
        ("tue 12/1 3pm", "2026-12-01T15:00:00-05:00"),
        ("the 1st of december 3pm", "2026-12-01T15:00:00-05:00"),
        ("1 december 2026 3pm", "2026-12-01T15:00:00-05:00"),
        ("dec 1st, 2026, 3:30 pm", "2026-12-01T15:30:00-05:00"),
        ("3pm on tuesday", "2026-11-24T15:00:00-05:00"),
        ("3pm next monday", "2026-11-30T15:00:00-05:00"),
        ("12/1/26 3pm", "2026-12-01T15:00:00-05:00"),
        ("feb 29 2028 3pm", "2028-02-29T15:00:00-05:00"),
        ("2026-12-01 14:00:30", "2026-12-01T14:00:30-05:00"),
        ("2026-12-01T14:00:00-08:00", "2026-12-01T14:00:00-08:00"),
        ("2026-12-01T19:00Z", "2026-12-01T19:00:00+00:00"),
        ("10am PT tomorrow", "2026-11-24T10:00:00-08:00"),
        ("3pm eastern time", "2026-11-23T15:00:00-05:00"),
    ],
)
def test_dates_written_out_in_full_are_read_exactly(text: str, expected: str) -> None:
    assert at(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("jan 2027 3pm", "'jan 2027' is a month, not a day: add the day (jan 5 2027)"),
        ("jan 3pm", "'jan' is a month, not a day: add the day (jan 5)"),
        ("december 10am", "'december' is a month, not a day: add the day (dec 5)"),
    ],
)
def test_a_month_without_its_day_is_an_error(text: str, why: str) -> None:
    with pytest.raises(TimeWordsError) as caught:
        at(text)
    assert str(caught.value) == f"{text!r} is not a time: {why}"


@pytest.mark.parametrize(
    ("text", "stray"),
    [
        ("dec 1 12 3pm", "'12' is not understood in 'dec 1 12' (a year has four digits)"),
        ("dec 1 26 3pm", "'26' is not understood in 'dec 1 26' (a year has four digits)"),
        ("3pm 5", "'5' is not understood (a time needs am/pm or a colon"),
        ("tomorrow 7 3pm", "'7' is not understood (a time needs am/pm or a colon"),
        ("12 3pm", "'12' is not understood"),
        ("2026 3pm", "'2026' is not understood"),
        ("1st 3pm", "'1st' is not understood"),
        ("tomorrow 3pm foo", "'foo' is not understood"),
        ("dec 1 dec 2 3pm", "'dec 1 dec 2' names more than one month"),
        ("next tue dec 1 3pm", "'next' is not understood in 'next tue dec 1'"),
        ("3pm 4pm", "it names more than one clock time"),
        ("3pm ET PT", "it names more than one time zone ('et' and 'pt')"),
        ("3pm +0500", "'+0500' is not understood"),
        ("12.1 3pm", "'12.1' is not a date form Prospector reads (2026-12-01 or 12/1)"),
        ("2026/12/01 3pm", "'2026/12/01' is not a date form Prospector reads"),
    ],
)
def test_stray_words_and_numbers_are_named(text: str, stray: str) -> None:
    with pytest.raises(TimeWordsError) as caught:
        at(text)
    assert str(caught.value).startswith(f"{text!r} is not a time: {stray}"), str(caught.value)


# Written out here, not read from the module: the test is what the zone words mean.
ZONES_EXPECTED = {
    "America/New_York": ("et", "est", "edt", "eastern"),
    "America/Chicago": ("ct", "cst", "cdt", "central"),
    "America/Denver": ("mt", "mst", "mdt", "mountain"),
    "America/Phoenix": ("az", "arizona"),
    "America/Los_Angeles": ("pt", "pst", "pdt", "pacific"),
    "America/Anchorage": ("akt", "akst", "akdt", "alaska"),
    "Pacific/Honolulu": ("ht", "hst", "hawaii"),
    "America/Halifax": ("at", "ast", "adt", "atlantic"),
    "America/St_Johns": ("nt", "nst", "ndt", "newfoundland"),
    "Europe/London": ("uk", "bst", "london"),
    "UTC": ("utc", "gmt", "z"),
}


def test_every_zone_word_is_honoured_not_dropped() -> None:
    words = {word: zone for zone, names in ZONES_EXPECTED.items() for word in names}
    assert set(words) == ZONE_WORDS
    reader_zone = ZoneInfo("Asia/Tokyo")  # never one of the zones named
    for word, zone in words.items():
        for text in (f"tomorrow 3pm {word.upper()}", f"tomorrow 3pm {word}"):
            result = resolve_time_words(text, zone=reader_zone, now=NOW)
            assert (result.tzinfo.key, result.hour, result.day) == (zone, 15, 24), text  # type: ignore[union-attr]


def test_at_is_atlantic_time_at_the_end_and_a_filler_before_other_words() -> None:
    assert at("3pm AT") == "2026-11-23T15:00:00-04:00"
    assert at("tomorrow 3pm at") == "2026-11-24T15:00:00-04:00"
    assert at("tomorrow at 3pm") == "2026-11-24T15:00:00-05:00"
    assert at("at 3pm") == "2026-11-23T15:00:00-05:00"
    assert at("3pm at ET") == "2026-11-23T15:00:00-05:00"
    with pytest.raises(TimeWordsError, match="more than one time zone"):
        at("3pm ET AT")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("in 99999999 days", "it is after 2100-12-31 (times run from 2000-01-01T00:00:00Z to"),
        ("in 99999999999999999999999 minutes", "it is after 2100-12-31"),
        (f"in {'9' * 5000} hours", "it is after 2100-12-31"),
        ("in 3900 weeks", "it is after 2100-12-31"),
        ("12/1/2101 3pm", "the year 2101 is outside 2000-2100"),
        ("dec 1 1999 3pm", "the year 1999 is outside 2000-2100"),
        ("0001-01-01 3pm", "the year 1 is outside 2000-2100"),
        ("9999-12-31 3pm", "the year 9999 is outside 2000-2100"),
        ("9999-12-31T23:59:59Z", "it is after 2100-12-31"),
        ("2100-12-31 11pm", "it is after 2100-12-31"),  # 04:00 UTC on Jan 1 2101
    ],
)
def test_times_outside_2000_to_2100_are_refused_with_the_range(text: str, why: str) -> None:
    with pytest.raises(TimeWordsError) as caught:
        at(text)
    assert str(caught.value).startswith(f"{text!r} is not a time: {why}"[:200])


def test_the_last_instants_of_the_range_are_still_read() -> None:
    assert at("2100-12-31 6pm") == "2100-12-31T18:00:00-05:00"
    late = datetime(2100, 12, 31, 12, 0, tzinfo=UTC)
    assert resolve_time_words("in 11 hours", zone=NY, now=late) == datetime(
        2100, 12, 31, 23, 0, tzinfo=UTC
    )
    with pytest.raises(TimeWordsError, match="after 2100-12-31"):
        resolve_time_words("in 12 hours", zone=NY, now=late)
