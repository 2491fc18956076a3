"""Validating settings TOML into :class:`~.model.Settings`, naming the key on error."""

from __future__ import annotations

import re
import tomllib
from datetime import time
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prospector.foundations.errors import SettingsError
from prospector.services.settings.model import (
    CATEGORIES,
    DAY_NAMES,
    OUTCOMES,
    CallingRules,
    Conditions,
    DailyGoal,
    Disposition,
    Duration,
    FitRule,
    OutsideRep,
    Settings,
    StateRule,
    Team,
    Tier,
)

# Package data, so an installed wheel finds it (never a path relative to the source tree).
DEFAULTS_FILE: Traversable = files("prospector") / "data" / "settings.toml"
_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|h|d|bd)\s*$")


class _Reader:
    """Reads one TOML table, naming the full key in every error."""

    def __init__(self, table: Any, path: str) -> None:
        if not isinstance(table, dict):
            raise SettingsError(f"settings: {path or 'top level'} must be a table")
        self.table = table
        self.path = path
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

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
            raise SettingsError(f"settings: {self.key(name)} = {value!r}: expected {expected}")
        return value

    def text(self, name: str, default: Any = ...) -> str:
        return self.typed(name, str, "text", default)

    def integer(self, name: str, default: Any = ..., minimum: int = 0) -> int:
        value = self.typed(name, int, "a whole number", default)
        if isinstance(value, int) and value < minimum:
            raise SettingsError(
                f"settings: {self.key(name)} = {value}: expected at least {minimum}"
            )
        return value

    def number(self, name: str, default: Any = ...) -> float:
        return float(self.typed(name, (int, float), "a number", default))

    def texts(self, name: str, default: Any = ...) -> tuple[str, ...]:
        value = self.raw(name, default)
        if value is default and default is not ...:
            return value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SettingsError(f"settings: {self.key(name)} = {value!r}: expected a list of text")
        return tuple(value)

    def clock_time(self, name: str, default: Any = ...) -> time | None:
        value = self.raw(name, default)
        if value is default and default is not ...:
            return value
        if isinstance(value, time):
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}", value):
            hours, minutes = map(int, value.split(":"))
            if hours < 24 and minutes < 60:
                return time(hours, minutes)
        raise SettingsError(f'settings: {self.key(name)} = {value!r}: expected a time like "09:00"')

    def duration(self, name: str, default: Any = ...) -> Duration | None:
        value = self.raw(name, default)
        if value is default and default is not ...:
            return value
        match = _DURATION.match(value) if isinstance(value, str) else None
        if not match:
            raise SettingsError(
                f'settings: {self.key(name)} = {value!r}: expected a duration like "45m",'
                ' "4h", "2d" or "1bd"'
            )
        unit = {"min": "m"}.get(match.group(2), match.group(2))
        return Duration(int(match.group(1)), unit)

    def days(self, name: str, default: Any = ...) -> tuple[str, ...] | None:
        value = self.texts(name, default)
        if value is None:
            return None
        days = tuple(day.lower()[:3] for day in value)
        bad = [day for day in value if day.lower()[:3] not in DAY_NAMES]
        if bad:
            raise SettingsError(
                f"settings: {self.key(name)}: {bad[0]!r} is not a day (expected mon..sun)"
            )
        return days

    def tables(self, name: str) -> list[_Reader]:
        value = self.raw(name, [])
        if not isinstance(value, list):
            raise SettingsError(
                f"settings: {self.key(name)}: expected a list of tables ([[{name}]])"
            )
        return [_Reader(item, f"{self.key(name)}[{i}]") for i, item in enumerate(value)]

    def sub(self, name: str, required: bool = True) -> _Reader:
        value = self.raw(name, ... if required else {})
        return _Reader(value, self.key(name))

    def done(self) -> None:
        unknown = sorted(set(self.table) - self.used)
        if unknown:
            raise SettingsError(f"settings: unknown key {self.key(unknown[0])}")


