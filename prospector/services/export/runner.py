"""The export queue: pending handoffs into one numbered batch, written or sent.

Rules (DESIGN §4.9):

* An export takes every *pending* handoff (with ``resend``, the *exported* ones
  too) whose contact is not DNC into one new batch. Nothing pending: no batch.
* Files: the batch, the files and the status change are one transaction; every
  file is written to a temporary, then all are renamed into place, then it
  commits (see :mod:`.batchfiles`, which also clears what a killed export left).
  If a file cannot be written, nothing is recorded and every handoff stays pending.
* Webhook: the batch is recorded first, then each handoff is POSTed in order over
  one kept-alive connection; those the receiver answered 2xx are marked
  *exported* in short transactions, at most a second or a hundred answers apart
  (the database is never locked while waiting on the network, nor written once
  per POST). A handoff the receiver did not take stays pending, with the reason
  kept on its item. If the process dies between two records, the answered
  handoffs not yet recorded go again with the next export, under the same
  webhook ids, so the receiver applies them once. A webhook batch carries each
  handoff's payload as frozen in the first batch that held it (see
  :func:`.batches.first_payloads`), so every re-send is the same body under the
  same id. Past the batch's deadline (or when the receiver asks to wait longer
  than the cap) sending stops: the rest stays pending, unrecorded, and is said.
* While a webhook batch is being sent, its unanswered handoffs are its own: an
  export started meanwhile (file or webhook) leaves them out and says so, so no
  handoff reaches the CRM twice. The batch names its sending process; if that
  process died, the handoffs are free again.
* ``rewrite_batch`` writes an earlier batch again from its stored payloads in the
  same format (or in another format if asked), or re-sends a webhook batch with
  the same webhook ids and bodies. It changes no status. Its payloads are the ones
  cut with the batch, minus any handoff whose contact (or the number it carries) is
  on the do-not-call list *now*: the same bytes as the first time only while no
  one in it has become DNC since and the settings a format reads (a CRM's value
  maps and owners) are unchanged.
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

from prospector.foundations import senders
from prospector.foundations.clock import to_db
from prospector.foundations.db import Database, database_id
from prospector.foundations.errors import ProspectorError
from prospector.foundations.leftovers import FolderHold
from prospector.services.export import (
    csvfile,
    hubspot,
    jsonl,
    salesforce_leads,
    salesforce_linked,
    salesforce_values,
)
from prospector.services.export.batches import (
    batch_items,
    create_batch,
    finish_sending,
    first_payloads,
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
from prospector.services.export.payloads import (
    Payload,
    build_payloads,
    dump,
    external_id,
    load_stored,
)
from prospector.services.export.safe_csv import prepare_directory
from prospector.services.export.webhook import (
    Delivery,
    Sender,
    WebhookOptions,
    check_url,
    load_secret,
)
from prospector.services.settings import Settings, load_settings

# A format renders stored payloads under the current settings (a CRM's value maps
# and owners): written again after a settings change, a batch follows the change.
Renderer = Callable[[list[Payload], Settings], list[tuple[str, bytes]]]
FORMATS: dict[str, Renderer] = {
    "salesforce": salesforce_linked.render,
    "salesforce-leads": salesforce_leads.render,
    "hubspot": lambda payloads, settings: hubspot.render(payloads, settings.hubspot),
    "csv": lambda payloads, _settings: csvfile.render(payloads),
    "jsonl": lambda payloads, _settings: jsonl.render(payloads),
}
WARNINGS: dict[str, Callable[[list[Payload], Settings], list[str]]] = {
    "salesforce": lambda payloads, settings: _salesforce_warnings(payloads, settings),
    "salesforce-leads": lambda payloads, settings: _salesforce_warnings(payloads, settings),
    "hubspot": lambda payloads, settings: hubspot.warnings(payloads, settings.hubspot),
}
"""Per format: what the CRM will not take as the team may expect (ExportResult.warnings)."""
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
    warnings: list[str] = field(default_factory=list)  # what the files leave to the loader
    not_sent: int = 0  # webhook: left pending when sending stopped
    stopped: str | None = None  # why sending stopped before the end

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
            "warnings": self.warnings,
            "not_sent": self.not_sent,
            "stopped": self.stopped,
        }


def check_format(format: str) -> str:
    """The format name, validated. Raises ExportError naming the known ones."""
    name = format.strip().lower()
    if name not in FORMATS:
        raise ExportError(
            f"unknown export format {format!r} (expected one of: {', '.join(FORMATS)})"
        )
    return name


def _staged(
    out: Path, batch: int, format: str, payloads: list[Payload], settings: Settings
) -> BatchFiles:
    """The batch's files in their temporaries. Raises ExportWriteError (none left)."""
    files = BatchFiles(out)
    rendered = FORMATS[format](payloads, settings)
    try:
        files.stage((file_name(batch, format, suffix), data) for suffix, data in rendered)
    except BaseException:
        files.undo()
        raise
    return files


