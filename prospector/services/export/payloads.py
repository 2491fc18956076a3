"""A handoff's export payload: everything the CRM gets, as one plain dict.

The payload is built once, when a batch is made, and stored in ``export_items``;
every format renders from stored payloads only, so a batch written again later is
the same bytes. Keys are stable (more may be added):

``handoff_id, contact_id, account_id, first_name, last_name, title, email, phone,
company, domain, industry, employees, state, country, source, list_name, tier,
filtered_by, inside_rep, owner, owner_email, amount, meeting_at, meeting_local,
timezone, budget, authority, need, timeline, note, qualified_at, close_date, calls,
description, database_id, external_id, contact_external_id, account_external_id``

The ``*external_id`` keys are the ids a CRM keys records on (see :func:`external_id`):
namespaced by the database's own id, so that two databases never write over each
other's records. ``account_external_id`` is ``""`` for a contact without a company.

Times are UTC ``YYYY-MM-DDTHH:MM:SSZ`` except ``meeting_local`` (ISO 8601 with the
prospect's offset) and ``close_date`` (``YYYY-MM-DD``: a placeholder, see
:func:`prospector.services.handoffs.expected_close_date`). ``calls`` lists every call
with the contact, oldest first; ``description`` is the text CRMs show: the
handoff's facts, then each call's note prefixed with its date, rep and disposition.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from prospector.foundations.clock import from_db
from prospector.foundations.db import Database, database_id
from prospector.foundations.names import full_name
from prospector.services.export.left_out import DNC_CONTACT
from prospector.services.handoffs import expected_close_date, first_zone, format_amount

Payload = dict[str, Any]
KINDS = {"handoff": "h", "contact": "c", "account": "a"}


def external_id(database: str, kind: str, number: int) -> str:
    """``<database id>-<h|c|a><number>``, e.g. ``3f9a1c2b7d4e-h42`` for handoff 42.

    One form in every export format and the webhook. Letters and digits and one
    dash: valid in a Salesforce External ID text field and a HubSpot unique property.
    """
    return f"{database}-{KINDS[kind]}{number}"


def _external_ids(
    database: str, handoff_id: int, contact_id: int, account_id: int | None
) -> dict[str, str]:
    """The payload's ``database_id`` and ``*external_id`` keys (no account: ``""``)."""
    return {
        "database_id": database,
        "external_id": external_id(database, "handoff", handoff_id),
        "contact_external_id": external_id(database, "contact", contact_id),
        "account_external_id": external_id(database, "account", account_id) if account_id else "",
    }


def build_payloads(
    db: Database,
    *,
    statuses: tuple[str, ...],
    team_zone: ZoneInfo,
    leave_out: Collection[int] = (),
) -> list[Payload]:
    """Payloads for every handoff in ``statuses`` whose contact is not DNC, by id.

    DNC contacts are left out here, so no export path can hand a DNC number to
    anyone to call (DESIGN §7); their handoffs stay where they are. So are the
    handoffs in ``leave_out`` (another export is sending them).
    """
    marks = ",".join("?" for _ in statuses)
    rows = db.query(
        f"""SELECT h.*, c.account_id, c.first_name, c.last_name, c.title, c.email, c.phone, c.state,
                   c.country, c.source, c.list_name, c.tier, c.filtered_by,
                   a.name AS company, a.domain, a.industry, a.employees, l.zones
            FROM handoffs h
            JOIN contacts c ON c.id = h.contact_id
            JOIN locales l ON l.id = c.locale_id
            LEFT JOIN accounts a ON a.id = c.account_id
            WHERE h.status IN ({marks}) AND NOT {DNC_CONTACT}
              AND h.id NOT IN {db.dialect.ints_in("?")}
            ORDER BY h.id""",
        (*statuses, json.dumps(sorted(leave_out))),
    )
    calls: dict[int, list[dict[str, str]]] = defaultdict(list)
    for call in db.query(
        f"""SELECT k.contact_id, k.at, k.rep, k.disposition, k.note
            FROM calls k
            WHERE k.contact_id IN (SELECT contact_id FROM handoffs WHERE status IN ({marks}))
            ORDER BY k.contact_id, k.at, k.id""",
        statuses,
    ):
        calls[call["contact_id"]].append(
            {
                "at": call["at"],
                "rep": call["rep"],
                "disposition": call["disposition"],
                "note": call["note"] or "",
            }
        )
    database = database_id(db)
    return [_payload(row, calls.get(row["contact_id"], []), team_zone, database) for row in rows]


