"""One rep of :mod:`tests.bench.bench_team`, in a process of its own.

``python -m tests.bench.team_worker TARGET REP CYCLES GO PAUSE`` warms up, says
"ready", waits for the GO file to appear (so that every rep starts together, none
still warming up), then runs CYCLES of the bare reference query, ``next`` and
``log``, timing each, with a random pause of 0 to 2 x PAUSE seconds after each
(0: none), and prints one JSON line: what it claimed, the calls it logged, and the
timings in milliseconds.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from prospector.foundations.db import Database, open_database
from prospector.services.calls import log_call
from prospector.services.claims import claim_next
from tests.bench.bench_queue import NOW


def reference_sql(skip_locked: str) -> str:
    """The bare top-of-queue query a claim is built around, with the backend's row lock."""
    return (
        "SELECT id FROM contacts WHERE locale_id = ? AND status = 'open' AND dnc = 0"
        " AND filtered_by IS NULL AND phone_bad = 0 AND attempts = 0"
        " AND callback_at IS NULL AND deferred_until IS NULL AND standby_list IS NULL"
        " ORDER BY sla_due_at LIMIT 1"
        f"{skip_locked}"
    )


def timed_cycle(
    db: Database, reference: str, rep: str, n: int, timings: dict[str, list[float]]
) -> tuple[int, int] | None:
    """One reference query, ``next`` and ``log``, each timed into ``timings`` (ms);
    returns (contact claimed, call logged), or None when nothing was callable."""
    t0 = time.perf_counter()
    # In a transaction of its own (no write lock), so that the row lock is taken.
    db.conn.execute("BEGIN")
    db.one(reference, (1 + n % 30,))
    db.conn.rollback()
    t1 = time.perf_counter()
    item = claim_next(db, rep=rep, now=NOW)
    t2 = time.perf_counter()
    if item is None:
        return None
    call = log_call(db, item.contact_id, "no_answer", rep=rep, now=NOW).call_id
    t3 = time.perf_counter()
    timings["reference"].append((t1 - t0) * 1000)
    timings["next"].append((t2 - t1) * 1000)
    timings["log"].append((t3 - t2) * 1000)
    return item.contact_id, call


def main(target: str, rep: str, cycles: int, go: str, pause: float = 0.0) -> None:
    db = open_database(target, create=False)
    claim_next(db, rep=rep, now=NOW)  # warm up: settings, windows, statement caches
    with db.write():
        db.execute(
            "UPDATE contacts SET claimed_by = NULL, claim_expires_at = NULL WHERE claimed_by = ?",
            (rep,),
        )
    sql = reference_sql(db.dialect.skip_locked)
    print("ready", flush=True)  # the bench starts every rep together once all are warm
    while not Path(go).exists():
        time.sleep(0.01)
    claimed: list[int] = []
    calls: list[int] = []
    timings: dict[str, list[float]] = {"next": [], "log": [], "reference": []}
    rng = random.Random(rep)
    for n in range(cycles):
        cycle = timed_cycle(db, sql, rep, n, timings)
        if cycle is None:
            break
        claimed.append(cycle[0])
        calls.append(cycle[1])
        if pause:  # wrap-up and the next dial: a rep at a desk, not a loop
            time.sleep(rng.uniform(0, 2 * pause))
    db.close()
    print(json.dumps({"rep": rep, "claimed": claimed, "calls": calls, "ms": timings}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5]))
