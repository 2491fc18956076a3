"""Dialing from the desk: ``calling.dial_command`` turned into a process that dials.

The template is split into arguments (shell words, as ``shlex`` reads them) once,
*before* anything about the contact is put in: each argument then has its fields
(``{tel_uri}``, ``{e164}``, ``{extension}``, ``{contact_id}``, ``{rep}``) filled in on
its own. Whatever a contact's data holds (spaces, quotes, ``;``, ``$(...)``) stays
inside the one argument it was put in, and no shell ever reads it. A field that
would make a whole argument start with ``-`` is refused, so contact data can never
become an option of the command.

The command runs without a shell, its input closed, its output appended to a log
file; nobody waits for it beyond :data:`QUICK_SECONDS`, the time in which a command
that cannot dial (a softphone not running, a PBX refusing) usually says so.
"""

from __future__ import annotations

import shlex
import string
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from prospector.foundations.errors import ProspectorError, SettingsError

FIELDS = ("tel_uri", "e164", "extension", "contact_id", "rep")
"""What a dial command may name, each as ``{field}``."""

QUICK_SECONDS = 1.5
"""How long a dial waits to see the command fail; a command still running then
(a softphone's call) is left to run."""

LOG_NAME = "dial.log"

_KEY = "calling.dial_command"
# RFC 3966: an extension is phone digits and visual separators, nothing else.
_EXTENSION_CHARS = frozenset("0123456789-.()")


class DialError(ProspectorError):
    """The dial command could not run, or failed; the message is one line for the rep."""


@dataclass(frozen=True)
class DialTarget:
    """Who is dialed, on which number, by whom."""

    contact_id: int
    e164: str
    extension: str | None
    rep: str

    @property
    def tel_uri(self) -> str:
        """RFC 3966: ``tel:+14155550123;ext=12`` (the extension's stray characters dropped)."""
        extension = "".join(c for c in self.extension or "" if c in _EXTENSION_CHARS)
        return f"tel:{self.e164};ext={extension}" if extension else f"tel:{self.e164}"

    def fields(self) -> dict[str, str]:
        return {
            "tel_uri": self.tel_uri,
            "e164": self.e164,
            "extension": self.extension or "",
            "contact_id": str(self.contact_id),
            "rep": self.rep,
        }


def parse_template(text: str) -> tuple[str, ...]:
    """The template's arguments, fields not yet filled in.

    Raises:
        SettingsError: blank, unbalanced quotes, or a field that is not one of
            :data:`FIELDS` (or has a format spec or conversion).
    """
    expected = f"a command, with fields among {{{'}, {'.join(FIELDS)}}}"
    try:
        arguments = tuple(shlex.split(text))
    except ValueError as error:
        raise SettingsError(f"settings: {_KEY} = {text!r}: {error}") from None
    if not arguments:
        raise SettingsError(f"settings: {_KEY} = {text!r}: expected {expected}")
    for argument in arguments:
        try:
            parts = list(string.Formatter().parse(argument))
        except ValueError as error:
            raise SettingsError(f"settings: {_KEY} = {text!r}: {error}") from None
        for _literal, name, spec, conversion in parts:
            if name is None:
                continue
            if name not in FIELDS or spec or conversion:
                shown = "{" + name + (f"!{conversion}" if conversion else "")
                shown += (f":{spec}" if spec else "") + "}"
                raise SettingsError(
                    f"settings: {_KEY} = {text!r}: unknown field {shown}; expected {expected}"
                )
    return arguments


def build_argv(template: str, target: DialTarget) -> list[str]:
    """The command's argument list for dialing ``target``.

    Raises:
        SettingsError: a bad template (see :func:`parse_template`).
        DialError: a field would start an argument with ``-``.
    """
    values = target.fields()
    argv = []
    for argument in parse_template(template):
        filled = argument.format_map(values)
        if filled.startswith("-") and not argument.startswith("-"):
            raise DialError(
                f"dial command not run: {argument!r} would become {filled!r}, an option"
            )
        argv.append(filled)
    return argv


def default_log_path() -> Path:
    """Where dial commands' output goes: ``dial.log`` in the user's log directory
    (``~/.local/state/prospector/log`` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_log_dir("prospector")) / LOG_NAME


@dataclass(frozen=True)
class Dialed:
    """A dial command started: what ran, and where its output goes."""

    argv: tuple[str, ...]
    log_path: Path
    still_running: bool  # not ended within QUICK_SECONDS (it ended well otherwise)


def run_dial(
    argv: list[str], *, now: datetime, log_path: Path | None = None, wait: float = QUICK_SECONDS
) -> Dialed:
    """Start ``argv`` (no shell, input closed, output appended to the log) and watch
    it for ``wait`` seconds.

    Raises:
        DialError: it could not start (not found, not executable), or it exited
            non-zero within ``wait``.
    """
    path = log_path or default_log_path()
    name = Path(argv[0]).name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        log = path.open("ab")
    except OSError as error:
        raise DialError(f"dial command failed: cannot write {path}: {error.strerror}") from None
    with log:
        log.write(f"--- {now.isoformat(timespec='seconds')} {shlex.join(argv)}\n".encode())
        log.flush()
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl+C in the terminal is not for the softphone
            )
        except FileNotFoundError:
            raise DialError(f"dial command failed: {name}: not found") from None
        except PermissionError:
            raise DialError(f"dial command failed: {name}: not executable") from None
        except OSError as error:
            raise DialError(f"dial command failed: {name}: {error.strerror}") from None
    code = _exit_code(process, wait)
    if code is not None and code != 0:
        raise DialError(f"dial command failed: {name} exited with {code} (see {path})")
    return Dialed(tuple(argv), path, still_running=code is None)


def _exit_code(process: subprocess.Popen, wait: float) -> int | None:
    """The exit code if the process ends within ``wait`` seconds, else None (it runs on;
    :mod:`subprocess` reaps it later)."""
    try:
        return process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        return None
