"""Earlier calls with this contact, newest first, with their notes."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from prospector.foundations.wording import counted
from prospector.services.contacts import CallRecord, national_format
from prospector.tui.widgets.call_timer import clock_text


class HistoryView(VerticalScroll, can_focus=True):
    """A scrollable list of calls: when (rep's time), who, outcome, the number when it
    was not the one dialled now, note."""

    def compose(self) -> ComposeResult:
        yield Static("", id="history-lines")

    def show(
        self, history: tuple[CallRecord, ...], rep_zone: ZoneInfo, dialled: str | None = None
    ) -> None:
        """Render ``history`` (newest first) with times in ``rep_zone``; a call made on
        another number than ``dialled`` says which."""
        self.border_title = f"History ({counted(len(history), 'call')})" if history else "History"
        body = self.query_one("#history-lines", Static)
        if not history:
            body.update(Text("No earlier calls.", style="dim"))
            return
        entries: list[Text] = []
        for call in history:
            line = Text(f"{call.at.astimezone(rep_zone):%a %d %b %H:%M}  ", style="dim")
            line.append(call.disposition.replace("_", " "), style="bold")
            line.append(f"  attempt {call.attempt} · {call.rep}", style="dim")
            if call.phone and dialled and call.phone != dialled:
                line.append(f" · on {national_format(call.phone)}", style="dim")
            if call.callback_at is not None:
                line.append(f" · callback {call.callback_at.astimezone(rep_zone):%a %H:%M}")
            if call.duration_seconds:
                line.append(f" · talk {clock_text(call.duration_seconds)}", style="dim")
            if call.recording_url:
                line.append(" · ", style="dim")
                line.append("recording", style=Style(link=call.recording_url, underline=True))
            entries.append(line)
            if call.note:
                entries.append(Text(f"  {call.note}"))
        body.update(Group(*entries))
        self.scroll_home(animate=False)
