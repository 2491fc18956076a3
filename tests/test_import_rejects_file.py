"""The rejects file: the list again for the rows not used, in the list's dialect, safe
to open in a spreadsheet, and importable again as it is."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from prospector.services.importing.reader import open_table
from prospector.services.importing.rejects import RejectsFile
from tests import backend
from tests.import_rows import import_json

FORMULA = "=cmd|' /C calc'!A0"


def reasons(path: Path, encoding: str = "utf-8", delimiter: str = ",") -> list[tuple[str, str]]:
    """``(first cell, reject_reason)`` for each row of a rejects file."""
    with path.open(encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))
    assert rows[0][-1] == "reject_reason"
    return [(row[0], row[-1]) for row in rows[1:]]


def test_rejects_import_again_as_they_are_and_a_fixed_row_goes_in(tmp_path, run, db_path):
    path = tmp_path / "list.csv"
    path.write_text(
        "Name,Phone,Country,Notes\n"
        f"Ann Lee,+1 415 555 0100,US,{FORMULA}\n"
        "Bob Roe,555 01,US,-\n"
        "Cy Poe,415 555 0102,Narnia,@home\n"
        "Di Dee,,US,+SUM(A1)\n"
        "Ed Eng,-,US,fine\n",
        encoding="utf-8",
    )
    first = import_json(run, path)
    assert (first["inserted"], first["rejected"]) == (1, 4)
    rejects = Path(first["rejects_file"])
    text = rejects.read_text(encoding="utf-8")
    # Formulas are neutralized; phone cells that are only a number's characters are not.
    assert FORMULA not in text.replace(f"'{FORMULA}", "")
    assert "'=cmd" not in text  # Ann was imported: her row is not here
    assert "Cy Poe,415 555 0102,Narnia,'@home," in text
    assert "Di Dee,,US,'+SUM(A1)," in text
    assert "Ed Eng,-,US,fine," in text
    first_reasons = reasons(rejects)
    assert [name for name, _ in first_reasons] == ["Bob Roe", "Cy Poe", "Di Dee", "Ed Eng"]

    # Imported again, unchanged: the same rows, the same reasons, one reason column.
    again = import_json(run, rejects)
    assert (again["inserted"], again["rejected"]) == (0, 4)
    second = Path(again["rejects_file"])
    assert second == tmp_path / "list.rejects.rejects.csv"
    assert reasons(second) == first_reasons
    header = second.read_text(encoding="utf-8").splitlines()[0]
    assert header == "Name,Phone,Country,Notes,reject_reason"

    # Fixed by hand: that row goes in, the others stay rejected.
    fixed = rejects.read_text(encoding="utf-8").replace("Narnia", "US")
    rejects.write_text(fixed, encoding="utf-8")
    third = import_json(run, rejects)
    assert (third["inserted"], third["rejected"]) == (1, 3)
    assert backend.rows(db_path, "SELECT phone FROM contacts ORDER BY phone") == [
        ("+14155550100",),
        ("+14155550102",),
    ]


def test_a_formula_in_a_phone_column_is_neutralized_too(tmp_path, run):
    path = tmp_path / "list.csv"
    path.write_text(f'Name,Phone\nEve,"{FORMULA}"\nFay,@SUM(1)\n', encoding="utf-8")
    result = import_json(run, path)
    text = Path(result["rejects_file"]).read_text(encoding="utf-8")
    assert f"Eve,'{FORMULA}," in text and "Fay,'@SUM(1)," in text


def test_cp1252_semicolons_quotes_and_crlf_come_back_the_same(tmp_path, run):
    path = tmp_path / "salon.csv"
    lines = ['"Société";"Téléphone";"Prénom"', '"Café Müller";"514 555 01";"René"']
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    result = import_json(run, path)
    data = Path(result["rejects_file"]).read_bytes()
    assert data.decode("cp1252").split("\r\n")[:2] == [
        '"Société";"Téléphone";"Prénom";"reject_reason"',
        data.decode("cp1252").split("\r\n")[1],
    ]
    assert data.decode("cp1252").split("\r\n")[1].startswith('"Café Müller";"514 555 01";"René";')
    assert not data.startswith(b"\xef\xbb\xbf")


def test_a_utf8_list_without_bom_gets_rejects_without_bom_and_one_with_keeps_it(tmp_path, run):
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    plain.write_text("Phone,Name\nbad,Zoë\n", encoding="utf-8")
    marked.write_text("Phone,Name\nbad,Zoë\n", encoding="utf-8-sig")
    assert not Path(import_json(run, plain)["rejects_file"]).read_bytes().startswith(b"\xef")
    kept = Path(import_json(run, marked)["rejects_file"]).read_bytes()
    assert kept.startswith(b"\xef\xbb\xbfPhone,Name,reject_reason\n")


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_a_reason_the_encoding_cannot_hold_is_replaced_in_the_reason_only(tmp_path, encoding):
    path = tmp_path / "list.csv"
    path.write_bytes("Phone;Name\r\nbad;Zoë\r\n".encode(encoding))
    table = open_table(path)
    rejects = RejectsFile(table, tmp_path / "out.csv", phone_columns=[0])
    rejects.add(["bad", "Zoë"], "no phone: 'bad' → Ω")
    assert rejects.finish() == str(tmp_path / "out.csv")
    text = (tmp_path / "out.csv").read_bytes().decode(encoding)
    expected = "no phone: 'bad' ? ?" if encoding == "cp1252" else "no phone: 'bad' → Ω"
    assert text == f"Phone;Name;reject_reason\r\nbad;Zoë;{expected}\r\n"
