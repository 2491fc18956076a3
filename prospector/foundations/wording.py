"""Small words shown to people: counts with their noun."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``1 call``, ``2 calls``, ``0 calls`` (``plural`` when not ``noun`` + "s")."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
