"""Bad input: exit 1, one line on stderr naming what and where, nothing written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from prospector.cli import cli
from prospector.foundations.db import POSTGRES_URL, open_database
from prospector.foundations.migrations import MIGRATIONS
from tests import backend


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args))


def assert_one_line_error(result, *needles: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in result.stderr


def table_counts(db_path: Path) -> dict[str, int]:
    return {
        table: backend.scalar(db_path, f"SELECT count(*) FROM {table}")
        for table in ("contacts", "accounts", "import_batches", "locales", "dnc_numbers")
    }


@pytest.fixture
def fresh(db_path):
    open_database(db_path).close()
    return db_path


def files(tmp_path: Path) -> dict[str, tuple[Path, tuple[str, ...]]]:
    cases = {
        "missing": (tmp_path / "nope.csv", None, ("nope.csv", "no such file")),
        "empty": (tmp_path / "empty.csv", b"", ("empty.csv", "empty")),
        "binary": (tmp_path / "bin.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10,
                   ("bin.csv", "binary")),
        "no phone column": (tmp_path / "nophone.csv", b"Name,Company\nAda,Acme\n",
                            ("nophone.csv", "header (row 1)", "no phone column")),
        "header only": (tmp_path / "header.csv", b"Name,Phone\r\n",
                        ("header.csv", "row 1", "no data rows")),
        "undecodable": (tmp_path / "weird.csv", b"Phone,Name\n(415) 555-2671,\x81\x8d\n",
                        ("weird.csv", "neither UTF-8 nor Windows-1252")),
    }  # fmt: skip
    for path, content, _ in cases.values():
        if content is not None:
            path.write_bytes(content)
    return {name: (path, needles) for name, (path, _content, needles) in cases.items()}


@pytest.mark.parametrize(
    "case", ["missing", "empty", "binary", "no phone column", "header only", "undecodable"]
)
def test_bad_import_files(case, tmp_path, fresh):
    path, needles = files(tmp_path)[case]
    before = table_counts(fresh)
    result = run_cli("--db", str(fresh), "import", str(path))
    assert_one_line_error(result, *needles)
    assert table_counts(fresh) == before
    assert not path.with_name(f"{path.stem}.rejects.csv").exists()


def test_unknown_map_field(tmp_path, fresh):
    path = tmp_path / "ok.csv"
    path.write_text("Tel,Name\n(415) 555-2671,Ada\n")
    result = run_cli("--db", str(fresh), "import", str(path), "--map", "Tel=fone")
    assert_one_line_error(result, "unknown field 'fone'", "phone", "first_name")
    assert table_counts(fresh)["contacts"] == 0


def test_map_of_a_missing_column(tmp_path, fresh):
    path = tmp_path / "ok.csv"
    path.write_text("Tel,Name\n(415) 555-2671,Ada\n")
    result = run_cli("--db", str(fresh), "import", str(path), "--map", "Mobile=phone")
    assert_one_line_error(result, "ok.csv", "'mobile'", "Tel, Name")


@pytest.mark.parametrize(
    ("old", "new", "needles"),
    [
        ("max_dials_per_day = 2", 'max_dials_per_day = "two"',
         ("calling.max_dials_per_day", "whole number")),
        ("[calling]\n", "[calling]\nbogus_key = 1\n", ("unknown key", "bogus_key")),
    ],
)  # fmt: skip
def test_bad_settings_files(tmp_path, fresh, old, new, needles):
    from prospector.services.settings import DEFAULTS_FILE

    text = DEFAULTS_FILE.read_text(encoding="utf-8").replace(old, new, 1)
    path = tmp_path / "bad.toml"
    path.write_text(text)
    result = run_cli("--db", str(fresh), "settings", "load", str(path))
    assert_one_line_error(result, "bad.toml", *needles)
    assert backend.scalar(fresh, "SELECT count(*) FROM settings") == 0


def test_database_not_prospectors(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    csv_file = tmp_path / "ok.csv"
    csv_file.write_text("Phone\n(415) 555-2671\n")
    result = run_cli("--db", str(path), "import", str(csv_file))
    assert_one_line_error(result, "other.db", "not a Prospector database")
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["things"]
    conn.close()


def test_database_from_a_newer_version(tmp_path, fresh):
    newer = len(MIGRATIONS) + 1
    if POSTGRES_URL.match(str(fresh)):
        set_version = "UPDATE prospector_meta SET value = %s WHERE key = 'schema_version'"
        raw_rows(fresh, set_version, (str(newer),))
    else:
        raw_rows(fresh, f"PRAGMA user_version = {newer}")
    csv_file = tmp_path / "ok.csv"
    csv_file.write_text("Phone\n(415) 555-2671\n")
    result = run_cli("--db", str(fresh), "import", str(csv_file))
    assert_one_line_error(result, "newer Prospector")
    assert raw_rows(fresh, "SELECT count(*) FROM contacts") == [(0,)]


def raw_rows(target, sql: str, params: tuple = ()) -> list[tuple]:
    """``sql`` run on a connection of the backend's own driver (Prospector's would refuse)."""
    if POSTGRES_URL.match(str(target)):
        import psycopg

        with psycopg.connect(str(target), autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    conn = sqlite3.connect(target)
    try:
        found = conn.execute(sql, params).fetchall()
        conn.commit()
        return found
    finally:
        conn.close()


def test_invalid_dnc_number(fresh):
    result = run_cli("--db", str(fresh), "dnc", "add", "(415) 555-2671", "12")
    assert_one_line_error(result, "'12'", "not a valid phone number")
    assert table_counts(fresh)["dnc_numbers"] == 0
