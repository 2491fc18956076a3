"""Why a lead is skipped (``n``): the claim is released with this reason."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

REASONS = (
    "not now",
    "needs research first",
    "duplicate of another contact",
    "unsure of the prospect's time zone",
)


class SkipReasonDialog(ModalScreen[str | None]):
    """Dismisses with the reason text, or None when the rep goes back to the lead."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back to the lead", id="skip.cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Skip this lead"
            yield Static("Why? Pick a reason, or type one and press Enter.", classes="dialog-text")
            yield OptionList(*REASONS, id="skip-reasons")
            yield Input(placeholder="another reason", id="skip-other")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.prompt))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        if reason:
            self.dismiss(reason)
        else:
            self.notify("Type a reason, or pick one above", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)
