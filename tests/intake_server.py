"""A real `prospector serve` process on 127.0.0.1 and signed requests to it (tests, bench)."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from standardwebhooks.webhooks import Webhook

SECRET = "whsec_" + base64.b64encode(b"prospector-intake-test-key-32byt").decode()
TOKEN = "intake-test-token"
ROOT = Path(__file__).resolve().parents[1]


class ServeProcess:
    """``prospector --db DB serve --port 0 ...`` started, its URL read from its first line."""

    def __init__(self, db: str | os.PathLike[str], *args: str, env: dict[str, str] | None = None):
        environ = {
            **os.environ,
            "PROSPECTOR_INTAKE_SECRET": SECRET,
            "PROSPECTOR_INTAKE_TOKEN": TOKEN,
            "PYTHONPATH": str(ROOT),
            **(env or {}),
        }
        environ.pop("PROSPECTOR_DB", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "prospector", "--db", os.fspath(db), "serve", "--port", "0",
             *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environ,
        )  # fmt: skip
        assert self.process.stdout is not None
        self.first_line = self.process.stdout.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+)/leads", self.first_line)
        if found is None:
            self.process.kill()
            _, errors = self.process.communicate(timeout=10)
            raise AssertionError(f"serve did not start: {self.first_line!r} {errors!r}")
        self.url = found.group(1)

    def stop(self) -> tuple[int, str, str]:
        """Ctrl-C, as a user would; ``(exit status, rest of stdout, stderr)``."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=20)
        return self.process.returncode, out, err


def signed(
    body: object | bytes,
    *,
    webhook_id: str | None = None,
    at: datetime | None = None,
    secret: str = SECRET,
) -> tuple[bytes, dict[str, str]]:
    """A body (JSON-encoded unless bytes) and its Standard Webhooks headers."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    msg_id = webhook_id or f"msg_{uuid.uuid4().hex}"
    when = at or datetime.now(UTC)
    signature = Webhook(secret).sign(msg_id, when, data.decode())
    return data, {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": signature,
    }


def stale() -> datetime:
    """A signing time just past the scheme's five minutes of tolerance."""
    return datetime.now(UTC) - timedelta(minutes=6)
