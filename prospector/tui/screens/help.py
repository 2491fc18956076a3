"""``?`` / F1: every key of the screen underneath, with what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from prospector.tui.keys import screen_actions

TIPS = (
    "The note box takes typing after [b]e[/b] (or Tab); [b]Esc[/b] leaves it and the "
    "digit keys log outcomes again. Notes are saved as drafts while you type."
)


class HelpScreen(ModalScreen[None]):
    """Lists every bound action of ``under`` and of the app, grouped."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "Esc closes · Ctrl+P finds any action by name"
            yield Static(self._table(), id="help-table")
            yield Static(Text.from_markup(TIPS), id="help-tips")

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        group = None
        for action in screen_actions(self.under, self.app):
            if action.group != group:
                if group is not None:
                    table.add_row("", "")
                table.add_row(Text(action.group, style="underline"), "")
                group = action.group
            table.add_row(action.keys, action.description)
        return table
