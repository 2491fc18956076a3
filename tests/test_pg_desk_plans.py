"""A desk's steps on PostgreSQL plan once for any values (``pg.DESK_STEP``): each
statement they run must plan for any values as it would for its own, or a plan made
at one moment would read the whole contacts table at another (issue 14).

A team's day is run on a database with months of closed contacts and calls. Every
statement a desk's step ran is then explained both ways, with the database analyzed
as a fresh list leaves it (nothing waiting) and shifted the ways a plan can be misled
by (many contacts recycled, skipped and called back for later, claims held)"""

from __future__ import annotations

import re
from datetime import timedelta

import psycopg

from prospector.foundations import pg
from prospector.foundations.db import open_database
from prospector.services import call_events, rep_states
from prospector.services.calls import log_call
from prospector.services.claims import claim_next, mark_dialed, skip_contact
from prospector.services.queue import LANE_FOLLOW_UP
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contacts

LATER = "2027-01-01T00:00:00Z"
HISTORY = (  # months of work before (rows only: the report triggers are not tested here)
    "SET session_replication_role = replica",
    # Closed contacts: a table large enough that reading it whole is never the cheap way.
    """INSERT INTO contacts (account_id, first_name, last_name, phone, phone_raw, status,
           attempts, next_call_at, created_at, updated_at, locale_id, dnc, phone_bad)
       SELECT account_id, first_name, last_name, phone, phone_raw, 'closed', 6,
              next_call_at, created_at, updated_at, locale_id, dnc, phone_bad
       FROM contacts CROSS JOIN generate_series(1, 200)""",
    """INSERT INTO calls (contact_id, rep, at, disposition, category, attempt, status_after)
       SELECT c.id, 'old', '2026-11-0' || n || 'T15:00:00Z', 'no_answer', 'dial', n, 'open'
       FROM contacts c CROSS JOIN generate_series(1, 3) AS n""",
    "SET session_replication_role = DEFAULT",
)
BUSY = (  # many contacts waiting for later: recycled, skipped, called back, held
    f"UPDATE contacts SET status = 'closed', recycle_at = '{LATER}' WHERE id % 5 = 0",
    f"UPDATE contacts SET deferred_until = '{LATER}' WHERE id % 7 = 1",
    f"""UPDATE contacts SET callback_at = '{LATER}', callback_rep = 'r' || (id % 3)
        WHERE id % 11 = 2 AND status = 'open'""",
    f"UPDATE contacts SET claimed_by = 'x' || (id % 9), claim_expires_at = '{LATER}'"
    " WHERE id % 97 = 3",
)
# Tables that grow with the team's work (call_events holds calls in progress only).
BIG_TABLES = ("contacts", "contact_phones", "calls", "audit_log")


def desk_statements(db) -> dict[str, object]:
    """Run a day's desk steps; the statements run inside them, with their values."""
    raw = db.conn.raw
    run = raw.execute
    seen: dict[str, object] = {}
    inside = False

    def execute(sql, params=None, **kwargs):
        nonlocal inside
        if sql.startswith("BEGIN"):
            inside = pg.DESK_STEP in sql
        elif sql in ("COMMIT", "ROLLBACK") or pg.ONE_WRITER in sql:
            inside = False
        elif inside:
            seen.setdefault(sql, params)
        return run(sql, params, **kwargs)

    raw.execute = execute
    now = MONDAY_10_ET
    outcomes = ["no_answer", "busy", "callback", "not_interested", "wrong_number", "voicemail"]
    for n, outcome in enumerate(outcomes * 2):
        rep = f"r{n % 3}"
        item = claim_next(db, rep=rep, now=now)
        assert item is not None
        mark_dialed(db, item.contact_id, rep=rep, now=now)
        event = call_events.CallEvent(
            item.contact_id, answered_at=now, ended_at=now + timedelta(seconds=40)
        )
        call_events.record_event(db, event, rep=rep, now=now)
        callback = now + timedelta(hours=1) if outcome == "callback" else None
        log_call(db, item.contact_id, outcome, rep=rep, now=now, callback=callback)
        now += timedelta(minutes=2)
    item = claim_next(db, rep="r0", now=now)
    skip_contact(db, item.contact_id, rep="r0", reason="gatekeeper", now=now)
    rep_states.pause(db, "r1", "lunch", now)
    rep_states.resume(db, "r1", now)
    now += timedelta(hours=1, minutes=5)  # the callbacks are due: lanes 1 and 2
    for rep in ("r0", "r1", "r2"):
        item = claim_next(db, rep=rep, now=now)
        mark_dialed(db, item.contact_id, rep=rep, now=now)
        assert claim_next(db, rep=rep, now=now).lane == 0  # dialed, not logged
        log_call(db, item.contact_id, "no_answer", rep=rep, now=now)
    rep_states.change(db, "r2", rep_states.OFFLINE, now)
    # The next morning, every new lead and callback called or gone: the follow-ups.
    run("UPDATE contacts SET status = 'closed' WHERE attempts = 0 OR callback_at IS NOT NULL")
    item = claim_next(db, rep="r0", now=now + timedelta(days=1))
    assert item is not None and item.lane == LANE_FOLLOW_UP
    raw.execute = run
    return seen


