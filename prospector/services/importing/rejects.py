"""An import's rejects file: where it goes (beside the list, or somewhere writable)
and how it is written (all or nothing, no private leftovers)."""

from __future__ import annotations

import contextlib
import csv
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from prospector.foundations.access import may_write
from prospector.foundations.errors import InputFileError
from prospector.foundations.leftovers import FolderHold, make_temp, remove_matching, temp_pattern
from prospector.services.importing.reader import TableFile


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

    def __init__(self, table: TableFile, final: Path) -> None:
        self.table = table
        self.final = final
        self._handle: Any = None
        self._writer: Any = None
        self._temp: str | None = None
        self._hold: FolderHold | None = None
        self._sweep()

    def _sweep(self) -> None:
        leftover = temp_pattern(re.escape(self.final.name))
        with FolderHold(self.final.parent) as hold:
            if hold.alone():
                remove_matching(self.final.parent, lambda name: bool(leftover.fullmatch(name)))

    def add(self, fields: list[str], reason: str) -> None:
        if self._writer is None:
            # Held while the temporary exists, so no other run takes it for a leftover.
            self._hold = FolderHold(self.final.parent)
            self._hold.share()
            fd, self._temp = make_temp(self.final)
            self._handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle, delimiter=self.table.delimiter)
            self._writer.writerow([*self.table.header, "reject_reason"])
        width = len(self.table.header)
        padded = [*fields[:width], *([""] * (width - len(fields)))]
        self._writer.writerow([*padded, reason])

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
