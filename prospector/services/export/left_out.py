"""The handoffs an export leaves out, each with its reason.

Do-not-call is absolute (DESIGN §7): a handoff is a request for someone to call, so
no export path hands out a contact that is DNC *now* — a new batch, a re-send of
exported handoffs, or an old batch written or sent again (``export --batch N``),
whose stored payloads were cut before the number went on the list. A contact is
DNC when it is flagged (``contacts.dnc``, which every number of it on the list
sets), closed by a ``do_not_call`` call (status ``dnc``), or its dialled number is
listed; a stored payload is also left out when the number it carries is listed.
Such a handoff keeps its status (a pending one stays pending): should the number
come off the list, the next export takes it.

Handoffs another export is still sending by webhook are left out too (see
:mod:`.runner`), so no handoff reaches the CRM twice.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from prospector.foundations.db import Database

DNC_CONTACT = """(c.dnc = 1 OR c.status = 'dnc'
    OR EXISTS (SELECT 1 FROM dnc_numbers d WHERE d.phone = c.phone))"""
"""SQL: the contact ``c`` is do-not-call now (the one rule every export path applies)."""

DNC = "dnc"
IN_FLIGHT = "in_flight"


@dataclass(frozen=True)
class LeftOut:
    """A handoff left out of an export: ``reason`` is :data:`DNC` or :data:`IN_FLIGHT`."""

    handoff_id: int
    contact_id: int | None
    reason: str
    detail: str

    def as_json(self) -> dict[str, object]:
        return {
            "handoff_id": self.handoff_id,
            "contact_id": self.contact_id,
            "reason": self.reason,
            "detail": self.detail,
        }


def _dnc(handoff_id: int, contact_id: int, numbers: Iterable[str]) -> LeftOut:
    listed = ", ".join(numbers)
    shown = f" ({listed})" if listed else ""
    return LeftOut(
        handoff_id, contact_id, DNC, f"contact {contact_id}{shown} is on the do-not-call list"
    )


def _listed_numbers(db: Database, contact_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each contact's numbers on the list now, sorted: the one to name, which need not be
    the dialled one (another number of the contact's may have put it there)."""
    ids = db.dialect.ints_in(":ids")
    rows = db.query(
        f"""SELECT p.contact_id, p.e164 FROM contact_phones p
               JOIN dnc_numbers d ON d.phone = p.e164
               WHERE p.contact_id IN {ids}
           UNION SELECT c.id, c.phone FROM contacts c JOIN dnc_numbers d ON d.phone = c.phone
               WHERE c.id IN {ids}
           ORDER BY 1, 2""",
        {"ids": json.dumps(sorted(set(contact_ids)))},
    )
    found: dict[int, list[str]] = {}
    for contact_id, number in rows:
        found.setdefault(contact_id, []).append(number)
    return found


def dnc_handoffs(db: Database, statuses: tuple[str, ...]) -> list[LeftOut]:
    """Handoffs in ``statuses`` whose contact is DNC now, by id."""
    marks = ",".join("?" for _ in statuses)
    rows = db.query(
        f"""SELECT h.id, h.contact_id FROM handoffs h
            JOIN contacts c ON c.id = h.contact_id
            WHERE h.status IN ({marks}) AND {DNC_CONTACT}
            ORDER BY h.id""",
        statuses,
    )
    listed = _listed_numbers(db, (row["contact_id"] for row in rows))
    return [_dnc(row["id"], row["contact_id"], listed.get(row["contact_id"], ())) for row in rows]


def dnc_in_payloads(db: Database, items: Iterable[tuple[int, str]]) -> list[LeftOut]:
    """Of stored ``(handoff_id, payload text)`` items, those DNC now, by handoff id.

    DNC now: the contact (as :data:`DNC_CONTACT`), or the number the payload carries.
    """
    carried: dict[int, tuple[int, str]] = {}
    for handoff_id, text in items:
        payload = json.loads(text)
        carried[handoff_id] = (int(payload["contact_id"]), payload.get("phone") or "")
    if not carried:
        return []
    contacts = sorted({contact for contact, _ in carried.values()})
    phones = sorted({phone for _, phone in carried.values() if phone})
    dnc_contacts = {
        row[0]
        for row in db.query(
            f"""SELECT c.id FROM contacts c
                WHERE c.id IN {db.dialect.ints_in("?")} AND {DNC_CONTACT}""",
            (json.dumps(contacts),),
        )
    }
    listed = {
        row[0]
        for row in db.query(
            f"SELECT phone FROM dnc_numbers WHERE phone IN {db.dialect.texts_in('?')}",
            (json.dumps(phones),),
        )
    }
    held = {
        handoff_id: (contact, phone)
        for handoff_id, (contact, phone) in sorted(carried.items())
        if contact in dnc_contacts or phone in listed
    }
    numbers = _listed_numbers(db, (contact for contact, _ in held.values()))
    return [
        _dnc(handoff_id, contact, sorted({*numbers.get(contact, ()), *{phone} & listed}))
        for handoff_id, (contact, phone) in held.items()
    ]


def in_flight_handoffs(handoff_ids: Collection[int], batches: tuple[int, ...]) -> list[LeftOut]:
    """The handoffs another export's webhook batches are still sending."""
    sending = ", ".join(str(batch) for batch in batches)
    return [
        LeftOut(handoff_id, None, IN_FLIGHT, f"webhook batch {sending} is still sending it")
        for handoff_id in sorted(handoff_ids)
    ]


def without(items: list[tuple[int, str]], left_out: list[LeftOut]) -> list[tuple[int, str]]:
    """``items`` minus the handoffs left out."""
    gone = {entry.handoff_id for entry in left_out}
    return [item for item in items if item[0] not in gone]
