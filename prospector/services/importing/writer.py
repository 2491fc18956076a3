"""Writing normalized rows: accounts, locales, contacts, in chunk transactions.

Runs in the importing process only (SQLite has one writer). Rows are applied in
file order, each against the database as the rows before it left it:

* a row whose phone and email no contact has (nearly every row of a new list)
  becomes a new contact; its values arrive ready from the workers, and runs of
  such rows are inserted with one ``executemany``;
* any other row is looked up (by E.164, then by email) and merged.

To tell the two apart without a query, the writer holds every phone and email in
``contacts``: loaded once, kept up to date with its own inserts, and, whenever
another connection has committed since its last look (``PRAGMA data_version``),
with the contacts inserted since (only imports insert contacts, with ids above
every existing one, and a contact's phone never changes). The email set may hold
more than the table does; a hit in it only means "look it up". Contact ids of new
rows are assigned here (``max(id) + 1`` onwards, inside the write transaction).

Duplicates: a contact is matched by phone first, else by email. The first row of
a file that names a contact updates every field it fills; later rows of the same
file naming the same contact only fill fields still empty. That makes an import
idempotent even when a file disagrees with itself: importing it again changes
nothing. An email match keeps the contact's phone (its call history and DNC flag
belong to that number).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database
from prospector.foundations.folding import contact_key, fold
from prospector.services import fit
from prospector.services.importing.profiles import ProfileKeys
from prospector.services.importing.rows import INSERT_WIDTH, PHONE, Reject, Row, company_key
from prospector.services.reports.cohorts import count_new_leads
from prospector.services.settings import Settings

CONTACT_FIELDS = (
    "first_name", "last_name", "title", "email", "state", "country", "source", "list_name",
)  # fmt: skip
# The row's own values (Row's first INSERT_WIDTH fields), then what the writer decides.
INSERT_COLUMNS = (
    *Row._fields[:INSERT_WIDTH], "id", "account_id", "locale_id", "dnc", "filtered_by", "tier",
    "tier_rule", "tier_priority", "sla_due_at", "search_key",
)  # fmt: skip
LOOKUP_COLUMNS = (
    "id", "account_id", "first_name", "last_name", "title", "email", "phone", "state",
    "country", "locale_id", "source", "list_name", "filtered_by", "tier", "tier_rule",
    "tier_priority", "dnc", "import_batch_id",
)  # fmt: skip
_LOOKUP_BATCH = 500
_NEW_ID = INSERT_COLUMNS.index("id")
_PHONES_SQL = """INSERT INTO contact_phones
    (contact_id, e164, raw, kind, extension, number_type, rank) VALUES (?, ?, ?, ?, ?, ?, ?)"""
_SELECT = f"SELECT {', '.join(LOOKUP_COLUMNS)} FROM contacts"


@dataclass
class Counts:
    read: int = 0
    inserted: int = 0
    updated: int = 0
    rejected: int = 0
    filtered: int = 0
    dnc: int = 0

    def add(self, other: Counts) -> None:
        for name in ("read", "inserted", "updated", "rejected", "filtered", "dnc"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(slots=True)
class _Account:
    id: int
    name: str
    domain: str | None
    industry: str | None
    employees: int | None
    # (industry, employees) as profile keys: what classifying its contacts needs.
    keys: tuple = ()
    # New contacts' decided columns by row profile, shared by accounts with these keys.
    decided: dict = field(default_factory=dict)
    # Touched by this run with every field filled: a later row can change nothing.
    ready: bool = False


@dataclass
class ContactWriter:
    """Upserts chunks of normalized rows into one database, for one import run."""

    db: Database
    settings: Settings
    now: datetime
    batch_id: int | None
    stamp: str = ""
    by_domain: dict[str, _Account] = field(default_factory=dict)
    by_name: dict[str, list[_Account]] = field(default_factory=dict)
    by_id: dict[int, _Account] = field(default_factory=dict)
    locales: dict[tuple[str, str, str], int] = field(default_factory=dict)
    dnc_numbers: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    touched_contacts: set[int] = field(default_factory=set)
    touched_accounts: set[int] = field(default_factory=set)
    start_max_id: int = 0
    next_id: int = 0

    def __post_init__(self) -> None:
        self.stamp = to_db(self.now)
        # The team day the leads arrive on: reports count lead cohorts by it.
        received_day = self.now.astimezone(self.settings.team.zone).date().isoformat()
        self.keys = ProfileKeys(self.settings)
        self._no_account: dict[tuple, tuple] = {}
        self._by_keys: dict[tuple, dict] = {}
        self._classified: dict[tuple, fit.Classification] = {}
        self._sla = {
            tier.name: to_db(fit.sla_deadline(self.now, tier, self.settings))
            for tier in self.settings.tiers
        }
        # Constant columns are part of the statement, not bound per row.
        constants = {
            "status": "'open'",
            "next_call_at": f"'{self.stamp}'",
            "import_batch_id": "NULL" if self.batch_id is None else str(int(self.batch_id)),
            "created_at": f"'{self.stamp}'",
            "received_day": f"'{received_day}'",
            "updated_at": f"'{self.stamp}'",
        }
        self._insert_sql = (
            f"INSERT INTO contacts ({', '.join((*INSERT_COLUMNS, *constants))})"
            f" VALUES ({', '.join(['?'] * len(INSERT_COLUMNS) + list(constants.values()))})"
        )
        self.start_max_id = _scalar(self.db, "SELECT coalesce(max(id), 0) FROM contacts")
        self._version = self._data_version()
        for row in self.db.query("SELECT zones, country, state, id FROM locales"):
            self.locales[(row[0], row[1], row[2])] = row[3]
        self._account_max = 0
        self._contact_max = 0
        self._catch_up()

    # --- what the database holds -------------------------------------------------

    def _data_version(self) -> int:
        return _scalar(self.db, "PRAGMA data_version")

    def _catch_up(self) -> None:
        """Learn the accounts, contacts and DNC numbers others committed since our last look."""
        for row in self.db.query(
            "SELECT id, name, domain, industry, employees FROM accounts WHERE id > ?",
            (self._account_max,),
        ):
            self._remember(_Account(*row))
            self._account_max = max(self._account_max, row[0])
        for contact_id, phone, email in self.db.execute(
            "SELECT id, phone, email FROM contacts WHERE id > ?", (self._contact_max,)
        ):
            self.phones.add(phone)
            if email:
                self.emails.add(email.lower())
            self._contact_max = max(self._contact_max, contact_id)
        self.dnc_numbers = {row[0] for row in self.db.query("SELECT phone FROM dnc_numbers")}

    # --- one chunk -------------------------------------------------------------

    def write_chunk(self, results: list[tuple], on_reject: Callable[[Reject], None]) -> Counts:
        """Apply one chunk's rows and rejects, in order. Call inside ``db.write()``.

        Returns the chunk's counts.
        """
        version = self._data_version()
        if version != self._version:
            self._version = version
            self._catch_up()
        counts = Counts(read=len(results))
        self.next_id = max(
            self.next_id, _scalar(self.db, "SELECT coalesce(max(id), 0) FROM contacts")
        )
        phones, emails, dnc_numbers = self.phones, self.emails, self.dnc_numbers
        records = self._prefetch(results)
        by_domain, locales, no_account = self.by_domain, self.locales, self._no_account
        pending: list[tuple] = []
        new_phones: list[tuple] = []
        inserted = filtered = dnc = 0
        next_id = self.next_id
        for item in results:
            if type(item) is Reject:
                counts.rejected += 1
                on_reject(item)
                continue
            # A new contact is the common case: kept to a few set and dict lookups.
            (first, last, title, email, phone, raw, kind, ext, state, country, postal, source,
             list_name, external_id, company, domain, _, _, _, locale, _, profile, row_phones,
             _, _) = item  # fmt: skip
            if phone in phones or (email is not None and email in emails):
                if pending:
                    self._insert(pending, new_phones)
                    pending, new_phones = [], []
                self.next_id = next_id
                self._apply_known(Row._make(item), records, counts)
                next_id = self.next_id
                continue
            if company is None:
                account = None
                decided = no_account.get(profile)
                if decided is None:
                    decided = no_account[profile] = self._decide(profile, None)
            else:
                account = by_domain.get(domain) if domain else None
                if account is None or not account.ready:
                    account = self._company_account(Row._make(item))
                decided = account.decided.get(profile)
                if decided is None:
                    decided = account.decided[profile] = self._decide(profile, account)
            locale_id = locales.get(locale)
            if locale_id is None:
                locale_id = self._locale(*locale)
            next_id += 1
            in_dnc = phone in dnc_numbers
            new_phones.extend((next_id, *entry, rank) for rank, entry in enumerate(row_phones))
            pending.append(
                (first, last, title, email, phone, raw, kind, ext, state, country, postal, source,
                 list_name, external_id, next_id, account and account.id, locale_id, in_dnc,
                 *decided, contact_key(first, last, email))
            )  # fmt: skip
            phones.add(phone)
            if email is not None:
                emails.add(email)
            inserted += 1
            filtered += decided[0] is not None
            dnc += in_dnc
        self.next_id = next_id
        if pending:
            self._insert(pending, new_phones)
        counts.inserted += inserted
        counts.filtered += filtered
        counts.dnc += dnc
        self._contact_max = max(self._contact_max, next_id)
        return counts

    def _insert(self, rows: list[tuple], phones: list[tuple]) -> None:
        self.db.conn.executemany(self._insert_sql, rows)
        self.db.conn.executemany(_PHONES_SQL, phones)
        if self.batch_id is not None:  # without a batch (dry run) the insert trigger counts
            count_new_leads(self.db, rows[0][_NEW_ID], rows[-1][_NEW_ID])

    def _prefetch(self, results: list[tuple]) -> dict[str, dict[str, Any]]:
        """The contacts of the chunk's known phones, in a few queries."""
        phones = self.phones
        known = list(
            {item[PHONE] for item in results if type(item) is not Reject and item[PHONE] in phones}
        )
        records: dict[str, dict[str, Any]] = {}
        for start in range(0, len(known), _LOOKUP_BATCH):
            part = known[start : start + _LOOKUP_BATCH]
            marks = ", ".join("?" * len(part))
            for found in self.db.query(f"{_SELECT} WHERE phone IN ({marks})", tuple(part)):
                records[found["phone"]] = dict(found)
        return records

    def _find(self, row: Row, records: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
        """The contact a row names (by phone, else by email), as the database has it now."""
        record = records.get(row.phone)
        if record is None and row.phone in self.phones:
            found = self.db.one(f"{_SELECT} WHERE phone = ?", (row.phone,))
            if found is not None:
                record = records[row.phone] = dict(found)
        if record is None and row.email and row.email in self.emails:
            for found in self.db.query(
                f"{_SELECT} WHERE email = ? COLLATE NOCASE ORDER BY id", (row.email,)
            ):
                if found["email"].lower() == row.email:
                    record = records.get(found["phone"])
                    if record is None:
                        record = records[found["phone"]] = dict(found)
                    break
        return record

    def _apply_known(self, row: Row, records: dict[str, dict[str, Any]], counts: Counts) -> None:
        """A row whose phone or email a contact may already have: merge, or insert."""
        current = self._find(row, records)
        if current is None:  # the email set only said "maybe"
            record = self._new_contact(row)
            self._insert(
                [record],
                [(record[_NEW_ID], *entry, rank) for rank, entry in enumerate(row.phones)],
            )
            self.phones.add(row.phone)
            counts.inserted += 1
            counts.filtered += record[INSERT_WIDTH + 4] is not None
            counts.dnc += record[INSERT_WIDTH + 3]
            return
        contact_id = current["id"]
        first_touch = contact_id not in self.touched_contacts and contact_id <= self.start_max_id
        # A contact this same batch inserted before an interruption counts as inserted
        # again, so a resumed run reports what an uninterrupted one would have.
        resumed = (
            first_touch
            and self.batch_id is not None
            and current["import_batch_id"] == self.batch_id
        )
        changes = self._merge(current, row, first_touch=first_touch)
        self.touched_contacts.add(contact_id)
        if changes:
            if changes.get("email"):
                self.emails.add(changes["email"].lower())
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

    # --- inserting and merging -------------------------------------------------

    def _new_contact(self, row: Row) -> tuple:
        """The insert values of a new contact (columns as :data:`INSERT_COLUMNS`)."""
        account = self._account(row)
        self.next_id += 1
        return (
            *row[:INSERT_WIDTH],
            self.next_id,
            account.id if account else None,
            self._locale(*row.locale),
            int(row.phone in self.dnc_numbers),
            *self._decide(row.profile, account),
            contact_key(row.first_name, row.last_name, row.email),
        )

    def _merge(self, current: dict[str, Any], row: Row, *, first_touch: bool) -> dict[str, Any]:
        """Apply a row to a known contact (mutating ``current``); returns what changed."""
        wanted: dict[str, Any] = {name: getattr(row, name) for name in CONTACT_FIELDS}
        account = self._account(row)
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
        if row.phone in self.dnc_numbers and not current["dnc"]:
            changes["dnc"] = current["dnc"] = 1
        account = self._account_by_id(current["account_id"])
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

    # --- accounts, locales, classification ---------------------------------------

    def _account(self, row: Row) -> _Account | None:
        return None if row.company is None else self._company_account(row)

    def _company_account(self, row: Row) -> _Account:
        """The account of a row that names a company: found (and filled in) or created."""
        account = self.by_domain.get(row.domain) if row.domain else None
        if account is None and row.name_key:
            for candidate in self.by_name.get(row.name_key, ()):
                if candidate.domain is None or row.domain is None:
                    account = candidate
                    break
        if account is None:
            cursor = self.db.execute(
                """INSERT INTO accounts (name, name_key, domain, industry, employees,
                       created_at, updated_at, search_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (row.company, row.name_key or "", row.domain, row.industry, row.employees,
                 self.stamp, self.stamp, fold(row.company or "")),
            )  # fmt: skip
            account = _Account(cursor.lastrowid or 0, row.company or "", row.domain, row.industry,
                               row.employees)  # fmt: skip
            self._account_max = max(self._account_max, account.id)
            self._remember(account, row.name_key)
            self.touched_accounts.add(account.id)
            account.ready = None not in (account.domain, account.industry, account.employees)
            return account
        first_touch = account.id not in self.touched_accounts
        self.touched_accounts.add(account.id)
        changes: dict[str, Any] = {}
        for name in ("industry", "employees", "domain"):
            value = getattr(row, name)
            old = getattr(account, name)
            if value is None or value == old or (not first_touch and old is not None):
                continue
            if name == "domain" and (old is not None or value in self.by_domain):
                continue
            changes[name] = value
        if changes:
            for name, value in changes.items():
                setattr(account, name, value)
            self._set_keys(account)
            if "domain" in changes:
                self.by_domain[account.domain or ""] = account
            assignments = ", ".join(f"{name} = ?" for name in changes)
            self.db.execute(
                f"UPDATE accounts SET {assignments}, updated_at = ? WHERE id = ?",
                (*changes.values(), self.stamp, account.id),
            )
        account.ready = None not in (account.domain, account.industry, account.employees)
        return account

    def _account_by_id(self, account_id: int | None) -> _Account | None:
        if account_id is None:
            return None
        found = self.by_id.get(account_id)
        if found is None:
            row = self.db.one(
                "SELECT id, name, domain, industry, employees FROM accounts WHERE id = ?",
                (account_id,),
            )
            found = _Account(*row) if row else None
            if found:
                self._set_keys(found)
                self.by_id[account_id] = found
        return found

    def _set_keys(self, account: _Account) -> None:
        account.keys = (
            self.keys.value("industry", account.industry),
            self.keys.employees(account.employees),
        )
        account.decided = self._by_keys.setdefault(account.keys, {})

    def _remember(self, account: _Account, name_key: str | None = None) -> None:
        self._set_keys(account)
        if account.domain:
            self.by_domain[account.domain] = account
        key = name_key if name_key is not None else company_key(account.name)
        if key:
            self.by_name.setdefault(key, []).append(account)
        self.by_id[account.id] = account

    def _locale(self, zones: str, country: str | None, state: str | None) -> int:
        key = (zones, country or "", state or "")
        locale_id = self.locales.get(key)
        if locale_id is None:
            self.db.execute(
                "INSERT OR IGNORE INTO locales (zones, country, state) VALUES (?, ?, ?)", key
            )
            locale_id = _scalar(
                self.db, "SELECT id FROM locales WHERE zones = ? AND country = ? AND state = ?", key
            )
            self.locales[key] = locale_id
        return locale_id

    def _decide(self, profile: tuple, account: _Account | None) -> tuple:
        """``(filtered_by, tier, tier_rule, tier_priority, sla_due_at)`` of a new contact.

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
            self._sla.get(result.tier),
        )

    def _classification_of(
        self, current: dict[str, Any], account: _Account | None
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


def _scalar(db: Database, sql: str, params: tuple = ()) -> int:
    row = db.one(sql, params)
    assert row is not None
    return int(row[0])
