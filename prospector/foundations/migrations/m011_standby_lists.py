"""Schema 11: standby lists wait outside the queue until the floor runs low.

A contact imported into a standby list that has not opened carries the list's name
in ``standby_list``, which keeps it out of ``contacts_queue_new`` (as
``deferred_until`` does for a skipped lead): ``next`` reads the same index with no
join and no extra test. Opening the list is one UPDATE over ``contacts_standby``
that clears the column, and a row in ``standby_lists`` (its primary key makes the
opening happen once).
"""

from __future__ import annotations

SQL = """
ALTER TABLE contacts ADD COLUMN standby_list {text};
DROP INDEX contacts_queue_new;
CREATE INDEX contacts_queue_new ON contacts (locale_id, sla_due_at, tier_priority, next_call_at)
    WHERE status = 'open' AND dnc = 0 AND filtered_by IS NULL AND phone_bad = 0
      AND attempts = 0 AND callback_at IS NULL AND deferred_until IS NULL
      AND standby_list IS NULL;
CREATE INDEX contacts_standby ON contacts (standby_list) WHERE standby_list IS NOT NULL;
CREATE TABLE standby_lists (
    name {text} PRIMARY KEY,
    opened_at {text} NOT NULL,
    opened_by {text} NOT NULL,
    reason {text} NOT NULL
);
"""
