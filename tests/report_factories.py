"""Report test data written by the real services, one call each.

* :func:`import_leads` / :func:`add_contact`: a small CSV file beside the test
  database, through ``importing.import_file`` at the instant the leads arrive (so
  ``created_at``, tier and SLA deadline are the importer's). A lead said to be on
  the DNC list is put there first with ``dnc.add_dnc``, as a team would.
* :func:`log`: ``calls.log_call`` at a pinned instant.
* :func:`qualify`: ``handoffs.qualify``.
* :func:`answer`: the CRM's answer with stage, amount and close date (schema 7).
* :func:`ack`: the CRM's answer as ``handoffs ack`` reads it: the pending
  handoffs are exported first (``export_pending``, csv), then a one-row answer
  file goes through ``ack_handoffs``.

Files are written under ``<database folder>/factory/``, so each test's data stays
in its own ``tmp_path`` (on PostgreSQL, in a temporary folder of the database's own).
"""

from __future__ import annotations

import atexit
import csv
import itertools
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from prospector.foundations.clock import to_db
from prospector.foundations.db import POSTGRES_URL, Database
from prospector.services.calls import log_call
from prospector.services.dnc import add_dnc
from prospector.services.export.runner import export_pending
from prospector.services.handoffs import ack_handoffs
from prospector.services.handoffs import qualify as qualify_contact
from prospector.services.importing import ImportResult, import_file

_phones = itertools.count(2125550000)
_files = itertools.count(1)
COLUMNS = (
    "first_name",
    "last_name",
    "phone",
    "state",
    "country",
    "company",
    "industry",
    "employees",
    "title",
    "source",
    "list_name",
)


def _folder(db: Database) -> Path:
    if POSTGRES_URL.match(db.path):
        # No folder holds a PostgreSQL database: one temporary folder per database.
        if db.path not in _pg_folders:
            _pg_folders[db.path] = Path(tempfile.mkdtemp(prefix="factory."))
            atexit.register(shutil.rmtree, _pg_folders[db.path], True)
        return _pg_folders[db.path]
    folder = Path(db.path).parent / "factory"
    folder.mkdir(exist_ok=True)
    return folder


_pg_folders: dict[str, Path] = {}


def _write_csv(path: Path, header: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if row.get(name) is None else row[name] for name in header])


def lead(
    *,
    source: str | None = None,
    list_name: str | None = None,
    industry: str | None = None,
    employees: int | None = None,
    title: str | None = None,
    dnc: bool = False,
) -> dict[str, Any]:
    """One CSV row for :func:`import_leads`: a New York contact with a fresh number.

    A company (unique per lead) is named only when industry or employees are given,
    so a lead without them has no account, as a list without company columns gives.
    """
    number = next(_phones)
    company = f"Acme {number}" if industry is not None or employees is not None else None
    return {
        "first_name": "Pat",
        "last_name": "Lee",
        "phone": f"({str(number)[:3]}) {str(number)[3:6]}-{str(number)[6:]}",
        "e164": f"+1{number}",
        "state": "NY",
        "country": "US",
        "company": company,
        "industry": industry,
        "employees": employees,
        "title": title,
        "source": source,
        "list_name": list_name,
        "dnc": dnc,
    }


def import_leads(db: Database, rows: list[dict[str, Any]], *, at: datetime) -> list[int]:
    """Import ``rows`` (from :func:`lead`) received at ``at``; their contact ids, in order."""
    listed = [row["phone"] for row in rows if row["dnc"]]
    if listed:
        add_dnc(db, listed, actor="lead", now=at, reason="test list")
    path = _folder(db) / f"leads-{next(_files)}.csv"
    _write_csv(path, COLUMNS, rows)
    result = import_file(db, path, now=at, rep="lead", workers=0)
    assert (result.inserted, result.rejected) == (len(rows), 0), result
    ids = []
    for row in rows:
        found = db.one("SELECT id FROM contacts WHERE phone = ?", (row["e164"],))
        assert found is not None
        ids.append(int(found["id"]))
    return ids


