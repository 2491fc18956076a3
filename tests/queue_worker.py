"""A rep in its own process: ``python -m tests.queue_worker DB REP CYCLES AT [MODE]``.

MODE ``cycle`` (default) runs CYCLES of ``next`` + ``log`` and prints what it claimed
and logged as JSON. MODE ``log-then-wait`` logs one call, says so, then sleeps (to be
killed with SIGKILL by the test).
"""

from __future__ import annotations

import json
import sys
import time

from prospector.foundations.clock import parse_instant
from prospector.foundations.db import open_database
from prospector.services.calls import log_call
from prospector.services.claims import claim_next


def main(path: str, rep: str, cycles: int, at: str, mode: str = "cycle") -> None:
    now = parse_instant(at)
    db = open_database(path, create=False)
    if mode == "log-then-wait":
        logged = log_call(db, cycles, "no_answer", rep=rep, now=now, note="kept after kill -9")
        print(json.dumps({"call_id": logged.call_id}), flush=True)
        time.sleep(60)
        return
    claimed: list[int] = []
    calls: list[int] = []
    for _ in range(cycles):
        item = claim_next(db, rep=rep, now=now)
        if item is None:
            break
        claimed.append(item.contact_id)
        calls.append(log_call(db, item.contact_id, "no_answer", rep=rep, now=now).call_id)
    print(json.dumps({"claimed": claimed, "calls": calls}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], *sys.argv[5:])
