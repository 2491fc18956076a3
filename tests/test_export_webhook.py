"""Webhook export against a real HTTP server on 127.0.0.1 (DESIGN §4.9, §7)."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from prospector.services import handoffs
from prospector.services.export import WebhookOptions, WebhookURLError, export_pending, runner
from prospector.services.export.webhook import check_url, shown_url
from tests.conftest import MONDAY_10_ET
from tests.handoff_factories import make_call, make_contact

FAST = WebhookOptions(timeout=2.0, attempts=3, backoff=0.01)
SECRET = "s3cret-for-tests-only"


class Receiver:
    """A CRM endpoint: answers from a script, applies each idempotency key once."""

    def __init__(self, script: list[int | str] | None = None) -> None:
        self.script = list(script or [])
        self.requests: list[tuple[dict[str, str], bytes, int | str]] = []
        self.applied: Counter[str] = Counter()
        self.release = threading.Event()
        self.holding = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                answer = receiver.script.pop(0) if receiver.script else 200
                receiver.requests.append((dict(self.headers), body, answer))
                if answer == "hang":
                    receiver.release.wait(5)
                    return
                if answer == "hold":  # keep the sender waiting, then take it
                    receiver.holding.set()
                    receiver.release.wait(20)
                    answer = 200
                if answer == 200:
                    key = self.headers["Idempotency-Key"]
                    receiver.applied[key] += 1
                self.send_response(int(answer))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

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
    keys = [h["Idempotency-Key"] for h in headers]
    assert len(set(keys)) == 2 and keys[0].startswith("prospector-handoff-1-")
    assert "X-Prospector-Signature" not in headers[0]  # no secret, no signature
    assert db.one("SELECT target FROM export_batches")[0] == crm.url


def test_500_then_success_is_retried_and_applied_once(db, two_pending):
    with Receiver([500, 200, 503, 503, 200]) as crm:
        result = export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
    assert result.count == 2 and result.failed == []
    assert len(crm.requests) == 5
    # The same key on every try of a handoff; each key applied exactly once.
    keys = [h["Idempotency-Key"] for h, _, _ in crm.requests]
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
    first_keys = {h["Idempotency-Key"] for h, _, _ in crm.requests}
    with Receiver() as crm2:
        again = export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm2.url, webhook_options=FAST
        )
    assert (again.batch, again.count) == (2, 2)
    assert {h["Idempotency-Key"] for h, _, _ in crm2.requests} == first_keys


def test_signature_verifiable_and_secret_never_kept(db, db_path, two_pending, run, monkeypatch):
    monkeypatch.setenv("PROSPECTOR_WEBHOOK_SECRET", SECRET)
    with Receiver() as crm:
        result = run("export", "--webhook", crm.url, "--json")
    assert result.exit_code == 0, result.output
    for headers, body, _ in crm.requests:
        stamp = headers["X-Prospector-Timestamp"]
        expected = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256)
        assert hmac.compare_digest(
            headers["X-Prospector-Signature"], "sha256=" + expected.hexdigest()
        )
    assert SECRET not in result.output
    db.close()
    for suffix in ("", "-wal"):
        path = db_path.with_name(db_path.name + suffix)
        if path.exists():
            assert SECRET.encode() not in path.read_bytes()


def test_resend_uses_fresh_keys(db, two_pending):
    with Receiver() as crm:
        export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
        export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )  # nothing pending: no request
        assert len(crm.requests) == 2
        resent = export_pending(
            db,
            now=MONDAY_10_ET,
            actor="lead",
            webhook_url=crm.url,
            webhook_options=FAST,
            resend=True,
        )
    assert resent.count == 2 and len(crm.requests) == 4
    assert len(crm.applied) == 4  # a resend is meant to be taken again
    assert crm.requests[2][0]["Idempotency-Key"].endswith("-resend-2")


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
    keys = [h["Idempotency-Key"] for h, _, _ in crm.requests]
    assert keys[-2:] == [keys[0], keys[3]]
    assert statuses(db) == ["pending", "exported"]


def start_sender(db_path, url: str) -> subprocess.Popen[str]:
    """``prospector export --webhook`` in a process of its own, as another lead would."""
    command = ["--db", str(db_path), "--rep", "lead", "export", "--webhook", url, "--json"]
    return subprocess.Popen(
        [sys.executable, "-m", "prospector", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


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
    assert db.one("SELECT sending_pid FROM export_batches WHERE id = 1")[0] == sender.pid
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
    real = runner.deliver
    sent = []

    def deliver_then_stop(url, handoff_id, body, **kwargs):
        if sent:  # Ctrl+C while the second handoff is on its way
            raise KeyboardInterrupt
        sent.append(handoff_id)
        return real(url, handoff_id, body, **kwargs)

    monkeypatch.setattr(runner, "deliver", deliver_then_stop)
    with Receiver() as crm, pytest.raises(KeyboardInterrupt):
        export_pending(
            db, now=MONDAY_10_ET, actor="lead", webhook_url=crm.url, webhook_options=FAST
        )
    assert len(crm.requests) == 1
    assert statuses(db) == ["exported", "pending"]
    assert db.one("SELECT sending_pid FROM export_batches WHERE id = 1")[0] is None
