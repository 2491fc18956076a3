"""Prospector's own CSV: every payload field under its own name, one row a handoff.

``calls`` is left out (its notes are in ``description``). The ``*external_id``
columns are the keys a CRM should load the rows on (and ``handoffs ack`` reads
``external_id`` back); ``amount`` and ``close_date`` are Prospector's estimates.
"""

from __future__ import annotations

from prospector.services.export.payloads import Payload
from prospector.services.export.safe_csv import Column, csv_bytes

COLUMNS = (
    Column("handoff_id", "handoff_id", "integer"),
    Column("external_id", "external_id"),
    Column("contact_id", "contact_id", "integer"),
    Column("contact_external_id", "contact_external_id"),
    Column("account_id", "account_id", "integer"),
    Column("account_external_id", "account_external_id"),
    Column("database_id", "database_id"),
    Column("first_name", "first_name"),
    Column("last_name", "last_name"),
    Column("title", "title"),
    Column("email", "email"),
    Column("phone", "phone", "phone"),
    Column("company", "company"),
    Column("domain", "domain"),
    Column("industry", "industry"),
    Column("employees", "employees", "integer"),
    Column("state", "state"),
    Column("country", "country"),
    Column("source", "source"),
    Column("list_name", "list_name"),
    Column("tier", "tier"),
    Column("filtered_by", "filtered_by"),
    Column("inside_rep", "inside_rep"),
    Column("owner", "owner"),
    Column("owner_email", "owner_email"),
    Column("amount", "amount", "amount"),
    Column("meeting_at", "meeting_at", "datetime"),
    Column("meeting_local", "meeting_local", "datetime"),
    Column("timezone", "timezone"),
    Column("budget", "budget"),
    Column("authority", "authority"),
    Column("need", "need"),
    Column("timeline", "timeline"),
    Column("note", "note"),
    Column("qualified_at", "qualified_at", "datetime"),
    Column("close_date", "close_date", "date"),
    Column("description", "description"),
)

SUFFIXES = (".csv",)
"""The file names this format writes end so (after ``prospector-batch-N-<format>``)."""


def render(payloads: list[Payload]) -> list[tuple[str, bytes]]:
    """The one file: ``.csv``."""
    return [(SUFFIXES[0], csv_bytes(COLUMNS, payloads))]
