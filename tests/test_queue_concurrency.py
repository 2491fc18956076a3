"""Many reps in many processes on one file; a call survives SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from prospector.foundations.db import open_database
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact, add_contacts

AT = "2026-11-23T10:00:00-05:00"
ROOT = Path(__file__).resolve().parents[1]
REPS, CYCLES = 20, 100


def worker(db_path: Path, rep: str, cycles: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.queue_worker", str(db_path), rep, str(cycles), AT, *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_twenty_reps_never_share_a_contact_and_lose_no_call(db, db_path) -> None:
    total = REPS * CYCLES
    add_contacts(db, total + 50, now=MONDAY_10_ET)
    procs = [worker(db_path, f"rep{n:02d}", CYCLES) for n in range(REPS)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "locked" not in err
        results.append(json.loads(out))
    claimed = Counter(cid for r in results for cid in r["claimed"])
    call_ids = [cid for r in results for cid in r["calls"]]
    assert sum(claimed.values()) == total  # every rep got all its cycles
    assert max(claimed.values()) == 1  # 0 double claims
    with open_database(db_path) as check:
        assert check.one("SELECT count(*) FROM calls")[0] == total  # 0 lost calls
        assert sorted(r[0] for r in check.query("SELECT id FROM calls")) == sorted(call_ids)
        per_contact = check.one(
            "SELECT max(n) FROM (SELECT count(*) AS n FROM calls GROUP BY contact_id) AS per"
        )[0]
        assert per_contact == 1
        assert check.one("SELECT count(*) FROM contacts WHERE claimed_by IS NOT NULL")[0] == 0


def test_a_logged_call_survives_sigkill(db, db_path) -> None:
    contact = add_contact(db, now=MONDAY_10_ET)
    proc = worker(db_path, "alice", contact, "log-then-wait")
    line = proc.stdout.readline()
    call_id = json.loads(line)["call_id"]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    db.close()
    with open_database(db_path) as reopened:
        row = reopened.one("SELECT contact_id, note FROM calls WHERE id = ?", (call_id,))
        assert tuple(row) == (contact, "kept after kill -9")
