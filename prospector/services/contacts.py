"""The lead screen's data: everything known about one contact, as a card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import phonenumbers

from prospector.foundations.clock import from_db, from_db_or_none, to_db, to_db_or_none
from prospector.foundations.db import Database
from prospector.foundations.errors import NotFoundError
from prospector.foundations.limits import MAX_ID
from prospector.foundations.names import full_name
from prospector.services.contact_phones import ContactPhone, phones_of, with_extension
from prospector.services.fit import sla_left
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
    phone: str | None  # the number called (None: logged before schema 6 knew)
    phone_ext: str | None
    recording_url: str | None = None  # from the phone system (``prospector event``)

    def as_json(self) -> dict[str, Any]:
        """Plain values for ``--json`` output (times in UTC ISO 8601)."""
        return {
            "call_id": self.call_id,
            "at": to_db(self.at),
            "rep": self.rep,
            "disposition": self.disposition,
            "category": self.category,
            "attempt": self.attempt,
            "duration_seconds": self.duration_seconds,
            "note": self.note,
            "callback_at": to_db_or_none(self.callback_at),
            "status_after": self.status_after,
            "phone": self.phone,
            "phone_ext": self.phone_ext,
            "recording_url": self.recording_url,
        }


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
    phone: str  # E.164, the dialled one
    phone_national: str
    phone_type: str | None
    phone_bad: bool
    phone_ext: str | None
    phones: tuple[ContactPhone, ...]  # every phone, in dial order
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

    def as_json(self) -> dict[str, Any]:
        """Plain values for ``--json`` output: stored instants in UTC ISO 8601,
        ``local_time`` and the window times with the prospect's offset."""
        return {
            "contact_id": self.contact_id,
            "name": self.name,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "title": self.title,
            "email": self.email,
            "company": self.company,
            "industry": self.industry,
            "employees": self.employees,
            "source": self.source,
            "list_name": self.list_name,
            "phone": self.phone,
            "phone_national": self.phone_national,
            "phone_type": self.phone_type,
            "phone_bad": self.phone_bad,
            "phone_ext": self.phone_ext,
            "phones": [p.as_json(dialled=p.e164 == self.phone) for p in self.phones],
            "timezones": list(self.timezones),
            "country": self.country,
            "state": self.state,
            "local_time": self.local_time.isoformat(),
            "window_open": self.window_open,
            "window_until": self.window_until.isoformat() if self.window_until else None,
            "window_next_open": (
                self.window_next_open.isoformat() if self.window_next_open else None
            ),
            "tier": self.tier,
            "tier_rule": self.tier_rule,
            "filtered_by": self.filtered_by,
            "dnc": self.dnc,
            "status": self.status,
            "close_reason": self.close_reason,
            "sla_due_at": to_db_or_none(self.sla_due_at),
            "attempts": self.attempts,
            "max_attempts": self.max_attempts,
            "next_call_at": to_db(self.next_call_at),
            "callback_at": to_db_or_none(self.callback_at),
            "callback_rep": self.callback_rep,
            "claimed_by": self.claimed_by,
            "claim_expires_at": to_db_or_none(self.claim_expires_at),
            "dialed_at": to_db_or_none(self.dialed_at),
            "calls": [call.as_json() for call in self.history],
        }


def shown_phone(phone: ContactPhone) -> str:
    """``(212) 555-0199 ext. 4``: one of a contact's numbers as a rep reads it."""
    return with_extension(national_format(phone.e164), phone.extension)


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
        NotFoundError: no such contact (any id SQLite cannot hold included).
    """
    if not 0 < contact_id <= MAX_ID:
        raise NotFoundError(f"no contact with id {contact_id}")
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
            phone=call["phone"],
            phone_ext=call["phone_ext"],
            recording_url=call["recording_url"],
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
        phone_ext=row["phone_ext"],
        phones=phones_of(db, contact_id),
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
        sla_left=(
            sla_left(sla_due, now, settings, locale, tier)
            if sla_due and row["attempts"] == 0
            else None
        ),
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