def plan(conn: psycopg.Connection, sql: str, params: object, mode: str) -> str:
    """EXPLAIN of ``sql`` (psycopg's placeholders) planned for any values (``mode``
    ``force_generic_plan``) or for these (``force_custom_plan``)."""
    names: list[str] = []
    values: list[object] = []

    def placeholder(match: re.Match[str]) -> str:
        if match.group(1) is None:
            values.append(params[len(values)])  # type: ignore[index]
            return f"${len(values)}"
        if match.group(1) not in names:
            names.append(match.group(1))
            values.append(params[match.group(1)])  # type: ignore[index]
        return f"${names.index(match.group(1)) + 1}"

    text = re.sub(r"%(?:\((\w+)\))?s", placeholder, sql).replace("%%", "%")
    literals = ", ".join(
        "NULL" if value is None else "'" + str(value).replace("'", "''") + "'" for value in values
    )
    conn.execute(f"PREPARE desk AS {text}")
    try:
        conn.execute(f"BEGIN; {pg.DESK_STEP} SET LOCAL plan_cache_mode = {mode};")
        execute = f"EXECUTE desk({literals})" if literals else "EXECUTE desk"
        return "\n".join(row[0] for row in conn.execute(f"EXPLAIN {execute}"))
    finally:
        conn.execute("ROLLBACK; DEALLOCATE desk")


def seq_scans(plan: str) -> set[str]:
    return {table for table in BIG_TABLES if re.search(rf"Seq Scan on {table}\b", plan)}


def test_every_desk_statement_plans_for_any_values_as_for_its_own(pg_url):
    with open_database(pg_url) as db:
        add_contacts(db, 500, now=MONDAY_10_ET - timedelta(days=1))
        with psycopg.connect(pg_url, autocommit=True) as conn:
            for statement in (*HISTORY, "ANALYZE"):
                conn.execute(statement)
        statements = desk_statements(db)
    assert len(statements) > 20
    worse = []
    with psycopg.connect(pg_url, autocommit=True) as conn:
        # As analyzed with nothing waiting (a fresh list: "recycle_at <= $1" looked
        # rare enough to scan the table for), then with many contacts waiting.
        for state, shifts in (("quiet", ()), ("busy", BUSY)):
            for statement in (*shifts, "ANALYZE"):
                conn.execute(statement)
            for sql, params in statements.items():
                # A small table is read whole when that is cheaper; never for any
                # values where these values are found through an index.
                generic = seq_scans(plan(conn, sql, params, "force_generic_plan"))
                custom = seq_scans(plan(conn, sql, params, "force_custom_plan"))
                if generic - custom:
                    worse.append(f"{state}, {generic - custom}: {' '.join(sql.split())[:100]}")
    assert worse == [], "\n".join(worse)
