"""Everything the lead screen shows of a :class:`Desk`, between its header and footer."""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import Static

from prospector.services.today import TodayProgress
from prospector.tui.desk import Desk
from prospector.tui.widgets.call_timer import CallTimer
from prospector.tui.widgets.history import HistoryView
from prospector.tui.widgets.lead_card import LeadCard
from prospector.tui.widgets.note_editor import DraftWriter, NoteEditor
from prospector.tui.widgets.queue_preview import QueuePreview
from prospector.tui.widgets.script_pane import ScriptPane
from prospector.tui.widgets.today_strip import TodayStrip

EMPTY_QUEUE = "Nothing to call right now.\nThe queue is checked again every minute; g checks now."


def empty_text(desk: Desk) -> str:
    """The empty desk: when the next contact becomes callable, and why."""
    upcoming = desk.next_callable
    if upcoming is None:
        return EMPTY_QUEUE
    if upcoming.at is None:
        return f"Nothing to call: {upcoming.text}."
    head, _, rest = EMPTY_QUEUE.partition("\n")
    return f"{head}\nNext callable: {upcoming.text}.\n{rest}"


class DeskView(Vertical):
    """Today's counts, a banner for a lead dialed and never logged, the lead's card,
    history and note on the left, and what comes next on the right.
    """

    def __init__(self, *, write_draft: DraftWriter, id: str | None = None) -> None:
        super().__init__(id=id)
        self._write_draft = write_draft

    def compose(self) -> ComposeResult:
        yield TodayStrip(id="today")
        yield Static("", id="banner")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield LeadCard(id="card")
                yield CallTimer(id="call-timer")
                yield HistoryView(id="history")
                note = NoteEditor(write_draft=self._write_draft, id="note")
                note.border_title = "Note (e to type, Esc when done)"
                yield note
            yield ScriptPane(id="script")
            with Vertical(id="right"):
                yield QueuePreview(id="preview")

    def show_waiting(self, now: datetime) -> None:
        """Before the first desk is read: say a lead is being found."""
        self.query_one(LeadCard).show(None, now, "Finding your next lead…", rep_zone=None)
        self.query_one(NoteEditor).show_contact(None, None)

    def show(self, desk: Desk, now: datetime, *, narrow: bool) -> None:
        """Show ``desk`` as of ``now`` (short labels when ``narrow``)."""
        lead = desk.lead
        self.query_one(LeadCard).show(lead, now, empty_text(desk), rep_zone=desk.settings.team.zone)
        self.query_one(QueuePreview).show(list(desk.upcoming))
        self.show_today(desk.today, narrow=narrow)
        note = self.query_one(NoteEditor)
        banner = self.query_one("#banner", Static)
        if lead is None:
            note.show_contact(None, None)
            banner.remove_class("-shown")
            return
        self.query_one(HistoryView).show(
            lead.card.history, desk.settings.team.zone, dialled=lead.card.phone
        )
        note.show_contact(lead.card.contact_id, lead.draft)
        if lead.recovered:
            banner.update(
                f"You dialed {lead.card.name} earlier and never logged what happened."
                " Press the outcome key now (? lists them)."
            )
        banner.set_class(lead.recovered, "-shown")
        # The colleagues take the card's spare rows, counted once the banner is laid out.
        self.call_after_refresh(self.query_one(LeadCard).refit)

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(self.query_one(LeadCard).refit)

    def show_paused(self) -> None:
        """The rep paused: no lead, no note, nothing up next (the card says why)."""
        self.query_one(QueuePreview).show([])
        self.query_one(NoteEditor).show_contact(None, None)
        self.query_one("#banner", Static).remove_class("-shown")

    def show_today(self, today: TodayProgress, *, narrow: bool) -> None:
        """The day's counts against the goal (short labels when ``narrow``)."""
        self.query_one(TodayStrip).show(today, narrow=narrow)

    def tick(self, now: datetime, zone: tzinfo | None) -> None:
        """Move local times and countdowns on to ``now``; the clock too once ``zone`` is known."""
        self.query_one(LeadCard).tick(now)
        if zone is not None:
            self.query_one(TodayStrip).show_clock(f"{now.astimezone(zone):%a %d %b %H:%M %Z}")
