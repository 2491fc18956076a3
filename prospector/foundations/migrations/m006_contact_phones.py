"""Schema 6: every phone of a contact, with its kind and extension.

A vendor row may carry a direct dial, a mobile, a company switchboard and others.
``contact_phones`` keeps them all, in dial order (``rank``: 0 is dialled first);
``contacts.phone`` (with ``phone_ext``) stays the number the queue offers, a copy
of the best phone that is not marked bad, so the queue's indexes are unchanged.

A company switchboard is shared by colleagues, so ``contacts.phone`` is no longer
unique. A person's own numbers still are (``contact_phones_personal``): matching
a row to a contact uses every phone except a company one. Company numbers have
their own partial index, so finding a number's contacts (DNC) is two index seeks,
and a new contact's phones cost one random-key index entry, not two.

``import_batches`` also counts an import's warnings and toll-free rows, and
``deferred_indexes`` keeps the definitions of the contacts' indexes a large import
dropped to build them again at its end (``services.importing.indexes``).

``calls.phone`` records the number a call was made on (the rep may switch).
"""

SQL = """
DROP INDEX contacts_by_phone;
CREATE INDEX contacts_by_phone ON contacts (phone);
ALTER TABLE contacts ADD COLUMN phone_ext TEXT;
ALTER TABLE contacts ADD COLUMN postal_code TEXT;
ALTER TABLE contacts ADD COLUMN external_id TEXT;

CREATE TABLE contact_phones (
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    e164 TEXT NOT NULL,
    raw TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'work', 'mobile', 'other', 'company')),
    extension TEXT,
    number_type TEXT,
    rank INTEGER NOT NULL,
    bad INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (contact_id, e164)
) WITHOUT ROWID;
CREATE UNIQUE INDEX contact_phones_personal ON contact_phones (e164) WHERE kind <> 'company';
CREATE INDEX contact_phones_company ON contact_phones (e164) WHERE kind = 'company';

INSERT INTO contact_phones (contact_id, e164, raw, kind, extension, number_type, rank, bad)
    SELECT id, phone, phone_raw, 'work', NULL, phone_type, 0, phone_bad FROM contacts;

ALTER TABLE import_batches ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_batches ADD COLUMN toll_free INTEGER NOT NULL DEFAULT 0;
CREATE TABLE deferred_indexes (name TEXT PRIMARY KEY, sql TEXT NOT NULL);

ALTER TABLE calls ADD COLUMN phone TEXT;
ALTER TABLE calls ADD COLUMN phone_ext TEXT;
UPDATE calls SET phone = (SELECT phone FROM contacts WHERE contacts.id = calls.contact_id);
"""
