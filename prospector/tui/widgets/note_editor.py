"""The note box: typed notes, kept as a draft while typing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import TextArea

DRAFT_DELAY = 0.3  # seconds of quiet typing before a draft is written

DraftWriter = Callable[[int, str], None]
"""Stores ``text`` as the draft note on contact ``contact_id``; called on any thread."""

DraftFence = Callable[[], None]
"""Run on a worker thread before a call is logged: no draft asked for earlier is written after."""


class NoteEditor(TextArea):
    """A text area bound to one contact that keeps what is typed as a draft.

    Drafts go through ``write_draft`` on a worker thread after every pause of
    :data:`DRAFT_DELAY` seconds and when the rep leaves the box; the screen asks
    for the rest with :meth:`save_unsaved` (leaving the lead) or :meth:`flush`
    (quitting). Posts :class:`DraftNotSaved` when a write fails.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Done typing", id="note.leave"),
    ]

    @dataclass
    class DraftSaved(Message):
        """The draft on ``contact_id`` reading ``text`` is in the database."""

        contact_id: int
        text: str

    @dataclass
    class DraftNotSaved(Message):
        """A draft could not be written; ``error`` says why."""

        error: str

    def __init__(self, *, write_draft: DraftWriter, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        self.contact_id: int | None = None
        self._write_draft = write_draft
        self._saved = ""
        self._timer: Timer | None = None
        # Saves run on worker threads: each gets a number, and one older than the last
        # written is dropped. One runs at a time and only the newest waits behind it,
        # so a write stuck on a slow or locked disk holds one worker thread, not the
        # pool the lead screen's jobs need.
        self._save_lock = threading.Lock()
        self._save_seq = 0
        self._save_written = 0
        self._saving = False
        self._waiting: tuple[int, int, str] | None = None

    def show_contact(self, contact_id: int | None, draft: str | None) -> None:
        """Switch to ``contact_id``'s note, starting from its saved draft."""
        self._cancel_timer()
        self.contact_id = contact_id
        self._saved = draft or ""
        self.load_text(self._saved)
        self.move_cursor(self.document.end)  # a restored draft is continued, not prefixed
        self.disabled = contact_id is None
        self.border_subtitle = "draft restored" if draft else ""

    def note_for_call(self) -> tuple[str, DraftFence]:
        """The note to log with a call, and the fence its worker runs first (:meth:`fence`)."""
        fence = self.fence()
        return self.text.strip(), fence

    def fence(self) -> DraftFence:
        """Stop the drafts asked for so far; returns the barrier to run before logging.

        A draft save may already be scheduled or writing on a worker when the call
        is logged, and the call's log deletes the draft: a save committing after it
        would bring the note back as "draft restored". So the save number moves on
        here (on this, the UI thread), and the barrier, run on the logging worker
        before it logs, waits for a save being written and marks the fence's number
        written: every earlier save has either committed (the log then deletes it)
        or is dropped. The UI thread never waits for the lock.
        """
        self._cancel_timer()
        self._save_seq += 1
        fenced = self._save_seq

        def barrier() -> None:
            with self._save_lock:
                self._save_written = max(self._save_written, fenced)

        return barrier

    def save_unsaved(self) -> None:
        """Write what is typed and not yet saved, on a worker (the lead is being left)."""
        pending = self._unsaved()
        if pending is not None:
            self._save(*pending)

    def flush(self) -> None:
        """Write what is typed and not yet saved, now, on this thread (the app is quitting)."""
        pending = self._unsaved()
        if pending is None:
            return
        with self._save_lock:
            self._save_written = self._save_seq = self._save_seq + 1
            self._write_draft(*pending)

    def _unsaved(self) -> tuple[int, str] | None:
        """The contact and the text typed since its last draft was written, if any."""
        self._cancel_timer()
        if self.contact_id is None or self.text == self._saved:
            return None
        return self.contact_id, self.text

    def _save(self, contact_id: int, text: str) -> None:
        self._save_seq += 1
        if self._saving:
            self._waiting = (self._save_seq, contact_id, text)
            return
        self._saving = True
        self._save_worker(self._save_seq, contact_id, text)

    class SaveEnded(Message):
        """A save worker is done (written, dropped or failed): the next may start."""

    def on_note_editor_save_ended(self, message: SaveEnded) -> None:
        message.stop()
        self._saving = False
        if self._waiting is not None:
            seq, contact_id, text = self._waiting
            self._waiting = None
            self._saving = True
            self._save_worker(seq, contact_id, text)

    @work(thread=True, group="drafts", exit_on_error=False)
    def _save_worker(self, seq: int, contact_id: int, text: str) -> None:
        try:
            with self._save_lock:
                if seq >= self._save_written:  # else a newer text is already written
                    self._write_draft(contact_id, text)
                    self._save_written = seq
                    self.post_message(self.DraftSaved(contact_id, text))
        except Exception as error:
            self.post_message(self.DraftNotSaved(str(error)))
        finally:
            self.post_message(self.SaveEnded())

    def on_note_editor_draft_saved(self, message: DraftSaved) -> None:
        if message.contact_id == self.contact_id:
            self._saved = message.text
            self.border_subtitle = "draft saved"

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.contact_id is None or self.text == self._saved:
            return
        self.border_subtitle = "typing…"
        self._cancel_timer()
        self._timer = self.set_timer(DRAFT_DELAY, self._save_typed)

    def _save_typed(self) -> None:
        self._timer = None
        if self.contact_id is not None and self.text != self._saved:
            self._save(self.contact_id, self.text)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def action_leave(self) -> None:
        """Give the keys back to the lead screen (digits log outcomes again)."""
        self._cancel_timer()
        self._save_typed()
        self.screen.set_focus(None)
