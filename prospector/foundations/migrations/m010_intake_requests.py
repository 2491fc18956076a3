"""Schema 10: the answers of the intake endpoint.

``prospector serve`` answers a ``POST /leads`` once per ``webhook-id``: a sender
that retries (its own timeout, a lost answer) gets the first answer again, status
and body, and nothing is created twice. The answer is stored in the transaction
that wrote the leads, so it holds across restarts and between several serve
processes on one database.
"""

from __future__ import annotations

SQL = """
CREATE TABLE intake_requests (
    webhook_id {text} PRIMARY KEY,
    status {integer} NOT NULL,
    body {text} NOT NULL,
    received_at {text} NOT NULL
);
"""
