"""Schema 4: a skipped new lead waits outside the new-lead index.

The new-lead lane reads leads in SLA order and skips those not due yet; a lead
skipped for half an hour was read, and passed over, on every ``next`` meanwhile.
``deferred_until`` keeps it out of ``contacts_queue_new`` until the queue brings it
back (``services.recycling.return_due``), so the lane reads only leads it may offer.
"""

SQL = """
ALTER TABLE contacts ADD COLUMN deferred_until TEXT;
DROP INDEX contacts_queue_new;
CREATE INDEX contacts_queue_new ON contacts (locale_id, sla_due_at, tier_priority, next_call_at)
    WHERE status = 'open' AND dnc = 0 AND filtered_by IS NULL AND phone_bad = 0
      AND attempts = 0 AND callback_at IS NULL AND deferred_until IS NULL;
CREATE INDEX contacts_deferred ON contacts (deferred_until) WHERE deferred_until IS NOT NULL;
"""
