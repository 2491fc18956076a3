"""The settings' types: what a team can tune, once validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from prospector.foundations import crm_hubspot
from prospector.foundations.crm_words import ANSWER_CRMS as ANSWER_CRMS
from prospector.foundations.crm_words import CRM_ANSWERS as CRM_ANSWERS
from prospector.foundations.errors import SettingsError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CATEGORIES = ("dial", "connect", "conversation")
OUTCOMES = ("retry", "callback", "close", "qualify", "wrong_number", "do_not_call")
HANDOFF_FIELDS = ("amount", "meeting", "owner", "budget", "authority", "need", "timeline", "note")
"""What a qualifying disposition may require before its call is logged (``requires``)."""
LEGAL_START = time(8, 0)  # the TCPA bound: never before 08:00 local ...
LEGAL_END = time(21, 0)  # ... nor after 21:00, whatever the settings say
IMPORT_FIELDS = (
    "company", "phone", "direct_phone", "mobile_phone", "other_phone", "company_phone",
    "extension", "first_name", "last_name", "full_name", "title", "email", "industry",
    "employees", "state", "country", "postal_code", "city", "timezone", "source",
    "website", "list_name", "external_id",
)  # fmt: skip
"""The fields a list's column can become (an import's ``--map``, ``[import.columns]``)."""


@dataclass(frozen=True)
class Duration:
    """A duration as teams state SLAs: minutes, hours, calendar or business days."""

    amount: int
    unit: str  # "m", "h", "d" or "bd"

    @property
    def business_days(self) -> bool:
        return self.unit == "bd"

    def as_timedelta(self) -> timedelta:
        """The calendar length (business days counted as days)."""
        factor = {"m": timedelta(minutes=1), "h": timedelta(hours=1)}.get(
            self.unit, timedelta(days=1)
        )
        return self.amount * factor

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


@dataclass(frozen=True)
class Conditions:
    """Conditions on a contact, all of which must hold (fit rules and tiers)."""

    industry: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    state: tuple[str, ...] = ()
    list: tuple[str, ...] = ()
    title_contains: tuple[str, ...] = ()
    employees_below: int | None = None
    employees_at_least: int | None = None

    @property
    def empty(self) -> bool:
        return self == Conditions()


@dataclass(frozen=True)
class FitRule:
    name: str
    when: Conditions


@dataclass(frozen=True)
class Tier:
    name: str
    priority: int
    first_touch: Duration
    min_attempts: int
    max_attempts: int
    recycle: Duration | None
    when: Conditions


@dataclass(frozen=True)
class Disposition:
    key: str
    code: str
    label: str
    counts_as: str
    then: str
    retry: Duration | None = None
    recycle: Duration | None = None
    requires: tuple[str, ...] = ()  # then = "qualify": handoff fields to give (HANDOFF_FIELDS)

    @property
    def is_connect(self) -> bool:
        return self.counts_as in ("connect", "conversation")

    @property
    def is_conversation(self) -> bool:
        return self.counts_as == "conversation"


@dataclass(frozen=True)
class StateRule:
    """A stricter local rule for one region (``US-FL``, ``CA-QC``, ``GB``)."""

    region: str
    days: tuple[str, ...] | None
    start: time | None
    end: time | None


HOLIDAY_SOURCES = ("auto", "none")
"""``calling.holidays`` as a word; a list of calendars is the third way."""
SLA_CLOCKS = ("working", "wall")


@dataclass(frozen=True)
class HolidayRules:
    """``calling.holidays`` and ``calling.closed_dates`` (see services.public_holidays).

    ``source`` is "auto", "none" or "calendars" (then ``calendars`` lists them).
    """

    source: str = "auto"
    calendars: tuple[str, ...] = ()
    closed: frozenset[date] = frozenset()


@dataclass(frozen=True)
class CallingRules:
    days: tuple[str, ...]
    start: time
    end: time
    lunch_start: time | None
    lunch_end: time | None
    max_dials_per_day: int
    lease_minutes: int
    callback_grace_minutes: int
    state_rules: tuple[StateRule, ...]
    holidays: HolidayRules = field(default_factory=lambda: HolidayRules())
    # The queue forecast (services.forecast): minutes per dial when the calls table has
    # no history, and the team's work left today under which a standby list opens.
    minutes_per_dial: float = 3.0
    refill_below: Duration | None = None
    # Dialing from the desk (services.dialing): a command template, None when unset.
    dial_command: str | None = None
    # A claim holds the contact's whole account: no other rep is offered (or may open)
    # a contact of an account one of them holds (services.claims).
    account_lock: bool = False


@dataclass(frozen=True)
class ContactList:
    """A ``[[lists]]`` entry: a standby list waits, unoffered, until the queue runs low."""

    name: str
    standby: bool
    order: int


@dataclass(frozen=True)
class PauseCode:
    """A ``[[pause_codes]]`` entry: why a rep is paused, and how long it may last."""

    code: str
    label: str
    max_minutes: int | None = None


@dataclass(frozen=True)
class DailyGoal:
    dials: int
    connects: int
    conversations: int
    meetings: int


@dataclass(frozen=True)
class OutsideRep:
    name: str
    email: str
    regions: tuple[str, ...]
    industries: tuple[str, ...]
    salesforce_user: str = ""  # their Salesforce Username: owner of what is loaded for them


SALESFORCE_PICKLISTS = ("lead_source", "industry", "lead_status", "stage_name")
HANDOFF_KINDS = ("meeting", "qualified")
"""A handoff with a booked meeting, or qualified without one (lead status, stage)."""
STATE_COUNTRY = ("names", "codes")


@dataclass(frozen=True)
class SalesforceSettings:
    """How exports speak to a Salesforce org (``[crm.salesforce]``), shipped table merged in.

    Every value in ``lead_source``, ``industry``, ``lead_status``, ``stage_name`` and
    ``fallback`` is one of ``picklists[...]`` (validated), so an export never writes a
    value outside the org's picklist as configured. Map keys are folded words
    (:func:`~prospector.foundations.folding.word_key`).
    """

    picklists: dict[str, tuple[str, ...]]
    lead_source: dict[str, str]
    industry: dict[str, str]
    lead_status: dict[str, str]  # HANDOFF_KINDS -> Lead Status
    stage_name: dict[str, str]  # HANDOFF_KINDS -> Opportunity StageName
    fallback: dict[str, str]  # lead_source, industry: for a word with no entry
    state_country: str = "names"  # STATE_COUNTRY
    external_id_field: str = "Prospector_Id__c"


@dataclass(frozen=True)
class Team:
    timezone: str
    default_region: str
    weekly_pipeline_target: float
    outside_rep_assignment: str
    daily_goal: DailyGoal
    sla_clock: str = "working"
    """First-touch SLAs count the prospect's calling time ("working") or elapsed time."""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


