"""Ctrl-C in a long command: exit 130, one line, no traceback, nothing half-written."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from prospector.foundations.db import open_database
from tests.cli_checks import AT

ROWS = 30_000  # past PARALLEL_FROM_ROWS and over two 1 MiB ranges: worker processes run
CHUNK = 2_000

# The real CLI, with smaller chunks, that presses Ctrl-C for the terminal (SIGINT to
# the whole process group, workers included) in the middle of the third chunk's
# transaction: after its rows are written, before its commit.
INTERRUPTING_IMPORT = textwrap.dedent(f"""
    import os, signal, sys
    # A shell or CI runner may start us with SIGINT ignored, as children inherit it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    import prospector.services.importing as importing
    importing.CHUNK_ROWS = {CHUNK}
    original = importing._record_progress
    chunks = []

    def record(db, batch_id, counts, **finish):
        original(db, batch_id, counts, **finish)
        chunks.append(counts.read)
        if len(chunks) == 3:
            os.killpg(os.getpgrp(), signal.SIGINT)

    importing._record_progress = record
    from prospector.cli import main
    sys.argv[0] = "prospector"
    main()
""")


def write_list(path: Path) -> int:
    """A list of ROWS contacts, every 1000th with an unusable phone; returns good rows."""
    lines = ["First Name,Last Name,Company,Phone,State"]
    bad = 0
    for n in range(ROWS):
        phone = "12" if n % 1000 == 999 else f"+1 212 {200 + n // 10_000:03d} {n % 10_000:04d}"
        bad += phone == "12"
        lines.append(f"Ann{n},Lee{n},Company {n % 700},{phone},NY")
    path.write_text("\n".join(lines) + "\n")
    return ROWS - bad


def run_prospector(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "prospector"]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        start_new_session=True,  # its own process group: the SIGINT reaches no one else
    )


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")
def test_ctrl_c_during_an_import(tmp_path):
    listing = tmp_path / "people.csv"
    good = write_list(listing)
    db_path = tmp_path / "team.db"
    open_database(db_path).close()
    args = ["--db", str(db_path), "--rep", "alice", "import", str(listing), "--at", AT]

    stopped = run_prospector(*args, code=INTERRUPTING_IMPORT)

    assert (stopped.returncode, stopped.stderr, stopped.stdout) == (130, "interrupted\n", "")
    conn = sqlite3.connect(db_path)
    batch = conn.execute("SELECT status, rows_committed, inserted FROM import_batches").fetchall()
    contacts = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
    conn.close()
    # Two chunks committed; the third, interrupted before its commit, left no row.
    assert batch == [("failed", 2 * CHUNK, contacts)]
    assert contacts == 2 * CHUNK - 2 * CHUNK // 1000  # less the unusable ones
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people.csv", "team.db"]

    resumed = run_prospector(*args, "--json")
    assert resumed.returncode == 0, resumed.stderr
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == good
    assert conn.execute("SELECT status FROM import_batches").fetchall() == [("done",)]
    conn.close()


def _press_ctrl_c(*_args: object, **_kwargs: object) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("target", "args"),
    [
        ("prospector.services.importing.import_file", ["import", "people.csv"]),
        ("prospector.services.export.export_pending", ["export"]),
        ("prospector.services.dnc.import_dnc", ["dnc", "import", "people.csv"]),
        ("prospector.services.reports.run_report", ["report", "daily"]),
        ("prospector.services.reports.rebuild_summaries", ["summaries", "rebuild"]),
        ("prospector.services.fit.reapply_rules", ["settings", "reapply"]),
        ("prospector.services.queue.build_queue", ["queue"]),
    ],
    ids=lambda value: value if isinstance(value, str) else " ".join(value),
)
def test_ctrl_c_in_any_command_is_one_line_and_130(run, tmp_path, monkeypatch, target, args):
    import importlib

    module, name = target.rsplit(".", 1)
    monkeypatch.setattr(importlib.import_module(module), name, _press_ctrl_c)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "people.csv").write_text("Phone\n(415) 555-2671\n")
    result = run(*args)
    assert (result.exit_code, result.stderr, result.stdout) == (130, "interrupted\n", "")


def test_an_import_worker_leaves_ctrl_c_to_the_importer():
    """Ctrl-C reaches every process of the group; a worker must not die printing a
    traceback of its own (the importing process stops the pool)."""
    code = textwrap.dedent("""
        import os, signal
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from prospector.services import importing
        importing._init_worker(None, None)  # what each worker process runs first
        os.kill(os.getpid(), signal.SIGINT)
        print("still working")
    """)
    done = run_prospector(code=code)
    assert (done.returncode, done.stdout, done.stderr) == (0, "still working\n", "")
