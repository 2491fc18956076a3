"""The whole account: a contact's colleagues, and every contact of one account.

Contacts belong to accounts (``contacts.account_id``). The lead card shows the
colleagues most worth knowing about before the call (who holds one right now, who
has a meeting, who was called last); the account view lists them all, a page at a
time, with the account's total (an account may hold thousands of contacts).

Each list is one statement: the account's contacts are read through
``contacts_by_account``, ranked and cut to the page, and only the page's rows look
up their last call (``calls_by_contact``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from prospector.foundations.clock import from_db_or_none, to_db, to_db_or_none
from prospector.foundations.db import Database
from prospector.foundations.errors import NotFoundError
from prospector.foundations.limits import MAX_ID
from prospector.foundations.names import full_name

CARD_COLLEAGUES = 5
"""How many colleagues the lead card is given (it says how many more there are)."""

VIEW_PAGE = 500
"""How many contacts the account view lists at most (it says how many more)."""

_LIVE_CLAIM = (
    "c.claimed_by IS NOT NULL AND (c.claim_expires_at IS NULL OR c.claim_expires_at > :now)"
)

# Relevance for the rep about to call: a colleague held right now (two reps on one
# company), then one with a meeting set, then the most recently called, then the rest.
_RANK = f"""CASE WHEN {_LIVE_CLAIM} THEN 0 WHEN c.status = 'qualified' THEN 1 ELSE 2 END,
    c.last_dial_at IS NULL, c.last_dial_at DESC, c.id"""

_PAGE = f"""SELECT p.*, k.at AS call_at, k.disposition AS call_disposition, k.rep AS call_rep
FROM (SELECT c.id, c.first_name, c.last_name, c.title, c.status,
             CASE WHEN {_LIVE_CLAIM} THEN c.claimed_by END AS held_by,
             CASE WHEN {_LIVE_CLAIM} THEN c.claim_expires_at END AS held_until,
             count(*) OVER () AS total,
             row_number() OVER (ORDER BY {_RANK}) AS pos
      FROM contacts c
      WHERE c.account_id = {{account}} AND c.id <> :exclude
      ORDER BY pos LIMIT :n) p
LEFT JOIN calls k ON k.id = (SELECT l.id FROM calls l WHERE l.contact_id = p.id
                             ORDER BY l.at DESC, l.id DESC LIMIT 1)
ORDER BY p.pos"""


@dataclass(frozen=True)
class Colleague:
    """One contact of an account as the card and the account view show it.

    ``held_by`` is the rep holding it with a live lease (None: free); the last call
    is None when it was never called.
    """

    contact_id: int
    name: str
    title: str | None
    status: str
    last_call_at: datetime | None
    last_disposition: str | None
    last_rep: str | None
    held_by: str | None
    held_until: datetime | None

    def as_json(self) -> dict[str, Any]:
        """Plain values for ``--json`` output (times in UTC ISO 8601)."""
        return {
            "contact_id": self.contact_id,
            "name": self.name,
            "title": self.title,
            "status": self.status,
            "last_call": (
                {
                    "at": to_db_or_none(self.last_call_at),
                    "disposition": self.last_disposition,
                    "rep": self.last_rep,
                }
                if self.last_call_at is not None
                else None
            ),
            "held_by": self.held_by,
            "held_until": to_db_or_none(self.held_until),
        }


@dataclass(frozen=True)
class Colleagues:
    """The first contacts of an account by relevance, and how many there are in all."""

    shown: tuple[Colleague, ...]
    total: int

    @property
    def more(self) -> int:
        """How many are not in ``shown``."""
        return self.total - len(self.shown)


@dataclass(frozen=True)
class Account:
    """An account's own fields, for the account view's heading."""

    account_id: int
    name: str
    domain: str | None
    industry: str | None
    employees: int | None


@dataclass(frozen=True)
class AccountView:
    """An account and its contacts (the first ``VIEW_PAGE`` by relevance)."""

    account: Account
    contacts: Colleagues


NONE = Colleagues((), 0)


def _page(db: Database, account: str, params: dict[str, Any]) -> Colleagues:
    rows = db.query(_PAGE.format(account=account), params)
    shown = tuple(
        Colleague(
            contact_id=int(row["id"]),
            name=full_name(row["first_name"], row["last_name"]) or "(no name)",
            title=row["title"],
            status=row["status"],
            last_call_at=from_db_or_none(row["call_at"]),
            last_disposition=row["call_disposition"],
            last_rep=row["call_rep"],
            held_by=row["held_by"],
            held_until=from_db_or_none(row["held_until"]),
        )
        for row in rows
    )
    return Colleagues(shown, int(rows[0]["total"]) if rows else 0)


def colleagues(
    db: Database, contact_id: int, *, now: datetime, limit: int = CARD_COLLEAGUES
) -> Colleagues:
    """The other contacts of ``contact_id``'s account: the first ``limit`` by
    relevance, and their total (none for a contact without an account, or unknown)."""
    params = {
        "contact": contact_id,
        "exclude": contact_id,
        "now": to_db(now.astimezone(UTC)),
        "n": limit,
    }
    return _page(db, "(SELECT m.account_id FROM contacts m WHERE m.id = :contact)", params)


def account_view(
    db: Database, account_id: int, *, now: datetime, limit: int = VIEW_PAGE
) -> AccountView:
    """An account and its contacts, the first ``limit`` by relevance, with their total.

    Raises:
        NotFoundError: no such account.
    """
    row = (
        db.one(
            "SELECT id, name, domain, industry, employees FROM accounts WHERE id = ?",
            (account_id,),
        )
        if 0 < account_id <= MAX_ID
        else None
    )
    if row is None:
        raise NotFoundError(f"no account with id {account_id}")
    account = Account(int(row["id"]), row["name"], row["domain"], row["industry"], row["employees"])
    params = {"account": account_id, "exclude": 0, "now": to_db(now.astimezone(UTC)), "n": limit}
    return AccountView(account, _page(db, ":account", params))


def account_of(db: Database, contact_id: int) -> int | None:
    """The account ``contact_id`` belongs to (None: none).

    Raises:
        NotFoundError: no such contact.
    """
    row = db.one("SELECT account_id FROM contacts WHERE id = ?", (contact_id,))
    if row is None:
        raise NotFoundError(f"no contact with id {contact_id}")
    return None if row[0] is None else int(row[0])


def account_holder(
    db: Database, contact_id: int, *, rep: str, now: datetime
) -> tuple[str, int] | None:
    """Another rep holding (live lease) a contact of ``contact_id``'s account, and
    which contact: what ``calling.account_lock`` refuses a claim for. None: free."""
    row = db.one(
        """SELECT h.claimed_by, h.id FROM contacts m
           JOIN contacts h ON h.account_id = m.account_id AND h.id <> m.id
           WHERE m.id = :contact AND h.claimed_by IS NOT NULL AND h.claimed_by <> :rep
             AND (h.claim_expires_at IS NULL OR h.claim_expires_at > :now)
           ORDER BY h.id LIMIT 1""",
        {"contact": contact_id, "rep": rep, "now": to_db(now.astimezone(UTC))},
    )
    return None if row is None else (row[0], int(row[1]))
