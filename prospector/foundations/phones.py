"""Phone numbers and candidate time zones (DESIGN §4.2).

Parsing with ``phonenumbers`` costs tens of microseconds a number. Almost all of
that work depends only on a number's prefix (for the North American plan: the
area code and exchange, ``+1 NPA NXX``), so :class:`PhoneBook` pays it once per
prefix and reuses the answer for every other number that shares it.

Two shortcuts read ``phonenumbers``' private parts (its type helper, its country
zone lookup, its zone table) and the standard library's regular-expression
parser. Should a release of either move them, the same answers come from the
public API, only slower: :data:`SHORTCUTS` then says False, and
``tests/test_phones_fallback.py`` checks the two ways agree.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberType, is_number_type_geographical
from phonenumbers import timezone as phone_timezone

try:  # private names, for speed only: see the module's docstring
    import re._parser as sre_parser

    from phonenumbers.phonenumberutil import _number_type_helper
    from phonenumbers.timezone import _country_level_time_zones_for_number as _country_level_zones
    from phonenumbers.tzdata import TIMEZONE_DATA
except ImportError:
    SHORTCUTS = False
else:
    SHORTCUTS = True

NANP_REGIONS = frozenset({"US", "CA"} | set(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1]))
_NANP_REGION_ORDER = tuple(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1])
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

# An extension at the end of a number: "x12", "ext. 12", "extension 12", "#12",
# ";ext=12" (RFC 3966), "Durchwahl 12", "poste 12" (French), and pause-dial
# commas ("415 555 0100,,12": a phone waits at each comma, then dials the digits,
# which is how an extension is dialled, so they are kept as one).
_EXTENSION = re.compile(
    r"(?:\s*[,;]?\s*(?:ext(?:ension)?|x|\#|durchwahl|dw|poste|int|nebenstelle)\s*[.:=]?\s*"
    r"|;ext=|\s*,+\s*)(\d{1,10})\s*$",
    re.IGNORECASE,
)


class PhoneError(ValueError):
    """A phone that cannot be used; ``str()`` is the reject reason."""


class Phone(NamedTuple):
    """A valid, normalized phone number (a named tuple: imports make one per cell).

    ``geographic``: phonenumbers places numbers of this type (a fixed line, a US
    line) by their prefix; a toll-free, mobile or personal number says only its
    country. ``extension``: digits to dial after the call connects, if any.
    """

    e164: str
    region: str
    number_type: str
    zones: tuple[str, ...]
    extension: str | None = None
    geographic: bool = True


@dataclass(frozen=True)
class _PrefixFacts:
    valid: bool
    region: str
    number_type: str
    zones: tuple[str, ...]
    geographic: bool = True


_new_phone = tuple.__new__


class PhoneBook:
    """Normalizes numbers, caching everything that depends only on the prefix.

    A North American number's region, validity, type and zones are decided by
    its first few national digits (four to seven, depending on the area code: see
    :func:`nanp_key_lengths`), so the answer is computed once per such prefix. Other
    numbers take the full ``phonenumbers`` path. Both paths give identical results
    (``tests/test_phones.py`` checks it over a large sample).
    """

    def __init__(self) -> None:
        self._nanp: dict[str, _PrefixFacts] = {}
        self._key_lengths = nanp_key_lengths()
        # Region and type need fewer digits than zones where the zone table splits
        # an area code by exchange (most of the prefixes a large list brings): the
        # costly half of a new prefix's facts is then shared by its neighbours.
        self._kinds: dict[str, tuple[str | None, int]] = {}
        self._kind_lengths = _pattern_key_lengths()

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
        if match and (region in NANP_REGIONS or text.startswith("+")):
            return self._nanp_number("".join(match.groups()), text, None)
        extension = None
        found = _EXTENSION.search(text)
        if found and found.start():
            # Cut here rather than leave it to phonenumbers: the fast path then
            # still serves "415-555-0100 x12", and pause-dial commas count too.
            extension = found.group(1)
            text = text[: found.start()].rstrip(" ,;")
            match = _NANP.match(text)
            if match and (region in NANP_REGIONS or text.startswith("+")):
                return self._nanp_number("".join(match.groups()), text, extension)
        return _full_parse(text, region, extension)

    def _nanp_number(self, national: str, text: str, extension: str | None) -> Phone:
        prefix = national[: self._key_lengths.get(national[:3], 10)]
        facts = self._nanp.get(prefix)
        if facts is None:
            facts = self._nanp[prefix] = _nanp_prefix_facts(national, self._region_and_type)
        if not facts.valid:
            raise PhoneError(f"{text!r} is not a valid number")
        # tuple.__new__ skips the named tuple's Python-level __new__: one per row.
        return _new_phone(
            Phone,
            (
                "+1" + national,
                facts.region,
                facts.number_type,
                facts.zones,
                extension,
                facts.geographic,
            ),
        )

    def _region_and_type(self, national: str) -> tuple[str | None, int]:
        key = national[: self._kind_lengths.get(national[:3], 10)]
        found = self._kinds.get(key)
        if found is None:
            found = self._kinds[key] = _nanp_region_and_type(national)
        return found


def _nanp_prefix_facts(
    national: str, region_and_type: Callable[[str], tuple[str | None, int]] | None = None
) -> _PrefixFacts:
    """What ``phonenumbers`` says about a +1 number, without its repeated work.

    ``region_code_for_number``, ``is_valid_number``, ``number_type`` and
    ``time_zones_for_number`` each find the region again and re-run the same
    pattern matching; this finds the region once, keeping the type it matched.
    ``region_and_type``: :func:`_nanp_region_and_type`, or a cache of it.
    """
    number = phonenumbers.PhoneNumber(country_code=1, national_number=int(national))
    if SHORTCUTS:
        region, kind = (region_and_type or _nanp_region_and_type)(national)
    else:
        region, kind = phonenumbers.region_code_for_number(number), phonenumbers.number_type(number)
    if region is None or kind == PhoneNumberType.UNKNOWN:
        return _PrefixFacts(False, region or "", "", ())
    geographic = is_number_type_geographical(kind, 1)
    if geographic:
        zones = phone_timezone.time_zones_for_geographical_number(number)
    elif SHORTCUTS:
        zones = _country_level_zones(number)
    else:
        zones = phone_timezone.time_zones_for_number(number)
    return _PrefixFacts(
        True,
        region,
        _TYPE_NAMES.get(kind, "unknown"),
        tuple(sorted(z for z in zones if z != UNKNOWN_ZONE)),
        geographic,
    )


def _nanp_region_and_type(national: str) -> tuple[str | None, int]:
    # The loop of phonenumbers' ``_region_code_for_number_from_list``, keeping the
    # number type it computes on the way instead of computing it again.
    for region in _NANP_REGION_ORDER:
        metadata = PhoneMetadata.metadata_for_region(region)
        if metadata is None:
            continue
        if metadata.leading_digits is not None:
            if re.match(metadata.leading_digits, national):
                return region, _number_type_helper(national, metadata)
        else:
            kind = _number_type_helper(national, metadata)
            if kind != PhoneNumberType.UNKNOWN:
                return region, kind
    return None, PhoneNumberType.UNKNOWN


@functools.cache
def nanp_key_lengths() -> dict[str, int]:
    """How many national digits decide a +1 number's facts, for each area code.

    Reads the patterns of every +1 region's metadata and the time-zone prefix table:
    for area code 415 no pattern looks past the exchange's first digit and the zone
    table stops at the area code, so 4 digits decide everything; area code 208's
    zones depend on the exchange (6); Jamaica's 876 needs 7 (876-606-0xxx is a
    fixed line, 876-606-1xxx is not a number). A number's region, validity, type
    and zones are exactly a function of that many leading digits, which is what
    makes :class:`PhoneBook`'s cache exact. Without the private shortcuts, every
    area code needs all ten digits (the cache is then per number, and still exact).
    """
    lengths = dict(_pattern_key_lengths())
    if not SHORTCUTS:
        return lengths
    for prefix in TIMEZONE_DATA:
        if prefix.startswith("1") and len(prefix) > 4:
            area = prefix[1:4]
            lengths[area] = max(lengths.get(area, 3), len(prefix) - 1)
    return lengths


@functools.cache
def _pattern_key_lengths() -> dict[str, int]:
    """:func:`nanp_key_lengths` for a number's region and type alone (its zones
    aside): the digits the metadata's patterns look at, for each area code."""
    if not SHORTCUTS:
        return {str(area): 10 for area in range(200, 1000)}
    lengths = {str(area): 3 for area in range(200, 1000)}

    def need(area: str, digits: int) -> None:
        if digits > lengths.get(area, 3):
            lengths[area] = digits

    for region in _NANP_REGION_ORDER:
        metadata = PhoneMetadata.metadata_for_region(region)
        if metadata is None:
            continue
        patterns = [metadata.leading_digits or ""]
        for name in _DESC_NAMES:
            desc = getattr(metadata, name, None)
            if desc is not None and desc.national_number_pattern:
                patterns.append(desc.national_number_pattern)
        for pattern in patterns:
            try:
                sequences = _digit_sequences(pattern)
            except ValueError:
                # A pattern this reader does not follow: classify on all ten digits.
                return {area: 10 for area in lengths}
            for sequence in sequences:
                depth = _constrained_depth(sequence)
                if depth > 3:
                    for area in _area_codes(sequence):
                        need(area, depth)
    return lengths


