"""``handoffs ack FILE``: the CRM's accept/reject answers, recorded (DESIGN §4.9).

The file is a CSV report from the CRM with one row per handoff: the handoff id
(the external id Prospector exported), a status, and optionally a reason. Header
names are matched case-insensitively, ignoring spaces, underscores and dashes, so
Prospector's own names, Salesforce API names and HubSpot labels all work:

* id: ``handoff_id``, ``Prospector_Handoff_Id__c``, ``Prospector handoff id``
* status: ``status``, ``Lead Status``, ``Status``, ``Deal stage``, ``StageName``,
  ``ack``, ``acceptance``
* reason: ``reason``, ``status_reason``, ``Rejection reason``, ``Closed lost reason``,
  ``Unqualified reason``, ``Prospector_Status_Reason__c``

Status words: accepted (``accepted``, ``yes``, ``approved``, ``qualified``,
``converted``, ``Closed - Converted``, ``Working - Contacted``, ``closedwon``) or
rejected (``rejected``, ``no``, ``declined``, ``disqualified``, ``unqualified``,
``Closed - Not Converted``, ``closedlost``).

Every row is checked before anything is written: one bad row (unknown id, a
handoff never exported, an unknown status) and the whole file is refused with
every bad row named, so nothing is half-applied.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database
from prospector.foundations.errors import InputFileError
from prospector.foundations.limits import ID_RANGE, parse_id

ID_HEADERS = ("handoffid", "prospectorhandoffidc", "prospectorhandoffid", "handoff")
STATUS_HEADERS = (
    "status",
    "ackstatus",
    "acceptance",
    "ack",
    "handoffstatus",
    "leadstatus",
    "dealstage",
    "stagename",
    "stage",
)
REASON_HEADERS = (
    "reason",
    "statusreason",
    "rejectionreason",
    "rejectreason",
    "closedlostreason",
    "unqualifiedreason",
    "prospectorstatusreasonc",
    "prospectorstatusreason",
)
ACCEPTED = {
    "accepted",
    "accept",
    "yes",
    "y",
    "approved",
    "qualified",
    "converted",
    "closedconverted",
    "workingcontacted",
    "closedwon",
}
REJECTED = {
    "rejected",
    "reject",
    "no",
    "n",
    "declined",
    "disqualified",
    "unqualified",
    "closednotconverted",
    "closedlost",
}
MAX_SHOWN = 5  # bad rows named in the one-line error; the rest are counted


@dataclass(frozen=True)
class AckResult:
    """What an ack file changed."""

    rows: int
    accepted: int
    rejected: int
    unchanged: int


def _key(header: str) -> str:
    return re.sub(r"[\s_\-]+", "", header.strip().lstrip("\ufeff")).casefold()


def _read_text(file: Path) -> str:
    try:
        raw = file.read_bytes()
    except FileNotFoundError as error:
        raise InputFileError(f"{file}: no such file") from error
    except OSError as error:
        raise InputFileError(f"{file}: cannot be read ({error.strerror})") from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _column(headers: list[str], wanted: tuple[str, ...]) -> int | None:
    keys = [_key(h) for h in headers]
    for name in wanted:
        if name in keys:
            return keys.index(name)
    return None


def _parse_rows(file: Path) -> list[tuple[int, str, str, str | None]]:
    """(row number, raw id, raw status, reason) for every data row."""
    text = _read_text(file)
    if not text.strip():
        raise InputFileError(f"{file}: empty file (expected a CSV with a handoff id and status)")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as error:
        raise InputFileError(f"{file}: not a readable CSV ({error})") from error
    headers = rows[0]
    id_col = _column(headers, ID_HEADERS)
    status_col = _column(headers, STATUS_HEADERS)
    reason_col = _column(headers, REASON_HEADERS)
    if id_col is None:
        raise InputFileError(
            f"{file}: no handoff id column (expected handoff_id or Prospector_Handoff_Id__c)"
        )
    if status_col is None:
        raise InputFileError(
            f"{file}: no status column (expected status, Lead Status or Deal stage)"
        )
    parsed = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(index: int | None, row: list[str] = row) -> str:
            return row[index].strip() if index is not None and index < len(row) else ""

        parsed.append((number, cell(id_col), cell(status_col), cell(reason_col) or None))
    return parsed


def ack_handoffs(db: Database, path: str | Path, *, now: datetime) -> AckResult:
    """Record the CRM's accepted/rejected answers from a report file.

    A handoff must have been exported (or already acked: a later answer replaces
    an earlier one). Rows that repeat the stored answer count as unchanged.

    Raises:
        InputFileError: unreadable file, missing columns, or any bad row; the
            message names the file and each bad row (the first few, then a count).
    """
    file = Path(path)
    rows = _parse_rows(file)
    stamp = to_db(now)
    problems: list[str] = []
    decided: list[tuple[int, str, str | None]] = []
    with db.write():
        for number, raw_id, raw_status, reason in rows:
            handoff_id = parse_id(raw_id)
            if handoff_id is None:
                problems.append(
                    f"row {number}: handoff id {raw_id[:40]!r} is not an id ({ID_RANGE})"
                )
                continue
            word = _key(raw_status)
            status = "accepted" if word in ACCEPTED else "rejected" if word in REJECTED else None
            if status is None:
                problems.append(
                    f"row {number}: status {raw_status!r} is neither accepted nor rejected"
                )
                continue
            found = db.one("SELECT status FROM handoffs WHERE id = ?", (handoff_id,))
            if found is None:
                problems.append(f"row {number}: no handoff {raw_id}")
                continue
            if found["status"] == "pending":
                problems.append(f"row {number}: handoff {raw_id} has not been exported yet")
                continue
            decided.append((handoff_id, status, reason))
        if problems:
            shown = "; ".join(problems[:MAX_SHOWN])
            more = len(problems) - MAX_SHOWN
            raise InputFileError(
                f"{file}: {len(problems)} bad row{'s' if len(problems) != 1 else ''},"
                f" nothing recorded: {shown}{f'; and {more} more' if more > 0 else ''}"
            )
        counts = {"accepted": 0, "rejected": 0, "unchanged": 0}
        for handoff_id, status, reason in decided:
            cursor = db.execute(
                """UPDATE handoffs SET status = ?, status_reason = ?, acked_at = ?, updated_at = ?
                   WHERE id = ? AND NOT (status = ? AND coalesce(status_reason, '') = ?)""",
                (status, reason, stamp, stamp, handoff_id, status, reason or ""),
            )
            counts[status if cursor.rowcount else "unchanged"] += 1
    return AckResult(rows=len(rows), **counts)
