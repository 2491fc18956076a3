"""Which contact a row names (DESIGN §4.1): by a personal phone, else email and name,
else a company phone and name. And what a known contact gains from the row's phones.

A row names a known contact when

1. one of its *personal* phones (direct, work, mobile, other) is a personal phone
   of a contact: the contact of ``phones[0]`` when it has one, else the lowest id;
2. else its email is a contact's email (case-insensitive) *and* the names agree
   (first and last, case- and accent-folded). A mailbox is often shared
   (``info@acme.example``): another name behind it is another person, a new
   contact. A row and a contact that are both nameless agree (the email is all
   either says of the person); a nameless side and a named one do not;
3. else one of its company phones is a company phone of a contact with the same
   name: a row whose only number is a switchboard finds itself again on re-import
   (colleagues share the switchboard, so the name must agree).

:class:`KnownNumbers` holds, in memory, every personal number, every
(company number, name) pair and every email of the contacts, so that the common
row (a new person) is told apart with a few set lookups and no query. The sets
may hold more than the table (a contact renamed by a merge keeps its old pair):
a hit only means "look it up".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from prospector.foundations.db import Database
from prospector.foundations.folding import SEPARATOR, fold
from prospector.services.importing.rows import PHONE_KINDS, Row

COMPANY = "company"
KIND_ORDER = {kind: order for order, kind in enumerate(PHONE_KINDS)}
_BATCH = 500

PhoneEntry = tuple[str, str, str, str | None, str]
"""A row's phone: ``(e164, raw, kind, extension, number_type)``."""


def name_key(first: str | None, last: str | None) -> str:
    """A person's name as matching compares it: ``Müller`` and ``MULLER`` agree."""
    return f"{fold(first or '')}{SEPARATOR}{fold(last or '')}"


def display_name(first: str | None, last: str | None, contact_id: int) -> str:
    name = " ".join(part for part in (first, last) if part)
    return f"{name} (#{contact_id})" if name else f"#{contact_id}"


def unique_phones(phones: Iterable[PhoneEntry]) -> list[PhoneEntry]:
    """The phones without a repeated number (the first, in dial order, is kept)."""
    seen: dict[str, PhoneEntry] = {}
    for entry in phones:
        seen.setdefault(entry[0], entry)
    return list(seen.values())


@dataclass
class KnownNumbers:
    """Every contact's personal numbers, (company number, name) pairs and emails."""

    personal: set[str] = field(default_factory=set)
    company_numbers: set[str] = field(default_factory=set)
    company: set[tuple[str, str]] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    max_contact: int = 0

    def catch_up(self, db: Database) -> None:
        """Learn the contacts inserted since the last look (by anyone: ids only grow).

        Phones another connection adds to an older contact meanwhile are not seen;
        the unique index on personal numbers then stops the chunk, and the import
        is run again (see ``import_file``).
        """
        since = self.max_contact
        self.personal.update(
            row[0]
            for row in db.execute(
                "SELECT e164 FROM contact_phones WHERE contact_id > ? AND kind <> 'company'",
                (since,),
            )
        )
        for e164, first, last in db.execute(
            """SELECT p.e164, c.first_name, c.last_name FROM contact_phones p
               JOIN contacts c ON c.id = p.contact_id
               WHERE p.contact_id > ? AND p.kind = 'company'""",
            (since,),
        ):
            self.add_company(e164, first, last)
        for contact_id, email in db.execute(
            "SELECT id, email FROM contacts WHERE id > ?", (since,)
        ):
            if email:
                self.emails.add(email.lower())
            self.max_contact = max(self.max_contact, contact_id)

    def add_company(self, e164: str, first: str | None, last: str | None) -> None:
        self.company_numbers.add(e164)
        self.company.add((e164, name_key(first, last)))

    def add_phones(self, phones: Iterable[PhoneEntry], first: str | None, last: str | None) -> None:
        for entry in phones:
            if entry[2] == COMPANY:
                self.add_company(entry[0], first, last)
            else:
                self.personal.add(entry[0])

    def maybe_known(self, row: Row) -> bool:
        """False when no contact can be the row's person (no query needed)."""
        if row.email is not None and row.email in self.emails:
            return True
        for entry in row.phones:
            if entry[2] == COMPANY:
                if (
                    entry[0] in self.company_numbers
                    and (entry[0], name_key(row.first_name, row.last_name)) in self.company
                ):
                    return True
            elif entry[0] in self.personal:
                return True
        return False


@dataclass
class Match:
    """The contact a row names (``None``: a new contact), and what to tell the admin."""

    contact_id: int | None
    # The row's personal numbers that are already some contact's: number -> contact id.
    owners: dict[str, int]
    notes: list[str]


