"""``[crm.salesforce]``: the shipped Salesforce table, extended and checked by settings.

The table (``prospector/data/crm_salesforce.toml``) holds Salesforce's standard
picklists and Prospector's words mapped onto them. Settings may replace a
picklist (an org whose admin added or renamed values), add or override map
entries, change the fallbacks, pick ``state_country`` and name the External ID
field. Every value a map can give is in its picklist: a shipped entry whose value
a replaced picklist lacks is dropped, and a settings file whose own entry or
fallback names a value outside the picklist is refused, naming the key.
"""

from __future__ import annotations

import functools
import re

from prospector.foundations.errors import SettingsError
from prospector.foundations.folding import word_key
from prospector.foundations.shipped import shipped_toml
from prospector.services.settings.model import (
    HANDOFF_KINDS,
    SALESFORCE_PICKLISTS,
    STATE_COUNTRY,
    SalesforceSettings,
)
from prospector.services.settings.reader import TableReader

TABLE = "crm_salesforce.toml"
"""The shipped table (package data), read here and by the Salesforce export."""
# A custom field's API name: letters, digits and single underscores, ending __c.
CUSTOM_FIELD = re.compile(r"[A-Za-z](?:[A-Za-z0-9]|_(?!_))*__c")
MAPS = {  # map -> the picklist its values come from
    "lead_source": "lead_source",
    "industry": "industry",
    "lead_status": "lead_status",
    "stage_name": "stage_name",
}
FALLBACKS = ("lead_source", "industry")
KIND_MAPS = ("lead_status", "stage_name")
"""Maps keyed by the kind of handoff (HANDOFF_KINDS), not by a word."""


@functools.cache
def shipped_table() -> dict:
    """The shipped table as parsed, once: every settings load merges over it (read only)."""
    return shipped_toml(TABLE)


@functools.cache
def shipped_salesforce() -> SalesforceSettings:
    """The shipped table alone (settings without a ``[crm.salesforce]`` table)."""
    return parse_salesforce(TableReader({}, "crm.salesforce"))


def parse_salesforce(reader: TableReader) -> SalesforceSettings:
    """``[crm.salesforce]`` merged over the shipped table, every value checked."""
    shipped = shipped_table()
    picklists = _picklists(reader.sub("picklists", required=False), shipped["picklists"])
    maps: dict[str, dict[str, str]] = {}
    for name, picklist in MAPS.items():
        allowed = picklists[picklist]
        own = reader.sub(name, required=False)
        # A shipped entry whose value the org's picklist lacks is dropped (its word
        # then gets the fallback); an entry the team wrote must be right.
        merged = {
            word_key(word): value for word, value in shipped[name].items() if value in allowed
        }
        written: dict[str, str] = {}  # key -> the word as the team wrote it
        for word in list(own.table):
            key = word_key(word)
            if name in KIND_MAPS and key not in HANDOFF_KINDS:
                raise SettingsError(
                    f"settings: unknown key {own.key(word)} (expected"
                    f" {' or '.join(HANDOFF_KINDS)}: the kind of handoff)"
                )
            if not key:
                raise SettingsError(
                    f"settings: {own.key(word)}: {word!r} is not a word (expected a word"
                    " with letters or digits as the key)"
                )
            if key in written:
                raise SettingsError(
                    f"settings: {own.key(word)}: {word!r} is the same word as"
                    f" {written[key]!r} (case, spaces and punctuation do not count): give it once"
                )
            value = own.text(word, blank=False)
            if value not in allowed:
                raise _outside(own, word, value, picklist, allowed)
            written[key] = word
            merged[key] = value
        own.done()
        maps[name] = merged
    for kind in HANDOFF_KINDS:
        for name in KIND_MAPS:
            if kind not in maps[name]:
                raise SettingsError(
                    f"settings: crm.salesforce.{name}.{kind} is missing (the shipped value"
                    f" is not in crm.salesforce.picklists.{name})"
                )
    fallback_reader = reader.sub("fallback", required=False)
    fallback = {}
    for name in FALLBACKS:
        value = fallback_reader.text(name, shipped["fallback"][name])
        if value and value not in picklists[name]:
            raise _outside(fallback_reader, name, value, name, picklists[name])
        fallback[name] = value  # "" leaves an unmapped word's cell blank
    fallback_reader.done()
    state_country = reader.text("state_country", "names")
    if state_country not in STATE_COUNTRY:
        raise reader.fail("state_country", state_country, '"names" or "codes"')
    external_id = reader.text("external_id_field", "Prospector_Id__c")
    if not CUSTOM_FIELD.fullmatch(external_id):
        raise reader.fail(
            "external_id_field", external_id, 'a custom field API name such as "Prospector_Id__c"'
        )
    reader.done()
    return SalesforceSettings(
        picklists=picklists,
        lead_source=maps["lead_source"],
        industry=maps["industry"],
        lead_status=maps["lead_status"],
        stage_name=maps["stage_name"],
        fallback=fallback,
        state_country=state_country,
        external_id_field=external_id,
    )


def _picklists(reader: TableReader, shipped: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    picklists = {}
    for name in SALESFORCE_PICKLISTS:
        values = reader.texts(name, tuple(shipped[name]), empty=False)
        picklists[name] = tuple(value.strip() for value in values)
    reader.done()
    return picklists


def _outside(
    reader: TableReader, word: str, value: str, picklist: str, values: tuple[str, ...]
) -> SettingsError:
    return SettingsError(
        f"settings: {reader.key(word)} = {value!r}: not in the {picklist} picklist"
        f" (crm.salesforce.picklists.{picklist}: {', '.join(values)})"
    )
