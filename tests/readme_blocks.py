"""The README's shell examples as steps to run, and running them in a folder.

The convention a README author follows (the README states the short form):

* Every fenced block opened with ```` ```sh ```` is run, in the order of the file, in
  one empty folder, as a user would type it there. A block is not run only when the
  last non-blank line before its fence is ``<!-- not run: REASON -->`` (an HTML
  comment: readers of the rendered README do not see it).
* ``export NAME=VALUE ...`` sets environment variables for the lines after it.
* Every other line is one command, run by ``sh -c`` (so quotes, ``>`` and trailing
  ``# comments`` work as in a shell). ``.venv/bin/prospector`` is the folder's own
  ``.venv/bin/prospector``: the tests put the Prospector under test there.
* Lines starting with ``# `` (or a lone ``#`` for an empty line) right under a
  command are what it prints, stdout and stderr together, all of it: the output must
  be exactly those lines (trailing spaces aside). A last such line ``# exit N`` says
  the command exits with status N; otherwise it must exit 0.
* A command with no ``#`` lines under it must exit 0 and print nothing on stderr; its
  stdout is not shown, so not compared.

Nothing is loosened for outputs that depend on the moment: examples pin the clock
with ``--at``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
SKIP = re.compile(r"^<!-- not run: \S.* -->$")
EXIT = re.compile(r"^exit (\d+)$")


@dataclass
class Step:
    """One README line to run: a command, or an ``export`` (``env`` set)."""

    line: int
    command: str
    env: dict[str, str] = field(default_factory=dict)
    shown: list[str] | None = None  # None: output not shown in the README

    def expected(self) -> tuple[int, list[str]]:
        """The exit status and output lines the README shows."""
        shown = self.shown or []
        status = EXIT.match(shown[-1]) if shown else None
        if status:
            return int(status.group(1)), shown[:-1]
        return 0, shown


def readme_steps(text: str) -> list[Step]:
    """The steps of every run ```sh block of ``text``, in order."""
    steps: list[Step] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        if lines[index].strip() != "```sh":
            index += 1
            continue
        previous = next((line for line in reversed(lines[:index]) if line.strip()), "")
        skipped = bool(SKIP.match(previous.strip()))
        index += 1
        while index < len(lines) and lines[index].strip() != "```":
            if not skipped:
                _read_line(steps, index + 1, lines[index])
            index += 1
        if index == len(lines):
            raise ValueError(f"README.md:{index}: a ```sh block is never closed")
        index += 1
    return steps


def _read_line(steps: list[Step], number: int, line: str) -> None:
    if not line.strip():
        return
    if line == "#" or line.startswith("# "):
        if not steps or steps[-1].env or steps[-1].line + len(steps[-1].shown or ()) != number - 1:
            raise ValueError(f"README.md:{number}: output line not right under a command")
        steps[-1].shown = [*(steps[-1].shown or ()), line[2:]]
        return
    if line.startswith("export "):
        pairs = [word.split("=", 1) for word in shlex.split(line)[1:]]
        steps.append(Step(number, line, env=dict(pairs)))
        return
    steps.append(Step(number, line))


def run_steps(steps: list[Step], folder: Path, env: dict[str, str]) -> None:
    """Run ``steps`` in ``folder`` with ``env`` (plus their exports).

    Raises:
        AssertionError: the first step whose output or exit status differs from the
            README, with both.
    """
    env = dict(env)
    for step in steps:
        if step.env:
            env.update(step.env)
            continue
        done = subprocess.run(
            ["sh", "-c", step.command],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        printed = _lines(done.stdout + done.stderr)
        where = f"README.md:{step.line}: {step.command}"
        if step.shown is None:
            assert (done.returncode, done.stderr) == (0, ""), (
                f"{where}\nexit {done.returncode}\n{done.stderr}"
            )
            continue
        status, shown = step.expected()
        assert (done.returncode, printed) == (status, [line.rstrip() for line in shown]), (
            f"{where}\nREADME shows (exit {status}):\n"
            + "\n".join(f"# {line}" for line in shown)
            + f"\nprinted (exit {done.returncode}):\n"
            + "\n".join(f"# {line}" for line in printed)
        )


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip("\n").splitlines()]


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """A user's environment with nothing of the test run's: no PROSPECTOR_*, no COLUMNS."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    env.update(extra)
    return env
