"""Days nobody is called: public holidays and the team's own closed dates (DESIGN §4.3).

Public holidays come from the maintained ``holidays`` package, never from a list
of ours. ``calling.holidays`` chooses whose:

* ``"auto"`` (default): the prospect's own country and, where the package knows
  it, their state or province (``US`` + ``CA``: California's holidays too);
* a list of calendars (``["US", "CA-ON"]``): the team keeps exactly these, for
  every prospect wherever they are;
* ``"none"``.

``calling.closed_dates`` adds the team's own days off. Every date is a local date
of the prospect, as the calling window is.
"""

from __future__ import annotations

import functools
from datetime import date

from prospector.services.settings.model import HolidayRules


def holiday_name(rules: HolidayRules, country: str, state: str, day: date) -> str | None:
    """Why nobody in ``country``/``state`` is called on their local ``day``, else None."""
    if day in rules.closed:
        return "closed"
    for calendar in _calendars(rules, country, state):
        name = _year(calendar, day.year).get(day)
        if name is not None:
            return name
    return None


def is_day_off(rules: HolidayRules, country: str, state: str, day: date) -> bool:
    return holiday_name(rules, country, state, day) is not None


def _calendars(rules: HolidayRules, country: str, state: str) -> tuple[str, ...]:
    if rules.source == "calendars":
        return rules.calendars
    if rules.source == "none" or not country:
        return ()
    return (_auto_calendar(country.upper(), state.upper()),)


@functools.cache
def _auto_calendar(country: str, state: str) -> str:
    """``CC-SUB`` when the package knows the subdivision, ``CC`` when only the country,
    '' when neither (no holidays known: better than a guess)."""
    subdivisions = supported().get(country)
    if subdivisions is None:
        return ""
    return f"{country}-{state}" if state and state in subdivisions else country


@functools.lru_cache(maxsize=1024)
def _year(calendar: str, year: int) -> dict[date, str]:
    if not calendar:
        return {}
    import holidays

    country, _, subdivision = calendar.partition("-")
    found = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    # Several holidays on one day come joined by "; ": the first name is enough.
    return {day: name.split("; ")[0] for day, name in found.items()}


@functools.cache
def supported() -> dict[str, frozenset[str]]:
    """Country codes the package knows, each with its subdivision codes."""
    import holidays

    return {
        country: frozenset(subdivisions)
        for country, subdivisions in holidays.list_supported_countries().items()
    }


def known_calendar(calendar: str) -> bool:
    """Is ``CC`` or ``CC-SUB`` a calendar the package has?"""
    country, _, subdivision = calendar.upper().partition("-")
    subdivisions = supported().get(country)
    return subdivisions is not None and (not subdivision or subdivision in subdivisions)
