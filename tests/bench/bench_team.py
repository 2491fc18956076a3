"""Benchmark: a team working at once, on SQLite and on PostgreSQL side by side.

Run: ``python -m tests.bench.bench_team [N] [--reps=50] [--cycles=200] [--cache=PATH]``
(N contacts, 1,000,000 by default, built as :mod:`tests.bench.bench_queue` builds
them; ``--cache`` keeps the SQLite file between runs). PostgreSQL runs on a
throwaway cluster of this machine (tests/pg_cluster.py), on a Unix socket.

Three phases per backend:

* one rep, 1,000 ``next`` + ``log`` cycles in this process;
* REPS rep processes at once, CYCLES cycles each, all started together, flat out;
* the same with each rep pausing 0 to 1 s between calls (wrap-up, the next dial),
  which is still far busier than a floor: 50 reps on the phone log a call or two
  a minute each.

Each cycle also times a bare top-of-queue ``SELECT ... LIMIT 1`` in a transaction
of its own (on PostgreSQL with ``FOR UPDATE SKIP LOCKED``): the reference,
measured in the same processes at the same moment, so it meets the same CPU
contention. Then the run is checked: no contact claimed twice, every logged call
in the database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from prospector.foundations.db import open_database
from prospector.services.claims import claim_next
from tests.bench.bench_queue import (
    ACCOUNTS,
    CONTACT_COLUMNS,
    NOW,
    STAMP,
    build,
    contact_rows,
    locale_rows,
)
from tests.bench.team_worker import reference_sql, timed_cycle
from tests.pg_cluster import ThrowawayCluster

SINGLE_CYCLES = 1000


def single_rep(target: str) -> dict[str, list[float]]:
    """One rep's cycles in this process: milliseconds per step."""
    db = open_database(target, create=False)
    db.checkpoint_in_background()  # as the workbench runs
    claim_next(db, rep="warmup", now=NOW)
    sql = reference_sql(db.dialect.skip_locked)
    timings: dict[str, list[float]] = {"next": [], "log": [], "reference": []}
    for n in range(SINGLE_CYCLES):
        assert timed_cycle(db, sql, "solo", n, timings) is not None
    db.close()
    return timings


PAUSE = 0.5
"""Mean seconds a paced rep waits between a call's log and the next ``next``."""


