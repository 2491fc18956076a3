"""Candidate time zones: explicit column, then state, then number, then country."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from prospector.foundations import postal, regions, zones
from prospector.foundations.phones import PhoneBook, country_zones
from prospector.foundations.shipped import shipped_toml
from prospector.foundations.zones import candidate_zones

BOOK = PhoneBook()


def test_every_state_and_province_zone_exists():
    for table in (regions.US_STATES, regions.CA_PROVINCES):
        for _name, state_zones in table.values():
            for zone in state_zones:
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


# --- evidence order, clocks, postal codes, toll-free ---------------------------------


def test_zones_are_compared_by_clock_not_by_name():
    assert zones.clock("America/North_Dakota/Center") == zones.clock("America/Chicago")
    assert zones.clock("America/Boise") == zones.clock("America/Denver")
    assert zones.clock("America/Phoenix") != zones.clock("America/Denver")  # no DST
    assert zones.same_clock(("America/Chicago", "America/Denver"), ("America/Menominee",)) == (
        "America/Chicago",
    )


def test_the_phones_zones_narrow_the_states():
    miami = BOOK.normalize("(305) 375-5000", "US")
    assert candidate_zones(explicit=None, country="US", state="FL", phone=miami) == (
        "America/New_York",
    )
    # No common clock: the address wins (a 415 mobile of a Floridian).
    sf = BOOK.normalize("(415) 555-2671", "US")
    assert candidate_zones(explicit=None, country="US", state="FL", phone=sf) == (
        "America/Chicago",
        "America/New_York",
    )


def test_a_postal_code_wins_over_state_and_phone():
    austin = BOOK.normalize("(512) 974-2000", "US")
    assert candidate_zones(
        explicit=None, country="US", state="TX", phone=austin, postal=("America/Denver",)
    ) == ("America/Denver",)


@pytest.mark.parametrize(
    ("text", "toll_free"),
    [("1-800-555-0100", True), ("900-555-0100", True), ("500-555-0100", True),
     ("(212) 555-0100", False), ("+44 7911 123456", False), ("+41 800 123 456", True)],
)  # fmt: skip
def test_toll_free_and_non_geographic_numbers(text, toll_free):
    assert zones.is_toll_free(BOOK.normalize(text, "US")) is toll_free


@pytest.mark.parametrize(
    ("text", "region", "mainland"),
    [("+34 612 345 678", "ES", "Europe/Madrid"),
     ("+351 912 345 678", "PT", "Europe/Lisbon"),
     ("+64 21 123 4567", "NZ", "Pacific/Auckland"),
     ("+593 99 123 4567", "EC", "America/Guayaquil")],
)  # fmt: skip
def test_a_mobile_of_a_country_with_outlying_islands_is_on_its_mainland(text, region, mainland):
    # phonenumbers gives it the islands' zones too (the Canaries keep an hour behind
    # Madrid): a mobile is no place's, but not toll-free, and not an hour late.
    mobile = BOOK.normalize(text, region)
    assert len(mobile.zones) > 1 and mainland in mobile.zones
    assert not zones.is_toll_free(mobile)
    for country in (None, region):
        assert candidate_zones(explicit=None, country=country, state=None, phone=mobile) == (
            mainland,
        )
    # A landline on the islands is there; a country split by regions keeps them all.
    assert candidate_zones(
        explicit=None, country="ES", state=None, phone=BOOK.normalize("+34 922 123 456", "ES")
    ) == ("Atlantic/Canary",)
    # An address on the islands places the mobile there.
    islands = {"ES": ("Las Palmas", "Atlantic/Canary"), "PT": ("Região Autónoma dos Açores",
               "Atlantic/Azores"), "NZ": ("Chatham Islands Territory", "Pacific/Chatham"),
               "EC": ("Galápagos", "Pacific/Galapagos")}  # fmt: skip
    english = {"ES": "Canary Islands", "PT": "Azores", "NZ": "Chatham Islands", "EC": "Galapagos"}
    name, zone = islands[region]
    for typed in (name, english[region]):
        state = regions.state_code(typed, region)
        assert state is not None and state[0] == region
        assert candidate_zones(explicit=None, country=region, state=state[1], phone=mobile) == (
            zone,
        )
    australia = BOOK.normalize("+61 412 345 678", "AU")
    assert candidate_zones(
        explicit=None, country="AU", state=None, phone=australia
    ) == country_zones("AU")


def test_toll_free_numbers_take_the_address_else_the_team():
    free = BOOK.normalize("1-800-555-0100", "US")
    assert candidate_zones(explicit=None, country="US", state="OR", phone=free) == (
        "America/Boise",
        "America/Los_Angeles",
    )
    assert candidate_zones(
        explicit=None, country="US", state=None, phone=free, team_zone="America/Chicago"
    ) == ("America/Chicago",)
    # A country written in the row that holds the team's zone: the team's zone.
    assert candidate_zones(
        explicit=None, country="CA", state=None, phone=free, team_zone="America/Toronto"
    ) == ("America/Toronto",)
    # A country written in the row without it: that country's zones.
    assert candidate_zones(
        explicit=None, country="NZ", state=None, phone=free, team_zone="America/Toronto"
    ) == country_zones("NZ")
    # No address, no team: the number's own (every +1 zone) rather than nothing.
    assert candidate_zones(explicit=None, country=None, state=None, phone=free) == free.zones


@pytest.mark.parametrize(
    ("code", "country", "place"),
    [
        ("79901", "US", ("US", "TX", ("America/Denver",))),
        ("33101", "US", ("US", "FL", ("America/New_York",))),
        ("32501", "US", ("US", "FL", ("America/Chicago",))),
        ("83814-2000", "US", ("US", "ID", ("America/Los_Angeles",))),
        ("97914", "US", ("US", "OR", ("America/Boise",))),
        ("02134", "US", ("US", "MA", ("America/New_York",))),
        ("2134", "US", ("US", "MA", ("America/New_York",))),
        ("M5V 3L9", "CA", ("CA", "ON", ("America/Toronto", "America/Winnipeg"))),
        ("h2x1y4", "CA", ("CA", "QC", ("America/Toronto",))),
        ("99999", "US", None),
        ("80331", "DE", None),
        ("79901", None, None),
        ("Z9Z 9Z9", "CA", None),
        ("35002", "ES", ("ES", "GC", ("Atlantic/Canary",))),
        ("38001", "ES", ("ES", "TF", ("Atlantic/Canary",))),
        ("28013", "ES", None),  # Madrid: the mainland's zone comes from the phone
        ("9500-123", "PT", ("PT", "20", ("Atlantic/Azores",))),
        ("1000-001", "PT", None),
        ("3500", "ES", None),
    ],
)
def test_postal_places(code, country, place):
    assert postal.postal_place(code, country) == place


def test_every_zone_in_the_tables_exists():
    for code, (_state, zone) in postal._zip_table().items():
        assert len(code) == 5
        ZoneInfo(zone)
    for country, states in regions._state_zone_table().items():
        for code, state_zones in states.items():
            assert regions.state_code(f"{country}-{code}", None) == (country, code)
            for zone in state_zones:
                zones.clock(zone)
    for country, aliases in shipped_toml("countries.toml")["state_aliases"].items():
        for name, code in aliases.items():
            assert regions.state_code(f"{country}-{code}", None) == (country, code)
            assert regions.state_code(name, country) == (country, code)
    for country, prefixes in postal._prefixes().items():
        for provinces in prefixes.values():
            for code in provinces:
                assert regions.state_zones(country, code), (country, code)


@pytest.fixture
def zip_cache(tmp_path, monkeypatch):
    """The ZIP table read afresh, with an empty user cache of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    postal._zip_table.cache_clear()
    yield tmp_path / "prospector"
    postal._zip_table.cache_clear()


def test_the_zip_table_is_cached_per_zipcodes_release(zip_cache):
    built = postal._zip_table()
    (cached,) = zip_cache.glob("zip-zones-*.json")
    assert built["33101"] == ("FL", "America/New_York")
    postal._zip_table.cache_clear()
    cached.write_text('{"33101": ["FL", "America/Chicago"]}', encoding="utf-8")
    assert postal._zip_table() == {"33101": ("FL", "America/Chicago")}  # read, not rebuilt


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '{"33101": "FL"}', '{"1": [1, 2, 3]}'])
def test_a_broken_zip_cache_is_read_from_the_package_again(zip_cache, text):
    built = postal._zip_table()
    (cached,) = zip_cache.glob("zip-zones-*.json")
    cached.write_text(text, encoding="utf-8")
    postal._zip_table.cache_clear()
    assert postal._zip_table() == built
    postal._zip_table.cache_clear()
    assert postal._zip_table() == built  # and cached right again


def test_an_unwritable_cache_only_costs_time(zip_cache):
    zip_cache.parent.chmod(0o500)
    try:
        assert postal._zip_table()["33101"] == ("FL", "America/New_York")
    finally:
        zip_cache.parent.chmod(0o700)
