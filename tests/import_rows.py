"""Normalized import rows built by hand, and a writer to apply them to a real database.

The workers' normalizing (rows.py) turns a file's phone columns into a row's
phones; these helpers skip it, so the writer's rules (matching, merging phones,
DNC, warnings) are tested on exactly the phones a test names.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from prospector.foundations.db import POSTGRES_URL, Database, open_database
from prospector.foundations.folding import contact_key
from prospector.services.dnc import add_dnc
from prospector.services.importing import import_file
from prospector.services.importing.profiles import ProfileKeys
from prospector.services.importing.rows import Reject, Row, company_key
from prospector.services.importing.writer import ContactWriter, Counts
from prospector.services.settings import load_settings
from tests.conftest import MONDAY_10_ET, create_pg_database

TABLES = ("contacts", "contact_phones", "accounts", "locales", "dnc_numbers", "audit_log")
LOCALE = ("America/New_York", "US", "NY")
AT = ["--at", MONDAY_10_ET.isoformat()]


def import_json(run, path: Path, *extra: str) -> dict:
    """``prospector import PATH --json`` at :data:`AT` through the CLI; its output, parsed."""
    result = run("import", str(path), "--json", *extra, *AT)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def phone(e164: str, kind: str = "work", extension: str | None = None) -> tuple:
    """A row's phone entry: ``(e164, raw, kind, extension, number_type)``."""
    return (e164, f"raw {e164}", kind, extension, "fixed_line_or_mobile")


def make_row(
    db: Database,
    phones: list[tuple],
    *,
    first: str | None = None,
    last: str | None = None,
    email: str | None = None,
    company: str | None = None,
    title: str | None = None,
    notes: tuple[str, ...] = (),
    toll_free: bool = False,
) -> tuple:
    """A :class:`Row` as the workers send it (a plain tuple)."""
    keys = ProfileKeys(load_settings(db))
    profile = keys.key(None, None, "US", "NY", None, title, None)
    dialled = phones[0]
    return tuple(
        Row(
            first_name=first,
            last_name=last,
            title=title,
            email=email,
            phone=dialled[0],
            phone_raw=dialled[1],
            phone_type=dialled[4],
            phone_ext=dialled[3],
            state="NY",
            country="US",
            postal_code=None,
            source=None,
            list_name=None,
            external_id=None,
            company=company,
            domain=None,
            name_key=company_key(company) if company else None,
            industry=None,
            employees=None,
            locale=LOCALE,
            fills_locale=True,
            profile=profile,
            phones=tuple(phones),
            notes=notes,
            search_key=contact_key(first, last, email),
            toll_free=toll_free,
        )
    )


def write_rows(
    db: Database, rows: list[tuple], *, now: datetime, batch_id: int | None = None
) -> tuple[Counts, list[Reject]]:
    """Apply rows as one chunk of one import run (lines 2, 3, ... as under a header)."""
    writer = ContactWriter(db, load_settings(db), now, batch_id)
    rejects: list[Reject] = []
    with db.write():
        counts = writer.write_chunk(rows, rejects.append, list(range(2, len(rows) + 2)))
    return counts, rejects


def dump(db_path: Path | str) -> dict[str, list[tuple]]:
    with open_database(db_path, create=False) as db:  # one connection for every table
        return {
            table: [tuple(row) for row in db.query(f"SELECT * FROM {table} ORDER BY 1, 2")]
            for table in TABLES
        }


def write_list(
    path: Path, header: list[str], rows: list[tuple[str, ...]], delimiter: str = ","
) -> None:
    """A list file as a spreadsheet would write it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def phones_of(db: Database, contact_id: int) -> list[tuple]:
    """``(e164, kind, rank)`` of a contact's phones, in dial order."""
    return [
        tuple(row)
        for row in db.query(
            "SELECT e164, kind, rank FROM contact_phones WHERE contact_id = ? ORDER BY rank",
            (contact_id,),
        )
    ]


def interrupt_on_chunk(monkeypatch, number: int) -> None:
    """Make the writer raise KeyboardInterrupt (a Ctrl-C) on its ``number``-th chunk."""
    real = ContactWriter.write_chunk
    calls = {"n": 0}

    def interrupted(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == number:
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ContactWriter, "write_chunk", interrupted)


@pytest.fixture(name="new_database")
def new_database_fixture(db_path, request: pytest.FixtureRequest) -> Iterator[NewDatabase]:
    """Fresh, empty team databases beside ``db_path``, on its backend (for hypothesis
    examples, which share one test's fixtures; import it into the test module):
    ``new_database(folder, name)`` is ``folder/name.db`` on SQLite. On PostgreSQL it is
    a database of the test's cluster, one per ``name``, emptied for each call after
    the first (creating and dropping a database per example takes seconds)."""
    if not POSTGRES_URL.match(str(db_path)):
        yield lambda folder, name: folder / f"{name}.db"
        return
    import psycopg

    cluster = request.getfixturevalue("pg_cluster")
    stem = urllib.parse.urlsplit(str(db_path)).path.lstrip("/")
    made: dict[str, str] = {}

    def make(folder: Path, name: str) -> str:
        database = made.get(name)
        if database is None:
            database = made[name] = f"{stem}_{name}"
            return create_pg_database(cluster, database, fresh=True)
        with psycopg.connect(cluster.url(database), autocommit=True) as conn:
            assert not conn.execute("SELECT 1 FROM deferred_indexes").fetchall()
            tables = [
                row[0]
                for row in conn.execute(
                    """SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
                       AND tablename <> 'prospector_meta'"""
                )
            ]
            # DELETE, not TRUNCATE: a few rows a table, where TRUNCATE makes every
            # table and index a new file (foreign keys rest: every table empties).
            # Then the ids start again at 1, as when fresh.
            conn.execute("SET session_replication_role = replica")
            for table in tables:
                conn.execute(f'DELETE FROM "{table}"')
            conn.execute(
                """SELECT setval(c.oid, 1, false) FROM pg_class c
                   WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"""
            )
        return cluster.url(database)

    yield make
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        for database in made.values():
            conn.execute(f'DROP DATABASE "{database}" WITH (FORCE)')


NewDatabase = Callable[[Path, str], "Path | str"]


def import_once_and_twice(
    folder: Path,
    path: Path,
    dnc: list[str],
    first: datetime,
    later: datetime,
    new_database: NewDatabase,
) -> tuple[Path | str, Path | str, list]:
    """The list imported into one fresh database once, and into another twice (the
    second run at ``later``), each after listing ``dnc``; the databases and every
    run's result, in order."""
    once, twice = new_database(folder, "once"), new_database(folder, "twice")
    results = []
    for target, runs in ((once, 1), (twice, 2)):
        with open_database(target) as db:
            if dnc:
                add_dnc(db, dnc, actor="t", now=first)
            for run in range(runs):
                results.append(import_file(db, path, now=later if run else first, rep="t"))
    return once, twice, results
