"""Values as a Salesforce org takes them: picklists, owner, state and country, mapping files.

Picklist values come from the settings' maps (:class:`SalesforceSettings`, the
shipped table merged with ``[crm.salesforce]``), whose every value is in the
configured picklist; a word with no entry gets the fallback, never itself.

The owner is a relationship column, ``Owner.Username``: Data Loader and Bulk API
2.0 look a parent record up by an indexed unique field (an External ID, or a
standard field with the *idLookup* property), and ``User.Username`` is one,
unique across all orgs. ``User.Email`` is idLookup too but not unique, so it is
not used. A rep without ``salesforce_user`` gets a blank cell: the record is
owned by the user who loads the file.

State and country (``crm.salesforce.state_country``): ``"names"`` (default) writes
the ISO 3166 English names (Salesforce's own where they differ, the shipped
``country_names``) into the text fields (``BillingState``...), which
every org takes: without state and country picklists they are plain text, and
with them Salesforce matches the text against each value's *integration value*,
which is the full name unless an admin changed it. ``"codes"`` writes ISO codes
into the ``...StateCode``/``...CountryCode`` fields, which exist only in orgs with
the picklists enabled (writing a code into the text field of such an org fails
with FIELD_INTEGRITY_EXCEPTION, the problem issue 13 reports).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from prospector.foundations.folding import word_key
from prospector.services.export.payloads import Payload
from prospector.services.settings.crm_salesforce import shipped_table
from prospector.services.settings.model import SalesforceSettings, Settings

NOT_PROVIDED = "[not provided]"  # what Web-to-Lead writes for a required field left blank
DESCRIPTION_LIMIT = 32_000  # Description is a 32,000-character long text area
OWNER = "Owner.Username"
# Lead.OwnerId may name a user or a queue (a polymorphic field): the Bulk API then
# wants the parent's type before the relationship, ObjectType:RelationshipName.Field.
LEAD_OWNER = "User:Owner.Username"


def handoff_kind(payload: Payload) -> str:
    """``meeting`` when one was booked, else ``qualified`` (the maps' keys)."""
    return "meeting" if payload["meeting_at"] else "qualified"


def _mapped(table: dict[str, str], fallback: str, word: str) -> str:
    if not word.strip():
        return ""
    return table.get(word_key(word), fallback)


def lead_source(sf: SalesforceSettings, payload: Payload) -> str:
    return _mapped(sf.lead_source, sf.fallback["lead_source"], payload["source"])


def industry(sf: SalesforceSettings, payload: Payload) -> str:
    return _mapped(sf.industry, sf.fallback["industry"], payload["industry"])


def unmapped(sf: SalesforceSettings, payloads: Iterable[Payload]) -> dict[str, list[str]]:
    """The source and industry words that got the fallback, by map, sorted."""
    found: dict[str, set[str]] = {"lead_source": set(), "industry": set()}
    for payload in payloads:
        for name, word in (("lead_source", payload["source"]), ("industry", payload["industry"])):
            table = sf.lead_source if name == "lead_source" else sf.industry
            if word.strip() and word_key(word) not in table:
                found[name].add(word)
    return {name: sorted(words) for name, words in found.items() if words}


def owner_username(settings: Settings, payload: Payload) -> str:
    """The outside rep's Salesforce Username, or "" (the loading user will own it).

    The rep is found by the email the handoff was made with, else by name (a rep
    renamed in settings keeps their handoffs by email).
    """
    email = payload["owner_email"].casefold()
    for rep in settings.outside_reps:
        if email and rep.email.casefold() == email:
            return rep.salesforce_user
    for rep in settings.outside_reps:
        if rep.name == payload["owner"]:
            return rep.salesforce_user
    return ""


def reps_without_user(settings: Settings, payloads: Iterable[Payload]) -> list[str]:
    """The outside reps of these handoffs with no Salesforce Username, sorted."""
    return sorted({p["owner"] for p in payloads if not owner_username(settings, p)})


def description(payload: Payload) -> str:
    text: str = payload["description"]
    if len(text) > DESCRIPTION_LIMIT:
        marker = "\n[cut: see Prospector]"
        text = text[: DESCRIPTION_LIMIT - len(marker)] + marker
    return text


def address_headers(sf: SalesforceSettings, prefix: str) -> tuple[str, str]:
    """The state and country fields: ``("BillingState", "BillingCountry")`` or the codes.

    Lead's are ``State``/``Country`` (``prefix`` ""), Account's ``Billing...``,
    Contact's ``Mailing...``.
    """
    if sf.state_country == "codes":
        return f"{prefix}StateCode", f"{prefix}CountryCode"
    return f"{prefix}State", f"{prefix}Country"


def address(sf: SalesforceSettings, payload: Payload) -> tuple[str, str]:
    """``(state, country)`` as the configured fields take them.

    Codes and names (``QC``, ``Québec``; ``US``, ``United States of America``) are
    matched against ISO 3166. In ``"codes"`` mode what has no match is left blank
    (a picklist field takes only real codes: anything else would fail the row); in
    ``"names"`` mode it is written as typed. :func:`unmatched_places` lists both.
    """
    state, country = _codes(payload["state"], payload["country"])
    if sf.state_country == "codes":
        return state, country
    if not country:
        return payload["state"], payload["country"]
    return (_state_name(country, state) if state else payload["state"], _country_name(country))


def unmatched_places(payloads: Iterable[Payload]) -> dict[str, list[str]]:
    """The countries and states (``"Narnia (US)"``) with no ISO 3166 match, sorted."""
    found: dict[str, set[str]] = {"countries": set(), "states": set()}
    for payload in payloads:
        typed_state, typed_country = payload["state"].strip(), payload["country"].strip()
        state, country = _codes(typed_state, typed_country)
        if typed_country and not country:
            found["countries"].add(typed_country)
        if typed_state and not state:
            found["states"].add(f"{typed_state} ({typed_country or 'no country'})")
    return {name: sorted(places) for name, places in found.items() if places}


@functools.lru_cache(maxsize=4096)
def _codes(state: str, country: str) -> tuple[str, str]:
    """The ISO codes of what was typed, ``""`` where there is no match (a state is
    looked for only in its own, known country)."""
    from prospector.foundations.regions import country_code, state_code

    code = country_code(country) if country.strip() else None
    if not code or not _country_name(code):
        return "", ""
    found = state_code(state, code) if state.strip() else None
    return (found[1] if found else "", code)


@functools.lru_cache(maxsize=4096)
def _state_name(country: str, state: str) -> str:
    from prospector.foundations.regions import state_name

    return state_name(country, state)


@functools.lru_cache(maxsize=512)
def _country_name(code: str) -> str:
    import pycountry

    found = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if not found:
        return ""
    return str(shipped_table()["country_names"].get(code, found.name))


def mapping_file(headers: Iterable[str], fields: dict[str, str]) -> bytes:
    """A Data Loader field mapping (``.sdl``): each CSV header -> its Salesforce field.

    Data Loader maps a CSV's columns to fields only through a mapping (its dialog,
    or a saved ``.sdl`` chosen with "Choose an Existing Map"); it does not read
    the Bulk API's ``Account.Prospector_Id__c`` header syntax itself. The fields
    are in the forms Data Loader's ParentIdLookupFieldFormatter reads (see
    :func:`relationship_field`). The file is Java properties, where ``:`` and
    ``=`` separate a key from its value, so ``:`` is escaped.
    """
    lines = ["# Data Loader field mapping: CSV column=Salesforce field"]
    for header in headers:
        field = fields.get(header, header)
        lines.append(f"{_escaped(header)}={_escaped(field)}")
    return ("\n".join(lines) + "\n").encode("ascii")


def _escaped(text: str) -> str:
    return text.replace(":", "\\:")


def relationship_field(header: str) -> str:
    """A Bulk API relationship header as a Data Loader field name.

    ``Account.Prospector_Id__c`` -> ``Account:Prospector_Id__c`` (relationship,
    then the parent's indexed field); the polymorphic ``User:Owner.Username`` ->
    ``Owner:User-Username`` (relationship, parent type, field).
    """
    path, _, field = header.partition(".")
    parent, colon, relationship = path.rpartition(":")
    if colon:
        return f"{relationship}:{parent}-{field}"
    return f"{relationship}:{field}"
