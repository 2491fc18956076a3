"""The README's "A team server" steps, run as written against a throwaway cluster.

The section's blocks are marked "not run" for the main README run (which has no
PostgreSQL server). Here the server's name, ``db.example.com``, becomes the
throwaway cluster's socket folder (percent-encoded inside URLs, as libpq reads a
socket folder there); everything else runs exactly as the README shows it, with
the README's output checked line by line. The cluster trusts local connections, so
the passwords are written where the README says but not asked for.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import psycopg
import pytest

from tests.readme_blocks import README, clean_env, readme_steps, run_steps
from tests.test_readme import prospector_shim

SECTION = re.search(r"^## A team server\n.*?(?=^## )", README.read_text(), re.S | re.M)
ROLES = ("alice", "prospector_rep", "prospector")
DATABASES = ("prospector", "prospector_restored")


def section_steps(socket_folder: str):
    assert SECTION is not None, "README.md has no 'A team server' section"
    text = SECTION.group()
    encoded = urllib.parse.quote(socket_folder, safe="")
    text = re.sub(r"(postgresql://[^@\s/]*@)db\.example\.com", rf"\g<1>{encoded}", text)
    text = text.replace("db.example.com", socket_folder)
    # Run every block: the markers keep them out of the main README run only.
    text = re.sub(r"^<!-- not run: .* -->$", "", text, flags=re.M)
    return readme_steps(text)


def test_the_section_covers_what_a_team_server_needs():
    text = SECTION.group() if SECTION else ""
    for needed in (
        "CREATE ROLE prospector LOGIN PASSWORD", "CREATE DATABASE prospector OWNER",
        " init\n", "PROSPECTOR_DB=", "~/.pgpass", "PGPASSWORD", "?service=team",
        "sslmode=verify-full", "pg_dump -h db.example.com -U prospector -Fc", "pg_restore",
        "GRANT SELECT, INSERT, UPDATE, DELETE", "GRANT USAGE, UPDATE ON ALL SEQUENCES", "db copy",
    ):  # fmt: skip
        assert needed in text, needed
    assert len([step for step in section_steps("/x") if not step.env]) >= 15


@pytest.mark.slow
def test_the_team_server_steps_work_as_written(pg_cluster, tmp_path: Path):
    prospector_shim(tmp_path)
    env = clean_env(tmp_path / "home", PYTHONPATH=str(README.parent))
    env["PATH"] = f"{pg_cluster.bindir}:{env['PATH']}"
    (tmp_path / "home").mkdir()
    try:
        run_steps(section_steps(str(pg_cluster.root)), tmp_path, env)
    finally:
        with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
            for database in DATABASES:
                conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            for role in ROLES:
                conn.execute(f"DROP ROLE IF EXISTS {role}")
    # The owner moved the team into a file.
    assert (tmp_path / "moved.db").exists()
