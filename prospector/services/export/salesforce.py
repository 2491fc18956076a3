"""Salesforce: a Lead CSV and an Opportunity CSV for Data Loader (upsert).

Headers are Salesforce field API names, checked against Salesforce's Lead and
Opportunity field references (developer.salesforce.com, "Lead" and "Opportunity"
in the Object Reference / Field Reference: FirstName, LastName, Company, Title,
Phone, Email, LeadSource, Status, Industry, NumberOfEmployees, State, Country,
Description; Name, StageName, CloseDate, Amount, LeadSource, NextStep,
Description) and the Bulk API 2.0 upsert walkthrough (one CSV column must be the
external id field, a custom text field marked *External ID*).

Both files carry ``Prospector_Handoff_Id__c``: create that custom field (Text,
External ID, Unique) on Lead and on Opportunity and upsert on it, so loading a
batch twice updates rather than duplicates (see the README).

Values: Lead ``Status`` is "Working - Contacted" and Opportunity ``StageName``
"Qualification" (both standard picklist values); ``CloseDate`` is 90 days after
the handoff (Opportunity requires one); dates are ``YYYY-MM-DD``; ``Amount`` a
plain decimal. LastName and Company are required on Lead: when unknown they are
written "[not provided]", as Salesforce's own Web-to-Lead does. Description is
cut at Salesforce's 32,000-character limit. The outside rep is not an ``OwnerId``
(that needs a Salesforce user id): they are named in NextStep and Description.
"""

from __future__ import annotations

from typing import Any

from prospector.services.export.payloads import Payload, deal_name
from prospector.services.export.safe_csv import Column, csv_bytes

EXTERNAL_ID = "Prospector_Handoff_Id__c"
LEAD_STATUS = "Working - Contacted"
STAGE = "Qualification"
DEFAULT_SOURCE = "Prospector"
NOT_PROVIDED = "[not provided]"
DESCRIPTION_LIMIT = 32_000
SUFFIXES = ("-leads.csv", "-opportunities.csv")

LEAD_COLUMNS = (
    Column(EXTERNAL_ID, "handoff_id", "integer"),
    Column("FirstName", "first_name"),
    Column("LastName", "last_name"),
    Column("Company", "company"),
    Column("Title", "title"),
    Column("Phone", "phone", "phone"),
    Column("Email", "email"),
    Column("LeadSource", "lead_source"),
    Column("Status", "status"),
    Column("Industry", "industry"),
    Column("NumberOfEmployees", "employees", "integer"),
    Column("State", "state"),
    Column("Country", "country"),
    Column("Description", "description"),
)

OPPORTUNITY_COLUMNS = (
    Column(EXTERNAL_ID, "handoff_id", "integer"),
    Column("Name", "name"),
    Column("StageName", "stage"),
    Column("CloseDate", "close_date", "date"),
    Column("Amount", "amount", "amount"),
    Column("LeadSource", "lead_source"),
    Column("NextStep", "next_step"),
    Column("Description", "description"),
)


def _description(payload: Payload) -> str:
    text: str = payload["description"]
    if len(text) > DESCRIPTION_LIMIT:
        marker = "\n[cut: see Prospector]"
        text = text[: DESCRIPTION_LIMIT - len(marker)] + marker
    return text


def _next_step(payload: Payload) -> str:
    step = f"Outside rep {payload['owner']}"
    if payload["meeting_local"]:
        step = f"Meeting {payload['meeting_local'][:16].replace('T', ' ')} {payload['timezone']}"
        step += f" with {payload['owner']}"
    return step[:255]  # NextStep is a 255-character string


def lead_row(payload: Payload) -> dict[str, Any]:
    return {
        **payload,
        "last_name": payload["last_name"] or NOT_PROVIDED,
        "company": payload["company"] or NOT_PROVIDED,
        "lead_source": payload["source"] or DEFAULT_SOURCE,
        "status": LEAD_STATUS,
        "description": _description(payload),
    }


def opportunity_row(payload: Payload) -> dict[str, Any]:
    name = deal_name(payload) or NOT_PROVIDED
    return {
        "handoff_id": payload["handoff_id"],
        "name": name[:120],  # Opportunity.Name is 120 characters
        "stage": STAGE,
        "close_date": payload["close_date"],
        "amount": payload["amount"],
        "lead_source": payload["source"] or DEFAULT_SOURCE,
        "next_step": _next_step(payload),
        "description": _description(payload),
    }


def render(payloads: list[Payload]) -> list[tuple[str, bytes]]:
    """The two files: ``-leads.csv`` and ``-opportunities.csv`` (:data:`SUFFIXES`)."""
    leads, opportunities = SUFFIXES
    return [
        (leads, csv_bytes(LEAD_COLUMNS, (lead_row(p) for p in payloads))),
        (opportunities, csv_bytes(OPPORTUNITY_COLUMNS, (opportunity_row(p) for p in payloads))),
    ]
