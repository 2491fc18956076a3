"""Reading a list file in byte ranges gives exactly the rows of reading it in order.

Large imports parse the file in ranges (in worker processes); a range is cut after
a newline with an even count of quotes before it, and checked at its end. These
tests hold the ranged reading to the sequential ``TableFile.rows()`` over files
with quoted newlines, doubled quotes, stray quotes in unquoted fields, CRLF and
blank lines, cut into ranges of a few bytes so that every case crosses a cut.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.foundations.db import open_database
from prospector.services import importing
from prospector.services.importing import ranges
from prospector.services.importing.columns import plan_columns
from prospector.services.importing.profiles import ProfileKeys
from prospector.services.importing.reader import open_table
from prospector.services.importing.rows import Reject, RowRules
from prospector.services.settings import load_settings
from tests import backend
from tests.conftest import MONDAY_10_ET
from tests.import_rows import new_database_fixture  # noqa: F401 (the fixture new_database)

# No digits: no field is ever a valid phone, so every row comes back as a Reject
# carrying its line number and its fields, which is what the comparison needs.
PIECES = st.sampled_from(["a", "b c", '"', '""', ",", "\n", "\r\n", "\r", '"x\ny"', '"p,q"', ""])
TEXT = st.lists(PIECES, min_size=1, max_size=40).map("".join)


def ranged_rows(path: Path, range_bytes: int, workers: int) -> list[tuple[int, list[str]]]:
    table = open_table(path)
    with open_database(path.with_suffix(".db")) as db:
        keys = ProfileKeys(load_settings(db))
    rules = RowRules(
        columns=plan_columns(table, {}).fields,
        width=len(table.header),
        default_region="US",
        keys=keys,
    )
    scan = ranges.scan_file(path, range_bytes)
    result = []
    for part, lines in importing._normalized(table, rules, scan, workers):
        for item, line in zip(part, lines, strict=True):
            assert type(item) is Reject
            assert line == item.number  # every row's line, as its reject would say
            result.append((item.number, item.fields))
    return result


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=TEXT, range_bytes=st.integers(1, 12), bom=st.booleans())
def test_ranges_read_what_a_sequential_reader_reads(tmp_path_factory, body, range_bytes, bom):
    path = tmp_path_factory.mktemp("r") / "f.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + f"Phone,Name\n{body}".encode())
    table = open_table(path)
    try:
        expected = list(table.rows())
    except Exception as error:  # the same error, at the same line, either way
        with pytest.raises(type(error), match=str(error).split("(")[0]):
            ranged_rows(path, range_bytes, workers=0)
        return
    assert ranged_rows(path, range_bytes, workers=0) == expected


def test_cuts_fall_outside_quotes(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('Phone,Note\n1,"a\nb"\n2,"c""\n"\n3,plain\n', encoding="utf-8")
    scan = ranges.scan_file(path, 1)
    data = path.read_bytes()
    # After the header, "a\nb" is one record, and so is "c""\n".
    assert scan.bounds == [0, 11, 19, 28, len(data)]
    assert all(data[:cut].count(b'"') % 2 == 0 for cut in scan.bounds)


def test_a_stray_quote_falls_back_to_reading_in_order(tmp_path):
    # The stray quote in 'a"b' flips the count, so a cut lands inside "x\ny".
    path = tmp_path / "s.csv"
    path.write_text('Phone,Note\n1,a"b\n2,"x\ny"\n3,z\n4,"w"\n', encoding="utf-8")
    assert ranged_rows(path, 1, workers=0) == list(open_table(path).rows())


COMPARED = ("contacts", "contact_phones", "accounts", "locales", "lead_segments", "lead_sources")


def test_worker_processes_give_the_same_database(tmp_path, new_database, monkeypatch):
    """The parallel path (workers reading ranges) against the in-process one."""
    monkeypatch.setattr(importing, "PARALLEL_FROM_ROWS", 0)
    monkeypatch.setattr(ranges, "RANGE_BYTES", 2000)
    lines = ["Phone,Company,State,Email,Title,Note,Mobile,Company Phone"]
    for i in range(3000):
        area, state = [(212, "NY"), (208, "ID"), (312, "IL")][i % 3]
        phone = f"({area}) {200 + i % 700}-{i % 9000:04d}" if i % 97 else "nope"
        note = '"two\nlines, ""quoted"""' if i % 11 == 0 else "x"
        email = f"p{i % 2500}@co{i % 37}.example"  # some rows name an earlier contact
        mobile = f"(646) {200 + i % 5}-{i % 2900:04d}" if i % 4 == 0 else ""
        switchboard = f"(212) 555-{i % 37:04d}" if i % 3 == 0 else ""
        lines.append(f"{phone},Co {i % 37},{state},{email},VP Sales,{note},{mobile},{switchboard}")
    path = tmp_path / "p.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dumps = []
    for workers in (0, 2):
        target = new_database(tmp_path, f"w{workers}")
        with open_database(target) as db:
            result = importing.import_file(db, path, now=MONDAY_10_ET, rep="x", workers=workers)
            # No phone: no direct dial, no mobile, no switchboard.
            no_phone = [i for i in range(3000) if not i % 97 and i % 4 and i % 3]
            assert result.rejected == len(no_phone)
        dumps.append(
            [sorted(backend.rows(target, f"SELECT * FROM {table}"), key=repr) for table in COMPARED]
        )
        dumps[-1].append((tmp_path / "p.rejects.csv").read_text(encoding="utf-8"))
    assert dumps[0] == dumps[1]
    assert len(dumps[0][0]) > 2000


def test_contacts_another_import_adds_meanwhile_are_merged(tmp_path, db_path, monkeypatch):
    """The writer's in-memory phones catch up with commits of other connections."""
    monkeypatch.setattr(importing, "CHUNK_ROWS", 20)
    lines = ["Phone,First Name"] + [f"(415) {200 + i // 100}-{i % 100:04d},P{i}" for i in range(50)]
    big = tmp_path / "big.csv"
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    small = tmp_path / "small.csv"
    small.write_text(f"Phone,First Name\n{lines[45].split(',')[0]},Other\n", encoding="utf-8")
    seen = []

    def meanwhile(done: int, _total: int) -> None:
        if not seen:  # after the first chunk's commit, another process imports row 45
            with open_database(db_path) as other:
                importing.import_file(other, small, now=MONDAY_10_ET, rep="bob", workers=0)
        seen.append(done)

    with open_database(db_path) as db:
        result = importing.import_file(
            db, big, now=MONDAY_10_ET, rep="alice", workers=0, progress=meanwhile
        )
        assert (result.inserted, result.updated) == (49, 1)
        assert db.one("SELECT count(*) FROM contacts")[0] == 50
        # The row came later in the file than the other import: it did not create a twin,
        # and as the first row of this file naming that contact, it set the name.
        assert db.one("SELECT first_name FROM contacts WHERE first_name = 'P45'") is not None
