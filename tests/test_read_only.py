"""A read-only database opens for reading: reads work, writes say "read-only database".

Read-only is tested three ways: a file with no write bit (``chmod 0444``), a folder
with no write bit (SQLite cannot create the ``-wal`` file there), and, when the
tests run as root and ``setpriv`` can drop to ``nobody``, a real other user who may
not write the file or its folder. Prospector honours a missing write bit even for
root (whom the kernel would let write), so the first two hold in CI too.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from prospector.cli import cli
from prospector.foundations.db import open_database
from prospector.foundations.errors import DatabaseError
from tests.cli_checks import AT, assert_one_line_error, dump, files_under
from tests.tui_support import pinned_app, run_async, settle, team_database

READS = [
    ["queue", "--json"],
    ["report", "daily", "--format", "json"],
    ["settings", "show"],
    ["handoffs", "--json"],
    ["claim", "list"],
    ["dnc", "check", "+1 415 555 2671"],
]
WRITES = [
    ["next"],
    ["log", "5", "no_answer"],
    ["claim", "release", "5"],
    ["qualify", "7"],
    ["export", "--out", "out"],
    ["dnc", "add", "+1 415 555 2671"],
    ["import", "list.csv"],
    ["import", "list.csv", "--dry-run"],
    ["settings", "reapply"],
    ["summaries", "rebuild"],
]


def invoke(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), "--rep", "alice", "--at", AT, *args])


@pytest.fixture(params=["file 0444", "folder 0555"])
def read_only(request, team_template, tmp_path, monkeypatch):
    """A copy of the team, made read-only one way or the other; and a writable twin."""
    monkeypatch.delenv("PROSPECTOR_DB", raising=False)
    writable = tmp_path / "writable" / "team.db"
    locked = tmp_path / "locked" / "team.db"
    for path in (writable, locked):
        path.parent.mkdir()
        shutil.copyfile(team_template, path)
    (tmp_path / "list.csv").write_text("Phone\n(415) 555-2671\n")
    monkeypatch.chdir(tmp_path)
    if request.param == "file 0444":
        locked.chmod(0o444)
    else:
        locked.parent.chmod(0o555)
    yield writable, locked
    locked.parent.chmod(0o755)
    locked.chmod(0o644)


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_reads_work_as_on_a_writable_copy(read_only, args):
    writable, locked = read_only
    before = dump(locked), files_under(locked.parent)
    result = invoke(locked, *args)
    # dnc check answers "not listed" with status 1, on any database.
    assert result.exit_code == (1 if args[0] == "dnc" else 0), result.output
    assert result.output == invoke(writable, *args).output
    assert (dump(locked), files_under(locked.parent)) == before  # not even a -wal file


@pytest.mark.parametrize("args", WRITES, ids=" ".join)
def test_writes_say_read_only(read_only, args):
    _writable, locked = read_only
    before = dump(locked), files_under(locked.parent.parent)
    result = invoke(locked, *args)
    assert_one_line_error(result, f"{locked}: read-only database")
    assert "not a Prospector database" not in result.stderr
    assert (dump(locked), files_under(locked.parent.parent)) == before


def test_database_write_refuses_on_a_read_only_file(team_template, tmp_path):
    path = tmp_path / "team.db"
    shutil.copyfile(team_template, path)
    path.chmod(0o444)
    with open_database(path) as db:
        assert db.read_only
        assert db.one("SELECT count(*) FROM contacts")[0] == 299
        with pytest.raises(DatabaseError, match="read-only database"), db.write():
            pass


def test_a_file_turned_read_only_after_opening_says_so(team_template, tmp_path):
    path = tmp_path / "team.db"
    shutil.copyfile(team_template, path)
    with open_database(path) as db:
        # What SQLite answers once the file can no longer be written.
        db.conn.close()
        db.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        with pytest.raises(DatabaseError, match="read-only database"), db.write() as conn:
            conn.execute("DELETE FROM contacts")
    assert sqlite3.connect(path).execute("SELECT count(*) FROM contacts").fetchone()[0] == 299


def test_an_old_read_only_database_cannot_be_upgraded(tmp_path):
    path = tmp_path / "old.db"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    path.chmod(0o444)
    result = invoke(path, "queue")
    assert_one_line_error(result, "read-only database from an older Prospector", "init")


def _nobody_can_run_python() -> bool:
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    probe = subprocess.run(
        [*AS_NOBODY, sys.executable, "-c", "import prospector"],
        capture_output=True,
        cwd="/",
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        check=False,
    )
    return probe.returncode == 0


AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.mark.skipif(not _nobody_can_run_python(), reason="needs root and setpriv")
def test_another_user_reads_but_cannot_write(team_template):
    """A real user without write access to the file and its folder (root's 0755/0644)."""
    # Not under tmp_path: pytest's temporary folders are private to root.
    with tempfile.TemporaryDirectory(prefix="prospector-shared-") as shared:
        Path(shared).chmod(0o755)
        _read_as_nobody(team_template, Path(shared))


def _read_as_nobody(team_template: Path, folder: Path) -> None:
    path = folder / "team.db"
    shutil.copyfile(team_template, path)
    path.chmod(0o644)
    before = dump(path), files_under(folder)

    def as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*AS_NOBODY, sys.executable, "-m", "prospector", "--db", str(path), "--rep", "alice",
             "--at", AT, *args],
            capture_output=True, text=True, cwd="/", check=False,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        )  # fmt: skip

    queue = as_nobody("queue", "--json")
    assert queue.returncode == 0, queue.stderr
    assert queue.stdout == invoke(path, "queue", "--json").output
    log = as_nobody("log", "5", "no_answer")
    assert log.returncode == 1
    assert log.stderr == f"error: {path}: read-only database" + READ_ONLY_TAIL
    assert (dump(path), files_under(folder)) == before


READ_ONLY_TAIL = " (opened for reading; changes cannot be saved)\n"


@run_async
async def test_the_workbench_on_a_read_only_database_says_so(tmp_path):
    path = tmp_path / "team.db"
    team_database(path)
    path.chmod(0o444)
    before = dump(path), files_under(tmp_path)
    app = pinned_app(path)
    async with app.run_test() as pilot:
        await settle(pilot)  # the claim of the first lead is refused
        await pilot.press("1")  # and so is a logged outcome
        await settle(pilot)
        refused = {n.message for n in app._notifications if n.title == "Not done"}
    assert refused == {f"{path}: read-only database" + READ_ONLY_TAIL.strip("\n")}
    assert (dump(path), files_under(tmp_path)) == before
