"""What every command needs: the database path, the rep, and the clock."""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from prospector.foundations.clock import (
    Clock,
    fixed_clock,
    parse_instant,
    running_clock,
    system_clock,
)
from prospector.foundations.db import Database, open_database
from prospector.foundations.errors import ProspectorError

if TYPE_CHECKING:
    from prospector.services.calls import CallbackCheck


def db_option_default() -> str:
    if os.environ.get("PROSPECTOR_DB"):
        return os.environ["PROSPECTOR_DB"]
    import platformdirs

    return str(Path(platformdirs.user_data_dir("prospector")) / "prospector.db")


def rep_option_default() -> str:
    if os.environ.get("PROSPECTOR_REP"):
        return os.environ["PROSPECTOR_REP"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "rep"


@dataclass
class AppContext:
    db_path: str
    rep: str
    start_at: datetime | None = None

    def open_db(self, *, create: bool = False) -> Database:
        """The team's database; only ``init`` creates one, every other command
        refuses a path with no database (a typo must not start an empty team)."""
        return open_database(self.db_path, create=create)

    def clock(self, at: datetime | None = None) -> Clock:
        """A fixed clock at ``at`` (a command's own ``--at``); else, on the demo
        database, the demo's clock running on from where it stands; else the real one."""
        instant = at or self.start_at
        if instant:
            return fixed_clock(instant)
        resumed = self.demo_resumes_at()
        return running_clock(resumed) if resumed else system_clock

    def screen_clock(self, at: datetime | None = None) -> Clock:
        """A screen's clock, which runs on: from ``at`` (or the global ``--at``) when
        given, else as :meth:`clock` (the demo's on the demo database, or the real one)."""
        instant = at or self.start_at
        return running_clock(instant) if instant else self.clock()

    def demo_resumes_at(self) -> datetime | None:
        """Where the demo's clock stands when the database is the demo's, else None."""
        from prospector.services.demo_clock import demo_resumes_at

        return demo_resumes_at(self.db_path)


pass_app = click.make_pass_decorator(AppContext)


def parse_at_option(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> datetime | None:
    """Click callback for ``--at``: ISO 8601 with an offset, within the years 2000-2100.

    A bad value is a user error (exit 1, one line), like bad time words.
    """
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError as error:
        raise ProspectorError(f"--at {error}") from None


def at_option(function):
    """The ``--at TIME`` option of one-shot commands (evaluate as of TIME)."""
    return click.option(
        "--at",
        "at",
        metavar="TIME",
        callback=parse_at_option,
        help="Evaluate as if it were TIME (ISO 8601 with offset, or Z).",
    )(function)


def limit_option(function):
    """``--limit N``: how many contacts a listing shows (1 to 1000, default 20)."""
    return click.option(
        "--limit",
        type=click.IntRange(1, 1000),
        default=20,
        show_default=True,
        help="How many contacts to list at most.",
    )(function)


HANDOFF_OPTIONS = (
    ("--amount", "N", "estimated amount, e.g. 12500 or 12500.50."),
    ("--meeting", "WHEN", "meeting time in words, prospect's zone."),
    ("--owner", "REP", "outside rep (name or email); else assigned."),
    ("--budget", "T", "BANT budget."),
    ("--authority", "T", "BANT authority."),
    ("--need", "T", "BANT need."),
    ("--timeline", "T", "BANT timeline."),
)


def handoff_options(when: str):
    """The handoff's answers as options (``qualify``'s, and ``log``'s for a meeting);
    ``when`` starts each help text."""

    def apply(function):
        for name, metavar, text in reversed(HANDOFF_OPTIONS):
            function = click.option(name, metavar=metavar, help=f"{when}{text}")(function)
        return function

    return apply


def json_option(function):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(function)


def echo_json(value: object, *, default: Callable[[Any], Any] | None = None) -> None:
    """Print ``value`` as one line of JSON, non-ASCII text as it is."""
    click.echo(json.dumps(value, ensure_ascii=False, default=default))


def fail(message: str) -> ProspectorError:
    """A user error to raise from a command."""
    return ProspectorError(message)


def anyway_option(function):
    """``--anyway``: keep a callback or meeting time the prospect's window does not allow."""
    return click.option(
        "--anyway",
        is_flag=True,
        help="Keep a callback or meeting time outside the prospect's calling window.",
    )(function)


def refuse_outside_window(check: CallbackCheck, flag: str, words: str, anyway: bool) -> None:
    """Refuse (one line, exit 1) a time outside the prospect's window unless ``anyway``.

    Raises:
        ProspectorError: the time is outside the window and ``anyway`` is not given.
    """
    if check.warning is None or anyway:
        return
    raise ProspectorError(
        f"{flag} {words!r} is {check.at:%a %d %b %H:%M %Z} — {check.warning}"
        " (--anyway keeps it); nothing was saved"
    )


@contextlib.contextmanager
def stderr_bar(*columns: Any, **fields: Any) -> Iterator[tuple[Any, Any] | None]:
    """A transient rich progress bar of ``columns`` on a terminal's stderr, with one task
    (``fields`` its extra fields): ``(bar, task)``; None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(*columns, console=Console(stderr=True), transient=True)
    task = bar.add_task("", total=None, **fields)
    with bar:
        yield bar, task
