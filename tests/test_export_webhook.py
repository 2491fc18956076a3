"""Webhook export against a real HTTP server on 127.0.0.1 (DESIGN §4.9, §7).

The receiver verifies what it is sent with the ``standardwebhooks`` package, as a
CRM's endpoint would, and applies each webhook id once.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from prospector.foundations.db import database_id, open_database
from prospector.services import handoffs
from prospector.services.export import (
    WebhookOptions,
    WebhookURLError,
    batches,
    export_pending,
    runner,
)
from prospector.services.export.webhook import (
    Sender,
    WebhookOptionsError,
    check_url,
    parse_deadline,
    retry_after,
    shown_url,
)
from prospector.services.settings import load_settings
from tests.backend import rows
from tests.conftest import BACKEND, MONDAY_10_ET
from tests.handoff_factories import make_call, make_contact

FAST = WebhookOptions(timeout=2.0, attempts=3, backoff=0.01)
SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()

# An answer in a receiver's script: a status, (status, Retry-After), "hang", "hold",
# "drop" (the connection closed without an answer), "chunked" or "long" (answer bodies).
Answer = int | str | tuple[int, str]


class Receiver:
    """A CRM endpoint: answers from a script, verifies signatures when it has the
    secret, and counts what it took per webhook id (a second one is a replay)."""

    def __init__(
        self,
        script: list[Answer] | None = None,
        secret: str | None = None,
        protocol: str = "HTTP/1.1",
    ) -> None:
        self.script = list(script or [])
        self.requests: list[tuple[dict[str, str], bytes, Answer]] = []
        self.applied: Counter[str] = Counter()
        self.replays: list[str] = []
        self.unverified: list[str] = []
        self.peers: set[tuple[str, int]] = set()
        self.verifier = Webhook(secret) if secret else None
        self.release = threading.Event()
        self.holding = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = protocol  # 1.1: keep-alive, as CRMs' endpoints speak

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.peers.add(self.client_address)
                answer = receiver.script.pop(0) if receiver.script else 200
                receiver.requests.append((dict(self.headers), body, answer))
                if answer == "hang":
                    receiver.release.wait(5)
                    self.close_connection = True
                    return
                if answer == "drop":  # closed without an answer, as an idle timeout does
                    self.close_connection = True
                    return
                if answer == "chunked":  # an answer body of unknown length, in chunks
                    receiver.take(dict(self.headers), body)
                    self.send_response(200)
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    self.wfile.write(b"2\r\nok\r\n3\r\n!!!\r\n0\r\n\r\n")
                    return
                if answer == "long":  # more answer than anyone should read
                    receiver.take(dict(self.headers), body)
                    self.send_response(200)
                    self.send_header("Content-Length", str(200_000))
                    self.end_headers()
                    self.wfile.write(b"x" * 200_000)
                    return
                if answer == "hold":  # keep the sender waiting, then take it
                    receiver.holding.set()
                    receiver.release.wait(20)
                    answer = 200
                if answer == 200:
                    answer = receiver.take(dict(self.headers), body)
                status, wait = answer if isinstance(answer, tuple) else (int(answer), None)
                self.send_response(status)
                if wait is not None:
                    self.send_header("Retry-After", wait)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.block_on_close = False
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def take(self, headers: dict[str, str], body: bytes) -> int:
        """What a receiver does with a request: verify, then apply once per id."""
        if self.verifier is not None:
            try:
                self.verifier.verify(body, headers)
            except WebhookVerificationError as refused:
                self.unverified.append(str(refused))
                return 401
        webhook_id = headers["webhook-id"]
        if self.applied[webhook_id]:
            self.replays.append(webhook_id)  # a real receiver acknowledges, applies nothing
        self.applied[webhook_id] += 1
        return 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/handoffs"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def two_pending(db):
    ids = []
    for state in ("NY", "CA"):
        contact = make_contact(db, state=state)
        make_call(db, contact, at="2026-11-20T15:00:00Z", note=f"note for {state}")
        ids.append(handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET, amount=100).id)
    return ids


def statuses(db):
    return [h.status for h in handoffs.list_handoffs(db)]


def test_success_one_post_per_handoff(db, two_pending):
    with Receiver() as crm:
        result = export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
    assert (result.batch, result.count, result.format, result.failed) == (1, 2, "webhook", [])
    assert result.path == crm.url
    assert statuses(db) == ["exported", "exported"]
    bodies = [json.loads(body) for _, body, _ in crm.requests]
    assert [b["handoff_id"] for b in bodies] == two_pending
    assert bodies[0]["amount"] == "100.00" and "note for NY" in bodies[0]["description"]
    headers = [h for h, _, _ in crm.requests]
    assert all(h["Content-Type"].startswith("application/json") for h in headers)
    # The webhook id is the handoff's namespaced external id, repeated as Idempotency-Key.
    ids = [h["webhook-id"] for h in headers]
    assert ids == [f"{database_id(db)}-h{n}" for n in two_pending]
    assert ids == [b["external_id"] for b in bodies]
    assert ids == [h["Idempotency-Key"] for h in headers]
    assert all(abs(int(h["webhook-timestamp"]) - time.time()) < 60 for h in headers)
    assert "webhook-signature" not in headers[0]  # no secret, no signature
    assert len(crm.peers) == 1  # one kept-alive connection for the whole batch
    assert db.one("SELECT target FROM export_batches")[0] == crm.url


def test_500_then_success_is_retried_and_applied_once(db, two_pending):
    with Receiver([500, 200, 503, 503, 200]) as crm:
        result = export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
    assert result.count == 2 and result.failed == []
    assert len(crm.requests) == 5
    # The same id on every try of a handoff; each id taken exactly once.
    keys = [h["webhook-id"] for h, _, _ in crm.requests]
    assert keys[0] == keys[1] and keys[2] == keys[3] == keys[4] and keys[0] != keys[2]
    assert set(crm.applied.values()) == {1} and len(crm.applied) == 2
    assert statuses(db) == ["exported", "exported"]


def test_4xx_is_final_and_leaves_the_handoff_pending(db, two_pending, run):
    with Receiver([422, 200]) as crm:
        result = run("export", "--webhook", crm.url, "--attempts", "3", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["count"] == 1
    assert "1 handoff(s) not accepted, left pending: 1 (HTTP 422 after 1 attempt(s))" in (
        result.stderr
    )
    assert len(crm.requests) == 2
    assert statuses(db) == ["pending", "exported"]
    error = db.one("SELECT error FROM export_items WHERE handoff_id = 1")[0]
    assert error == "HTTP 422 after 1 attempt(s)"


def test_server_that_never_answers_times_out_and_keeps_handoffs_pending(db, two_pending, run):
    with Receiver(["hang"] * 4) as crm:
        result = run(
            "export", "--webhook", crm.url, "--timeout", "0.2", "--attempts", "2", "--json"
        )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["count"] == 0
    assert "left pending: 1 (no answer within 0.2 s after 2 attempt(s))" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert statuses(db) == ["pending", "pending"]
    # They go out with the next export, under the same idempotency keys.
    first_keys = {h["webhook-id"] for h, _, _ in crm.requests}
    with Receiver() as crm2:
        again = export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm2.url, webhook_options=FAST
        )
    assert (again.batch, again.count) == (2, 2)
    assert {h["webhook-id"] for h, _, _ in crm2.requests} == first_keys


def test_every_request_verifies_with_standardwebhooks_and_the_secret_is_never_kept(
    db, db_path, two_pending, run, monkeypatch
):
    monkeypatch.setenv("PROSPECTOR_WEBHOOK_SECRET", SECRET)
    with Receiver([503], secret=SECRET) as crm:
        result = run("export", "--webhook", crm.url, "--json")
    assert result.exit_code == 0, result.output
    assert crm.unverified == [] and len(crm.applied) == 2
    first = crm.requests[0][0]
    assert first["webhook-signature"].startswith("v1,")
    assert first["Idempotency-Key"] == first["webhook-id"]
    # The retry of a 503 is signed afresh over the same id and body.
    assert crm.requests[1][0]["webhook-id"] == first["webhook-id"]
    assert crm.requests[1][1] == crm.requests[0][1]
    assert SECRET not in result.output
    db.close()
    if isinstance(db_path, Path):
        for suffix in ("", "-wal"):
            path = db_path.with_name(db_path.name + suffix)
            if path.exists():
                assert SECRET.encode() not in path.read_bytes()
        return
    # PostgreSQL: no file of ours to read, so every row of every table instead.
    tables = rows(
        db_path,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
    )
    assert len(tables) > 10
    for (table,) in tables:
        assert SECRET not in repr(rows(db_path, f'SELECT * FROM "{table}"'))


def _tampered(headers: dict[str, str], **changes: str) -> dict[str, str]:
    return {**headers, **changes}


def test_tampering_fails_verification_and_a_replay_is_seen(db, two_pending, monkeypatch):
    monkeypatch.setenv("PROSPECTOR_WEBHOOK_SECRET", SECRET)
    with Receiver(secret=SECRET) as crm:
        export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
    headers, body, _ = crm.requests[0]
    verifier = Webhook(SECRET)
    assert verifier.verify(body, headers)["handoff_id"] == two_pending[0]
    stamp = int(headers["webhook-timestamp"])
    forged = [
        (body.replace(b"100.00", b"900.00"), headers),
        (body, _tampered(headers, **{"webhook-timestamp": str(stamp + 1)})),
        (body, _tampered(headers, **{"webhook-id": headers["webhook-id"] + "0"})),
        (body, _tampered(headers, **{"webhook-timestamp": str(stamp - 301)})),
        (body, {k: v for k, v in headers.items() if k != "webhook-signature"}),
    ]
    for forged_body, forged_headers in forged:
        with pytest.raises(WebhookVerificationError):
            verifier.verify(forged_body, forged_headers)
    with pytest.raises(WebhookVerificationError):  # another secret
        Webhook("whsec_" + base64.b64encode(b"k" * 32).decode()).verify(body, headers)
    # Replayed verbatim, the request verifies, but its id is one the receiver has seen.
    crm.take(headers, body)
    assert crm.replays == [headers["webhook-id"]]


@pytest.mark.parametrize(
    ("secret", "needle"),
    [("s3cret-for-tests-only", "expected whsec_<base64 of 24 to 64 random bytes>"),
     (base64.b64encode(b"k" * 32).decode(), "expected whsec_"),
     ("whsec_not*base64!", "not base64 after whsec_"),
     ("whsec_" + base64.b64encode(b"short").decode(), "5 bytes"),
     ("whsec_" + base64.b64encode(b"k" * 65).decode(), "65 bytes")],
)  # fmt: skip
def test_a_secret_not_in_whsec_form_is_refused_before_a_batch(
    db, two_pending, run, monkeypatch, secret, needle
):
    monkeypatch.setenv("PROSPECTOR_WEBHOOK_SECRET", secret)
    with Receiver() as crm:
        result = run("export", "--webhook", crm.url)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and needle in result.stderr
    assert "PROSPECTOR_WEBHOOK_SECRET" in result.stderr and secret not in result.stderr
    assert crm.requests == []
    assert db.one("SELECT count(*) FROM export_batches")[0] == 0
    assert statuses(db) == ["pending", "pending"]


def test_an_unpadded_whsec_secret_signs_as_the_package_reads_it(db, two_pending, monkeypatch):
    unpadded = "whsec_" + base64.b64encode(secrets.token_bytes(25)).decode().rstrip("=")
    monkeypatch.setenv("PROSPECTOR_WEBHOOK_SECRET", unpadded)
    with Receiver(secret=unpadded) as crm:
        result = export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
    assert result.count == 2 and crm.unverified == []


def _log_another_call(db, handoff_id: int) -> None:
    contact = db.one("SELECT contact_id FROM handoffs WHERE id = ?", (handoff_id,))[0]
    make_call(db, contact, at="2026-11-24T15:00:00Z", note="called back after the export")


def test_resend_keeps_the_webhook_id_and_the_frozen_body(db, two_pending, run):
    with Receiver() as crm:
        export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
        export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )  # nothing pending: no request
        assert len(crm.requests) == 2
        _log_another_call(db, two_pending[0])  # a rebuilt payload would differ now
        resent = export_pending(
            db,
            now=MONDAY_10_ET,
            actor="lead",
            webhook_url=crm.url,
            webhook_options=FAST,
            resend=True,
        )
        again = run("export", "--batch", "2", "--webhook", crm.url, "--json")
    assert resent.count == 2 and again.exit_code == 0, again.output
    assert len(crm.requests) == 6
    first, second, third = crm.requests[:2], crm.requests[2:4], crm.requests[4:]
    for earlier, later in [(first, second), (first, third)]:
        assert [h["webhook-id"] for h, _, _ in later] == [h["webhook-id"] for h, _, _ in earlier]
        assert [body for _, body, _ in later] == [body for _, body, _ in earlier]
    assert b"called back after the export" not in crm.requests[2][1]
    assert crm.replays == [h["webhook-id"] for h, _, _ in first] * 2


def test_a_handoff_refused_once_goes_again_with_its_first_body(db, two_pending):
    with Receiver([422, 200]) as crm:
        export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
        _log_another_call(db, two_pending[0])
        retried = export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
    assert (retried.batch, retried.count) == (2, 1)
    (refused, _, _), _, (sent, body, _) = crm.requests
    assert sent["webhook-id"] == refused["webhook-id"] and body == crm.requests[0][1]
    stored = db.one("SELECT payload FROM export_items WHERE batch_id = 2")[0]
    assert stored.encode() == body  # the batch keeps what it sent


def test_a_new_handoff_for_the_same_contact_has_a_new_id(db, two_pending):
    with Receiver() as crm:
        export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
        contact = db.one("SELECT contact_id FROM handoffs WHERE id = ?", (two_pending[0],))[0]
        newer = handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET, amount=500).id
        export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
    assert newer not in two_pending
    ids = [h["webhook-id"] for h, _, _ in crm.requests]
    assert ids[2] == f"{database_id(db)}-h{newer}" and ids[2] not in ids[:2]
    assert json.loads(crm.requests[2][1])["amount"] == "500.00"


def test_batch_resends_with_the_same_keys_and_no_status_change(db, two_pending, run):
    with Receiver([500, 500, 500, 200]) as crm:
        export_pending(
            db,
            now=MONDAY_10_ET,
            actor="lead",
            webhook_url=crm.url,
            webhook_options=WebhookOptions(timeout=2, attempts=3, backoff=0.01),
        )
        assert statuses(db) == ["pending", "exported"]
        result = run("export", "--batch", "1", "--webhook", crm.url, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rewritten"] is True
    keys = [h["webhook-id"] for h, _, _ in crm.requests]
    assert keys[-2:] == [keys[0], keys[3]]
    assert statuses(db) == ["pending", "exported"]


def test_a_failed_resend_says_exported_handoffs_stay_exported(db, two_pending, run):
    with Receiver([200, 200, 422, 200, 422, (503, "2")]) as crm:
        assert run("export", "--webhook", crm.url).exit_code == 0
        resent = run("export", "--resend", "--webhook", crm.url, "--attempts", "1")
        assert statuses(db) == ["exported", "exported"]
        again = run("export", "--batch", "1", "--webhook", crm.url, "--deadline", "1s")
    assert resent.exit_code == 1
    assert resent.stderr == (
        "error: webhook: 1 handoff(s) not accepted, left pending or exported as they were:"
        f" {two_pending[0]} (HTTP 422 after 1 attempt(s))\n"
    )
    # --batch N records nothing: neither "left pending" nor "for the next export" alone.
    assert again.exit_code == 1
    assert again.stderr.splitlines() == [
        f"error: webhook: 1 handoff(s) not accepted, status unchanged: {two_pending[0]}"
        " (HTTP 422 after 1 attempt(s))",
        "error: webhook: stopped, the 1 s deadline passed: 1 handoff(s) not sent,"
        " status unchanged for the next export --batch 1",
    ]
    assert statuses(db) == ["exported", "exported"]


def start_sender(db_path, url: str) -> subprocess.Popen[str]:
    """``prospector export --webhook`` in a process of its own, as another lead would."""
    command = ["--db", str(db_path), "--rep", "lead", "export", "--webhook", url, "--json"]
    return subprocess.Popen(
        [sys.executable, "-m", "prospector", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_no_sender_lives(db) -> None:
    """PostgreSQL drops a lost session's locks when its server process exits, which
    is a moment after the client's connection goes, not at once."""
    deadline = time.monotonic() + 30
    while batches.in_flight(db).batches and time.monotonic() < deadline:
        time.sleep(0.02)


