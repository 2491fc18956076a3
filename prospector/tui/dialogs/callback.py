"""Callback entry: when (time words, previewed in both zones) and for whom."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Literal
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from prospector.tui.widgets.call_timer import TALK_EXPECTED, TalkTime
from prospector.tui.widgets.time_preview import TimePreview, WindowCheck


@dataclass(frozen=True)
class CallbackChoice:
    """The agreed callback: the instant, who may take it, and the words typed."""

    at: datetime
    scope: Literal["mine", "anyone"]
    words: str
    talk: int | None = None  # talk time the rep typed over the timer's (None: kept)


class CallbackDialog(ModalScreen[CallbackChoice | None]):
    """Dismisses with a :class:`CallbackChoice`, or None when the rep goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back to the lead", id="callback.cancel"),
        Binding("ctrl+t", "toggle_scope", "Mine / anyone", id="callback.scope"),
    ]

    def __init__(
        self,
        *,
        name: str,
        prospect_zone: ZoneInfo,
        rep_zone: ZoneInfo,
        now: Callable[[], datetime],
        window_check: WindowCheck | None,
        talk: int | None = None,
    ) -> None:
        super().__init__()
        self.contact_name = name
        self.talk = talk  # the timed call's seconds, to correct (None: no field)
        self.preview = TimePreview(
            prospect_zone=prospect_zone,
            rep_zone=rep_zone,
            now=now,
            window_check=window_check,
            id="callback-preview",
        )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = f"Callback with {self.contact_name}"
            box.border_subtitle = "Enter saves · Ctrl+T mine/anyone · Esc back"
            yield Static("When? In the prospect's time unless you name a zone.")
            yield Input(placeholder="tomorrow 3pm", id="callback-when")
            yield self.preview
            with RadioSet(id="callback-scope"):
                yield RadioButton("mine", value=True, id="scope-mine")
                yield RadioButton("anyone", id="scope-anyone")
            if self.talk is not None:
                yield Static("Talk time, from the call's timer (m:ss):")
                yield TalkTime(self.talk, id="callback-talk")

    def on_mount(self) -> None:
        self.preview.read("")
        self.set_focus(self.query_one("#callback-when", Input))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "callback-when":
            self.preview.read(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        words = self.query_one("#callback-when", Input).value
        instant = self.preview.read(words)
        if instant is None:
            self.notify(self.preview.error or "Type when to call back", severity="warning")
            return
        talk = None
        for field in self.query(TalkTime):
            if field.seconds is None:
                self.notify(TALK_EXPECTED, severity="error")
                self.set_focus(field)
                return
            talk = field.typed
        self.dismiss(CallbackChoice(instant, self.scope, words.strip(), talk))

    @property
    def scope(self) -> Literal["mine", "anyone"]:
        anyone = self.query_one("#scope-anyone", RadioButton).value
        return "anyone" if anyone else "mine"

    def action_toggle_scope(self) -> None:
        target = "#scope-mine" if self.scope == "anyone" else "#scope-anyone"
        self.query_one(target, RadioButton).value = True

    def action_cancel(self) -> None:
        self.dismiss(None)