_DESC_NAMES = (
    "general_desc",
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "personal_number",
    "voip",
    "pager",
    "uan",
    "voicemail",
)
_ALL_DIGITS = frozenset("0123456789")
_MAX_SEQUENCES = 200_000


def _digit_sequences(pattern: str) -> list[tuple[frozenset[str], ...]]:
    """Expand a digits-only regular expression into sequences of digit sets.

    Raises:
        ValueError: a construct digit patterns never use (the caller then treats
            the whole plan as needing all ten digits).
    """
    return _expand(sre_parser.parse(pattern))


def _expand(items) -> list[tuple[frozenset[str], ...]]:
    sequences: list[tuple[frozenset[str], ...]] = [()]
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            options: list[tuple[frozenset[str], ...]] = [(frozenset(chr(arg)),)]
        elif name == "IN":
            options = [(_digit_set(arg),)]
        elif name == "BRANCH":
            options = [seq for branch in arg[1] for seq in _expand(branch)]
        elif name == "SUBPATTERN":
            options = _expand(arg[-1])
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, body = arg
            if high > 20:
                raise ValueError("unbounded repeat in a digit pattern")
            inner = _expand(body)
            options = []
            for count in range(low, high + 1):
                repeated: list[tuple[frozenset[str], ...]] = [()]
                for _ in range(count):
                    repeated = [a + b for a in repeated for b in inner]
                options.extend(repeated)
        else:
            raise ValueError(f"unexpected {name} in a digit pattern")
        sequences = [a + b for a in sequences for b in options]
        if len(sequences) > _MAX_SEQUENCES:
            raise ValueError("digit pattern too large to expand")
    return sequences


