"""Calling windows (DESIGN §4.3): when a prospect may be called, in their local time.

A window is decided per *locale* (a set of candidate zones plus country and state),
never per contact: contacts share few locales, so the queue asks which locales are
open at an instant and lets an index do the rest.

The rules, strictest wins:

* the team's window (``calling.days``, ``start``-``end``, minus the lunch break);
* every ``calling.state_rules`` entry whose region is the locale's ``COUNTRY-STATE``
  (``US-FL``) or its country (``GB``) narrows the days and hours further — a rule
  can only make the window smaller, never larger;
* whatever the settings say, never before 08:00 nor at/after 21:00 local time;
* with several candidate zones, the window must be open in every one of them.

Wall times are compared in each zone at the instant itself, so daylight-saving
changes need no special case: during a fall-back repeat both 01:30s are 01:30, and
in a spring-forward gap no wall time inside the gap ever occurs.
"""

from __future__ import annotations

import bisect
import functools
import operator
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prospector.foundations.db import Database
from prospector.foundations.errors import NotFoundError
from prospector.services.public_holidays import is_day_off
from prospector.services.settings import (
    DAY_NAMES,
    LEGAL_END,
    LEGAL_START,
    CallingRules,
    HolidayRules,
    Settings,
    load_settings,
    settings_version,
)

SEARCH_DAYS = 15  # next_open looks this far ahead before giving up


@dataclass(frozen=True)
class Locale:
    """A calling-window identity shared by many contacts (a ``locales`` row)."""

    id: int
    zones: tuple[str, ...]
    country: str = ""
    state: str = ""

    @classmethod
    def from_row(cls, row) -> Locale:
        """Build from a row with ``id``, ``zones`` (space-separated), ``country``, ``state``."""
        return cls(int(row["id"]), tuple(row["zones"].split()), row["country"], row["state"])

    @property
    def region(self) -> str:
        """``US-FL`` for a state, else the country code (``GB``), else ''."""
        return f"{self.country}-{self.state}" if self.state else self.country

    @property
    def primary_zone(self) -> ZoneInfo:
        """The zone time words are read in and local times are shown in (the first)."""
        return zone(self.zones[0]) if self.zones else ZoneInfo("UTC")


def load_contact(
    db: Database, contact_id: int, *, lock: bool = False, rep: str | None = None
) -> tuple[sqlite3.Row, Locale]:
    """A contact's row (with ``company``, ``industry``, ``employees``, ``on_dnc_list``,
    ``phone_on_dnc``: another of its phones is on the list, and ``event_waiting``: a
    phone system's event waits for the call's log) and its locale; ``lock``: its row
    locked until the transaction ends. With ``rep`` (a call being logged, whose every
    round trip counts on a server): ``rep_known``, the rep is in ``reps``, and
    ``draft_waiting``, the rep has a draft of a note on it.

    Raises:
        NotFoundError: no such contact.
    """
    row = db.one(
        f"""SELECT c.*, a.name AS company, a.industry, a.employees, l.zones,
                  l.country AS locale_country, l.state AS locale_state,
                  EXISTS (SELECT 1 FROM dnc_numbers d WHERE d.phone = c.phone) AS on_dnc_list,
                  EXISTS (SELECT 1 FROM contact_phones p JOIN dnc_numbers d ON d.phone = p.e164
                          WHERE p.contact_id = c.id) AS phone_on_dnc,
                  EXISTS (SELECT 1 FROM call_events e WHERE e.contact_id = c.id)
                      AS event_waiting{FOR_REP if rep is not None else ""}
           FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id
           JOIN locales l ON l.id = c.locale_id WHERE c.id = :id
           {db.dialect.lock_rows_of("c") if lock else ""}""",
        {"id": contact_id, "rep": rep},
    )
    if row is None:
        raise NotFoundError(f"no contact with id {contact_id}")
    locale = Locale(
        row["locale_id"], tuple(row["zones"].split()), row["locale_country"], row["locale_state"]
    )
    return row, locale


FOR_REP = """,
    EXISTS (SELECT 1 FROM reps r WHERE r.name = :rep) AS rep_known,
    EXISTS (SELECT 1 FROM drafts d WHERE d.rep = :rep AND d.contact_id = c.id) AS draft_waiting"""

