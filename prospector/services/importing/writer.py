"""Writing normalized rows: accounts, locales, contacts, in chunk transactions.

Runs in the importing process only (SQLite has one writer). Per chunk it looks up
the contacts the chunk names (by E.164, then by email), decides insert or update,
and writes with ``executemany``. Contact ids of new rows are assigned here
(``max(id) + 1`` onwards, inside the write transaction), so a duplicate later in
the same file finds the contact an earlier row created without a query.

Duplicates: a contact is matched by phone first, else by email. The first row of
a file that names a contact updates every field it fills; later rows of the same
file naming the same contact only fill fields still empty. That makes an import
idempotent even when a file disagrees with itself: importing it again changes
nothing. An email match keeps the contact's phone (its call history and DNC flag
belong to that number).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database
from prospector.services import fit
from prospector.services.importing.rows import Reject, Row, company_key
from prospector.services.settings import Settings

CONTACT_FIELDS = (
    "first_name", "last_name", "title", "email", "state", "country", "source", "list_name",
)  # fmt: skip
INSERT_COLUMNS = (
    "id", "account_id", "first_name", "last_name", "title", "email", "phone", "phone_raw",
    "phone_type", "state", "country", "locale_id", "source", "list_name", "filtered_by", "tier",
    "tier_rule", "tier_priority", "dnc", "status", "next_call_at", "sla_due_at",
    "import_batch_id", "created_at", "received_day", "updated_at",
)  # fmt: skip
LOOKUP_COLUMNS = (
    "id", "account_id", "first_name", "last_name", "title", "email", "phone", "state",
    "country", "locale_id", "source", "list_name", "filtered_by", "tier", "tier_rule",
    "tier_priority", "dnc", "import_batch_id",
)  # fmt: skip
_INSERT_SQL = (
    f"INSERT INTO contacts ({', '.join(INSERT_COLUMNS)})"
    f" VALUES ({', '.join('?' for _ in INSERT_COLUMNS)})"
)
_LOOKUP_BATCH = 500
_insert_values = operator.itemgetter(*INSERT_COLUMNS)


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


@dataclass
class _Account:
    id: int
    name: str
    domain: str | None
    industry: str | None
    employees: int | None


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
    touched_contacts: set[int] = field(default_factory=set)
    touched_accounts: set[int] = field(default_factory=set)
    start_max_id: int = 0
    next_id: int = 0

    def __post_init__(self) -> None:
        self.stamp = to_db(self.now)
        # The team day the leads arrive on: reports count lead cohorts by it.
        self.received_day = self.now.astimezone(self.settings.team.zone).date().isoformat()
        for row in self.db.query("SELECT id, name, domain, industry, employees FROM accounts"):
            self._remember(_Account(*row))
        for row in self.db.query("SELECT zones, country, state, id FROM locales"):
            self.locales[(row[0], row[1], row[2])] = row[3]
        self.dnc_numbers = {row[0] for row in self.db.query("SELECT phone FROM dnc_numbers")}
        self.start_max_id = _scalar(self.db, "SELECT coalesce(max(id), 0) FROM contacts")
        self._classify = functools.lru_cache(maxsize=65536)(self._classify_uncached)
        self._sla = {
            tier.name: to_db(fit.sla_deadline(self.now, tier, self.settings))
            for tier in self.settings.tiers
        }
        self._canon = _Canonicalizer(self.settings)

    # --- one chunk -------------------------------------------------------------

    def write_chunk(
        self,
        results: list[Row | Reject],
        on_reject: Callable[[Reject], None],
    ) -> Counts:
        """Apply one chunk's rows. Call inside ``db.write()``; returns its counts."""
        counts = Counts(read=len(results))
        rows = [r for r in results if isinstance(r, Row)]
        for result in results:
            if isinstance(result, Reject):
                counts.rejected += 1
                on_reject(result)
        by_phone, by_email = self._lookup(rows)
        self.next_id = max(
            self.next_id, _scalar(self.db, "SELECT coalesce(max(id), 0) FROM contacts")
        )
        inserts: dict[int, dict[str, Any]] = {}
        updates: dict[int, dict[str, Any]] = {}
        for row in rows:
            current = by_phone.get(row.phone) or (by_email.get(row.email) if row.email else None)
            if current is None:
                record = self._new_contact(row)
                inserts[record["id"]] = record
                by_phone[row.phone] = record
                if row.email:
                    by_email.setdefault(row.email, record)
                counts.inserted += 1
                counts.filtered += record["filtered_by"] is not None
                counts.dnc += record["dnc"]
                continue
            contact_id = current["id"]
            first_touch = (
                contact_id not in self.touched_contacts and contact_id <= self.start_max_id
            )
            # A contact this same batch inserted before an interruption counts as inserted
            # again, so a resumed run reports what an uninterrupted one would have.
            resumed = (
                first_touch
                and self.batch_id is not None
                and current["import_batch_id"] == self.batch_id
            )
            changes = self._merge(current, row, first_touch=first_touch)
            self.touched_contacts.add(contact_id)
            if changes and contact_id not in inserts:
                updates.setdefault(contact_id, {}).update(changes)
            if resumed:
                counts.inserted += 1  # inserted by this batch before an interruption
            else:
                counts.updated += 1
            counts.filtered += current["filtered_by"] is not None
            counts.dnc += current["dnc"]
        if inserts:
            self.db.conn.executemany(_INSERT_SQL, map(_insert_values, inserts.values()))
        for contact_id, changes in updates.items():
            assignments = ", ".join(f"{name} = ?" for name in changes)
            self.db.execute(
                f"UPDATE contacts SET {assignments}, updated_at = ? WHERE id = ?",
                (*changes.values(), self.stamp, contact_id),
            )
        return counts

    def _lookup(self, rows: list[Row]) -> tuple[dict[str, dict], dict[str, dict]]:
        columns = ", ".join(LOOKUP_COLUMNS)
        by_phone: dict[str, dict] = {}
        by_email: dict[str, dict] = {}
        phones = list({row.phone for row in rows})
        for start in range(0, len(phones), _LOOKUP_BATCH):
            part = phones[start : start + _LOOKUP_BATCH]
            marks = ", ".join("?" * len(part))
            for found in self.db.query(
                f"SELECT {columns} FROM contacts WHERE phone IN ({marks})", tuple(part)
            ):
                by_phone[found["phone"]] = dict(found)
        emails = list({row.email for row in rows if row.email and row.phone not in by_phone})
        for start in range(0, len(emails), _LOOKUP_BATCH):
            part = emails[start : start + _LOOKUP_BATCH]
            marks = ", ".join("?" * len(part))
            for found in self.db.query(
                f"SELECT {columns} FROM contacts WHERE email COLLATE NOCASE IN ({marks})"
                " ORDER BY id",
                tuple(part),
            ):
                record = by_phone.get(found["phone"]) or dict(found)
                by_email.setdefault(found["email"].lower(), record)
        return by_phone, by_email

    # --- inserting and merging -------------------------------------------------

    def _new_contact(self, row: Row) -> dict[str, Any]:
        account = self._account(row)
        result = self._classification(row, account)
        self.next_id += 1
        tier = result.tier
        return {
            "id": self.next_id,
            "account_id": account.id if account else None,
            "first_name": row.first_name,
            "last_name": row.last_name,
            "title": row.title,
            "email": row.email,
            "phone": row.phone,
            "phone_raw": row.phone_raw,
            "phone_type": row.phone_type,
            "state": row.state,
            "country": row.country,
            "locale_id": self._locale(row.zones, row.country, row.state),
            "source": row.source,
            "list_name": row.list_name,
            "filtered_by": result.filtered_by,
            "tier": tier,
            "tier_rule": result.tier_rule,
            "tier_priority": result.tier_priority,
            "dnc": int(row.phone in self.dnc_numbers),
            "status": "open",
            "next_call_at": self.stamp,
            "sla_due_at": self._sla.get(tier),
            "import_batch_id": self.batch_id,
            "created_at": self.stamp,
            "received_day": self.received_day,
            "updated_at": self.stamp,
        }

    def _merge(self, current: dict[str, Any], row: Row, *, first_touch: bool) -> dict[str, Any]:
        """Apply a row to a known contact (mutating ``current``); returns what changed."""
        wanted: dict[str, Any] = {name: getattr(row, name) for name in CONTACT_FIELDS}
        account = self._account(row)
        if account is not None:
            wanted["account_id"] = account.id
        if row.fills_locale:
            wanted["locale_id"] = self._locale(row.zones, row.country, row.state)
        changes: dict[str, Any] = {}
        for name, value in wanted.items():
            if value is None or current[name] == value:
                continue
            if first_touch or current[name] in (None, ""):
                changes[name] = value
        current.update(changes)
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
        if row.company is None:
            return None
        account = self.by_domain.get(row.domain) if row.domain else None
        if account is None and row.name_key:
            for candidate in self.by_name.get(row.name_key, ()):
                if candidate.domain is None or row.domain is None:
                    account = candidate
                    break
        if account is None:
            cursor = self.db.execute(
                """INSERT INTO accounts (name, name_key, domain, industry, employees,
                       created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (row.company, row.name_key or "", row.domain, row.industry, row.employees,
                 self.stamp, self.stamp),
            )  # fmt: skip
            account = _Account(cursor.lastrowid or 0, row.company, row.domain, row.industry,
                               row.employees)  # fmt: skip
            self._remember(account)
            self.touched_accounts.add(account.id)
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
            if "domain" in changes:
                self.by_domain[account.domain or ""] = account
            assignments = ", ".join(f"{name} = ?" for name in changes)
            self.db.execute(
                f"UPDATE accounts SET {assignments}, updated_at = ? WHERE id = ?",
                (*changes.values(), self.stamp, account.id),
            )
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
                self.by_id[account_id] = found
        return found

    def _remember(self, account: _Account) -> None:
        if account.domain:
            self.by_domain[account.domain] = account
        key = company_key(account.name)
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

    def _classification(self, row: Row, account: _Account | None) -> fit.Classification:
        industry = account.industry if account else row.industry
        employees = account.employees if account else row.employees
        return self._classify(
            self._canon.key(
                industry, row.source, row.country, row.state, row.list_name, row.title, employees
            )
        )

    def _classification_of(
        self, current: dict[str, Any], account: _Account | None
    ) -> fit.Classification:
        return self._classify(
            self._canon.key(
                account.industry if account else None,
                current["source"],
                current["country"],
                current["state"],
                current["list_name"],
                current["title"],
                account.employees if account else None,
            )
        )

    def _classify_uncached(self, key: tuple) -> fit.Classification:
        return fit.classify(fit.Profile(*key), self.settings)


def _scalar(db: Database, sql: str, params: tuple = ()) -> int:
    row = db.one(sql, params)
    assert row is not None
    return int(row[0])


class _Canonicalizer:
    """Reduces a profile to what the fit rules and tiers can tell apart.

    Classifying is pure in the profile, but profiles are nearly all distinct
    (titles, head counts); the rules only see a value's membership in their lists,
    which words of ``title_contains`` a title holds, and which side of each
    threshold a head count falls. Mapping each profile to such a representative
    keeps every rule's answer and lets one cache entry serve many rows.
    """

    def __init__(self, settings: Settings) -> None:
        rules = [rule.when for rule in settings.fit_rules] + [tier.when for tier in settings.tiers]
        self.options = {
            name: {v.casefold() for when in rules for v in getattr(when, name)}
            for name in ("industry", "source", "country", "state", "list")
        }
        self.words = sorted({w.casefold() for when in rules for w in when.title_contains})
        thresholds = {when.employees_below for when in rules} | {
            when.employees_at_least for when in rules
        }
        self.thresholds = sorted(t for t in thresholds if t is not None)

    def _value(self, name: str, value: str | None) -> str | None:
        if value is None:
            return None
        folded = value.strip().casefold()
        return folded if folded in self.options[name] else "\x00"

    def key(
        self,
        industry: str | None,
        source: str | None,
        country: str | None,
        state: str | None,
        list_name: str | None,
        title: str | None,
        employees: int | None,
    ) -> tuple:
        if title is not None:
            folded = title.casefold()
            title = "|".join(word for word in self.words if word in folded)
        if employees is not None and self.thresholds:
            below = [t for t in self.thresholds if t <= employees]
            employees = below[-1] if below else self.thresholds[0] - 1
        return (
            self._value("industry", industry),
            self._value("source", source),
            self._value("country", country),
            self._value("state", state),
            self._value("list", list_name),
            title,
            employees,
        )