def test_an_export_started_meanwhile_leaves_the_sending_batch_alone(
    db, db_path, two_pending, run, tmp_path
):
    with Receiver(["hold"]) as crm:
        sender = start_sender(db_path, crm.url)
        assert crm.holding.wait(30), "the sender never reached the receiver"
        files = run("export", "--format", "csv", "--out", str(tmp_path / "out"))
        assert files.exit_code == 0
        assert files.output.splitlines() == [
            "nothing else to export",
            "2 handoff(s) left out: webhook batch 1 is still sending them",
        ]
        other = export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
        assert (other.batch, other.in_flight) == (None, 2)
        crm.release.set()
        out, err = sender.communicate(timeout=30)
    assert sender.returncode == 0, err
    assert json.loads(out)["count"] == 2
    assert len(crm.requests) == 2 and set(crm.applied.values()) == {1}
    assert statuses(db) == ["exported", "exported"]
    assert db.one("SELECT sending_pid FROM export_batches WHERE id = 1")[0] is None


def test_a_sender_killed_mid_batch_holds_nothing(db, db_path, two_pending, tmp_path):
    with Receiver(["hold"]) as crm:
        sender = start_sender(db_path, crm.url)
        assert crm.holding.wait(30), "the sender never reached the receiver"
        sender.kill()
        sender.communicate(timeout=30)
    wait_until_no_sender_lives(db)
    assert db.one("SELECT sending_pid FROM export_batches WHERE id = 1")[0] == sender.pid
    result = export_pending(db, now=MONDAY_10_ET, actor="lead", format="csv", out_dir=tmp_path)
    assert (result.batch, result.count, result.in_flight) == (2, 2, 0)
    assert statuses(db) == ["exported", "exported"]


