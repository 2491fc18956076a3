"""Temporary files that hold personal data, and what a killed process leaves of them.

Export files and rejects files are written to a hidden temporary file beside the
target (``.<name>.<8 random characters>``, :func:`tempfile.mkstemp`'s shape),
then renamed. A process killed before the rename leaves the temporary behind;
the next run into that folder removes it.

Which temporaries are stale? Every process that writes temporaries into a folder
holds a *shared* lock on the folder (``flock`` on the directory) for as long as
they exist, and the kernel drops that lock when the process dies, however it
dies. A process that gets the folder's *exclusive* lock without waiting knows no
live writer is there, so every temporary of ours in it is a leftover. Nobody
ever waits for the exclusive lock: when the folder is busy, the sweep is left to
a later run. Only names that fullmatch a caller's pattern are touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no locks, so no sweeping either
    fcntl = None  # type: ignore[assignment]

TEMP_TAIL = r"\.[a-z0-9_]{8}"
"""What :func:`tempfile.mkstemp` puts after our prefix (its random name characters)."""


def temp_pattern(name_regex: str) -> re.Pattern[str]:
    """The temporaries of the files whose names fullmatch ``name_regex``."""
    return re.compile(r"\." + name_regex + TEMP_TAIL)


def make_temp(final: Path) -> tuple[int, str]:
    """A new temporary beside ``final``, 0600 from its first moment (``O_EXCL``).

    Returns the open descriptor and the path. Raises OSError.
    """
    return tempfile.mkstemp(prefix=f".{final.name}.", dir=final.parent)


class FolderHold:
    """A process's hold on a folder it writes temporaries into (see the module doc).

    Opening never fails: a folder that cannot be opened (or a system without
    ``flock``) is simply never swept.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._fd: int | None = None
        if fcntl is not None:
            with contextlib.suppress(OSError):
                self._fd = os.open(self.directory, os.O_RDONLY | os.O_DIRECTORY)

    def alone(self) -> bool:
        """Take the exclusive lock if nobody holds the folder; never waits."""
        if self._fd is None:
            return False
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def share(self) -> None:
        """Take (or turn the exclusive lock into) the shared lock writers hold."""
        if self._fd is not None:
            try:
                # Waits only for another process's sweep, which never waits itself.
                fcntl.flock(self._fd, fcntl.LOCK_SH)
            except OSError:
                # A file system without locks: nobody can sweep it either.
                self.release()

    def release(self) -> None:
        """Let go of the folder (closing the descriptor drops the lock)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> FolderHold:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def remove_matching(directory: Path, is_ours: Callable[[str], bool]) -> list[Path]:
    """Remove the regular files in ``directory`` whose names ``is_ours`` accepts.

    Call only while :meth:`FolderHold.alone` holds. Returns what was removed.
    """
    removed = []
    with contextlib.suppress(OSError), os.scandir(directory) as entries:
        for entry in entries:
            if is_ours(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):  # gone already, or not ours to remove
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def sweep_temps(directory: Path, name: str) -> None:
    """Remove the temporaries of ``name`` (see :func:`make_temp`) that killed runs left
    in ``directory``, unless another run is using the folder."""
    leftover = temp_pattern(re.escape(name))
    with FolderHold(directory) as hold:
        if hold.alone():
            remove_matching(directory, lambda entry: bool(leftover.fullmatch(entry)))


def sync_directory(directory: Path) -> None:
    """Make the folder's entries (renames, removals) durable."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
