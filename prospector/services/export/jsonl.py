"""JSON Lines: one payload per line, canonical JSON (sorted keys), UTF-8.

No formula neutralization: JSON is not opened by spreadsheets, and a consumer
deserves the text as it was typed.
"""

from __future__ import annotations

from prospector.services.export.payloads import Payload, dump

SUFFIXES = (".jsonl",)
"""The file names this format writes end so (after ``prospector-batch-N-<format>``)."""


def render(payloads: list[Payload]) -> list[tuple[str, bytes]]:
    """The one file: ``.jsonl``."""
    return [(SUFFIXES[0], "".join(dump(p) + "\n" for p in payloads).encode("utf-8"))]
