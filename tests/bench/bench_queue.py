"""Benchmark: ``next`` (select + claim) and ``log`` with 1,000,000 contacts.

Run: ``python -m tests.bench.bench_queue [N] [--cycles=N] [--cache=PATH] [--autocheckpoint]``
(``--cache`` builds the database once into PATH and reuses a copy of it). Contacts
are spread over every North American state/province locale plus phone-only zone
sets, with a mix of new leads (2% skipped, so not due yet, or due again), follow-ups (some not
due), callbacks, DNC and filtered rows. The reference is a bare
indexed ``SELECT id ... LIMIT 1`` measured in the same run.

Three phases time ``next`` where each lane serves it: due callbacks first, then
(callbacks moved later) new leads, then (due new leads closed) follow-ups.
"""

from __future__ import annotations

import itertools
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prospector.foundations.clock import to_db
from prospector.foundations.db import open_database
from prospector.foundations.regions import CA_PROVINCES, US_STATES
from prospector.services.calls import log_call
from prospector.services.claims import claim_next
from prospector.services.queue import id_array
from prospector.services.windows import current_settings, open_locale_ids

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday 10:00 ET, 07:00 PT
EXTRA_ZONE_SETS = [
    ("America/Boise", "America/Los_Angeles"),
    ("America/Adak", "America/Anchorage"),
    ("America/Denver", "America/Phoenix"),
    ("America/Chicago", "America/Denver"),
    ("America/Chicago", "America/Indiana/Indianapolis", "America/New_York"),
    ("America/Halifax",),
    ("America/St_Johns",),
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def locale_rows() -> list[tuple[str, str, str]]:
    """Every North American state/province locale, then the phone-only zone sets."""
    return [
        (" ".join(sorted(zones)), country, state)
        for country, table in (("US", US_STATES), ("CA", CA_PROVINCES))
        for state, (_name, zones) in table.items()
    ] + [(" ".join(sorted(z)), "US", "") for z in EXTRA_ZONE_SETS]


ACCOUNTS = 50_000
STAMP = to_db(NOW - timedelta(days=3))
CONTACT_COLUMNS = """account_id, first_name, last_name, phone, phone_raw,
    locale_id, source, filtered_by, tier, tier_priority, dnc, attempts,
    next_call_at, sla_due_at, callback_at, callback_rep, deferred_until,
    created_at, updated_at"""


def contact_rows(count: int, locales: int):
    """The contacts' rows, in CONTACT_COLUMNS order (the same for a given count)."""
    rng = random.Random(7)
    tiers = [("A", 1, 8), ("B", 2, 6), ("C", 3, 4)]
    for i in range(count):
        tier, priority, _max = tiers[rng.randrange(3)]
        roll = rng.random()
        attempts = 0 if roll < 0.5 else rng.randrange(1, 4)
        due = NOW - timedelta(minutes=rng.randrange(-3000, 3000))
        deferred = None
        if attempts == 0 and rng.random() < 0.98:
            # Imports make new leads due at once; only skipped ones wait.
            due = NOW - timedelta(days=3)
        elif attempts == 0 and due > NOW:
            deferred = to_db(due)  # as a skip leaves it
        callback_at = callback_rep = None
        if roll > 0.995:
            callback_at = to_db(due)
            callback_rep = f"rep{rng.randrange(10)}"
        yield (
            1 + i % ACCOUNTS,
            f"First{i}",
            f"Last{i}",
            f"+1{2000000000 + i}",
            f"+1{2000000000 + i}",
            1 + rng.randrange(locales),
            "list",
            "no eCommerce" if rng.random() < 0.05 else None,
            tier,
            priority,
            int(rng.random() < 0.02),
            attempts,
            to_db(due),
            to_db(NOW + timedelta(minutes=rng.randrange(-600, 3000))),
            callback_at,
            callback_rep,
            deferred,
            STAMP,
            STAMP,
        )


def build(path: Path, count: int) -> None:
    db = open_database(path)
    locales = locale_rows()
    with db.write():
        db.conn.executemany("INSERT INTO locales (zones, country, state) VALUES (?, ?, ?)", locales)
        db.conn.executemany(
            "INSERT INTO accounts (name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [(f"Account {i}", f"account {i}", STAMP, STAMP) for i in range(1, ACCOUNTS + 1)],
        )
    sql = f"INSERT INTO contacts ({CONTACT_COLUMNS}) VALUES ({', '.join('?' * 19)})"
    rows = contact_rows(count, len(locales))
    step = 100_000
    for start in range(0, count, step):
        with db.write():
            db.conn.executemany(sql, itertools.islice(rows, min(step, count - start)))
    db.close()


# Each phase leaves the lanes before it with nothing due in the open locales, so
# every lane is timed: (label, SQL run before the phase to empty the earlier lanes).
# As at a real desk, what is due in closed locales (the West Coast at 10:00 Eastern)
# stays due, and so do skipped new leads that are not due yet.
PHASES = (
    ("callbacks", None),
    (
        "new leads",
        "UPDATE contacts SET callback_at = :later WHERE callback_at <= :now"
        " AND locale_id IN (SELECT value FROM json_each(:open))",
    ),
    (
        "follow-ups",
        "UPDATE contacts SET status = 'closed' WHERE attempts = 0 AND callback_at IS NULL"
        " AND next_call_at <= :now AND status = 'open'"
        " AND locale_id IN (SELECT value FROM json_each(:open))",
    ),
)
LANE_NAMES = {0: "undispositioned", 1: "callbacks", 2: "callbacks", 3: "new leads"}


def prepare(cache: Path | None, path: Path, count: int) -> None:
    """Build the database at ``path``, or copy it from ``cache`` (built there first)."""
    started = time.perf_counter()
    if cache is None:
        build(path, count)
    else:
        if not cache.exists():
            build(cache, count)
        shutil.copyfile(cache, path)
    print(f"{count:,} contacts ready in {time.perf_counter() - started:.1f} s")


def main(count: int = 1_000_000, cycles: int = 1000, cache: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        prepare(cache, path, count)
        db = open_database(path)
        if "--autocheckpoint" not in sys.argv:
            db.checkpoint_in_background()  # as the workbench runs
        claim_next(db, rep="warmup", now=NOW)  # settings parse, window cache
        opened = id_array(open_locale_ids(db, NOW, current_settings(db)))
        later = to_db(NOW + timedelta(days=9))
        reference_sql = (
            "SELECT id FROM contacts WHERE locale_id = ? AND status = 'open' AND dnc = 0"
            " AND filtered_by IS NULL AND phone_bad = 0 AND attempts = 0"
            " AND callback_at IS NULL AND deferred_until IS NULL AND standby_list IS NULL"
            " ORDER BY sla_due_at LIMIT 1"
        )
        print(f"{'':34}{'p50 ms':>8}{'p99 ms':>8}   lanes served")
        for label, emptying in PHASES:
            if emptying:
                with db.write():
                    db.execute(emptying, {"now": to_db(NOW), "later": later, "open": opened})
                # Setup, not workload: do not time reads through its huge WAL.
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            reference: list[float] = []
            claims: list[float] = []
            logs: list[float] = []
            lanes: Counter[str] = Counter()
            for n in range(cycles):
                rep = f"rep{n % 10}"
                t0 = time.perf_counter()
                db.one(reference_sql, (1 + n % 30,))
                t1 = time.perf_counter()
                item = claim_next(db, rep=rep, now=NOW)
                t2 = time.perf_counter()
                assert item is not None
                log_call(db, item.contact_id, "no_answer", rep=rep, now=NOW)
                t3 = time.perf_counter()
                reference.append(t1 - t0)
                claims.append(t2 - t1)
                logs.append(t3 - t2)
                lanes[LANE_NAMES.get(item.lane, "follow-ups")] += 1
            served = ", ".join(f"{name} {k}" for name, k in lanes.most_common())
            for name, values, note in (
                (f"next, {label} phase", claims, served),
                ("log a call", logs, ""),
                ("reference: bare SELECT LIMIT 1", reference, ""),
            ):
                print(f"{name:<34}{pct(values, 0.5):>8.3f}{pct(values, 0.99):>8.3f}   {note}")
        print(f"{cycles} cycles per phase; targets: next p99 <= 5 ms, log p99 <= 5 ms")
        db.close()


def _arguments() -> tuple[int, int, Path | None]:
    count, cycles = 1_000_000, 1000
    cache = None
    for arg in sys.argv[1:]:
        if arg.isdigit():
            count = int(arg)
        elif arg.startswith("--cycles="):
            cycles = int(arg.removeprefix("--cycles="))
        elif arg.startswith("--cache="):
            cache = Path(arg.removeprefix("--cache="))
    return count, cycles, cache


if __name__ == "__main__":
    size, rounds, cached = _arguments()
    main(size, rounds, cache=cached)
