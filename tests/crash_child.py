"""A process killed with SIGKILL at an exact step.

``python -m tests.crash_child JOB DB PATH POINT``: JOB ``export`` exports the
pending handoffs of DB as Salesforce files into the folder PATH; JOB ``import``
imports the list file PATH (20 rows a chunk, in-process). POINT names the step
(see :data:`POINTS`): the child wraps that function so that its Nth call kills the
process the moment it returns (N = 0: as it is entered). Nothing races: the kill
happens at that point in the program, every time.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from prospector.foundations.db import open_database
from prospector.services import importing
from prospector.services.export import batchfiles, runner
from prospector.services.importing import rejects, writer
from tests.conftest import MONDAY_10_ET

POINTS: dict[str, tuple[Any, str, int]] = {
    # export, in the order it happens
    "export: first file staged": (batchfiles, "_write_temp", 1),
    "export: every file staged": (batchfiles.BatchFiles, "stage", 1),
    "export: journal staged": (batchfiles, "_write_temp", 3),
    "export: journal written": (batchfiles.BatchFiles, "journal", 1),
    "export: first file shown": (batchfiles, "_rename", 2),  # the journal's is the 1st
    "export: every file shown": (batchfiles.BatchFiles, "publish", 1),
    "export: handoffs marked": (runner, "mark_exported", 1),
    "export: committed": (batchfiles.BatchFiles, "settle", 0),
    # import, 20 rows a chunk
    "import: second chunk": (writer.ContactWriter, "write_chunk", 2),
    "import: rejects shown": (rejects.RejectsFile, "finish", 1),
}


def kill_at(owner: Any, name: str, nth: int) -> None:
    real = getattr(owner, name)
    calls = 0

    def step(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if nth == 0:
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(*args, **kwargs)
        if calls == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(owner, name, step)


def main(job: str, db_path: str, path: str, point: str) -> None:
    kill_at(*POINTS[point])
    db = open_database(db_path, create=False)
    if job == "export":
        runner.export_pending(
            db, now=MONDAY_10_ET, actor="lead", format="salesforce-leads", out_dir=path
        )
    else:
        importing.CHUNK_ROWS = 20
        importing.import_file(db, path, now=MONDAY_10_ET, rep="alice", workers=0)
    sys.exit(f"{point}: never reached")


if __name__ == "__main__":
    main(*sys.argv[1:])
