"""The export queue: pending handoffs into one numbered batch, written or sent.

Rules (DESIGN §4.9):

* An export takes every *pending* handoff (with ``resend``, the *exported* ones
  too) whose contact is not DNC into one new batch. Nothing pending: no batch.
* Files: the batch, the files and the status change are one transaction; every
  file is written to a temporary, then all are renamed into place, then it
  commits (see :mod:`.batchfiles`, which also clears what a killed export left).
  If a file cannot be written, nothing is recorded and every handoff stays pending.
* Webhook: the batch is recorded first, then each handoff is POSTed; those the
  receiver answered 2xx are marked *exported* in short transactions, at most a
  second or a hundred answers apart (the database is never locked while waiting
  on the network, nor written once per POST). A handoff the receiver did not take
  stays pending, with the reason kept on its item. If the process dies between
  two records, the answered handoffs not yet recorded go again with the next
  export, under the same idempotency keys, so the receiver applies them once.
* While a webhook batch is being sent, its unanswered handoffs are its own: an
  export started meanwhile (file or webhook) leaves them out and says so, so no
  handoff reaches the CRM twice. The batch names its sending process; if that
  process died, the handoffs are free again.
* ``rewrite_batch`` writes an earlier batch again from its stored payloads in the
  same format (or in another format if asked), or re-sends a webhook batch with
  the same idempotency keys. It changes no status. Its payloads are the ones cut
  with the batch, minus any handoff whose contact (or the number it carries) is
  on the do-not-call list *now*: the same bytes as the first time only while no
  one in it has become DNC since.
* Every path says what it left out and why (:mod:`.left_out`): DNC contacts, and
  handoffs another export is still sending.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database
from prospector.foundations.errors import ProspectorError
from prospector.foundations.leftovers import FolderHold
from prospector.services.export import csvfile, hubspot, jsonl, salesforce
from prospector.services.export.batches import (
    batch_items,
    create_batch,
    finish_sending,
    get_batch,
    in_flight,
    mark_exported,
    record_failure,
)
from prospector.services.export.batchfiles import BatchFiles, clean_folder, file_name
from prospector.services.export.left_out import (
    DNC,
    LeftOut,
    dnc_handoffs,
    dnc_in_payloads,
    in_flight_handoffs,
    without,
)
from prospector.services.export.payloads import Payload, build_payloads, dump, load
from prospector.services.export.safe_csv import prepare_directory
from prospector.services.export.webhook import (
    Delivery,
    WebhookOptions,
    check_url,
    deliver,
    idempotency_key,
    opener_for,
)
from prospector.services.settings import load_settings

Renderer = Callable[[list[Payload]], list[tuple[str, bytes]]]
FORMATS: dict[str, Renderer] = {
    "salesforce": salesforce.render,
    "hubspot": hubspot.render,
    "csv": csvfile.render,
    "jsonl": jsonl.render,
}
WEBHOOK = "webhook"
RECORD_EVERY = 100  # webhook answers recorded per transaction, at most
RECORD_SECONDS = 1.0  # and at least this often


class ExportError(ProspectorError):
    """An export that cannot run as asked."""


@dataclass
class ExportResult:
    """What an export did. ``path``: the main file, the directory, or the URL."""

    batch: int | None
    count: int
    format: str
    path: str | None
    files: list[str] = field(default_factory=list)
    failed: list[Delivery] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)  # by handoff id, with the reason
    rewritten: bool = False
    in_flight: int = 0  # left out: another export is sending them
    sending_batches: tuple[int, ...] = ()

    @property
    def held_dnc(self) -> int:
        """How many handoffs were left out because their contact is DNC."""
        return sum(entry.reason == DNC for entry in self.left_out)

    def as_json(self) -> dict[str, object]:
        return {
            "batch": self.batch,
            "count": self.count,
            "format": self.format,
            "path": self.path,
            "files": self.files,
            "failed": [{"handoff_id": f.handoff_id, "error": f.error} for f in self.failed],
            "held_dnc": self.held_dnc,
            "left_out": [entry.as_json() for entry in self.left_out],
            "rewritten": self.rewritten,
            "in_flight": self.in_flight,
        }


def check_format(format: str) -> str:
    """The format name, validated. Raises ExportError naming the known ones."""
    name = format.strip().lower()
    if name not in FORMATS:
        raise ExportError(
            f"unknown export format {format!r} (expected one of: {', '.join(FORMATS)})"
        )
    return name


def _staged(out: Path, batch: int, format: str, items: list[tuple[int, str]]) -> BatchFiles:
    """The batch's files in their temporaries. Raises ExportWriteError (none left)."""
    files = BatchFiles(out)
    # Rendered from the stored text, exactly as a later rewrite will be.
    rendered = FORMATS[format]([load(text) for _, text in items])
    try:
        files.stage((file_name(batch, format, suffix), data) for suffix, data in rendered)
    except BaseException:
        files.undo()
        raise
    return files


