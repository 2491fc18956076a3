"""A contact's time zones from the most precise evidence (DESIGN §4.2).

An explicit time-zone column; else the postal code's zones; else the phone's
zones narrowed by the state's; else the state's; else the phone's; else the
country's. Toll-free and other non-geographic numbers say nothing about where
a person is: their zones come from the address, else the team's zone.

Zones are compared by their clocks (UTC offsets in January and July), not by
name: phonenumbers calls part of South Dakota ``America/North_Dakota/Center``
while the state table says ``America/Chicago``, and both are Central time.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prospector.foundations import regions
from prospector.foundations.phones import Phone, country_zones, main_zone

NON_GEOGRAPHIC_TYPES = frozenset(
    {"toll_free", "premium_rate", "shared_cost", "uan", "voip", "personal", "pager", "voicemail"}
)
"""Number types that are no place's (phonenumbers' names, as :class:`Phone` gives them)."""

PhoneFacts = tuple[tuple[str, ...], str, bool, str]
"""A number's zones, type, whether it is geographic, and its region."""


_WINTER = datetime(2025, 1, 15, 12, tzinfo=UTC)
_SUMMER = datetime(2025, 7, 15, 12, tzinfo=UTC)


def is_zone(name: str) -> bool:
    """Whether the tz database has a zone of this name."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: names of tz database folders ("Canada", "America") are not zones.
        return False
    return True


@functools.cache
def clock(zone: str) -> tuple[float, float]:
    """A zone's UTC offsets (hours) in January and July: zones with one clock agree."""
    info = ZoneInfo(zone)
    winter = _WINTER.astimezone(info).utcoffset()
    summer = _SUMMER.astimezone(info).utcoffset()
    assert winter is not None and summer is not None
    return winter.total_seconds() / 3600, summer.total_seconds() / 3600


def same_clock(zones: tuple[str, ...], evidence: tuple[str, ...]) -> tuple[str, ...]:
    """The ``zones`` whose clock one of ``evidence`` shares (sorted; may be empty)."""
    clocks = {clock(zone) for zone in evidence}
    return tuple(sorted(zone for zone in zones if clock(zone) in clocks))


def is_toll_free(phone: Phone) -> bool:
    """A number that is no place's: toll-free, premium, personal…, or a
    non-geographic number whose zones disagree on the time (a +1 toll-free
    number "is" in 42 zones; a UK mobile's four zones all keep London's clock)."""
    return _toll_free(*_facts(phone)[:3])


def _facts(phone: Phone) -> PhoneFacts:
    """What the zone rules read of a number (hashable, for their caches), placed."""
    return _placed((phone.zones, phone.number_type, phone.geographic, phone.region))


@functools.lru_cache(maxsize=1 << 12)
def _placed(phone: PhoneFacts) -> PhoneFacts:
    """A mobile of a country whose other zones are islands or outlying parts (Spain's
    Canaries, Portugal's Azores) is placed in the country's main zone. phonenumbers
    gives it all of them, and a contact is called only while every one of its zones
    is open: the mainland's mobiles would wait an hour for the Canaries each morning."""
    zones, number_type, geographic, region = phone
    if geographic or number_type in NON_GEOGRAPHIC_TYPES or not region:
        return phone
    main = main_zone(region)
    if main is None or main not in zones or len({clock(zone) for zone in zones}) == 1:
        return phone
    return (main,), number_type, geographic, region


@functools.lru_cache(maxsize=1 << 12)
def _toll_free(zones: tuple[str, ...], number_type: str, geographic: bool) -> bool:
    if number_type in NON_GEOGRAPHIC_TYPES:
        return True
    return not geographic and len({clock(zone) for zone in zones}) > 1


def candidate_zones(
    *,
    explicit: str | None,
    country: str | None,
    state: str | None,
    phone: Phone | None,
    postal: tuple[str, ...] = (),
    team_zone: str | None = None,
    country_from_row: bool = True,
) -> tuple[str, ...]:
    """A contact's candidate zones, sorted; never empty for a known country.

    ``postal``: the postal code's zones (see :mod:`.postal`); ``team_zone``: the
    last resort of a toll-free number; ``country_from_row``: the country was
    written in the row (not only the phone's own), so its zones are evidence.
    """
    if explicit:
        return (explicit,)
    facts = None if phone is None else _facts(phone)
    return _candidate_zones(country, state, facts, postal, team_zone, country_from_row)[0]


def row_zones(
    explicit: str | None,
    country: str | None,
    state: str | None,
    phone: Phone,
    postal: tuple[str, ...],
    team_zone: str | None,
    country_from_row: bool,
) -> tuple[tuple[str, ...], str, bool]:
    """:func:`candidate_zones`, what decided them ("the postal code", "the state",
    "the team's zone"…, for the import's report) and :func:`is_toll_free` of an
    imported row's dialled phone at once: one cached look-up a row instead of two."""
    facts = _facts(phone)
    if explicit:
        return (explicit,), "the time-zone column", _toll_free(*facts[:3])
    return _zones_and_toll_free(country, state, facts, postal, team_zone, country_from_row)


@functools.lru_cache(maxsize=1 << 14)
def _zones_and_toll_free(
    country: str | None,
    state: str | None,
    phone: PhoneFacts,
    postal: tuple[str, ...],
    team_zone: str | None,
    country_from_row: bool,
) -> tuple[tuple[str, ...], str, bool]:
    zones, evidence = _candidate_zones(country, state, phone, postal, team_zone, country_from_row)
    return zones, evidence, _toll_free(*phone[:3])


@functools.lru_cache(maxsize=1 << 14)
def _candidate_zones(
    country: str | None,
    state: str | None,
    phone: PhoneFacts | None,
    postal: tuple[str, ...],
    team_zone: str | None,
    country_from_row: bool,
) -> tuple[tuple[str, ...], str]:
    # Everything here depends on the phone's prefix facts, not its digits: cached.
    toll_free = phone is not None and _toll_free(*phone[:3])
    phone_zones = _phone_evidence(phone, country) if phone is not None and not toll_free else ()
    if postal:
        if len(postal) > 1 and phone_zones:
            return same_clock(postal, phone_zones) or tuple(sorted(postal)), "the postal code"
        return tuple(sorted(postal)), "the postal code"
    state_zones = regions.state_zones(country, state) if country and state else None
    if state_zones:
        if phone_zones:
            narrowed = same_clock(state_zones, phone_zones)
            if narrowed:
                return narrowed, "the state"
        return tuple(sorted(state_zones)), "the state"
    if phone_zones:
        return phone_zones, "the number"
    country_named = "the country" if country_from_row else "the number's country"
    if phone is not None and toll_free:
        if country and country_from_row:
            home = country_zones(country)
            if team_zone in home:
                return (team_zone,), "the team's zone"  # a +1 800 number of a US contact, a US team
            if home:
                return home, "the country"
        return ((team_zone,), "the team's zone") if team_zone else (phone[0], country_named)
    home_country = country or (phone[3] if phone else None)
    return (country_zones(home_country) if home_country else ()), country_named


def _phone_evidence(phone: PhoneFacts, country: str | None) -> tuple[str, ...]:
    # A non-geographic number (a mobile) names its country's zones: those of the
    # contact's country, when they share one (GB for a +44 7 mobile's four zones).
    zones, _type, geographic, _region = phone
    if geographic or not country:
        return zones
    return tuple(sorted(set(zones) & set(country_zones(country)))) or zones
