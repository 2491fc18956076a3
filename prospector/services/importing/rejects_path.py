"""Where an import's rejects file goes: beside the list, or somewhere writable."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from prospector.foundations.access import may_write
from prospector.foundations.errors import InputFileError


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
