"""The team's settings: a typed object validated from TOML, kept in the database.

``prospector/data/settings.toml`` (package data) holds the defaults. A loaded file
replaces them whole; every error names the key (``calling.start``,
``tiers[2].first_touch``) and what was expected. :mod:`.model` holds the types,
:mod:`.parse` the validation and :mod:`.store` the database row.
"""

from prospector.services.settings.model import (
    CATEGORIES,
    DAY_NAMES,
    HANDOFF_FIELDS,
    LEGAL_END,
    LEGAL_START,
    OUTCOMES,
    CallingRules,
    Conditions,
    ContactList,
    DailyGoal,
    Disposition,
    Duration,
    FitRule,
    HolidayRules,
    HubSpotSettings,
    OutsideRep,
    PauseCode,
    Settings,
    StateRule,
    Team,
    Tier,
)
from prospector.services.settings.parse import (
    DEFAULTS_FILE,
    default_settings,
    parse_settings,
    read_settings_file,
)
from prospector.services.settings.store import load_settings, settings_version, store_settings

__all__ = [
    "CATEGORIES",
    "DAY_NAMES",
    "DEFAULTS_FILE",
    "HANDOFF_FIELDS",
    "LEGAL_END",
    "LEGAL_START",
    "OUTCOMES",
    "CallingRules",
    "Conditions",
    "ContactList",
    "DailyGoal",
    "Disposition",
    "Duration",
    "FitRule",
    "HolidayRules",
    "HubSpotSettings",
    "OutsideRep",
    "PauseCode",
    "Settings",
    "StateRule",
    "Team",
    "Tier",
    "default_settings",
    "load_settings",
    "parse_settings",
    "read_settings_file",
    "settings_version",
    "store_settings",
]
