"""HubSpot: one multi-object import file (contacts, companies and deals per row).

Column headers are the default property labels HubSpot's importer matches
automatically, checked against HubSpot's knowledge base ("Set up your import
files", "Import records for multiple objects", "Sample import files"):
contacts need First name, Last name and Email; companies Company domain name;
deals Deal name, Pipeline and Deal stage; an owner is assigned with an
"[Object] owner" column holding the user's email. One row carries a contact,
its company and its deal, which HubSpot associates.

Values: Pipeline ``default`` (every account's first deal pipeline id); Deal stage
``appointmentscheduled`` when a meeting was booked, else ``qualifiedtobuy`` (the
default pipeline's internal stage ids); dates ``YYYY-MM-DD``; Amount a plain
decimal. The handoff id rides in "Prospector handoff id": create that deal
property (single-line text, unique) to map it.
"""

from __future__ import annotations

from typing import Any

from prospector.services.export.payloads import Payload, deal_name
from prospector.services.export.safe_csv import Column, csv_bytes

PIPELINE = "default"
STAGE_MEETING = "appointmentscheduled"
STAGE_QUALIFIED = "qualifiedtobuy"

COLUMNS = (
    # contact
    Column("First name", "first_name"),
    Column("Last name", "last_name"),
    Column("Email", "email"),
    Column("Phone number", "phone", "phone"),
    Column("Job title", "title"),
    Column("Contact owner", "owner_email"),
    # company
    Column("Company name", "company"),
    Column("Company domain name", "domain"),
    Column("Industry", "industry"),
    Column("Number of employees", "employees", "integer"),
    Column("State/Region", "state"),
    Column("Country/Region", "country"),
    # deal
    Column("Deal name", "deal_name"),
    Column("Amount", "amount", "amount"),
    Column("Deal stage", "deal_stage"),
    Column("Pipeline", "pipeline"),
    Column("Close date", "close_date", "date"),
    Column("Deal owner", "owner_email"),
    Column("Deal description", "description"),
    Column("Prospector handoff id", "handoff_id", "integer"),
)


def row(payload: Payload) -> dict[str, Any]:
    return {
        **payload,
        "deal_name": deal_name(payload),
        "deal_stage": STAGE_MEETING if payload["meeting_at"] else STAGE_QUALIFIED,
        "pipeline": PIPELINE,
    }


SUFFIXES = (".csv",)
"""The file names this format writes end so (after ``prospector-batch-N-<format>``)."""


def render(payloads: list[Payload]) -> list[tuple[str, bytes]]:
    """The one file: ``.csv``."""
    return [(SUFFIXES[0], csv_bytes(COLUMNS, (row(p) for p in payloads)))]