def _warnings(format: str, payloads: list[Payload], settings: Settings) -> list[str]:
    """What the person loading the files should know: what the CRM will not take as
    the team may expect."""
    return WARNINGS[format](payloads, settings) if format in WARNINGS else []


def _salesforce_warnings(payloads: list[Payload], settings: Settings) -> list[str]:
    notes = []
    reps = salesforce_values.reps_without_user(settings, payloads)
    if reps:
        notes.append(
            f"no salesforce_user for {', '.join(reps)}: their records' Owner.Username is blank,"
            " so the user who loads the files owns them"
        )
    for name, words in salesforce_values.unmapped(settings.salesforce, payloads).items():
        fallback = settings.salesforce.fallback[name] or "blank"
        notes.append(
            f"{name} words with no entry in crm.salesforce.{name}, written as"
            f" {fallback!r}: {', '.join(words)}"
        )
    places = salesforce_values.unmatched_places(payloads)
    if places:
        written = (
            "left blank (the ...StateCode/...CountryCode picklists take ISO codes only)"
            if settings.salesforce.state_country == "codes"
            else "written as typed (an org with state and country picklists refuses them)"
        )
        listed = "; ".join(f"{name}: {', '.join(found)}" for name, found in places.items())
        notes.append(f"states and countries with no ISO 3166 match, {written}: {listed}")
    return notes


def _main_path(format: str, out: Path, files: list[str]) -> str:
    # A format writing several files (Salesforce: a CSV and its .sdl mapping per
    # object) is pointed at by its directory.
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
        format: salesforce, salesforce-leads, hubspot, csv or jsonl (default csv); not
            with a webhook.
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
            settings = load_settings(db)
            opened = _open_batch(db, settings, name, os.fspath(out), now, actor, resend)
            if opened.batch is None:
                return opened.result(name, None)
            # Rendered from the stored text, exactly as a later rewrite will be.
            payloads = load_stored(db, opened.items)
            files = _staged(out, opened.batch, name, payloads, settings)
            files.journal(db, batch=opened.batch, target=os.fspath(out), created_at=to_db(now))
            written = files.publish()
            mark_exported(db, opened.batch, [handoff_id for handoff_id, _ in opened.items], now)
    except BaseException:
        if files is not None:
            files.undo()
        raise
    files.settle()
    result = opened.result(name, _main_path(name, out, written), written)
    result.warnings = _warnings(name, payloads, settings)
    return result


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
        sent: _Sent | None = None,
    ) -> ExportResult:
        sent = sent or _Sent()
        return ExportResult(
            self.batch,
            len(self.items) - len(sent.failed) - sent.not_sent,
            format,
            path,
            files or [],
            sent.failed,
            left_out=self.left_out,
            in_flight=self.in_flight,
            sending_batches=self.sending_batches,
            not_sent=sent.not_sent,
            stopped=sent.stopped,
        )


