"""The tables shipped with Prospector in ``prospector/data/`` (package data).

Knowledge of the outside world (country aliases, state zones, junk cells, column
names, footer phrases, free-mail domains…) lives there as data, read with
:mod:`importlib.resources` so an installed wheel finds it too.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from importlib.resources.abc import Traversable


def shipped_file(name: str) -> Traversable:
    return resources.files("prospector.data").joinpath(name)


def shipped_text(name: str) -> str:
    return shipped_file(name).read_text("utf-8")


def shipped_toml(name: str) -> dict:
    return tomllib.loads(shipped_text(name))


def shipped_lines(name: str) -> list[str]:
    """The file's lines, stripped, without blank lines and ``#`` comments."""
    return [
        line.strip()
        for line in shipped_text(name).splitlines()
        if line.strip() and not line.startswith("#")
    ]