def _conditions(reader: _Reader) -> Conditions:
    return Conditions(
        industry=reader.texts("industry", ()),
        source=reader.texts("source", ()),
        country=reader.texts("country", ()),
        state=reader.texts("state", ()),
        list=reader.texts("list", ()),
        title_contains=reader.texts("title_contains", ()),
        employees_below=reader.integer("employees_below", None),
        employees_at_least=reader.integer("employees_at_least", None),
    )


def _zone(reader: _Reader, name: str) -> str:
    value = reader.text(name)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise SettingsError(
            f"settings: {reader.key(name)} = {value!r}: expected an IANA time zone"
            ' such as "America/New_York"'
        ) from error
    return value


def _team(reader: _Reader) -> Team:
    goal = reader.sub("daily_goal", required=False)
    team = Team(
        timezone=_zone(reader, "timezone"),
        default_region=reader.text("default_region", "US").upper(),
        weekly_pipeline_target=reader.number("weekly_pipeline_target", 0.0),
        outside_rep_assignment=reader.text("outside_rep_assignment", "round_robin"),
        daily_goal=DailyGoal(
            dials=goal.integer("dials", 80),
            connects=goal.integer("connects", 20),
            conversations=goal.integer("conversations", 10),
            meetings=goal.integer("meetings", 2),
        ),
    )
    goal.done()
    if team.outside_rep_assignment not in ("round_robin", "territory"):
        raise SettingsError(
            f"settings: {reader.key('outside_rep_assignment')} = "
            f'{team.outside_rep_assignment!r}: expected "round_robin" or "territory"'
        )
    reader.done()
    return team


def _window(reader: _Reader, start: time | None, end: time | None) -> None:
    if start is not None and end is not None and start >= end:
        raise SettingsError(f"settings: {reader.key('start')} must be before {reader.key('end')}")


def _calling(reader: _Reader) -> CallingRules:
    rules = []
    for rule in reader.tables("state_rules"):
        state_rule = StateRule(
            region=rule.text("region").upper(),
            days=rule.days("days", None),
            start=rule.clock_time("start", None),
            end=rule.clock_time("end", None),
        )
        _window(rule, state_rule.start, state_rule.end)
        rule.done()
        rules.append(state_rule)
    calling = CallingRules(
        days=reader.days("days", DAY_NAMES[:5]) or (),
        start=reader.clock_time("start", time(9)) or time(9),
        end=reader.clock_time("end", time(17)) or time(17),
        lunch_start=reader.clock_time("lunch_start", None),
        lunch_end=reader.clock_time("lunch_end", None),
        max_dials_per_day=reader.integer("max_dials_per_day", 2, minimum=1),
        lease_minutes=reader.integer("lease_minutes", 15, minimum=1),
        callback_grace_minutes=reader.integer("callback_grace_minutes", 30),
        state_rules=tuple(rules),
    )
    _window(reader, calling.start, calling.end)
    if (calling.lunch_start is None) != (calling.lunch_end is None):
        raise SettingsError("settings: calling.lunch_start and calling.lunch_end go together")
    reader.done()
    return calling


def _dispositions(readers: list[_Reader]) -> tuple[Disposition, ...]:
    found: list[Disposition] = []
    for reader in readers:
        key, code = reader.text("key"), reader.text("code")
        disposition = Disposition(
            key=key,
            code=code,
            label=reader.text("label", "") or code,
            counts_as=reader.text("counts_as"),
            then=reader.text("then"),
            retry=reader.duration("retry", None),
            recycle=reader.duration("recycle", None),
        )
        if not re.fullmatch(r"[0-9]", disposition.key):
            raise SettingsError(
                f"settings: {reader.key('key')} = {disposition.key!r}: expected one digit 0-9"
            )
        if not re.fullmatch(r"[a-z][a-z0-9_]*", disposition.code):
            raise SettingsError(
                f"settings: {reader.key('code')} = {disposition.code!r}: expected a lower_case code"
            )
        if disposition.counts_as not in CATEGORIES:
            raise SettingsError(
                f"settings: {reader.key('counts_as')} = {disposition.counts_as!r}:"
                f" expected one of {', '.join(CATEGORIES)}"
            )
        if disposition.then not in OUTCOMES:
            raise SettingsError(
                f"settings: {reader.key('then')} = {disposition.then!r}:"
                f" expected one of {', '.join(OUTCOMES)}"
            )
        if disposition.then == "retry" and disposition.retry is None:
            raise SettingsError(f'settings: {reader.key("retry")} is missing (then = "retry")')
        for other in found:
            if other.key == disposition.key or other.code == disposition.code:
                raise SettingsError(f"settings: {reader.key('key')}: key or code used twice")
        reader.done()
        found.append(disposition)
    if not found:
        raise SettingsError("settings: dispositions: at least one is needed")
    return tuple(found)


