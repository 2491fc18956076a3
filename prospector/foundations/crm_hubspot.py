"""HubSpot's fixed vocabularies, as shipped in ``prospector/data/crm_hubspot.toml``.

The company Industry enumeration, the default sales pipeline's stage ids in
order, and the shipped map from the industry words lists use to Industry values.
Settings (``[crm.hubspot]``) are validated against these; the HubSpot export
maps with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from prospector.foundations.folding import word_key
from prospector.foundations.shipped import shipped_toml

DATA_FILE = "crm_hubspot.toml"


@dataclass(frozen=True)
class Pipeline:
    """A deal pipeline: its id, its open stage ids in order, and where handoffs go."""

    id: str
    stages: tuple[str, ...]
    stage_meeting: str
    stage_qualified: str


@cache
def _data() -> dict:
    return shipped_toml(DATA_FILE)


@cache
def industries() -> frozenset[str]:
    """Every internal value of HubSpot's company Industry property."""
    return frozenset(_data()["industries"])


def default_pipeline() -> Pipeline:
    table = _data()["pipeline"]
    return Pipeline(
        id=table["id"],
        stages=tuple(table["stages"]),
        stage_meeting=table["stage_meeting"],
        stage_qualified=table["stage_qualified"],
    )


@cache
def shipped_industry_map() -> dict[str, str]:
    """The shipped ``[industry]`` table, keyed by :func:`~.folding.word_key`."""
    return {word_key(word): value for word, value in _data()["industry"].items()}


def enumeration_value(word: str) -> str:
    """The Industry value ``word`` names by itself, else ``""``.

    A word is its own value when it is one (``COMPUTER_SOFTWARE``) or is the
    value's label as lists copy it from LinkedIn and HubSpot: "Computer
    Software", "Hospital & Health Care", "Logistics and Supply Chain",
    "E-Learning" (``&`` and ``and`` may be written or left out).
    """
    words = re.findall(r"[0-9A-Z]+|&", word.upper())
    for candidate in (
        "_".join("AND" if w == "&" else w for w in words),
        "_".join(w for w in words if w not in ("&", "AND")),
    ):
        if candidate in industries():
            return candidate
    return ""
