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
from functools import cache
from pathlib import Path

from prospector.foundations.folding import word_key
from prospector.foundations.shipped import shipped_toml
from prospector.services.importing.reader import TableFile

RANGE_BYTES = 1 << 20
"""About this many bytes per range (a few thousand rows)."""
_BLOCK = 1 << 20
# A private-use character: never part of a real list, never a delimiter or quote.
_MARK = "\ue000prospector-range-end\ue000"
FOOTER_TAIL = 64 * 1024
"""How far from the end a report's footer is looked for."""


@dataclass(frozen=True)
class FileScan:
    """One pass over a file: its hash, an estimate of its rows, and range bounds.

    ``bounds`` runs from 0 to where the data ends (the file size, or where a
    report's footer starts); range ``i`` is the bytes ``bounds[i]:bounds[i + 1]``.
    ``footer_line``: the file line the footer starts on, if there is one.
    """

    sha256: str
    rows: int  # an estimate: lines after the header (quoted newlines count extra)
    bounds: list[int]
    footer_line: int | None = None


def scan_file(
    path: Path, range_bytes: int | None = None, *, table: TableFile | None = None
) -> FileScan:
    """Hash the file, count its lines and cut it into ranges of about ``range_bytes``.

    With ``table`` (how to decode and split the file), a report footer at the end
    of the file is found (see :func:`find_footer`) and the ranges stop before it.
    """
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
    newlines = lines
    if last and last != b"\n":
        lines += 1
    footer = find_footer(path, offset, quotes, newlines, table) if table else None
    if footer is None:
        if bounds[-1] < offset:
            bounds.append(offset)
        return FileScan(digest.hexdigest(), max(0, lines - 1), bounds)
    end, footer_line = footer
    bounds = [bound for bound in bounds if bound < end] + [end]
    return FileScan(digest.hexdigest(), max(0, footer_line - 2), bounds, footer_line)


@cache
def footer_phrases() -> tuple[str, ...]:
    """The shipped footer phrases, normalized (see ``data/report_footers.toml``)."""
    return tuple(word_key(phrase) for phrase in shipped_toml("report_footers.toml")["starts"])


def is_footer_phrase(cell: str) -> bool:
    words = word_key(cell)
    return any(words == p or words.startswith(p + " ") for p in footer_phrases())


def find_footer(
    path: Path, size: int, quotes: int, newlines: int, table: TableFile
) -> tuple[int, int] | None:
    """``(byte offset, line)`` where a report's footer starts, or ``None``.

    The footer is the trailing block of lines that fill only their first cell (or
    nothing), holding at least one footer phrase (see ``data/report_footers.toml``);
    it starts at the last blank line before its first phrase (so the org name a
    Salesforce footer starts with is part of it), else at that phrase. A line with
    digits between that blank line and the phrase keeps the start at the phrase:
    a row holding only a phone number is data. A line
    whose quotes do not balance, and a cut where the quotes before it do not
    balance, end the search: those are inside a quoted field, not a footer.
    """
    tail_start = max(0, size - FOOTER_TAIL)
    with path.open("rb") as handle:
        handle.seek(tail_start)
        tail = handle.read()
    if tail_start:
        cut = tail.find(b"\n")
        if cut < 0:
            return None
        tail_start, tail = tail_start + cut + 1, tail[cut + 1 :]
    encoding = "utf-8" if table.encoding == "utf-8-sig" else table.encoding
    # (offset, blank, phrase, digits) for each trailing line of the block, last first.
    block: list[tuple[int, bool, bool, bool]] = []
    lines = tail.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    position = tail_start + len(tail)
    if tail.endswith(b"\n"):
        position -= 1
    for raw in reversed(lines):
        line_start = position - len(raw)
        position = line_start - 1
        if line_start == 0 or raw.count(b'"') % 2:
            break  # the header, or part of a quoted field
        text = raw.decode(encoding, errors="replace").rstrip("\r")
        try:
            fields = next(csv.reader([text], delimiter=table.delimiter), [])
        except csv.Error:
            break
        if any(field.strip() for field in fields[1:]):
            break
        first = fields[0].strip() if fields else ""
        phrase = bool(first) and is_footer_phrase(first)
        block.append((line_start, not first, phrase, any(c.isdigit() for c in first)))
    if not any(phrase for _offset, _blank, phrase, _digits in block):
        return None
    block.reverse()
    first_phrase = next(index for index, line in enumerate(block) if line[2])
    start = first_phrase
    for index in range(first_phrase - 1, -1, -1):
        _offset, blank, _phrase, digits = block[index]
        if digits:
            break  # a number between the blank line and the footer: data (a phone?)
        if blank:
            start = index
            break
    end = block[start][0]
    after = tail[end - tail_start :]  # the footer's bytes: all within the tail read above
    if (quotes - after.count(b'"')) % 2:
        return None  # the cut would fall inside quotes
    return end, newlines - after.count(b"\n") + 1


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
