"""Reading one TOML table of settings: types *and* ranges, naming the full key.

A value of the right type can still break a later ``next``, ``log`` or report (a
lease of 10**12 minutes overflows a datetime, an empty calling week offers no one,
a region phonenumbers does not know rejects every number), so each reader takes
the range the value must lie in and says it when refusing.
"""

from __future__ import annotations

import math
import re
from datetime import time, timedelta
from typing import Any

from prospector.foundations.calendar_words import WEEKDAYS
from prospector.foundations.errors import SettingsError
from prospector.foundations.regions import state_zones
from prospector.services.settings.model import DAY_NAMES, Duration

_DURATION = re.compile(r"^\s*(\d{1,9})\s*(m|min|h|d|bd)\s*$", re.ASCII)
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$", re.ASCII)
_REGION = re.compile(r"^([A-Z]{2})(?:-([A-Z0-9]{1,3}))?$", re.ASCII)
# The weekday words time words read (mon, tues, thursday...), as the settings' day names.
_DAY_WORDS = {word: DAY_NAMES[number] for word, number in WEEKDAYS.items()}


def parse_duration(text: str) -> Duration | None:
    """``"45m"``, ``"4h"``, ``"2d"``, ``"1bd"`` (``min`` for ``m``) as a Duration, else None."""
    match = _DURATION.match(text)
    if not match:
        return None
    return Duration(int(match.group(1)), {"min": "m"}.get(match.group(2), match.group(2)))


REGION_EXPECTED = 'a country code such as "GB", or "US-FL" for a US state or Canadian province'
LONGEST = timedelta(days=3650)
"""The longest duration a setting may name: ten years keeps every date in range."""


class TableReader:
    """Reads one TOML table, naming the full key in every error."""

    def __init__(self, table: Any, path: str) -> None:
        if not isinstance(table, dict):
            raise SettingsError(f"settings: {path or 'top level'} must be a table")
        self.table = table
        self.path = path
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, value: Any, expected: str) -> SettingsError:
        """The one-line error for a bad ``name = value``."""
        return SettingsError(f"settings: {self.key(name)} = {value!r}: expected {expected}")

    def has(self, name: str) -> bool:
        return name in self.table

    def raw(self, name: str, default: Any = ...) -> Any:
        self.used.add(name)
        if name not in self.table:
            if default is ...:
                raise SettingsError(f"settings: {self.key(name)} is missing")
            return default
        return self.table[name]

    def typed(self, name: str, kind: type | tuple[type, ...], expected: str, default: Any = ...):
        value = self.raw(name, default)
        if value is default and default is not ...:
            return value
        if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
            raise self.fail(name, value, expected)
        return value

    def text(self, name: str, default: Any = ..., *, blank: bool = True) -> str:
        value = self.typed(name, str, "text", default)
        if not blank and isinstance(value, str) and not value.strip():
            raise self.fail(name, value, "some text, not a blank")
        return value

    def integer(self, name: str, default: Any = ..., *, minimum: int, maximum: int) -> int:
        expected = f"a whole number from {minimum} to {maximum}"
        value = self.typed(name, int, expected, default)
        if isinstance(value, int) and not minimum <= value <= maximum:
            raise self.fail(name, value, expected)
        return value

    def number(self, name: str, default: Any = ..., *, minimum: float, maximum: float) -> float:
        expected = f"a number from {minimum:g} to {maximum:g}"
        value = self.typed(name, (int, float), expected, default)
        if not (math.isfinite(value) and minimum <= value <= maximum):
            raise self.fail(name, value, expected)
        return float(value)

    def texts(self, name: str, default: Any = ..., *, empty: bool = True) -> tuple[str, ...]:
        value = self.raw(name, default)
        if value is default and default is not ...:
            return value
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(name, value, "a list of text, none of it blank")
        if not empty and not value:
            raise self.fail(name, value, "at least one entry")
        return tuple(value)

    def clock_time(self, name: str, default: Any = ...) -> time | None:
        value = self.raw(name, default)
        if value is default and default is not ...:
            return value
        if isinstance(value, time) and value.tzinfo is None:
            return value
        match = _CLOCK.match(value) if isinstance(value, str) else None
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            return time(int(match.group(1)), int(match.group(2)))
        raise self.fail(name, value, 'a time from "00:00" to "23:59", like "09:00"')

    def duration(self, name: str, default: Any = ...) -> Duration | None:
        value = self.raw(name, default)
        if value is default and default is not ...:
            return value
        duration = parse_duration(value) if isinstance(value, str) else None
        if duration is None or duration.amount < 1 or duration.as_timedelta() > LONGEST:
            raise self.fail(
                name, value, 'a duration from 1m to 3650d, like "45m", "4h", "2d" or "1bd"'
            )
        return duration

    def days(self, name: str, default: Any = ...) -> tuple[str, ...] | None:
        value = self.texts(name, default, empty=False)
        if value is None:
            return None
        bad = [day for day in value if day.lower() not in _DAY_WORDS]
        if bad:
            raise SettingsError(
                f"settings: {self.key(name)}: {bad[0]!r} is not a day (expected mon..sun)"
            )
        return tuple(dict.fromkeys(_DAY_WORDS[day.lower()] for day in value))

    def regions(self, name: str, default: Any = ...) -> tuple[str, ...]:
        value = self.texts(name, default)
        for region in value:
            if not known_region(region.upper()):
                raise SettingsError(
                    f"settings: {self.key(name)}: {region!r} is not a region"
                    f" (expected {REGION_EXPECTED})"
                )
        return tuple(region.upper() for region in value)

    def tables(self, name: str) -> list[TableReader]:
        value = self.raw(name, [])
        if not isinstance(value, list):
            raise SettingsError(
                f"settings: {self.key(name)}: expected a list of tables ([[{name}]])"
            )
        return [TableReader(item, f"{self.key(name)}[{i}]") for i, item in enumerate(value)]

    def sub(self, name: str, required: bool = True) -> TableReader:
        value = self.raw(name, ... if required else {})
        return TableReader(value, self.key(name))

    def done(self) -> None:
        unknown = sorted(set(self.table) - self.used)
        if unknown:
            raise SettingsError(f"settings: unknown key {self.key(unknown[0])}")


def known_region(code: str) -> bool:
    """A country phonenumbers knows (``GB``), or ``CC-SUB`` within one; US states
    and Canadian provinces must be real ones (``US-FX`` would silently never apply)."""
    import phonenumbers  # already loaded by every command that reads phones

    match = _REGION.match(code)
    if not match or match.group(1) not in phonenumbers.SUPPORTED_REGIONS:
        return False
    country, state = match.groups()
    return state is None or country not in ("US", "CA") or state_zones(country, state) is not None
