"""Importing from a read-only folder: the rejects file goes somewhere writable, named."""

from __future__ import annotations

import json
import tempfile

import pytest

from tests import backend
from tests.cli_checks import AT, assert_one_line_error, files_under

LIST = "Phone,Name\n(415) 555-2671,Ada\n12,Nobody\n"
REJECTS = "Phone,Name,reject_reason\n12,Nobody,"


@pytest.fixture
def shelf(tmp_path, monkeypatch):
    """``lists/people.csv`` in a folder with no write bit, and a writable cwd ``work``."""
    lists, work = tmp_path / "lists", tmp_path / "work"
    lists.mkdir()
    work.mkdir()
    (lists / "people.csv").write_text(LIST)
    lists.chmod(0o555)
    monkeypatch.chdir(work)
    yield lists / "people.csv"
    lists.chmod(0o755)


def test_rejects_go_to_the_current_folder_and_are_named(run, shelf, db_path):
    result = run("import", str(shelf), "--at", AT)
    assert result.exit_code == 0, result.output
    moved = shelf.parent.parent / "work" / "people.rejects.csv"
    assert result.output.splitlines()[-1] == (
        f"rejected rows: {moved} ({shelf.parent} is read-only)"
    )
    assert moved.read_text().startswith(REJECTS)
    assert sorted(p.name for p in shelf.parent.iterdir()) == ["people.csv"]
    row = backend.rows(
        db_path, "SELECT status, inserted, rejected, rejects_file FROM import_batches"
    )
    assert row == [("done", 1, 1, str(moved))]


def test_then_to_the_temporary_folder(run, shelf, monkeypatch, tmp_path):
    work = tmp_path / "work"
    work.chmod(0o555)
    spare = tmp_path / "spare"
    spare.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spare))
    try:
        result = run("import", str(shelf), "--json", "--at", AT)
    finally:
        work.chmod(0o755)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rejects_file"] == str(spare / "people.rejects.csv")
    assert files_under(work) == {}


def test_rejects_option_takes_a_file_or_a_folder(run, shelf, tmp_path):
    chosen = tmp_path / "mine.csv"
    result = run("import", str(shelf), "--rejects", str(chosen), "--at", AT)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"rejected rows: {chosen}"
    assert chosen.read_text().startswith(REJECTS)
    folder = tmp_path / "out"
    folder.mkdir()
    again = run("import", str(shelf), "--rejects", str(folder), "--json", "--at", AT)
    assert json.loads(again.output)["rejects_file"] == str(folder / "people.rejects.csv")


@pytest.mark.parametrize("where", ["missing/x.csv", "ro/x.csv"])
def test_a_rejects_path_that_cannot_be_written_changes_nothing(
    run, shelf, tmp_path, db_path, where
):
    (tmp_path / "ro").mkdir(mode=0o555)
    before = files_under(tmp_path)
    result = run("import", str(shelf), "--rejects", str(tmp_path / where), "--at", AT)
    assert_one_line_error(result, "cannot write the rejects file")
    assert files_under(tmp_path) == before
    assert backend.scalar(db_path, "SELECT count(*) FROM import_batches") == 0
    assert backend.scalar(db_path, "SELECT count(*) FROM contacts") == 0
