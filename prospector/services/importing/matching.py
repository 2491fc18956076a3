"""Which contact a row names (DESIGN §4.1): by a personal phone, else email and name,
else a company phone and name. And what a known contact gains from the row's phones.

A row names a known contact when

1. one of its *personal* phones (direct, work, mobile, other) is a personal phone
   of a contact. When its phones name several contacts (a vendor mixed two people
   up), the row goes to the lowest id, and only fills that contact's empty fields
   (it may not be that person's row at all); a number of another contact is never
   moved (see :func:`merge_phones`). Not "the contact of ``phones[0]``", nor the
   one whose name agrees: only the lowest id is sure to be the contact the row
   found the first time it was imported (contacts a later row of the file
   created, or renamed, have higher ids), so a second import changes nothing;
2. else its email is a contact's email (case-insensitive) *and* the names agree.
   A mailbox is often shared (``info@acme.example``): another name behind it is
   another person, a new contact;
3. else one of its company phones is a company phone of a contact whose name
   agrees: a row whose only number is a switchboard finds itself again on
   re-import (colleagues share the switchboard, so the name must agree). A known
   contact gains a switchboard only while no other contact holds it (see
   :func:`merge_phones`).

Names agree (:func:`names_agree`) when first and last names, case- and
accent-folded (``Müller`` = ``MULLER``), are equal wherever both sides have one,
and they have at least one in common: ``Ann`` agrees with ``Ann Lee`` (vendors
often leave the last name out, and a later row of a file may have filled it in).
A row and a contact that are both nameless agree (the email or switchboard is
all either says of the person); a nameless side and a named one do not. Among
several contacts that agree, the one holding one of the row's own numbers wins
(the one the row found or created the first time), else the lowest id whose
name is the row's exactly, else the lowest id.

:class:`KnownNumbers` holds, in memory, every personal number, company number and
email of the contacts, so that the common row (a new person) is told apart with
a few set lookups and no query. The sets may hold more than the table: a hit
only means "look it up".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from prospector.foundations.db import Database
from prospector.foundations.folding import fold
from prospector.foundations.names import full_name
from prospector.services.importing.rows import PHONE_KINDS, Row

COMPANY = "company"
KIND_ORDER = {kind: order for order, kind in enumerate(PHONE_KINDS)}
_BATCH = 500

PhoneEntry = tuple[str, str, str, str | None, str]
"""A row's phone: ``(e164, raw, kind, extension, number_type)``."""


def _exactly(first: str | None, last: str | None) -> tuple[str, str]:
    return fold(first or ""), fold(last or "")


def names_agree(
    first: str | None, last: str | None, other_first: str | None, other_last: str | None
) -> bool:
    """Whether two (first, last) names may be the same person (see the module's rules)."""
    return folded_agree(_exactly(first, last), _exactly(other_first, other_last))


def folded_agree(name: tuple[str, str], other: tuple[str, str]) -> bool:
    """:func:`names_agree` of two names already folded by :func:`_exactly`."""
    mine, theirs = name[0] or name[1], other[0] or other[1]
    if not mine or not theirs:
        return not mine and not theirs  # nameless: only a nameless contact
    shared = [(a, b) for a, b in zip(name, other, strict=True) if a and b]
    return bool(shared) and all(a == b for a, b in shared)


def display_name(first: str | None, last: str | None, contact_id: int) -> str:
    name = full_name(first, last)
    return f"{name} (#{contact_id})" if name else f"#{contact_id}"


