"""One CSV row into the values Prospector stores, or the reason it cannot be used.

This is the CPU-heavy part of an import (CSV parsing, phones, zones, profile
keys), so it is written to run in worker processes: :func:`normalize_range`
reads its own byte range of the file and returns plain tuples, and everything it
needs arrives once in a :class:`RowRules`.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from prospector.foundations import postal, regions
from prospector.foundations.domains import (
    company_suffixes,
    email_domain,
    registered_domain,
    website_domain,
)
from prospector.foundations.folding import contact_key
from prospector.foundations.names import split_full_name
from prospector.foundations.phones import PhoneBook
from prospector.foundations.shipped import shipped_toml
from prospector.foundations.zones import is_zone, row_zones
from prospector.services.importing.phones_in_row import (
    PHONE_FIELDS,
    PhoneColumn,
    phone_columns,
    read_phones,
)
from prospector.services.importing.profiles import ProfileKeys
from prospector.services.importing.ranges import read_range
from prospector.services.importing.reader import TableFile

_SEPARATORS = re.compile(r"[,. ]")
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
    # Every valid phone of the row in dial order, each number once (under its best
    # kind), phones[0] being the dialled one: (e164, raw, kind, extension,
    # number_type); kind is one of PHONE_KINDS.
    phones: tuple[tuple[str, str, str, str | None, str], ...]
    notes: tuple[str, ...]  # warnings for the import's report (nothing dropped unseen)
    toll_free: bool  # the dialled number is toll-free/non-geographic: zones from the address
    search_key: str  # folding.contact_key of the names and email, computed here off the writer


PHONE_KINDS = tuple(kind for _field, kind in PHONE_FIELDS)
"""Phone kinds in dial order: a direct dial first, a company switchboard last."""
INSERT_WIDTH = 14


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
    headers: tuple[str, ...] = ()  # the file's header, to name columns in notes
    team_zone: str | None = None  # a toll-free number's zone when the row gives none

    @functools.cached_property
    def phone_columns(self) -> tuple[PhoneColumn, ...]:
        """The phone columns in dial order."""
        return phone_columns(self.columns, self.headers)

    @functools.cached_property
    def cells(self) -> tuple[Callable[[list[str]], tuple], tuple, Callable[[list], tuple]]:
        """``(getter, more, picker)``: ``getter`` reads the first column of every
        field of :data:`TEXT_FIELDS` the file has (one C call a row); ``more`` holds
        ``(position, further columns)`` for fields with several, tried in order when
        the first is empty; ``picker`` gives all of :data:`TEXT_FIELDS` in order from
        those cells, stripped, with a None appended (what a field the file lacks reads)."""
        used = [name for name in TEXT_FIELDS if self.columns.get(name)]
        firsts = [self.columns[name][0] for name in used]
        # Repeating the first column makes itemgetter give a tuple even for one field.
        getter = operator.itemgetter(*firsts, *firsts[:1]) if firsts else _NO_CELLS
        more = tuple(
            (position, tuple(self.columns[name][1:]))
            for position, name in enumerate(used)
            if len(self.columns[name]) > 1
        )
        picker = operator.itemgetter(
            *(used.index(name) if name in used else -1 for name in TEXT_FIELDS)
        )
        return getter, more, picker


TEXT_FIELDS = (
    "country", "state", "extension", "postal_code", "timezone", "first_name", "last_name",
    "full_name", "email", "company", "website", "title", "industry", "employees", "source",
    "list_name", "external_id",
)  # fmt: skip
"""The fields :func:`normalize_row` reads as text (phones are read by :func:`.read_phones`)."""
_NO_CELLS = operator.itemgetter(slice(0, 0))


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
    kinds = list(map(type, items))
    rejects = []
    if Reject in kinds:  # rare: one C-level scan says whether to look
        rejects = [index for index, kind in enumerate(kinds) if kind is Reject]
    numbers = list(map(_FIRST, found.rows))
    return RangeResult(items, rejects, found.lines, found.clean, found.error, numbers)


_FIRST = operator.itemgetter(0)
_BOOK: PhoneBook | None = None
# Values that repeat from row to row (states, sources, zones, profile keys) are
# shared within a chunk: marshal (or pickle) then sends each one once per chunk and the
# importing process builds it once.
_SHARED: dict = {}


def warm_up(rules: RowRules | None = None) -> None:
    """Build this process's PhoneBook, and the tables the file's columns need
    (ZIP codes, countries, states, public suffixes), now: forked workers then
    inherit them instead of each building its own."""
    _book()
    if rules is None:
        return
    columns = rules.columns
    if columns.get("postal_code"):
        postal.warm_up()
    if columns.get("country"):
        regions.country_code("US")  # builds the country names
    if columns.get("state"):
        regions.state_code("Florida", "US")  # reads ISO's subdivisions
    if columns.get("website") or columns.get("email"):
        registered_domain("example.com")  # loads the public-suffix list


def _book() -> PhoneBook:
    # One PhoneBook per process, so its prefix cache lives as long as the worker.
    global _BOOK
    if _BOOK is None:
        _BOOK = PhoneBook()
    return _BOOK


def normalize_row(rules: RowRules, book: PhoneBook, number: int, fields: list[str]) -> tuple:
    """One row's values (a :class:`Row` as a plain tuple), or a :class:`Reject` saying why not.

    Rejected: no valid phone in any phone column, an unknown country with no
    phone written with its country code, an unknown time zone, a broken row.
    """
    if len(fields) > rules.width:
        return Reject(
            number, f"broken row: {len(fields)} fields, the header has {rules.width}", fields
        )
    getter, more, picker = rules.cells
    cells = fields if len(fields) == rules.width else fields + [""] * (rules.width - len(fields))
    values = [value.strip() or None for value in getter(cells)]
    for position, indexes in more:
        if values[position] is None:
            values[position] = next((v for i in indexes if (v := cells[i].strip())), None)
    values.append(None)
    (
        raw_country,
        raw_state,
        extension,
        raw_postal,
        raw_zone,
        first,
        last,
        whole_name,
        email,
        company,
        website,
        title,
        industry,
        employees_text,
        source,
        list_name,
        external_id,
    ) = picker(values)

    country, unknown_country, region, state = _where(raw_country, raw_state, rules.default_region)
    found = read_phones(
        book,
        rules.phone_columns,
        fields,
        region,
        international_only=unknown_country,
        extension=extension,
    )
    if isinstance(found, str):
        if unknown_country:
            return Reject(number, f"unknown country {raw_country!r}", fields)
        return Reject(number, found, fields)
    row_phones, notes = found
    dialled, dialled_raw, dialled_kind, dialled_label = row_phones[0]
    country_from_row = country is not None
    if country is None:
        # No country, or one nobody knows: the phone's says which (and which "WA").
        if unknown_country:
            country = dialled.region
            notes.append(
                f"country {raw_country!r} unknown: {country} taken from the phone {dialled_raw!r}"
            )
        if raw_state:
            placed = regions.state_code(raw_state, country, None if country else dialled.region)
            if placed:
                if country is None:
                    country, country_from_row = placed[0], True
                state = placed[1]
            else:
                state = raw_state
        country = country or dialled.region
    postal_zones: tuple[str, ...] = ()
    if raw_postal:
        place = postal.postal_place(raw_postal, country)
        if place is not None:
            postal_zones = place.zones
            state = state or place.state
    explicit = None
    if raw_zone:
        explicit = _zone(raw_zone)
        if explicit is None:
            return Reject(number, f"unknown time zone {raw_zone!r}", fields)
    zones, evidence, toll_free = row_zones(
        explicit, country, state, dialled, postal_zones, rules.team_zone, country_from_row
    )
    if toll_free and explicit is None:
        notes.append(
            f"{dialled_label} {dialled_raw!r} is toll-free or non-geographic:"
            f" time zone {' '.join(zones)} from {evidence}"
        )

    if first is None and last is None:
        first, last = split_full_name(whole_name)
    email = email.lower() if email and "@" in email else None
    domain = _WEBSITES.get(website, _UNSEEN) if website else None
    if domain == _UNSEEN:
        domain = _website_domain(website)
    domain = domain or email_domain(email)
    if company is None and domain is not None:
        company = domain
    share = _SHARED.setdefault
    employees = _employees(employees_text)
    source = source or rules.source
    profile = rules.keys.key(industry, source, country, state, list_name, title, employees)
    locale = (" ".join(zones), country or "", state or "")
    return (
        first,
        last,
        title and share(title, title),
        email,
        dialled.e164,
        dialled_raw,
        dialled.number_type,
        dialled.extension,
        state and share(state, state),
        country and share(country, country),
        raw_postal,
        source and share(source, source),
        list_name and share(list_name, list_name),
        external_id,
        company,
        domain,
        (_COMPANY_KEYS.get(company) or _company_key(company)) if company else None,
        industry and share(industry, industry),
        employees,
        share(locale, locale),
        bool(raw_zone or raw_state or raw_country or postal_zones),
        share(profile, profile),
        (
            ((dialled.e164, dialled_raw, dialled_kind, dialled.extension, dialled.number_type),)
            if len(row_phones) == 1
            else tuple(
                [(p.e164, raw, kind, p.extension, p.number_type) for p, raw, kind, _ in row_phones]
            )
        ),
        tuple(notes) if notes else (),
        toll_free,
        contact_key(first, last, email),
    )


@functools.lru_cache(maxsize=1 << 14)
def _where(
    raw_country: str | None, raw_state: str | None, default_region: str
) -> tuple[str | None, bool, str, str | None]:
    """``(country, unknown, region, state)`` of a row's country and state cells.

    ``region`` is what national numbers are read in. ``country`` is None when the
    row names none (or one nobody knows: ``unknown``); its state is then placed
    once the phone is known, and ``state`` here is None.
    """
    country = regions.country_code(raw_country) if raw_country else None
    if raw_country and country is None:
        return None, True, default_region, None
    if country is not None:
        if not raw_state:
            return country, False, country, None
        placed = regions.state_code(raw_state, country)
        return country, False, country, placed[1] if placed else raw_state
    guess = regions.state_code(raw_state, None, default_region) if raw_state else None
    return None, False, guess[0] if guess else default_region, None


@functools.cache
def zone_aliases() -> dict[str, str]:
    """Time-zone abbreviations and words people write (``EST``, ``Pacific``)."""
    aliases = shipped_toml("zone_aliases.toml")["aliases"]
    return {name.casefold(): zone for name, zone in aliases.items()}


def _zone(text: str) -> str | None:
    name = text.strip()
    alias = zone_aliases().get(name.casefold())
    if alias:
        return alias
    return name if is_zone(name) else None


# Company names and head-count cells repeat from row to row (colleagues share an
# employer): each distinct one is read once per process. Cleared when full, so an
# odd file of distinct values costs a dict insert a row and no more memory.
_MEMO_MAX = 1 << 18
_COMPANY_KEYS: dict[str, str] = {}
_HEAD_COUNTS: dict[str, int | None] = {}
# A large list names more websites than website_domain's own cache holds.
_WEBSITES: dict[str, str | None] = {}
_UNSEEN = ""  # what _WEBSITES gives for a website not in it (a domain is never empty)


def _company_key(name: str) -> str:
    if len(_COMPANY_KEYS) >= _MEMO_MAX:
        _COMPANY_KEYS.clear()
    key = _COMPANY_KEYS[name] = company_key(name)
    return key


def _website_domain(text: str) -> str | None:
    if len(_WEBSITES) >= _MEMO_MAX:
        _WEBSITES.clear()
    domain = _WEBSITES[text] = website_domain(text)
    return domain


def _employees(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return _HEAD_COUNTS[text]
    except KeyError:
        if len(_HEAD_COUNTS) >= _MEMO_MAX:
            _HEAD_COUNTS.clear()
        value = _HEAD_COUNTS[text] = parse_employees(text)
        return value


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


def company_key(name: str) -> str:
    """A company name for matching: case, punctuation and legal suffixes ignored.

    "Acme, Inc." and "ACME Inc" and "Acme" all give "acme".
    """
    words = _PUNCTUATION.sub(" ", name.casefold().replace("&", " and ")).split()
    while len(words) > 1 and words[-1] in company_suffixes():
        words.pop()
    return " ".join(words)
