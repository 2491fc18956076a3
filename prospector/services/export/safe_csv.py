"""CSV cells safe to open in a spreadsheet, and the folder export files go to.

Formula injection (OWASP "CSV Injection"): a spreadsheet treats a cell beginning
with ``=``, ``+``, ``-``, ``@``, tab or carriage return as a formula. Free text
from prospects and reps (notes, titles, company names) is neutralized by
prefixing a single quote, which spreadsheets show as text. Structured columns
(E.164 phones such as ``+14155552671``, ISO dates, amounts, ids) are written as
they are *when they have their expected shape*; anything else in them is treated
as text, so a structured column can never smuggle a formula either.

The folder is created 0700; the files in it (see :mod:`.batchfiles`) are 0600.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prospector.foundations.errors import ProspectorError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# The shapes a structured column may have and still be written as is.
SHAPES = {
    "phone": re.compile(r"\+[1-9]\d{1,14}"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "datetime": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?"),
    "amount": re.compile(r"\d+(\.\d{1,2})?"),
    "integer": re.compile(r"\d+"),
}


class ExportWriteError(ProspectorError):
    """An export file that cannot be written where asked."""


@dataclass(frozen=True)
class Column:
    """One CSV column: its header, the payload key it reads, and its kind.

    ``kind`` is ``"text"`` (neutralized) or one of :data:`SHAPES`.
    """

    header: str
    key: str
    kind: str = "text"


def neutralize(text: str) -> str:
    """Free text made safe for a spreadsheet: a leading formula character gets a ``'``."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell(value: Any, kind: str = "text") -> str:
    """The text written for ``value`` in a column of ``kind``."""
    if value is None:
        return ""
    text = str(value)
    shape = SHAPES.get(kind)
    if shape is not None and shape.fullmatch(text):
        return text
    return neutralize(text)


def csv_bytes(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """A UTF-8 CSV (RFC 4180: CRLF rows, quotes where needed) of ``rows`` by ``columns``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    writer.writerows([cell(row.get(c.key), c.kind) for c in columns] for row in rows)
    return buffer.getvalue().encode("utf-8")


def prepare_directory(directory: str | os.PathLike[str]) -> Path:
    """The output directory, created (0700) if missing; refuses what cannot take files.

    Raises:
        ExportWriteError: not a directory, or not writable.
    """
    path = Path(directory)
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError as error:
        raise ExportWriteError(f"{path}: not a directory (--out needs a directory)") from error
    except OSError as error:
        raise ExportWriteError(f"{path}: cannot create directory ({error.strerror})") from error
    if not path.is_dir():
        raise ExportWriteError(f"{path}: not a directory (--out needs a directory)")
    if not os.access(path, os.W_OK | os.X_OK):
        raise ExportWriteError(f"{path}: directory is not writable")
    return path
