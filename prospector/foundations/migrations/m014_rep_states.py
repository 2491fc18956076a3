"""Schema 14: each rep's states over time (ready, on call, wrap-up, paused, offline).

One row per interval a rep spent in one state; the open one (``ended_at`` NULL) is
the rep's state now, at most one per rep, found through ``rep_states_open`` (the
floor reads only those). ``seen_at`` is the last time the rep's desk was heard from
in that state: an open row not seen for a lease counts as offline
(:mod:`prospector.services.rep_states`). ``code`` is the pause code of a pause.
The time report reads the stays by the day they began (``rep_states_by_start``) and
the few still going at the period's start (``rep_states_by_end``).
"""

from __future__ import annotations

SQL = """
CREATE TABLE rep_states (
    rep {text} NOT NULL,
    started_at {text} NOT NULL,
    ended_at {text},
    state {text} NOT NULL
        CHECK (state IN ('ready', 'on_call', 'wrap_up', 'paused', 'offline')),
    code {text},
    contact_id {integer},
    seen_at {text} NOT NULL,
    PRIMARY KEY (rep, started_at)
);
CREATE UNIQUE INDEX rep_states_open ON rep_states (rep) WHERE ended_at IS NULL;
CREATE INDEX rep_states_by_start ON rep_states (started_at);
CREATE INDEX rep_states_by_end ON rep_states (ended_at);
"""
