"""A call's tags: the objections the prospect raised (``[[objections]]``).

The workbench collects them while the call is under way (``o`` and a key) and the
shell takes ``log --tag``; either way they are written by :func:`.calls.log_call`,
with the call, in its transaction. A call keeps each objection's label once.
"""

from __future__ import annotations

from collections.abc import Iterable

from prospector.foundations.db import Database
from prospector.services.settings import Settings


def objection_labels(settings: Settings, given: Iterable[str]) -> tuple[str, ...]:
    """The labels of the objections ``given`` by key or label, each once, in order.

    Raises:
        SettingsError: an objection the team's catalog does not have.
    """
    return tuple(dict.fromkeys(settings.objection(name).label for name in given))


def write_tags(db: Database, call_id: int, labels: Iterable[str]) -> None:
    """Tag the call ``call_id`` (inside the transaction that logs it)."""
    for label in labels:
        db.execute("INSERT INTO call_tags (call_id, tag) VALUES (?, ?)", (call_id, label))


def tags_of(db: Database, call_id: int) -> tuple[str, ...]:
    """The call's tags, in name order."""
    rows = db.query("SELECT tag FROM call_tags WHERE call_id = ? ORDER BY tag", (call_id,))
    return tuple(row["tag"] for row in rows)
