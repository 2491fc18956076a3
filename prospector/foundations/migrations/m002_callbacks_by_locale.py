"""Schema 2: the queue's callback lanes read one open locale at a time.

With callbacks indexed by time alone, every due callback in a closed locale (the
West Coast at 10:00 Eastern) was read and rejected on every ``next``: 900 of them
cost 3.5 ms. Leading with the rep and the locale lets a lane seek straight to the
callbacks it may offer, as the new-lead and follow-up lanes already do.
"""

SQL = """
DROP INDEX contacts_queue_callback;
DROP INDEX contacts_by_callback_rep;
CREATE INDEX contacts_queue_callback ON contacts (locale_id, callback_at)
    WHERE status = 'open' AND dnc = 0 AND filtered_by IS NULL AND phone_bad = 0
      AND callback_at IS NOT NULL;
CREATE INDEX contacts_queue_my_callback ON contacts (callback_rep, locale_id, callback_at)
    WHERE status = 'open' AND dnc = 0 AND filtered_by IS NULL AND phone_bad = 0
      AND callback_rep IS NOT NULL;
"""