@pytest.mark.skipif(BACKEND != "postgresql", reason="on SQLite every sender is on this machine")
def test_a_sender_on_another_machine_is_judged_by_its_session_not_a_pid_here(
    db, db_path, two_pending, tmp_path
):
    """On PostgreSQL a sender may run on any rep's machine: its pid means nothing here."""
    elsewhere = open_database(db_path)
    with elsewhere.write():
        opened = runner._open_batch(
            elsewhere, load_settings(elsewhere), "webhook", "https://crm.example/h",
            MONDAY_10_ET, "lead", False,
        )  # fmt: skip
    assert opened.batch == 1
    with db.write():  # no such process on this machine
        db.execute("UPDATE export_batches SET sending_pid = ?", (2**31 - 1,))
    result = export_pending(db, now=MONDAY_10_ET, actor="lead", format="csv", out_dir=tmp_path)
    assert (result.batch, result.count, result.in_flight) == (None, 0, 2)
    # The sender's machine is lost; a live process here with the same pid holds nothing.
    elsewhere.close()
    wait_until_no_sender_lives(db)
    with db.write():
        db.execute("UPDATE export_batches SET sending_pid = ?", (os.getpid(),))
    result = export_pending(db, now=MONDAY_10_ET, actor="lead", format="csv", out_dir=tmp_path)
    assert (result.batch, result.count, result.in_flight) == (2, 2, 0)
    assert statuses(db) == ["exported", "exported"]