SLASH_DATES = ("month-first", "day-first")


@dataclass(frozen=True)
class CrmAnswers:
    """``[crm.answers]`` and ``[crm] slash_dates``: how ``handoffs ack`` reads a CRM's report.

    ``by_crm`` (one CRM's own words) and ``words`` (any CRM's) are asked before the
    shipped tables (``data/crm_answers.toml``); each maps a status or stage word to
    one of :data:`CRM_ANSWERS`. ``slash_dates``: how ``03/04/2026`` reads when no
    date in the file settles it.

    Taken from the CRM settings: ``exported``, per CRM, the statuses and stages
    Prospector's exports write there (``[crm.salesforce] lead_status`` and
    ``stage_name``, ``[crm.hubspot] stages``), read as open when no table knows
    them; ``id_columns``, the headers of ``[crm.salesforce] external_id_field``
    (API name and report label), looked for before the shipped id columns.
    """

    words: dict[str, str] = field(default_factory=dict)
    by_crm: dict[str, dict[str, str]] = field(default_factory=dict)
    slash_dates: str = "month-first"
    exported: dict[str, tuple[str, ...]] = field(default_factory=dict)
    id_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class HubSpotSettings:
    """``[crm.hubspot]``: where handoff deals go, and the team's own industry words.

    ``industry`` maps the team's words (keys folded by
    :func:`~prospector.foundations.folding.word_key`) to Industry values, ``""`` to
    leave a word's cell empty on purpose; it is read before the shipped map.
    """

    pipeline: str
    stages: tuple[str, ...]
    stage_meeting: str
    stage_qualified: str
    industry: dict[str, str] = field(default_factory=dict)

    @classmethod
    def shipped(cls) -> HubSpotSettings:
        """HubSpot's default sales pipeline, no industry words of the team's own."""
        default = crm_hubspot.default_pipeline()
        return cls(default.id, default.stages, default.stage_meeting, default.stage_qualified)


