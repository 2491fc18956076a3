"""PostgreSQL support is an extra: without psycopg a ``postgresql://`` URL is one clear
line, and SQLite use never loads psycopg at all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RUN_CLI = """
import sys
{prelude}
from prospector.cli import cli
try:
    cli(sys.argv[1:], prog_name="prospector")
finally:
    print("psycopg loaded:", sys.modules.get("psycopg") is not None, file=sys.stderr)
"""


def prospector(*args: str, prelude: str = "", cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PROSPECTOR_DB", None)
    return subprocess.run(
        [sys.executable, "-c", RUN_CLI.format(prelude=prelude), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


HIDE_PSYCOPG = "sys.modules['psycopg'] = None  # as if `pip install prospector` alone"


def test_a_postgresql_url_without_psycopg_is_one_line(tmp_path):
    assert prospector("--db", str(tmp_path / "team.db"), "init", cwd=tmp_path).returncode == 0
    for args in (
        ["--db", "postgresql://rep:secret@db.example/team", "init"],
        ["--db", "postgresql://rep@db.example/team", "queue"],
        ["db", "copy", str(tmp_path / "team.db"), "postgresql://rep:secret@db.example/team"],
    ):
        if args[0] == "db":
            assert (
                prospector("--db", str(tmp_path / "team.db"), "init", cwd=tmp_path).returncode == 0
            )
        done = prospector(*args, prelude=HIDE_PSYCOPG, cwd=tmp_path)
        assert done.returncode == 1, done.stderr
        error, loaded = done.stderr.splitlines()
        assert error == (
            "error: PostgreSQL support is not installed: pip install 'prospector[postgres]'"
        )
        assert loaded == "psycopg loaded: False"
        assert "secret" not in done.stdout + done.stderr


def test_sqlite_never_imports_psycopg(tmp_path):
    db = str(tmp_path / "team.db")
    for args in (
        ["--db", db, "init"],
        ["--db", db, "queue", "--at", "2026-11-23T10:00:00-05:00"],
        ["--db", db, "db", "check"],
        ["db", "copy", db, str(tmp_path / "copy.db")],
    ):
        done = prospector(*args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stderr.splitlines()[-1] == "psycopg loaded: False", args
