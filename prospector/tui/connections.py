"""One database connection per worker thread.

Textual runs thread workers on a pool of threads (asyncio's default executor, a
few threads, reused); a connection must not be used from two threads at once, so
each thread gets its own, opened on first use and closed when the app exits. On
PostgreSQL that is a handful of server connections per open workbench, whatever
the rep does (``tests/test_tui_connections.py``).
"""

from __future__ import annotations

import threading

from prospector.foundations.db import Database, open_database


class ThreadConnections:
    """Hands each thread its own :class:`Database` on one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[Database] = []

    def get(self) -> Database:
        """The calling thread's connection (opened on first use)."""
        database: Database | None = getattr(self._local, "database", None)
        if database is None:
            # check_same_thread=False only so close_all() may close it from the main thread.
            database = open_database(self.path, create=False, check_same_thread=False)
            self._local.database = database
            with self._lock:
                first = not self._opened
                self._opened.append(database)
            if first:
                # A rep's keypress must never wait for a WAL checkpoint: one thread does them.
                database.checkpoint_in_background()
            else:
                database.leave_checkpoints_to_others()
        return database

    def close_all(self) -> None:
        """Close every connection handed out (at app exit, when no worker runs)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for database in opened:
            try:
                database.close()
            except Exception:  # a connection broken by a crash still must not stop exit
                pass
