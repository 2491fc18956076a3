"""Hostile time words: many odd inputs, each an error naming what was not understood.

Nothing may become another day. The tables are generated from the calendar (every
month's day past its end, every wrong weekday, a stray number at every place of
every valid phrase) and hypothesis fuzzes the rest; nothing but TimeWordsError may
come out, and whatever is read must be exactly what was written.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospector.foundations.datewords import date_range_words
from prospector.foundations.errors import TimeWordsError
from prospector.foundations.timewords import resolve_time_words

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday 10:00 EST
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
VALID = [
    "tomorrow 3pm",
    "tue 10am",
    "next monday 9:30",
    "in 2 hours",
    "2026-12-01 14:00",
    "12/1 2pm",
    "3pm ET",
    "15:00 Europe/London",
    "dec 1 2pm",
    "dec 1 2026 2pm",
    "noon tomorrow",
]


def read(text: str) -> datetime:
    return resolve_time_words(text, zone=NY, now=NOW)


def refused(text: str) -> str:
    with pytest.raises(TimeWordsError) as caught:
        read(text)
    message = str(caught.value)
    assert message.startswith(f"{text.strip()!r} is not a time: ") and "\n" not in message
    return message


def _past_month_end() -> list[tuple[str, str]]:
    cases = []
    for month, name in enumerate(MONTHS, 1):
        longest = calendar.monthrange(2000, month)[1]  # a leap year: Feb 29 exists
        beyond = longest + 1
        cases += [
            (f"{name} {beyond} 3pm", f"has {'at most ' if month == 2 else ''}{longest} days"),
            (f"{beyond} {calendar.month_name[month]} 3pm", f"not {beyond}"),
            (f"{month}/{beyond} 3pm", f"not {beyond}"),
            (f"{month}/{beyond}/2027 3pm", f"2027 has {calendar.monthrange(2027, month)[1]} days"),
            (f"2027-{month:02}-{beyond} 10am", f"not {beyond}"),
            (f"{name} {beyond}th, 2027 9:30", f"not {beyond}"),
        ]
    return cases


@pytest.mark.parametrize(("text", "why"), _past_month_end())
def test_a_day_past_the_end_of_its_month_is_an_error(text: str, why: str) -> None:
    assert why in refused(text)


def _wrong_weekdays() -> list[tuple[str, str]]:
    cases = []
    for offset in range(7):
        day = date(2026, 12, 1) + timedelta(days=offset)
        for index, weekday in enumerate(WEEKDAYS):
            if index != day.weekday():
                written = f"{MONTHS[day.month - 1]} {day.day}" if index % 2 else f"12/{day.day}"
                cases.append((f"{weekday} {written} 3pm", f"{day.isoformat()} is a"))
    return cases


@pytest.mark.parametrize(("text", "why"), _wrong_weekdays())
def test_every_wrong_weekday_is_an_error(text: str, why: str) -> None:
    assert why in refused(text)


def test_every_right_weekday_is_read() -> None:
    for offset in range(7):
        day = date(2026, 12, 1) + timedelta(days=offset)
        for written in (f"{MONTHS[day.month - 1]} {day.day}", f"12/{day.day}", day.isoformat()):
            text = f"{WEEKDAYS[day.weekday()]} {written} 3pm"
            assert read(text) == datetime.combine(day, time(15), tzinfo=NY), text


def _stray_numbers() -> list[str]:
    cases = []
    for phrase in VALID:
        words = phrase.split()
        for place in range(len(words) + 1):
            for number in ("7", "12", "31"):
                cases.append(" ".join([*words[:place], number, *words[place:]]))
    return cases


@pytest.mark.parametrize("text", _stray_numbers())
def test_a_stray_number_anywhere_in_a_valid_phrase_is_an_error(text: str) -> None:
    refused(text)


def test_the_valid_phrases_themselves_are_read() -> None:
    for phrase in VALID:
        assert read(phrase) > NOW


ODD = [
    "", " ", "\t", "3", "15", "1500", "3 o'clock", "half past three", "quarter to 5",
    "3pm-ish", "around 3pm", "3pm or 4pm", "3pm tomorrow or wed", "3:75pm", "3:5pm", "25:00",
    "24:00", "23:60", "13pm", "0am", "0pm", "-3pm", "3pm -05:00", "3pm +05:00", "3pm UTC+5",
    "3pm GMT+1", "3pm EST5EDT", "3pm Mars/Olympus", "3pm America/Nowhere", "3pm ET ET",
    "3pm eastern pacific", "yesterday 3pm", "the day after tomorrow 3pm", "in 2 days 3pm",
    "3pm in 2 days", "in -2 days", "in 2.5 hours", "in 1e9 days", "in two hours",
    "in 2 fortnights", "in 2", "in hours", "in 99999999 days", "in 99999999999999999999 days",
    "2 hours", "2 hours from now", "next week 3pm", "next month 3pm", "this weekend 3pm",
    "last monday 3pm", "next next monday 3pm", "next tomorrow 3pm", "this tomorrow 3pm",
    "monday tuesday 3pm", "tue wed 3pm", "mon 3pm tue", "dec 3pm", "december 2026 3pm",
    "2026 3pm", "3pm 2026", "dec 2026 1 3pm", "1 2 3pm", "12 1 3pm", "12/1 1 3pm",
    "12/1/1 3pm", "12/1/123 3pm", "12/1/20261 3pm", "1/1/1 1pm", "12-1 3pm", "1-12-2026 3pm",
    "2026/12/01 3pm", "01.12.2026 3pm", "12.1 3pm", "20261201 3pm", "2026-12 3pm",
    "2026-1201 3pm", "2026-12-01-02 3pm", "2026--12-01 3pm", "dec/1 3pm", "dec-1 3pm",
    "1st 3pm", "the 1st 3pm", "the 1st of 3pm", "of december 3pm", "dec 1 of 2026 3pm",
    "dec the 3pm", "dec 1st 1st 3pm", "dec 1 dec 3pm", "dec jan 1 3pm", "feb 29 3pm",
    "feb 29 2027 3pm", "feb 30 2028 3pm", "apr 31 3pm", "jun 31 3pm", "sep 31 3pm",
    "nov 31 3pm", "dec 32 3pm", "dec 99 3pm", "dec 00 3pm", "0/0 3pm", "00/00 3pm", "13/1 3pm",
    "99/99 3pm", "31/12 3pm", "25/12 3pm", "2026-00-10 3pm", "2026-02-00 3pm", "0000-01-01 3pm",
    "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1999-12-31T23:59:59Z",
    "2101-01-01T00:00:00Z", "1970-01-01 3pm", "2101-01-01 3pm", "12/1/1999 3pm",
    "dec 1 2101 3pm", "dec 1 99 3pm", "tomorrow 3pm foo", "foo tomorrow 3pm", "tomorrow foo",
    "banana", "call me maybe", "asap", "later", "soon", "eod", "eow", "noon noon", "noon 3pm",
    "midnight 12am", "3pm @ @ ET ET", "at", "@", "on", "at on @", ",,,",
    "3pm,,,5", "tomorrow,3pm,7", "tue. 10am fri", "3pm 😀", "3pm\x00", "३pm", "３pm",
    "tomorrow 3pm" + " tomorrow" * 5, "3" * 50 + "pm", "in " + "9" * 5000 + " days",
    "2026-12-01T14:00:00+25:00", "2026-12-01T25:00", "2026-12-01T14:60", "2026-12-01T",
    "T14:00", "14:00:60", "14:00:00:00", "14::00", ":30", "3:", "3pm 3", "mon 3",
    "dec 1 3", "dec 1 at 3", "tomorrow at 3", "at 3", "3 at", "12/1 at 14", "mon dec 1",
]  # fmt: skip


@pytest.mark.parametrize("text", ODD)
def test_odd_words_are_refused_in_one_line(text: str) -> None:
    refused(text)


@given(
    st.integers(1990, 2110),
    st.integers(0, 13),
    st.integers(0, 33),
    st.integers(1, 12),
    st.sampled_from(
        [
            "{M} {d} {y} {h}pm",
            "{d} {Month} {y} {h}pm",
            "{m}/{d}/{y} {h}pm",
            "{y}-{m:02}-{d:02} {h}pm",
            "{W} {M} {d} {y} {h}pm",
        ]
    ),
    st.integers(0, 6),
)
def test_a_written_date_is_read_exactly_or_refused(y, m, d, h, form, weekday) -> None:
    text = form.format(
        y=y,
        m=m,
        d=d,
        h=h,
        M=MONTHS[m - 1] if 1 <= m <= 12 else "foo",
        Month=calendar.month_name[m] if 1 <= m <= 12 else "foo",
        W=WEEKDAYS[weekday],
    )
    try:
        expected: date | None = date(y, m, d)
    except ValueError:
        expected = None
    if expected is not None and "{W}" in form and expected.weekday() != weekday:
        expected = None
    if expected is not None and not 2000 <= y <= 2100:
        expected = None
    if expected is None:
        with pytest.raises(TimeWordsError):
            read(text)
        return
    assert read(text) == datetime.combine(expected, time(12 + h % 12), tzinfo=NY)


VOCABULARY = [
    "dec", "december", "feb", "1", "1st", "12", "29", "30", "31", "32", "2026", "2027", "0001",
    "9999", "99999999", "3pm", "3", "pm", "15:00", "25:00", "noon", "midnight", "mon", "tue",
    "next", "this", "last", "today", "tomorrow", "in", "an", "half", "hours", "days", "minutes",
    "at", "AT", "@", "on", "the", "of", "ET", "pt", "utc", "z", "time", "Europe/London",
    "12/1", "13/45", "2/30", "12/1/2026", "2026-12-01", "2026-02-30", "2026-12-01T14:00",
    "2026-12-01T14:00:00Z", "+0500", "-", ",", ".", "foo", "",
]  # fmt: skip


WORDS = st.lists(
    st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=6)), min_size=0, max_size=6
)
INSTANTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31), timezones=st.just(UTC)
)


@given(WORDS, INSTANTS)
def test_any_words_give_an_instant_in_range_or_one_time_words_error(words, now) -> None:
    text = " ".join(words)
    try:
        result = resolve_time_words(text, zone=NY, now=now)
    except TimeWordsError as error:
        assert "\n" not in str(error).replace(text, "")
        return
    assert result.tzinfo is not None
    assert (
        datetime(2000, 1, 1, tzinfo=UTC) <= result <= datetime(2100, 12, 31, 23, 59, 59, tzinfo=UTC)
    )


@given(WORDS, INSTANTS)
def test_any_report_words_give_days_in_range_or_one_time_words_error(words, now) -> None:
    text = " ".join(words)
    try:
        first, last = date_range_words(text, zone=NY, now=now)
    except TimeWordsError:
        return
    assert date(2000, 1, 1) <= first <= last <= date(2100, 12, 31)
