"""List files that are not plain CSV: UTF-16 text and spreadsheets.

The parallel reader (:mod:`.ranges`) cuts a UTF-8 or Windows-1252 file into byte
ranges. A UTF-16 file (Excel's "Unicode Text": a BOM, tab separated) or a
spreadsheet (``.xlsx``, ``.xls``, ``.ods``, read with python-calamine) is first
copied into a private UTF-8 CSV (mode 0600, in the system's temporary folder),
removed when the import ends whichever way it ends; a copy that a killed import
left is removed by the next one (see :mod:`prospector.foundations.leftovers`).
Messages, the batch's file hash and the rejects file's name and dialect still
refer to the original file.

Spreadsheet cells come out as the text a person sees: a phone stored as the number
4155550100.0 is ``4155550100``, a ZIP typed as text ``02134`` stays ``02134``, and
dates are ISO (``2026-11-30``, ``2026-11-30 09:14``). Title rows above the header
(one cell filled) are skipped; a data row's line in messages is its row number in
the sheet.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from prospector.foundations.errors import InputFileError
from prospector.foundations.leftovers import FolderHold, make_temp, sweep_temps
from prospector.services.importing.reader import TableFile, open_table

_UTF16 = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}
# A zip (xlsx, xlsm, xlsb, ods) or an OLE2 compound file (xls).
_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
_BLOCK = 1 << 20
COPY_NAME = "prospector-import"
"""The private copies are ``.prospector-import.XXXXXXXX`` in the system's temporary folder."""


def file_kind(path: Path) -> str:
    """``"text"``, ``"utf-16-le"``, ``"utf-16-be"`` or ``"spreadsheet"``, by the first bytes."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return "text"  # open_table says why it cannot be read
    if head.startswith(codecs.BOM_UTF32_LE):
        return "text"  # not UTF-16: open_table calls it binary
    for bom, codec in _UTF16.items():
        if head.startswith(bom):
            return codec
    if head.startswith(_SPREADSHEET_MAGIC):
        return "spreadsheet"
    return "text"


@contextlib.contextmanager
def opened_list(path: str | os.PathLike[str], *, sheet: str | None = None) -> Iterator[TableFile]:
    """The list at ``path`` as a :class:`TableFile`, through a private copy if need be.

    Raises:
        InputFileError: what :func:`.reader.open_table` raises; a UTF-16 file that is
            not valid UTF-16; a spreadsheet that cannot be read, or has no sheet
            ``sheet``; ``sheet`` given for a text file.
    """
    file = Path(path)
    kind = file_kind(file) if file.is_file() else "text"
    if kind == "text":
        if sheet is not None and file.is_file():
            raise InputFileError(
                f"{file}: --sheet {sheet!r}: not a spreadsheet (.xlsx, .xls, .ods) but a text file"
            )
        yield open_table(file)
        return
    folder = Path(tempfile.gettempdir())
    sweep_temps(folder, COPY_NAME)  # copies killed imports left: personal data, nobody's now
    hold = FolderHold(folder)
    hold.share()  # while the copy exists, no other run takes it for a leftover
    try:
        fd, name = make_temp(folder / COPY_NAME)  # 0600 from its first moment
        os.close(fd)
        copy = Path(name)
        try:
            yield _converted(file, kind, sheet, copy)
        finally:
            with contextlib.suppress(FileNotFoundError):
                copy.unlink()
    finally:
        hold.release()


def _converted(file: Path, kind: str, sheet: str | None, copy: Path) -> TableFile:
    if kind == "spreadsheet":
        _sheet_to_csv(file, sheet, copy)
        sha256 = _sha256(file)
        rejects_encoding = "utf-8-sig"  # a rejects file a spreadsheet opens right
    else:
        if sheet is not None:
            raise InputFileError(f"{file}: --sheet {sheet!r}: not a spreadsheet but text")
        sha256 = _utf16_to_utf8(file, kind, copy)
        rejects_encoding = kind
    table = open_table(copy, shown=file)
    return replace(table, original=file, original_sha256=sha256, rejects_encoding=rejects_encoding)


def _utf16_to_utf8(file: Path, codec: str, target: Path) -> str:
    """Write ``file`` as UTF-8 to ``target``; returns the SHA-256 of ``file``."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    digest = hashlib.sha256()
    offset = 0
    try:
        with file.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
            digest.update(source.read(2))  # the BOM
            offset = 2
            while block := source.read(_BLOCK):
                digest.update(block)
                out.write(decoder.decode(block))
                offset += len(block)
            out.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as error:
        raise InputFileError(
            f"{file}: byte {offset + error.start}: not valid {codec.upper()} text"
        ) from error
    return digest.hexdigest()


def _sheet_to_csv(file: Path, sheet: str | None, target: Path) -> None:
    from python_calamine import CalamineWorkbook  # only spreadsheets need it

    try:
        book = CalamineWorkbook.from_path(str(file))
        names = list(book.sheet_names)
        if not names:
            raise InputFileError(f"{file}: the spreadsheet has no sheets")
        if sheet is None:
            sheet = names[0]
        elif sheet not in names:
            raise InputFileError(
                f"{file}: no sheet {sheet!r} (sheets: {', '.join(map(repr, names))})"
            )
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except InputFileError:
        raise
    except Exception as error:  # calamine's errors: a damaged or protected file
        raise InputFileError(f"{file}: not a readable spreadsheet ({error})") from error
    lines = []
    for row in rows:
        cells = [cell_text(value) for value in row]
        while cells and not cells[-1]:
            cells.pop()
        lines.append(cells)
    # Empty columns on the left are not the list's.
    left = min((next(i for i, c in enumerate(cells) if c) for cells in lines if cells), default=0)
    lines = [cells[left:] for cells in lines]
    # A title above the header ("Trade show leads, May 2026") fills one cell: the
    # header is the first row that fills two or more (else the first filled one).
    filled = [sum(map(bool, cells)) for cells in lines]
    header = next((i for i, n in enumerate(filled) if n > 1), None)
    if header is None:
        header = next((i for i, n in enumerate(filled) if n), 0)
    # Blank lines after the header stand for the rows above it, so that a data row's
    # line in the copy is its row number in the sheet (what messages name).
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerows([lines[header] if lines else [], *([[]] * header), *lines[header + 1 :]])


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _sha256(file: Path) -> str:
    with file.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
