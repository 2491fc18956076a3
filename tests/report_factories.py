"""Build report test data the way the services will write it.

Until the importer, ``log_call``, ``qualify`` and ``handoffs ack`` land on this
branch, these functions write the same rows those services write (read from
``m001_initial.py`` and DESIGN §4): a contact with its account and ``locales``
row, classified by the real fit rules and tiers with its SLA deadline; a call
with its category and attempt number, the contact's counters, and
``record_call`` in the same transaction; handoffs and their CRM answers.

Swapping in the real services is one change per function here: keep the
signatures and call ``import_file`` / ``log_call`` / ``create_handoff`` /
``ack`` inside them instead.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database
from prospector.services.fit import Profile, classify, sla_deadline
from prospector.services.reports.summary import record_call
from prospector.services.settings import Settings, load_settings

_phones = itertools.count(2125550000)


def add_contact(
    db: Database,
    *,
    created_at: datetime,
    source: str | None = None,
    list_name: str | None = None,
    industry: str | None = None,
    employees: int | None = None,
    title: str | None = None,
    dnc: bool = False,
    settings: Settings | None = None,
) -> int:
    """A contact received at ``created_at``, classified and given its SLA deadline."""
    settings = settings or load_settings(db)
    stamp = to_db(created_at)
    result = classify(
        Profile(industry=industry, source=source, country="US", title=title, employees=employees),
        settings,
    )
    tier = settings.tier(result.tier)
    assert tier is not None
    due = to_db(sla_deadline(created_at, tier, settings))
    phone = f"+1{next(_phones)}"
    with db.write():
        account_id = None
        if industry is not None or employees is not None:
            account_id = db.execute(
                """INSERT INTO accounts (name, name_key, industry, employees, created_at,
                                         updated_at) VALUES (?, ?, ?, ?, ?, ?)""",
                (f"Acme {phone}", f"acme {phone}", industry, employees, stamp, stamp),
            ).lastrowid
        db.execute(
            "INSERT OR IGNORE INTO locales (zones, country, state) VALUES (?, 'US', 'NY')",
            ("America/New_York",),
        )
        locale_id = db.one(
            "SELECT id FROM locales WHERE zones = 'America/New_York' AND country = 'US'"
        )["id"]  # type: ignore[index]
        cursor = db.execute(
            """INSERT INTO contacts (account_id, first_name, last_name, title, phone, phone_raw,
                   state, country, locale_id, source, list_name, filtered_by, tier, tier_rule,
                   tier_priority, dnc, status, next_call_at, sla_due_at, created_at, updated_at)
               VALUES (?, 'Pat', 'Lee', ?, ?, ?, 'NY', 'US', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                       ?, ?)""",
            (
                account_id,
                title,
                phone,
                phone,
                locale_id,
                source,
                list_name,
                result.filtered_by,
                result.tier,
                result.tier_rule,
                result.tier_priority,
                int(dnc),
                "dnc" if dnc else "open",
                stamp,
                due,
                stamp,
                stamp,
            ),
        )
    return int(cursor.lastrowid)  # type: ignore[arg-type]


def log(
    db: Database,
    contact_id: int,
    disposition: str,
    *,
    rep: str,
    at: datetime,
    duration: int = 0,
    settings: Settings | None = None,
) -> int:
    """Record a call as ``log_call`` will: call row, contact counters, summaries."""
    settings = settings or load_settings(db)
    chosen = settings.disposition(disposition)
    stamp = to_db(at)
    with db.write():
        contact = db.one("SELECT * FROM contacts WHERE id = ?", (contact_id,))
        assert contact is not None, f"no contact {contact_id}"
        attempt = contact["attempts"] + 1
        conversations = contact["conversations"] + chosen.is_conversation
        tier = settings.tier(contact["tier"])
        status = {
            "close": "closed",
            "qualify": "qualified",
            "wrong_number": "closed",
            "do_not_call": "dnc",
        }.get(chosen.then, "open")
        if status == "open" and tier and attempt >= tier.max_attempts and not conversations:
            status = "exhausted"
        next_call = at + (chosen.retry.as_timedelta() if chosen.retry else timedelta(days=1))
        call_id = db.execute(
            """INSERT INTO calls (contact_id, rep, at, disposition, category, attempt,
                                  duration_seconds, next_call_at, status_after)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                contact_id,
                rep,
                stamp,
                chosen.code,
                chosen.counts_as,
                attempt,
                duration,
                to_db(next_call),
                status,
            ),
        ).lastrowid
        db.execute(
            """UPDATE contacts SET attempts = ?, conversations = ?,
                   first_dial_at = coalesce(first_dial_at, ?), last_dial_at = ?,
                   status = ?, phone_bad = phone_bad OR ?, dnc = dnc OR ?,
                   next_call_at = ?, updated_at = ? WHERE id = ?""",
            (
                attempt,
                conversations,
                stamp,
                stamp,
                status,
                chosen.then == "wrong_number",
                chosen.then == "do_not_call",
                to_db(next_call),
                stamp,
                contact_id,
            ),
        )
        record_call(
            db,
            contact_id=contact_id,
            rep=rep,
            at=at,
            category=chosen.counts_as,
            attempt=attempt,
            duration_seconds=duration,
            settings=settings,
        )
    return int(call_id)  # type: ignore[arg-type]


def qualify(
    db: Database,
    contact_id: int,
    *,
    rep: str,
    at: datetime,
    amount: float | None = None,
    owner: str = "Dana Whitfield",
) -> int:
    """A pending handoff created by ``rep`` at ``at`` (``amount`` in currency units)."""
    stamp = to_db(at)
    cents = round(amount * 100) if amount is not None else None
    with db.write():
        handoff_id = db.execute(
            """INSERT INTO handoffs (contact_id, inside_rep, owner, amount_cents, status,
                                     created_at, updated_at)
               VALUES (?, ?, ?, ?, 'pending', ?, ?)""",
            (contact_id, rep, owner, cents, stamp, stamp),
        ).lastrowid
        db.execute("UPDATE contacts SET status = 'qualified' WHERE id = ?", (contact_id,))
    return int(handoff_id)  # type: ignore[arg-type]


def ack(db: Database, handoff_id: int, status: str, *, at: datetime, reason: str = "") -> None:
    """The CRM's answer for a handoff, as ``handoffs ack`` records it."""
    assert status in ("accepted", "rejected")
    stamp = to_db(at)
    with db.write():
        db.execute(
            """UPDATE handoffs SET status = ?, status_reason = ?, acked_at = ?, updated_at = ?
               WHERE id = ?""",
            (status, reason or None, stamp, stamp, handoff_id),
        )
