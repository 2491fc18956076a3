"""The intake endpoint's work: a POSTed body of leads into the database, answered once per id.

:func:`take_leads` gets a request's body (one JSON object or a list of them, the
fields of :data:`.importing.leads.FIELDS`) once it has been authenticated. A
request is all or nothing: any lead that cannot be used (an unknown field, no
valid phone) is a 400 naming it and nothing is written, so a sender fixes the
request and sends the whole of it again. The answer of a request with a
``webhook-id`` is stored (``intake_requests``) in the transaction that wrote its
leads: the same id again gets that answer, status and body, and writes nothing.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database
from prospector.services.importing.leads import LeadError, LeadWriter, lead_fields, rejected_field
from prospector.services.importing.rows import Reject
from prospector.services.settings.store import settings_version

MAX_LEADS = 1000
"""Leads one request may carry (a list longer is a 400: send it in parts)."""
MAX_ID_CHARS = 255
WRITER_MAX_AGE = 300.0
"""Seconds a writer's knowledge of the contacts is trusted (see :class:`Intake`)."""


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status and JSON body; ``repeated`` when it is a stored one."""

    status: int
    body: dict[str, Any]
    repeated: bool = False


def bad_request(message: str, field: str | None = None) -> Answer:
    return Answer(400, {"error": message, "field": field})


class Intake:
    """The endpoint's work on one connection (the endpoint's database thread).

    Its :class:`LeadWriter` knows every contact's phones and emails, which takes a
    second to learn on a database of 200,000 contacts: it is kept from request to
    request (it keeps up with the contacts, accounts and DNC numbers others add, as
    an import does) and learnt afresh when the settings change, and every
    :data:`WRITER_MAX_AGE` seconds, so a phone or email a rep changed on an older
    contact meanwhile is seen by then (at once when a write runs into it).
    """

    def __init__(self, db: Database, clock: Callable[[], float] = time.monotonic) -> None:
        self.db = db
        self.clock = clock
        self._writer: LeadWriter | None = None
        self._born = 0.0
        self._settings = -1

    def writer(self) -> LeadWriter:
        settings = settings_version(self.db)
        if (
            self._writer is None
            or settings != self._settings
            or self.clock() - self._born > WRITER_MAX_AGE
        ):
            self._writer = LeadWriter(self.db)
            self._born, self._settings = self.clock(), settings
        return self._writer

    def take_leads(self, body: bytes, *, now: datetime, webhook_id: str | None) -> Answer:
        """Add the leads of an authenticated request that arrived at ``now``.

        201 with ``{"leads": [outcome, ...]}`` (each as ``LeadOutcome.as_json``, in the
        request's order), or 400 with ``{"error": text, "field": name}``; ``field`` is
        ``leads[N].name`` for the Nth lead (from 0) of a list.
        """
        if webhook_id is not None and len(webhook_id) > MAX_ID_CHARS:
            return bad_request(f"webhook-id over {MAX_ID_CHARS} characters", "webhook-id")
        checked = _checked(self.writer(), body)
        try:
            return self._answer(checked, now, webhook_id)
        except sqlite3.IntegrityError:
            # A phone a rep gave an older contact since the writer learnt them: the
            # transaction was rolled back; learn afresh and write the request again.
            self._writer = None
            return self._answer(_checked(self.writer(), body), now, webhook_id)

    def _answer(
        self, checked: Answer | list[tuple], now: datetime, webhook_id: str | None
    ) -> Answer:
        db = self.db
        with db.write():
            if webhook_id is not None:
                stored = db.one(
                    "SELECT status, body FROM intake_requests WHERE webhook_id = ?", (webhook_id,)
                )
                if stored is not None:
                    return Answer(int(stored[0]), json.loads(stored[1]), repeated=True)
            if isinstance(checked, Answer):
                answer = checked
            else:
                writer = self._writer
                assert writer is not None  # _checked's
                outcomes = [writer.write(item, now).as_json() for item in checked]
                answer = Answer(201, {"leads": outcomes})
            if webhook_id is not None:
                db.execute(
                    """INSERT INTO intake_requests (webhook_id, status, body, received_at)
                       VALUES (?, ?, ?, ?)""",
                    (webhook_id, answer.status, json.dumps(answer.body), to_db(now)),
                )
        return answer

    def health(self) -> dict[str, Any]:
        """What ``GET /health`` says once the database answered (its intake table is there)."""
        self.db.one("SELECT 1 FROM intake_requests LIMIT 1")
        return {"status": "ok", "database": "ok"}


def _checked(writer: LeadWriter, body: bytes) -> Answer | list[tuple]:
    """The request's leads normalized, or the 400 answer saying which is wrong."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        return bad_request(f"body: not JSON ({error})")
    many = isinstance(payload, list)
    records = payload if many else [payload]
    if not records:
        return bad_request("body: an empty list; expected at least one lead")
    if len(records) > MAX_LEADS:
        return bad_request(f"body: {len(records)} leads; at most {MAX_LEADS} a request")
    where: Callable[[int, str | None], str | None] = (
        (lambda index, name: f"leads[{index}].{name}" if name else f"leads[{index}]")
        if many
        else (lambda _index, name: name)
    )
    leads = []
    for index, record in enumerate(records):
        try:
            leads.append(lead_fields(record))
        except LeadError as error:
            field = where(index, error.field)
            return bad_request(f"{field}: {error.message}" if field else error.message, field)
    items = writer.normalize(leads)
    for index, item in enumerate(items):
        if type(item) is Reject:
            field = where(index, rejected_field(item))
            return bad_request(f"{field}: {item.reason}", field)
    return items
