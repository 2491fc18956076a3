"""Schema 1: the whole first version of Prospector's data.

Times are UTC text ``YYYY-MM-DDTHH:MM:SSZ`` (see ``foundations.clock.to_db``), so
they sort and compare as text. Phones are E.164 with the raw text beside them.
"""

RECEIVED_DAY_SQL = "coalesce({c}.received_day, substr({c}.created_at, 1, 10))"
"""A contact's cohort day: ``received_day``, else (rows inserted without it) its UTC date."""

EMPLOYEE_BAND_SQL = """CASE WHEN {e} IS NULL THEN '' WHEN {e} >= 1000 THEN '1000+'
    WHEN {e} >= 200 THEN '200-999' WHEN {e} >= 50 THEN '50-199'
    WHEN {e} >= 10 THEN '10-49' ELSE '1-9' END"""
"""The employee band of a head count ``{e}`` (reports' segments)."""

SPEED_SQL = (
    "CAST(round((julianday({c}.first_dial_at) - julianday({c}.created_at)) * 86400) AS INTEGER)"
)
SPEED_FLOOR_SQL = """CASE WHEN {s} < 0 THEN 0 WHEN {s} < 86400 THEN {s} / 60 * 60
    WHEN {s} < 2592000 THEN {s} / 3600 * 3600 ELSE {s} / 86400 * 86400 END"""
"""The lower bound of the speed-to-lead bucket holding ``{s}`` seconds."""


def segment_values(c: str, industry: str, employees: str, sign: str = "1") -> str:
    """SELECT list of one contact's ``lead_segments`` row (``c``: its alias or NEW/OLD)."""
    return f"""{RECEIVED_DAY_SQL.format(c=c)}, coalesce({industry}, ''),
        {EMPLOYEE_BAND_SQL.format(e=employees)}, coalesce({c}.source, ''),
        coalesce({c}.list_name, ''), {sign}, {sign} * ({c}.filtered_by IS NOT NULL),
        {sign} * ({c}.attempts > 0), {sign} * ({c}.conversations > 0),
        {sign} * EXISTS (SELECT 1 FROM handoffs h WHERE h.contact_id = {c}.id)"""


def speed_values(c: str, sign: str = "1") -> str:
    """SELECT list of one dialed contact's ``lead_speed`` row."""
    speed = SPEED_SQL.format(c=c)
    return f"""{RECEIVED_DAY_SQL.format(c=c)}, coalesce({c}.tier, ''),
        {SPEED_FLOOR_SQL.format(s=speed)}, {sign},
        {sign} * coalesce({c}.first_dial_at <= {c}.sla_due_at, 0), {sign} * {speed}"""


SPEED_WHERE = "{c}.first_dial_at IS NOT NULL AND {c}.filtered_by IS NULL"

_SEGMENT_UPSERT = """INSERT INTO lead_segments (received_day, industry, employee_band, source,
        list_name, leads, filtered, dialed, conversed, qualified)
    SELECT {values} {tail}
    ON CONFLICT DO UPDATE SET leads = leads + excluded.leads,
        filtered = filtered + excluded.filtered, dialed = dialed + excluded.dialed,
        conversed = conversed + excluded.conversed, qualified = qualified + excluded.qualified;
"""
_SPEED_UPSERT = """INSERT INTO lead_speed (received_day, tier, speed_floor, leads, within_sla,
        speed_seconds)
    SELECT {values} WHERE {where}
    ON CONFLICT DO UPDATE SET leads = leads + excluded.leads,
        within_sla = within_sla + excluded.within_sla,
        speed_seconds = speed_seconds + excluded.speed_seconds;
"""


