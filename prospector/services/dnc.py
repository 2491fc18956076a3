"""The do-not-call list (DESIGN §4.1, §7): numbers that are never offered.

Numbers are normalized exactly as contacts' are (a :class:`PhoneBook` and the
team's default region), so ``(415) 555-2671`` on the list matches the contact
``+14155552671``. A contact is DNC when *any* of its phones (``contact_phones``,
a company switchboard included) is listed: the person may answer any of them.
Contacts carry a copy of the flag (``contacts.dnc``) for the queue's index; every
function here keeps the two in step, in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database
from prospector.foundations.errors import InputFileError, ProspectorError
from prospector.foundations.phones import PhoneBook, PhoneError
from prospector.services.settings import load_settings

# The contacts having a number among their phones, through contact_phones' two
# partial indexes (personal numbers, company numbers).
_HOLDERS = """SELECT contact_id FROM contact_phones WHERE kind <> 'company' AND e164 = :e164
    UNION SELECT contact_id FROM contact_phones WHERE kind = 'company' AND e164 = :e164
    UNION SELECT id FROM contacts WHERE phone = :e164"""


class InvalidNumberError(ProspectorError):
    """A number that is not a valid phone number."""


@dataclass(frozen=True)
class DncChange:
    """What an add or remove did."""

    numbers: int  # numbers newly listed (add) or unlisted (remove)
    contacts: int  # contacts whose flag changed
    already: int = 0  # numbers that were already in the requested state
    rejected: tuple[str, ...] = ()  # lines of a file that are not numbers
    phone: str | None = None  # the E.164 number, for a change of one number (remove)


def normalize_number(db: Database, raw: str, *, region: str | None = None) -> str:
    """E.164 for ``raw`` as contacts are normalized (default region from settings).

    Raises:
        InvalidNumberError: not a valid phone number.
    """
    return _e164(PhoneBook(), raw, (region or load_settings(db).team.default_region).upper())


def _e164(book: PhoneBook, raw: str, region: str) -> str:
    try:
        return book.normalize(raw, region).e164
    except PhoneError as error:
        raise InvalidNumberError(f"{raw!r}: not a valid phone number ({error})") from error


def is_dnc(db: Database, e164: str) -> bool:
    """True when the E.164 number is on the do-not-call list."""
    return db.one("SELECT 1 FROM dnc_numbers WHERE phone = ?", (e164,)) is not None


def add_dnc(
    db: Database,
    numbers: Iterable[str],
    *,
    actor: str,
    now: datetime,
    reason: str | None = None,
) -> DncChange:
    """Put numbers (raw text) on the list and flag their contacts; one transaction.

    Raises:
        InvalidNumberError: any number is invalid (then nothing is added).
    """
    book, region = PhoneBook(), load_settings(db).team.default_region
    pairs = [(_e164(book, raw, region), raw.strip()) for raw in numbers]
    with db.write():
        return add_dnc_in_transaction(db, pairs, actor=actor, now=now, reason=reason)


def add_dnc_in_transaction(
    db: Database,
    numbers: Iterable[tuple[str, str | None]],
    *,
    actor: str,
    now: datetime,
    reason: str | None = None,
) -> DncChange:
    """``add_dnc`` for callers already inside ``db.write()`` (e.g. logging a
    ``do_not_call`` call): ``numbers`` are ``(e164, raw text or None)`` pairs."""
    stamp = to_db(now)
    added = flagged = already = 0
    for e164, raw in numbers:
        cursor = db.execute(
            """INSERT INTO dnc_numbers (phone, phone_raw, reason, added_by, added_at)
               VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
            (e164, raw, reason, actor, stamp),
        )
        if cursor.rowcount:
            added += 1
        else:
            already += 1
        flagged += db.execute(
            f"UPDATE contacts SET dnc = 1, updated_at = :stamp"
            f" WHERE dnc = 0 AND id IN ({_HOLDERS})",
            {"stamp": stamp, "e164": e164},
        ).rowcount
    return DncChange(numbers=added, contacts=flagged, already=already)


def remove_dnc(db: Database, raw: str, *, actor: str, now: datetime) -> DncChange:
    """Take a number off the list, clear its contacts' flag, and audit it.

    Only contacts none of whose other phones is still listed are cleared. Contacts
    closed by a ``do_not_call`` call keep status ``dnc``: the person asked not to
    be called, whatever the list says now.

    Raises:
        InvalidNumberError: not a valid number.
    """
    e164 = normalize_number(db, raw)
    stamp = to_db(now)
    with db.write():
        removed = db.execute("DELETE FROM dnc_numbers WHERE phone = ?", (e164,)).rowcount
        if not removed:
            return DncChange(numbers=0, contacts=0, already=1, phone=e164)
        cleared = db.execute(
            f"""UPDATE contacts SET dnc = 0, updated_at = :stamp
                WHERE dnc = 1 AND status != 'dnc' AND id IN ({_HOLDERS})
                  AND NOT EXISTS (
                      SELECT 1 FROM contact_phones p JOIN dnc_numbers d ON d.phone = p.e164
                      WHERE p.contact_id = contacts.id)
                  AND NOT EXISTS (SELECT 1 FROM dnc_numbers d WHERE d.phone = contacts.phone)""",
            {"stamp": stamp, "e164": e164},
        ).rowcount
        db.execute(
            "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
            (
                stamp,
                actor,
                "dnc.remove",
                e164,
                f"raw {raw.strip()!r}; {cleared} contact(s) cleared",
            ),
        )
    return DncChange(numbers=1, contacts=cleared, phone=e164)


def import_dnc(db: Database, path: str | Path, *, actor: str, now: datetime) -> DncChange:
    """Add every number of a file: a CSV with a phone column, or one number a line.

    Lines that are not valid numbers are skipped and returned in ``rejected``
    (``"line N: reason"``); the valid ones are added in one transaction.

    Raises:
        InputFileError: missing, empty, binary or undecodable file.
    """
    # Imported here: the importing package is heavy, and log_call (through
    # add_dnc_in_transaction) brings this module onto the workbench's start-up path.
    from prospector.services.importing.columns import phone_columns as find_phone_columns
    from prospector.services.importing.formats import opened_list

    region = load_settings(db).team.default_region
    book = PhoneBook()
    pairs: list[tuple[str, str | None]] = []
    rejected: list[str] = []
    with opened_list(path) as table:  # also UTF-16 text and spreadsheets
        phone_columns = find_phone_columns(table.header)
        # No phone header: a plain list, and its first line is a number too.
        plain = not phone_columns
        column = phone_columns[0] if phone_columns else 0
        lines = [(1, table.header)] if plain else []
        for line, fields in [*lines, *table.rows()]:
            raw = fields[column].strip() if column < len(fields) else ""
            if not raw:
                continue
            try:
                pairs.append((book.normalize(raw, region).e164, raw))
            except PhoneError as error:
                rejected.append(f"line {line}: {error}")
    if not pairs and not rejected:
        raise InputFileError(f"{table.origin}: no numbers in the file")
    with db.write():
        change = add_dnc_in_transaction(
            db, pairs, actor=actor, now=now, reason=f"list {Path(path).name}"
        )
    return DncChange(change.numbers, change.contacts, change.already, tuple(rejected))
