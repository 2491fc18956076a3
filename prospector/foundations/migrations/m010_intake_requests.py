"""Schema 9 (m010 until the lead numbers it): the answers of the intake endpoint.

``prospector serve`` answers a ``POST /leads`` once per ``webhook-id``: a sender
that retries (its own timeout, a lost answer) gets the first answer again, status
and body, and nothing is created twice. The answer is stored in the transaction
that wrote the leads, so it holds across restarts and between several serve
processes on one database.
"""

SQL = """
CREATE TABLE intake_requests (
    webhook_id TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL
);
"""
