"""The stored settings: one row, versioned, every change audited."""

from __future__ import annotations

from datetime import datetime

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database
from prospector.foundations.errors import SettingsError
from prospector.services.settings.model import Settings
from prospector.services.settings.parse import default_settings, parse_settings


def load_settings(db: Database) -> Settings:
    """The team's effective settings: the stored ones, else the shipped defaults.

    Raises:
        SettingsError: the stored settings no longer validate.
    """
    row = db.one("SELECT toml FROM settings WHERE id = 1")
    if row is None:
        return default_settings()
    try:
        return parse_settings(row["toml"], "stored settings")
    except SettingsError as error:
        # Stored by an older version with looser checks: say how to get out.
        raise SettingsError(f"{error} (correct it with `prospector settings load FILE`)") from None


def settings_version(db: Database) -> int:
    """A number that changes whenever the stored settings do (a cache key)."""
    row = db.one("SELECT version FROM settings WHERE id = 1")
    return 0 if row is None else int(row["version"])


def store_settings(db: Database, settings: Settings, *, actor: str, now: datetime) -> None:
    """Replace the stored settings, recording who did it in the audit log.

    Call inside ``db.write()`` so it commits with whatever follows from it.
    """
    stamp = to_db(now)
    db.execute(
        """INSERT INTO settings (id, toml, version, updated_at, updated_by)
           VALUES (1, :toml, 1, :at, :actor)
           ON CONFLICT (id) DO UPDATE SET toml = :toml, version = settings.version + 1,
               updated_at = :at, updated_by = :actor""",
        {"toml": settings.source_text, "at": stamp, "actor": actor},
    )
    db.execute(
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        (stamp, actor, "settings.load", "settings", None),
    )
