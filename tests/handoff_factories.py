"""Contacts, accounts and calls inserted the way the importer and ``log`` will.

The importer (branch ``importing``) and the call log (branch ``queue``) are being
built elsewhere; these factories write the same rows the schema asks of them
(a ``locales`` row per contact, E.164 phones, UTC text times, calls with note,
rep, at, disposition, category, attempt and status_after), so handoff tests use
real rows without depending on those services.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database

_numbers = itertools.count(1)
DEFAULT_AT = "2026-11-20T15:00:00Z"


def make_account(
    db: Database,
    name: str = "Acme Corp",
    *,
    domain: str | None = None,
    industry: str | None = "Software",
    employees: int | None = 250,
) -> int:
    with db.write():
        new_id = db.insert(
            """INSERT INTO accounts (name, name_key, domain, industry, employees,
                   created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (name, name.casefold(), domain, industry, employees, DEFAULT_AT, DEFAULT_AT),
        )
    return new_id


def locale_id(db: Database, zones: str, country: str = "", state: str = "") -> int:
    """The locale row for these zones/country/state, created when new (call in a write)."""
    db.execute(
        "INSERT INTO locales (zones, country, state) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (zones, country, state),
    )
    row = db.one(
        "SELECT id FROM locales WHERE zones = ? AND country = ? AND state = ?",
        (zones, country, state),
    )
    assert row is not None
    return int(row["id"])


def make_contact(
    db: Database,
    *,
    first_name: str | None = "Jane",
    last_name: str | None = "Doe",
    title: str | None = "VP Operations",
    email: str | None = None,
    phone: str | None = None,
    account_id: int | None = None,
    company: str | None = "Acme Corp",
    industry: str | None = "Software",
    employees: int | None = 250,
    state: str | None = "NY",
    country: str | None = "US",
    zones: str = "America/New_York",
    source: str | None = "inbound",
    list_name: str | None = None,
    filtered_by: str | None = None,
    tier: str | None = "A",
    dnc: bool = False,
    status: str = "open",
) -> int:
    """A contact (with its account unless ``account_id`` or ``company=None``)."""
    number = next(_numbers)
    phone = phone or f"+1212555{number:04d}"
    if account_id is None and company is not None:
        account_id = make_account(
            db,
            company,
            domain=f"{company.split()[0].lower()}{number}.example.com",
            industry=industry,
            employees=employees,
        )
    with db.write():
        locale = locale_id(db, zones, country or "", state or "")
        new_id = db.insert(
            """INSERT INTO contacts (account_id, first_name, last_name, title, email, phone,
                   phone_raw, phone_type, state, country, locale_id, source, list_name,
                   filtered_by, tier, tier_priority, dnc, status, next_call_at,
                   created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, 'fixed_line_or_mobile', ?, ?, ?, ?, ?, ?, ?, 1,
                       ?, ?, ?, ?, ?)""",
            (
                account_id,
                first_name,
                last_name,
                title,
                email if email is not None else f"contact{number}@example.com",
                phone,
                phone,
                state,
                country,
                locale,
                source,
                list_name,
                filtered_by,
                tier,
                int(dnc),
                status,
                DEFAULT_AT,
                DEFAULT_AT,
                DEFAULT_AT,
            ),
        )
        if dnc:
            db.execute(
                "INSERT INTO dnc_numbers (phone, reason, added_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (phone, "asked", DEFAULT_AT),
            )
    return new_id


def make_call(
    db: Database,
    contact_id: int,
    *,
    at: datetime | str,
    rep: str = "alice",
    disposition: str = "no_answer",
    category: str = "dial",
    note: str | None = None,
    status_after: str = "open",
    duration_seconds: int = 0,
) -> int:
    """A logged call; ``attempt`` is the contact's next attempt number."""
    stamp = at if isinstance(at, str) else to_db(at)
    with db.write():
        attempt = db.one("SELECT count(*) + 1 FROM calls WHERE contact_id = ?", (contact_id,))[0]  # type: ignore[index]
        new_id = db.insert(
            """INSERT INTO calls (contact_id, rep, at, dialed_at, disposition, category,
                   attempt, duration_seconds, note, status_after)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                contact_id,
                rep,
                stamp,
                stamp,
                disposition,
                category,
                attempt,
                duration_seconds,
                note,
                status_after,
            ),
        )
        db.execute(
            """UPDATE contacts SET attempts = attempts + 1, last_dial_at = ?,
                   first_dial_at = coalesce(first_dial_at, ?) WHERE id = ?""",
            (stamp, stamp, contact_id),
        )
    return new_id


def days_before(instant: datetime, days: float) -> datetime:
    return instant - timedelta(days=days)