def _tiers(readers: list[_Reader]) -> tuple[Tier, ...]:
    tiers = []
    for reader in readers:
        tier = Tier(
            name=reader.text("name"),
            priority=reader.integer("priority"),
            first_touch=reader.duration("first_touch"),  # type: ignore[arg-type]
            min_attempts=reader.integer("min_attempts", 1, minimum=1),
            max_attempts=reader.integer("max_attempts", 6, minimum=1),
            recycle=reader.duration("recycle", None),
            when=_conditions(reader),
        )
        if tier.min_attempts > tier.max_attempts:
            raise SettingsError(
                f"settings: {reader.key('min_attempts')} is more than {reader.key('max_attempts')}"
            )
        reader.done()
        tiers.append(tier)
    if not tiers:
        raise SettingsError("settings: tiers: at least one is needed")
    if not tiers[-1].when.empty:
        raise SettingsError(
            f"settings: tiers[{len(tiers) - 1}] (the last tier) must have no conditions:"
            " it takes every contact the others do not"
        )
    return tuple(tiers)


def parse_settings(text: str, origin: str = "settings") -> Settings:
    """Validate TOML text into :class:`Settings`.

    Args:
        origin: where the text came from (a file name), which starts every error.

    Raises:
        SettingsError: one line naming the origin, the key and what was expected.
    """
    try:
        return _parse(text, origin)
    except SettingsError as error:
        message = str(error)
        if origin != "settings" and message.startswith("settings: "):
            message = f"{origin}: {message.removeprefix('settings: ')}"
        raise SettingsError(message) from None


def _parse(text: str, origin: str) -> Settings:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{origin}: not valid TOML ({error})") from error
    root = _Reader(document, "")
    fit_rules = []
    for reader in root.tables("fit_rules"):
        rule = FitRule(name=reader.text("name"), when=_conditions(reader))
        if rule.when.empty:
            raise SettingsError(
                f"settings: {reader.path} has no conditions (it would filter everyone)"
            )
        reader.done()
        fit_rules.append(rule)
    outside = []
    for reader in root.tables("outside_reps"):
        outside.append(
            OutsideRep(
                name=reader.text("name"),
                email=reader.text("email"),
                regions=tuple(r.upper() for r in reader.texts("regions", ())),
                industries=reader.texts("industries", ()),
            )
        )
        reader.done()
    territories_reader = root.sub("territories", required=False)
    territories = {
        rep: tuple(region.upper() for region in territories_reader.texts(rep))
        for rep in list(territories_reader.table)
    }
    settings = Settings(
        team=_team(root.sub("team")),
        calling=_calling(root.sub("calling")),
        dispositions=_dispositions(root.tables("dispositions")),
        fit_rules=tuple(fit_rules),
        tiers=_tiers(root.tables("tiers")),
        outside_reps=tuple(outside),
        territories=territories,
        source_text=text,
    )
    root.done()
    return settings


def default_settings() -> Settings:
    """The settings shipped in the package (``prospector/data/settings.toml``)."""
    return parse_settings(DEFAULTS_FILE.read_text(encoding="utf-8"), str(DEFAULTS_FILE))


def read_settings_file(path: str | Path) -> Settings:
    """Read and validate a settings file.

    Raises:
        SettingsError: unreadable file, bad TOML, or a bad key or value.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise SettingsError(f"{file}: no such file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{file}: cannot be read as UTF-8 text ({error})") from error
    return parse_settings(text, str(file))
