"""The qualification form for a meeting set: what the outside rep needs to know."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from prospector.tui.widgets.call_timer import TALK_EXPECTED, TalkTime
from prospector.tui.widgets.time_preview import TimePreview, WindowCheck

TEXT_FIELDS = ("budget", "authority", "need", "timeline", "note")


@dataclass(frozen=True)
class QualifyForm:
    """The answers, as the handoff service takes them (empty fields are None)."""

    amount: float | None
    meeting_at: datetime | None
    owner: str | None
    budget: str | None
    authority: str | None
    need: str | None
    timeline: str | None
    note: str | None
    talk: int | None = None  # talk time the rep typed over the timer's (None: kept)


class QualifyDialog(ModalScreen[QualifyForm | None]):
    """Dismisses with a :class:`QualifyForm`, or None when the rep goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save the handoff", id="qualify.save", priority=True),
        Binding("escape", "cancel", "Back to the lead", id="qualify.cancel"),
        # Handled here, before the field's own Enter, so that what is typed right
        # after Enter lands in the next field and not in this one.
        Binding("enter", "next_field", "Next field", id="qualify.next", priority=True, show=False),
        # Tab likewise, so typing straight on after Tab never lands in the field left.
        Binding("tab", "move(1)", "Next field", id="qualify.tab", priority=True, show=False),
        Binding(
            "shift+tab",
            "move(-1)",
            "Previous field",
            id="qualify.backtab",
            priority=True,
            show=False,
        ),
    ]

    def __init__(
        self,
        *,
        name: str,
        owners: list[str],
        suggested_owner: str | None,
        prospect_zone: ZoneInfo,
        rep_zone: ZoneInfo,
        now: Callable[[], datetime],
        window_check: WindowCheck | None = None,
        note: str = "",
        required: tuple[str, ...] = (),
        talk: int | None = None,
    ) -> None:
        super().__init__()
        self.contact_name = name
        self.talk = talk  # the timed call's seconds, to correct (None: no field)
        self.required = required  # the disposition's `requires` (settings): asked before saving
        self.owners = owners
        self.suggested_owner = suggested_owner
        self.first_note = note
        self._ready = False
        self._pending: tuple[str | None, str | None] | None = None
        self._invalid_field: str | None = None
        self.preview = TimePreview(
            prospect_zone=prospect_zone,
            rep_zone=rep_zone,
            now=now,
            window_check=window_check,
            id="qualify-preview",
        )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="qualify-box") as box:
            box.border_title = f"Meeting set: qualify {self.contact_name}"
            box.border_subtitle = "Enter/Tab next field · Ctrl+S saves · Esc back"
            with Grid(id="qualify-grid"):
                yield Label("Amount")
                yield Input(placeholder="estimated deal size", type="number", id="q-amount")
                yield Label("Meeting")
                yield Input(placeholder="thu 2pm (time words)", id="q-meeting")
                yield Label("")
                yield self.preview
                yield Label("Owner")
                yield Select(
                    [(owner, owner) for owner in self.owners],
                    value=self.suggested_owner or Select.NULL,
                    prompt="suggested by territory",
                    id="q-owner",
                )
                if self.talk is not None:
                    yield Label("Talk")
                    yield TalkTime(self.talk, id="q-talk")
                for field in TEXT_FIELDS:
                    yield Label(field.capitalize())
                    yield Input(
                        value=self.first_note if field == "note" else "",
                        placeholder=_PLACEHOLDERS[field],
                        id=f"q-{field}",
                    )
            # What stops the save, beside the fields rather than in a toast that fades.
            yield Static("", id="qualify-error")

    def on_mount(self) -> None:
        for widget in self.query(Input):
            widget.compact = True
        self.query_one("#q-owner", Select).compact = True
        self.preview.read("")
        self.set_focus(self.query_one("#q-amount", Input))
        self.call_after_refresh(self._now_ready)

    def _now_ready(self) -> None:
        self._ready = True
        if self._pending is not None:
            self.suggest(*self._pending)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "q-meeting":
            self.preview.read(event.value)
        if event.input.id == self._invalid_field:
            self.query_one("#qualify-error", Static).display = False

    def action_next_field(self) -> None:
        focused = self.focused
        if not isinstance(focused, Input):
            raise SkipAction()  # the owner list opens on Enter
        if focused.id == "q-note":
            self.action_save()
        else:
            self.set_focus(self._next_after(focused))

    def action_move(self, step: int) -> None:
        focused = self.focused
        if not isinstance(focused, Input | Select):
            raise SkipAction()  # e.g. inside the owner list's overlay
        self.set_focus(self._next_after(focused, step))

    def _next_after(self, widget: Input | Select, step: int = 1) -> Input | Select:
        chain = [w for w in self.focus_chain if isinstance(w, Input | Select)]
        return chain[(chain.index(widget) + step) % len(chain)]

    def suggest(self, owner: str | None, problem: str | None) -> None:
        """Show the suggested owner once it is known (unless the rep chose already)."""
        if not self._ready:
            self._pending = (owner, problem)  # the owner list is not built yet
            return
        select = self.query_one("#q-owner", Select)
        if owner is not None and select.value == Select.NULL:
            select.value = owner
        if problem:
            self.notify(problem, severity="warning")

    def action_save(self) -> None:
        form = self._form()
        if form is not None:
            self.dismiss(form)

    def _form(self) -> QualifyForm | None:
        values = {widget.id[2:]: widget.value.strip() for widget in self.query(Input) if widget.id}
        talk = None
        for talk_field in self.query(TalkTime):
            if talk_field.seconds is None:
                self._invalid("#q-talk", TALK_EXPECTED)
                return None
            talk = talk_field.typed
        amount: float | None = None
        if values["amount"]:
            try:
                amount = float(values["amount"])
            except ValueError:
                amount = -1
            if amount < 0:
                self._invalid("#q-amount", "Amount: a number of at least 0")
                return None
        meeting_at = None
        if values["meeting"]:
            meeting_at = self.preview.read(values["meeting"])
            if meeting_at is None:
                self._invalid("#q-meeting", f"Meeting: {self.preview.error}")
                return None
        owner = self.query_one("#q-owner", Select).value
        given = {**values, "owner": owner if isinstance(owner, str) else ""}
        for field in self.required:
            if not given.get(field):
                label = "Meeting time" if field == "meeting" else field.capitalize()
                self._invalid(f"#q-{field}", f"{label}: needed for this outcome")
                return None
        return QualifyForm(
            amount=amount,
            meeting_at=meeting_at,
            owner=owner if isinstance(owner, str) else None,
            **{field: values[field] or None for field in TEXT_FIELDS},
            talk=talk,
        )

    def _invalid(self, selector: str, message: str) -> None:
        error = self.query_one("#qualify-error", Static)
        error.update(message)
        error.display = True
        self._invalid_field = selector.removeprefix("#")
        self.set_focus(self.query_one(selector))

    def action_cancel(self) -> None:
        self.dismiss(None)


_PLACEHOLDERS = {
    "budget": "budget: approved? how much?",
    "authority": "who decides, who signs",
    "need": "the problem they want solved",
    "timeline": "when they want it",
    "note": "for the outside rep",
}