def reimport(db: Database, rows: list[dict[str, Any]], *, at: datetime) -> ImportResult:
    """Import ``rows`` again (changed or not) at ``at``: the importer's update path."""
    path = _folder(db) / f"leads-{next(_files)}.csv"
    _write_csv(path, COLUMNS, rows)
    return import_file(db, path, now=at, rep="lead", workers=0)


def add_contact(db: Database, *, created_at: datetime, **fields: Any) -> int:
    """One lead (see :func:`lead` for the fields) imported at ``created_at``; its id."""
    return import_leads(db, [lead(**fields)], at=created_at)[0]


def log(
    db: Database,
    contact_id: int,
    disposition: str,
    *,
    rep: str,
    at: datetime,
    duration: int = 0,
    callback: datetime | None = None,
    callback_scope: str = "mine",
    tags: tuple[str, ...] = (),
) -> int:
    """``log_call`` by ``rep`` at ``at`` (tagged with the objections ``tags``); the call's id."""
    logged = log_call(
        db,
        contact_id,
        disposition,
        rep=rep,
        now=at,
        duration=duration,
        callback=callback,
        callback_scope=callback_scope,
        tags=tags,
    )
    return logged.call_id


def qualify(
    db: Database,
    contact_id: int,
    *,
    rep: str,
    at: datetime,
    amount: float | None = None,
    owner: str | None = None,
) -> int:
    """``qualify`` by ``rep`` at ``at`` (``amount`` in currency units); the handoff's id."""
    return qualify_contact(db, contact_id, rep=rep, now=at, amount=amount, owner=owner).id


def ack(db: Database, handoff_id: int, status: str, *, at: datetime, reason: str = "") -> None:
    """The CRM answers ``status`` for a handoff at ``at``, through an ack file.

    Every pending handoff is exported first (a handoff must be exported to be
    answered), at the same instant.
    """
    folder = _folder(db)
    export_pending(db, now=at, actor="lead", format="csv", out_dir=folder / "exports")
    path = folder / f"ack-{next(_files)}.csv"
    _write_csv(path, ("handoff_id", "status", "reason"), [
        {"handoff_id": handoff_id, "status": status, "reason": reason or None}
    ])  # fmt: skip
    result = ack_handoffs(db, path, now=at)
    assert result.rows == 1, result


def answer(
    db: Database,
    handoff_id: int,
    crm_status: str,
    *,
    at: datetime,
    amount: float | None = None,
    close_date: str | None = None,
    stage: str | None = None,
) -> None:
    """Record the CRM's answer on a handoff as schema 7 keeps it (``amount`` in units).

    Written straight to ``handoffs`` and ``handoff_answers``, as ``handoffs ack``
    records it (won and lost make the handoff accepted on Prospector's side; open
    leaves an accepted one accepted, others exported), but without an ack file:
    the reports' tests set answers out of time order and close dates ack would
    drop (one later than the answer, such as the export's placeholder kept by the
    CRM), to see what the reports do with them. :func:`ack` goes through the real
    ``handoffs ack``.
    """
    status = {"open": "exported", "rejected": "rejected"}.get(crm_status, "accepted")
    cents = None if amount is None else round(amount * 100)
    stamp = to_db(at)
    with db.write():
        db.execute(
            """UPDATE handoffs SET
                   status = CASE WHEN status = 'accepted' AND ? = 'open' THEN status ELSE ? END,
                   crm_status = ?, crm_stage = ?, crm_amount_cents = ?, crm_close_date = ?,
                   crm_answered_at = ?, updated_at = ? WHERE id = ?""",
            (crm_status, status, crm_status, stage, cents, close_date, stamp, stamp, handoff_id),
        )
        db.execute(
            """INSERT INTO handoff_answers (handoff_id, answered_at, file, crm_status,
                   crm_stage, amount_cents, close_date) VALUES (?, ?, NULL, ?, ?, ?, ?)""",
            (handoff_id, stamp, crm_status, stage, cents, close_date),
        )
