"""Note drafts: what a rep is typing about a contact, saved while typing.

A draft is keyed by (rep, contact); saving replaces it, so the latest text wins.
It survives quitting and crashes because every save is its own committed write,
and it is cleared once the note has been saved with a call.
"""

from __future__ import annotations

from datetime import datetime

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database


def save_draft(db: Database, rep: str, contact_id: int, text: str, now: datetime) -> None:
    """Store ``text`` as ``rep``'s draft note on the contact (empty text removes it).

    Commits before returning: a draft acknowledged here survives a crash.
    """
    with db.write():
        if text.strip():
            db.execute(
                """INSERT INTO drafts (rep, contact_id, text, updated_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT (rep, contact_id)
                   DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at""",
                (rep, contact_id, text, to_db(now)),
            )
        else:
            db.execute("DELETE FROM drafts WHERE rep = ? AND contact_id = ?", (rep, contact_id))


def load_draft(db: Database, rep: str, contact_id: int) -> str | None:
    """The rep's saved draft on the contact, or None when there is none."""
    row = db.one("SELECT text FROM drafts WHERE rep = ? AND contact_id = ?", (rep, contact_id))
    return None if row is None else str(row["text"])


def clear_draft(db: Database, rep: str, contact_id: int) -> None:
    """Forget the rep's draft on the contact (after the note went into a call).

    Joins the caller's transaction when one is open, so it can commit with the call.
    """
    with db.write_or_join():
        db.execute("DELETE FROM drafts WHERE rep = ? AND contact_id = ?", (rep, contact_id))
