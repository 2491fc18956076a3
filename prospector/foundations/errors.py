"""Errors a user can cause and fix.

Interfaces print ``str(error)`` as one line and exit 1; anything else is a bug.
"""


class ProspectorError(Exception):
    """A user's mistake or an unusable input, explained in one line."""


class DatabaseError(ProspectorError):
    """The database file cannot be used (not ours, too new, unreadable)."""


class SettingsError(ProspectorError):
    """A settings file or value that does not validate."""


class InputFileError(ProspectorError):
    """An input file that cannot be read as a list."""


class NotFoundError(ProspectorError):
    """A contact, handoff or batch id that does not exist."""


class ClaimError(ProspectorError):
    """A contact held by another rep, or not claimable."""


class TimeWordsError(ProspectorError):
    """Text that is not a time."""