@pytest.mark.parametrize(
    "url",
    ["http://example.com/hook", "http://10.0.0.5/hook", "ftp://127.0.0.1/x", "https:///nohost"],
)
def test_refused_urls(db, two_pending, run, url):
    result = run("export", "--webhook", url)
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "webhook URL" in result.stderr
    assert db.one("SELECT count(*) FROM export_batches")[0] == 0
    assert statuses(db) == ["pending", "pending"]


def test_url_checks():
    assert check_url("http://localhost:8080/x?token=abc") == "http://localhost:8080/x"
    assert check_url("http://[::1]:9/x") == "http://[::1]:9/x"
    assert check_url("https://crm.example.com/h") == "https://crm.example.com/h"
    assert shown_url("https://user:pw@crm.example.com/h?sig=1#f") == "https://crm.example.com/h"
    with pytest.raises(WebhookURLError, match="https:// is required"):
        check_url("http://crm.example.com/h")


def test_an_interrupted_send_keeps_what_the_receiver_took(db, two_pending, monkeypatch):
    real = runner.Sender.deliver
    sent = []

    def deliver_then_stop(self, handoff_id, webhook_id, body):
        if sent:  # Ctrl+C while the second handoff is on its way
            raise KeyboardInterrupt
        sent.append(handoff_id)
        return real(self, handoff_id, webhook_id, body)

    monkeypatch.setattr(runner.Sender, "deliver", deliver_then_stop)
    with Receiver() as crm, pytest.raises(KeyboardInterrupt):
        export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
    assert len(crm.requests) == 1
    assert statuses(db) == ["exported", "pending"]
    assert db.one("SELECT sending_pid FROM export_batches WHERE id = 1")[0] is None