@dataclass
class KnownNumbers:
    """Every contact's numbers and emails: who holds each, and by what names.

    The importing writer finds contacts through these and their primary key alone:
    ``contact_phones``' indexes by number may be deferred for the length of a large
    import, as the contacts' email index may (see .indexes). Only import writers
    add phones, each in its write transaction. While the unique index on personal
    numbers is away, :meth:`catch_up` is the guard it was: it reads every phone
    again when another writer gave an older contact one since the last look.
    """

    personal: dict[str, int] = field(default_factory=dict)  # number -> its contact
    # Company number -> name tags of the contacts holding it (a switchboard names a
    # contact only with the name: colleagues share it). Tags only gain; see _tags.
    company: dict[str, set[str]] = field(default_factory=dict)
    holders: dict[str, list[int]] = field(default_factory=dict)  # company number -> contacts
    # email -> the first contact with it; further ones in shared_emails. Contacts are
    # found by email through these and their primary key: the email index may be
    # deferred for the length of a large import (see .indexes).
    emails: dict[str, int] = field(default_factory=dict)
    shared_emails: dict[str, list[int]] = field(default_factory=dict)
    max_contact: int = 0
    # The latest name's tags: (first, last, tags).
    _last_name: tuple = field(default=(0, 0, ()), repr=False)

    def add_email(self, email: str, contact_id: int) -> None:
        first = self.emails.setdefault(email, contact_id)
        if first != contact_id:
            more = self.shared_emails.setdefault(email, [])
            if contact_id not in more:
                more.append(contact_id)

    def with_email(self, email: str) -> list[int]:
        """Ids of the contacts that may have this email (check the row)."""
        first = self.emails.get(email)
        if first is None:
            return []
        return sorted({first, *self.shared_emails.get(email, ())})

    def catch_up(self, db: Database) -> None:
        """Learn the contacts inserted since the last look (by anyone: ids only grow),
        and every phone again if another writer gave an older contact one meanwhile."""
        since = self.max_contact
        if since and not self._complete(db):
            self.personal.clear()
            self.company.clear()
            self.holders.clear()
            since = 0
        self.personal.update(
            db.execute(
                """SELECT e164, contact_id FROM contact_phones
                   WHERE contact_id > ? AND kind <> 'company'""",
                (since,),
            ).fetchall()
        )
        for number, contact_id, first, last in db.execute(
            """SELECT p.e164, p.contact_id, c.first_name, c.last_name
               FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
               WHERE p.contact_id > ? AND p.kind = 'company'""",
            (since,),
        ):
            self.add_company(number, first, last, contact_id)
        for contact_id, email in db.execute(
            "SELECT id, email FROM contacts WHERE id > ?", (since,)
        ):
            if email:
                self.add_email(email.lower(), contact_id)
            self.max_contact = max(self.max_contact, contact_id)

    def _complete(self, db: Database) -> bool:
        """Whether every phone of the contacts up to ``max_contact`` is known here
        (``contact_phones`` only gains rows, and each is a personal number or a
        contact holding a company number)."""
        row = db.one(
            "SELECT count(*) FROM contact_phones WHERE contact_id <= ?", (self.max_contact,)
        )
        held = sum(map(len, self.holders.values()))
        return row is not None and row[0] == len(self.personal) + held

    def add_phones(
        self, phones: Iterable[PhoneEntry], first: str | None, last: str | None, contact_id: int
    ) -> None:
        """Contact ``contact_id``, named ``first last``, holds these phones."""
        for entry in phones:
            if entry[2] == COMPANY:
                self.add_company(entry[0], first, last, contact_id)
            else:
                self.personal[entry[0]] = contact_id

    def add_company(
        self, number: str, first: str | None, last: str | None, contact_id: int | None = None
    ) -> None:
        """A contact named ``first last`` holds company ``number`` (``contact_id``:
        newly; None: a holder renamed)."""
        self.company.setdefault(number, set()).update(self._name_tags(first, last))
        if contact_id is not None:
            self.holders.setdefault(number, []).append(contact_id)

    def may_know(self, phones: Iterable[PhoneEntry], first: str | None, last: str | None) -> bool:
        """Whether a row's phones may name a known contact (then look it up)."""
        for entry in phones:
            if entry[2] != COMPANY:
                if entry[0] in self.personal:
                    return True
                continue
            tags = self.company.get(entry[0])
            if tags and not tags.isdisjoint(self._name_tags(first, last)):
                return True
        return False

    def _name_tags(self, first: str | None, last: str | None) -> tuple[str, ...]:
        # A new row's switchboard is looked up, then added under the same name: fold once.
        if self._last_name[:2] != (first, last):
            self._last_name = (first, last, _tags(_exactly(first, last)))
        return self._last_name[2]


def _tags(name: tuple[str, str]) -> tuple[str, ...]:
    """Tags two names share whenever they agree (:func:`folded_agree`): a first or a
    last name both have, or both being nameless. Sharing one does not prove agreement:
    it only says "look it up"."""
    first, last = name
    if not first and not last:
        return ("",)
    return tuple(tag for tag in (first and "f" + first, last and "l" + last) if tag)


@dataclass
class Match:
    """The contact a row names (``None``: a new contact), and what to tell the admin."""

    contact_id: int | None
    # The row's personal numbers that are already some contact's: number -> contact id.
    owners: dict[str, int]
    notes: list[str]
    # The row's phones name several contacts: it only fills the chosen one's empty fields.
    ambiguous: bool = False


@dataclass
class ChunkLookups:
    """Owners of personal numbers (from :class:`KnownNumbers`) and contacts' phones
    (from the database), a chunk at a time.

    Re-importing a list makes every row a known one; reading their contacts' phones
    in a few ``IN (...)`` queries per chunk keeps that as quick as a first import.
    The writer keeps these up to date with what it writes during the chunk.
    """

    known: KnownNumbers
    owners: dict[str, int] = field(default_factory=dict)
    phones: dict[int, list[list[Any]]] = field(default_factory=dict)

    def prefetch(self, db: Database, numbers: Iterable[str]) -> None:
        self._load_owners(list(dict.fromkeys(numbers)))
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
                tuple(part),
            ):
                self.phones[row[0]].append(list(row[1:]))

    def owners_of(self, numbers: list[str]) -> dict[str, int]:
        self._load_owners([number for number in numbers if number not in self.owners])
        return {number: self.owners[number] for number in numbers if number in self.owners}

    def _load_owners(self, numbers: list[str]) -> None:
        """Who holds each of these personal numbers."""
        personal = self.known.personal
        self.owners.update((number, personal[number]) for number in numbers if number in personal)


