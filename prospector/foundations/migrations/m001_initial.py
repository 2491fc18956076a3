"""Schema 1: the whole first version of Prospector's data.

Times are UTC text ``YYYY-MM-DDTHH:MM:SSZ`` (see ``foundations.clock.to_db``), so
they sort and compare as text. Phones are E.164 with the raw text beside them.
"""

SQL = """
-- The team's effective settings, as validated TOML text (one row).
CREATE TABLE settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    toml TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by TEXT
);

-- Who did what that must be answerable later: DNC removals, settings loads.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT,
    detail TEXT
);
CREATE INDEX audit_log_by_action ON audit_log (action, at);

-- Inside reps seen by this database (added on first use).
CREATE TABLE reps (
    name TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);

-- One row per import run: what was read, and how far it got (resumable).
CREATE TABLE import_batches (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    source TEXT,
    list_name TEXT,
    rep TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'done', 'failed')),
    rows_committed INTEGER NOT NULL DEFAULT 0,
    read INTEGER NOT NULL DEFAULT 0,
    inserted INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    filtered INTEGER NOT NULL DEFAULT 0,
    dnc INTEGER NOT NULL DEFAULT 0,
    rejects_file TEXT,
    error TEXT
);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    domain TEXT,
    industry TEXT,
    employees INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX accounts_by_domain ON accounts (domain) WHERE domain IS NOT NULL;
CREATE INDEX accounts_by_name_key ON accounts (name_key);

-- A contact's calling-window identity: its candidate zones and where it is.
-- Contacts share few of these, so windows are decided per locale, not per row.
CREATE TABLE locales (
    id INTEGER PRIMARY KEY,
    zones TEXT NOT NULL,
    country TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT '',
    UNIQUE (zones, country, state)
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    account_id INTEGER REFERENCES accounts (id),
    first_name TEXT,
    last_name TEXT,
    title TEXT,
    email TEXT,
    phone TEXT NOT NULL,
    phone_raw TEXT NOT NULL,
    phone_type TEXT,
    phone_bad INTEGER NOT NULL DEFAULT 0,
    state TEXT,
    country TEXT,
    locale_id INTEGER NOT NULL REFERENCES locales (id),
    source TEXT,
    list_name TEXT,
    filtered_by TEXT,
    tier TEXT,
    tier_rule TEXT,
    tier_priority INTEGER NOT NULL DEFAULT 99,
    dnc INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'qualified', 'closed', 'exhausted', 'dnc')),
    close_reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    conversations INTEGER NOT NULL DEFAULT 0,
    first_dial_at TEXT,
    last_dial_at TEXT,
    next_call_at TEXT NOT NULL,
    sla_due_at TEXT,
    callback_at TEXT,
    callback_rep TEXT,
    recycle_at TEXT,
    -- Recycling (services/recycling.py): how many times the contact was reopened, and
    -- its attempts/conversations when the current cycle began (max attempts count anew).
    recycles INTEGER NOT NULL DEFAULT 0,
    cycle_attempts_base INTEGER NOT NULL DEFAULT 0,
    cycle_conversations_base INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT,
    claim_expires_at TEXT,
    dialed_at TEXT,
    import_batch_id INTEGER REFERENCES import_batches (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX contacts_by_phone ON contacts (phone);
CREATE INDEX contacts_by_email ON contacts (email COLLATE NOCASE) WHERE email IS NOT NULL;
CREATE INDEX contacts_by_account ON contacts (account_id);
CREATE INDEX contacts_by_claim ON contacts (claimed_by) WHERE claimed_by IS NOT NULL;
-- The call queue (services/queue.py). Partial indexes hold only contacts that can be
-- called at all; each lane reads one locale (and tier) at a time in its own order,
-- so "LIMIT n" stops after n index entries instead of sorting every match.
CREATE INDEX contacts_queue_new ON contacts (locale_id, sla_due_at, tier_priority, next_call_at)
    WHERE status = 'open' AND dnc = 0 AND filtered_by IS NULL AND phone_bad = 0
      AND attempts = 0 AND callback_at IS NULL;
CREATE INDEX contacts_queue_followup ON contacts (locale_id, tier_priority, next_call_at)
    WHERE status = 'open' AND dnc = 0 AND filtered_by IS NULL AND phone_bad = 0
      AND attempts > 0 AND callback_at IS NULL;
CREATE INDEX contacts_queue_callback ON contacts (callback_at)
    WHERE status = 'open' AND dnc = 0 AND filtered_by IS NULL AND phone_bad = 0
      AND callback_at IS NOT NULL;
CREATE INDEX contacts_by_callback_rep ON contacts (callback_rep, callback_at)
    WHERE callback_rep IS NOT NULL;
-- Closed/exhausted contacts waiting to be recycled: "anything due?" is one seek.
CREATE INDEX contacts_to_recycle ON contacts (recycle_at) WHERE recycle_at IS NOT NULL;

-- The do-not-call list. Contacts carry a copy (contacts.dnc) for the queue's index.
CREATE TABLE dnc_numbers (
    phone TEXT PRIMARY KEY,
    phone_raw TEXT,
    reason TEXT,
    added_by TEXT,
    added_at TEXT NOT NULL
) WITHOUT ROWID;

-- Every logged call, with its note.
CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    rep TEXT NOT NULL,
    at TEXT NOT NULL,
    dialed_at TEXT,
    disposition TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('dial', 'connect', 'conversation')),
    attempt INTEGER NOT NULL,
    duration_seconds INTEGER NOT NULL DEFAULT 0,
    note TEXT,
    callback_at TEXT,
    callback_scope TEXT CHECK (callback_scope IN ('mine', 'anyone')),
    next_call_at TEXT,
    status_after TEXT NOT NULL
);
CREATE INDEX calls_by_contact ON calls (contact_id, at);
CREATE INDEX calls_by_at ON calls (at);

-- A note being typed, saved while typing, restored on reopen.
CREATE TABLE drafts (
    rep TEXT NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (rep, contact_id)
);

-- Qualified opportunities handed to outside reps.
CREATE TABLE handoffs (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    inside_rep TEXT NOT NULL,
    owner TEXT NOT NULL,
    -- The outside rep's email as settings gave it when assigned (CRM owner by email).
    owner_email TEXT,
    amount_cents INTEGER,
    meeting_at TEXT,
    budget TEXT,
    authority TEXT,
    need TEXT,
    timeline TEXT,
    note TEXT,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'exported', 'accepted', 'rejected')),
    status_reason TEXT,
    batch_id INTEGER REFERENCES export_batches (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    exported_at TEXT,
    acked_at TEXT
);
CREATE UNIQUE INDEX handoffs_one_pending ON handoffs (contact_id) WHERE status = 'pending';
CREATE INDEX handoffs_by_status ON handoffs (status, id);
CREATE INDEX handoffs_by_created ON handoffs (created_at);
CREATE INDEX handoffs_by_contact ON handoffs (contact_id);

-- Numbered export batches; items keep the exact payload so a batch rewrites byte for byte.
CREATE TABLE export_batches (
    id INTEGER PRIMARY KEY,
    format TEXT NOT NULL,
    target TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT,
    resend INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE export_items (
    batch_id INTEGER NOT NULL REFERENCES export_batches (id),
    handoff_id INTEGER NOT NULL REFERENCES handoffs (id),
    payload TEXT NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0,
    -- Why a webhook did not take it (last error); NULL once delivered.
    error TEXT,
    PRIMARY KEY (batch_id, handoff_id)
);
-- Reports: call counts kept up to date in the same transaction as each logged call
-- (services.reports.summary.record_call), so reports over months read a few
-- thousand rows instead of millions of calls. team_day is the local date in the
-- team's time zone; rebuild_summaries recounts them (after a zone change).
CREATE TABLE call_stats_daily (
    team_day TEXT NOT NULL,
    rep TEXT NOT NULL,
    source TEXT NOT NULL,  -- the contact's source, '' when it has none
    attempt INTEGER NOT NULL,
    dials INTEGER NOT NULL DEFAULT 0,
    connects INTEGER NOT NULL DEFAULT 0,
    conversations INTEGER NOT NULL DEFAULT 0,
    talk_seconds INTEGER NOT NULL DEFAULT 0,
    first_at TEXT NOT NULL,
    last_at TEXT NOT NULL,
    PRIMARY KEY (team_day, rep, source, attempt)
) WITHOUT ROWID;

-- Dials per clock hour (UTC hour start, so DST days keep all 23 or 25 hours).
CREATE TABLE call_stats_hourly (
    hour_at TEXT NOT NULL,
    rep TEXT NOT NULL,
    dials INTEGER NOT NULL DEFAULT 0,
    connects INTEGER NOT NULL DEFAULT 0,
    conversations INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (hour_at, rep)
) WITHOUT ROWID;

-- Leads received in a period (sla and segments reports).
CREATE INDEX contacts_by_created ON contacts (created_at);
-- Leads overdue for their first dial now (sla report); the WHERE must match the query's.
CREATE INDEX contacts_awaiting_first_dial ON contacts (tier, sla_due_at)
    WHERE first_dial_at IS NULL AND status = 'open' AND filtered_by IS NULL AND dnc = 0;
"""
