"""Validating settings TOML into :class:`~.model.Settings`, naming the key on error."""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
from datetime import date, datetime, time
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prospector.foundations.errors import ProspectorError, SettingsError
from prospector.foundations.limits import MAX_REP_NAME, check_rep_name
from prospector.services.dial_command import parse_template
from prospector.services.settings.crm_answers import parse_crm_answers
from prospector.services.settings.crm_hubspot import parse_hubspot
from prospector.services.settings.crm_salesforce import parse_salesforce
from prospector.services.settings.model import (
    CATEGORIES,
    DAY_NAMES,
    HANDOFF_FIELDS,
    HOLIDAY_SOURCES,
    IMPORT_FIELDS,
    LEGAL_END,
    LEGAL_START,
    OUTCOMES,
    SLA_CLOCKS,
    CallingRules,
    Conditions,
    ContactList,
    DailyGoal,
    Disposition,
    Duration,
    FitRule,
    HolidayRules,
    OutsideRep,
    PauseCode,
    ReportRules,
    Settings,
    StateRule,
    Team,
    Tier,
)
from prospector.services.settings.reader import REGION_EXPECTED, TableReader, known_region
from prospector.services.settings.scripts import (
    FILES_TABLE,
    ScriptFiles,
    parse_objections,
    parse_scripts,
    stored_files,
    with_files,
)

# Package data, so an installed wheel finds it (never a path relative to the source tree).
DEFAULTS_FILE: Traversable = files("prospector") / "data" / "settings.toml"

# The ranges a team's numbers may take: wide enough for any real team, narrow
# enough that no later date, count or SQLite integer can overflow.
EMPLOYEES = {"minimum": 0, "maximum": 10_000_000}
GOAL = {"minimum": 0, "maximum": 10_000}
PIPELINE_TARGET = {"minimum": 0, "maximum": 1e12}


def _conditions(reader: TableReader) -> Conditions:
    return Conditions(
        industry=reader.texts("industry", ()),
        source=reader.texts("source", ()),
        country=_countries(reader),
        state=reader.texts("state", ()),
        list=reader.texts("list", ()),
        title_contains=reader.texts("title_contains", ()),
        employees_below=reader.integer("employees_below", None, **EMPLOYEES),
        employees_at_least=reader.integer("employees_at_least", None, **EMPLOYEES),
    )


def _countries(reader: TableReader) -> tuple[str, ...]:
    # Contacts carry ISO codes: "USA" or "United States" would silently match no one.
    value = reader.texts("country", ())
    for country in value:
        if "-" in country or not known_region(country.upper()):
            raise reader.fail("country", list(value), 'country codes such as "US" or "GB"')
    return value


def _zone(reader: TableReader, name: str) -> str:
    value = reader.text(name)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise SettingsError(
            f"settings: {reader.key(name)} = {value!r}: expected an IANA time zone"
            ' such as "America/New_York"'
        ) from error
    return value


def _default_region(reader: TableReader) -> str:
    value = reader.text("default_region", "US")
    if "-" in value or not known_region(value.upper()):
        raise reader.fail(
            "default_region", value, 'a region phonenumbers knows, such as "US", "GB" or "DE"'
        )
    return value.upper()


def _rep_goals(reader: TableReader, team: Team) -> dict[str, DailyGoal]:
    """``[reps.NAME.daily_goal]``: each key optional, falling back to the team's goal."""
    goals = {}
    for name in list(reader.table):
        try:
            valid = check_rep_name(name) == name
        except ProspectorError:
            valid = False
        if not valid:
            raise SettingsError(
                f"settings: reps.{name[:40]!r}: expected a rep name of 1 to {MAX_REP_NAME}"
                " characters, without surrounding blanks or control characters"
            )
        rep = reader.sub(name)
        goal = rep.sub("daily_goal")
        base = team.daily_goal
        goals[name] = DailyGoal(
            dials=goal.integer("dials", base.dials, **GOAL),
            connects=goal.integer("connects", base.connects, **GOAL),
            conversations=goal.integer("conversations", base.conversations, **GOAL),
            meetings=goal.integer("meetings", base.meetings, **GOAL),
        )
        goal.done()
        rep.done()
    reader.done()
    return goals


