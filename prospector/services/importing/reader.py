"""Reading list files as spreadsheets and CRMs write them.

Encoding: strict UTF-8 (with or without BOM) is checked over the *whole* file;
only when that fails is the file read as Windows-1252, and a byte Windows-1252
does not define is an error, not a guess. Delimiter: comma, semicolon, tab or pipe,
chosen by how consistently each one splits the header and the first lines
(quotes respected, so quoted newlines and delimiters inside quotes do not fool it).
Which column is which field is :mod:`.columns`' business; UTF-16 files and
spreadsheets arrive here as private UTF-8 copies (:mod:`.formats`).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from prospector.foundations.errors import InputFileError

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_CHARS = 64 * 1024


@dataclass(frozen=True)
class TableFile:
    """A list file, sniffed: how to decode and split it, and its header.

    ``path`` is the CSV read: the list itself, or a private UTF-8 copy of a UTF-16
    file or a spreadsheet, in which case ``original`` is the list (named in every
    message) and ``original_sha256`` its hash. ``rejects_*``, ``quote_all`` and
    ``line_end`` say how to write a rejects file in the list's own dialect.
    ``footer_line``: where a report's footer starts (see :mod:`.ranges`).
    """

    path: Path
    encoding: str
    delimiter: str
    header: list[str]
    original: Path | None = None
    original_sha256: str | None = None
    rejects_encoding: str = "utf-8"
    quote_all: bool = False
    line_end: str = "\r\n"
    footer_line: int | None = None

    @property
    def origin(self) -> Path:
        """The list file as the person named it."""
        return self.original or self.path

    def rows(self, start: int = 0, lines_before: int = 0) -> Iterator[tuple[int, list[str]]]:
        """``(line number, fields)`` for every non-blank data row.

        The number is the file line the row starts on (the header is line 1), which
        is what a person opening the file in an editor looks for. ``start`` (a byte
        offset where a record starts, after the header) and ``lines_before`` (the
        lines before it) resume reading in the middle of the file.
        """
        with self.path.open("rb") as raw:
            raw.seek(start)
            encoding = "utf-8" if start and self.encoding == "utf-8-sig" else self.encoding
            handle = io.TextIOWrapper(raw, encoding=encoding, newline="")
            reader = csv.reader(handle, delimiter=self.delimiter)
            line = lines_before + 1
            try:
                if not start:
                    next(reader, None)  # the header
                    line = reader.line_num + 1
                footer = self.footer_line
                for fields in reader:
                    start_line, line = line, lines_before + reader.line_num + 1
                    if footer is not None and start_line >= footer:
                        return
                    if not fields or (len(fields) == 1 and not fields[0].strip()):
                        continue
                    yield start_line, fields
            except csv.Error as error:
                raise InputFileError(
                    f"{self.origin}: line {line}: not readable as CSV ({error})"
                ) from error


def open_table(path: str | os.PathLike[str], *, shown: Path | None = None) -> TableFile:
    """Check and sniff a list file (``shown``: the name its messages give it).

    Raises:
        InputFileError: missing, unreadable, empty, binary, or an encoding that is
            neither UTF-8 nor Windows-1252.
    """
    file = Path(path)
    name = shown or file
    if not file.exists():
        raise InputFileError(f"{file}: no such file")
    if file.is_dir():
        raise InputFileError(f"{file}: is a directory, expected a CSV file")
    try:
        head = _read_head(file)
    except OSError as error:
        raise InputFileError(f"{name}: cannot be read ({error.strerror})") from error
    if not head.strip():
        raise InputFileError(f"{name}: the file is empty (expected a header row and data rows)")
    if b"\x00" in head:
        raise InputFileError(
            f"{name}: a binary file, not a CSV or text file (nor UTF-16 with a BOM,"
            " nor a spreadsheet Prospector reads: .xlsx, .xls, .ods)"
        )
    encoding = _detect_encoding(file, name)
    with file.open("r", encoding=encoding, newline="") as handle:
        sample = handle.read(SAMPLE_CHARS)
    delimiter = sniff_delimiter(sample)
    try:
        header = next(csv.reader(io.StringIO(sample), delimiter=delimiter))
    except (StopIteration, csv.Error) as error:
        raise InputFileError(f"{name}: row 0: the header row cannot be read") from error
    header = [name.strip() for name in header]
    if not any(header):
        raise InputFileError(f"{name}: row 0: the header row is empty")
    first = sample.split("\n", 1)[0]
    quote_all = first.startswith('"') and first.count(f'"{delimiter}"') == len(header) - 1
    return TableFile(
        file,
        encoding,
        delimiter,
        header,
        rejects_encoding=_same_encoding(encoding, head),
        quote_all=quote_all,
        line_end="\r\n" if first.endswith("\r") else "\n",
    )


def _same_encoding(encoding: str, head: bytes) -> str:
    """The codec that writes text as the file is written (a BOM only if it has one)."""
    if encoding == "utf-8-sig" and not head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    return encoding


def _read_head(file: Path) -> bytes:
    with file.open("rb") as handle:
        return handle.read(SAMPLE_CHARS)


def _detect_encoding(file: Path, name: Path) -> str:
    """``utf-8-sig`` when the whole file is strict UTF-8, else ``cp1252`` (checked too)."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        offset = 0
        try:
            with file.open("rb") as handle:
                while block := handle.read(1 << 20):
                    decoder.decode(block)
                    offset += len(block)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            if encoding == "cp1252":
                raise InputFileError(
                    f"{name}: byte {offset + error.start}: neither UTF-8 nor Windows-1252 text"
                ) from error
            continue
        return encoding
    raise AssertionError("unreachable")


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the header and the sample rows most consistently."""
    lines = sample
    if len(sample) >= SAMPLE_CHARS:
        # Drop the last, probably truncated, record.
        lines = sample[: sample.rfind("\n") + 1] or sample
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(lines), delimiter=delimiter) if r][:50]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        consistent = sum(len(row) == width for row in rows) / len(rows)
        score = (consistent, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best
