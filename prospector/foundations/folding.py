"""Text folded for search: lower case, accents dropped (``Müller`` → ``muller``).

SQLite's ``LIKE`` folds ASCII letters only, so contacts keep a folded copy of
their searchable text (``contacts.search_key``, ``accounts.search_key``) that a
search compares with the folded query.
"""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent, but
# that people type without it all the same (Søren → soren, Łukasz → lukasz).
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
)
# Separates the parts of a key so that a search never matches across two of them.
SEPARATOR = "\n"


def fold(text: str) -> str:
    """``text`` in lower case without accents, for comparing what people type.

    Folding is the same for a stored key and for a query, so ``Muller`` finds
    ``Müller`` and ``MÜLLER`` finds ``müller``.
    """
    if text.isascii():  # nearly every name: skip the Unicode tables
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped).translate(_UNDECOMPOSED)


def contact_key(first_name: str | None, last_name: str | None, email: str | None) -> str:
    """The folded text a contact is found by: ``first last``, then the email."""
    # full_name's join, spelt out: an import computes a key for every row.
    if first_name:
        name = f"{first_name} {last_name}" if last_name else first_name
    else:
        name = last_name or ""
    text = f"{name}{SEPARATOR}{email or ''}"
    return text.lower() if text.isascii() else fold(text)