def _team(reader: TableReader) -> Team:
    goal = reader.sub("daily_goal", required=False)
    team = Team(
        timezone=_zone(reader, "timezone"),
        default_region=_default_region(reader),
        weekly_pipeline_target=reader.number("weekly_pipeline_target", 0.0, **PIPELINE_TARGET),
        outside_rep_assignment=reader.text("outside_rep_assignment", "round_robin"),
        daily_goal=DailyGoal(
            dials=goal.integer("dials", 80, **GOAL),
            connects=goal.integer("connects", 20, **GOAL),
            conversations=goal.integer("conversations", 10, **GOAL),
            meetings=goal.integer("meetings", 2, **GOAL),
        ),
    )
    goal.done()
    team = dataclasses.replace(team, sla_clock=_word(reader, "sla_clock", SLA_CLOCKS))
    if team.outside_rep_assignment not in ("round_robin", "territory"):
        raise SettingsError(
            f"settings: {reader.key('outside_rep_assignment')} = "
            f'{team.outside_rep_assignment!r}: expected "round_robin" or "territory"'
        )
    reader.done()
    return team


def _window(reader: TableReader, start: time | None, end: time | None) -> None:
    if start is not None and end is not None and start >= end:
        raise SettingsError(
            f"settings: {reader.key('start')} ({start:%H:%M}) must be before"
            f" {reader.key('end')} ({end:%H:%M})"
        )
    # Calls are only ever offered inside the legal 08:00-21:00: a window wholly
    # outside it would silently offer no one.
    if (start is not None and start >= LEGAL_END) or (end is not None and end <= LEGAL_START):
        span = f"{start or LEGAL_START:%H:%M}-{end or LEGAL_END:%H:%M}"
        raise SettingsError(
            f"settings: {reader.key('start')}-{reader.key('end')} ({span}) lies outside"
            f" {LEGAL_START:%H:%M}-{LEGAL_END:%H:%M}, when calls are allowed:"
            " no one could be called"
        )


def _dial_command(reader: TableReader) -> str | None:
    text = reader.text("dial_command", None)
    if text is not None:
        parse_template(text)  # a bad template fails when the settings load, not at a dial
    return text


def _calling(reader: TableReader) -> CallingRules:
    rules = []
    for rule in reader.tables("state_rules"):
        state_rule = StateRule(
            region=_region(rule),
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
        max_dials_per_day=reader.integer("max_dials_per_day", 2, minimum=1, maximum=100),
        lease_minutes=reader.integer("lease_minutes", 15, minimum=1, maximum=1440),
        callback_grace_minutes=reader.integer(
            "callback_grace_minutes", 30, minimum=0, maximum=10080
        ),
        state_rules=tuple(rules),
        holidays=_holidays(reader),
        minutes_per_dial=reader.number("minutes_per_dial", 3.0, minimum=0.1, maximum=600),
        refill_below=_hours(reader, "refill_below"),
        dial_command=_dial_command(reader),
        account_lock=bool(reader.typed("account_lock", bool, "true or false", False)),
    )
    _window(reader, calling.start, calling.end)
    _lunch(reader, calling)
    reader.done()
    return calling


def _hours(reader: TableReader, name: str) -> Duration | None:
    """A span of working time today: minutes or hours only ("90m", "2h")."""
    duration = reader.duration(name, None)
    if duration is not None and duration.unit not in ("m", "h"):
        raise reader.fail(name, str(duration), 'minutes or hours, like "90m" or "2h"')
    return duration


def _lists(readers: list[TableReader]) -> tuple[ContactList, ...]:
    """``[[lists]]``: unique names; standby lists with unique orders."""
    lists: list[ContactList] = []
    for reader in readers:
        entry = ContactList(
            name=reader.text("name", blank=False),
            standby=bool(reader.typed("standby", bool, "true or false", False)),
            order=reader.integer("order", 0, minimum=0, maximum=1_000_000),
        )
        if any(other.name.casefold() == entry.name.casefold() for other in lists):
            raise reader.fail("name", entry.name, "a name no other [[lists]] entry has")
        if entry.standby and any(o.standby and o.order == entry.order for o in lists):
            raise reader.fail("order", entry.order, "an order no other standby list has")
        reader.done()
        lists.append(entry)
    return tuple(lists)


MAX_PAUSE_CODES = 9  # the workbench picks one with a digit key
PAUSE_CODE = re.compile(r"[a-z][a-z0-9_]*")


def _pause_codes(readers: list[TableReader]) -> tuple[PauseCode, ...]:
    """``[[pause_codes]]``: unique lower-case codes, at most nine; none given: the shipped."""
    if not readers:
        return _shipped_pause_codes()
    codes: list[PauseCode] = []
    for reader in readers:
        code = reader.text("code", blank=False)
        if not PAUSE_CODE.fullmatch(code):
            raise reader.fail("code", code, "a lower-case word (letters, digits, _)")
        if any(other.code == code for other in codes):
            raise reader.fail("code", code, "a code no other [[pause_codes]] entry has")
        max_minutes = reader.raw("max_minutes", None)
        if max_minutes is not None:
            max_minutes = reader.integer("max_minutes", minimum=1, maximum=24 * 60)
        codes.append(
            PauseCode(code, reader.text("label", code.capitalize(), blank=False), max_minutes)
        )
        reader.done()
    if len(codes) > MAX_PAUSE_CODES:
        raise SettingsError(
            f"settings: [[pause_codes]] has {len(codes)} entries:"
            f" expected at most {MAX_PAUSE_CODES}"
        )
    return tuple(codes)