def _main_path(format: str, out: Path, files: list[str]) -> str:
    # Salesforce writes two files: the directory is the thing to point at.
    return os.fspath(out) if len(files) != 1 else files[0]


def _statuses(resend: bool) -> tuple[str, ...]:
    return ("pending", "exported") if resend else ("pending",)


def export_pending(
    db: Database,
    *,
    now: datetime,
    actor: str,
    format: str | None = None,
    out_dir: str | os.PathLike[str] = ".",
    webhook_url: str | None = None,
    resend: bool = False,
    webhook_options: WebhookOptions | None = None,
) -> ExportResult:
    """Export the queue as one new batch, to files (``format``) or a webhook.

    Args:
        format: salesforce, hubspot, csv or jsonl (default csv); not with a webhook.
        out_dir: where files go (created if missing).
        webhook_url: POST each handoff here instead of writing files.
        resend: include handoffs already exported.

    Raises:
        ExportError: unknown format, or both a format and a webhook.
        ExportWriteError: ``out_dir`` or a file cannot be written (nothing recorded).
        WebhookURLError: a URL Prospector will not send to.
    """
    if webhook_url is not None:
        if format is not None:
            raise ExportError("give either --format or --webhook, not both")
        return _export_webhook(db, webhook_url, now, actor, resend, webhook_options)
    name = check_format(format or "csv")
    db.check_writable()  # before the folder is made
    out = prepare_directory(out_dir)
    with FolderHold(out) as hold:
        clean_folder(db, hold)
        return _export_files(db, out, name, now, actor, resend)


def _export_files(
    db: Database, out: Path, name: str, now: datetime, actor: str, resend: bool
) -> ExportResult:
    files: BatchFiles | None = None
    try:
        with db.write():
            opened = _open_batch(db, name, os.fspath(out), now, actor, resend)
            if opened.batch is None:
                return opened.result(name, None)
            files = _staged(out, opened.batch, name, opened.items)
            files.journal(db, batch=opened.batch, target=os.fspath(out), created_at=to_db(now))
            written = files.publish()
            mark_exported(db, opened.batch, [handoff_id for handoff_id, _ in opened.items], now)
    except BaseException:
        if files is not None:
            files.undo()
        raise
    files.settle()
    return opened.result(name, _main_path(name, out, written), written)


@dataclass(frozen=True)
class _Opened:
    """A new batch (``batch`` None: nothing to export) and what was left out of it."""

    batch: int | None
    items: list[tuple[int, str]]
    left_out: list[LeftOut]
    in_flight: int
    sending_batches: tuple[int, ...]

    def result(
        self,
        format: str,
        path: str | None,
        files: list[str] | None = None,
        failed: list[Delivery] | None = None,
    ) -> ExportResult:
        return ExportResult(
            self.batch,
            len(self.items) - len(failed or []),
            format,
            path,
            files or [],
            failed or [],
            left_out=self.left_out,
            in_flight=self.in_flight,
            sending_batches=self.sending_batches,
        )


def _open_batch(
    db: Database, name: str, target: str, now: datetime, actor: str, resend: bool
) -> _Opened:
    """Snapshot every exportable handoff into a new batch (inside ``db.write()``).

    Webhook batches are marked as being sent by this process.
    """
    statuses = _statuses(resend)
    busy = in_flight(db)
    built = build_payloads(
        db,
        statuses=statuses,
        team_zone=load_settings(db).team.zone,
        leave_out=busy.handoff_ids,
    )
    held = dnc_handoffs(db, statuses)
    dnc_ids = {entry.handoff_id for entry in held}
    held += in_flight_handoffs(busy.handoff_ids - dnc_ids, busy.batches)
    if not built:
        return _Opened(None, [], held, len(busy.handoff_ids), busy.batches)
    items = [(p["handoff_id"], dump(p)) for p in built]
    batch = create_batch(
        db,
        format=name,
        target=target,
        now=now,
        actor=actor,
        resend=resend,
        items=items,
        sending_pid=os.getpid() if name == WEBHOOK else None,
    )
    return _Opened(batch, items, held, len(busy.handoff_ids), busy.batches)


