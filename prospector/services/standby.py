"""Standby lists: contacts held out of the queue until the floor runs low.

A ``[[lists]]`` entry with ``standby = true`` names a list whose contacts are not
offered until it opens. The importer (and ``add``, which writes through it) marks
each new contact of an unopened standby list with ``contacts.standby_list``, which
keeps it out of the new-lead index (schema 11), so ``next`` pays nothing for the
feature. Opening a list is one UPDATE that clears the mark, a ``standby_lists`` row
(whose primary key makes it happen once) and an audit-log entry saying when and why.

A contact already in the database when its row is imported again into a standby
list keeps its place in the queue: it is already being worked. A held contact a
rep finds by search and dials anyway is in play from then on (it leaves the new-lead
lane with its first attempt).

What decides *when* a list opens is the forecast's work left today
(:func:`prospector.services.forecast.refill`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from prospector.foundations.clock import from_db, to_db, to_db_or_none
from prospector.foundations.db import Database
from prospector.services.settings import ContactList, Settings


@dataclass(frozen=True)
class StandbyState:
    """One standby list: its settings, contacts still held, contacts in it, when it opened."""

    name: str
    order: int
    held: int
    contacts: int
    opened_at: datetime | None
    reason: str | None

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "order": self.order,
            "held": self.held,
            "contacts": self.contacts,
            "opened_at": to_db_or_none(self.opened_at),
            "reason": self.reason,
        }


def opened_lists(db: Database) -> dict[str, tuple[datetime, str]]:
    """Lists opened so far: name -> (when, why)."""
    return {
        row["name"]: (from_db(row["opened_at"]), row["reason"])
        for row in db.query("SELECT name, opened_at, reason FROM standby_lists")
    }


def unopened(db: Database, settings: Settings) -> list[ContactList]:
    """The standby lists not opened yet, in the order they open."""
    opened = {name.casefold() for name in opened_lists(db)}
    return [lst for lst in settings.standby_lists if lst.name.casefold() not in opened]


def holding(db: Database, settings: Settings) -> dict[str, str]:
    """Folded list name -> the standby list's name, for the lists that still hold contacts.

    The importer asks once per import; a list name in a row is matched ignoring case.
    """
    return {lst.name.casefold(): lst.name for lst in unopened(db, settings)}


def states(db: Database, settings: Settings) -> list[StandbyState]:
    """Every standby list of the settings, in order, with its counts and opening."""
    opened = {name.casefold(): value for name, value in opened_lists(db).items()}
    held = {
        row[0]: int(row[1])
        for row in db.query(
            "SELECT standby_list, count(*) FROM contacts WHERE standby_list IS NOT NULL"
            " GROUP BY standby_list"
        )
    }
    # Every list's contacts in one scan, its name matched as SQL folds it.
    names = db.dialect.texts_in("?")
    param = (json.dumps([lst.name for lst in settings.standby_lists]),)
    folded = {
        row[0]: row[1]
        for row in db.query(f"SELECT n.value, lower(n.value) FROM {names} AS n", param)
    }
    contacts = {
        row[0]: int(row[1])
        for row in db.query(
            f"""SELECT lower(list_name), count(*) FROM contacts
                WHERE lower(list_name) IN (SELECT lower(n.value) FROM {names} AS n)
                GROUP BY lower(list_name)""",
            param,
        )
    }
    result = []
    for lst in settings.standby_lists:
        when, why = opened.get(lst.name.casefold(), (None, None))
        count = contacts.get(folded.get(lst.name), 0)
        result.append(StandbyState(lst.name, lst.order, held.get(lst.name, 0), count, when, why))
    return result


def open_list(db: Database, name: str, *, now: datetime, actor: str, reason: str) -> int | None:
    """Open one standby list: release its contacts, record and audit it (inside a write).

    Returns how many contacts became callable; None, and nothing written, when it
    was already open (another process got there first).
    """
    stamp = to_db(now)
    added = db.execute(
        "INSERT INTO standby_lists (name, opened_at, opened_by, reason) VALUES (?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (name, stamp, actor, reason),
    ).rowcount
    if not added:
        return None
    released = db.execute(
        "UPDATE contacts SET standby_list = NULL, updated_at = ? WHERE standby_list = ?",
        (stamp, name),
    ).rowcount
    db.execute(
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        (stamp, actor, "standby.open", f"list:{name}", f"{released} contacts; {reason}"),
    )
    return int(released)
