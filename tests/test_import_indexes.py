"""A large import into a small table builds the contacts' indexes after the load."""

from __future__ import annotations

import pytest

from prospector.foundations.db import open_database
from prospector.services import importing
from prospector.services.importing import indexes
from prospector.services.importing import writer as writer_module
from prospector.services.reports import REPORTS, rebuild_summaries
from prospector.services.settings import load_settings
from tests.conftest import MONDAY_10_ET
from tests.import_rows import interrupt_on_chunk


def schema_names(db) -> list[str]:
    """The contacts' and their phones' indexes and triggers."""
    if db.dialect.name == "sqlite":
        sql = """SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')
                 AND tbl_name IN ('contacts', 'contact_phones') ORDER BY name"""
    else:
        sql = """SELECT indexname FROM pg_indexes
                 WHERE schemaname = current_schema()
                   AND tablename IN ('contacts', 'contact_phones')
                 UNION ALL SELECT tgname FROM pg_trigger
                 WHERE tgrelid IN (to_regclass('contacts'), to_regclass('contact_phones'))
                   AND NOT tgisinternal
                 ORDER BY 1"""
    return [row[0] for row in db.query(sql)]


def big_file(tmp_path, rows: int = 60):
    lines = ["Phone,First Name,Email"] + [
        f"(415) {200 + i // 100}-{i % 100:04d},P{i},p{i % 7}@acme.example" for i in range(rows)
    ]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def small_thresholds(monkeypatch):
    monkeypatch.setattr(indexes, "DEFER_FROM_ROWS", 10)
    monkeypatch.setattr(importing, "CHUNK_ROWS", 20)


def test_deferred_during_the_load_and_back_after(tmp_path, db_path, small_thresholds, monkeypatch):
    db = open_database(db_path)
    before = schema_names(db)
    assert "contacts_queue_new" in before and "contacts_by_email" in before
    seen: list[list[str]] = []
    real = writer_module.ContactWriter.write_chunk

    def watch(self, *args):
        seen.append(schema_names(db))
        return real(self, *args)

    monkeypatch.setattr(writer_module.ContactWriter, "write_chunk", watch)
    result = importing.import_file(db, big_file(tmp_path), now=MONDAY_10_ET, rep="a", workers=0)
    assert result.inserted == 60
    # Written without the indexes every new contact enters; the others stay. A team
    # server keeps them all: reps go on reading the queue while a list comes in.
    dropped = set(indexes.DEFERRED) if db.dialect.name == "sqlite" else set()
    assert seen and all(names == sorted(set(before) - dropped) for names in seen)
    assert set(indexes.DEFERRED) <= set(before)
    assert schema_names(db) == before
    assert db.one("SELECT count(*) FROM deferred_indexes")[0] == 0
    if db.dialect.name == "sqlite":  # built with a small cache and threads, then put back
        assert (db.one("PRAGMA cache_size")[0], db.one("PRAGMA threads")[0]) == (-2000, 0)
    # The same rows, found again by phone, email and name without those indexes.
    again = importing.import_file(db, big_file(tmp_path), now=MONDAY_10_ET, rep="a", workers=0)
    assert (again.inserted, again.updated) == (0, 60)
    db.close()


def test_an_interrupted_import_puts_them_back(tmp_path, db_path, small_thresholds, monkeypatch):
    db = open_database(db_path)
    before = schema_names(db)
    interrupt_on_chunk(monkeypatch, 2)
    with pytest.raises(KeyboardInterrupt):
        importing.import_file(db, big_file(tmp_path), now=MONDAY_10_ET, rep="a", workers=0)
    assert schema_names(db) == before
    db.close()


@pytest.mark.sqlite_only  # nothing is deferred on PostgreSQL
def test_a_killed_import_leaves_a_record_the_next_import_restores(tmp_path, db_path):
    db = open_database(db_path)
    before = schema_names(db)
    with db.write():
        indexes.defer(db)  # as a run killed after its first chunk leaves the file
    assert not set(schema_names(db)) & set(indexes.DEFERRED)
    assert db.one("SELECT count(*) FROM deferred_indexes")[0] == len(indexes.DEFERRED)
    importing.import_file(db, big_file(tmp_path, rows=3), now=MONDAY_10_ET, rep="a", workers=0)
    assert schema_names(db) == before
    db.close()