@dataclass
class ChunkLookups:
    """Owners of personal numbers and contacts' phones, fetched a chunk at a time.

    Re-importing a list makes every row a known one; reading their owners and phones
    in a few ``IN (...)`` queries per chunk keeps that as quick as a first import.
    The writer keeps these up to date with what it writes during the chunk.
    """

    owners: dict[str, int] = field(default_factory=dict)
    phones: dict[int, list[list[Any]]] = field(default_factory=dict)

    def prefetch(self, db: Database, numbers: Iterable[str]) -> None:
        wanted = list(dict.fromkeys(numbers))
        for start in range(0, len(wanted), _BATCH):
            part = wanted[start : start + _BATCH]
            marks = ", ".join("?" * len(part))
            self.owners.update(
                db.execute(
                    f"""SELECT e164, contact_id FROM contact_phones
                        WHERE kind <> 'company' AND e164 IN ({marks})""",
                    part,
                ).fetchall()
            )
        self.fetch_phones(db, set(self.owners.values()))

    def fetch_phones(self, db: Database, contact_ids: Iterable[int]) -> None:
        wanted = [cid for cid in contact_ids if cid not in self.phones]
        for start in range(0, len(wanted), _BATCH):
            part = wanted[start : start + _BATCH]
            for contact_id in part:
                self.phones[contact_id] = []
            marks = ", ".join("?" * len(part))
            for row in db.execute(
                f"""SELECT contact_id, e164, raw, kind, extension, number_type, rank, bad
                    FROM contact_phones WHERE contact_id IN ({marks}) ORDER BY contact_id, rank""",
                part,
            ):
                self.phones[row[0]].append(list(row[1:]))

    def owners_of(self, db: Database, numbers: list[str]) -> dict[str, int]:
        missing = [number for number in numbers if number not in self.owners]
        if missing:
            marks = ", ".join("?" * len(missing))
            self.owners.update(
                db.execute(
                    f"""SELECT e164, contact_id FROM contact_phones
                        WHERE kind <> 'company' AND e164 IN ({marks})""",
                    missing,
                ).fetchall()
            )
        return {number: self.owners[number] for number in numbers if number in self.owners}


def find_contact(
    db: Database, known: KnownNumbers, lookups: ChunkLookups, row: Row
) -> Match:
    """The contact ``row`` names, by the rules of this module."""
    personal = [e[0] for e in row.phones if e[2] != COMPANY and e[0] in known.personal]
    owners = lookups.owners_of(db, personal) if personal else {}
    if owners:
        first_owner = owners.get(row.phones[0][0])
        return Match(first_owner or min(owners.values()), owners, [])
    key = name_key(row.first_name, row.last_name)
    notes: list[str] = []
    if row.email is not None and row.email in known.emails:
        others = []
        for found in db.query(
            """SELECT id, first_name, last_name, email FROM contacts
               WHERE email = ? COLLATE NOCASE ORDER BY id""",
            (row.email,),
        ):
            if found["email"].lower() != row.email:
                continue
            if name_key(found["first_name"], found["last_name"]) == key:
                return Match(found["id"], owners, [])
            others.append(found)
        if others:
            other = others[0]
            who = display_name(other["first_name"], other["last_name"], other["id"])
            notes.append(f"shared mailbox {row.email}: a new contact, not {who}")
    company = [
        e[0]
        for e in row.phones
        if e[2] == COMPANY and e[0] in known.company_numbers and (e[0], key) in known.company
    ]
    if company:
        marks = ", ".join("?" * len(company))
        for found in db.query(
            f"""SELECT p.contact_id, c.first_name, c.last_name FROM contact_phones p
                JOIN contacts c ON c.id = p.contact_id
                WHERE p.kind = 'company' AND p.e164 IN ({marks}) ORDER BY p.contact_id""",
            tuple(company),
        ):
            if name_key(found["first_name"], found["last_name"]) == key:
                return Match(found["contact_id"], owners, [])
    return Match(None, owners, notes)


@dataclass
class PhoneMerge:
    """A known contact's phones after a row: what to insert and which ranks moved."""

    added: list[tuple]  # contact_phones insert values (contact_id, e164, raw, kind, ext, type, rank)
    reranked: list[tuple[int, int, str]]  # (rank, contact_id, e164) updates
    best: list[Any] | None  # the phone to dial now: [e164, raw, kind, ext, type, rank, bad]
    notes: list[str]


def merge_phones(
    contact_id: int,
    current: list[list[Any]],
    incoming: Iterable[PhoneEntry],
    owners: dict[str, int],
) -> PhoneMerge:
    """Add the row's phones the contact lacks; never take another contact's number.

    ``current`` (the contact's phones, in rank order) is updated in place. Ranks are
    re-sorted by kind only when a phone is added: otherwise a dial order chosen
    since (a switch, a wrong number) stays as it is.
    """
    have = {phone[0] for phone in current}
    notes: list[str] = []
    arrived: list[list[Any]] = []
    for e164, raw, kind, extension, number_type in incoming:
        if e164 in have:
            continue
        owner = owners.get(e164) if kind != COMPANY else None
        if owner is not None and owner != contact_id:
            notes.append(
                f"{kind} phone {raw} is contact #{owner}'s: not added to contact #{contact_id}"
            )
            continue
        have.add(e164)
        arrived.append([e164, raw, kind, extension, number_type, None, 0])
    if not arrived:
        return PhoneMerge([], [], None, notes)
    before = {phone[0]: phone[5] for phone in current}
    order = sorted(
        [*current, *arrived],
        key=lambda phone: (KIND_ORDER.get(phone[2], len(KIND_ORDER)), phone[5] is None),
    )
    reranked: list[tuple[int, int, str]] = []
    for rank, phone in enumerate(order):
        if phone[5] is not None and before[phone[0]] != rank:
            reranked.append((rank, contact_id, phone[0]))
        phone[5] = rank
    added = [(contact_id, *phone[:5], phone[5]) for phone in arrived]
    current[:] = order
    best = next((phone for phone in order if not phone[6]), None)
    return PhoneMerge(added, reranked, best, notes)
