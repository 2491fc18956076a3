"""The ranges a number typed by a user must fall in before it reaches SQLite.

SQLite integers are 64-bit and Python's are not: a 20-digit id would raise
``OverflowError`` deep inside a query, and a huge talk time would overflow a sum
in a report. Interfaces check these bounds as they read input, and services check
them again, so no caller can store a value a later read cannot add up.
"""

from __future__ import annotations

import re

from prospector.foundations.errors import ProspectorError

MAX_ID = 2**63 - 1
"""The largest SQLite rowid: every id (contact, handoff, batch) is 1..MAX_ID."""

MAX_CALL_SECONDS = 24 * 60 * 60
"""A call's talk time is at most a day. Summed over a team's calls it stays far
below the 64-bit limit, so report totals cannot overflow."""

MAX_WEBHOOK_TIMEOUT = 300.0
"""Seconds a webhook request may wait for an answer (more than 0)."""

MAX_WEBHOOK_ATTEMPTS = 20
"""Tries per handoff (at least 1); back-off grows between them, so 20 is minutes."""

MAX_CENTS = 10**15
"""An amount in cents is below this: a trillion in any currency; beyond that it is a typo."""

MAX_REP_NAME = 100
"""Characters in a rep's name."""

ID_RANGE = f"a whole number from 1 to {MAX_ID}"

_DIGITS = re.compile(r"[0-9]+")


def parse_id(text: str) -> int | None:
    """``text`` as an id (ASCII digits, 1..:data:`MAX_ID`), else None."""
    cleaned = text.strip()
    # The length check first: int() of thousands of digits is slow, then refused.
    if not _DIGITS.fullmatch(cleaned) or len(cleaned.lstrip("0")) > len(str(MAX_ID)):
        return None
    value = int(cleaned)
    return value if 1 <= value <= MAX_ID else None


def check_call_seconds(seconds: int) -> int:
    """``seconds`` when it is a call's talk time (0..:data:`MAX_CALL_SECONDS`).

    Raises:
        ProspectorError: negative or longer than a day.
    """
    if not 0 <= seconds <= MAX_CALL_SECONDS:
        raise ProspectorError(
            f"duration {seconds}: expected talk time in seconds, 0 to {MAX_CALL_SECONDS} (a day)"
        )
    return seconds


def check_region(code: str, what: str = "region") -> str:
    """``code`` upper-cased when phonenumbers knows it as a country (``US``, ``GB``).

    Raises:
        ProspectorError: any other text, named as ``what``.
    """
    import phonenumbers  # loaded only by the commands that read phone numbers

    region = code.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ProspectorError(
            f"{what} {code[:20]!r}: not a country code for phone numbers"
            " (expected two letters such as US, CA, GB or DE)"
        )
    return region


def check_rep_name(name: str) -> str:
    """A rep's name as typed (``--rep``), without surrounding blanks.

    Raises:
        ProspectorError: empty, longer than :data:`MAX_REP_NAME`, or holding
            control characters (it is printed in reports and exported files).
    """
    cleaned = name.strip()
    if (
        not cleaned
        or len(cleaned) > MAX_REP_NAME
        or any(ord(char) < 32 or ord(char) == 127 for char in cleaned)
    ):
        raise ProspectorError(
            f"rep {name[:40]!r}: expected a name of 1 to {MAX_REP_NAME} characters"
            " without control characters"
        )
    return cleaned
