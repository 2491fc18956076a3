"""What every refused command must leave behind: one line, exit 1, nothing changed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from prospector.services.demo import DEMO_REP, build_demo, write_demo_lists
from tests import backend

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


def dump(db_path: str | os.PathLike[str]) -> list[str]:
    """Every row and schema statement of the database, as text (:func:`.backend.dump`)."""
    return backend.dump(db_path)


def files_under(folder: Path) -> dict[str, int]:
    """Every file and folder below ``folder`` (hidden ones too), with its size."""
    return {
        str(path.relative_to(folder)): path.stat().st_size if path.is_file() else -1
        for path in sorted(folder.rglob("*"))
    }


def build_team(target: str | os.PathLike[str], folder: Path) -> str | os.PathLike[str]:
    """The demo list in ``target`` (a file, or an empty PostgreSQL database's URL), with
    one handoff exported (batch 1, into ``folder``/exports) and one pending."""
    from datetime import datetime

    from click.testing import CliRunner

    from prospector.cli import cli

    def run(*args: str):
        return CliRunner().invoke(cli, ["--db", str(target), "--rep", "alice", *args])

    now = datetime.fromisoformat(AT)
    if backend.is_url(target):
        _import_demo(str(target), now)
    else:
        build_demo(target, now=now, history=False)
    for contact in ("5", "9"):
        result = run("qualify", contact, "--meeting", "wed 11am", "--at", AT)
        assert result.exit_code == 0, result.output
        if contact == "5":
            result = run("export", "--out", str(folder / "exports"), "--at", AT)
            assert result.exit_code == 0, result.output
    return target


def _import_demo(url: str, now) -> None:
    """What :func:`build_demo` imports without its history, into a PostgreSQL database (it
    builds files only)."""
    from prospector.foundations.db import open_database
    from prospector.services.dnc import import_dnc
    from prospector.services.importing import import_file

    with tempfile.TemporaryDirectory() as work:
        contacts, dnc = write_demo_lists(work)
        with open_database(url) as db:
            import_file(db, contacts, now=now, rep=DEMO_REP)
            import_dnc(db, dnc, actor=DEMO_REP, now=now)
