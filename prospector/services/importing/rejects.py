"""An import's rejects file: where it goes (beside the list, or somewhere writable)
and how it is written (all or nothing, no private leftovers).

It is the list again, for the rows that could not be used: every original column,
in the original order and spelling, plus ``reject_reason``, in the list's own
dialect (encoding, delimiter, quoting, line ends; a spreadsheet's rejects are a
UTF-8 CSV with a BOM), so a person fixes it and imports it again. It is as safe
to open in a spreadsheet as an export (:func:`.export.safe_csv.neutralize`): a cell
starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading ``'``, except a
phone column's cell that is only a phone number's characters (``+1 (415) 555-0100
ext. 12``, ``-``): that cannot run anything, and kept as it is it imports again.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

from prospector.foundations.access import may_write
from prospector.foundations.errors import InputFileError
from prospector.foundations.leftovers import FolderHold, make_temp, sweep_temps
from prospector.services.export.safe_csv import neutralize
from prospector.services.importing.reader import TableFile

REASON = "reject_reason"
# Digits, spaces, ( ) . - / +, and an extension: no formula can be spelled with them.
PHONE_TEXT = re.compile(r"[0-9 ().+\-/]*(?: *(?:ext\.?|x|#) *[0-9]+)?", re.IGNORECASE)


def rejects_path(list_path: Path, requested: str | os.PathLike[str] | None = None) -> Path:
    """The rejects file for the list at ``list_path``.

    ``requested`` (``--rejects PATH``) is used as given, or, when it is a folder,
    ``<stem>.rejects.csv`` inside it. Otherwise the file goes beside the list; when
    the list's folder cannot take files (a read-only share), it goes to the current
    folder, else to the system's temporary folder. The import's output names it.

    Raises:
        InputFileError: ``requested`` is in a folder that does not exist or cannot
            be written; checked before the import writes anything.
    """
    name = f"{list_path.stem}.rejects.csv"
    if requested is not None:
        target = Path(requested)
        if target.is_dir():
            target = target / name
        parent = target.parent
        if not parent.is_dir():
            raise InputFileError(f"{target}: cannot write the rejects file: no folder {parent}")
        if not may_write(parent) or (target.exists() and not target.is_file()):
            raise InputFileError(f"{target}: cannot write the rejects file there")
        return target
    for folder in (list_path.parent, _current_folder(), Path(tempfile.gettempdir())):
        if folder is not None and may_write(folder):
            return folder / name
    raise InputFileError(
        f"{list_path}: no writable folder for its rejects file; give --rejects PATH"
    )


def _current_folder() -> Path | None:
    try:
        return Path.cwd()
    except OSError:  # removed while we run
        return None


class RejectsFile:
    """The rejects file at ``final``: the input's columns plus ``reject_reason``.

    Rows go to a temporary file in the same folder, renamed into place at the end,
    so a reader never sees half a rejects file. With no rejects, a stale rejects
    file from an earlier run of the same list is removed. The temporary holds
    personal data: one that a killed import of the same list left behind is
    removed when this one starts (see :mod:`prospector.foundations.leftovers`).
    """

    def __init__(self, table: TableFile, final: Path, phone_columns: Collection[int] = ()) -> None:
        self.table = table
        self.final = final
        self.phone_columns = frozenset(phone_columns)
        names = [name.strip().casefold() for name in table.header]
        self._reason_at = names.index(REASON) if REASON in names else len(names)
        self._handle: Any = None
        self._writer: Any = None
        self._temp: str | None = None
        self._hold: FolderHold | None = None
        sweep_temps(self.final.parent, self.final.name)

    def add(self, fields: list[str], reason: str) -> None:
        if self._writer is None:
            # Held while the temporary exists, so no other run takes it for a leftover.
            self._hold = FolderHold(self.final.parent)
            self._hold.share()
            fd, self._temp = make_temp(self.final)
            table = self.table
            encoding = table.rejects_encoding
            self._handle = os.fdopen(fd, "w", encoding=encoding, newline="")
            if encoding in ("utf-16-le", "utf-16-be"):
                self._handle.write("\ufeff")  # as the list had: how Excel knows UTF-16
            self._writer = csv.writer(
                self._handle,
                delimiter=table.delimiter,
                lineterminator=table.line_end,
                quoting=csv.QUOTE_ALL if table.quote_all else csv.QUOTE_MINIMAL,
            )
            header = [*map(neutralize, table.header)]
            self._writer.writerow(header if self._reason_at < len(header) else [*header, REASON])
        width = len(self.table.header)
        padded = [*fields[:width], *([""] * (width - len(fields)))]
        phones = self.phone_columns
        cells = [
            value if index in phones and PHONE_TEXT.fullmatch(value) else neutralize(value)
            for index, value in enumerate(padded)
        ]
        reason = neutralize(self._encodable(reason))
        if self._reason_at < width:
            cells[self._reason_at] = reason  # a rejects file imported again: one reason
        else:
            cells.append(reason)
        self._writer.writerow(cells)

    def _encodable(self, text: str) -> str:
        # The fields came from the file, so its encoding has them; a reason may quote
        # text it cannot hold (a cp1252 list): those characters become "?".
        encoding = self.table.rejects_encoding
        return text.encode(encoding, errors="replace").decode(encoding)

    def finish(self) -> str | None:
        if self._handle is None:
            with contextlib.suppress(FileNotFoundError):
                self.final.unlink()
            return None
        self._handle.close()
        assert self._temp is not None
        os.replace(self._temp, self.final)
        self._handle = self._temp = None
        self._let_go()
        return str(self.final)

    def discard(self) -> None:
        if self._handle is not None:
            self._handle.close()
        if self._temp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._temp)
        self._let_go()

    def _let_go(self) -> None:
        if self._hold is not None:
            self._hold.release()
            self._hold = None