NO_HOLIDAYS = HolidayRules(source="none")


@dataclass(frozen=True)
class DailyWindow:
    """The effective rules for one locale: weekdays (0 = Monday), local intervals, and
    the days off (holidays, closed dates) of its country and state."""

    days: frozenset[int]
    intervals: tuple[tuple[time, time], ...]
    country: str = ""
    state: str = ""
    holidays: HolidayRules = NO_HOLIDAYS

    def calls_on(self, day: date) -> bool:
        """Is ``day`` (a local date) a calling day: a weekday called on, not a day off?"""
        return day.weekday() in self.days and not is_day_off(
            self.holidays, self.country, self.state, day
        )

    def open_at(self, local: datetime) -> bool:
        if not self.calls_on(local.date()):
            return False
        clock = local.time()
        return any(start <= clock < end for start, end in self.intervals)


@functools.cache
def zone(name: str) -> ZoneInfo:
    """A cached ZoneInfo (construction is not free and locales repeat)."""
    return ZoneInfo(name)


def known_zones(locale: Locale) -> list[ZoneInfo] | None:
    try:
        return [zone(name) for name in locale.zones]
    except (ZoneInfoNotFoundError, ValueError):
        return None


def region_matches(rule_region: str, country: str, state: str) -> bool:
    """Does a region code (``US-FL`` or ``GB``) cover this country/state?"""
    rule_region = rule_region.upper()
    return rule_region == country.upper() or (
        bool(state) and rule_region == f"{country}-{state}".upper()
    )


@functools.lru_cache(maxsize=4096)
def _daily_window(country: str, state: str, calling: CallingRules) -> DailyWindow:
    days = {DAY_NAMES.index(day) for day in calling.days}
    start = max(calling.start, LEGAL_START)
    end = min(calling.end, LEGAL_END)
    for rule in calling.state_rules:
        if not region_matches(rule.region, country, state):
            continue
        if rule.days is not None:
            days &= {DAY_NAMES.index(day) for day in rule.days}
        if rule.start is not None:
            start = max(start, rule.start)
        if rule.end is not None:
            end = min(end, rule.end)
    intervals: list[tuple[time, time]] = []
    if start < end:
        if calling.lunch_start is not None and calling.lunch_end is not None:
            if start < calling.lunch_start:
                intervals.append((start, min(end, calling.lunch_start)))
            if calling.lunch_end < end:
                intervals.append((max(start, calling.lunch_end), end))
        else:
            intervals.append((start, end))
    return DailyWindow(frozenset(days), tuple(intervals), country, state, calling.holidays)


def daily_window(locale: Locale, settings: Settings) -> DailyWindow:
    """The locale's effective weekly rules after every applicable rule narrowed them."""
    return _daily_window(locale.country, locale.state, settings.calling)


def is_open(locale: Locale, instant: datetime, settings: Settings) -> bool:
    """True when a contact of this locale may be called at ``instant``.

    A locale with no known zone is never open: its hours cannot be checked.
    """
    return _is_open(locale, instant, settings.calling)


def _is_open(locale: Locale, instant: datetime, calling: CallingRules) -> bool:
    zones = known_zones(locale)
    if not zones:
        return False
    window = _daily_window(locale.country, locale.state, calling)
    return all(window.open_at(instant.astimezone(z)) for z in zones)


def _boundaries(locale: Locale, calling: CallingRules, first: date, days: int, starts: bool):
    """``(instant, local day)`` where some zone's interval starts (or ends), over
    ``days`` local days."""
    window = _daily_window(locale.country, locale.state, calling)
    for z in known_zones(locale) or []:
        for offset in range(days):
            day = first + timedelta(days=offset)
            if not window.calls_on(day):
                continue
            for start, end in window.intervals:
                wall = start if starts else end
                # fold=0: a repeated wall time is its first occurrence; a wall time in
                # a spring-forward gap maps just past the gap (PEP 495), which is right.
                yield datetime.combine(day, wall, tzinfo=z).astimezone(UTC), day


