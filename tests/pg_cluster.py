"""A throwaway PostgreSQL cluster for the suite: ``initdb`` + ``pg_ctl`` on a Unix socket.

The cluster lives in a short temporary directory (a socket path may not exceed
107 bytes), listens on no TCP port (so no worker's cluster meets another's or a
system server) and is removed whole when stopped. It is tuned for data that may
be lost: no fsync, no synchronous commit.

``initdb`` and ``pg_ctl`` refuse to run as root, and CI runs as root: then the
server binaries run as the distribution's ``postgres`` user (made on the spot
when missing), which owns the directory; Python itself never runs as that user.
The binaries come from the distribution (``make pg-binaries`` installs them when
missing), or from ``PROSPECTOR_PG_BINDIR``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

SERVER_USER = "postgres"


def find_bindir() -> Path:
    """The directory of ``initdb`` and ``pg_ctl``: the newest distribution version first."""
    if named := os.environ.get("PROSPECTOR_PG_BINDIR"):
        return Path(named)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1].parent
    if found := shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    raise RuntimeError("PostgreSQL's server binaries are missing: run `make pg-binaries`")


class ThrowawayCluster:
    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="pgt.", dir="/tmp"))
        self.data = self.root / "data"
        self.options: dict[str, Any] = {}
        if os.geteuid() == 0:
            server = _server_user()
            os.chown(self.root, server.pw_uid, server.pw_gid)
            self.options = {
                "user": server.pw_uid,
                "group": server.pw_gid,
                "extra_groups": [],
                "cwd": str(self.root),
                "env": {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "HOME": str(self.root)},
            }

    def start(self) -> ThrowawayCluster:
        try:
            self._run(
                "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--locale=C.UTF-8", "--no-sync",
            )  # fmt: skip
            settings = (
                f"-k {self.root} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
                " -c full_page_writes=off -c max_connections=200"
            )
            self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-s",
                "-o", settings, "start",
            )  # fmt: skip
        except BaseException:
            self.stop()
            raise
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.root}"

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-s", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [str(self.bindir / program), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            **self.options,
        )


def _server_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        shell = "/usr/sbin/nologin"
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", shell, SERVER_USER], check=True
        )
        return pwd.getpwnam(SERVER_USER)