@pytest.mark.sqlite_only  # nothing is deferred on PostgreSQL
@pytest.mark.parametrize("command", [["queue"], *(["report", name] for name in REPORTS)])
def test_reports_and_the_queue_answer_while_the_indexes_are_away(tmp_path, db_path, run, command):
    """A lead reads reports, a rep the queue, while a large list comes in: the same
    answers without the deferred indexes (SQLite's INDEXED BY fails on a missing one)."""
    db = open_database(db_path)
    importing.import_file(db, big_file(tmp_path, rows=3), now=MONDAY_10_ET, rep="a", workers=0)
    before = run(*command)
    with db.write():
        indexes.defer(db)
    db.close()
    result = run(*command)
    assert result.exit_code == 0, result.output
    assert result.output == before.output


def test_a_small_file_or_a_large_table_keeps_them():
    assert not indexes.should_defer(0, indexes.DEFER_FROM_ROWS - 1)
    assert indexes.should_defer(0, indexes.DEFER_FROM_ROWS)
    assert indexes.should_defer(25_000, 100_000)
    assert not indexes.should_defer(25_001, 100_000)


def test_leads_counted_while_deferred_equal_a_recount(tmp_path, db_path, small_thresholds):
    """The writer counts its leads itself; an account filled in a later chunk moves them."""
    lines = ["Phone,First Name,Company,Website,Industry,Employees,Source"]
    for i in range(60):
        # Acme's size and industry arrive only with its rows of the last chunk.
        late = i >= 40
        lines.append(
            f"(415) 2{i // 10:02d}-{i % 10:04d},P{i},Acme,acme.example,"
            f"{'Software' if late else ''},{'250' if late else ''},{'list' if i % 3 else ''}"
        )
        lines.append(f"(628) 2{i // 10:02d}-{i % 10:04d},Q{i},Own {i},,Retail,{i},inbound")
    path = tmp_path / "accounts.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = open_database(db_path)
    result = importing.import_file(db, path, now=MONDAY_10_ET, rep="a", workers=0)
    assert result.inserted == 120
    kept = cohort_rows(db)
    assert sum(row[5] for row in kept) == 120
    with db.write():
        rebuild_summaries(db, load_settings(db))
    assert cohort_rows(db) == kept
    db.close()


def cohort_rows(db) -> list[tuple]:
    return [
        tuple(row)
        for row in db.query("SELECT * FROM lead_segments WHERE leads > 0 ORDER BY 1, 2, 3, 4, 5")
    ]


@pytest.mark.sqlite_only  # nothing is deferred on PostgreSQL: its unique index stays the guard
def test_a_phone_another_import_gives_an_older_contact_meanwhile_is_found(
    tmp_path, db_path, small_thresholds
):
    """With the unique index on personal numbers away, the writer's maps are the guard:
    a number another import gave an older contact since the last look names that
    contact, and the index comes back at the end (no two contacts hold one number)."""
    mobile = "(646) 555-0199"
    first = tmp_path / "first.csv"
    first.write_text("Phone,First Name,Last Name\n(212) 555-0100,Ann,Old\n", encoding="utf-8")
    gains = tmp_path / "gains.csv"  # Ann Old gains a mobile
    gains.write_text(
        f"Phone,Mobile,First Name,Last Name\n(212) 555-0100,{mobile},Ann,Old\n", encoding="utf-8"
    )
    lines = ["Phone,First Name,Last Name"]
    lines += [f"(415) {200 + i // 100}-{i % 100:04d},P{i},New" for i in range(59)]
    lines.append(f"{mobile},Ann,Old")  # after the first chunk: the number is Ann's by then
    big = tmp_path / "big.csv"
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen: list[int] = []

    def meanwhile(done: int, _total: int) -> None:
        if not seen:
            with open_database(db_path) as other:
                result = importing.import_file(other, gains, now=MONDAY_10_ET, rep="bob")
                assert result.updated == 1
        seen.append(done)

    with open_database(db_path) as db:
        importing.import_file(db, first, now=MONDAY_10_ET, rep="alice")
        result = importing.import_file(
            db, big, now=MONDAY_10_ET, rep="alice", workers=0, progress=meanwhile
        )
        assert (result.inserted, result.updated) == (59, 1)
        assert db.one("SELECT count(*) FROM deferred_indexes")[0] == 0
        holders = db.query("SELECT contact_id FROM contact_phones WHERE e164 = '+16465550199'")
        assert [row[0] for row in holders] == [1]