def switchboard_holders(
    known: KnownNumbers, contact_id: int, phones: Iterable[PhoneEntry]
) -> dict[str, int]:
    """The row's switchboards that another contact already holds (see merge_phones)."""
    found = {}
    for entry in phones:
        if entry[2] == COMPANY:
            others = [held for held in known.holders.get(entry[0], ()) if held != contact_id]
            if others:
                found[entry[0]] = min(others)
    return found


def find_contact(db: Database, known: KnownNumbers, lookups: ChunkLookups, row: Row) -> Match:
    """The contact ``row`` names, by the rules of this module."""
    personal = [e[0] for e in row.phones if e[2] != COMPANY and e[0] in known.personal]
    owners = lookups.owners_of(personal) if personal else {}
    first, last = row.first_name, row.last_name
    if owners:
        ids = sorted(set(owners.values()))
        return Match(ids[0], owners, [], ambiguous=len(ids) > 1)
    notes: list[str] = []
    if row.email is not None and row.email in known.emails:
        others = []
        agree: list[Any] = []
        ids = known.with_email(row.email)
        for found in db.query(
            f"""SELECT id, first_name, last_name, email FROM contacts
                WHERE id IN ({", ".join("?" * len(ids))}) ORDER BY id""",
            tuple(ids),
        ):
            if (found["email"] or "").lower() != row.email:
                continue
            if names_agree(first, last, found["first_name"], found["last_name"]):
                agree.append(found)
            else:
                others.append(found)
        if agree:
            return Match(_best(db, agree, row), owners, [])
        if others:
            other = others[0]
            who = display_name(other["first_name"], other["last_name"], other["id"])
            notes.append(f"shared mailbox {row.email}: a new contact, not {who}")
    company = [
        e[0] for e in row.phones
        if e[2] == COMPANY and known.may_know([e], row.first_name, row.last_name)
    ]  # fmt: skip
    if company:
        ids = sorted({held for number in company for held in known.holders.get(number, ())})
        agree = [
            found
            for found in db.query(
                "SELECT id, first_name, last_name FROM contacts WHERE id IN "
                + db.dialect.ints_in("?")
                + " ORDER BY id",
                (json.dumps(ids),),
            )
            if names_agree(first, last, found["first_name"], found["last_name"])
        ]
        if agree:
            return Match(_best(db, agree, row), owners, [])
    return Match(None, owners, notes)


def _best(db: Database, agree: list[Any], row: Row) -> int:
    """Of the contacts (in id order) whose names agree with the row's, the one it names."""
    holding = _holding(db, [found["id"] for found in agree], row)
    if holding is not None:
        return holding
    name = _exactly(row.first_name, row.last_name)
    for found in agree:
        if _exactly(found["first_name"], found["last_name"]) == name:
            return int(found["id"])
    return int(agree[0]["id"])


def _holding(db: Database, contact_ids: list[int], row: Row) -> int | None:
    """Of several contacts the row agrees with, the first that has one of the row's
    own numbers, else its switchboard (the one a re-import must find again), if any."""
    if len(contact_ids) == 1:
        return None
    marks = ", ".join("?" * len(contact_ids))
    for personal in (True, False):
        numbers = [entry[0] for entry in row.phones if (entry[2] != COMPANY) == personal]
        if not numbers:
            continue
        found = db.one(
            f"""SELECT min(contact_id) FROM contact_phones WHERE contact_id IN ({marks})
                  AND e164 IN ({", ".join("?" * len(numbers))})""",
            (*contact_ids, *numbers),
        )
        if found is not None and found[0] is not None:
            return int(found[0])
    return None


@dataclass
class PhoneMerge:
    """A known contact's phones after a row: what to insert and which ranks moved."""

    added: list[
        tuple
    ]  # contact_phones insert values (contact_id, e164, raw, kind, ext, type, rank)
    reranked: list[tuple[int, int, str]]  # (rank, contact_id, e164) updates
    best: list[Any] | None  # the phone to dial now: [e164, raw, kind, ext, type, rank, bad]
    notes: list[str]


def merge_phones(
    contact_id: int,
    current: list[list[Any]],
    incoming: Iterable[PhoneEntry],
    owners: dict[str, int],
    switchboards: dict[str, int] | None = None,
) -> PhoneMerge:
    """Add the row's phones the contact lacks; never take another contact's number.

    ``switchboards`` maps a switchboard to another contact already holding it: it is
    not added either. Colleagues each keep the switchboard they arrived with, but a
    known contact gains one only while nobody else has it: the set of a
    switchboard's holders then only grows by new contacts, so a second import makes
    the same choices as the first, whatever names later rows filled in meanwhile
    (a row naming only the switchboard and a name finds the same contacts).

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
        owner = owners.get(e164) if kind != COMPANY else (switchboards or {}).get(e164)
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
