"""Calling windows: rules, strictest wins, several zones, DST, next open."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prospector.services.settings import default_settings, parse_settings
from prospector.services.windows import Locale, is_open, next_open, open_until

SETTINGS = default_settings()
NY = Locale(1, ("America/New_York",), "US", "NY")
FL = Locale(2, ("America/Chicago", "America/New_York"), "US", "FL")
IDAHO = Locale(3, ("America/Boise", "America/Los_Angeles"), "US", "ID")
ALASKA = Locale(4, ("America/Adak", "America/Anchorage"), "US", "AK")
NOWHERE = Locale(5, (), "US", "")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def wide_settings(extra: str = ""):
    """Settings asking for 07:00-22:00 every day, no lunch (the legal bound must cut it)."""
    text = SETTINGS.source_text
    text = text.replace('start = "09:00"                    # in', 'start = "07:00"  # in')
    text = text.replace('end = "17:00"', 'end = "22:00"')
    text = text.replace(
        'days = ["mon", "tue", "wed", "thu", "fri"]\n',
        'days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n',
        1,
    )
    text = text.replace('lunch_start = "12:00"', "").replace('lunch_end = "13:00"', "")
    return parse_settings(text + extra)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (utc(2026, 11, 23, 13, 59), False),  # 08:59 Mon
        (utc(2026, 11, 23, 14, 0), True),  # 09:00
        (utc(2026, 11, 23, 16, 59), True),  # 11:59
        (utc(2026, 11, 23, 17, 0), False),  # 12:00 lunch
        (utc(2026, 11, 23, 18, 0), True),  # 13:00
        (utc(2026, 11, 23, 21, 59), True),  # 16:59
        (utc(2026, 11, 23, 22, 0), False),  # 17:00
        (utc(2026, 11, 28, 15, 0), False),  # Saturday
    ],
)
def test_default_window_in_local_time(instant: datetime, expected: bool) -> None:
    assert is_open(NY, instant, SETTINGS) is expected


def test_legal_bound_wins_over_settings() -> None:
    wide = wide_settings()
    assert not is_open(NY, utc(2026, 11, 23, 12, 30), wide)  # 07:30 asked, 08:00 is the floor
    assert is_open(NY, utc(2026, 11, 23, 13, 0), wide)  # 08:00
    assert is_open(NY, utc(2026, 11, 24, 1, 59), wide)  # 20:59
    assert not is_open(NY, utc(2026, 11, 24, 2, 0), wide)  # 21:00 is the ceiling


def test_state_rules_only_narrow() -> None:
    wide = wide_settings()
    florida = Locale(9, ("America/New_York",), "US", "FL")
    assert is_open(florida, utc(2026, 11, 24, 0, 30), wide)  # 19:30
    assert not is_open(florida, utc(2026, 11, 24, 1, 30), wide)  # 20:30: FL ends at 20:00
    alabama = Locale(10, ("America/Chicago",), "US", "AL")
    sunday_noon = utc(2026, 11, 29, 18, 0)
    assert is_open(Locale(11, ("America/Chicago",), "US", "IL"), sunday_noon, wide)
    assert not is_open(alabama, sunday_noon, wide)  # no Sunday calls in AL
    # A country-level rule (GB) applies to every locale in that country.
    gb = wide_settings('\n[[calling.state_rules]]\nregion = "GB"\nend = "18:00"\n')
    london = Locale(12, ("Europe/London",), "GB", "")
    assert is_open(london, utc(2026, 11, 23, 18, 30), gb) is False
    assert is_open(london, utc(2026, 11, 23, 18, 30), wide) is True


def test_every_candidate_zone_must_be_open() -> None:
    # 09:30 Eastern = 08:30 Central: Florida (both zones) is still closed.
    assert not is_open(FL, utc(2026, 11, 23, 14, 30), SETTINGS)
    assert is_open(FL, utc(2026, 11, 23, 15, 0), SETTINGS)
    # 16:30 Eastern = 15:30 Central: open in both.
    assert is_open(FL, utc(2026, 11, 23, 21, 30), SETTINGS)
    # Boise is an hour ahead of Los Angeles: 09:00 LA = 10:00 Boise.
    assert not is_open(IDAHO, utc(2026, 11, 23, 16, 30), SETTINGS)  # 09:30 Boise, 08:30 LA
    assert is_open(IDAHO, utc(2026, 11, 23, 17, 0), SETTINGS)  # 10:00 Boise, 09:00 LA
    assert not is_open(NOWHERE, utc(2026, 11, 23, 15, 0), SETTINGS)


def test_alaska_pair_is_open_only_where_both_are() -> None:
    # Adak is an hour behind Anchorage. 09:30 Anchorage = 08:30 Adak: closed.
    assert not is_open(ALASKA, utc(2026, 11, 23, 18, 30), SETTINGS)
    assert is_open(ALASKA, utc(2026, 11, 23, 19, 0), SETTINGS)  # 10:00 / 09:00


def test_dst_spring_forward_and_fall_back() -> None:
    wide = wide_settings()
    # Sunday 2026-03-08, New York jumps 02:00 -> 03:00: 08:00 EDT is 12:00 UTC.
    assert not is_open(NY, utc(2026, 3, 8, 11, 59), wide)
    assert is_open(NY, utc(2026, 3, 8, 12, 0), wide)
    # Sunday 2026-11-01, back 02:00 -> 01:00: 08:00 EST is 13:00 UTC.
    assert not is_open(NY, utc(2026, 11, 1, 12, 30), wide)
    assert is_open(NY, utc(2026, 11, 1, 13, 0), wide)
    assert next_open(NY, utc(2026, 11, 1, 6, 0), wide) == utc(2026, 11, 1, 13, 0)
    assert next_open(NY, utc(2026, 3, 8, 6, 0), wide) == utc(2026, 3, 8, 12, 0)


def test_next_open_and_open_until() -> None:
    friday_evening = utc(2026, 11, 27, 23, 0)  # Fri 18:00 ET
    assert next_open(NY, friday_evening, SETTINGS) == utc(2026, 11, 30, 14, 0)  # Mon 09:00
    assert next_open(NY, utc(2026, 11, 23, 17, 30), SETTINGS) == utc(2026, 11, 23, 18, 0)
    assert open_until(NY, utc(2026, 11, 23, 15, 0), SETTINGS) == utc(2026, 11, 23, 17, 0)
    assert open_until(NY, utc(2026, 11, 23, 17, 30), SETTINGS) is None
    # Florida: opens when Central opens (09:00 CT = 15:00 UTC).
    assert next_open(FL, utc(2026, 11, 23, 13, 0), SETTINGS) == utc(2026, 11, 23, 15, 0)
    assert next_open(NOWHERE, friday_evening, SETTINGS) is None
