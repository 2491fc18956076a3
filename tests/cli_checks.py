"""What every refused command must leave behind: one line, exit 1, nothing changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from prospector.services.demo import build_demo

# A Monday, 10:00 in New York: the demo list is imported then and callable.
AT = "2026-11-23T10:00:00-05:00"


def assert_one_line_error(result, *needles: str, status: int = 1) -> None:
    """Exit ``status`` and exactly one line on stderr, ``error: ...``, holding every needle."""
    assert result.exit_code == status, (result.output, result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: "), result.stderr
    assert "Traceback" not in result.output + result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


def dump(db_path: Path) -> list[str]:
    """Every row and schema statement of the database, as SQL text.

    Read ``immutable``: it creates no ``-wal``/``-shm`` file of its own, and no
    command is running (the last one to close folded its WAL into the file).
    """
    conn = sqlite3.connect(f"file:{db_path}?mode=ro&immutable=1", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def files_under(folder: Path) -> dict[str, int]:
    """Every file and folder below ``folder`` (hidden ones too), with its size."""
    return {
        str(path.relative_to(folder)): path.stat().st_size if path.is_file() else -1
        for path in sorted(folder.rglob("*"))
    }


def build_team(path: Path) -> Path:
    """The demo list at ``path``, with one handoff exported (batch 1) and one pending."""
    from datetime import datetime

    from click.testing import CliRunner

    from prospector.cli import cli

    def run(*args: str):
        return CliRunner().invoke(cli, ["--db", str(path), "--rep", "alice", *args])

    build_demo(path, now=datetime.fromisoformat(AT))
    for contact in ("5", "9"):
        result = run("qualify", contact, "--at", AT)
        assert result.exit_code == 0, result.output
        if contact == "5":
            out = path.parent / "exports"
            result = run("export", "--out", str(out), "--at", AT)
            assert result.exit_code == 0, result.output
    return path