def next_open(locale: Locale, after: datetime, settings: Settings) -> datetime | None:
    """The first instant at or after ``after`` when the locale is open, else None.

    The locale's open set is an intersection of per-zone intervals, so it opens
    either at ``after`` itself or at the start of one zone's interval.
    """
    if is_open(locale, after, settings):
        return after
    first = (after - timedelta(days=1)).astimezone(UTC).date()
    opens = _opening_instants(_key(locale), settings.calling, _block(first))
    return _first_after(opens, after, first, SEARCH_DAYS)


def open_until(locale: Locale, instant: datetime, settings: Settings) -> datetime | None:
    """When the open stretch containing ``instant`` closes (None when closed now)."""
    if not is_open(locale, instant, settings):
        return None
    first = (instant - timedelta(days=1)).astimezone(UTC).date()
    ends = _closing_instants(_key(locale), settings.calling, _block(first))
    return _first_after(ends, instant, first, CLOSING_DAYS)


def _first_after(
    boundaries: tuple[tuple[datetime, date], ...], after: datetime, first: date, days: int
) -> datetime | None:
    """The first boundary after ``after`` on a local day of the ``days`` from ``first``."""
    last = first + timedelta(days=days)
    for at, day in boundaries[bisect.bisect_right(boundaries, after, key=_INSTANT) :]:
        if first <= day < last:
            return at.astimezone(after.tzinfo)
    return None


def _key(locale: Locale) -> Locale:
    """The locale as far as its windows go (locales of one place share their cache)."""
    return Locale(0, tuple(locale.zones), locale.country, locale.state)


# A queue or a report asks the same locale about the same days for item after item
# (SLA time left, calling time between), and a long span walks day after day: the
# boundaries are worked out for blocks of BLOCK_DAYS days at once (and the days a
# search from the block's last day reaches), so each day about three times, not 15 times.
BLOCK_DAYS = 7
CLOSING_DAYS = 3  # an open stretch ends within three local days of where it is open
_INSTANT = operator.itemgetter(0)


def _block(first: date) -> date:
    return first - timedelta(days=first.toordinal() % BLOCK_DAYS)


@functools.lru_cache(maxsize=4096)
def _opening_instants(
    locale: Locale, calling: CallingRules, block: date
) -> tuple[tuple[datetime, date], ...]:
    """In order, ``(instant, local day)`` of the interval starts at which the locale is
    open (where it opens, when closed before), over the days searched from ``block``'s."""
    starts = _boundaries(locale, calling, block, BLOCK_DAYS + SEARCH_DAYS, starts=True)
    return tuple(sorted(found for found in starts if _is_open(locale, found[0], calling)))


@functools.lru_cache(maxsize=4096)
def _closing_instants(
    locale: Locale, calling: CallingRules, block: date
) -> tuple[tuple[datetime, date], ...]:
    """In order, ``(instant, local day)`` of the interval ends at which the locale is
    closed (where an open stretch ends), over the days searched from ``block``'s."""
    ends = _boundaries(locale, calling, block, BLOCK_DAYS + CLOSING_DAYS, starts=False)
    return tuple(sorted(found for found in ends if not _is_open(locale, found[0], calling)))


def add_calling_time(
    locale: Locale, start: datetime, duration: timedelta, settings: Settings
) -> datetime | None:
    """The instant ``duration`` of the locale's calling time after ``start``.

    Only open time counts: nights, weekends, lunch and days off do not, so an hour
    that starts at 21:49 is used up at 10:00 on the next calling day (a 09:00 start).
    None when the locale never opens in the next :data:`SEARCH_DAYS` days.
    """
    left = duration
    at = start
    while True:
        opened = next_open(locale, at, settings)
        if opened is None:
            return None
        closes = open_until(locale, opened, settings)
        if closes is None:  # open for more than the days searched: count it all as open
            return opened + left
        if closes - opened >= left:
            return opened + left
        left -= closes - opened
        at = closes


def open_stretches(
    locale: Locale, start: datetime, end: datetime, settings: Settings
) -> Iterator[tuple[datetime, datetime]]:
    """The locale's open stretches between ``start`` and ``end``, cut to them, in order."""
    at = start
    while at < end:
        opened = next_open(locale, at, settings)
        if opened is None or opened >= end:
            return
        closes = open_until(locale, opened, settings) or end
        yield opened, min(closes, end)
        at = closes


