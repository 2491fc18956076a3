"""What a CRM's status or stage word means for a handoff: open, accepted, rejected, won, lost.

The shipped tables (``data/crm_answers.toml``) cover Salesforce's standard Lead
Status and Opportunity StageName values, HubSpot's default sales pipeline (labels
and internal ids) and Prospector's own words; the team's ``[crm.answers]`` come
first. A file speaks one CRM's words (the status column it has says which): that
CRM's table is asked first, then Prospector's, then the others', so a word means
what its own CRM means by it and a file with an unexpected column still reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from prospector.foundations.shipped import shipped_toml
from prospector.services.settings.model import ANSWER_CRMS, CrmAnswers

# "Closed Won (Sales Pipeline)": HubSpot names the pipeline after the stage when
# an account has several.
_PIPELINE_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")


def key(text: str) -> str:
    """A header or word as matched: case, spaces and punctuation ignored."""
    return re.sub(r"[\W_]+", "", text.lstrip("\ufeff")).casefold()


@cache
def _shipped() -> dict:
    return shipped_toml("crm_answers.toml")


def column_names(field: str) -> tuple[str, ...]:
    """The shipped header names of ``field`` (id, amount, close_date, reason), as keys."""
    return tuple(key(name) for name in _shipped()["columns"][field])


def status_columns() -> list[tuple[str, str]]:
    """``(header key, crm)`` for every status column name, in the order they are looked for."""
    return [
        (key(name), crm) for crm, names in _shipped()["columns"]["status"].items() for name in names
    ]


@dataclass(frozen=True)
class Words:
    """The words a file's answers are looked up in, for the CRM the file comes from."""

    crm: str
    tables: tuple[dict[str, str], ...]

    def meaning(self, word: str) -> str | None:
        """``open``, ``accepted``, ``rejected``, ``won``, ``lost``, or None for an unknown word."""
        for text in (word, _PIPELINE_SUFFIX.sub("", word)):
            wanted = key(text)
            for table in self.tables:
                if wanted in table:
                    return table[wanted]
        return None


def words_for(crm: str, settings: CrmAnswers) -> Words:
    """The lookup for a file from ``crm`` (salesforce, hubspot or prospector)."""
    shipped = _shipped()["answers"]
    others = [name for name in ANSWER_CRMS if name not in (crm, "prospector")]
    order = [crm, *([] if crm == "prospector" else ["prospector"]), *others]
    tables = [settings.words]
    for name in order:
        tables += [settings.by_crm.get(name, {}), shipped.get(name, {})]
    # The first table that knows a word decides: a CRM's own (the team's, then the
    # shipped one) before another CRM's.
    return Words(crm, tuple({key(w): m for w, m in table.items()} for table in tables))
