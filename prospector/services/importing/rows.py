"""One CSV row into the values Prospector stores, or the reason it cannot be used.

This is the CPU-heavy part of an import (phone parsing, zones), so it is written
to run in worker processes: :func:`normalize_chunk` takes plain lists and returns
plain tuples, and everything it needs arrives once in a :class:`RowRules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prospector.foundations import regions
from prospector.foundations.phones import PhoneBook, PhoneError, candidate_zones

FREE_MAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.ca",
        "ymail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "outlook.com",
        "live.com",
        "msn.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "protonmail.com",
        "proton.me",
        "gmx.com",
        "gmx.de",
        "mail.com",
        "zoho.com",
        "yandex.com",
        "comcast.net",
        "verizon.net",
        "att.net",
        "sbcglobal.net",
        "shaw.ca",
        "rogers.com",
        "sympatico.ca",
        "btinternet.com",
        "sky.com",
        "virginmedia.com",
        "qq.com",
        "163.com",
        "fastmail.com",
        "hey.com",
    ]
)
COMPANY_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "llc",
        "llp",
        "lp",
        "ltd",
        "limited",
        "gmbh",
        "corp",
        "corporation",
        "co",
        "company",
        "plc",
        "sa",
        "sas",
        "sarl",
        "ag",
        "bv",
        "nv",
        "pty",
        "srl",
        "spa",
        "ab",
        "oy",
        "as",
        "kg",
        "ulc",
        "lc",
        "pc",
        "pllc",
    ]
)
ZONE_ALIASES = {
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "eastern": "America/New_York", "ct": "America/Chicago", "cst": "America/Chicago",
    "cdt": "America/Chicago", "central": "America/Chicago", "mt": "America/Denver",
    "mst": "America/Denver", "mdt": "America/Denver", "mountain": "America/Denver",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles", "akst": "America/Anchorage", "hst": "Pacific/Honolulu",
    "gmt": "Europe/London", "bst": "Europe/London", "uk": "Europe/London",
}  # fmt: skip
_SEPARATORS = re.compile(r"[,. ]")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_HOST_END = re.compile(r"[/?#:@\s]")
_PUNCTUATION = re.compile(r"[^\w\s]")
_EMPLOYEES = re.compile(r"^\s*(\d[\d,. ]*)\s*(k)?\s*(?:(?:-|–|to)\s*\d[\d,. ]*\s*k?)?\s*\+?\s*$")


class Row(NamedTuple):
    """A usable row, normalized. Empty text is ``None`` ("the file does not fill it")."""

    number: int
    phone: str
    phone_raw: str
    phone_type: str
    first_name: str | None
    last_name: str | None
    title: str | None
    email: str | None
    company: str | None
    domain: str | None
    name_key: str | None
    industry: str | None
    employees: int | None
    state: str | None
    country: str | None
    zones: str
    source: str | None
    list_name: str | None
    fills_locale: bool


class Reject(NamedTuple):
    number: int
    reason: str


@dataclass(frozen=True)
class RowRules:
    """What normalizing a row needs: column positions and defaults."""

    columns: dict[str, list[int]]
    width: int
    default_region: str
    source: str | None = None


def normalize_chunk(rules: RowRules, rows: list[tuple[int, list[str]]]) -> list[Row | Reject]:
    """Normalize rows in order (one result per row). Runs in worker processes."""
    book = _book()
    return [normalize_row(rules, book, number, fields) for number, fields in rows]


_BOOK: PhoneBook | None = None


def warm_up() -> None:
    """Build this process's PhoneBook now (forked workers then inherit it)."""
    _book()


def _book() -> PhoneBook:
    # One PhoneBook per process, so its prefix cache lives as long as the worker.
    global _BOOK
    if _BOOK is None:
        _BOOK = PhoneBook()
    return _BOOK


