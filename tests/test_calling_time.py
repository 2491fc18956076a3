"""Calling time: public holidays, closed dates, and durations counted in open time only."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prospector.foundations.errors import SettingsError
from prospector.services.fit import sla_deadline
from prospector.services.settings import HolidayRules, default_settings, parse_settings
from prospector.services.windows import (
    Locale,
    add_calling_time,
    calling_time_between,
    is_open,
    next_open,
)
from tests.test_settings_ranges import changed

ET = ZoneInfo("America/New_York")
PT = ZoneInfo("America/Los_Angeles")
SETTINGS = default_settings()  # Mon-Fri 09:00-17:00, lunch 12-13, holidays "auto"
NEW_YORK = Locale(1, ("America/New_York",), "US", "NY")
CALIFORNIA = Locale(2, ("America/Los_Angeles",), "US", "CA")
ONTARIO = Locale(3, ("America/Toronto",), "CA", "ON")
HOUR = timedelta(hours=1)


def with_holidays(**changes) -> object:
    holidays = dataclasses.replace(SETTINGS.calling.holidays, **changes)
    return dataclasses.replace(
        SETTINGS, calling=dataclasses.replace(SETTINGS.calling, holidays=holidays)
    )


def at(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("arrived", "due"),
    [
        # The two leads: after hours it is due an hour into the next calling day.
        (at(ET, 2026, 11, 24, 21, 49), at(ET, 2026, 11, 25, 10, 0)),
        (at(ET, 2026, 11, 24, 10, 30), at(ET, 2026, 11, 24, 11, 30)),
        # Lunch does not count.
        (at(ET, 2026, 11, 24, 11, 30), at(ET, 2026, 11, 24, 13, 30)),
        # Thanksgiving (Thursday) does not count, nor the weekend.
        (at(ET, 2026, 11, 25, 21, 49), at(ET, 2026, 11, 27, 10, 0)),
        (at(ET, 2026, 11, 27, 16, 30), at(ET, 2026, 11, 30, 9, 30)),
        # Before the window opens in the morning.
        (at(ET, 2026, 11, 24, 7, 0), at(ET, 2026, 11, 24, 10, 0)),
        # Across the fall-back change (Sunday 1 November 2026) and spring forward (8 March).
        (at(ET, 2026, 10, 30, 16, 30), at(ET, 2026, 11, 2, 9, 30)),
        (at(ET, 2026, 3, 6, 16, 30), at(ET, 2026, 3, 9, 9, 30)),
    ],
)
def test_an_hour_of_calling_time(arrived, due):
    assert add_calling_time(NEW_YORK, arrived, HOUR, SETTINGS) == due
    assert calling_time_between(NEW_YORK, arrived, due, SETTINGS) == HOUR


def test_the_prospects_own_holidays_count():
    # Cesar Chavez Day (31 March 2026, a Tuesday) is California's, not New York's.
    chavez = at(PT, 2026, 3, 31, 10, 0)
    assert not is_open(CALIFORNIA, chavez, SETTINGS)
    assert is_open(NEW_YORK, chavez.astimezone(ET), SETTINGS)
    assert next_open(CALIFORNIA, chavez, SETTINGS) == at(PT, 2026, 4, 1, 9, 0)
    # 12 October 2026: Canada's Thanksgiving closes Ontario; Columbus Day closes New
    # York, a state that keeps it, and not California, which does not.
    monday = at(ET, 2026, 10, 12, 13, 0)
    assert not is_open(ONTARIO, monday, SETTINGS)
    assert not is_open(NEW_YORK, monday, SETTINGS)
    assert is_open(CALIFORNIA, monday.astimezone(PT), SETTINGS)


def test_holidays_none_calls_on_thanksgiving():
    thanksgiving = at(ET, 2026, 11, 26, 10, 0)
    assert not is_open(NEW_YORK, thanksgiving, SETTINGS)
    assert is_open(NEW_YORK, thanksgiving, with_holidays(source="none"))


def test_a_list_of_calendars_holds_for_every_prospect():
    team = with_holidays(source="calendars", calendars=("CA-ON",))
    # Ontario's Thanksgiving now closes California too; US Thanksgiving no longer does.
    assert not is_open(CALIFORNIA, at(PT, 2026, 10, 12, 10, 0), team)
    assert is_open(CALIFORNIA, at(PT, 2026, 11, 26, 10, 0), team)


def test_closed_dates_are_the_teams_days_off():
    team = with_holidays(closed=frozenset({date(2026, 12, 24)}))
    eve = at(ET, 2026, 12, 24, 10, 0)
    assert is_open(NEW_YORK, eve, SETTINGS)
    assert not is_open(NEW_YORK, eve, team)
    assert next_open(NEW_YORK, eve, team) == at(ET, 2026, 12, 28, 9, 0)  # 25th: Christmas


def test_a_country_without_known_holidays_is_called_on_its_weekdays():
    nowhere = Locale(4, ("Etc/GMT-3",), "", "")
    assert is_open(nowhere, datetime(2026, 12, 25, 7, 0, tzinfo=UTC), SETTINGS)  # 10:00 there


def test_a_locale_that_never_opens_has_no_deadline():
    closed = Locale(5, ("Not/AZone",), "US", "NY")
    assert add_calling_time(closed, at(ET, 2026, 11, 24, 10), HOUR, SETTINGS) is None


@settings(max_examples=150, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
    minutes=st.integers(min_value=0, max_value=60 * 24 * 5),
    locale=st.sampled_from([NEW_YORK, CALIFORNIA, ONTARIO]),
)
def test_calling_time_added_is_calling_time_between(start, minutes, locale):
    duration = timedelta(minutes=minutes)
    due = add_calling_time(locale, start, duration, SETTINGS)
    assert due is not None and due >= start
    assert calling_time_between(locale, start, due, SETTINGS) == duration
    if minutes:  # it ends inside a window, never in a closed stretch
        assert is_open(locale, due - timedelta(seconds=1), SETTINGS)


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ('holidays = "auto"', 'holidays = "yes"', "calling.holidays = 'yes': expected"),
        ('holidays = "auto"', 'holidays = ["US", "XX"]', "calling.holidays = 'XX': expected"),
        ("closed_dates = []", 'closed_dates = ["24.12.2026"]', "calling.closed_dates = "),
        ('sla_clock = "working"', 'sla_clock = "office"', "team.sla_clock = 'office'"),
    ],
)
def test_holiday_settings_are_checked(old, new, error):
    with pytest.raises(SettingsError, match=error.replace(".", r"\.").replace("[", r"\[")):
        parse_settings(changed(old, new))


def test_holiday_settings_are_read():
    read = parse_settings(
        changed(
            'holidays = "auto"|closed_dates = []|sla_clock = "working"',
            'holidays = ["us", "CA-ON"]|closed_dates = ["2026-12-24", 2026-12-31]|'
            'sla_clock = "wall"',
        )
    )
    assert read.calling.holidays == HolidayRules(
        "calendars", ("US", "CA-ON"), frozenset({date(2026, 12, 24), date(2026, 12, 31)})
    )
    assert read.team.sla_clock == "wall"
    assert SETTINGS.team.sla_clock == "working"


def test_calendar_and_business_days_under_the_working_clock():
    # C = 3d (calendar days stay elapsed), B = 1bd (the prospect's next calling
    # day, Thanksgiving skipped): both with the default working clock.
    tiers = {tier.name: tier for tier in SETTINGS.tiers}
    wed = at(ET, 2026, 11, 25, 15, 0)
    assert sla_deadline(wed, tiers["C"], SETTINGS, NEW_YORK) == wed + timedelta(days=3)
    assert sla_deadline(wed, tiers["B"], SETTINGS, NEW_YORK) == at(ET, 2026, 11, 27, 15, 0)
