"""Text folded for comparing what people type: lower case, accents dropped.

SQLite's ``LIKE`` folds ASCII letters only, so contacts keep a folded copy of
their searchable text (``contacts.search_key``, ``accounts.search_key``) that a
search compares with the folded query.

Words looked up in a table (a lead source or industry a CRM map translates, a
report's header or status word, a footer phrase) are compared by
:func:`word_key`, and where even the spaces between words do not count
("Closed - Won" = "closedwon") by :func:`compact_key`.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent, but
# that people type without it all the same (Søren → soren, Łukasz → lukasz).
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
)
# A run of anything but letters and digits: one word break.
_BREAK = re.compile(r"[\W_]+")
# Separates the parts of a key so that a search never matches across two of them.
SEPARATOR = "\n"


def fold(text: str) -> str:
    """``text`` in lower case without accents, for comparing what people type.

    Folding is the same for a stored key and for a query, so ``Muller`` finds
    ``Müller`` and ``MÜLLER`` finds ``müller``.
    """
    if text.isascii():  # nearly every name: skip the Unicode tables
        return text.lower()
    # Compatibility forms may decompose to capitals (🄐 is "(A)"): fold after too.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped).translate(_UNDECOMPOSED)


def word_key(text: str) -> str:
    """``"Demo_Request "``, ``"demo-request"``, ``"DÉMO request"`` -> ``"demo request"``.

    Folded (:func:`fold`), every run of spaces, punctuation and underscores one space,
    none at the ends: how a word and the keys of the table it is looked up in compare.
    """
    return _BREAK.sub(" ", fold(text)).strip()


def compact_key(text: str) -> str:
    """:func:`word_key` without the spaces: ``"Closed - Won"`` -> ``"closedwon"``.

    For words a CRM writes both as a label and as an internal name (HubSpot's
    ``closedwon``, Salesforce's ``StageName`` for "Stage"), and headers.
    """
    return _BREAK.sub("", fold(text))


def contact_key(first_name: str | None, last_name: str | None, email: str | None) -> str:
    """The folded text a contact is found by: ``first last``, then the email."""
    # full_name's join, spelt out: an import computes a key for every row.
    if first_name:
        name = f"{first_name} {last_name}" if last_name else first_name
    else:
        name = last_name or ""
    text = f"{name}{SEPARATOR}{email or ''}"
    return fold(text)
