"""The rep's day at a glance: dials, connects, conversations, meetings against the goal."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from prospector.services.today import TodayProgress


class TodayStrip(Horizontal):
    """One line: each count against the rep's own daily goal (green once met), and the time."""

    def compose(self) -> ComposeResult:
        yield Static("Today", id="today-counts")
        yield Static("", id="today-clock")

    def show(self, progress: TodayProgress, *, narrow: bool = False) -> None:
        """Render the counts of ``progress`` (short labels when ``narrow``)."""
        goal = progress.goal
        line = Text("Today", style="bold")
        for label, short, count, target in (
            ("dials", "dials", progress.dials, goal.dials),
            ("connects", "conn", progress.connects, goal.connects),
            ("conversations", "conv", progress.conversations, goal.conversations),
            ("meetings", "mtgs", progress.meetings, goal.meetings),
        ):
            label = short if narrow else label
            met = target > 0 and count >= target
            line.append(f"  {label} ")
            line.append(f"{count}/{target}", style="bold green" if met else "bold")
        self.query_one("#today-counts", Static).update(line)

    def show_clock(self, text: str) -> None:
        """The rep's current time (the right end of the strip)."""
        self.query_one("#today-clock", Static).update(text)
