"""The lead screen's data: everything known about one contact, and a quick search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import phonenumbers

from prospector.foundations.clock import from_db, from_db_or_none
from prospector.foundations.db import Database
from prospector.foundations.names import full_name
from prospector.services.settings import Settings
from prospector.services.windows import (
    current_settings,
    is_open,
    load_contact,
    next_open,
    open_until,
)


@dataclass(frozen=True)
class CallRecord:
    """One logged call, as the history shows it."""

    call_id: int
    at: datetime
    rep: str
    disposition: str
    category: str
    attempt: int
    duration_seconds: int
    note: str | None
    callback_at: datetime | None
    status_after: str


@dataclass(frozen=True)
class ContactCard:
    """Everything the lead screen shows for one contact, as of ``now``.

    Times are aware datetimes; ``local_time`` and the window times are in the
    prospect's (first) zone. ``sla_left`` is negative when the first-touch SLA is
    overdue and None once the contact has been dialed (or has no SLA).
    """

    contact_id: int
    name: str
    first_name: str | None
    last_name: str | None
    title: str | None
    email: str | None
    company: str | None
    industry: str | None
    employees: int | None
    source: str | None
    list_name: str | None
    phone: str  # E.164
    phone_national: str
    phone_type: str | None
    phone_bad: bool
    timezones: tuple[str, ...]
    country: str | None
    state: str | None
    local_time: datetime
    window_open: bool
    window_until: datetime | None  # when the open window closes (if open)
    window_next_open: datetime | None  # when it next opens (if closed)
    tier: str | None
    tier_rule: str | None
    filtered_by: str | None
    dnc: bool
    status: str
    close_reason: str | None
    sla_due_at: datetime | None
    sla_left: timedelta | None
    attempts: int
    max_attempts: int | None
    next_attempt: int
    next_call_at: datetime
    callback_at: datetime | None
    callback_rep: str | None
    claimed_by: str | None
    claim_expires_at: datetime | None
    dialed_at: datetime | None
    history: tuple[CallRecord, ...]  # newest first


def national_format(e164: str) -> str:
    """``(212) 555-0100`` for ``+12125550100``; the E.164 text when it cannot parse."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def contact_card(
    db: Database,
    contact_id: int,
    *,
    now: datetime,
    settings: Settings | None = None,
    history_limit: int = 50,
) -> ContactCard:
    """The lead screen for one contact.

    Raises:
        NotFoundError: no such contact.
    """
    settings = settings or current_settings(db)
    now = now.astimezone(UTC)
    row, locale = load_contact(db, contact_id)
    zone = locale.primary_zone
    opened = is_open(locale, now, settings)
    until = open_until(locale, now, settings) if opened else None
    upcoming = None if opened else next_open(locale, now, settings)
    tier = settings.tier(row["tier"])
    sla_due = from_db_or_none(row["sla_due_at"])
    history = tuple(
        CallRecord(
            call_id=call["id"],
            at=from_db(call["at"]),
            rep=call["rep"],
            disposition=call["disposition"],
            category=call["category"],
            attempt=call["attempt"],
            duration_seconds=call["duration_seconds"],
            note=call["note"],
            callback_at=from_db_or_none(call["callback_at"]),
            status_after=call["status_after"],
        )
        for call in db.query(
            "SELECT * FROM calls WHERE contact_id = ? ORDER BY at DESC, id DESC LIMIT ?",
            (contact_id, history_limit),
        )
    )
    name = full_name(row["first_name"], row["last_name"]) or "(no name)"
    return ContactCard(
        contact_id=row["id"],
        name=name,
        first_name=row["first_name"],
        last_name=row["last_name"],
        title=row["title"],
        email=row["email"],
        company=row["company"],
        industry=row["industry"],
        employees=row["employees"],
        source=row["source"],
        list_name=row["list_name"],
        phone=row["phone"],
        phone_national=national_format(row["phone"]),
        phone_type=row["phone_type"],
        phone_bad=bool(row["phone_bad"]),
        timezones=locale.zones,
        country=row["country"],
        state=row["state"],
        local_time=now.astimezone(zone),
        window_open=opened,
        window_until=until.astimezone(zone) if until else None,
        window_next_open=upcoming.astimezone(zone) if upcoming else None,
        tier=row["tier"],
        tier_rule=row["tier_rule"],
        filtered_by=row["filtered_by"],
        dnc=bool(row["dnc"]),
        status=row["status"],
        close_reason=row["close_reason"],
        sla_due_at=sla_due,
        sla_left=(sla_due - now) if sla_due and row["attempts"] == 0 else None,
        attempts=row["attempts"],
        max_attempts=tier.max_attempts if tier else None,
        # Attempts count anew in each recycling cycle (services/recycling.py).
        next_attempt=row["attempts"] - row["cycle_attempts_base"] + 1,
        next_call_at=from_db(row["next_call_at"]),
        callback_at=from_db_or_none(row["callback_at"]),
        callback_rep=row["callback_rep"],
        claimed_by=row["claimed_by"],
        claim_expires_at=from_db_or_none(row["claim_expires_at"]),
        dialed_at=from_db_or_none(row["dialed_at"]),
        history=history,
    )


@dataclass(frozen=True)
class ContactMatch:
    """A search hit."""

    contact_id: int
    name: str
    company: str | None
    phone: str
    status: str


def search_contacts(db: Database, text: str, limit: int = 20) -> list[ContactMatch]:
    """Contacts whose id, phone digits, name, email or company match ``text``.

    Exact id and phone matches come first; name/company/email are matched as
    case-insensitive substrings (a scan: fine for an interactive search box).
    """
    needle = text.strip()
    if not needle:
        return []
    digits = "".join(ch for ch in needle if ch.isdigit())
    like = f"%{needle.replace('%', '').replace('_', '')}%"
    rows = db.query(
        """SELECT c.id, c.first_name, c.last_name, c.phone, c.status, a.name AS company,
                  CASE WHEN c.id = :id THEN 0 WHEN c.phone = :phone THEN 1 ELSE 2 END AS rank
           FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id
           WHERE c.id = :id OR c.phone = :phone
              OR (:digits != '' AND length(:digits) >= 4 AND c.phone LIKE :digits_like)
              OR (coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) LIKE :like
              OR c.email LIKE :like OR a.name LIKE :like
           ORDER BY rank, c.last_name, c.first_name, c.id
           LIMIT :limit""",
        {
            "id": int(digits) if digits and digits == needle else -1,
            "phone": needle if needle.startswith("+") else f"+1{digits}",
            "digits": digits,
            "digits_like": f"%{digits}%",
            "like": like,
            "limit": limit,
        },
    )
    return [
        ContactMatch(
            contact_id=row["id"],
            name=full_name(row["first_name"], row["last_name"]) or "(no name)",
            company=row["company"],
            phone=row["phone"],
            status=row["status"],
        )
        for row in rows
    ]