def _payload(row: Any, calls: list[dict[str, str]], team_zone: ZoneInfo, database: str) -> Payload:
    zone = first_zone(row["zones"], team_zone)
    meeting_local = None
    if row["meeting_at"]:
        meeting_local = _instant(row["meeting_at"]).astimezone(zone).isoformat()
    qualified = _instant(row["created_at"])
    payload: Payload = {
        "handoff_id": row["id"],
        "contact_id": row["contact_id"],
        "account_id": row["account_id"],
        "first_name": row["first_name"] or "",
        "last_name": row["last_name"] or "",
        "title": row["title"] or "",
        "email": row["email"] or "",
        "phone": row["phone"],
        "company": row["company"] or "",
        "domain": row["domain"] or "",
        "industry": row["industry"] or "",
        "employees": row["employees"],
        "state": row["state"] or "",
        "country": row["country"] or "",
        "source": row["source"] or "",
        "list_name": row["list_name"] or "",
        "tier": row["tier"] or "",
        "filtered_by": row["filtered_by"] or "",
        "inside_rep": row["inside_rep"],
        "owner": row["owner"],
        "owner_email": row["owner_email"] or "",
        "amount": format_amount(row["amount_cents"]),
        "meeting_at": row["meeting_at"],
        "meeting_local": meeting_local,
        "timezone": zone.key,
        "budget": row["budget"] or "",
        "authority": row["authority"] or "",
        "need": row["need"] or "",
        "timeline": row["timeline"] or "",
        "note": row["note"] or "",
        "qualified_at": row["created_at"],
        "close_date": expected_close_date(qualified, team_zone),
        "calls": calls,
        **_external_ids(database, row["id"], row["contact_id"], row["account_id"]),
    }
    payload["description"] = describe(payload)
    return payload


def _instant(db_time: str) -> datetime:
    # The stored form is fixed (clock.DB_FORMAT); fromisoformat reads it ~20x faster
    # than strptime, which matters at 10,000 handoffs a batch.
    return (
        datetime.fromisoformat(db_time[:-1] + "+00:00")
        if db_time.endswith("Z")
        else from_db(db_time)
    )


def _when(db_time: str) -> str:
    """``2026-11-20T15:00:00Z`` → ``2026-11-20 15:00 UTC``."""
    return f"{db_time[:10]} {db_time[11:16]} UTC"


def describe(payload: Payload) -> str:
    """The human summary CRMs show (Description): facts, BANT, then every call note."""
    lines = [
        f"Qualified by {payload['inside_rep']} on {_when(payload['qualified_at'])};"
        f" outside rep {payload['owner']}."
    ]
    if payload["meeting_local"]:
        local = datetime.fromisoformat(payload["meeting_local"])
        local = local.astimezone(ZoneInfo(payload["timezone"]))
        lines.append(f"Meeting: {local.strftime('%Y-%m-%d %H:%M %Z')} ({payload['timezone']})")
    if payload["amount"]:
        lines.append(f"Estimated amount: {payload['amount']}")
    for label in ("budget", "authority", "need", "timeline", "note"):
        if payload[label]:
            lines.append(f"{label.capitalize()}: {payload[label]}")
    if payload["calls"]:
        lines.append("")
        lines.append("Calls:")
        for call in payload["calls"]:
            head = f"{_when(call['at'])} · {call['rep']} · {call['disposition']}"
            lines.append(f"{head}: {call['note']}" if call["note"] else head)
    return "\n".join(lines)


def deal_name(payload: Payload) -> str:
    """ "Company - First Last", leaving out whichever is blank ('' when both are)."""
    person = full_name(payload["first_name"], payload["last_name"])
    return " - ".join(p for p in (payload["company"], person) if p)


def dump(payload: Payload) -> str:
    """The stored form of a payload: canonical JSON (sorted keys, UTF-8 as is)."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def load(text: str) -> Payload:
    return json.loads(text)


def load_stored(db: Database, items: list[tuple[int, str]]) -> list[Payload]:
    """The stored ``(handoff_id, payload text)`` items as the formats read them.

    A batch cut before schema 7 stored payloads without the database's and the
    external ids (and ``account_id``): they are added here, the one place stored
    payloads are read, so ``export --batch N`` of an old batch keys its records
    as a new one does. The account is the contact's account now.
    """
    payloads = [load(text) for _, text in items]
    old = [p for p in payloads if "external_id" not in p]
    if not old:
        return payloads
    database = database_id(db)
    accounts = {
        row["id"]: row["account_id"]
        for row in db.query(
            f"SELECT id, account_id FROM contacts WHERE id IN {db.dialect.ints_in('?')}",
            (json.dumps(sorted({p["contact_id"] for p in old})),),
        )
    }
    for payload in old:
        account = payload.get("account_id", accounts.get(payload["contact_id"]))
        payload["account_id"] = account
        payload.update(
            _external_ids(database, payload["handoff_id"], payload["contact_id"], account)
        )
    return payloads
