"""List files as Excel and CRMs save them: UTF-16 "Unicode Text", spreadsheets,
and report exports ending in footer lines."""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import tempfile
import zipfile
from dataclasses import replace
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.foundations.db import open_database
from prospector.services import importing
from prospector.services.importing import ranges
from prospector.services.importing.formats import cell_text, opened_list
from prospector.services.importing.reader import open_table
from tests import backend
from tests.conftest import MONDAY_10_ET
from tests.import_rows import AT, import_json

HEADER = ["First Name", "Last Name", "Phone", "Company", "State", "Zip"]


def people(count: int, start: int = 100) -> list[list[str]]:
    return [
        [f"Ann{i}", f"Lee{i}", f"415 555 0{start + i:03d}", f"Acme {i}", "CA", "94103"]
        for i in range(count)
    ]


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The system temporary folder, watched: conversions must leave nothing there."""
    folder = tmp_path / "systemp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


# --- UTF-16 -----------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_excel_unicode_text_imports_and_its_rejects_stay_utf16(
    codec, tmp_path, run, db_path, private_tmp
):
    rows = [*people(29), ["Zoë", "Brontë", "n/a phone", "Café Müller", "ON", ""]]
    text = "\r\n".join("\t".join(row) for row in [HEADER, *rows]) + "\r\n"
    bom = codecs.BOM_UTF16_LE if codec == "utf-16-le" else codecs.BOM_UTF16_BE
    path = tmp_path / "unicode.txt"
    path.write_bytes(bom + text.encode(codec))
    result = import_json(run, path)
    assert (result["read"], result["inserted"], result["rejected"]) == (30, 29, 1)
    rejects = Path(result["rejects_file"])
    assert rejects == tmp_path / "unicode.rejects.csv"
    data = rejects.read_bytes()
    assert data.startswith(bom)
    lines = data[2:].decode(codec).split("\r\n")
    assert lines[0] == "\t".join([*HEADER, "reject_reason"])
    assert lines[1].startswith("Zoë\tBrontë\tn/a phone\tCafé Müller\tON\t\t")
    batch = backend.rows(db_path, "SELECT path, file_sha256 FROM import_batches")[0]
    assert batch == (str(path), hashlib.sha256(path.read_bytes()).hexdigest())
    assert list(private_tmp.iterdir()) == []  # the private UTF-8 copy is gone
    # The same file again: nothing new, and recorded under the same (original) hash.
    again = import_json(run, path)
    assert (again["inserted"], again["updated"], again["rejected"]) == (0, 29, 1)
    hashes = backend.rows(db_path, "SELECT DISTINCT file_sha256 FROM import_batches")
    assert hashes == [(batch[1],)]


def test_a_broken_utf16_file_is_one_line_naming_the_byte(tmp_path, run, private_tmp):
    path = tmp_path / "broken.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "Phone\tName\r\n".encode("utf-16-le") + b"\x00\xd8A")
    result = run("import", str(path), *AT)
    assert result.exit_code == 1
    assert result.output.strip().startswith(f"error: {path}: byte ")
    assert "not valid UTF-16-LE text" in result.output
    assert list(private_tmp.iterdir()) == []


# --- spreadsheets ------------------------------------------------------------------------


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_a_trade_show_xlsx_imports_its_first_sheet(tmp_path, run, db_path, private_tmp):
    rows: list[list[object]] = [
        [f"Ann{i}", f"Lee{i}", 4155550100 + i, f"Acme {i}", "MA", "02134"] for i in range(20)
    ]
    path = workbook(tmp_path / "show.xlsx", {"Leads": [HEADER, *rows], "Notes": [["Phone"], ["x"]]})
    result = import_json(run, path)
    assert (result["read"], result["inserted"], result["rejected"]) == (20, 20, 0)
    found = backend.rows(
        db_path, "SELECT phone, phone_raw, postal_code FROM contacts ORDER BY phone"
    )[0]
    # A phone stored as a number reads as the digits a person sees, not "4155550100.0".
    assert found[:2] == ("+14155550100", "4155550100")
    assert list(private_tmp.iterdir()) == []


def test_a_title_above_the_header_is_skipped_and_rows_keep_their_numbers(tmp_path, run):
    title = [["Trade show leads, May 2026"], [], ["Booth 12", None, None]]
    rows = [*people(2), [], people(3)[2]]
    path = workbook(tmp_path / "show.xlsx", {"S": [*title, HEADER, *rows]})
    book = openpyxl.load_workbook(path)
    book["S"].insert_cols(1)  # an empty column A: not the list's
    book.save(path)
    with opened_list(path) as table:
        assert table.header == HEADER
        # The sheet's row numbers: title rows 1-3, header 4, data 5, 6 and 8.
        assert [number for number, _fields in table.rows()] == [5, 6, 8]
    assert import_json(run, path)["inserted"] == 3


def test_sheet_picks_a_sheet_and_an_unknown_one_lists_them(tmp_path, run, private_tmp):
    path = workbook(
        tmp_path / "book.xlsx",
        {
            "Summary": [["Total", 3]],
            "Contacts": [HEADER, *people(3)],
        },
    )
    result = import_json(run, path, "--sheet", "Contacts")
    assert (result["read"], result["inserted"]) == (3, 3)
    bad = run("import", str(path), "--sheet", "Leads", *AT)
    assert bad.exit_code == 1
    assert bad.output.strip() == f"error: {path}: no sheet 'Leads' (sheets: 'Summary', 'Contacts')"
    # The first sheet has no phone column: the usual error, naming the .xlsx.
    first = run("import", str(path), *AT)
    assert first.exit_code == 1 and f"{path}: header (row 1): no phone column" in first.output
    text = tmp_path / "list.csv"
    text.write_text("Phone\n4155550100\n", encoding="utf-8")
    wrong = run("import", str(text), "--sheet", "Contacts", *AT)
    assert wrong.exit_code == 1 and "not a spreadsheet" in wrong.output
    assert list(private_tmp.iterdir()) == []


def test_a_copy_a_killed_import_left_is_removed_by_the_next(tmp_path, run, private_tmp):
    leftover = private_tmp / ".prospector-import.k1ll3d_x"
    leftover.write_text("Phone,Name\n4155550100,Ann\n", encoding="utf-8")
    other = private_tmp / "prospector-import-notes.txt"  # not ours: kept
    other.write_text("x", encoding="utf-8")
    path = workbook(tmp_path / "show.xlsx", {"S": [HEADER, *people(1)]})
    assert import_json(run, path)["inserted"] == 1
    assert sorted(private_tmp.iterdir()) == [other]


def test_spreadsheet_cells_come_out_as_people_see_them(tmp_path, run):
    header = ["Name", "Phone", "Zip", "Met", "Called", "Score", "Hot"]
    bad = ["Zed", "not a number", "02134", date(2026, 11, 2), datetime(2026, 11, 2, 9, 30), 1.5]
    path = workbook(tmp_path / "cells.xlsx", {"S": [header, [*bad, True]]})
    result = import_json(run, path)
    assert result["rejected"] == 1
    rejects = Path(result["rejects_file"])
    assert rejects.suffix == ".csv"
    data = rejects.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)  # a spreadsheet's rejects: UTF-8 CSV, BOM, comma
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join([*header, "reject_reason"])
    assert lines[1].startswith("Zed,not a number,02134,2026-11-02,2026-11-02 09:30,1.5,TRUE,")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (4155550100.0, "4155550100"),
        (14155550100, "14155550100"),
        (0.25, "0.25"),
        ("02134", "02134"),
        (None, ""),
        (False, "FALSE"),
        (date(2026, 1, 2), "2026-01-02"),
        (datetime(2026, 1, 2), "2026-01-02"),
        (datetime(2026, 1, 2, 9, 14, 5), "2026-01-02 09:14:05"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_a_damaged_spreadsheet_or_other_binary_is_one_line(tmp_path, run, private_tmp):
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    result = run("import", str(fake), *AT)
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {fake}: not a readable spreadsheet (")
    assert result.output.count("\n") == 1
    blob = tmp_path / "photo.jpg"
    blob.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" * 20)
    result = run("import", str(blob), *AT)
    assert result.exit_code == 1 and "a binary file" in result.output
    assert list(private_tmp.iterdir()) == []


# --- report footers -----------------------------------------------------------------------

SALESFORCE_FOOTER = [
    "",
    '""',
    '"Acme Corp"',
    '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."',
    '"Confidential Information - Do Not Distribute"',
    '"Generated By:  Jane Admin  11/30/2026 9:14 AM"',
    '"Acme Corp"',
]


def quoted(row: list[str]) -> str:
    return ",".join(f'"{cell}"' for cell in row)


def test_a_salesforce_report_footer_is_not_data(tmp_path, run):
    rows = people(40)
    rows[5][2] = "n/a"  # one real reject
    lines = [quoted(HEADER), *map(quoted, rows), *SALESFORCE_FOOTER]
    path = tmp_path / "report.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    result = import_json(run, path)
    assert (result["read"], result["inserted"], result["rejected"]) == (40, 39, 1)
    rejects = Path(result["rejects_file"]).read_text(encoding="utf-8").splitlines()
    assert len(rejects) == 2 and "Confidential" not in rejects[1]
    assert rejects[1].startswith('"Ann5","Lee5","n/a"')  # quoted like the report


def test_totals_lines_without_a_blank_line_and_footer_words_amid_data(tmp_path, run):
    rows = people(4)
    lines = [",".join(HEADER), ",".join(rows[0]), "Total", *(",".join(r) for r in rows[1:])]
    lines += ["Only A Name", "Grand Totals (40 records)"]
    path = tmp_path / "hubspot.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_json(run, path)
    # "Total" amid the data is a data row (rejected: no phone); "Only A Name" before the
    # totals line, with no blank line between, is data too; the totals line is not.
    assert (result["read"], result["inserted"], result["rejected"]) == (6, 4, 2)


def test_a_footer_is_found_where_ranges_are_cut_in_parallel(tmp_path, db_path, monkeypatch):
    monkeypatch.setattr(ranges, "RANGE_BYTES", 2048)
    monkeypatch.setattr(importing, "PARALLEL_FROM_ROWS", 10)
    lines = [quoted(HEADER), *map(quoted, people(600)), *SALESFORCE_FOOTER]
    path = tmp_path / "big.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    with open_database(db_path) as db:
        result = importing.import_file(
            db, path, now=MONDAY_10_ET, rep="alice", workers=2, dry_run=True
        )
    assert (result.read, result.inserted, result.rejected) == (600, 600, 0)


CELL = st.sampled_from(["", "a", "b c", "Total", "Copyright 2026", '"q"', "x,y", "1\n2"])


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=30),
    footer=st.booleans(),
    range_bytes=st.integers(16, 200),
)
def test_footers_never_eat_data_and_ranges_agree_with_reading_in_order(
    tmp_path, data, footer, range_bytes
):
    path = tmp_path / "list.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([["A", "B", "C"], *data])
        if footer:
            handle.write("\n".join(SALESFORCE_FOOTER) + "\n")
    table = open_table(path)
    scan = ranges.scan_file(path, range_bytes, table=table)
    if footer:
        assert scan.footer_line is not None
    table = replace(table, footer_line=scan.footer_line)
    sequential = list(table.rows())
    ranged = []
    lines_before = 0
    spans = list(pairwise(scan.bounds))
    for index, (start, end) in enumerate(spans):
        part = ranges.read_range(table, start, end, last=index == len(spans) - 1)
        if not part.clean:
            return  # the importer reads the rest in order then: nothing to compare
        ranged += [(number + lines_before, fields) for number, fields in part.rows]
        lines_before += part.lines
    assert ranged == sequential
    # Every row that fills more than its first cell is read, whatever the footer.
    assert [f for _n, f in sequential if any(c.strip() for c in f[1:])] == [
        row for row in data if any(c.strip() for c in row[1:])
    ]


def test_a_dnc_list_saved_as_unicode_text_or_xlsx_is_read(tmp_path, run, private_tmp):
    text = tmp_path / "dnc.txt"
    text.write_bytes(codecs.BOM_UTF16_LE + "Mobile Phone\r\n415 555 0100\r\n".encode("utf-16-le"))
    book = workbook(tmp_path / "dnc.xlsx", {"DNC": [["Phone"], [4155550101], [4155550100]]})
    first = json.loads(run("dnc", "import", str(text), "--json").output)
    second = json.loads(run("dnc", "import", str(book), "--json").output)
    assert (first["added"], second["added"], second["already_listed"]) == (1, 1, 1)
    assert list(private_tmp.iterdir()) == []


def test_an_empty_sheet_is_named_by_the_spreadsheet(tmp_path, run, private_tmp):
    path = workbook(tmp_path / "empty.xlsx", {"Blank": [], "Header": [["Phone", "Name"]]})
    result = run("import", str(path), *AT)
    assert result.exit_code == 1
    expected = f"error: {path}: the file is empty (expected a header row and data rows)\n"
    assert result.output == expected
    only_header = run("import", str(path), "--sheet", "Header", *AT)
    assert only_header.output == f"error: {path}: row 1: no data rows after the header\n"


def test_a_lone_phone_before_a_totals_line_is_data(tmp_path, run):
    path = tmp_path / "phones.csv"
    path.write_text("Phone,Name\n4155550100,Ann\n\n4155550101,\nTotal\n", encoding="utf-8")
    result = import_json(run, path)
    assert (result["read"], result["inserted"], result["rejected"]) == (2, 2, 0)


def test_ctrl_c_during_a_spreadsheet_import_leaves_no_copy(tmp_path, db_path, private_tmp):
    path = workbook(tmp_path / "show.xlsx", {"S": [HEADER, *people(5)]})

    def interrupt(done: int, total: int) -> None:
        assert list(private_tmp.iterdir())  # the copy exists while the import runs
        raise KeyboardInterrupt

    with open_database(db_path) as db, pytest.raises(KeyboardInterrupt):
        importing.import_file(db, path, now=MONDAY_10_ET, rep="alice", progress=interrupt)
    assert list(private_tmp.iterdir()) == []


def test_an_opendocument_spreadsheet_imports_too(tmp_path, run):
    # The smallest .ods LibreOffice would read, written by hand (no ODS writer installed).
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )

    def cell(value: str, number: bool = False) -> str:
        kind = (
            f'office:value-type="float" office:value="{value}"'
            if number
            else ('office:value-type="string"')
        )
        return f"<table:table-cell {kind}><text:p>{value}</text:p></table:table-cell>"

    rows = [cell("Phone") + cell("Name"), cell("4155550100", True) + cell("Ann")]
    body = "".join(f"<table:table-row>{row}</table:table-row>" for row in rows)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}'
        ' office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="Leads">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "leads.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type='
            '"text/xml"/></manifest:manifest>',
        )
    result = import_json(run, path, "--sheet", "Leads")
    assert (result["read"], result["inserted"]) == (1, 1)


def test_an_unreadable_list_is_one_line(tmp_path, run, monkeypatch):
    path = tmp_path / "locked.csv"
    path.write_text("Phone\n4155550100\n", encoding="utf-8")
    real_open = Path.open

    def locked(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", locked)
    result = run("import", str(path), *AT)
    assert result.exit_code == 1
    assert result.output == f"error: {path}: cannot be read (Permission denied)\n"
