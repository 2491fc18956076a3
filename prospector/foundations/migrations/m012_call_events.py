"""Schema 12: what a phone system tells about a call (``prospector event``).

``calls`` gains when the prospect answered, when the call ended and the
recording's address. An event about a call still in progress (the contact dialed,
no outcome logged yet) waits in ``call_events``, one row per contact, until the
call's ``log`` takes it.
"""

from __future__ import annotations

SQL = """
ALTER TABLE calls ADD COLUMN answered_at {text};
ALTER TABLE calls ADD COLUMN ended_at {text};
ALTER TABLE calls ADD COLUMN recording_url {text};
CREATE TABLE call_events (
    contact_id {integer} PRIMARY KEY REFERENCES contacts (id),
    rep {text} NOT NULL,
    received_at {text} NOT NULL,
    answered_at {text},
    ended_at {text},
    duration_seconds {integer},
    recording_url {text}
);
"""
