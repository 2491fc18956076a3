"""Export 10,000 pending handoffs to each format (and a webhook on 127.0.0.1).

Run: ``python -m tests.bench.bench_export [N]``. Each figure is printed beside a
reference measured in the same run: for files, a bare ``csv.writer`` writing the
same number of rows of the same width from ready-made tuples; for the webhook, a
bare ``urllib`` POST loop to the same local server.

The webhook receiver speaks HTTP/1.1 as CRMs' endpoints do, so a client may keep
its connection open (urllib closes it after every request). The export signs every
request (a ``whsec_`` secret is set for it). The webhook export and the loop run
twice, alternately, so a busy machine's noise falls on both; each figure and the
best of each are printed.
"""

from __future__ import annotations

import base64
import csv
import io
import os
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from prospector.foundations.db import Database, open_database
from prospector.services.export import WebhookOptions, export_pending
from prospector.services.export.webhook import SECRET_ENV

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
STAMP = "2026-11-20T15:00:00Z"
NOTE = 'Spoke with the VP.\nBudget "approved" for Q1; wants a demo, = next steps'


def populate(db: Database, count: int) -> None:
    """``count`` contacts, each with an account, two calls and a pending handoff."""
    with db.write():
        db.execute(
            "INSERT INTO locales (zones, country, state) VALUES ('America/New_York', 'US', 'NY')"
        )
        db.conn.executemany(
            """INSERT INTO accounts (id, name, name_key, domain, industry, employees,
                   created_at, updated_at) VALUES (?, ?, ?, ?, 'Software', 250, ?, ?)""",
            [
                (i, f"Company {i}", f"company {i}", f"c{i}.example.com", STAMP, STAMP)
                for i in range(1, count + 1)
            ],
        )
        db.conn.executemany(
            """INSERT INTO contacts (id, account_id, first_name, last_name, title, email, phone,
                   phone_raw, state, country, locale_id, source, tier, next_call_at,
                   created_at, updated_at, status)
               VALUES (?, ?, 'Jane', ?, 'VP Operations', ?, ?, ?, 'NY', 'US', 1, 'inbound', 'A',
                       ?, ?, ?, 'qualified')""",
            [
                (i, i, f"Doe{i}", f"jane{i}@c{i}.example.com", *[f"+1212{i:07d}"] * 2)
                + (STAMP,) * 3
                for i in range(1, count + 1)
            ],
        )
        db.conn.executemany(
            """INSERT INTO calls (contact_id, rep, at, disposition, category, attempt, note,
                   status_after) VALUES (?, 'alice', ?, ?, ?, ?, ?, 'open')""",
            [
                row
                for i in range(1, count + 1)
                for row in (
                    (i, "2026-11-19T15:00:00Z", "voicemail", "dial", 1, "left a message"),
                    (i, "2026-11-20T15:00:00Z", "meeting_set", "conversation", 2, NOTE),
                )
            ],
        )
        db.conn.executemany(
            """INSERT INTO handoffs (contact_id, inside_rep, owner, owner_email, amount_cents,
                   meeting_at, budget, need, status, created_at, updated_at)
               VALUES (?, 'alice', 'Dana Whitfield', 'dana.whitfield@example.com', ?,
                       '2026-12-01T19:00:00Z', 'approved', 'CRM', 'pending', ?, ?)""",
            [(i, 1_250_000 + i, STAMP, STAMP) for i in range(1, count + 1)],
        )


def reset(db: Database) -> None:
    with db.write():
        db.execute("UPDATE handoffs SET status = 'pending', batch_id = NULL, exported_at = NULL")


def csv_reference(out: Path, count: int, width: int) -> float:
    rows = [tuple(f"value {i} {j}" for j in range(width)) for i in range(count)]
    start = time.perf_counter()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    (out / "reference.csv").write_bytes(buffer.getvalue().encode("utf-8"))
    return time.perf_counter() - start


class _Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a CRM endpoint answers

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def post_reference(url: str, count: int) -> float:
    body = b'{"handoff_id": 1, "description": "' + b"x" * 600 + b'"}'
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    start = time.perf_counter()
    for _ in range(count):
        request = urllib.request.Request(url, data=body, method="POST")
        with opener.open(request, timeout=5) as response:
            response.read()
    return time.perf_counter() - start


def webhook_export(db: Database, url: str, count: int) -> float:
    """Seconds to send the first ``count`` handoffs (made pending again) as one batch."""
    with db.write():
        db.execute(
            "UPDATE handoffs SET status = 'pending', batch_id = NULL, exported_at = NULL"
            " WHERE id <= ?",
            (count,),
        )
    start = time.perf_counter()
    result = export_pending(
        db, now=NOW, actor="bench", webhook_url=url, webhook_options=WebhookOptions()
    )
    took = time.perf_counter() - start
    assert result.count == count and not result.failed, result
    return took


def main(count: int = 10_000, webhook_count: int | None = None) -> None:
    webhook_count = webhook_count or count
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        db = open_database(base / "bench.db")
        start = time.perf_counter()
        populate(db, count)
        print(
            f"setup: {count:,} contacts, {2 * count:,} calls, {count:,} pending handoffs"
            f" in {time.perf_counter() - start:.2f} s"
        )
        for format in ("salesforce", "salesforce-leads", "hubspot", "csv", "jsonl"):
            reset(db)
            start = time.perf_counter()
            result = export_pending(
                db, now=NOW, actor="bench", format=format, out_dir=base / format
            )
            took = time.perf_counter() - start
            assert result.count == count, result
            size = sum(Path(f).stat().st_size for f in result.files)
            reference = csv_reference(base, count, 14 * len(result.files))
            print(
                f"export {format:<10} {count:,} handoffs: {took:6.2f} s"
                f" ({size / 1e6:5.1f} MB, {count / took:8,.0f}/s)"
                f" | reference csv.writer, same rows x cells: {reference:5.2f} s"
            )
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        with db.write():  # the webhook run takes the first webhook_count handoffs
            db.execute("UPDATE handoffs SET status = 'exported' WHERE id > ?", (webhook_count,))
        exports, loops = [], []
        os.environ[SECRET_ENV] = "whsec_" + base64.b64encode(os.urandom(32)).decode()
        for _ in range(2):
            loops.append(post_reference(url, webhook_count))
            exports.append(webhook_export(db, url, webhook_count))
        print(
            f"export webhook    {webhook_count:,} handoffs: {min(exports):6.2f} s"
            f" ({webhook_count / min(exports):8,.0f}/s)"
            f" | reference bare urllib POST loop: {min(loops):5.2f} s"
            f" (best of 2; runs: {', '.join(f'{t:.2f}' for t in exports)} s"
            f" against {', '.join(f'{t:.2f}' for t in loops)} s)"
        )
        server.shutdown()
        server.server_close()
        db.close()


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