def normalize_row(rules: RowRules, book: PhoneBook, number: int, fields: list[str]) -> Row | Reject:
    """One row's values, or why it is rejected (no phone, invalid phone, broken row)."""
    if len(fields) > rules.width:
        return Reject(number, f"broken row: {len(fields)} fields, the header has {rules.width}")
    columns = rules.columns
    width = len(fields)

    def get(field: str) -> str | None:
        # The common case (one column per field) without a loop.
        indexes = columns.get(field)
        if not indexes:
            return None
        index = indexes[0]
        value = fields[index].strip() if index < width else ""
        if value or len(indexes) == 1:
            return value or None
        for index in indexes[1:]:
            value = fields[index].strip() if index < width else ""
            if value:
                return value
        return None

    raw_phone = get("phone")
    if raw_phone is None:
        return Reject(number, "no phone number")
    raw_country = get("country")
    country = regions.country_code(raw_country)
    if raw_country and country is None:
        return Reject(number, f"unknown country {raw_country!r}")
    raw_state = get("state")
    state = None
    if raw_state:
        found = regions.state_code(raw_state, country)
        if found:
            country = country or found[0]
            state = found[1]
        else:
            state = raw_state
    try:
        phone = book.normalize(raw_phone, country or rules.default_region)
    except PhoneError as error:
        return Reject(number, f"invalid phone: {error}")
    explicit = None
    raw_zone = get("timezone")
    if raw_zone:
        explicit = _zone(raw_zone)
        if explicit is None:
            return Reject(number, f"unknown time zone {raw_zone!r}")
    country = country or phone.region
    zones = candidate_zones(explicit=explicit, country=country, state=state, phone=phone)

    first, last = get("first_name"), get("last_name")
    if first is None and last is None:
        full = get("full_name")
        if full:
            first, _, last = full.partition(" ")
            last = last.strip() or None
    email = get("email")
    email = email.lower() if email and "@" in email else None
    company = get("company")
    domain = website_domain(get("website")) or email_domain(email)
    if company is None and domain is not None:
        company = domain
    return Row(
        number=number,
        phone=phone.e164,
        phone_raw=raw_phone,
        phone_type=phone.number_type,
        first_name=first,
        last_name=last,
        title=get("title"),
        email=email,
        company=company,
        domain=domain,
        name_key=company_key(company) if company else None,
        industry=get("industry"),
        employees=parse_employees(get("employees")),
        state=state,
        country=country,
        zones=" ".join(sorted(zones)),
        source=get("source") or rules.source,
        list_name=get("list_name"),
        fills_locale=bool(raw_zone or raw_state or raw_country),
    )


def _zone(text: str) -> str | None:
    alias = ZONE_ALIASES.get(text.strip().casefold())
    if alias:
        return alias
    try:
        ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: names of tz database folders ("Canada", "America") are not zones.
        return None
    return text.strip()


def parse_employees(text: str | None) -> int | None:
    """A head count from "250", "1,200", "50-200", "10k", "500+".

    A range gives its *low* bound: fit rules ask "at least N" / "fewer than N",
    and only the low bound is known to hold for the whole range.
    """
    if not text:
        return None
    match = _EMPLOYEES.match(text)
    if not match:
        return None
    digits = _SEPARATORS.sub("", match.group(1))
    if not digits:
        return None
    value = int(digits)
    return value * 1000 if match.group(2) else value


def website_domain(text: str | None) -> str | None:
    """``https://www.Example.com/about`` -> ``example.com``."""
    if not text:
        return None
    host = _SCHEME.sub("", text.strip().casefold())
    host = _HOST_END.split(host, maxsplit=1)[0].strip(".")
    host = host.removeprefix("www.")
    return host if "." in host else None


def email_domain(email: str | None) -> str | None:
    """The company domain of a work email; ``None`` for free-mail addresses."""
    if not email or "@" not in email:
        return None
    domain = email.rpartition("@")[2].strip().casefold()
    if "." not in domain or domain in FREE_MAIL:
        return None
    return domain


def company_key(name: str) -> str:
    """A company name for matching: case, punctuation and legal suffixes ignored.

    "Acme, Inc." and "ACME Inc" and "Acme" all give "acme".
    """
    words = _PUNCTUATION.sub(" ", name.casefold().replace("&", " and ")).split()
    while len(words) > 1 and words[-1] in COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words)
