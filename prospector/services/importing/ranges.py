"""Cutting a list file into byte ranges that worker processes read on their own.

A large import is parsed in parallel: each worker reads, decodes and splits its
own range of the file, so the importing process never touches the raw rows. A
range must start where a record starts. :func:`scan_file` (one pass that also
hashes the file and counts its lines) cuts after a newline with an even number
of ``"`` before it, which in a well-formed CSV file is a newline outside quotes.

A malformed file can defeat that rule (a stray ``"`` inside an unquoted field
flips the count), so every range proves its own end: :func:`read_range` parses a
marker line after the range, which comes back as a record of its own only when
the range ended outside quotes. The importer accepts a range only when the range
before it ended cleanly; otherwise it reads the rest of the file sequentially
(:meth:`TableFile.rows` from the last proven start), which is always exact.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from prospector.services.importing.reader import TableFile

RANGE_BYTES = 1 << 20
"""About this many bytes per range (a few thousand rows)."""
_BLOCK = 1 << 20
# A private-use character: never part of a real list, never a delimiter or quote.
_MARK = "\ue000prospector-range-end\ue000"


@dataclass(frozen=True)
class FileScan:
    """One pass over a file: its hash, an estimate of its rows, and range bounds.

    ``bounds`` runs from 0 to the file size; range ``i`` is the bytes
    ``bounds[i]:bounds[i + 1]``.
    """

    sha256: str
    rows: int  # an estimate: lines after the header (quoted newlines count extra)
    bounds: list[int]


def scan_file(path: Path, range_bytes: int | None = None) -> FileScan:
    """Hash the file, count its lines and cut it into ranges of about ``range_bytes``."""
    range_bytes = range_bytes or RANGE_BYTES
    digest = hashlib.sha256()
    lines = quotes = offset = 0
    bounds = [0]
    want = range_bytes
    last = b""
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
            lines += block.count(b"\n")
            end = offset + len(block)
            search = counted_to = counted = 0
            while want < end:
                newline = block.find(b"\n", max(search, want - offset))
                if newline < 0:
                    break  # keep looking in the next block
                counted += block.count(b'"', counted_to, newline)
                counted_to = newline
                if (quotes + counted) % 2 == 0:
                    bounds.append(offset + newline + 1)
                    want = offset + newline + 1 + range_bytes
                search = newline + 1
            quotes += block.count(b'"')
            offset = end
            last = block[-1:]
    if bounds[-1] < offset:
        bounds.append(offset)
    if last and last != b"\n":
        lines += 1
    return FileScan(digest.hexdigest(), max(0, lines - 1), bounds)


@dataclass(frozen=True)
class RangeRows:
    """The records of one range, as :meth:`TableFile.rows` would give them.

    ``numbers`` are line numbers *within the range* (its first line is 1); add the
    lines of the ranges before it. ``lines`` is how many lines the range holds.
    ``clean`` says the range ended outside quotes (always true for the last one).
    ``error`` is a CSV error as ``(line within the range, message)``.
    """

    rows: list[tuple[int, list[str]]]
    lines: int
    clean: bool
    error: tuple[int, str] | None = None


def read_range(table: TableFile, start: int, end: int, *, last: bool) -> RangeRows:
    """Parse ``table``'s bytes ``start:end``; the range at 0 skips the header."""
    with table.path.open("rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    encoding = table.encoding
    if start and encoding == "utf-8-sig":
        encoding = "utf-8"  # only the file's first bytes may be a BOM
    text = data.decode(encoding)
    if not last:
        text += _MARK + "\n"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=table.delimiter)
    rows: list[tuple[int, list[str]]] = []
    append = rows.append
    line = 0
    try:
        if start == 0:
            next(reader, None)  # the header
            line = reader.line_num
        for fields in reader:
            number, line = line + 1, reader.line_num
            if len(fields) < 2 and (not fields or not fields[0].strip()):
                continue
            append((number, fields))
    except csv.Error as error:
        return RangeRows(rows, line, True, (line + 1, str(error)))
    if last:
        return RangeRows(rows, line, True)
    clean = bool(rows) and rows[-1][1] == [_MARK]
    if clean:
        rows.pop()
        line -= 1
    return RangeRows(rows, line, clean)
