"""Writing normalized rows: accounts, locales, contacts and their phones, in chunks.

Runs in the importing process only (SQLite has one writer). Rows are applied in
file order, each against the database as the rows before it left it:

* a row that names no known contact (nearly every row of a new list) becomes a
  new contact; its values arrive ready from the workers, and runs of such rows
  are inserted with one ``executemany`` (contacts, then their phones, the
  dialled one copied from its contact's row);
* any other row is matched (:mod:`.matching`: a personal phone, else email and
  name, else company phone and name) and merged, or inserted when the match
  said "another person".

To tell the two apart without a query, the writer holds every contact's numbers
and emails, and who holds each (:class:`.matching.KnownNumbers`: contacts are found
through these and their primary key), loaded once and kept up to date with
its own inserts and, whenever another connection has committed since its last
look (``db.dialect.data_version``), with the contacts inserted since (only imports
insert contacts, with ids above every existing one). Contact ids of new rows are
assigned here (``max(id) + 1`` onwards, inside the write transaction).

Duplicates: the first row of a file that names a contact updates every field it
fills; later rows of the same file naming the same contact only fill fields still
empty. That makes an import idempotent even when a file disagrees with itself:
importing it again changes nothing. A known contact gains the row's phones it
does not have (never one that is another contact's: that is skipped with a
warning); when it gains one, its phones are re-sorted by kind and the dialled
phone is the best one not marked bad, unless a rep holds the contact (the
dialled number does not change under a rep's hands).

DNC: a contact is DNC when any of its phones, of any kind, is on the list.

Warnings (a row's notes, and the writer's: a shared mailbox, a phone that is
another contact's) are collected as ``line N: text`` for the import's report.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database
from prospector.foundations.folding import contact_key
from prospector.services import fit, standby
from prospector.services.importing.accounts import Account, AccountBook
from prospector.services.importing.matching import (
    COMPANY,
    ChunkLookups,
    KnownNumbers,
    find_contact,
    merge_phones,
    switchboard_holders,
)
from prospector.services.importing.profiles import ProfileKeys
from prospector.services.importing.rows import INSERT_WIDTH, Reject, Row
from prospector.services.reports.cohorts import count_new_leads
from prospector.services.settings import Settings
from prospector.services.windows import Locale

CONTACT_FIELDS = (
    "first_name", "last_name", "title", "email", "state", "country", "postal_code", "source",
    "list_name", "external_id",
)  # fmt: skip
# The row's own values (Row's first INSERT_WIDTH fields), then what the writer decides.
INSERT_COLUMNS = (
    *Row._fields[:INSERT_WIDTH], "id", "account_id", "locale_id", "dnc", "filtered_by", "tier",
    "tier_rule", "tier_priority", "sla_due_at", "search_key",
)  # fmt: skip
LOOKUP_COLUMNS = (
    "id", "account_id", *CONTACT_FIELDS, "phone", "phone_raw", "phone_type", "phone_ext",
    "phone_bad", "locale_id", "filtered_by", "tier", "tier_rule", "tier_priority", "dnc",
    "import_batch_id", "claimed_by",
)  # fmt: skip
_NEW_ID = INSERT_COLUMNS.index("id")
_ACCOUNT = INSERT_COLUMNS.index("account_id")
_SOURCE = INSERT_COLUMNS.index("source")
_LIST = INSERT_COLUMNS.index("list_name")
_DNC = INSERT_COLUMNS.index("dnc")
_FILTERED = INSERT_COLUMNS.index("filtered_by")
_TIER = INSERT_COLUMNS.index("tier")
_LEAD_VALUES = tuple(map(itemgetter, (_ACCOUNT, _SOURCE, _LIST, _FILTERED, _TIER)))
_DIALLED = itemgetter(Row._fields.index("phone"))
_PHONE_COLUMNS = "contact_id, e164, raw, kind, extension, number_type, rank"
_PHONES_SQL = f"INSERT INTO contact_phones ({_PHONE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
_SELECT = f"SELECT {', '.join(LOOKUP_COLUMNS)} FROM contacts"


@dataclass
class Counts:
    read: int = 0
    inserted: int = 0
    updated: int = 0
    rejected: int = 0
    filtered: int = 0
    dnc: int = 0
    toll_free: int = 0  # rows whose dialled number is toll-free or non-geographic
    warnings: list[str] = field(default_factory=list)  # "line N: text", in file order

    def add(self, other: Counts) -> None:
        for name in ("read", "inserted", "updated", "rejected", "filtered", "dnc", "toll_free"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.warnings.extend(other.warnings)


@dataclass
class ContactWriter:
    """Upserts chunks of normalized rows into one database, for one import run."""

    db: Database
    settings: Settings
    now: datetime
    batch_id: int | None
    stamp: str = ""
    locales: dict[tuple[str, str, str], int] = field(default_factory=dict)
    dnc_numbers: set[str] = field(default_factory=set)
    known: KnownNumbers = field(default_factory=KnownNumbers)
    touched_contacts: set[int] = field(default_factory=set)
    start_max_id: int = 0
    next_id: int = 0
    last_matched: int | None = None  # the known contact the last merged row named

    def __post_init__(self) -> None:
        self.keys = ProfileKeys(self.settings)
        self.accounts = AccountBook(self.db, self.keys, "")
        self._no_account: dict[tuple, tuple] = {}
        self._classified: dict[tuple, fit.Classification] = {}
        self._tiers = {tier.name: tier for tier in self.settings.tiers}
        self._dialled_sql = (
            f"INSERT INTO contact_phones ({_PHONE_COLUMNS})"
            " SELECT id, phone, phone_raw, ?, phone_ext, phone_type, 0 FROM contacts"
            f" WHERE id IN {self.db.dialect.ints_in('?')}"
        )
        self.set_clock(self.now)
        self.start_max_id = _scalar(self.db, "SELECT coalesce(max(id), 0) FROM contacts")
        self._version = self._data_version()
        for row in self.db.query("SELECT zones, country, state, id FROM locales"):
            self.locales[(row[0], row[1], row[2])] = row[3]
        self._catch_up()

    def set_clock(self, now: datetime) -> None:
        """Write what follows as arriving at ``now`` (leads added one by one arrive apart)."""
        self.now = now
        self.stamp = self.accounts.stamp = to_db(now)
        # The team day the leads arrive on: reports count lead cohorts by it.
        self.received_day = now.astimezone(self.settings.team.zone).date().isoformat()
        # Every lead of an import arrives at one instant: a deadline per tier and locale.
        self._sla: dict[tuple[str, int], str] = {}
        # Constant columns are part of the statement, not bound per row.
        constants = {
            "status": "'open'",
            "next_call_at": f"'{self.stamp}'",
            "import_batch_id": "NULL" if self.batch_id is None else str(int(self.batch_id)),
            "created_at": f"'{self.stamp}'",
            "received_day": f"'{self.received_day}'",
            "updated_at": f"'{self.stamp}'",
        }
        # ``dnc`` arrives as a bool straight from a set lookup (no per-row conversion).
        marks = [self.db.dialect.flag("?") if name == "dnc" else "?" for name in INSERT_COLUMNS]
        self._insert_sql = (
            f"INSERT INTO contacts ({', '.join((*INSERT_COLUMNS, *constants))})"
            f" VALUES ({', '.join(marks + list(constants.values()))})"
        )

    def release(self) -> threading.Thread:
        """Let go of what the writer knows (every contact's numbers and emails, every
        account), freed on a thread of its own, which the caller joins. Freeing
        millions of objects takes half a second of a million-row import, while
        SQLite builds the deferred indexes without needing the interpreter: the two
        then overlap. The writer cannot write afterwards."""
        held = [self.known, self.accounts, self._no_account, self._classified]
        self.known = KnownNumbers()
        del self.accounts, self._no_account, self._classified
        thread = threading.Thread(target=held.clear, name="import-release")
        thread.start()
        return thread

    # --- what the database holds -------------------------------------------------

    def _data_version(self) -> Any:
        return self.db.dialect.data_version(self.db)

    def _catch_up(self) -> None:
        """Learn the accounts, contacts and DNC numbers others committed since our last look."""
        self.accounts.catch_up()
        self.known.catch_up(self.db)
        # Unopened standby lists: their new contacts are held out of the queue.
        self._standby = standby.holding(self.db, self.settings)
        self.dnc_numbers = {row[0] for row in self.db.query("SELECT phone FROM dnc_numbers")}

    # --- one chunk -------------------------------------------------------------

    def write_chunk(
        self,
        results: list[tuple],
        on_reject: Callable[[Reject], None],
        lines: Sequence[int],
    ) -> Counts:
        """Apply one chunk's rows and rejects, in order. Call inside ``db.write()``.

        ``lines`` are the rows' line numbers in the file (for warnings). Returns the
        chunk's counts.
        """
        version = self._data_version()
        if version != self._version:
            self._version = version
            self._catch_up()
        counts = Counts(read=len(results))
        self.next_id = max(
            self.next_id, _scalar(self.db, "SELECT coalesce(max(id), 0) FROM contacts")
        )
        known = self.known
        personal = known.personal
        emails, dnc_numbers = known.emails, self.dnc_numbers
        lookups = ChunkLookups(known)
        lookups.prefetch(self.db, _known_numbers(results, personal))
        by_domain, locales, no_account = self.accounts.by_domain, self.locales, self._no_account
        warnings = counts.warnings
        pending: list[tuple] = []
        dialled: defaultdict[str, list[int]] = defaultdict(list)  # kind -> new contacts
        new_phones: list[tuple] = []  # the new contacts' other phones
        inserted = filtered = dnc = toll = 0
        next_id = self.next_id
        for item, line in zip(results, lines, strict=True):
            if type(item) is Reject:
                counts.rejected += 1
                on_reject(item)
                continue
            # A new contact is the common case: kept to a few set and dict lookups.
            (first, last, title, email, phone, raw, kind, ext, state, country, postal, source,
             list_name, external_id, company_name, domain, _, _, _, locale, _, profile,
             row_phones, notes, toll_free, search_key) = item  # fmt: skip
            toll += toll_free
            if notes:
                warnings.extend(f"line {line}: {note}" for note in notes)
            if (email is not None and email in emails) or known.may_know(row_phones, first, last):
                if pending:
                    self._insert(pending, dialled, new_phones)
                    pending, new_phones = [], []
                    dialled = defaultdict(list)
                self.next_id = next_id
                row = Row._make(item)
                self._apply_known(row, line, lookups, counts)
                next_id = self.next_id
                continue
            if company_name is None:
                account = None
                decided = no_account.get(profile)
                if decided is None:
                    decided = no_account[profile] = self._decide(profile, None)
            else:
                account = by_domain.get(domain) if domain else None
                if account is None or not account.ready:
                    account = self.accounts.for_company(Row._make(item))
                decided = account.decided.get(profile)
                if decided is None:
                    decided = account.decided[profile] = self._decide(profile, account)
            locale_id = locales.get(locale)
            if locale_id is None:
                locale_id = self._locale(*locale)
            sla_due = self._sla.get((decided[1], locale_id))
            if sla_due is None:
                sla_due = self._deadline(decided[1], locale_id, locale)
            next_id += 1
            entry = row_phones[0]
            dialled[entry[2]].append(next_id)
            if len(row_phones) > 1:
                known.add_phones(row_phones, first, last, next_id)
                in_dnc = any(other[0] in dnc_numbers for other in row_phones)
                new_phones.extend(
                    (next_id, *other, rank) for rank, other in enumerate(row_phones[1:], 1)
                )
            else:
                if entry[2] == COMPANY:
                    known.add_company(entry[0], first, last, next_id)
                else:
                    personal[entry[0]] = next_id
                in_dnc = entry[0] in dnc_numbers
            pending.append(
                (first, last, title, email, phone, raw, kind, ext, state, country, postal, source,
                 list_name, external_id, next_id, account and account.id, locale_id, in_dnc,
                 *decided, sla_due, search_key)
            )  # fmt: skip
            if email is not None:
                emails[email] = next_id  # not in emails: see the hit test above
            inserted += 1
            filtered += decided[0] is not None
            dnc += in_dnc
        self.next_id = next_id
        if pending:
            self._insert(pending, dialled, new_phones)
        counts.inserted += inserted
        counts.filtered += filtered
        counts.dnc += dnc
        counts.toll_free += toll
        known.max_contact = max(known.max_contact, next_id)
        self.accounts.flush()
        # What the next chunk compares with: our own writes are not news to catch up on.
        self._version = self._data_version()
        return counts

    def _insert(
        self, rows: list[tuple], dialled: dict[str, list[int]], phones: list[tuple]
    ) -> None:
        """Insert new contacts and their phones: ``dialled`` names the contacts whose
        dialled phone (their first, rank 0) is of each kind, ``phones`` holds the others.

        A dialled phone's row is copied from its contact's in SQL, its kind the only
        value bound: binding its values again from Python took a quarter of the phones'
        insert (sqlite3 binds row by row, holding the interpreter).
        """
        self.accounts.flush()  # the lead counts below read the contacts' accounts
        self.db.conn.executemany(self._insert_sql, rows)
        for kind, ids in dialled.items():
            self.db.execute(self._dialled_sql, (kind, json.dumps(ids)))
        self.db.conn.executemany(_PHONES_SQL, phones)
        if self._standby:
            self._hold(rows)
        if self.batch_id is not None:  # without a batch (dry run) the insert trigger counts
            # Rows counted by what their lead counts need, in C: their accounts' values as
            # they stand, and their own.
            accounts, *own = (map(getter, rows) for getter in _LEAD_VALUES)
            segments = map(self.accounts.segments.__getitem__, accounts)
            count_new_leads(self.db, self.received_day, Counter(zip(segments, *own, strict=True)))

    def _hold(self, rows: list[tuple]) -> None:
        """Mark the new contacts of unopened standby lists (same transaction as the insert)."""
        held: dict[str, list[int]] = {}
        for row in rows:
            name = self._standby.get((row[_LIST] or "").casefold())
            if name is not None:
                held.setdefault(name, []).append(row[_NEW_ID])
        for name, ids in held.items():
            self.db.execute(
                "UPDATE contacts SET standby_list = ? WHERE id IN " + self.db.dialect.ints_in("?"),
                (name, json.dumps(ids)),
            )

    def _apply_known(self, row: Row, line: int, lookups: ChunkLookups, counts: Counts) -> None:
        """A row that may name a known contact: merge into it, or insert a new one."""
        match = find_contact(self.db, self.known, lookups, row)
        counts.warnings.extend(f"line {line}: {note}" for note in match.notes)
        if match.contact_id is None:
            self._insert_one(row, counts)
            return
        contact_id = self.last_matched = match.contact_id
        found = self.db.one(f"{_SELECT} WHERE id = ?", (contact_id,))
        assert found is not None
        current = dict(found)
        untouched = contact_id not in self.touched_contacts and contact_id <= self.start_max_id
        first_touch = untouched and not match.ambiguous
        # A contact this same batch inserted before an interruption counts as inserted
        # again, so a resumed run reports what an uninterrupted one would have.
        resumed = (
            untouched and self.batch_id is not None and current["import_batch_id"] == self.batch_id
        )
        changes = self._merge(current, row, first_touch=first_touch, names=not match.ambiguous)
        renamed = bool(changes.keys() & {"first_name", "last_name"})
        changes.update(self._merge_phones(current, row, line, match, lookups, counts))
        if renamed:  # its switchboards now name it by its new name too
            for entry in lookups.phones[contact_id]:
                if entry[2] == COMPANY:
                    self.known.add_company(entry[0], current["first_name"], current["last_name"])
        self.touched_contacts.add(contact_id)
        if changes:
            # The contact may move to an account this chunk created: it must exist first
            # (PostgreSQL checks the foreign key; SQLite's import does not).
            self.accounts.flush()
            assignments = ", ".join(f"{name} = ?" for name in changes)
            self.db.execute(
                f"UPDATE contacts SET {assignments}, updated_at = ? WHERE id = ?",
                (*changes.values(), self.stamp, contact_id),
            )
        if resumed:
            counts.inserted += 1  # inserted by this batch before an interruption
        else:
            counts.updated += 1
        counts.filtered += current["filtered_by"] is not None
        counts.dnc += current["dnc"]

    def _insert_one(self, row: Row, counts: Counts) -> None:
        record = self._new_contact(row)
        new_id = record[_NEW_ID]
        self._insert(
            [record],
            {row.phones[0][2]: [new_id]},
            [(new_id, *entry, rank) for rank, entry in enumerate(row.phones[1:], 1)],
        )
        self.known.add_phones(row.phones, row.first_name, row.last_name, new_id)
        if row.email is not None:
            self.known.add_email(row.email, new_id)
        counts.inserted += 1
        counts.filtered += record[_FILTERED] is not None
        counts.dnc += record[_DNC]

    # --- inserting and merging -------------------------------------------------

    def _new_contact(self, row: Row) -> tuple:
        """The insert values of a new contact (columns as :data:`INSERT_COLUMNS`)."""
        account = self.accounts.for_row(row)
        self.next_id += 1
        locale_id = self._locale(*row.locale)
        decided = self._decide(row.profile, account)
        return (
            *row[:INSERT_WIDTH],
            self.next_id,
            account.id if account else None,
            locale_id,
            int(any(entry[0] in self.dnc_numbers for entry in row.phones)),
            *decided,
            self._sla.get((decided[1], locale_id))
            or self._deadline(decided[1], locale_id, row.locale),
            row.search_key,
        )

    def _merge(
        self, current: dict[str, Any], row: Row, *, first_touch: bool, names: bool = True
    ) -> dict[str, Any]:
        """Apply a row's fields to a known contact (mutating ``current``); returns what changed.

        ``names`` False (a row whose phones are several contacts'): it names none of
        them, not even a nameless one, since names decide later email matches and
        another import of the same row would then find someone else.
        """
        wanted: dict[str, Any] = {name: getattr(row, name) for name in CONTACT_FIELDS}
        if not names:
            del wanted["first_name"], wanted["last_name"]
        account = self.accounts.for_row(row)
        if account is not None:
            wanted["account_id"] = account.id
        if row.fills_locale:
            wanted["locale_id"] = self._locale(*row.locale)
        changes: dict[str, Any] = {}
        for name, value in wanted.items():
            if value is None or current[name] == value:
                continue
            if first_touch or current[name] in (None, ""):
                changes[name] = value
        current.update(changes)
        if changes.keys() & {"first_name", "last_name", "email"}:
            changes["search_key"] = contact_key(
                current["first_name"], current["last_name"], current["email"]
            )
            if current["email"]:
                self.known.add_email(current["email"].lower(), current["id"])
        account = self.accounts.get(current["account_id"])
        result = self._classification_of(current, account)
        for name, value in (
            ("filtered_by", result.filtered_by),
            ("tier", result.tier),
            ("tier_rule", result.tier_rule),
            ("tier_priority", result.tier_priority),
        ):
            if current[name] != value:
                changes[name] = current[name] = value
        return changes

    def _merge_phones(
        self,
        current: dict[str, Any],
        row: Row,
        line: int,
        match: Any,
        lookups: ChunkLookups,
        counts: Counts,
    ) -> dict[str, Any]:
        """Give a known contact the row's new phones; returns the contact's changed columns."""
        contact_id = current["id"]
        lookups.fetch_phones(self.db, (contact_id,))
        phones = lookups.phones[contact_id]
        owners = match.owners
        unknown = [
            e[0] for e in row.phones if e[2] != COMPANY and e[0] not in owners
            and e[0] in self.known.personal
        ]  # fmt: skip
        if unknown:
            owners = {**owners, **lookups.owners_of(unknown)}
        switchboards = switchboard_holders(self.known, contact_id, row.phones)
        merged = merge_phones(contact_id, phones, row.phones, owners, switchboards)
        counts.warnings.extend(f"line {line}: {note}" for note in merged.notes)
        changes: dict[str, Any] = {}
        if merged.added:
            self.db.conn.executemany(_PHONES_SQL, merged.added)
            self.db.conn.executemany(
                "UPDATE contact_phones SET rank = ? WHERE contact_id = ? AND e164 = ?",
                merged.reranked,
            )
            entries = [added[1:6] for added in merged.added]
            self.known.add_phones(entries, current["first_name"], current["last_name"], contact_id)
            for entry in entries:
                if entry[2] != COMPANY:
                    lookups.owners[entry[0]] = contact_id
            best = merged.best
            if best is not None and current["claimed_by"] is None:
                dialled = {
                    "phone": best[0],
                    "phone_raw": best[1],
                    "phone_type": best[4],
                    "phone_ext": best[3],
                    "phone_bad": 0,
                }
                for name, value in dialled.items():
                    if current[name] != value:
                        changes[name] = current[name] = value
        if not current["dnc"] and any(phone[0] in self.dnc_numbers for phone in phones):
            changes["dnc"] = current["dnc"] = 1
        return changes

    # --- locales, classification -------------------------------------------------

    def _locale(self, zones: str, country: str | None, state: str | None) -> int:
        key = (zones, country or "", state or "")
        locale_id = self.locales.get(key)
        if locale_id is None:
            self.db.execute(
                "INSERT INTO locales (zones, country, state) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                key,
            )
            locale_id = _scalar(
                self.db, "SELECT id FROM locales WHERE zones = ? AND country = ? AND state = ?", key
            )
            self.locales[key] = locale_id
        return locale_id

    def _decide(self, profile: tuple, account: Account | None) -> tuple:
        """``(filtered_by, tier, tier_rule, tier_priority)`` of a new contact.

        ``profile`` is the row's own key; its account's industry and size win.
        """
        if account is not None:
            profile = (account.keys[0], *profile[1:6], account.keys[1])
        result = self._classify(profile)
        return (
            result.filtered_by,
            result.tier,
            result.tier_rule,
            result.tier_priority,
        )

    def _deadline(self, tier: str, locale_id: int, locale: tuple) -> str:
        """The first-touch deadline of this import's leads of ``tier`` in a locale."""
        zones, country, state = locale
        where = Locale(locale_id, tuple(zones.split()), country or "", state or "")
        due = to_db(fit.sla_deadline(self.now, self._tiers[tier], self.settings, where))
        self._sla[(tier, locale_id)] = due
        return due

    def _classification_of(
        self, current: dict[str, Any], account: Account | None
    ) -> fit.Classification:
        return self._classify(
            self.keys.key(
                account.industry if account else None,
                current["source"],
                current["country"],
                current["state"],
                current["list_name"],
                current["title"],
                account.employees if account else None,
            )
        )

    def _classify(self, key: tuple) -> fit.Classification:
        found = self._classified.get(key)
        if found is None:
            found = self._classified[key] = fit.classify(fit.Profile(*key), self.settings)
        return found


def _known_numbers(results: list[tuple], personal: dict[str, int]) -> set[str]:
    """The dialled numbers of ``results``' rows that are some contact's personal number:
    what a re-imported list's rows are found by (one C-level pass; a row known by
    another of its numbers is looked up as it comes)."""
    rows = results
    if Reject in map(type, results):
        rows = [item for item in results if type(item) is not Reject]
    return personal.keys() & set(map(_DIALLED, rows))


def _scalar(db: Database, sql: str, params: tuple = ()) -> int:
    row = db.one(sql, params)
    assert row is not None
    return int(row[0])
