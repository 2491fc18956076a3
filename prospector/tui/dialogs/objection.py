"""``o``: which objection the prospect raised, picked by its key from the team's catalog."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from prospector.services.settings.model import Objection


class ObjectionDialog(ModalScreen[Objection | None]):
    """Lists the objections by key; dismisses with the one whose key is pressed, or
    None on Esc (any other key rings the bell)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back to the lead", id="objection.cancel"),
    ]

    def __init__(self, objections: tuple[Objection, ...], tagged: tuple[str, ...]) -> None:
        super().__init__()
        self.objections = objections
        self.tagged = tagged

    def compose(self) -> ComposeResult:
        lines = []
        for objection in self.objections:
            line = Text.assemble((f" {objection.key} ", "bold reverse"), f" {objection.label}")
            if objection.label in self.tagged:
                line.append("  (tagged)", style="dim")
            lines.append(line)
        with Vertical(classes="dialog", id="objection-box") as box:
            box.border_title = "Objection"
            yield Static(
                "The prospect said… press its key (Esc: back to the lead).",
                classes="dialog-text",
            )
            yield Static(Text("\n").join(lines), id="objection-keys")

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            return  # the binding's
        event.stop()
        event.prevent_default()
        chosen = next((o for o in self.objections if o.key == event.character), None)
        if chosen is None:
            self.app.bell()
        else:
            self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
