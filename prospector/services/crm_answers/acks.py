"""``handoffs ack FILE``: the CRM's answers about handoffs, checked whole, then recorded.

The file is a Salesforce Lead or Opportunity report, a HubSpot deals export or
Prospector's own CSV (see :mod:`prospector.services.crm_answers.report_file`).
Each row names a handoff by the external id Prospector exported
(``<database id>-h42``; a bare ``42`` from files exported before schema 7) and
gives its status or stage, which means ``open``, ``accepted``, ``rejected``,
``won`` or ``lost`` (:mod:`prospector.services.crm_answers.words`), with the
amount, close date and reason when the report has them. A won or lost deal's
close date later than the answer's time (no time zone had reached that day) is
the close the deal was expected on, which CRMs often keep when it closes: it is
recorded as no close date. In Prospector's own CSV the CRM's amount and close
date are the ``crm_amount`` and ``crm_close_date`` columns: ``amount`` and
``close_date`` are the estimates the export wrote, and are not read back.

Every row is checked before anything is written, and one bad row refuses the
whole file with the rows named: an id from another database (a report of
another team's handoffs), a contact's or account's id, a handoff unknown or
never exported, a word no table knows (every such row), an amount or date that
does not read, and a handoff listed twice with different answers (every such
handoff; identical repeats are fine).

Recording. The answer's time is the clock (``--at``: when the report was
taken). The handoff's ``crm_*`` columns hold its latest answer by that time, and
``handoff_answers`` every distinct answer: an answer equal to the handoff's
latest is not recorded again, so importing a file twice changes nothing. An
answer older than the one the handoff has (a report taken earlier, imported
later, ``--at`` saying so) joins the history without replacing it. (A report
that repeats the latest answer records nothing, not even its time: an older
report imported after it is weighed against the time that answer was first
given.) A later
answer replaces an earlier one whatever they are: a deal moves on (accepted →
won) and a CRM re-opens (won → open), and the CRM is the record of what sales did.

``handoffs.status`` is Prospector's side: ``accepted`` for an accepted, won or
lost answer (a lost deal was still taken by sales), ``rejected`` for a rejected
one. An open answer leaves an accepted handoff accepted (a re-opened deal is
still sales'), and puts an exported or rejected one back to ``exported``
(sales has it, no verdict yet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database, database_id
from prospector.foundations.errors import InputFileError
from prospector.foundations.limits import ID_RANGE, parse_id
from prospector.services.crm_answers.values import (
    ValueProblem,
    parse_amount,
    parse_date,
    slash_order,
)
from prospector.services.crm_answers.words import Words, words_for
from prospector.services.settings import load_settings
from prospector.services.settings.model import CRM_ANSWERS

if TYPE_CHECKING:
    from prospector.services.crm_answers.report_file import Report, ReportRow

CLOSED = ("won", "lost")
# The headers Prospector's csv export writes its estimated amount and placeholder
# close date under (export.csvfile.COLUMNS): never the CRM's answer.
ESTIMATE_HEADERS = {"amount": "amount", "close_date": "close_date"}
MAX_SHOWN = 5  # other bad rows named in the one-line error; the rest are counted
HANDOFF_STATUS = {"accepted": "accepted", "won": "accepted", "lost": "accepted"}
_EXTERNAL_ID = re.compile(r"([0-9a-f]{12})-([a-z])([0-9]+)", re.IGNORECASE)
_KIND_NAMES = {"c": "a contact's", "a": "an account's"}


@dataclass(frozen=True)
class Answer:
    """What the CRM said about one handoff."""

    crm_status: str
    crm_stage: str
    amount_cents: int | None
    close_date: str | None
    reason: str | None


@dataclass(frozen=True)
class AckResult:
    """What an ack file changed."""

    file: str
    crm: str
    rows: int  # rows naming a handoff
    recorded: int  # answers that became a handoff's latest
    unchanged: int  # the handoff's latest answer already
    older: int  # kept in the history only: the handoff has a later answer
    without_id: int  # rows of records Prospector did not send
    by_status: dict[str, int] = field(default_factory=dict)  # recorded, by crm_status

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "crm": self.crm,
            "rows": self.rows,
            "recorded": self.recorded,
            **{status: self.by_status.get(status, 0) for status in CRM_ANSWERS},
            "unchanged": self.unchanged,
            "older": self.older,
            "without_id": self.without_id,
        }


def _handoff_number(raw: str, ours: str) -> int:
    """The handoff id in an id cell. Raises :class:`ValueProblem`."""
    match = _EXTERNAL_ID.fullmatch(raw)
    if match is None:
        number = parse_id(raw)
        if number is None:
            raise ValueProblem(
                f"{raw[:40]!r} is not an id (expected {ours}-h42, or {ID_RANGE}"
                " in files exported before schema 7)"
            )
        return number
    database, kind, digits = match[1].lower(), match[2].lower(), match[3]
    if database != ours:
        raise ValueProblem(f"{raw!r} is from another database ({database}; this one is {ours})")
    if kind in _KIND_NAMES:
        raise ValueProblem(f"{raw!r} is {_KIND_NAMES[kind]} id, not a handoff's")
    number = parse_id(digits)
    if kind != "h" or number is None:
        raise ValueProblem(f"{raw!r} is not a handoff id (expected {ours}-h42)")
    return number


@dataclass
class _Check:
    """Everything wrong with a file, gathered before the one-line error."""

    report: Report
    problems: list[str] = field(default_factory=list)
    unknown: dict[str, list[int]] = field(default_factory=dict)  # word → rows
    answers: dict[int, tuple[ReportRow, Answer]] = field(default_factory=dict)
    contradictions: dict[int, list[ReportRow]] = field(default_factory=dict)

    def bad(self, row: ReportRow, field_name: str, message: str) -> None:
        header = self.report.headers.get(field_name, field_name)
        self.problems.append(f"row {row.number}: {header}: {message}")

    def error(self) -> InputFileError | None:
        parts = [
            f"handoff {rows[0].raw_id} has different answers in rows"
            f" {', '.join(str(r.number) for r in rows)}"
            f" ({' / '.join(dict.fromkeys(_describe(r) for r in rows))})"
            for rows in self.contradictions.values()
        ]
        parts += [
            f"{self.report.headers['status']} {word!r} in row{'s' if len(rows) > 1 else ''}"
            f" {', '.join(map(str, rows))} is not a {self.report.crm} word Prospector knows"
            f" (add it under [crm.answers] as one of: {', '.join(CRM_ANSWERS)})"
            for word, rows in self.unknown.items()
        ]
        parts += self.problems[:MAX_SHOWN]
        if len(self.problems) > MAX_SHOWN:
            more = len(self.problems) - MAX_SHOWN
            parts.append(f"and {more} more bad row{'s' if more > 1 else ''}")
        if not parts:
            return None
        return InputFileError(f"{self.report.file}: nothing recorded: {'; '.join(parts)}")


def _describe(row: ReportRow) -> str:
    return ", ".join(cell for cell in (row.word, row.amount, row.close_date, row.reason) if cell)


def _check_row(
    db: Database, check: _Check, row: ReportRow, words: Words, ours: str, order: str, today: str
):
    meaning = words.meaning(row.word) if row.word else None
    if not row.word:
        check.bad(row, "status", "empty (expected a status or stage)")
    elif meaning is None:
        check.unknown.setdefault(row.word, []).append(row.number)
    try:
        handoff_id = _handoff_number(row.raw_id, ours)
    except ValueProblem as problem:
        check.bad(row, "id", str(problem))
        return
    amount = close_date = None
    try:
        amount = parse_amount(row.amount)
    except ValueProblem as problem:
        check.bad(row, "amount", f"{row.amount[:40]!r}: {problem}")
    try:
        close_date = parse_date(row.close_date, order)
    except ValueProblem as problem:
        check.bad(row, "close_date", f"{row.close_date[:40]!r}: {problem}")
    if meaning in CLOSED and close_date is not None and close_date > today:
        close_date = None  # the deal's expected close, kept on closing: not when it closed
    found = db.one("SELECT status FROM handoffs WHERE id = ?", (handoff_id,))
    if found is None:
        check.bad(row, "id", f"no handoff {row.raw_id}")
        return
    if found["status"] == "pending":
        check.bad(row, "id", f"handoff {row.raw_id} has not been exported yet")
        return
    if meaning is None:
        return
    answer = Answer(meaning, row.word, amount, close_date, row.reason or None)
    first = check.answers.setdefault(handoff_id, (row, answer))
    if first[1] != answer:
        check.contradictions.setdefault(handoff_id, [first[0]]).append(row)


def _latest_day(now: datetime) -> str:
    """The latest calendar day anywhere on Earth at ``now`` (UTC+14), ``YYYY-MM-DD``:
    a deal cannot have closed on a day no time zone had reached."""
    return (now.astimezone(UTC) + timedelta(hours=14)).date().isoformat()


def _without_estimates(report: Report) -> Report:
    """A Prospector CSV without the columns of Prospector's own estimates.

    The ``csv`` export writes the estimated ``amount`` and the placeholder
    ``close_date``; sent back with a status column added, they are not the CRM's
    answer. The CRM's own go in ``crm_amount`` and ``crm_close_date`` (found
    before them when both are there: ``data/crm_answers.toml``).
    """
    dropped = {
        name
        for name, header in ESTIMATE_HEADERS.items()
        if report.headers.get(name, "").strip() == header
    }
    if not dropped:
        return report
    rows = [
        replace(
            row,
            amount="" if "amount" in dropped else row.amount,
            close_date="" if "close_date" in dropped else row.close_date,
        )
        for row in report.rows
    ]
    headers = {name: h for name, h in report.headers.items() if name not in dropped}
    return replace(report, rows=rows, headers=headers)


def _answer(row) -> Answer:
    return Answer(
        row["crm_status"], row["crm_stage"], row["amount_cents"], row["close_date"], row["reason"]
    )


def ack_handoffs(db: Database, path: str | Path, *, now: datetime) -> AckResult:
    """Record the CRM's answers from a report file (see the module's doc).

    Raises:
        InputFileError: unreadable file, missing columns, or any bad row; the
            message names the file and the bad rows, and nothing is recorded.
    """
    # Imported here: the file reader brings the import machinery, which only acks need.
    from prospector.services.crm_answers.report_file import read_report

    settings = load_settings(db).crm_answers
    report = read_report(path, id_columns=settings.id_columns)
    words = words_for(report.crm, settings)
    stamp = to_db(now)
    if report.crm == "prospector":
        report = _without_estimates(report)
    if not report.rows:
        raise InputFileError(
            f"{report.file}: no row names a handoff (the {report.headers['id']} column is empty)"
        )
    try:
        order = slash_order(((r.number, r.close_date) for r in report.rows), settings.slash_dates)
    except ValueProblem as problem:
        header = report.headers.get("close_date", "close date")
        raise InputFileError(f"{report.file}: {header}: {problem}") from None
    with db.write():
        ours = database_id(db)
        check = _Check(report)
        today = _latest_day(now)
        for row in report.rows:
            _check_row(db, check, row, words, ours, order, today)
        if error := check.error():
            raise error
        counts = {"recorded": 0, "unchanged": 0, "older": 0}
        by_status: dict[str, int] = {}
        for handoff_id, (_row, answer) in check.answers.items():
            outcome = _record(db, handoff_id, answer, stamp, str(report.file))
            counts[outcome] += 1
            if outcome == "recorded":
                by_status[answer.crm_status] = by_status.get(answer.crm_status, 0) + 1
    return AckResult(
        file=str(report.file),
        crm=report.crm,
        rows=len(report.rows),
        without_id=report.without_id,
        by_status=by_status,
        **counts,
    )


def _record(db: Database, handoff_id: int, answer: Answer, stamp: str, file: str) -> str:
    """Record one answer: ``recorded``, ``unchanged`` or ``older``."""
    latest = db.one(
        """SELECT * FROM handoff_answers WHERE handoff_id = ?
           ORDER BY answered_at DESC, id DESC LIMIT 1""",
        (handoff_id,),
    )
    if latest is not None and _answer(latest) == answer:
        return "unchanged"
    same_time = db.query(
        "SELECT * FROM handoff_answers WHERE handoff_id = ? AND answered_at = ?",
        (handoff_id, stamp),
    )
    if any(_answer(row) == answer for row in same_time):
        return "unchanged"  # this older report was imported before
    db.execute(
        """INSERT INTO handoff_answers (handoff_id, answered_at, file, crm_status, crm_stage,
               amount_cents, close_date, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            handoff_id,
            stamp,
            file,
            answer.crm_status,
            answer.crm_stage,
            answer.amount_cents,
            answer.close_date,
            answer.reason,
        ),
    )
    if latest is not None and stamp < latest["answered_at"]:
        return "older"
    current = db.one("SELECT status, acked_at FROM handoffs WHERE id = ?", (handoff_id,))
    assert current is not None  # checked before
    status = HANDOFF_STATUS.get(answer.crm_status, answer.crm_status)
    if answer.crm_status == "open":
        status = "accepted" if current["status"] == "accepted" else "exported"
    # acked_at: when sales first gave its verdict (a won deal was accepted before).
    acked_at = None if status == "exported" else stamp
    if status == current["status"] == "accepted":
        acked_at = current["acked_at"] or stamp
    db.execute(
        """UPDATE handoffs SET crm_status = ?, crm_stage = ?, crm_amount_cents = ?,
               crm_close_date = ?, crm_answered_at = ?, status = ?, status_reason = ?,
               acked_at = ?, updated_at = ?
           WHERE id = ?""",
        (
            answer.crm_status,
            answer.crm_stage,
            answer.amount_cents,
            answer.close_date,
            stamp,
            status,
            answer.reason,
            acked_at,
            stamp,
            handoff_id,
        ),
    )
    return "recorded"
