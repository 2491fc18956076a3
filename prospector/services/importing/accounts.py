"""The accounts an import writes under: found by domain or name, filled in, or created.

Runs in the importing process, beside :mod:`.writer`. Every account is held in
memory (accounts are few next to contacts), kept up to date with the book's own
inserts and, through :meth:`AccountBook.catch_up`, with other connections'.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from prospector.foundations.db import Database
from prospector.foundations.folding import fold
from prospector.services.importing.profiles import ProfileKeys
from prospector.services.importing.rows import Row, company_key
from prospector.services.reports.segments import stored_band


@dataclass(slots=True)
class Account:
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
class AccountBook:
    """Accounts by domain, name key and id, for one import run."""

    db: Database
    keys: ProfileKeys
    stamp: str
    by_domain: dict[str, Account] = field(default_factory=dict)
    by_name: dict[str, list[Account]] = field(default_factory=dict)
    by_id: dict[int, Account] = field(default_factory=dict)
    touched: set[int] = field(default_factory=set)
    # Decided columns shared by accounts with the same profile keys.
    by_keys: dict[tuple, dict] = field(default_factory=dict)
    # Id -> (industry, employee band) as lead counts store them, as the account stands.
    segments: dict[int | None, tuple[str, str]] = field(default_factory=lambda: {None: ("", "")})
    max_id: int = 0
    # New accounts not written yet: inserted together by flush(), before anything
    # reads or updates them (ids are assigned here, inside the write transaction).
    pending: list[tuple] = field(default_factory=list)

    def flush(self) -> None:
        """Write the accounts created since the last flush."""
        if self.pending:
            self.db.conn.executemany(
                """INSERT INTO accounts (id, name, name_key, domain, industry, employees,
                       created_at, updated_at, search_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                self.pending,
            )
            self.pending = []

    def catch_up(self) -> None:
        """Learn the accounts committed since the last look."""
        self.flush()
        for row in self.db.query(
            "SELECT id, name, domain, industry, employees FROM accounts WHERE id > ?",
            (self.max_id,),
        ):
            self._remember(Account(*row))
            self.max_id = max(self.max_id, row[0])

    def for_row(self, row: Row) -> Account | None:
        return None if row.company is None else self.for_company(row)

    def for_company(self, row: Row) -> Account:
        """The account of a row that names a company: found (and filled in) or created.

        The first row of the run naming an account sets the fields it fills; later
        rows only fill empty ones (an import is idempotent even when a file
        disagrees with itself).
        """
        account = self.by_domain.get(row.domain) if row.domain else None
        if account is None and row.name_key:
            for candidate in self.by_name.get(row.name_key, ()):
                if candidate.domain is None or row.domain is None:
                    account = candidate
                    break
        if account is None:
            return self._create(row)
        first_touch = account.id not in self.touched
        self.touched.add(account.id)
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
            self.flush()
            self.db.execute(
                f"UPDATE accounts SET {assignments}, updated_at = ? WHERE id = ?",
                (*changes.values(), self.stamp, account.id),
            )
        account.ready = None not in (account.domain, account.industry, account.employees)
        return account

    def _create(self, row: Row) -> Account:
        self.max_id += 1
        account = Account(self.max_id, row.company or "", row.domain, row.industry, row.employees)
        self.pending.append(
            (account.id, row.company, row.name_key or "", row.domain, row.industry,
             row.employees, self.stamp, self.stamp, fold(row.company or ""))
        )  # fmt: skip
        self._remember(account, row.name_key)
        self.touched.add(account.id)
        account.ready = None not in (account.domain, account.industry, account.employees)
        return account

    def get(self, account_id: int | None) -> Account | None:
        if account_id is None:
            return None
        found = self.by_id.get(account_id)
        if found is None:
            row = self.db.one(
                "SELECT id, name, domain, industry, employees FROM accounts WHERE id = ?",
                (account_id,),
            )
            found = Account(*row) if row else None
            if found:
                self._set_keys(found)
                self.by_id[account_id] = found
        return found

    def _set_keys(self, account: Account) -> None:
        account.keys = (
            self.keys.value("industry", account.industry),
            self.keys.employees(account.employees),
        )
        account.decided = self.by_keys.setdefault(account.keys, {})
        self.segments[account.id] = (account.industry or "", stored_band(account.employees))

    def _remember(self, account: Account, name_key: str | None = None) -> None:
        self._set_keys(account)
        if account.domain:
            self.by_domain[account.domain] = account
        key = name_key if name_key is not None else company_key(account.name)
        if key:
            self.by_name.setdefault(key, []).append(account)
        self.by_id[account.id] = account
