"""Why the rep pauses (``p``): one digit key per ``[[pause_codes]]`` entry."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from prospector.services.settings import PauseCode


class PauseCodeDialog(ModalScreen[str | None]):
    """Dismisses with the chosen pause code, or None when the rep goes back to work."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back to work", id="pause.cancel"),
    ]

    def __init__(self, codes: tuple[PauseCode, ...]) -> None:
        super().__init__()
        self.codes = codes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Pause"
            yield Static(
                "Why? Press its number. Your lead goes back to the queue untouched.",
                classes="dialog-text",
            )
            yield OptionList(
                *(
                    Option(f"{n}  {code.label}" + _limit(code), id=code.code)
                    for n, code in enumerate(self.codes, start=1)
                ),
                id="pause-codes",
            )

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.codes):
                event.stop()
                self.dismiss(self.codes[index].code)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _limit(code: PauseCode) -> str:
    return f" (up to {code.max_minutes} min)" if code.max_minutes else ""
