"""One CSV row into the values Prospector stores, or the reason it cannot be used.

This is the CPU-heavy part of an import (CSV parsing, phones, zones, profile
keys), so it is written to run in worker processes: :func:`normalize_range`
reads its own byte range of the file and returns plain tuples, and everything it
needs arrives once in a :class:`RowRules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prospector.foundations import regions
from prospector.foundations.phones import PhoneBook, PhoneError, candidate_zones
from prospector.services.importing.profiles import ProfileKeys
from prospector.services.importing.ranges import read_range
from prospector.services.importing.reader import TableFile

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
    """A usable row, normalized. Empty text is ``None`` ("the file does not fill it").

    The first :data:`INSERT_WIDTH` fields are ``contacts`` columns, in the order
    the writer inserts them. Workers send rows as plain tuples in this order
    (pickling a plain tuple is twice as fast as a named one); ``Row._make``
    gives the names back where the writer wants them.
    """

    first_name: str | None
    last_name: str | None
    title: str | None
    email: str | None
    phone: str  # the dialled number: phones[0]
    phone_raw: str
    phone_type: str
    phone_ext: str | None
    state: str | None
    country: str | None
    postal_code: str | None
    source: str | None
    list_name: str | None
    external_id: str | None
    company: str | None
    domain: str | None
    name_key: str | None
    industry: str | None
    employees: int | None
    locale: tuple[str, str, str]  # (zones, country or "", state or ""): a locales key
    fills_locale: bool
    profile: tuple  # the row's own ProfileKeys.key (industry and size before its account's)
    # Every valid phone of the row in dial order, phones[0] being the dialled one:
    # (e164, raw, kind, extension, number_type); kind is one of PHONE_KINDS.
    phones: tuple[tuple[str, str, str, str | None, str], ...]
    notes: tuple[str, ...]  # warnings for the import's report (nothing dropped unseen)
    toll_free: bool  # the dialled number is toll-free/non-geographic: zones from the address


PHONE_KINDS = ("direct", "work", "mobile", "other", "company")
"""Phone kinds in dial order: a direct dial first, a company switchboard last."""
INSERT_WIDTH = 14
PHONE, EMAIL = Row._fields.index("phone"), Row._fields.index("email")
PHONES = Row._fields.index("phones")


class Reject(NamedTuple):
    number: int
    reason: str
    fields: list[str]


@dataclass(frozen=True)
class RowRules:
    """What normalizing a row needs: column positions, defaults, profile keys."""

    columns: dict[str, list[int]]
    width: int
    default_region: str
    keys: ProfileKeys
    source: str | None = None


def normalize_chunk(rules: RowRules, rows: list[tuple[int, list[str]]]) -> list[tuple]:
    """Normalize rows in order: one row tuple (see :class:`Row`) or :class:`Reject` each."""
    book = _book()
    _SHARED.clear()
    return [normalize_row(rules, book, number, fields) for number, fields in rows]


@dataclass(frozen=True)
class RangeResult:
    """One byte range of the file, read and normalized (see :mod:`.ranges`).

    Reject numbers count lines from the range's start; add the lines before it.
    """

    items: list[tuple]
    rejects: list[int]  # positions of the Rejects in items
    lines: int
    clean: bool
    error: tuple[int, str] | None
    numbers: list[int] = field(default_factory=list)  # every item's line, as rejects count


def normalize_range(
    rules: RowRules, table: TableFile, start: int, end: int, last: bool
) -> RangeResult:
    """Read and normalize one byte range of the file. Runs in worker processes."""
    found = read_range(table, start, end, last=last)
    items = normalize_chunk(rules, found.rows)
    rejects = [index for index, item in enumerate(items) if type(item) is Reject]
    numbers = [number for number, _ in found.rows]
    return RangeResult(items, rejects, found.lines, found.clean, found.error, numbers)


_BOOK: PhoneBook | None = None
# Values that repeat from row to row (states, sources, zones, profile keys) are
# shared within a chunk: pickle then sends each one once per chunk and the
# importing process builds it once.
_SHARED: dict = {}


def warm_up() -> None:
    """Build this process's PhoneBook now (forked workers then inherit it)."""
    _book()


def _book() -> PhoneBook:
    # One PhoneBook per process, so its prefix cache lives as long as the worker.
    global _BOOK
    if _BOOK is None:
        _BOOK = PhoneBook()
    return _BOOK


def normalize_row(rules: RowRules, book: PhoneBook, number: int, fields: list[str]) -> tuple:
    """One row's values (a :class:`Row` as a plain tuple), or a :class:`Reject` saying why not.

    Rejected: no phone, an invalid phone, an unknown country or zone, a broken row.
    """
    if len(fields) > rules.width:
        return Reject(
            number, f"broken row: {len(fields)} fields, the header has {rules.width}", fields
        )
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
        return Reject(number, "no phone number", fields)
    raw_country = get("country")
    country = regions.country_code(raw_country)
    if raw_country and country is None:
        return Reject(number, f"unknown country {raw_country!r}", fields)
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
        return Reject(number, f"invalid phone: {error}", fields)
    explicit = None
    raw_zone = get("timezone")
    if raw_zone:
        explicit = _zone(raw_zone)
        if explicit is None:
            return Reject(number, f"unknown time zone {raw_zone!r}", fields)
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
    share = _SHARED.setdefault
    title = get("title")
    industry = get("industry")
    employees = parse_employees(get("employees"))
    source = get("source") or rules.source
    list_name = get("list_name")
    profile = rules.keys.key(industry, source, country, state, list_name, title, employees)
    locale = (" ".join(sorted(zones)), country or "", state or "")
    entry = (phone.e164, raw_phone, "work", None, phone.number_type)
    return (
        first,
        last,
        title and share(title, title),
        email,
        phone.e164,
        raw_phone,
        phone.number_type,
        None,
        state and share(state, state),
        country and share(country, country),
        None,
        source and share(source, source),
        list_name and share(list_name, list_name),
        None,
        company,
        domain,
        company_key(company) if company else None,
        industry and share(industry, industry),
        employees,
        share(locale, locale),
        bool(raw_zone or raw_state or raw_country),
        share(profile, profile),
        (entry,),
        (),
        False,
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
