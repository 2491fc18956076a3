"""Killed exports and imports: no private leftovers, a batch's files all or none (issue 11 §6).

Each crash is a real child process killed with SIGKILL at one exact step
(:mod:`tests.crash_child`); then the next run, in this process, must leave the
folder clean and the database and the files telling the same story.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from prospector.foundations.db import database_id, open_database
from prospector.foundations.leftovers import FolderHold
from prospector.services import handoffs
from prospector.services.export import export_pending
from tests.conftest import MONDAY_10_ET
from tests.crash_child import POINTS
from tests.handoff_factories import make_contact

AT = ["--at", "2026-11-23T16:00:00Z"]
# A two-file format: the Lead CSV and its Data Loader mapping.
LEADS = "prospector-batch-1-salesforce-leads.csv"
MAPPING = "prospector-batch-1-salesforce-leads.sdl"
EXPORT_POINTS = [point for point in POINTS if point.startswith("export")]


def crash(job: str, db_path: Path, path: Path, point: str) -> None:
    command = [sys.executable, "-m", "tests.crash_child", job, str(db_path), str(path), point]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr


def hidden(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith("."))


def visible(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if not name.startswith("."))


@pytest.fixture
def two_pending(db):
    for phone in ("+12125550100", "+14155550101"):
        handoffs.qualify(db, make_contact(db, phone=phone), rep="alice", now=MONDAY_10_ET)


def batches(db) -> list[tuple]:
    return [tuple(row) for row in db.query("SELECT id, target FROM export_batches")]


@pytest.mark.parametrize("point", EXPORT_POINTS)
def test_a_killed_export_is_set_right_by_the_next(point, run, db, db_path, two_pending, tmp_path):
    out = tmp_path / "out"
    crash("export", db_path, out, point)

    committed = point == "export: committed"
    # What the kill left: the step was really reached.
    shown = {
        "export: first file shown": [LEADS],
        "export: every file shown": [LEADS, MAPPING],
        "export: handoffs marked": [LEADS, MAPPING],
        "export: committed": [LEADS, MAPPING],
    }.get(point, [])
    assert visible(out) == shown
    assert hidden(out), "the kill left nothing to clean: the point was not reached"
    assert batches(db) == ([(1, str(out))] if committed else [])

    result = run("export", "--format", "salesforce-leads", "--out", str(out), "--json", *AT)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["batch"], report["count"]) == ((None, 0) if committed else (1, 2))

    # One batch, its two files, nothing hidden; every handoff exported by it.
    assert hidden(out) == []
    assert visible(out) == [LEADS, MAPPING]
    assert batches(db) == [(1, str(out))]
    assert [(h.status, h.batch_id) for h in handoffs.list_handoffs(db)] == [("exported", 1)] * 2
    # The files are the batch's own bytes, and private.
    again = tmp_path / "again"
    assert run("export", "--batch", "1", "--out", str(again)).exit_code == 0
    for name in (LEADS, MAPPING):
        assert (out / name).read_bytes() == (again / name).read_bytes()
        assert stat.S_IMODE(os.stat(out / name).st_mode) == 0o600


def test_a_killed_export_with_nothing_left_to_export_is_still_cleaned(
    run, db, db_path, two_pending, tmp_path
):
    out = tmp_path / "out"
    crash("export", db_path, out, "export: first file shown")
    with db.write():  # the handoffs go out another way meanwhile
        db.execute("UPDATE handoffs SET status = 'rejected'")
    result = run("export", "--out", str(out), *AT)
    assert result.output == "nothing to export: no pending handoffs\n"
    assert os.listdir(out) == []


def test_a_journal_is_settled_however_the_database_is_reached(
    db_path, two_pending, tmp_path, monkeypatch
):
    """Another working directory, another machine: the journal names the database
    itself (its id), not the path or URL it was reached by."""
    out = tmp_path / "out"
    crash("export", db_path, out, "export: first file shown")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with open_database(db_path, create=False) as db:
        result = export_pending(
            db, now=MONDAY_10_ET, actor="lead", format="salesforce-leads", out_dir=out
        )
    assert (result.batch, result.count) == (1, 2)
    assert hidden(out) == [] and visible(out) == [LEADS, MAPPING]


def test_a_batch_number_used_again_elsewhere_does_not_keep_the_orphan(
    run, db, db_path, two_pending, tmp_path
):
    first, second = tmp_path / "first", tmp_path / "second"
    crash("export", db_path, first, "export: first file shown")
    # Batch 1 is recorded after all, but for files written to another folder.
    assert run("export", "--format", "salesforce-leads", "--out", str(second), *AT).exit_code == 0
    assert batches(db) == [(1, str(second))]
    assert visible(first) == [LEADS]
    result = run("export", "--out", str(first), *AT)
    assert result.output == "nothing to export: no pending handoffs\n"
    assert os.listdir(first) == []
    assert visible(second) == [LEADS, MAPPING]


def test_an_export_cleans_only_what_is_provably_its_own(db, db_path, two_pending, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    users = {
        # files of batches this database does not have, with no journal: another
        # database's exports, or a re-initialized team's
        "prospector-batch-7-csv.csv": b"7",
        "prospector-batch-1-hubspot.csv": b"old team",
        # near misses of the temporaries' names
        f".{LEADS}.bak": b"x",
        f".{LEADS}.abcdefghi": b"x",
        ".prospector-batch-1-excel.csv.abcdefgh": b"x",
        f"{LEADS}.abcdefgh": b"x",
        "notes.txt": b"x",
    }
    for name, data in users.items():
        (out / name).write_bytes(data)
    # Another database's batch killed after showing its file: that database decides.
    theirs = {
        "database": str(tmp_path / "other.db"),
        "batch": 9,
        "target": str(out),
        "created_at": "2026-11-23T15:00:00Z",
        "files": ["prospector-batch-9-csv.csv"],
    }
    (out / ".prospector-batch-9.0123abcd.journal").write_text(json.dumps(theirs))
    (out / "prospector-batch-9-csv.csv").write_bytes(b"9")
    # A journal of ours that names a file it has no business with.
    ours = {**theirs, "database": database_id(db), "batch": 3, "files": ["notes.txt"]}
    (out / ".prospector-batch-3.89abcdef.journal").write_text(json.dumps(ours))
    # An earlier version's journal of ours (named by path), of a batch never recorded.
    legacy = {**theirs, "database": os.path.realpath(db_path), "batch": 5}
    legacy["files"] = ["prospector-batch-5-csv.csv"]
    (out / ".prospector-batch-5.456789ab.journal").write_text(json.dumps(legacy))
    (out / "prospector-batch-5-csv.csv").write_bytes(b"5")
    # Leftovers that are ours: temporaries (as every version has named them).
    (out / f".{LEADS}.k2_9xq0z").write_bytes(b"personal data")
    (out / ".prospector-batch-4-jsonl.jsonl.abc_1234").write_bytes(b"personal data")
    (out / "..prospector-batch-3.89abcdef.journal.zzzzzzzz").write_bytes(b"{")

    export_pending(db, now=MONDAY_10_ET, actor="lead", format="jsonl", out_dir=out)

    for name, data in users.items():
        assert (out / name).read_bytes() == data
    assert (out / ".prospector-batch-9.0123abcd.journal").exists()
    assert (out / "prospector-batch-9-csv.csv").exists()
    assert sorted(set(os.listdir(out)) - set(users)) == [
        ".prospector-batch-9.0123abcd.journal",
        "prospector-batch-1-jsonl.jsonl",
        "prospector-batch-9-csv.csv",
    ]


def test_a_folder_another_export_is_writing_in_is_not_swept(db, db_path, two_pending, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    live = out / f".{LEADS}.live0000"
    live.write_bytes(b"being written")
    with FolderHold(out) as writer:
        writer.share()  # as a live export holds it (another descriptor: another holder)
        export_pending(db, now=MONDAY_10_ET, actor="lead", format="csv", out_dir=out)
        assert live.exists()
    export_pending(db, now=MONDAY_10_ET, actor="lead", format="csv", out_dir=out, resend=True)
    assert not live.exists()


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o000])
def test_the_export_folder_is_owner_only(run, two_pending, tmp_path, umask):
    out = tmp_path / "new" / "exports"
    old = os.umask(umask)
    try:
        result = run("export", "--format", "salesforce-leads", "--out", str(out), *AT)
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o700
    assert {stat.S_IMODE(os.stat(out / name).st_mode) for name in os.listdir(out)} == {0o600}


# --- imports -------------------------------------------------------------------------


def list_file(folder: Path) -> Path:
    """50 rows, every 5th a bad phone (10 rejects), 20 rows a chunk in the child."""
    lines = ["Phone,First Name"]
    for i in range(50):
        phone = "12" if i % 5 == 0 else f"(415) {200 + i // 100}-{i % 100:04d}"
        lines.append(f"{phone},P{i}")
    path = folder / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("point", ["import: second chunk", "import: rejects shown"])
def test_a_killed_import_leaves_no_rejects_temporary_after_the_next(point, run, db_path, tmp_path):
    folder = tmp_path / "lists"
    folder.mkdir()
    path = list_file(folder)
    assert run("init").exit_code == 0
    crash("import", db_path, path, point)
    left = hidden(folder)
    if point == "import: second chunk":
        assert len(left) == 1 and left[0].startswith(".big.rejects.csv.")
    else:
        assert left == [] and visible(folder) == ["big.csv", "big.rejects.csv"]

    result = run("import", str(path), "--json", *AT)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["read"], report["inserted"], report["rejected"]) == (50, 40, 10)
    assert hidden(folder) == []
    assert visible(folder) == ["big.csv", "big.rejects.csv"]
    with open(folder / "big.rejects.csv", encoding="utf-8") as handle:
        rejects = handle.read().splitlines()
    assert len(rejects) == 11 and rejects[0] == "Phone,First Name,reject_reason"
    assert [line.split(",")[1] for line in rejects[1:]] == [f"P{i}" for i in range(0, 50, 5)]


def test_an_import_sweeps_only_its_own_list_s_temporaries(run, tmp_path):
    folder = tmp_path / "lists"
    folder.mkdir()
    path = list_file(folder)
    others = [".other.rejects.csv.abcdefgh", ".big.rejects.csv.bak", ".big.csv.abcdefgh"]
    for name in [*others, ".big.rejects.csv.abcdefgh"]:
        (folder / name).write_text("x")
    assert run("import", str(path), *AT).exit_code == 0
    assert hidden(folder) == sorted(others)
