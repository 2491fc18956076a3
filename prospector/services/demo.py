"""The demo database: six weeks of a team's history, and the shipped demo list and DNC
numbers ready to call.

``prospector demo`` builds it once: the history (:mod:`.demo_history`, drawn from a
fixed seed), then the lists shipped in the package (``prospector/data/``, read with
:mod:`importlib.resources` so an installed wheel has them), imported at the demo's
start: the next weekday 10:00 in New York when it is built, so whoever runs it, at
night or on a weekend, sees callable leads.

The database remembers that it is a demo and its start; every command on it without
``--at`` runs on the demo's clock (:mod:`.demo_clock`).
``prospector demo --lists DIR`` hands the same lists to the user, to import by hand.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from datetime import datetime, time, timedelta
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from zoneinfo import ZoneInfo

from prospector.foundations.clock import to_db
from prospector.foundations.db import POSTGRES_URL, open_database, without_password
from prospector.foundations.errors import ProspectorError
from prospector.services.demo_clock import DEMO_CLOCK_KEY
from prospector.services.demo_history import build_history
from prospector.services.dnc import import_dnc
from prospector.services.importing import import_file

DATA: Traversable = files("prospector") / "data"
DEMO_CONTACTS = DATA / "demo_accounts_contacts.csv"
DEMO_DNC = DATA / "demo_dnc.txt"
DEMO_LISTS = (DEMO_CONTACTS, DEMO_DNC)
NEW_YORK = ZoneInfo("America/New_York")
DEMO_REP = "demo"


def demo_start(now: datetime | None = None) -> datetime:
    """The next weekday 10:00 America/New_York at or after ``now`` (default: the real now)."""
    local = (now or datetime.now(NEW_YORK)).astimezone(NEW_YORK)
    day = local.date()
    candidate = datetime.combine(day, time(10), NEW_YORK)
    if candidate < local:
        day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(10), NEW_YORK)


def build_demo(db_path: str | os.PathLike[str], *, now: datetime, history: bool = True) -> Path:
    """Create the demo database at ``db_path`` unless it already exists.

    Writes the six weeks of history before ``now`` (unless ``history`` is False),
    then imports the demo list (each row's own lead source) and the demo DNC list
    as of ``now``, and records ``now`` as the demo's start. Built under a temporary
    name and renamed, so an interrupted build leaves nothing that looks finished.
    Returns the path.

    Raises:
        ProspectorError: ``db_path`` is a PostgreSQL URL (the demo is an SQLite file).
    """
    name = os.fspath(db_path)
    if POSTGRES_URL.match(name):
        # The demo is a throwaway file; a team database is never filled with demo rows.
        raise ProspectorError(
            f"{without_password(name)}: the demo builds an SQLite file of its own; for"
            " PostgreSQL, write the demo lists with `prospector demo --lists DIR` and import them"
        )
    target = Path(db_path)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".demo-build-") as work:
        building = Path(work) / target.name
        # Copies: the import writes its rejects file beside its input, and package
        # data may not be a writable folder (or a folder at all).
        contacts, dnc = _copy_lists(Path(work))
        with open_database(building) as db:
            # A file nobody uses until it is renamed: no sync per transaction (the
            # history commits hundreds); synced once before the rename.
            db.execute("PRAGMA synchronous = OFF")
            if history:
                build_history(db, start=now, folder=Path(work), taken=_list_phones(contacts))
            import_file(db, contacts, now=now, rep=DEMO_REP)
            import_dnc(db, dnc, actor=DEMO_REP, now=now)
            with db.write():
                db.execute(
                    "INSERT INTO prospector_meta (key, value) VALUES (?, ?)",
                    (DEMO_CLOCK_KEY, to_db(now)),
                )
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{building}{suffix}")
        os.replace(building, target)
    return target


def write_demo_lists(folder: str | os.PathLike[str]) -> list[Path]:
    """Write the demo contact list and DNC list into ``folder`` (created if missing).

    Returns the paths written. Existing files of the same names are replaced.

    Raises:
        ProspectorError: ``folder`` cannot be created or written to.
    """
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise ProspectorError(f"{target}: not a folder (the demo lists go into a folder)")
    try:
        target.mkdir(parents=True, exist_ok=True)
        return _copy_lists(target)
    except OSError as error:
        raise ProspectorError(
            f"{target}: cannot write the demo lists there ({error.strerror})"
        ) from None


def _list_phones(contacts: Path) -> set[str]:
    """The demo list's numbers (their last 10 digits)."""
    with contacts.open(encoding="utf-8", newline="") as handle:
        numbers = (
            "".join(ch for ch in row["Phone"] if ch.isdigit()) for row in csv.DictReader(handle)
        )
        return {number[-10:] for number in numbers}


def _copy_lists(folder: Path) -> list[Path]:
    written = []
    for source in DEMO_LISTS:
        path = folder / source.name
        path.write_bytes(source.read_bytes())
        written.append(path)
    return written
