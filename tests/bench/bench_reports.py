"""Reports at scale: 5,000,000 calls over 90 days by 50 reps.

``python -m tests.bench.bench_reports`` builds (once; cached under
``tests/bench/.data/``) a database of 500,000 contacts and 5,000,000 calls, with
100,000 handoffs, then times:

* ``report daily`` for one day (target ≤ 50 ms), beside a bare indexed
  ``count(*)`` of that day's calls;
* every report over the 90 days (target ≤ 1 s each, ``sources`` included), beside a bare scan that
  groups the 90 days of calls by rep (what reports would cost without the
  summary tables);
* ``record_call`` (the cost added to each ``log``), beside a bare call insert;
* ``rebuild_summaries`` over the 5,000,000 calls.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from prospector.foundations.clock import fixed_clock, to_db
from prospector.foundations.db import open_database
from prospector.services.reports import (
    attempts,
    daily,
    dials_by_hour,
    funnel,
    pipeline,
    rebuild_summaries,
    record_call,
    segments,
    sla,
    sources,
)
from prospector.services.reports.periods import Period, team_day_bounds
from prospector.services.settings import load_settings

VERSION = 3  # 2: lead cohorts; some leads undialed or exhausted; 3: CRM answers
CONTACTS = int(os.environ.get("BENCH_CONTACTS", 500_000))
CALLS_PER_CONTACT = 10  # 5,000,000 calls
REPS = [f"rep{n:02d}" for n in range(50)]
ET = ZoneInfo("America/New_York")
LAST_DAY = date(2026, 11, 22)
FIRST_DAY = LAST_DAY - timedelta(days=89)
NOW = datetime(2026, 11, 23, 10, tzinfo=ET)
DATA = Path(__file__).parent / ".data"
SOURCES = ["inbound", "webinar", "list", "referral", "event"]
INDUSTRIES = ["Software", "Finance", "Health", "Retail", "eCommerce", "Energy", "Education"]
LISTS = [f"list-{n}" for n in range(10)]


def build(path: Path) -> None:
    """Write the bench database: contacts, calls, handoffs, then the summaries."""
    rng = random.Random(42)
    started = time.perf_counter()
    db = open_database(path)
    start = datetime.combine(FIRST_DAY, datetime.min.time(), tzinfo=ET).astimezone(UTC)
    span = (LAST_DAY - FIRST_DAY).days * 86400 + 86400
    with db.write():
        db.execute(
            "INSERT INTO locales (zones, country, state) VALUES ('America/New_York', 'US', 'NY')"
        )
        stamp = to_db(start)
        db.conn.executemany(
            """INSERT INTO accounts (id, name, name_key, industry, employees, created_at,
                                     updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (
                (
                    n,
                    f"Acme {n}",
                    f"acme {n}",
                    rng.choice(INDUSTRIES),
                    rng.choice([5, 20, 80, 300, 2000]),
                    stamp,
                    stamp,
                )
                for n in range(1, CONTACTS // 10 + 1)
            ),
        )
        created = [
            start + timedelta(seconds=rng.randrange(span - 86400 * 5)) for _ in range(CONTACTS)
        ]
        tiers = ["A", "B", "C"]
        db.conn.executemany(
            """INSERT INTO contacts (id, account_id, phone, phone_raw, locale_id, source,
                   list_name, filtered_by, tier, tier_priority, status, next_call_at,
                   sla_due_at, created_at, updated_at)
               VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)""",
            (
                (
                    n + 1,
                    n // 10 + 1,
                    f"+1212{n:07d}",
                    f"+1212{n:07d}",
                    rng.choice(SOURCES),
                    rng.choice(LISTS),
                    "fewer than 10 employees" if rng.random() < 0.1 else None,
                    tier := rng.choice(tiers),
                    tiers.index(tier) + 1,
                    to_db(created[n]),
                    to_db(created[n] + timedelta(hours=(1, 24, 72)[tiers.index(tier)])),
                    to_db(created[n]),
                    to_db(created[n]),
                )
                for n in range(CONTACTS)
            ),
        )

        def calls():
            for n in range(CONTACTS):
                if n % 20 == 19:
                    continue  # one lead in 20 not dialed yet
                at = created[n]
                for attempt in range(1, CALLS_PER_CONTACT + 1):
                    at = at + timedelta(seconds=rng.randrange(600, 40000))
                    roll = rng.random()
                    category = (
                        "dial" if roll < 0.7 else "connect" if roll < 0.88 else "conversation"
                    )
                    yield (
                        n + 1,
                        rng.choice(REPS),
                        to_db(at),
                        category,
                        category,
                        attempt,
                        rng.randrange(30, 600) if category != "dial" else 0,
                    )

        db.conn.executemany(
            """INSERT INTO calls (contact_id, rep, at, disposition, category, attempt,
                                  duration_seconds, status_after)
               VALUES (?, ?, ?, ?, ?, ?, ?, 'open')""",
            calls(),
        )
        db.execute(
            """UPDATE contacts SET attempts = s.n, conversations = s.conv,
                   first_dial_at = s.first, last_dial_at = s.last
               FROM (SELECT contact_id, count(*) AS n, sum(category = 'conversation') AS conv,
                            min(at) AS first, max(at) AS last
                     FROM calls GROUP BY contact_id) AS s
               WHERE s.contact_id = contacts.id"""
        )
        db.execute("UPDATE contacts SET status = 'exhausted' WHERE id % 7 = 0")
        db.execute(
            """INSERT INTO handoffs (contact_id, inside_rep, owner, amount_cents, status,
                                     created_at, updated_at)
               SELECT contact_id, rep, 'Dana Whitfield', 100 * (1000 + contact_id % 50000),
                      CASE contact_id % 4 WHEN 0 THEN 'accepted' WHEN 1 THEN 'rejected'
                                          ELSE 'exported' END, at, at
               FROM calls WHERE category = 'conversation' AND attempt = 3 AND contact_id % 6 = 0"""
        )
        # The CRM's answers (schema 7): some accepted handoffs won or lost, with the
        # CRM's amount and a close date, for the sources report.
        db.execute(
            """UPDATE handoffs SET
                   crm_status = CASE WHEN status = 'rejected' THEN 'rejected'
                                     WHEN status = 'exported' THEN 'open'
                                     WHEN id % 3 = 0 THEN 'won' WHEN id % 3 = 1 THEN 'lost'
                                     ELSE 'accepted' END,
                   crm_amount_cents = CASE WHEN id % 3 = 0 THEN amount_cents + 50000 END,
                   crm_close_date = CASE WHEN status = 'accepted' AND id % 3 != 2
                                         THEN date(created_at, '+' || (id % 60) || ' days') END"""
        )
        print(
            f"  built {CONTACTS:,} contacts and {CONTACTS * CALLS_PER_CONTACT:,} calls"
            f" in {time.perf_counter() - started:.0f} s"
        )
        began = time.perf_counter()
        rebuild_summaries(db, load_settings(db))
        print(f"  rebuild_summaries over all calls: {time.perf_counter() - began:.1f} s")
    db.execute("ANALYZE")
    db.close()


def timed(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and worst wall time in ms."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"reports-v{VERSION}-{CONTACTS}.db"
    if not path.exists():
        print(f"building {path} (once) …")
        partial = path.with_suffix(".partial")
        for leftover in DATA.glob(partial.name + "*"):
            leftover.unlink()
        build(partial)
        partial.rename(path)
    db = open_database(path)
    clock = fixed_clock(NOW)
    handoffs = db.one("SELECT count(*) FROM handoffs")[0]  # type: ignore[index]
    calls = db.one("SELECT max(id) FROM calls")[0]  # type: ignore[index]
    print(f"  {calls:,} calls, {handoffs:,} handoffs, 50 reps, {FIRST_DAY} → {LAST_DAY}")
    one_day = Period(date(2026, 11, 20), date(2026, 11, 20), ET)
    start, end = team_day_bounds(one_day.first, ET)
    reference = timed(
        lambda: db.one("SELECT count(*) FROM calls WHERE at >= ? AND at < ?", (start, end)), 10
    )
    result = timed(lambda: daily(db, one_day, clock), 20)
    print(
        f"report daily, one day: median {result[0]:.1f} ms, worst {result[1]:.1f} ms"
        f" (target ≤ 50 ms) | reference: indexed count(*) of that day's calls"
        f" {reference[0]:.1f} ms"
    )
    quarter = Period(FIRST_DAY, LAST_DAY, ET)
    scan = timed(
        lambda: db.query(
            "SELECT rep, count(*) FROM calls WHERE at >= ? AND at < ? GROUP BY rep",
            (quarter.start_utc, quarter.end_utc),
        ),
        1,
    )
    print(
        f"90 days (target ≤ 1000 ms each) | reference: bare scan of 90 days of calls by rep"
        f" {scan[0]:.0f} ms"
    )
    reports: dict[str, Callable[[], object]] = {
        "daily": lambda: daily(db, quarter, clock),
        "funnel --by rep": lambda: funnel(db, quarter, clock),
        "funnel --by source": lambda: funnel(db, quarter, clock, by="source"),
        "sla": lambda: sla(db, quarter, clock),
        "attempts": lambda: attempts(db, quarter, clock),
        "segments": lambda: segments(db, quarter, clock),
        "pipeline": lambda: pipeline(db, quarter, clock),
        "sources": lambda: sources(db, quarter, clock),
        "dials by hour": lambda: dials_by_hour(db, quarter, clock),
    }
    for name, function in reports.items():
        median, worst = timed(function, 3)
        print(f"  report {name:<20} median {median:7.1f} ms, worst {worst:7.1f} ms")
    settings = load_settings(db)
    rng = random.Random(7)
    instants = [NOW + timedelta(seconds=rng.randrange(3600)) for _ in range(2000)]
    record_times, insert_times = [], []
    db.execute("BEGIN IMMEDIATE")
    try:
        for at in instants:
            contact = rng.randrange(1, CONTACTS)
            # log_call hands record_call the source of the contact row it already read.
            source = db.execute("SELECT source FROM contacts WHERE id = ?", (contact,)).fetchone()[
                0
            ]
            began = time.perf_counter()
            db.execute(
                """INSERT INTO calls (contact_id, rep, at, disposition, category, attempt,
                                      duration_seconds, status_after)
                   VALUES (?, 'rep00', ?, 'no_answer', 'connect', 11, 60, 'open')""",
                (contact, to_db(at)),
            )
            middle = time.perf_counter()
            record_call(
                db, source=source, rep="rep00", at=at, category="connect",
                attempt=11, duration_seconds=60, settings=settings,
            )  # fmt: skip
            insert_times.append((middle - began) * 1000)
            record_times.append((time.perf_counter() - middle) * 1000)
    finally:
        db.execute("ROLLBACK")
    # What the cohort triggers add to a first dial: the same UPDATE of a contact with
    # first_dial_at/attempts (both triggers fire) beside one of last_dial_at (none does).
    undialed = [row[0] for row in db.query(
        "SELECT id FROM contacts WHERE first_dial_at IS NULL LIMIT 2000"
    )]  # fmt: skip
    first_times, plain_times = [], []
    stamp = to_db(NOW)
    db.execute("BEGIN IMMEDIATE")
    try:
        for contact in undialed:
            began = time.perf_counter()
            db.execute(
                "UPDATE contacts SET last_dial_at = ?, updated_at = ? WHERE id = ?",
                (stamp, stamp, contact),
            )
            middle = time.perf_counter()
            db.execute(
                """UPDATE contacts SET first_dial_at = ?, attempts = attempts + 1
                   WHERE id = ?""",
                (stamp, contact),
            )
            plain_times.append((middle - began) * 1000)
            first_times.append((time.perf_counter() - middle) * 1000)
    finally:
        db.execute("ROLLBACK")
    print(
        f"first dial, contact UPDATE with cohort triggers: median"
        f" {statistics.median(first_times) * 1000:.0f} µs | reference: an UPDATE no trigger"
        f" watches {statistics.median(plain_times) * 1000:.0f} µs"
    )
    p99 = statistics.quantiles(record_times, n=100)[98]
    ref99 = statistics.quantiles(insert_times, n=100)[98]
    print(
        f"record_call inside log: median {statistics.median(record_times) * 1000:.0f} µs,"
        f" p99 {p99 * 1000:.0f} µs | reference: the bare calls INSERT median"
        f" {statistics.median(insert_times) * 1000:.0f} µs, p99 {ref99 * 1000:.0f} µs"
    )
    db.close()


if __name__ == "__main__":
    main()
