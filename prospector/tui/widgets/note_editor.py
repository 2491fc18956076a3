"""The note box: typed notes, saved as a draft while typing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import TextArea

DRAFT_DELAY = 0.3  # seconds of quiet typing before a draft is written


class NoteEditor(TextArea):
    """A text area bound to one contact; posts :class:`DraftChanged` as the rep types.

    Writes are debounced (every pause of :data:`DRAFT_DELAY` seconds); whoever
    quits calls :meth:`unsaved` to write what the last pause has not.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Done typing", id="note.leave"),
    ]

    @dataclass
    class DraftChanged(Message):
        """The note for ``contact_id`` now reads ``text`` (save it as a draft)."""

        contact_id: int
        text: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        self.contact_id: int | None = None
        self._saved = ""
        self._timer: Timer | None = None

    def show_contact(self, contact_id: int | None, draft: str | None) -> None:
        """Switch to ``contact_id``'s note, starting from its saved draft."""
        self._cancel_timer()
        self.contact_id = contact_id
        self._saved = draft or ""
        self.load_text(self._saved)
        self.move_cursor(self.document.end)  # a restored draft is continued, not prefixed
        self.disabled = contact_id is None
        self.border_subtitle = "draft restored" if draft else ""

    def mark_saved(self, contact_id: int, text: str) -> None:
        """The draft ``text`` is in the database (no need to write it again)."""
        if contact_id == self.contact_id:
            self._saved = text
            self.border_subtitle = "draft saved"

    def unsaved(self) -> DraftChanged | None:
        """The text typed since the last draft was written, if any."""
        self._cancel_timer()
        if self.contact_id is None or self.text == self._saved:
            return None
        return self.DraftChanged(self.contact_id, self.text)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.contact_id is None or self.text == self._saved:
            return
        self.border_subtitle = "typing…"
        self._cancel_timer()
        self._timer = self.set_timer(DRAFT_DELAY, self._post_draft)

    def _post_draft(self) -> None:
        self._timer = None
        if self.contact_id is not None and self.text != self._saved:
            self.post_message(self.DraftChanged(self.contact_id, self.text))

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def action_leave(self) -> None:
        """Give the keys back to the lead screen (digits log outcomes again)."""
        self._cancel_timer()
        self._post_draft()
        self.screen.set_focus(None)