def calling_time_between(
    locale: Locale, start: datetime, end: datetime, settings: Settings
) -> timedelta:
    """How much of the locale's calling time lies between ``start`` and ``end``."""
    return sum((b - a for a, b in open_stretches(locale, start, end, settings)), timedelta(0))


def next_local_day_open(locale: Locale, instant: datetime, settings: Settings) -> datetime | None:
    """The first open moment on a later local day (the daily dial cap moves contacts there)."""
    local = instant.astimezone(locale.primary_zone)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=local.tzinfo)
    return next_open(locale, midnight.astimezone(UTC), settings)


def local_day_start(locale: Locale, instant: datetime) -> datetime:
    """Midnight (UTC instant) that starts the prospect's local day containing ``instant``."""
    local = instant.astimezone(locale.primary_zone)
    return datetime.combine(local.date(), time(0), tzinfo=local.tzinfo).astimezone(UTC)


# --- per-database caches ----------------------------------------------------------

_lock = threading.Lock()
_settings_cache: dict[tuple[str, int], Settings] = {}
_open_cache: dict[tuple, frozenset[int]] = {}
_region_cache: dict[tuple, frozenset[int]] = {}


def current_settings(db: Database, *, version: int | None = None) -> Settings:
    """The stored settings, parsed once per settings version (a cheap primary-key read,
    or ``version`` when the caller has just read it)."""
    key = (db.path, settings_version(db) if version is None else version)
    with _lock:
        cached = _settings_cache.get(key)
    if cached is None:
        cached = load_settings(db)
        with _lock:
            _settings_cache[key] = cached
    return cached


def all_locales(db: Database) -> list[Locale]:
    """Every locale row (a small table)."""
    return [Locale.from_row(row) for row in db.query("SELECT * FROM locales ORDER BY id")]


def open_locale_ids(
    db: Database, instant: datetime, settings: Settings, *, locales: LocalesMark | None = None
) -> frozenset[int]:
    """Ids of the locales open at ``instant`` (window rules only).

    Cached per (database, minute, settings, locale count): every rule boundary is a
    whole minute, so one evaluation per minute is exact. ``locales``: the
    :data:`LOCALES_MARK` the caller has just read.
    """
    minute = instant.astimezone(UTC).replace(second=0, microsecond=0)
    key = (*_locales_key(db, locales), minute, settings.calling)
    with _lock:
        cached = _open_cache.get(key)
    if cached is not None:
        return cached
    opened = frozenset(locale.id for locale in all_locales(db) if is_open(locale, minute, settings))
    with _lock:
        if len(_open_cache) > 256:
            _open_cache.clear()
        _open_cache[key] = opened
    return opened


def locale_ids_in(
    db: Database, regions: tuple[str, ...], *, locales: LocalesMark | None = None
) -> frozenset[int]:
    """Ids of the locales inside any of ``regions`` (``US-CA``, ``GB``: a territory).

    Cached per (database, regions, locales table): ``next`` asks on every call.
    """
    key = (*_locales_key(db, locales), regions)
    with _lock:
        cached = _region_cache.get(key)
    if cached is not None:
        return cached
    inside = frozenset(
        locale.id
        for locale in all_locales(db)
        if any(region_matches(region, locale.country, locale.state) for region in regions)
    )
    with _lock:
        if len(_region_cache) > 256:
            _region_cache.clear()
        _region_cache[key] = inside
    return inside


LocalesMark = tuple[int | None, int]
LOCALES_MARK = "(SELECT max(id) FROM locales), (SELECT count(*) FROM locales)"
"""Which locale rows exist: they are only ever added, so the highest id and the count
say (two columns of a SELECT list; ``next`` reads them with its other checks)."""


def _locales_key(db: Database, mark: LocalesMark | None) -> tuple:
    if mark is None:
        top, count = db.execute(f"SELECT {LOCALES_MARK}").fetchone()
        mark = (top, count)
    return (db.path, *mark)
