"""A rep in its own process with ``calling.account_lock`` on:
``python -m tests.account_lock_worker DB REP AT``.

Claims with ``next`` until no contact is left uncalled, holds each claim a few
milliseconds, then logs it. Prints, as JSON, each claim's account and the wall-clock
interval it was surely held in: from after the claim committed to before the log
began (inside the real hold, so two overlapping intervals mean two reps held one
account at once).
"""

from __future__ import annotations

import json
import sys
import time

from prospector.foundations.clock import parse_instant
from prospector.foundations.db import open_database
from prospector.foundations.errors import ClaimError
from prospector.services.calls import log_call
from prospector.services.claims import claim_next

HOLD_SECONDS = 0.005


def main(path: str, rep: str, at: str) -> None:
    now = parse_instant(at)
    db = open_database(path, create=False)
    held: list[dict] = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            item = claim_next(db, rep=rep, now=now)
        except ClaimError:
            continue  # the top rows were busy: ask again
        if item is None:
            if db.one("SELECT count(*) FROM contacts WHERE attempts = 0")[0] == 0:
                break
            time.sleep(0.002)  # the rest belongs to accounts other reps hold now
            continue
        start = time.time()
        account = db.one("SELECT account_id FROM contacts WHERE id = ?", (item.contact_id,))[0]
        time.sleep(HOLD_SECONDS)
        held.append({"account": account, "contact": item.contact_id, "from": start,
                     "to": time.time()})  # fmt: skip
        log_call(db, item.contact_id, "no_answer", rep=rep, now=now)
    print(json.dumps(held))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
