"""The demo database and its pinned clock."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from prospector.cli import cli
from prospector.services.demo import DATA, DEMO_CONTACTS, DEMO_DNC, build_demo, demo_start

NY = ZoneInfo("America/New_York")


def test_demo_start_is_next_weekday_ten_in_new_york():
    assert demo_start(datetime(2026, 11, 23, 9, 0, tzinfo=NY)) == datetime(
        2026, 11, 23, 10, 0, tzinfo=NY
    )
    assert demo_start(datetime(2026, 11, 23, 10, 0, tzinfo=NY)) == datetime(
        2026, 11, 23, 10, 0, tzinfo=NY
    )
    assert demo_start(datetime(2026, 11, 23, 23, 0, tzinfo=NY)) == datetime(
        2026, 11, 24, 10, 0, tzinfo=NY
    )
    assert demo_start(datetime(2026, 11, 27, 18, 0, tzinfo=NY)) == datetime(
        2026, 11, 30, 10, 0, tzinfo=NY
    )
    assert demo_start(datetime(2026, 11, 29, 3, 0, tzinfo=NY)) == datetime(
        2026, 11, 30, 10, 0, tzinfo=NY
    )


def test_build_demo_is_complete_and_idempotent(tmp_path):
    path = tmp_path / "demo" / "demo.db"
    start = demo_start(datetime(2026, 11, 28, 12, 0, tzinfo=NY))
    data_before = sorted(p.name for p in DATA.iterdir())
    assert build_demo(path, now=start) == path
    conn = sqlite3.connect(path)
    counts = conn.execute(
        "SELECT count(*), sum(dnc), count(filtered_by), count(DISTINCT source) FROM contacts"
    ).fetchone()
    conn.close()
    assert counts[0] >= 290 and counts[1] >= 5 and 0 < counts[2] < counts[0] and counts[3] == 4
    modified = path.stat().st_mtime_ns
    build_demo(path, now=start)
    assert path.stat().st_mtime_ns == modified
    # The demo's bad rows are rejected, but nothing is written into the package data.
    assert sorted(p.name for p in DATA.iterdir()) == data_before
    assert [p.name for p in (tmp_path / "demo").iterdir()] == ["demo.db"]


def test_demo_command_build_only_uses_explicit_db(tmp_path, monkeypatch):
    monkeypatch.delenv("PROSPECTOR_DB", raising=False)
    path = tmp_path / "d.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "demo", "--build-only"])
    assert result.exit_code == 0, result.output
    assert str(path) in result.output and path.exists()
    # $PROSPECTOR_DB names it when --db does not: a demo already there is kept as it
    # is (building one takes seconds; the build is the line above).
    shutil.copyfile(path, tmp_path / "env.db")
    monkeypatch.setenv("PROSPECTOR_DB", str(tmp_path / "env.db"))
    result = CliRunner().invoke(cli, ["demo", "--build-only"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"demo database: {tmp_path / 'env.db'} (")


def test_demo_lists_are_written_where_asked_and_import(tmp_path, monkeypatch):
    monkeypatch.delenv("PROSPECTOR_DB", raising=False)
    db = str(tmp_path / "team.db")
    result = CliRunner().invoke(cli, ["--db", db, "demo", "--lists", str(tmp_path / "lists")])
    assert result.exit_code == 0, result.output
    contacts = tmp_path / "lists" / "demo_accounts_contacts.csv"
    dnc = tmp_path / "lists" / "demo_dnc.txt"
    assert result.output.splitlines() == [str(contacts), str(dnc)]
    assert contacts.read_bytes() == DEMO_CONTACTS.read_bytes()
    assert dnc.read_bytes() == DEMO_DNC.read_bytes()
    assert not (tmp_path / "team.db").exists()  # the lists only: no database built

    at = "2026-11-24T09:30:00-05:00"
    assert CliRunner().invoke(cli, ["--db", db, "init"]).exit_code == 0
    result = CliRunner().invoke(cli, ["--db", db, "import", str(contacts), "--json", "--at", at])
    assert result.exit_code == 0, result.output
    assert '"read": 304, "inserted": 299, "updated": 1, "rejected": 4' in result.output
    result = CliRunner().invoke(cli, ["--db", db, "dnc", "import", str(dnc)])
    assert (
        result.output == "8 number(s) added (0 already listed), 8 contact(s) marked do-not-call\n"
    )


def test_demo_lists_into_a_file_is_one_line_error(tmp_path):
    (tmp_path / "taken").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["demo", "--lists", str(tmp_path / "taken")])
    assert result.exit_code == 1
    assert (
        result.output
        == f"error: {tmp_path / 'taken'}: not a folder (the demo lists go into a folder)\n"
    )
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_demo_on_a_postgresql_url_is_refused_in_one_line(tmp_path, monkeypatch):
    """The demo builds its own SQLite file; a PostgreSQL team database is never filled
    with demo rows (nothing is connected to: the refusal comes first)."""
    monkeypatch.chdir(tmp_path)
    url = "postgresql://rep:s3cret@db.invalid/team"
    result = CliRunner().invoke(cli, ["--db", url, "demo", "--build-only"])
    assert result.exit_code == 1
    assert result.output == (
        "error: postgresql://rep:***@db.invalid/team: the demo builds an SQLite file of its"
        " own; for PostgreSQL, write the demo lists with `prospector demo --lists DIR` and"
        " import them\n"
    )
    assert list(tmp_path.iterdir()) == []
    lists = CliRunner().invoke(cli, ["--db", url, "demo", "--lists", str(tmp_path / "lists")])
    assert lists.exit_code == 0, lists.output
    assert len(lists.output.splitlines()) == 2
