"""The floor's refresh with 50 reps, on a database with weeks of calls and rep states.

``python -m tests.bench.bench_floor`` builds (once; cached under ``tests/bench/.data/``)
a database of 200,000 contacts, 50 reps and the weekdays of 21 days of their work: a
call every few minutes (about 68,000 calls, with their summaries and some handoffs)
and each one's stays in ready, on call and wrap-up, with a lunch break (about 200,000
``rep_states`` rows). At the
moment measured every rep has an open state (some paused, some on a call holding a
lead, a few gone quiet). It then times:

* ``floor`` (what ``prospector floor`` and its screen read every few seconds;
  target p95 ≤ 50 ms), beside a bare ``count(*)`` of today's calls on the same
  database, measured in the same run;
* ``report time`` for one day and for the 21 days.
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
from prospector.foundations.db import Database, open_database
from prospector.services.floor import floor
from prospector.services.reports import rebuild_summaries, rep_time
from prospector.services.reports.periods import Period, team_day_bounds
from prospector.services.settings import load_settings

VERSION = 3
CONTACTS = int(os.environ.get("BENCH_CONTACTS", 200_000))
REPS = [f"rep{n:02d}" for n in range(50)]
DAYS = 21
ET = ZoneInfo("America/New_York")
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=ET)
DATA = Path(__file__).parent / ".data"
RUNS = 200


def build(path: Path) -> None:
    rng = random.Random(16)
    db = open_database(path)
    created = to_db(datetime.combine(TODAY - timedelta(days=DAYS + 1), datetime.min.time(), ET))
    with db.write():
        db.execute(
            "INSERT INTO locales (zones, country, state) VALUES ('America/New_York', 'US', 'NY')"
        )
        db.conn.executemany(
            "INSERT INTO accounts (id, name, name_key, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            ((n, f"Acme {n}", f"acme {n}", created, created) for n in range(1, CONTACTS // 10 + 1)),
        )
        db.conn.executemany(
            """INSERT INTO contacts (id, account_id, first_name, last_name, phone, phone_raw,
                   locale_id, source, tier, tier_priority, status, next_call_at, created_at,
                   updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, 'list', 'B', 2, 'open', ?, ?, ?)""",
            (
                (n, (n - 1) // 10 + 1, f"First{n}", f"Last{n}", f"+1212{n:07d}", f"+1212{n:07d}",
                 created, created, created)
                for n in range(1, CONTACTS + 1)
            ),
        )  # fmt: skip
        calls, stays = [], []
        for offset in range(DAYS, -1, -1):
            day = TODAY - timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            start = datetime.combine(day, datetime.min.time(), ET).replace(hour=9)
            for rep in REPS:
                at = start + timedelta(seconds=rng.randint(0, 600))
                end = NOW if day == TODAY else start.replace(hour=17)
                lunch = False
                while at < end - timedelta(minutes=10):
                    dial = at + timedelta(seconds=rng.randint(10, 90))
                    hangup = dial + timedelta(seconds=rng.randint(20, 400))
                    logged = hangup + timedelta(seconds=rng.randint(5, 60))
                    contact = rng.randint(1, CONTACTS)
                    category = rng.choices(["dial", "connect", "conversation"], [6, 3, 1])[0]
                    calls.append((contact, rep, to_db(logged), category, rng.randint(1, 6)))
                    for state, begin, finish in (
                        ("ready", at, dial), ("on_call", dial, hangup), ("wrap_up", hangup, logged),
                    ):  # fmt: skip
                        stays.append((rep, to_db(begin), to_db(finish), state, None, to_db(finish)))
                    at = logged
                    if not lunch and at.hour >= 12:
                        back = at + timedelta(minutes=rng.randint(30, 60))
                        stays.append((rep, to_db(at), to_db(back), "paused", "lunch", to_db(at)))
                        at, lunch = back, True
        db.conn.executemany(
            """INSERT INTO calls (contact_id, rep, at, disposition, category, attempt,
                   duration_seconds, status_after)
               VALUES (?, ?, ?, 'no_answer', ?, ?, 60, 'open')""",
            calls,
        )
        db.execute(
            """INSERT INTO handoffs (contact_id, inside_rep, owner, status, created_at, updated_at)
               SELECT contact_id, rep, 'Dana Whitfield', 'exported', at, at FROM calls
               WHERE category = 'conversation' AND id % 5 = 0"""
        )
        db.conn.executemany(
            """INSERT INTO rep_states (rep, started_at, ended_at, state, code, seen_at)
               VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
            stays,
        )
        # Now: each rep's last stay today is open; some hold a lead (dialed or not),
        # a few are at a break, and three have gone quiet.
        now = to_db(NOW)
        for index, rep in enumerate(REPS):
            last = db.one(
                "SELECT max(started_at) FROM rep_states WHERE rep = ? AND started_at < ?",
                (rep, now),
            )[0]
            db.execute(
                "UPDATE rep_states SET ended_at = NULL, seen_at = ?"
                " WHERE rep = ? AND started_at = ?",
                (to_db(NOW - timedelta(minutes=40 if index < 3 else 1)), rep, last),
            )
            if index % 7 == 0:
                db.execute(
                    "UPDATE rep_states SET state = 'paused', code = 'break'"
                    " WHERE rep = ? AND ended_at IS NULL",
                    (rep,),
                )
            else:
                db.execute(
                    "UPDATE rep_states SET state = ?, code = NULL"
                    " WHERE rep = ? AND ended_at IS NULL",
                    ("on_call" if index % 2 else "ready", rep),
                )
                db.execute(
                    "UPDATE contacts SET claimed_by = ?, claim_expires_at = ?, dialed_at = ?"
                    " WHERE id = ?",
                    (rep, to_db(NOW + timedelta(minutes=10)), now if index % 2 else None,
                     1000 + index),
                )  # fmt: skip
        rebuild_summaries(db, load_settings(db))
        db.execute(f"PRAGMA user_version = {db.conn.execute('PRAGMA user_version').fetchone()[0]}")
    db.execute("ANALYZE")
    db.close()


