"""Finding a contact by what a rep remembers: id, phone, name, email or company.

The workbench's ``/`` and ``prospector search`` share these rules:

* ``123`` or ``#123`` is a contact id (when it fits one; longer numbers are not);
* a phone typed any usual way (``+44 131 496 0624``, ``0131 496 0624``,
  ``(212) 555-0100``, ``212.555.0100``) is read as dialled from the team's
  default region or from any country the team's contacts are in, and finds that
  exact E.164 number;
* a number that is a contact's id or phone finds that contact alone, at once (an
  index seek);
* anything else is looked for inside every contact (a scan: about 0.3 s for a
  million): a number's digits (without a trunk ``0``) inside the stored numbers,
  and the text inside the name, email or company, compared folded
  (:mod:`prospector.foundations.folding`: no case, no accents) and taken
  literally: ``%`` and ``_`` are characters, not wildcards.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from prospector.foundations.db import Database
from prospector.foundations.folding import fold
from prospector.foundations.limits import parse_id
from prospector.foundations.names import full_name
from prospector.foundations.phones import PhoneBook, PhoneError
from prospector.services.windows import current_settings

# Fewer digits than this match too many numbers to be worth a substring scan.
MIN_PHONE_DIGITS = 4
# SQLite virtual-machine steps between two questions to ``cancelled`` (~0.1 ms);
# PostgreSQL asks from a watcher thread instead (see PgConnection.set_progress_handler).
_CHECK_EVERY = 10_000
_PHONE_TEXT = re.compile(r"^\+?[\d\s().\-/]+$")


@dataclass(frozen=True)
class ContactMatch:
    """A search hit."""

    contact_id: int
    name: str
    company: str | None
    phone: str
    status: str

    def as_json(self) -> dict[str, object]:
        """Plain values for ``--json`` output."""
        return {
            "contact_id": self.contact_id,
            "name": self.name,
            "company": self.company,
            "phone": self.phone,
            "status": self.status,
        }


def search_contacts(
    db: Database,
    text: str,
    limit: int = 20,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> list[ContactMatch] | None:
    """Contacts that ``text`` names: those whose id or phone it is (the id first),
    when there are any; else every contact it is found in, by last and first name.

    Never raises for what a person can type: text that cannot be an id or a phone
    is simply searched as text.

    Args:
        cancelled: asked while the scan runs (a text search reads every contact:
            about 0.3 s for a million); when it answers True the scan stops and
            the result is None. The workbench passes "a newer keystroke came".
    """
    # A terminal can hand over undecodable bytes (surrogate escapes), and a paste a NUL:
    # no stored text holds either (PostgreSQL refuses NUL), so they become U+FFFD and
    # match nothing.
    needle = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd").strip()
    if not needle or limit < 1:
        return []
    contact_id = parse_id(needle.removeprefix("#"))
    phones: list[str] = []
    digits = ""
    if _PHONE_TEXT.match(needle):
        phones = _phone_candidates(db, needle)
        digits = "".join(ch for ch in needle if ch.isdigit())
        # A national number's trunk 0 is not part of its E.164 form (0131… → +44131…).
        if len(digits.lstrip("0")) >= MIN_PHONE_DIGITS:
            digits = digits.lstrip("0")
        if len(digits) < MIN_PHONE_DIGITS:
            digits = ""
    params: dict[str, object] = {
        "id": contact_id or -1,
        "digits": digits,
        "folded": fold(needle),
        "like": "%" + _escape_like(needle) + "%",
        "limit": limit,
    }
    params.update({f"phone{number}": phone for number, phone in enumerate(phones)})
    marks = ", ".join(f":phone{number}" for number in range(len(phones))) or "NULL"
    select = f"""SELECT c.id, c.first_name, c.last_name, c.phone, c.status, a.name AS company,
                  CASE WHEN c.id = :id THEN 0 WHEN c.phone IN ({marks}) THEN 1 ELSE 2 END AS rank
           FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id"""
    order = "ORDER BY rank, c.last_name, c.first_name, c.id LIMIT :limit"
    exact = f"WHERE c.id = :id OR c.phone IN ({marks})"
    if contact_id or phones:
        # Two index seeks. A number that is a contact's id or phone is the answer;
        # only when it is neither does the search look inside every contact.
        rows = db.query(f"{select} {exact} {order}", params)
        if rows:
            return _matches(rows)
    dialect = db.dialect
    full = "(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, ''))"
    scan = f"""{exact}
              OR (:digits != '' AND {dialect.contains("c.phone", ":digits")})
              OR {dialect.contains("c.search_key", ":folded")}
              OR (c.search_key IS NULL AND (
                    {dialect.like(full, ":like")} OR {dialect.like("c.email", ":like")}))
              OR c.account_id IN (
                    SELECT id FROM accounts WHERE {dialect.contains("search_key", ":folded")}
                    OR (search_key IS NULL AND {dialect.like("name", ":like")}))"""
    sql = f"{select} {scan} {order}"
    if cancelled is None:
        return _matches(db.query(sql, params))
    if cancelled():  # already replaced by a newer keystroke: no scan at all
        return None
    db.conn.set_progress_handler(cancelled, _CHECK_EVERY)
    try:
        return _matches(db.query(sql, params))
    except sqlite3.OperationalError:
        if cancelled():  # the handler stopped it ("interrupted")
            return None
        raise
    finally:
        db.conn.set_progress_handler(None, 0)


def _matches(rows: list[sqlite3.Row]) -> list[ContactMatch]:
    return [
        ContactMatch(
            contact_id=row["id"],
            name=full_name(row["first_name"], row["last_name"]) or "(no name)",
            company=row["company"],
            phone=row["phone"],
            status=row["status"],
        )
        for row in rows
    ]


def _phone_candidates(db: Database, text: str) -> list[str]:
    """The E.164 numbers ``text`` can be, dialled from the team's default region or
    from a country the team's contacts are in (a short list: locales are few)."""
    regions = [current_settings(db).team.default_region]
    regions += [
        row[0]
        for row in db.query("SELECT DISTINCT upper(country) FROM locales WHERE country != ''")
        if row[0] not in regions
    ]
    book, found = PhoneBook(), []
    for region in regions:
        try:
            e164 = book.normalize(text, region).e164
        except PhoneError:
            continue
        if e164 not in found:
            found.append(e164)
    return found


def _escape_like(text: str) -> str:
    """``text`` as a literal inside a LIKE pattern with ``ESCAPE '\\'``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
