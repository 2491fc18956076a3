"""Candidate time zones: explicit column, then state, then number, then country."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from prospector.foundations import regions
from prospector.foundations.phones import PhoneBook, country_zones
from prospector.foundations.zones import candidate_zones

BOOK = PhoneBook()


def test_every_state_and_province_zone_exists():
    for table in (regions.US_STATES, regions.CA_PROVINCES):
        for _name, zones in table.values():
            for zone in zones:
                ZoneInfo(zone)


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("ID", None, ("US", "ID")),
        ("idaho", "US", ("US", "ID")),
        ("Ontario", None, ("CA", "ON")),
        ("BC", "CA", ("CA", "BC")),
        ("Narnia", "US", None),
    ],
)
def test_state_codes(text, country, expected):
    assert regions.state_code(text, country) == expected


def test_address_wins_over_the_area_code():
    # A 415 (San Francisco) number for someone whose address is in New York.
    phone = BOOK.normalize("415-555-2671", "US")
    assert phone.zones == ("America/Los_Angeles",)
    zones = candidate_zones(explicit=None, country="US", state="NY", phone=phone)
    assert zones == ("America/New_York",)


def test_explicit_zone_wins_over_everything():
    phone = BOOK.normalize("415-555-2671", "US")
    assert candidate_zones(explicit="America/Chicago", country="US", state="NY", phone=phone) == (
        "America/Chicago",
    )


def test_split_states_keep_both_zones():
    assert candidate_zones(explicit=None, country="US", state="ID", phone=None) == (
        "America/Boise",
        "America/Los_Angeles",
    )


def test_number_zones_when_no_address():
    phone = BOOK.normalize("(208) 555-1234", "US")
    assert candidate_zones(explicit=None, country=None, state=None, phone=phone) == (
        "America/Boise",
        "America/Los_Angeles",
    )


def test_country_zones_last():
    assert candidate_zones(explicit=None, country="GB", state=None, phone=None) == (
        "Europe/London",
    )
    assert "America/New_York" in country_zones("US")
    assert "Pacific/Honolulu" in country_zones("US")
