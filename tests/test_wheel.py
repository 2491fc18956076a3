"""Prospector installed from its wheel, into a fresh venv, works from any folder.

Builds the wheel from a copy of this checkout (the build writes ``build/`` and
``*.egg-info`` beside its sources, and a stale ``build/`` would leak old files into
the wheel), installs it with its dependencies into a new venv (pip's cache makes a
rerun quick), and runs the commands from another folder, where nothing of the
checkout can be imported: the README's examples, then the demo.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from contextlib import closing
from pathlib import Path

import pytest

from tests.readme_blocks import README, clean_env, readme_steps, run_steps

ROOT = README.parent
SHIPPED_SETTINGS = ROOT / "prospector" / "data" / "settings.toml"
SHIPPED_DATA = sorted([
    "columns.toml", "company_suffixes.txt", "countries.toml", "crm_answers.toml",
    "crm_hubspot.toml", "crm_salesforce.toml", "demo_accounts_contacts.csv", "demo_dnc.txt",
    "free_mail.txt", "junk_cells.toml", "postal_codes.toml", "report_footers.toml",
    "settings.toml", "state_zones.toml", "zone_aliases.toml",
])  # fmt: skip
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", ".demo", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis",
    "tests", "*.db", "*.db-*",
)  # fmt: skip
PYTHON_WARNING = re.compile(r"[A-Za-z]*Warning\b|[Dd]eprecat")


def _pip(*args: str, cwd: Path) -> str:
    # Without PYTHONPATH: the checkout on it would pass for an installed prospector.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_works_from_another_folder(tmp_path):
    # One test, so that parallel workers never build and install it twice.
    user = install_wheel(tmp_path)
    env = clean_env(user / "home")
    check_readme(user, env)
    check_init_show_import_queue(user, env)
    check_demo(user, env)


def install_wheel(work: Path) -> Path:
    """A folder holding ``.venv``, a fresh venv with only the wheel and its dependencies."""
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    built = _pip("wheel", "--no-deps", "--wheel-dir", str(work / "dist"), ".", cwd=source)
    # No deprecation (the license table) or other Python warning from the build backend
    # (pip's own "WARNING:" lines are about this machine's pip configuration).
    assert not PYTHON_WARNING.search(built), built
    (wheel,) = (work / "dist").glob("prospector-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = sorted(name for name in archive.namelist() if "/data/" in name)
    assert shipped == [f"prospector/data/{name}" for name in SHIPPED_DATA]

    user = work / "user"
    user.mkdir()
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", ".venv"], cwd=user, check=True)
    installing = _pip(
        "--python", str(user / ".venv/bin/python"), "install", "--no-compile", str(wheel), cwd=user
    )  # fmt: skip
    assert not PYTHON_WARNING.search(installing), installing
    return user


def _run(user: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(user / ".venv/bin/prospector"), *args],
        cwd=user,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def check_readme(installed: Path, env: dict[str, str]) -> None:
    where = subprocess.run(
        [".venv/bin/python", "-c", "import prospector; print(prospector.__file__)"],
        cwd=installed,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(installed / ".venv")), where  # the wheel, not the checkout
    run_steps(readme_steps(README.read_text(encoding="utf-8")), installed, env)


def check_init_show_import_queue(installed: Path, env: dict[str, str]) -> None:
    at = "2026-11-24T09:30:00-05:00"
    assert _run(installed, "demo", "--lists", "lists", env=env).stdout == (
        "lists/demo_accounts_contacts.csv\nlists/demo_dnc.txt\n"
    )
    assert _run(installed, "--db", "own.db", "init", env=env).returncode == 0
    shown = _run(installed, "--db", "own.db", "settings", "show", env=env)
    assert shown.stdout == SHIPPED_SETTINGS.read_text(encoding="utf-8")
    imported = _run(
        installed, "--db", "own.db", "import", "lists/demo_accounts_contacts.csv", "--json",
        "--at", at, env=env,
    )  # fmt: skip
    assert json.loads(imported.stdout) | {"rejects_file": None} == {
        "read": 304, "inserted": 299, "updated": 1, "rejected": 4, "filtered": 109, "dnc": 0,
        "rejects_file": None, "toll_free": 0, "warnings": [],
    }  # fmt: skip
    queue = _run(
        installed, "--db", "own.db", "queue", "--json", "--limit", "3",
        "--at", "2026-11-24T10:00:00-05:00", env=env,
    )  # fmt: skip
    assert [lead["contact_id"] for lead in json.loads(queue.stdout)] == [28, 41, 45]


def check_demo(installed: Path, env: dict[str, str]) -> None:
    # `prospector demo` without --db: the user data directory, as a user gets it.
    built = _run(installed, "demo", "--build-only", env=env)
    assert built.returncode == 0, built.stderr
    found = re.fullmatch(r"demo database: (\S+) \(clock for the demo: (\S+)\)\n", built.stdout)
    assert found, built.stdout
    database, clock = Path(found[1]), found[2]
    assert database.is_relative_to(installed / "home") and database.name == "demo.db"
    with closing(sqlite3.connect(database)) as connection:
        # The demo list, imported at the demo's start (the history's contacts came before).
        contacts, dnc = connection.execute(
            """SELECT count(*), sum(dnc) FROM contacts WHERE created_at =
                   (SELECT value FROM prospector_meta WHERE key = 'demo_clock')"""
        ).fetchone()
        history = connection.execute("SELECT count(DISTINCT rep) FROM calls").fetchone()[0]
    assert (contacts, dnc) == (299, 8)  # 304 rows: 4 rejected, 1 the same person again
    assert history == 5  # the six weeks' reps: the wheel ships what builds them

    queue = _run(installed, "--db", str(database), "queue", "--limit", "3", "--at", clock, env=env)
    assert queue.returncode == 0, queue.stderr
    rows = [line for line in queue.stdout.splitlines() if re.match(r"│ \d │", line)]
    assert len(rows) == 3, queue.stdout