def team(target: str, reps: int, cycles: int, folder: Path, pause: float = 0.0) -> dict:
    """REPS rep processes at once (pausing ``pause`` s on average between calls);
    their timings merged, and the run's checks."""
    go = folder / "go"
    go.unlink(missing_ok=True)
    names = [f"{'paced' if pause else 'team'}{n:02d}" for n in range(reps)]
    worker = [sys.executable, "-m", "tests.bench.team_worker", target]
    workers = [
        subprocess.Popen(
            [*worker, name, str(cycles), str(go), str(pause)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    for worker in workers:  # every rep connected and warmed up: none competes with them
        assert worker.stdout is not None and worker.stdout.readline() == "ready\n"
    started = time.perf_counter()
    go.touch()
    outputs = [json.loads(worker.communicate()[0]) for worker in workers]
    wall = time.perf_counter() - started
    timings: dict[str, list[float]] = {"next": [], "log": [], "reference": []}
    claims: Counter[int] = Counter()
    logged = 0
    for output in outputs:
        for step, values in output["ms"].items():
            timings[step].extend(values)
        claims.update(output["claimed"])
        logged += len(output["calls"])
    with open_database(target, create=False) as db:
        placeholders = ", ".join("?" * len(names))
        stored = db.one(f"SELECT count(*) FROM calls WHERE rep IN ({placeholders})", names)[0]
    return {
        "timings": timings,
        "double_claims": sum(1 for count in claims.values() if count > 1),
        "lost_calls": logged - stored,
        "calls": logged,
        "wall": wall,
    }


def prepare_sqlite(folder: Path, count: int, cache: Path | None) -> str:
    path = folder / "team.db"
    if cache is not None:
        if not cache.exists():
            build(cache, count)
        path.write_bytes(cache.read_bytes())
    else:
        build(path, count)
    return str(path)


def prepare_postgres(cluster: ThrowawayCluster, count: int) -> str:
    """The same contacts as :func:`build`, loaded with COPY (row inserts would take minutes)."""
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute('CREATE DATABASE "team"')
    url = cluster.url("team")
    open_database(url).close()  # the schema, as init makes it
    locales = locale_rows()
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        with cursor.copy("COPY locales (zones, country, state) FROM STDIN") as copy:
            for row in locales:
                copy.write_row(row)
        with cursor.copy(
            "COPY accounts (name, name_key, created_at, updated_at) FROM STDIN"
        ) as copy:
            for i in range(1, ACCOUNTS + 1):
                copy.write_row((f"Account {i}", f"account {i}", STAMP, STAMP))
        with cursor.copy(f"COPY contacts ({CONTACT_COLUMNS}) FROM STDIN") as copy:
            for row in contact_rows(count, len(locales)):
                copy.write_row(row)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")  # as autovacuum would have done on a live server
    return url


def report(results: dict[str, dict], reps: int, cycles: int) -> None:
    backends = list(results)
    header = "".join(f"{name + ' p50':>18}{'p99':>8}" for name in backends)
    print(f"{'ms':<58}{header}")
    for phase, title in (
        ("single", "one rep"),
        ("team", f"{reps} reps flat out"),
        ("paced", f"{reps} reps, {PAUSE:g} s pauses"),
    ):
        for step, label in (
            ("next", "next"),
            ("log", "log"),
            ("reference", "reference: bare SELECT (SKIP LOCKED)"),
        ):
            cells = ""
            for name in backends:
                values = results[name][phase]["timings"][step]
                cells += f"{pct_ms(values, 0.5):>18.2f}{pct_ms(values, 0.99):>8.2f}"
            print(f"{title + ', ' + label:<58}{cells}")
    for name in backends:
        for phase in ("team", "paced"):
            run = results[name][phase]
            print(
                f"{name}, {phase}: {reps} reps x {cycles} cycles in {run['wall']:.1f} s"
                f" ({run['calls'] / run['wall']:.0f} cycles/s); double claims"
                f" {run['double_claims']}, lost calls {run['lost_calls']} of {run['calls']}"
            )
    print("targets (PostgreSQL, 1,000,000 contacts): next p99 <= 5 ms one rep, <= 50 ms 50 reps")


def pct_ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main(count: int, reps: int, cycles: int, cache: Path | None) -> None:
    cluster = ThrowawayCluster().start()
    results: dict[str, dict] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for name, prepare in (
                ("SQLite", lambda: prepare_sqlite(folder, count, cache)),
                ("PostgreSQL", lambda: prepare_postgres(cluster, count)),
            ):
                started = time.perf_counter()
                target = prepare()
                print(f"{name}: {count:,} contacts ready in {time.perf_counter() - started:.0f} s")
                results[name] = {
                    "single": {"timings": single_rep(target)},
                    "team": team(target, reps, cycles, folder),
                    "paced": team(target, reps, cycles, folder, PAUSE),
                }
    finally:
        cluster.stop()
    report(results, reps, cycles)
    bad = [
        f"{name} ({phase})"
        for name, run in results.items()
        for phase in ("team", "paced")
        if run[phase]["double_claims"] or run[phase]["lost_calls"]
    ]
    if bad:
        raise SystemExit(f"double claims or lost calls on {', '.join(bad)}")


def _arguments() -> tuple[int, int, int, Path | None]:
    count, reps, cycles, cache = 1_000_000, 50, 200, None
    for arg in sys.argv[1:]:
        if arg.isdigit():
            count = int(arg)
        elif arg.startswith("--reps="):
            reps = int(arg.removeprefix("--reps="))
        elif arg.startswith("--cycles="):
            cycles = int(arg.removeprefix("--cycles="))
        elif arg.startswith("--cache="):
            cache = Path(arg.removeprefix("--cache="))
    return count, reps, cycles, cache


if __name__ == "__main__":
    os.environ.setdefault("PYTHONPATH", str(Path(__file__).resolve().parents[2]))
    main(*_arguments())