def _digit_set(items) -> frozenset[str]:
    digits: set[str] = set()
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            digits.add(chr(arg))
        elif name == "RANGE":
            digits.update(chr(code) for code in range(arg[0], arg[1] + 1))
        elif name == "CATEGORY" and str(arg) == "CATEGORY_DIGIT":
            digits.update(_ALL_DIGITS)
        else:
            raise ValueError(f"unexpected {name} in a digit class")
    return frozenset(digits & _ALL_DIGITS)


def _constrained_depth(sequence: tuple[frozenset[str], ...]) -> int:
    """1 + the position of the last digit the sequence does not leave free."""
    for index in range(len(sequence) - 1, -1, -1):
        if sequence[index] != _ALL_DIGITS:
            return index + 1
    return 0


def _area_codes(sequence: tuple[frozenset[str], ...]) -> list[str]:
    head = list(sequence[:3]) + [_ALL_DIGITS] * max(0, 3 - len(sequence))
    return [a + b + c for a in sorted(head[0]) for b in sorted(head[1]) for c in sorted(head[2])]


def _full_parse(text: str, region: str, extension: str | None = None) -> Phone:
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
        extension or number.extension or None,
        phonenumbers.is_number_geographical(number),
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
def _zone_table() -> tuple[tuple[str, str, str], ...]:
    """The tz database's ``zone.tab``: (country, zone, comment) per line."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    return tuple(
        (fields[0], fields[2], fields[3] if len(fields) > 3 else "")
        for line in text.splitlines()
        if line and not line.startswith("#")
        for fields in [line.split("\t")]
    )


@functools.cache
def country_zones(country: str) -> tuple[str, ...]:
    """Every zone of a country, from the tz database's ``zone.tab``."""
    code = country.upper()
    return tuple(sorted({zone for owner, zone, _ in _zone_table() if owner == code}))


@functools.cache
def main_zone(country: str) -> str | None:
    """The zone of most of a country whose other zones are islands or outlying parts,
    as ``zone.tab`` says ("Spain (mainland)", "most of New Zealand"); None for a
    country split by regions (the US, Australia) or of one zone."""
    code = country.upper()
    found = [
        zone
        for owner, zone, comment in _zone_table()
        if owner == code and (comment.endswith("(mainland)") or comment.startswith("most of "))
    ]
    return found[0] if len(found) == 1 else None
