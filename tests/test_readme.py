"""The README's examples print what the README shows, and it points only at real files.

How the ```sh blocks are read and run is in :mod:`tests.readme_blocks`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.readme_blocks import README, Step, clean_env, readme_steps, run_steps

ROOT = README.parent
TEXT = README.read_text(encoding="utf-8")


def prospector_shim(folder: Path) -> None:
    """``folder/.venv/bin/prospector``: this checkout's Prospector, as the README calls it."""
    shim = folder / ".venv" / "bin" / "prospector"
    shim.parent.mkdir(parents=True)
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m prospector "$@"\n', encoding="utf-8")
    shim.chmod(0o755)


@pytest.mark.slow
def test_readme_examples_print_what_the_readme_shows(tmp_path):
    prospector_shim(tmp_path)
    # A zone far from the team's: what the examples print must not depend on the machine's.
    env = clean_env(tmp_path / "home", PYTHONPATH=str(ROOT), TZ="Pacific/Auckland")
    run_steps(readme_steps(TEXT), tmp_path, env)
    assert (tmp_path / "team.db").exists()
    assert not (tmp_path / "home").exists()  # nothing went to the user's data directory


def test_readme_examples_cover_the_everyday_commands():
    steps = readme_steps(TEXT)
    commands = [step.command.split("#")[0] for step in steps if not step.env]
    for needed in ("prospector init", "prospector settings show", "prospector import demo/"):
        assert any(needed in command for command in commands), needed
    queue = next(step for step in steps if "prospector queue " in step.command)
    assert queue.shown and "nothing callable now" not in queue.shown
    assert sum(step.shown is not None for step in steps) >= 20
    # Every shell example is a ```sh block, so none escapes the run unnoticed.
    fences = re.findall(r"^```(\S*)$", TEXT, flags=re.MULTILINE)
    assert set(fences) == {"sh", ""}, set(fences)


# Paths the README names that the examples or `make` create, not the repository.
CREATED = {".venv/bin", "tests/bench/.data/"}


def test_readme_points_only_at_files_in_the_repository():
    links = re.findall(r"\]\(([^)#:]+)\)", TEXT)
    paths = [path for path in re.findall(r"`([\w.-]+/[\w./-]*)`", TEXT) if path not in CREATED]
    assert "docs/metrics.md" in links and "prospector/data/" in paths
    for path in [*links, *paths]:
        assert (ROOT / path).exists(), path
    # A section reference ("DESIGN §4.10") names a document of this repository.
    for name in re.findall(r"\b([\w-]+) §", TEXT):
        assert list(ROOT.rglob(f"{name}.md")), f"{name} § refers to a file not in the repository"


SAMPLE = """\
<!-- not run: needs a network -->
```sh
curl https://example.com
```

```sh
export GREETING="hello there" OTHER=x
printf '%s\\n' "$GREETING"   # a comment
# hello there
printf 'a\\n\\nb\\n'
# a
#
# b
sh -c 'echo no >&2; exit 3'
# no
# exit 3
true
```
"""


def test_blocks_are_read_by_the_convention():
    steps = readme_steps(SAMPLE)
    assert [(step.line, step.command) for step in steps] == [
        (7, 'export GREETING="hello there" OTHER=x'),
        (8, """printf '%s\\n' "$GREETING"   # a comment"""),
        (10, "printf 'a\\n\\nb\\n'"),
        (14, "sh -c 'echo no >&2; exit 3'"),
        (17, "true"),
    ]
    assert steps[0].env == {"GREETING": "hello there", "OTHER": "x"}
    assert [step.expected() for step in steps[1:]] == [
        (0, ["hello there"]),
        (0, ["a", "", "b"]),
        (3, ["no"]),
        (0, []),
    ]
    assert steps[4].shown is None


def test_the_run_passes_a_true_sample_and_fails_a_false_one(tmp_path):
    env = clean_env(tmp_path)
    run_steps(readme_steps(SAMPLE), tmp_path, env)
    for wrong, printed in (
        ("# hello there", "# hello"),  # other output
        ("# exit 3", "# exit 1"),  # other status
        ("# a\n#\n# b", "# a\n# b"),  # a line missing
    ):
        broken = SAMPLE.replace(wrong, printed, 1)
        with pytest.raises(AssertionError, match=r"README.md:\d+: "):
            run_steps(readme_steps(broken), tmp_path, env)
    # A command whose output is not shown must still succeed quietly.
    for command in ("false", "echo oops >&2"):
        with pytest.raises(AssertionError, match=command):
            run_steps([Step(1, command)], tmp_path, env)


def test_output_lines_must_sit_right_under_their_command():
    with pytest.raises(ValueError, match=r"README\.md:4: output line not right under a command"):
        readme_steps("```sh\ntrue\n\n# stray\n```\n")
    with pytest.raises(ValueError, match=r"README\.md:2: "):
        readme_steps("```sh\n# no command\n```\n")
    with pytest.raises(ValueError, match=r"README\.md:2: a ```sh block is never closed"):
        readme_steps("```sh\ntrue\n")