def _export_webhook(
    db: Database,
    url: str,
    now: datetime,
    actor: str,
    resend: bool,
    options: WebhookOptions | None,
) -> ExportResult:
    shown = check_url(url)
    with db.write():
        opened = _open_batch(db, WEBHOOK, shown, now, actor, resend)
    if opened.batch is None:
        return opened.result(WEBHOOK, shown)
    try:
        failed = _send_all(
            db,
            url,
            opened.batch,
            opened.items,
            options or WebhookOptions(),
            resend_batch=opened.batch if resend else None,
            now=now,
        )
    finally:
        with db.write():
            finish_sending(db, opened.batch)
    return opened.result(WEBHOOK, shown, failed=failed)


def _send_all(
    db: Database,
    url: str,
    batch: int,
    items: list[tuple[int, str]],
    options: WebhookOptions,
    *,
    resend_batch: int | None,
    now: datetime | None,
) -> list[Delivery]:
    """POST each item; with ``now``, record the outcomes as they come (else record nothing)."""
    failed: list[Delivery] = []
    opener = opener_for(url)  # built once per batch, not per request
    delivered: list[int] = []
    refused: list[Delivery] = []
    recorded_at = time.monotonic()

    def record() -> None:
        nonlocal recorded_at
        if now is not None and (delivered or refused):
            with db.write():
                mark_exported(db, batch, delivered, now)
                for outcome in refused:
                    record_failure(db, batch, outcome.handoff_id, outcome.error or "not delivered")
        delivered.clear()
        refused.clear()
        recorded_at = time.monotonic()

    try:
        for handoff_id, text in items:
            body = text.encode("utf-8")
            key = idempotency_key(handoff_id, body, resend_batch)
            outcome = deliver(url, handoff_id, body, key=key, options=options, opener=opener)
            if outcome.ok:
                delivered.append(handoff_id)
            else:
                failed.append(outcome)
                refused.append(outcome)
            if (
                len(delivered) + len(refused) >= RECORD_EVERY
                or time.monotonic() - recorded_at >= RECORD_SECONDS
            ):
                record()
    finally:
        record()  # also when interrupted: what the receiver took is kept
    return failed


def rewrite_batch(
    db: Database,
    batch_id: int,
    *,
    out_dir: str | os.PathLike[str] = ".",
    format: str | None = None,
    webhook_url: str | None = None,
    webhook_options: WebhookOptions | None = None,
) -> ExportResult:
    """Write (or re-send) batch ``batch_id`` again from its stored payloads.

    The payloads are those cut with the batch minus the handoffs whose contact is
    DNC now (named in ``left_out``): files come out byte for byte as the first time
    in the same format unless someone in the batch has become DNC since. A webhook
    batch needs ``webhook_url`` to be sent again (its URL's query is never kept),
    or a ``format`` to be written as files. No status changes. When every handoff
    is left out, nothing is written or sent.

    Raises:
        NotFoundError: no such batch.
        ExportError: a webhook batch with neither a URL nor a format.
    """
    batch = get_batch(db, batch_id)
    stored = batch_items(db, batch_id)
    held = dnc_in_payloads(db, stored)
    items = without(stored, held)
    if webhook_url is not None:
        shown = check_url(webhook_url)
        if not items:
            return ExportResult(batch_id, 0, WEBHOOK, shown, left_out=held, rewritten=True)
        failed = _send_all(
            db,
            webhook_url,
            batch_id,
            items,
            webhook_options or WebhookOptions(),
            resend_batch=batch_id if batch.resend else None,
            now=None,
        )
        return ExportResult(
            batch_id,
            len(items) - len(failed),
            WEBHOOK,
            shown,
            [],
            failed,
            left_out=held,
            rewritten=True,
        )
    name = format or batch.format
    if name == WEBHOOK:
        raise ExportError(
            f"batch {batch_id} was sent by webhook: give --webhook URL to send it again,"
            " or --format to write it as files"
        )
    name = check_format(name)
    if not items:
        return ExportResult(batch_id, 0, name, None, left_out=held, rewritten=True)
    out = prepare_directory(out_dir)
    with FolderHold(out) as hold:
        clean_folder(db, hold)
        written = _staged(out, batch_id, name, items).publish()
    return ExportResult(
        batch_id,
        len(items),
        name,
        _main_path(name, out, written),
        written,
        left_out=held,
        rewritten=True,
    )