def _open_batch(
    db: Database,
    settings: Settings,
    name: str,
    target: str,
    now: datetime,
    actor: str,
    resend: bool,
) -> _Opened:
    """Snapshot every exportable handoff into a new batch (inside ``db.write()``).

    Webhook batches are marked as being sent by this process.
    """
    statuses = _statuses(resend)
    busy = in_flight(db)
    built = build_payloads(
        db,
        statuses=statuses,
        team_zone=settings.team.zone,
        leave_out=busy.handoff_ids,
    )
    held = dnc_handoffs(db, statuses)
    dnc_ids = {entry.handoff_id for entry in held}
    held += in_flight_handoffs(busy.handoff_ids - dnc_ids, busy.batches)
    if not built:
        return _Opened(None, [], held, len(busy.handoff_ids), busy.batches)
    items = [(p["handoff_id"], dump(p)) for p in built]
    if name == WEBHOOK:
        items = _frozen(db, items)
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
    if name == WEBHOOK:
        senders.hold(db, batch)
    return _Opened(batch, items, held, len(busy.handoff_ids), busy.batches)


def _frozen(db: Database, items: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Each item with the body its webhook id was first sent with (its first batch's)."""
    first = first_payloads(db, [handoff_id for handoff_id, _ in items])
    return [(handoff_id, first.get(handoff_id, text)) for handoff_id, text in items]


def _export_webhook(
    db: Database,
    url: str,
    now: datetime,
    actor: str,
    resend: bool,
    options: WebhookOptions | None,
) -> ExportResult:
    shown = check_url(url)
    signer = load_secret()  # a bad secret is refused before a batch is cut
    with db.write():
        opened = _open_batch(db, load_settings(db), WEBHOOK, shown, now, actor, resend)
    if opened.batch is None:
        return opened.result(WEBHOOK, shown)
    try:
        with Sender(url, options or WebhookOptions(), signer=signer) as sender:
            sent = _send_all(db, sender, opened.batch, opened.items, now=now)
    finally:
        try:
            with db.write():
                finish_sending(db, opened.batch)
        finally:
            senders.release(db, opened.batch)
    return opened.result(WEBHOOK, shown, sent=sent)


@dataclass
class _Sent:
    """What a webhook batch's sending left undone."""

    failed: list[Delivery] = field(default_factory=list)
    not_sent: int = 0
    stopped: str | None = None


def _send_all(
    db: Database,
    sender: Sender,
    batch: int,
    items: list[tuple[int, str]],
    *,
    now: datetime | None,
) -> _Sent:
    """POST each item in order; with ``now``, record the outcomes as they come (else
    record nothing). Stops where the sender says to; the rest is left as it was."""
    sent = _Sent()
    namespace = database_id(db)
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
        for index, (handoff_id, text) in enumerate(items):
            webhook_id = external_id(namespace, "handoff", handoff_id)  # = payload's external_id
            outcome = sender.deliver(handoff_id, webhook_id, text.encode("utf-8"))
            if outcome.stop is not None:
                sent.not_sent, sent.stopped = len(items) - index, outcome.stop
                break
            if outcome.ok:
                delivered.append(handoff_id)
            else:
                sent.failed.append(outcome)
                refused.append(outcome)
            if (
                len(delivered) + len(refused) >= RECORD_EVERY
                or time.monotonic() - recorded_at >= RECORD_SECONDS
            ):
                record()
    finally:
        record()  # also when interrupted: what the receiver took is kept
    return sent


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
    in the same format unless someone in the batch has become DNC since, or the CRM
    settings the format reads (value maps, owners) changed. A webhook
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
        with Sender(
            webhook_url, webhook_options or WebhookOptions(), signer=load_secret()
        ) as sender:
            sent = _send_all(db, sender, batch_id, _frozen(db, items), now=None)
        count = len(items) - len(sent.failed) - sent.not_sent
        return ExportResult(
            batch_id,
            count,
            WEBHOOK,
            shown,
            [],
            sent.failed,
            left_out=held,
            rewritten=True,
            not_sent=sent.not_sent,
            stopped=sent.stopped,
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
        payloads = load_stored(db, items)
        settings = load_settings(db)
        written = _staged(out, batch_id, name, payloads, settings).publish()
    return ExportResult(
        batch_id,
        len(items),
        name,
        _main_path(name, out, written),
        written,
        left_out=held,
        rewritten=True,
        warnings=_warnings(name, payloads, settings),
    )
