"""People's names as shown and exported."""

from __future__ import annotations

import functools
import re


def full_name(first: str | None, last: str | None) -> str:
    """First and last name joined, skipping the missing one ('' when both are)."""
    return " ".join(part for part in (first, last) if part)


_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’-]*$")


def split_full_name(text: str | None) -> tuple[str | None, str | None]:
    """``(first, last)`` of a full name, as ``nameparser`` reads it.

    ``Dr. Hannah Schultz, PhD`` -> Hannah / Schultz, ``Smith, John`` -> John /
    Smith, one word -> a first name only. Middle names are left out (the first
    name is what a rep greets by). ``nameparser`` costs ~100 µs a name, so a
    plain two-word name ("Jean-Luc Picard") that is neither title nor suffix
    nor particle is split here without it.
    """
    if not text or not text.strip():
        return None, None
    words = text.split()
    if len(words) == 2 and _plain(words[0], words[1]):
        return words[0], words[1]
    if len(words) == 1 and _NAME_WORD.match(words[0]):
        return words[0], None
    from nameparser import HumanName  # here: only names it must read pay its import

    name = HumanName(text)
    return name.first or None, name.last or None


def _plain(first: str, last: str) -> bool:
    if not (_NAME_WORD.match(first) and _NAME_WORD.match(last)):
        return False
    constants = _name_constants()
    return first.lower() not in constants[0] and last.lower() not in constants[1]


@functools.cache
def _name_constants() -> tuple[frozenset[str], frozenset[str]]:
    from nameparser.config import CONSTANTS

    firsts = {*CONSTANTS.titles, *CONSTANTS.prefixes, *CONSTANTS.conjunctions}
    lasts = {
        *CONSTANTS.suffix_acronyms,
        *CONSTANTS.suffix_not_acronyms,
        *CONSTANTS.prefixes,
        *CONSTANTS.conjunctions,
    }
    return frozenset(firsts), frozenset(lasts)
