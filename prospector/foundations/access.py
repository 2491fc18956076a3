"""Whether Prospector may write a file or folder, read the way a user marked it."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def may_write(path: str | os.PathLike[str]) -> bool:
    """True when this process may change ``path`` (a file, or a folder to create files in).

    A file or folder with no write bit at all (``chmod a-w``) counts as read-only
    even for root, whom :func:`os.access` lets through: a database a team lead
    marked read-only is opened for reading, whoever runs the command. A read-only
    file system counts as read-only too.
    """
    target = Path(path)
    wanted = os.W_OK | (os.X_OK if target.is_dir() else 0)
    if not os.access(target, wanted):
        return False
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