def timed(function: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """p50 and p95 of ``runs`` calls, in milliseconds (after one warm-up call)."""
    function()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"floor-v{VERSION}-{CONTACTS}.db"
    if not path.exists():
        print(f"building {path} (once) …", flush=True)
        began = time.perf_counter()
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        build(partial)
        partial.rename(path)
        print(f"  built in {time.perf_counter() - began:.0f} s")
    db: Database = open_database(path)
    settings = load_settings(db)
    counts = [db.one(f"SELECT count(*) FROM {table}")[0] for table in ("calls", "rep_states")]
    print(f"  {CONTACTS:,} contacts, {counts[0]:,} calls, {counts[1]:,} rep states, 50 reps")
    start, _ = team_day_bounds(TODAY, ET)
    reps = floor(db, NOW, settings=settings)
    states = sorted({rep.state for rep in reps})
    print(f"  floor: {len(reps)} reps ({', '.join(states)})")
    p50, p95 = timed(lambda: floor(db, NOW, settings=settings))
    r50, r95 = timed(lambda: db.one("SELECT count(*) FROM calls WHERE at >= ?", (start,)))
    verdict = "ok" if p95 <= 50 else "OVER the 50 ms target"
    print(f"  floor refresh            p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  ({verdict})")
    print(f"  reference: count(*) of today's calls  p50 {r50:6.2f} ms  p95 {r95:6.2f} ms")
    clock = fixed_clock(NOW.astimezone(UTC))
    for label, first in (("one day", TODAY), (f"{DAYS} days", TODAY - timedelta(days=DAYS))):
        period = Period(first, TODAY, ET)
        p50, p95 = timed(lambda p=period: rep_time(db, p, clock, settings=settings), runs=10)
        print(f"  report time, {label:<8}       p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    db.close()


if __name__ == "__main__":
    main()
