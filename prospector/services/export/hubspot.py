"""HubSpot: one multi-object import file (a contact, its company and its deal per row).

How HubSpot reads it (knowledge base: "Set up your import files", "Import records
for multiple objects", "Deduplicate records in HubSpot"):

* **Headers** are the labels of HubSpot's default properties, which the importer
  maps by itself. A label that only one of the three objects has maps with no
  click (:data:`OBJECT_OF`); the few labels contacts and companies (or companies
  and deals) share need the object chosen once in the mapping step
  (:data:`CHOOSE_OBJECT`, listed in the README).
* **De-duplication.** Deals match on "Prospector handoff id", a deal property the
  admin creates with *Require unique values*; it holds the payload's namespaced
  ``external_id`` (``<database id>-h42``), so loading a batch twice updates the
  deals instead of adding new ones, and no other database's ids collide. Contacts
  match on Email, companies on Company domain name, as HubSpot always does (a
  Prospector id of their own would make HubSpot's existing records, keyed on
  email and domain, into duplicates). A contact without an email or a company
  without a domain is still written, so the deal has its contact and company, but
  HubSpot cannot match it: loading the file again creates it again. The export
  says how many (:func:`warnings`).
* **Industry** is an enumeration: each cell holds an internal value
  (``COMPUTER_SOFTWARE``) mapped from our word by the team's
  ``[crm.hubspot.industry]``, then the shipped table, then the word itself when
  it is a value or a value's label; an unmapped word leaves the cell empty (an
  invalid value would fail the row) and the export names it.
* **Pipeline and stage** ids come from ``[crm.hubspot]`` (default: the default
  sales pipeline). A booked meeting puts the deal one stage further along than a
  qualified handoff without one, see ``prospector/data/crm_hubspot.toml``.
* **Owners:** "Contact owner" and "Deal owner" hold the outside rep's email, which
  HubSpot resolves to the user with that email.
* Dates ``YYYY-MM-DD``; Amount a plain decimal; Deal description cut at HubSpot's
  65,536 characters for a text property.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from prospector.foundations import crm_hubspot
from prospector.foundations.folding import word_key
from prospector.services.export.payloads import Payload, deal_name
from prospector.services.export.safe_csv import Column, csv_bytes
from prospector.services.settings import HubSpotSettings

UNIQUE_PROPERTY = "Prospector handoff id"
"""The deal property with unique values: label; its internal name is below."""
UNIQUE_PROPERTY_NAME = "prospector_handoff_id"
TEXT_LIMIT = 65_536

COLUMNS = (
    # contact
    Column("First name", "first_name"),
    Column("Last name", "last_name"),
    Column("Email", "email"),
    Column("Phone number", "phone", "phone"),
    Column("Job title", "title"),
    Column("State/Region", "state"),
    Column("Country/Region", "country"),
    Column("Contact owner", "owner_email"),
    # company
    Column("Company name", "company"),
    Column("Company domain name", "domain"),
    Column("Industry", "hubspot_industry"),
    Column("Number of employees", "employees", "integer"),
    # deal
    Column(UNIQUE_PROPERTY, "external_id"),
    Column("Deal name", "deal_name"),
    Column("Pipeline", "pipeline"),
    Column("Deal stage", "deal_stage"),
    Column("Amount", "amount", "amount"),
    Column("Close date", "close_date", "date"),
    Column("Deal owner", "owner_email"),
    Column("Deal description", "deal_description"),
)

CHOOSE_OBJECT = {
    "Phone number": "Contact",
    "State/Region": "Contact",
    "Country/Region": "Contact",
    "Company name": "Company",
    "Industry": "Company",
    "Number of employees": "Company",
    "Close date": "Deal",
}
"""Headers that are a default property of more than one object: the one to pick."""

OBJECT_OF = {
    "First name": "Contact",
    "Last name": "Contact",
    "Email": "Contact",
    "Job title": "Contact",
    "Contact owner": "Contact",
    "Company domain name": "Company",
    UNIQUE_PROPERTY: "Deal",
    "Deal name": "Deal",
    "Pipeline": "Deal",
    "Deal stage": "Deal",
    "Amount": "Deal",
    "Deal owner": "Deal",
    "Deal description": "Deal",
}
"""Headers only one object has: HubSpot maps them with no click."""


def industry_value(word: str, settings: HubSpotSettings) -> str:
    """The Industry value for our ``word``, or ``""`` when nothing maps it."""
    key = word_key(word)
    if not key:
        return ""
    if key in settings.industry:
        return settings.industry[key]
    shipped = crm_hubspot.shipped_industry_map().get(key)
    return shipped if shipped is not None else crm_hubspot.enumeration_value(word)


def deal_stage(payload: Payload, settings: HubSpotSettings) -> str:
    return settings.stage_meeting if payload["meeting_at"] else settings.stage_qualified


def _description(payload: Payload) -> str:
    text: str = payload["description"]
    if len(text) > TEXT_LIMIT:
        marker = "\n[cut: see Prospector]"
        text = text[: TEXT_LIMIT - len(marker)] + marker
    return text


def row(payload: Payload, settings: HubSpotSettings, industry: str) -> dict[str, Any]:
    return {
        **payload,
        "hubspot_industry": industry,
        "deal_name": deal_name(payload),
        "pipeline": settings.pipeline,
        "deal_stage": deal_stage(payload, settings),
        "deal_description": _description(payload),
    }


SUFFIXES = (".csv",)
"""The file names this format writes end so (after ``prospector-batch-N-<format>``)."""


def render(payloads: list[Payload], settings: HubSpotSettings) -> list[tuple[str, bytes]]:
    """The one file: ``.csv``."""
    industries: dict[str, str] = {}  # a batch has few distinct words

    def industry(word: str) -> str:
        if word not in industries:
            industries[word] = industry_value(word, settings)
        return industries[word]

    rows = (row(p, settings, industry(p["industry"])) for p in payloads)
    return [(SUFFIXES[0], csv_bytes(COLUMNS, rows))]


def warnings(payloads: list[Payload], settings: HubSpotSettings) -> list[str]:
    """What HubSpot will not take as the team may expect, one line each."""
    found = []
    unmapped = Counter(
        p["industry"]
        for p in payloads
        if p["industry"].strip() and not industry_value(p["industry"], settings)
    )
    if unmapped:
        words = ", ".join(f"{word!r} ({count})" for word, count in sorted(unmapped.items()))
        found.append(
            f"HubSpot: Industry left empty for {sum(unmapped.values())} handoff(s), no HubSpot"
            f" value for {words}: map them under [crm.hubspot.industry] in the settings"
        )
    no_email = sum(1 for p in payloads if not p["email"].strip())
    if no_email:
        found.append(
            f"HubSpot: {no_email} contact(s) without an email: HubSpot cannot match them,"
            " so loading this file again creates them again"
        )
    companies = {p["account_external_id"] for p in payloads if p["company"] and not p["domain"]}
    if companies:
        found.append(
            f"HubSpot: {len(companies)} compan(ies) without a domain: HubSpot cannot match"
            " them, so loading this file again creates them again"
        )
    return found
