"""Confirm before a number goes on the do-not-call list (it is never called again)."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmDncDialog(ModalScreen[bool]):
    """Dismisses with True (add to DNC) or False (keep the lead as it is)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes, do not call", id="dnc.yes"),
        Binding("n,escape", "answer(False)", "No, go back", id="dnc.no"),
    ]

    def __init__(self, name: str, phone: str) -> None:
        super().__init__()
        self.contact_name = name
        self.phone = phone

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Do not call"
            yield Static(
                f"Add [b]{escape(self.phone)}[/b] ({escape(self.contact_name)})"
                " to the do-not-call list?\n"
                "The number is closed for good and never offered again.",
                classes="dialog-text",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Yes, do not call (y)", id="yes", variant="error")
                yield Button("No (n)", id="no", variant="default")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#no", Button))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