def _cohort_triggers() -> str:
    """Triggers that move a contact's counts between cohorts when what keys them changes.

    Each subtracts the old row's contribution and adds the new one, so any writer
    (import, log, qualify, re-tiering, DNC) keeps the cohorts exact.
    """

    def segment(c: str, sign: str, *, industry: str | None = None, employees: str | None = None,
                tail: str = "WHERE true") -> str:  # fmt: skip
        industry = industry or f"(SELECT industry FROM accounts WHERE id = {c}.account_id)"
        employees = employees or f"(SELECT employees FROM accounts WHERE id = {c}.account_id)"
        return _SEGMENT_UPSERT.format(
            values=segment_values(c, industry, employees, sign), tail=tail
        )

    def speed(c: str, sign: str) -> str:
        return _SPEED_UPSERT.format(values=speed_values(c, sign), where=SPEED_WHERE.format(c=c))

    segment_keys = """OLD.source IS NOT NEW.source OR OLD.list_name IS NOT NEW.list_name
        OR OLD.account_id IS NOT NEW.account_id
        OR (OLD.filtered_by IS NULL) != (NEW.filtered_by IS NULL)
        OR (OLD.attempts > 0) != (NEW.attempts > 0)
        OR (OLD.conversations > 0) != (NEW.conversations > 0)"""
    speed_keys = """OLD.first_dial_at IS NOT NEW.first_dial_at OR OLD.tier IS NOT NEW.tier
        OR (OLD.filtered_by IS NULL) != (NEW.filtered_by IS NULL)
        OR OLD.sla_due_at IS NOT NEW.sla_due_at"""
    return f"""
-- The importer counts its own rows a chunk at a time (cohorts.count_new_leads):
-- a grouped upsert per chunk costs far less than two per row.
CREATE TRIGGER lead_cohorts_insert AFTER INSERT ON contacts
    WHEN NEW.import_batch_id IS NULL BEGIN
    {segment("NEW", "1")}
    {speed("NEW", "1")}
END;
CREATE TRIGGER lead_segments_update AFTER UPDATE OF source, list_name, account_id,
    filtered_by, attempts, conversations ON contacts WHEN {segment_keys} BEGIN
    {segment("OLD", "-1")}
    {segment("NEW", "1")}
END;
CREATE TRIGGER lead_speed_update AFTER UPDATE OF first_dial_at, tier, filtered_by, sla_due_at
    ON contacts WHEN {speed_keys} BEGIN
    {speed("OLD", "-1")}
    {speed("NEW", "1")}
END;
CREATE TRIGGER lead_segments_account AFTER UPDATE OF industry, employees ON accounts
    WHEN OLD.industry IS NOT NEW.industry OR OLD.employees IS NOT NEW.employees BEGIN
    {
        segment(
            "c",
            "-1",
            industry="OLD.industry",
            employees="OLD.employees",
            tail="FROM contacts c WHERE c.account_id = NEW.id",
        )
    }
    {
        segment(
            "c",
            "1",
            industry="NEW.industry",
            employees="NEW.employees",
            tail="FROM contacts c WHERE c.account_id = NEW.id",
        )
    }
END;
CREATE TRIGGER lead_segments_first_handoff AFTER INSERT ON handoffs
    WHEN NOT EXISTS (SELECT 1 FROM handoffs h
                     WHERE h.contact_id = NEW.contact_id AND h.id != NEW.id) BEGIN
    INSERT INTO lead_segments (received_day, industry, employee_band, source, list_name,
        qualified)
    SELECT {RECEIVED_DAY_SQL.format(c="c")}, coalesce(a.industry, ''),
        {EMPLOYEE_BAND_SQL.format(e="a.employees")}, coalesce(c.source, ''),
        coalesce(c.list_name, ''), 1
    FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id WHERE c.id = NEW.contact_id
    ON CONFLICT DO UPDATE SET qualified = qualified + 1;
END;
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
    -- The team day created_at falls in (reports' lead cohorts), set by the importer;
    -- rebuild_summaries recomputes it after a team zone change.
    received_day TEXT,
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

-- Leads overdue for their first dial now (sla report); the WHERE must match the query's.
CREATE INDEX contacts_awaiting_first_dial ON contacts (tier, sla_due_at)
    WHERE first_dial_at IS NULL AND status = 'open' AND filtered_by IS NULL AND dnc = 0;
-- Workable leads not dialed yet, and leads closed without a conversation, by when
-- they arrived (sla report): covering, so a period reads only index entries.
CREATE INDEX contacts_undialed_by_created ON contacts (created_at, tier, sla_due_at)
    WHERE first_dial_at IS NULL AND filtered_by IS NULL AND dnc = 0;
CREATE INDEX contacts_closed_quietly_by_created ON contacts (created_at, tier, attempts)
    WHERE status IN ('closed', 'exhausted') AND conversations = 0 AND phone_bad = 0
      AND dnc = 0 AND filtered_by IS NULL;

-- Lead cohorts (segments and sla reports): leads counted by the team day they were
-- received, kept up to date by the triggers below in the same statement as every
-- change to a contact, its account or its first handoff, whichever service makes
-- it. '' stands for "none" in the key columns. rebuild_summaries recounts them.
CREATE TABLE lead_segments (
    received_day TEXT NOT NULL,
    industry TEXT NOT NULL,
    employee_band TEXT NOT NULL,
    source TEXT NOT NULL,
    list_name TEXT NOT NULL,
    leads INTEGER NOT NULL DEFAULT 0,
    filtered INTEGER NOT NULL DEFAULT 0,  -- filtered by a fit rule
    dialed INTEGER NOT NULL DEFAULT 0,  -- at least one attempt
    conversed INTEGER NOT NULL DEFAULT 0,  -- at least one conversation
    qualified INTEGER NOT NULL DEFAULT 0,  -- at least one handoff
    PRIMARY KEY (received_day, industry, employee_band, source, list_name)
) WITHOUT ROWID;

-- Workable (unfiltered) leads that have been dialed, by speed to lead: a histogram
-- in buckets of one minute below 24 h, one hour below 30 days, one day beyond.
-- speed_floor is the bucket's lower bound in seconds; speed_seconds the exact sum
-- of the speeds in it, so a bucket holding one distinct speed gives it exactly.
CREATE TABLE lead_speed (
    received_day TEXT NOT NULL,
    tier TEXT NOT NULL,
    speed_floor INTEGER NOT NULL,
    leads INTEGER NOT NULL DEFAULT 0,
    within_sla INTEGER NOT NULL DEFAULT 0,  -- first dial at or before sla_due_at
    speed_seconds INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (received_day, tier, speed_floor)
) WITHOUT ROWID;
""" + _cohort_triggers()
