"""Test data inserted the way the importer inserts it.

Contacts start 'open', due at once (``next_call_at = created_at = now``), classified
by ``prospector.services.fit`` (filter, tier, tier priority, SLA deadline), with a
``locales`` row of (zones space-joined and sorted, country, state).
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database
from prospector.foundations.folding import contact_key, fold
from prospector.services.fit import Profile, classify, sla_deadline
from prospector.services.settings import Settings, load_settings
from prospector.services.windows import Locale

_numbers = itertools.count(2_000_000)


def next_phone(area: str = "212") -> str:
    """A fresh, valid-looking E.164 number in an area code."""
    line = next(_numbers)
    return f"+1{area}{555 if line % 2 else 556}{line % 10_000:04d}"


def locale_id(db: Database, zones: tuple[str, ...] | list[str], country: str, state: str) -> int:
    """The id of the locale row for these zones/country/state, created if missing."""
    key = " ".join(sorted(zones))
    db.execute(
        "INSERT INTO locales (zones, country, state) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (key, country, state),
    )
    row = db.one(
        "SELECT id FROM locales WHERE zones = ? AND country = ? AND state = ?",
        (key, country, state),
    )
    assert row is not None
    return int(row["id"])


def add_contact(db: Database, *, now: datetime, **fields: Any) -> int:
    """Insert one contact (and its account and locale); see :func:`_insert_contact`."""
    with db.write():
        return _insert_contact(db, now=now, **fields)


def add_contacts(db: Database, count: int, *, now: datetime, **fields: Any) -> list[int]:
    """``count`` contacts as :func:`add_contact` makes them, each with a phone of its
    own, in one transaction: a queue of thousands in a fraction of the time."""
    assert "phone" not in fields
    fields.setdefault("settings", load_settings(db))
    with db.write():
        return [_insert_contact(db, now=now, **fields) for _ in range(count)]


def _insert_contact(
    db: Database,
    *,
    now: datetime,
    phone: str | None = None,
    zones: tuple[str, ...] = ("America/New_York",),
    country: str = "US",
    state: str = "",
    first_name: str = "Pat",
    last_name: str = "Lee",
    title: str | None = "VP Sales",
    company: str = "Acme Corp",
    industry: str | None = "Software",
    employees: int | None = 120,
    source: str | None = "list",
    list_name: str | None = None,
    settings: Settings | None = None,
    **columns: Any,
) -> int:
    """Insert one contact (and its account and locale); ``columns`` override any column.

    Call inside ``db.write()``."""
    settings = settings or load_settings(db)
    phone = phone or next_phone()
    profile = Profile(
        industry=industry,
        source=source,
        country=country,
        state=state or None,
        list_name=list_name,
        title=title,
        employees=employees,
    )
    result = classify(profile, settings)
    tier = settings.tier(result.tier)
    assert tier is not None
    stamp = to_db(now)
    dnc = db.one("SELECT 1 FROM dnc_numbers WHERE phone = ?", (phone,)) is not None
    account = db.insert(
        """INSERT INTO accounts (name, name_key, industry, employees, created_at, updated_at,
               search_key) VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (company, company.casefold(), industry, employees, stamp, stamp, fold(company)),
    )
    locale = locale_id(db, zones, country, state)
    values: dict[str, Any] = {
        "account_id": account,
        "first_name": first_name,
        "last_name": last_name,
        "title": title,
        "phone": phone,
        "phone_raw": phone,
        "phone_type": "fixed_line_or_mobile",
        "state": state or None,
        "country": country,
        "locale_id": locale,
        "source": source,
        "list_name": list_name,
        "filtered_by": result.filtered_by,
        "tier": result.tier,
        "tier_rule": result.tier_rule,
        "tier_priority": result.tier_priority,
        "dnc": int(dnc),
        "status": "open",
        "next_call_at": stamp,
        "sla_due_at": to_db(
            sla_deadline(now, tier, settings, Locale(locale, tuple(zones), country, state))
        ),
        "created_at": stamp,
        "updated_at": stamp,
    }
    values.update(columns)
    # As the importer writes it (a test may pass search_key=None: written by hand).
    key = contact_key(values["first_name"], values["last_name"], values.get("email"))
    values.setdefault("search_key", key)
    names = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    contact_id = db.insert(
        f"INSERT INTO contacts ({names}) VALUES ({marks})", tuple(values.values())
    )
    db.execute(
        """INSERT INTO contact_phones (contact_id, e164, raw, kind, extension, number_type,
               rank, bad) VALUES (?, ?, ?, 'work', ?, ?, 0, ?)""",
        (
            contact_id,
            values["phone"],
            values["phone_raw"],
            values.get("phone_ext"),
            values["phone_type"],
            values.get("phone_bad", 0),
        ),
    )
    return contact_id


def add_phone(
    db: Database,
    contact_id: int,
    e164: str,
    kind: str = "mobile",
    *,
    extension: str | None = None,
    number_type: str | None = "mobile",
    bad: bool = False,
) -> None:
    """Give a contact one more phone, last in its dial order, as the importer would keep it."""
    with db.write():
        db.execute(
            """INSERT INTO contact_phones (contact_id, e164, raw, kind, extension, number_type,
                   rank, bad)
               SELECT ?, ?, ?, ?, ?, ?, coalesce(max(rank) + 1, 0), ?
               FROM contact_phones WHERE contact_id = ?""",
            (contact_id, e164, e164, kind, extension, number_type, int(bad), contact_id),
        )


def add_dnc_number(db: Database, phone: str, *, now: datetime) -> None:
    """Put a number on the DNC list only (not the contacts' copy of the flag)."""
    with db.write():
        db.execute(
            "INSERT INTO dnc_numbers (phone, phone_raw, reason, added_by, added_at)"
            " VALUES (?, ?, 'test', 'test', ?) ON CONFLICT DO NOTHING",
            (phone, phone, to_db(now)),
        )