@functools.cache
def _shipped_pause_codes() -> tuple[PauseCode, ...]:
    document = tomllib.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    return _pause_codes(
        [TableReader(table, f"pause_codes[{n}]") for n, table in enumerate(document["pause_codes"])]
    )


def _word(reader: TableReader, name: str, words: tuple[str, ...]) -> str:
    value = reader.text(name, words[0])
    if value not in words:
        raise reader.fail(name, value, " or ".join(f'"{word}"' for word in words))
    return value


def _holidays(reader: TableReader) -> HolidayRules:
    """``calling.holidays`` ("auto", "none" or calendars) and ``calling.closed_dates``."""
    from prospector.services.public_holidays import known_calendar

    expected = '"auto", "none" or a list of calendars such as ["US", "CA-ON"]'
    value = reader.raw("holidays", "auto")
    if isinstance(value, str):
        if value not in HOLIDAY_SOURCES:
            raise reader.fail("holidays", value, expected)
        rules = HolidayRules(source=value)
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        unknown = [item for item in value if not known_calendar(item)]
        if unknown:
            raise reader.fail(
                "holidays",
                unknown[0],
                "a country code, or COUNTRY-SUBDIVISION, with known holidays",
            )
        rules = HolidayRules(source="calendars", calendars=tuple(item.upper() for item in value))
    else:
        raise reader.fail("holidays", value, expected)
    dates = reader.raw("closed_dates", [])
    if not isinstance(dates, list):
        raise reader.fail("closed_dates", dates, "a list of dates YYYY-MM-DD")
    closed = frozenset(_date(reader, "closed_dates", item) for item in dates)
    return dataclasses.replace(rules, closed=closed)