class FakeTime:
    """A clock that moves only when slept on: waits are recorded, never spent."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class Answers:
    """A transport that answers every request with one status, instantly."""

    def __init__(self, status: int) -> None:
        self.status = status

    def post(self, body: bytes, headers: object, timeout: float) -> tuple[int, None]:
        return self.status, None

    def close(self) -> None:
        pass


def sender_for(crm: Receiver, fake: FakeTime, **options: float) -> Sender:
    chosen = {"timeout": 2.0, "attempts": 4, "backoff": 0.5, **options}
    return Sender(
        crm.url,
        WebhookOptions(**chosen),  # type: ignore[arg-type]
        signer=None,
        monotonic=fake.monotonic,
        sleep=fake.sleep,
    )


def test_retry_after_seconds_and_http_date_are_waited_instead_of_the_backoff():
    fake = FakeTime()
    in_90s = format_datetime(datetime.fromtimestamp(time.time() + 90, UTC), usegmt=True)
    script: list[Answer] = [(429, "1"), (503, in_90s), (503, "soon"), 200]
    with Receiver(script) as crm, sender_for(crm, fake) as sender:
        outcome = sender.deliver(1, "db-h1", b"{}")
    assert (outcome.ok, outcome.attempts) == (True, 4)
    assert fake.slept[0] == 1.0
    assert 85 <= fake.slept[1] <= 90  # the date, less the time it took to get here
    assert 1.0 <= fake.slept[2] <= 2.0  # unreadable: the third back-off (0.5 s x 4), jittered


def test_retry_after_is_honoured_for_real_on_a_429(db, two_pending):
    with Receiver([(429, "1")]) as crm:
        start = time.monotonic()
        result = export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
        took = time.monotonic() - start
    assert result.count == 2 and len(crm.requests) == 3
    assert took >= 1.0


def test_retry_after_past_the_cap_stops_the_batch_and_leaves_the_rest_pending(db, two_pending):
    with Receiver([(429, "3600")]) as crm:
        result = export_pending(
            db,
            now=MONDAY_10_ET,
            actor="lead",
            webhook_url=crm.url,
            webhook_options=WebhookOptions(timeout=2, max_retry_after=60),
        )
    assert (result.count, result.not_sent, result.failed) == (0, 2, [])
    assert result.stopped == "the receiver asked to retry after 3600 s (more than 60 s)"
    assert len(crm.requests) == 1 and statuses(db) == ["pending", "pending"]
    assert db.one("SELECT count(*) FROM export_items WHERE error IS NOT NULL")[0] == 0


@given(
    backoff=st.floats(0, 5),
    max_backoff=st.floats(0, 30),
    draws=st.lists(st.floats(0, 1), min_size=5, max_size=5),
)
def test_backoff_is_jittered_within_half_to_all_of_a_doubling_capped_bound(
    backoff, max_backoff, draws
):
    fake = FakeTime()
    options = WebhookOptions(attempts=6, backoff=backoff, max_backoff=max_backoff)
    answers = iter(draws)
    sender = Sender(
        "http://127.0.0.1:9/x",
        options,
        signer=None,
        monotonic=fake.monotonic,
        sleep=fake.sleep,
        jitter=lambda low, high: low + (high - low) * next(answers),
        transport=Answers(503),
    )
    outcome = sender.deliver(1, "db-h1", b"{}")
    assert (outcome.ok, outcome.attempts, outcome.error) == (
        False,
        6,
        "HTTP 503 after 6 attempt(s)",
    )
    for retry, (waited, draw) in enumerate(zip(fake.slept, draws, strict=True), start=1):
        bound = min(backoff * 2 ** (retry - 1), max_backoff)
        assert bound / 2 <= waited <= bound
        assert waited == pytest.approx(bound / 2 + bound / 2 * draw)


def test_real_jitter_spreads_the_waits():
    fake = FakeTime()
    options = WebhookOptions(attempts=20, backoff=1, max_backoff=1)
    sender = Sender(
        "http://127.0.0.1:9/x",
        options,
        signer=None,
        monotonic=fake.monotonic,
        sleep=fake.sleep,
        transport=Answers(500),
    )
    sender.deliver(1, "db-h1", b"{}")
    assert len(fake.slept) == 19 and all(0.5 <= wait <= 1 for wait in fake.slept)
    assert len(set(fake.slept)) > 1


@pytest.mark.parametrize(
    ("status", "tries"),
    [(400, 1), (401, 1), (404, 1), (410, 1), (422, 1), (301, 1), (308, 1),
     (408, 3), (409, 3), (425, 3), (429, 3), (500, 3), (502, 3), (503, 3)],
)  # fmt: skip
def test_which_answers_are_final(status, tries):
    fake = FakeTime()
    with Receiver([status] * 3) as crm, sender_for(crm, fake, attempts=3) as sender:
        outcome = sender.deliver(1, "db-h1", b"{}")
    assert (outcome.ok, outcome.attempts, len(crm.requests)) == (False, tries, tries)
    assert outcome.error == f"HTTP {status} after {tries} attempt(s)"


def test_the_deadline_stops_a_batch_and_the_next_export_sends_the_rest(db, run):
    ids = []
    for state in ("NY", "CA", "TX"):
        contact = make_contact(db, state=state)
        ids.append(handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET, amount=1).id)
    # The second handoff's retry would be due after the deadline: sending stops there.
    with Receiver([200, (503, "2")]) as crm:
        start = time.monotonic()
        result = run("export", "--webhook", crm.url, "--deadline", "1.5s", "--json")
        took = time.monotonic() - start
        assert result.exit_code == 1
        shown = json.loads(result.stdout)
        assert (shown["count"], shown["not_sent"], shown["failed"]) == (1, 2, [])
        assert shown["stopped"] == "the 1.5 s deadline passed"
        assert result.stderr == (
            "error: webhook: stopped, the 1.5 s deadline passed: 2 handoff(s) not sent,"
            " left pending for the next export\n"
        )
        assert took < 1.5  # it stopped rather than wait past the deadline
        assert statuses(db) == ["exported", "pending", "pending"]
        again = run("export", "--webhook", crm.url, "--json")
    assert again.exit_code == 0 and json.loads(again.stdout)["count"] == 2
    sent = [h["webhook-id"] for h, _, _ in crm.requests]
    assert sent[1] == sent[2] and len(set(sent)) == 3 and set(crm.applied.values()) == {1}
    assert statuses(db) == ["exported"] * 3


def test_a_request_never_outlives_the_deadline(db, two_pending, run):
    with Receiver(["hang"]) as crm:
        start = time.monotonic()
        result = run(
            "export", "--webhook", crm.url, "--timeout", "30", "--deadline", "0.5", "--json"
        )
        took = time.monotonic() - start
    assert result.exit_code == 1 and took < 5
    shown = json.loads(result.stdout)
    assert (shown["count"], shown["not_sent"]) == (0, 2)
    assert statuses(db) == ["pending", "pending"]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("10m", 600), ("90s", 90), ("1h30m", 5400), ("600", 600), ("0.5s", 0.5), ("24h", 86400),
     (" 2M ", 120)],
)  # fmt: skip
def test_deadline_words(text, seconds):
    assert parse_deadline(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "0s", "25h", "ten minutes", "-5m", "1d", "m"])
def test_bad_deadlines_are_one_line_errors(db, two_pending, run, text):
    with pytest.raises(WebhookOptionsError):
        parse_deadline(text)
    result = run("export", "--webhook", "http://127.0.0.1:9/x", "--deadline", text)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "deadline" in result.stderr
    assert db.one("SELECT count(*) FROM export_batches")[0] == 0


@pytest.mark.parametrize(
    "text", ["25h", "99999999999h", "1441m", "100000000s", pytest.param("9" * 400, id="9x400")]
)
def test_a_deadline_too_long_says_the_limit(text):
    with pytest.raises(WebhookOptionsError, match="at most 24h"):
        parse_deadline(text)


def test_a_connection_the_receiver_closed_is_opened_again_without_a_lost_attempt(db, two_pending):
    with Receiver([200, "drop"]) as crm:
        result = export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
    assert result.count == 2 and result.failed == []
    assert [answer for _, _, answer in crm.requests] == [200, "drop", 200]
    assert len(crm.peers) == 2  # the second connection replaced the closed one
    assert crm.requests[1][0]["webhook-id"] == crm.requests[2][0]["webhook-id"]
    assert set(crm.applied.values()) == {1}


def test_a_fresh_connection_closed_without_an_answer_is_a_retried_network_error(db):
    contact = make_contact(db)
    handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET, amount=1)
    with Receiver(["drop", 200]) as crm:
        result = export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
    assert result.count == 1 and len(crm.requests) == 2 and len(crm.peers) == 2


def test_a_receiver_that_closes_after_every_answer_still_gets_everything(db, two_pending):
    with Receiver(protocol="HTTP/1.0") as crm:
        result = export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
    assert result.count == 2 and len(crm.peers) == 2 and len(crm.applied) == 2


def test_https_goes_through_the_environments_proxy_by_a_tunnel(monkeypatch):
    asked: list[bytes] = []

    class Proxy(BaseHTTPRequestHandler):
        def do_CONNECT(self) -> None:
            asked.append(self.requestline.encode())
            asked.append(self.headers.get("Proxy-Authorization", "").encode())
            self.send_error(403)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    port = server.server_address[1]
    monkeypatch.setenv("HTTPS_PROXY", f"http://me:p%40ss@127.0.0.1:{port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    options = WebhookOptions(timeout=2, attempts=1)
    try:
        with Sender("https://crm.example.com/hooks", options, signer=None) as sender:
            outcome = sender.deliver(1, "db-h1", b"{}")
    finally:
        server.shutdown()
        server.server_close()
    assert not outcome.ok and "403" in (outcome.error or "")
    login = base64.b64encode(b"me:p@ss")
    assert asked[0].startswith(b"CONNECT crm.example.com:443 HTTP/1.")
    assert asked[1:] == [b"Basic " + login]


def test_loopback_never_goes_through_a_proxy(db, two_pending, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    with Receiver() as crm:
        result = export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
    assert result.count == 2 and len(crm.applied) == 2


def _readme_receiver() -> str:
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = text.index('  """receiver.py')
    block = text[start : text.index("  ```", start)]
    return textwrap.dedent(block)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_readmes_receiver_verifies_applies_once_and_refuses_forgeries(
    db, two_pending, run, tmp_path, monkeypatch
):
    script = tmp_path / "receiver.py"
    script.write_text(_readme_receiver(), encoding="utf-8")
    port = _free_port()
    monkeypatch.setenv("PROSPECTOR_WEBHOOK_SECRET", SECRET)
    receiver = subprocess.Popen(
        [sys.executable, str(script)],
        env={**os.environ, "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/hooks"
    try:
        for _ in range(100):  # until it listens
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        first = run("export", "--webhook", url, "--json")
        again = run("export", "--resend", "--webhook", url, "--json")
        forged = Sender(url, WebhookOptions(attempts=1), signer=Webhook(SECRET[:-4] + "AAA="))
        with forged:
            refused = forged.deliver(1, "someone-h1", b'{"company": "x", "amount": "1"}')
    finally:
        receiver.terminate()
        out, _ = receiver.communicate(timeout=10)
    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    assert json.loads(again.stdout)["count"] == 2  # taken, and applied only the first time
    assert (refused.ok, refused.status) == (False, 401)
    dbid = database_id(db)
    assert out.splitlines() == [f"{dbid}-h1 Acme Corp 100.00", f"{dbid}-h2 Acme Corp 100.00"]


def test_any_webhook_send_carries_the_body_of_the_handoffs_first_batch(
    db, two_pending, run, tmp_path
):
    # First written as files; a later file batch re-built the payload after a call.
    assert run("export", "--format", "jsonl", "--out", str(tmp_path)).exit_code == 0
    _log_another_call(db, two_pending[0])
    assert run("export", "--resend", "--format", "jsonl", "--out", str(tmp_path)).exit_code == 0
    first, rebuilt = (
        db.one("SELECT payload FROM export_items WHERE batch_id = ? AND handoff_id = ?", (n, 1))[0]
        for n in (1, 2)
    )
    assert first != rebuilt
    with Receiver() as crm:
        assert run("export", "--batch", "2", "--webhook", crm.url).exit_code == 0
        assert run("export", "--resend", "--webhook", crm.url).exit_code == 0
    bodies = [body for headers, body, _ in crm.requests if headers["webhook-id"].endswith("-h1")]
    assert bodies == [first.encode()] * 2


def test_answer_bodies_are_read_to_their_end_and_a_long_one_ends_the_connection(db, two_pending):
    contact = make_contact(db)
    handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET, amount=1)
    with Receiver(["chunked", "long", 200]) as crm:
        result = export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
    assert result.count == 3 and len(crm.requests) == 3 and len(crm.applied) == 3
    # The chunked answer kept the connection; the 200 kB one was not read through.
    assert len(crm.peers) == 2


NOW = 1_700_000_000.0  # 2023-11-14T22:13:20Z


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("0", 0.0), ("120", 120.0), (" 7 ", 7.0), ("Tue, 14 Nov 2023 22:14:00 GMT", 40.0),
     ("Tue, 14 Nov 2023 22:00:00 GMT", 0.0), ("Tuesday, 14-Nov-23 22:13:30 GMT", 10.0),
     (None, None), ("", None), ("-1", None), ("1.5", None), ("soon", None),
     ("99999999999", None), ("Tue, 99 Nov 2023 22:14:00 GMT", None)],
)  # fmt: skip
def test_retry_after_header_values(header, seconds):
    assert retry_after(header, NOW) == seconds