@dataclass(frozen=True)
class ReportRules:
    """``[reports]``: which lead sources are inbound, and the share of pipeline they owe.

    The default inbound sources are those the shipped tier A (``data/settings.toml``)
    takes for inbound leads.
    """

    inbound_sources: tuple[str, ...] = ("inbound", "webinar", "demo request")
    inbound_pipeline_target: float = 0.5


ATTEMPT_KINDS = ("first_touch", "follow_up", "callback")
"""When a call script applies: a lead's first dial, a later one, or an agreed callback."""


@dataclass(frozen=True)
class Script:
    """A ``[[scripts]]`` entry: Markdown with merge fields, and when it applies.

    An empty condition applies to every lead; the first script whose conditions
    all hold is the lead's (:mod:`prospector.services.scripts`).
    """

    name: str
    text: str
    tiers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    attempts: tuple[str, ...] = ()  # among ATTEMPT_KINDS


@dataclass(frozen=True)
class Objection:
    """An ``[[objections]]`` entry: ``o`` then ``key`` shows ``answer`` and tags the call
    with ``label`` (the name calls keep, so a key may move without muddling reports)."""

    key: str
    label: str
    answer: str


@dataclass(frozen=True)
class Settings:
    """Everything a team can tune, validated."""

    team: Team
    calling: CallingRules
    dispositions: tuple[Disposition, ...]
    fit_rules: tuple[FitRule, ...]
    tiers: tuple[Tier, ...]
    outside_reps: tuple[OutsideRep, ...]
    territories: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # [import.columns]: the team's own header names per field (or "ignored"), read
    # before the shipped table's.
    import_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    hubspot: HubSpotSettings = field(default_factory=HubSpotSettings.shipped)
    salesforce: SalesforceSettings = field(default_factory=lambda: _shipped_salesforce())
    reports: ReportRules = field(default_factory=ReportRules)
    crm_answers: CrmAnswers = field(default_factory=CrmAnswers)
    # [reps.NAME.daily_goal]: a rep's own goal, each key falling back to the team's.
    rep_goals: dict[str, DailyGoal] = field(default_factory=dict)
    lists: tuple[ContactList, ...] = ()
    scripts: tuple[Script, ...] = ()
    objections: tuple[Objection, ...] = ()
    pause_codes: tuple[PauseCode, ...] = ()
    source_text: str = field(default="", compare=False, repr=False)

    def disposition(self, code_or_key: str) -> Disposition:
        """The disposition with this code or hotkey.

        Raises:
            SettingsError: no such disposition.
        """
        for disposition in self.dispositions:
            if code_or_key in (disposition.code, disposition.key):
                return disposition
        codes = ", ".join(d.code for d in self.dispositions)
        raise SettingsError(f"unknown disposition {code_or_key!r} (expected one of: {codes})")

    def tier(self, name: str | None) -> Tier | None:
        return next((tier for tier in self.tiers if tier.name == name), None)

    def daily_goal(self, rep: str) -> DailyGoal:
        """The rep's own daily goal, else the team's."""
        return self.rep_goals.get(rep, self.team.daily_goal)

    def objection(self, key_or_label: str) -> Objection:
        """The objection with this key or label (the label ignoring case).

        Raises:
            SettingsError: no such objection.
        """
        wanted = key_or_label.strip().casefold()
        for objection in self.objections:
            if key_or_label == objection.key or wanted == objection.label.casefold():
                return objection
        known = ", ".join(f"{o.key} ({o.label})" for o in self.objections) or "none set"
        raise SettingsError(f"unknown objection {key_or_label!r} (expected one of: {known})")

    def pause_code(self, code: str) -> PauseCode:
        """The pause code ``code`` (or its label, any case).

        Raises:
            SettingsError: no such pause code.
        """
        for pause in self.pause_codes:
            if code.casefold() in (pause.code.casefold(), pause.label.casefold()):
                return pause
        codes = ", ".join(p.code for p in self.pause_codes)
        raise SettingsError(f"unknown pause code {code!r} (expected one of: {codes})")

    @property
    def standby_lists(self) -> tuple[ContactList, ...]:
        """The standby lists in the order they open."""
        return tuple(sorted((lst for lst in self.lists if lst.standby), key=lambda lst: lst.order))


def _shipped_salesforce() -> SalesforceSettings:
    from prospector.services.settings.crm_salesforce import shipped_salesforce

    return shipped_salesforce()


# --- validation -----------------------------------------------------------------
