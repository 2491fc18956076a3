"""Phone numbers and candidate time zones (DESIGN §4.2).

Parsing with ``phonenumbers`` costs tens of microseconds a number. Almost all of
that work depends only on a number's prefix (for the North American plan: the
area code and exchange, ``+1 NPA NXX``), so :class:`PhoneBook` pays it once per
prefix and reuses the answer for every other number that shares it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import phonenumbers
from phonenumbers import PhoneNumberType
from phonenumbers import timezone as phone_timezone

from prospector.foundations import regions

NANP_REGIONS = frozenset({"US", "CA"} | set(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1]))
UNKNOWN_ZONE = "Etc/Unknown"

_TYPE_NAMES = {
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.MOBILE: "mobile",
    # US numbers: the plan does not say which, so neither do we.
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PREMIUM_RATE: "premium_rate",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PERSONAL_NUMBER: "personal",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
}

# A plain North American number: optional +1/1, then NPA, NXX and the line,
# with the usual punctuation. Anything else goes through the full parser.
_NANP = re.compile(
    r"^\s*(?:\+?1[\s.\-]*)?\(?\s*([2-9]\d{2})\s*\)?[\s.\-]*([2-9]\d{2})[\s.\-]*(\d{4})\s*$"
)


class PhoneError(ValueError):
    """A phone that cannot be used; ``str()`` is the reject reason."""


@dataclass(frozen=True)
class Phone:
    """A valid, normalized phone number."""

    e164: str
    region: str
    number_type: str
    zones: tuple[str, ...]


@dataclass(frozen=True)
class _PrefixFacts:
    valid: bool
    region: str
    number_type: str
    zones: tuple[str, ...]


class PhoneBook:
    """Normalizes numbers, caching everything that depends only on the prefix."""

    def __init__(self) -> None:
        self._nanp: dict[str, _PrefixFacts] = {}

    def normalize(self, raw: str | None, region: str) -> Phone:
        """Parse ``raw`` as dialled from ``region`` (ISO alpha-2).

        Raises:
            PhoneError: empty, not a number, or not a valid number.
        """
        text = (raw or "").strip()
        if not text:
            raise PhoneError("no phone number")
        region = (region or "US").upper()
        match = _NANP.match(text)
        if match and (region in NANP_REGIONS or text.lstrip().startswith("+")):
            return self._nanp_number("".join(match.groups()), text)
        return _full_parse(text, region)

    def _nanp_number(self, national: str, text: str) -> Phone:
        prefix = national[:6]
        facts = self._nanp.get(prefix)
        if facts is None:
            facts = self._nanp[prefix] = _nanp_prefix_facts(national)
        if not facts.valid:
            raise PhoneError(f"{text!r} is not a valid number")
        return Phone("+1" + national, facts.region, facts.number_type, facts.zones)


def _nanp_prefix_facts(national: str) -> _PrefixFacts:
    number = phonenumbers.PhoneNumber(country_code=1, national_number=int(national))
    region = phonenumbers.region_code_for_number(number) or ""
    valid = bool(region) and phonenumbers.is_valid_number_for_region(number, region)
    if not valid:
        return _PrefixFacts(False, region, "", ())
    return _PrefixFacts(True, region, _type_name(number), _number_zones(number))


def _full_parse(text: str, region: str) -> Phone:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise PhoneError(f"{text!r} is not a phone number ({_parse_reason(error)})") from error
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(f"{text!r} is not a valid number for {region}")
    return Phone(
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        phonenumbers.region_code_for_number(number) or region,
        _type_name(number),
        _number_zones(number),
    )


def _parse_reason(error: phonenumbers.NumberParseException) -> str:
    return {
        phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
        phonenumbers.NumberParseException.NOT_A_NUMBER: "no digits to dial",
        phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
        phonenumbers.NumberParseException.TOO_SHORT_NSN: "too short",
        phonenumbers.NumberParseException.TOO_LONG: "too long",
    }.get(error.error_type, "unreadable")


def _type_name(number: phonenumbers.PhoneNumber) -> str:
    return _TYPE_NAMES.get(phonenumbers.number_type(number), "unknown")


def _number_zones(number: phonenumbers.PhoneNumber) -> tuple[str, ...]:
    zones = phone_timezone.time_zones_for_number(number)
    return tuple(sorted(z for z in zones if z != UNKNOWN_ZONE))


@functools.cache
def country_zones(country: str) -> tuple[str, ...]:
    """Every zone of a country, from the tz database's ``zone.tab``."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    zones = {
        fields[2]
        for line in text.splitlines()
        if line and not line.startswith("#")
        for fields in [line.split("\t")]
        if fields[0] == country.upper()
    }
    return tuple(sorted(zones))


def candidate_zones(
    *,
    explicit: str | None,
    country: str | None,
    state: str | None,
    phone: Phone | None,
) -> tuple[str, ...]:
    """A contact's candidate zones, in DESIGN §4.2's order of trust.

    An explicit time-zone column wins; else the state/province; else the zones of
    the number itself (an area code says where a line was registered, not where the
    person is, so the address wins when both exist); else every zone of the country.
    The result is sorted and never empty for a known country.
    """
    if explicit:
        return (explicit,)
    if country and state:
        zones = regions.state_zones(country, state)
        if zones:
            return tuple(sorted(set(zones)))
    if phone and phone.zones:
        return phone.zones
    home = country or (phone.region if phone else None)
    return country_zones(home) if home else ()