def _date(reader: TableReader, name: str, value: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise reader.fail(name, value, "a list of dates YYYY-MM-DD")


def _lunch(reader: TableReader, calling: CallingRules) -> None:
    start, end = calling.lunch_start, calling.lunch_end
    if start is None and end is None:
        return
    if start is None or end is None:
        raise SettingsError("settings: calling.lunch_start and calling.lunch_end go together")
    if start >= end:
        raise SettingsError(
            f"settings: calling.lunch_start ({start:%H:%M}) must be before"
            f" calling.lunch_end ({end:%H:%M})"
        )
    if start <= max(calling.start, LEGAL_START) and end >= min(calling.end, LEGAL_END):
        raise SettingsError(
            f"settings: calling.lunch_start-lunch_end ({start:%H:%M}-{end:%H:%M}) covers the"
            f" whole calling window ({calling.start:%H:%M}-{calling.end:%H:%M}):"
            " no one could be called"
        )


def _region(reader: TableReader) -> str:
    value = reader.text("region")
    if not known_region(value.upper()):
        raise reader.fail("region", value, REGION_EXPECTED)
    return value.upper()


def _email(reader: TableReader) -> str:
    value = reader.text("email")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise reader.fail("email", value, "an email address (the CRM owner's login)")
    return value


def _salesforce_user(reader: TableReader) -> str:
    # A Salesforce Username is unique across every org and shaped like an email
    # (it need not be a working address): the owner lookup Data Loader can use.
    value = reader.text("salesforce_user", "")
    if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise reader.fail("salesforce_user", value, 'a Salesforce Username such as "ana@acme.com"')
    return value


def _dispositions(readers: list[TableReader]) -> tuple[Disposition, ...]:
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
            requires=_requires(reader),
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


def _requires(reader: TableReader) -> tuple[str, ...]:
    required = reader.texts("requires", ())
    if required and reader.raw("then", None) != "qualify":
        raise reader.fail("requires", list(required), 'nothing unless then = "qualify"')
    for name in required:
        if name not in HANDOFF_FIELDS:
            raise reader.fail(
                "requires", list(required), f"handoff fields among {', '.join(HANDOFF_FIELDS)}"
            )
    return required


def _tiers(readers: list[TableReader]) -> tuple[Tier, ...]:
    tiers: list[Tier] = []
    for reader in readers:
        tier = Tier(
            name=reader.text("name", blank=False),
            # 99 ranks contacts that have no tier, after every tier.
            priority=reader.integer("priority", minimum=0, maximum=98),
            first_touch=reader.duration("first_touch"),  # type: ignore[arg-type]
            min_attempts=reader.integer("min_attempts", 1, minimum=1, maximum=100),
            max_attempts=reader.integer("max_attempts", 6, minimum=1, maximum=100),
            recycle=reader.duration("recycle", None),
            when=_conditions(reader),
        )
        if tier.min_attempts > tier.max_attempts:
            raise SettingsError(
                f"settings: {reader.key('min_attempts')} is more than {reader.key('max_attempts')}"
            )
        if any(other.name == tier.name for other in tiers):
            raise SettingsError(f"settings: {reader.key('name')} = {tier.name!r}: used twice")
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


def _import_columns(reader: TableReader) -> dict[str, tuple[str, ...]]:
    columns = reader.sub("columns", required=False)
    found = {}
    for name in list(columns.table):
        if name not in (*IMPORT_FIELDS, "ignored"):
            raise SettingsError(
                f"settings: unknown field {columns.key(name)}"
                f" (expected one of: {', '.join(IMPORT_FIELDS)}, ignored)"
            )
        found[name] = columns.texts(name, empty=False)
    columns.done()
    reader.done()
    return found


def _reports(reader: TableReader) -> ReportRules:
    defaults = ReportRules()
    rules = ReportRules(
        inbound_sources=reader.texts("inbound_sources", defaults.inbound_sources),
        inbound_pipeline_target=reader.number(
            "inbound_pipeline_target", defaults.inbound_pipeline_target, minimum=0, maximum=1
        ),
    )
    reader.done()
    return rules


def parse_settings(text: str, origin: str = "settings", *, base: Path | None = None) -> Settings:
    """Validate TOML text into :class:`Settings`.

    Args:
        origin: where the text came from (a file name), which starts every error.
        base: the folder of the settings file the text was read from, where the
            scripts' files are (None: stored text, which carries them).

    Raises:
        SettingsError: one line naming the origin, the key and what was expected.
    """
    try:
        if base is None:
            return _parse_stored(text, origin)
        return _parse(text, origin, base)
    except SettingsError as error:
        message = str(error)
        if origin != "settings" and message.startswith("settings: "):
            message = f"{origin}: {message.removeprefix('settings: ')}"
        raise SettingsError(message) from None


@functools.lru_cache(maxsize=8)
def _parse_stored(text: str, origin: str) -> Settings:
    """Text that carries everything (no files to read) gives the same settings each time:
    parsed once (a command, a test or a workbench refresh reads them often; 3 ms each)."""
    return _parse(text, origin, None)


def _parse(text: str, origin: str, base: Path | None) -> Settings:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{origin}: not valid TOML ({error})") from error
    root = TableReader(document, "")
    fit_rules = []
    for reader in root.tables("fit_rules"):
        rule = FitRule(name=reader.text("name", blank=False), when=_conditions(reader))
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
                name=reader.text("name", blank=False),
                email=_email(reader),
                regions=reader.regions("regions", ()),
                industries=reader.texts("industries", ()),
                salesforce_user=_salesforce_user(reader),
            )
        )
        reader.done()
    territories_reader = root.sub("territories", required=False)
    territories = {rep: territories_reader.regions(rep) for rep in list(territories_reader.table)}
    crm = root.sub("crm", required=False)
    team = _team(root.sub("team"))
    files = ScriptFiles(base, stored_files(root.sub(FILES_TABLE, required=False)))
    settings = Settings(
        team=team,
        calling=_calling(root.sub("calling")),
        dispositions=_dispositions(root.tables("dispositions")),
        fit_rules=tuple(fit_rules),
        tiers=(tiers := _tiers(root.tables("tiers"))),
        outside_reps=tuple(outside),
        territories=territories,
        import_columns=_import_columns(root.sub("import", required=False)),
        hubspot=(hubspot := parse_hubspot(crm.sub("hubspot", required=False))),
        salesforce=(salesforce := parse_salesforce(crm.sub("salesforce", required=False))),
        reports=_reports(root.sub("reports", required=False)),
        crm_answers=parse_crm_answers(crm, salesforce, hubspot),
        rep_goals=_rep_goals(root.sub("reps", required=False), team),
        lists=_lists(root.tables("lists")),
        scripts=parse_scripts(root.tables("scripts"), tiers, files),
        objections=parse_objections(root.tables("objections")),
        pause_codes=_pause_codes(root.tables("pause_codes")),
        source_text=text if base is None else with_files(text, files.read),
    )
    crm.done()
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
    return parse_settings(text, str(file), base=file.parent)
