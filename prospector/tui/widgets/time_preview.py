"""Time words read back as the rep types them: in the prospect's zone and the rep's.

Reading time words is pure computation (no database), so it runs on every
keystroke on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Static

from prospector.foundations.errors import TimeWordsError
from prospector.foundations.timewords import resolve_time_words

WindowCheck = Callable[[datetime], str | None]
"""Given an instant, a warning when it is outside the prospect's calling window."""


def describe(instant: datetime, zone: ZoneInfo) -> str:
    """``Tue 24 Nov 10:00 EST`` in ``zone``."""
    return instant.astimezone(zone).strftime("%a %d %b %H:%M %Z")


class TimePreview(Static):
    """Shows what the typed words mean; :attr:`instant` is None until they mean a time."""

    def __init__(
        self,
        *,
        prospect_zone: ZoneInfo,
        rep_zone: ZoneInfo,
        now: Callable[[], datetime],
        window_check: WindowCheck | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__("", id=id, classes="time-preview")
        self.prospect_zone = prospect_zone
        self.rep_zone = rep_zone
        self.now = now
        self.window_check = window_check
        self.instant: datetime | None = None
        self.error: str | None = None

    def read(self, words: str) -> datetime | None:
        """Read ``words``; render the preview; return the instant (None: not a time)."""
        self.instant, self.error = None, None
        if not words.strip():
            self.update(Text("Type a time: tomorrow 3pm, tue 10am, in 2 hours", style="dim"))
            return None
        try:
            self.instant = resolve_time_words(words, zone=self.prospect_zone, now=self.now())
        except TimeWordsError as error:
            self.error = str(error)
            self.update(Text(self.error, style="bold red"))
            return None
        lines = Text()
        lines.append("Prospect ", style="dim")
        lines.append(describe(self.instant, self.prospect_zone), style="bold")
        lines.append(f"  ({self.prospect_zone.key})\n", style="dim")
        lines.append("You      ", style="dim")
        lines.append(describe(self.instant, self.rep_zone), style="bold")
        if self.instant <= self.now():
            lines.append("\n⚠ that time has already passed", style="bold yellow")
        elif self.window_check is not None and (warning := self.window_check(self.instant)):
            lines.append(f"\n⚠ {warning}", style="bold yellow")
        self.update(lines)
        return self.instant
