"""People's names as shown and exported."""

from __future__ import annotations


def full_name(first: str | None, last: str | None) -> str:
    """First and last name joined, skipping the missing one ('' when both are)."""
    return " ".join(part for part in (first, last) if part)
