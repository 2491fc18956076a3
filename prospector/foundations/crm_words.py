"""What a CRM's status or stage word means for a handoff: open, accepted, rejected, won, lost.

The shipped tables (``data/crm_answers.toml``) cover Salesforce's standard Lead
Status and Opportunity StageName values, HubSpot's default sales pipeline (labels
and internal ids) and Prospector's own words, and name the columns a report
holds them in. Words and headers compare by :func:`~.folding.compact_key` (case,
spaces and punctuation ignored).

A file speaks one CRM's words (the status column it has says which). That CRM's
tables are asked first, then Prospector's, then the other CRMs', so a word means
what its own CRM means by it and a file with an unexpected column still reads.
Within one CRM: the team's words for that CRM, the team's words for any CRM, the
shipped table, and last the words Prospector's own exports write there (a
configured Lead Status, StageName or HubSpot stage id): open, since a handoff
arrives without a verdict, unless a table says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from prospector.foundations.folding import compact_key
from prospector.foundations.shipped import shipped_toml

CRM_ANSWERS = ("open", "accepted", "rejected", "won", "lost")
"""What a CRM's status or stage word can mean for a handoff (``handoffs.crm_status``)."""
ANSWER_CRMS = ("salesforce", "hubspot", "prospector")
DATA_FILE = "crm_answers.toml"

# "Closed Won (Sales Pipeline)": HubSpot names the pipeline after the stage when
# an account has several.
_PIPELINE_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")


@cache
def _shipped() -> dict:
    return shipped_toml(DATA_FILE)


def column_names(field: str) -> tuple[str, ...]:
    """The shipped header names of ``field`` (id, amount, close_date, reason), as keys."""
    return tuple(compact_key(name) for name in _shipped()["columns"][field])


def status_columns() -> list[tuple[str, str]]:
    """``(header key, crm)`` for every status column name, in the order they are looked for."""
    return [
        (compact_key(name), crm)
        for crm, names in _shipped()["columns"]["status"].items()
        for name in names
    ]


@dataclass(frozen=True)
class Words:
    """The words a file's answers are looked up in, for the CRM the file comes from."""

    crm: str
    tables: tuple[dict[str, str], ...]  # keys compact_key'd; the first that knows a word decides

    def meaning(self, word: str) -> str | None:
        """``open``, ``accepted``, ``rejected``, ``won``, ``lost``, or None for an unknown word."""
        for text in (word, _PIPELINE_SUFFIX.sub("", word)):
            wanted = compact_key(text)
            for table in self.tables:
                if wanted in table:
                    return table[wanted]
        return None


def answer_words(
    crm: str,
    team: Mapping[str, str] | None = None,
    team_by_crm: Mapping[str, Mapping[str, str]] | None = None,
    exported: Mapping[str, tuple[str, ...]] | None = None,
) -> Words:
    """The lookup for a file from ``crm`` (salesforce, hubspot or prospector).

    ``team``: the team's words for any CRM; ``team_by_crm``: for one CRM;
    ``exported``: per CRM, the words Prospector's exports write (open unless a
    table says otherwise).
    """
    shipped = _shipped()["answers"]
    others = [name for name in ANSWER_CRMS if name not in (crm, "prospector")]
    order = [crm, *([] if crm == "prospector" else ["prospector"]), *others]
    tables: list[Mapping[str, str]] = []
    for name in order:
        tables.append((team_by_crm or {}).get(name, {}))
        if name == crm:
            tables.append(team or {})
        tables.append(shipped.get(name, {}))
        tables.append(dict.fromkeys((exported or {}).get(name, ()), "open"))
    return Words(crm, tuple({compact_key(w): m for w, m in table.items()} for table in tables))
