"""The lead screen: the claimed lead, one key per outcome, notes, what comes next."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from prospector.foundations.errors import ProspectorError
from prospector.services import claims, drafts
from prospector.services.calls import LoggedCall
from prospector.services.contacts import ContactCard
from prospector.services.settings import Disposition, Settings
from prospector.services.windows import Locale, is_open
from prospector.tui import desk
from prospector.tui.desk import Desk
from prospector.tui.widgets.history import HistoryView
from prospector.tui.widgets.key_footer import KeyFooter
from prospector.tui.widgets.lead_card import LeadCard
from prospector.tui.widgets.note_editor import NoteEditor
from prospector.tui.widgets.queue_preview import QueuePreview
from prospector.tui.widgets.today_strip import TodayStrip

if TYPE_CHECKING:
    from prospector.tui.app import ProspectorApp
    from prospector.tui.dialogs.qualify import QualifyDialog

EMPTY_QUEUE = "Nothing to call right now.\nThe queue is checked again every minute; g checks now."
TICK_SECONDS = 15  # local times and SLA countdowns move on screen this often
EMPTY_POLL_SECONDS = 60
NARROW_WIDTH = 100


class LeadScreen(Screen[None]):
    """Shows the claimed lead and turns keys into calls logged, skips and dials."""

    KEY_GROUP = "Lead"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "dialed", "Dialed", id="lead.dialed", tooltip="Mark the dial as started"),
        Binding("n", "skip", "Skip", id="lead.skip", tooltip="Release this lead with a reason"),
        Binding("e", "edit_note", "Note", id="lead.note", tooltip="Type in the note box"),
        Binding("slash", "search", "Search", id="lead.search", tooltip="Find a contact"),
        Binding("r", "reports", "Reports", id="lead.reports", tooltip="The team dashboard"),
        Binding("g", "refresh", "Next/refresh", id="lead.refresh", show=False),
    ]

    # --- messages: what the workers found out ---------------------------------------

    @dataclass
    class LeadClaimed(Message):
        """A lead was claimed (or none is callable: ``desk.lead`` is None)."""

        desk: Desk

    @dataclass
    class CallLogged(Message):
        """A call was logged on ``name``."""

        logged: LoggedCall
        name: str
        label: str

    @dataclass
    class HandoffCreated(Message):
        """A qualified lead was handed to ``owner`` (handoff ``handoff_id``)."""

        handoff_id: int
        name: str
        owner: str

    @dataclass
    class OwnerSuggested(Message):
        """The outside reps for the qualification form, and the suggested one."""

        choice: desk.OwnerChoice
        dialog: QualifyDialog

    @dataclass
    class LeadSkipped(Message):
        name: str
        reason: str

    @dataclass
    class DialStarted(Message):
        card: ContactCard

    @dataclass
    class ClaimLost(Message):
        contact_id: int
        why: str

    @dataclass
    class ActionFailed(Message):
        """A worker could not do what was asked; ``text`` is for the rep."""

        text: str

    # --- setup ------------------------------------------------------------------------

    def __init__(self) -> None:
        super().__init__()
        self.desk: Desk | None = None
        self.settings: Settings | None = None
        self.busy = False
        self._keys_installed = False

    @property
    def workbench(self) -> ProspectorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield TodayStrip(id="today")
        yield Static("", id="banner")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield LeadCard(id="card")
                yield HistoryView(id="history")
                note = NoteEditor(write_draft=self._write_draft, id="note")
                note.border_title = "Note (e to type, Esc when done)"
                yield note
            with Vertical(id="right"):
                yield QueuePreview(id="preview")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(LeadCard).show(None, self.workbench.clock(), "Finding your next lead…")
        self.query_one(NoteEditor).show_contact(None, None)
        self.set_interval(TICK_SECONDS, self._tick)
        self._start()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")
        if self.desk is not None:
            self.query_one(TodayStrip).show(self.desk.today, narrow=self.has_class("-narrow"))

    # --- workers ----------------------------------------------------------------------

    def _run(self, job: Callable[[], Message | list[Message] | None]) -> None:
        """Run ``job`` on a worker thread; post what it returns; turn errors into messages."""
        self._worker(job)

    @work(thread=True, group="lead", exit_on_error=False)
    def _worker(self, job: Callable[[], Message | list[Message] | None]) -> None:
        try:
            result = job()
        except ProspectorError as error:
            self.post_message(self.ActionFailed(str(error)))
            return
        except Exception as error:  # a bug must not freeze the desk: report, log, go on
            self.log.error(f"workbench worker failed: {error!r}")
            self.post_message(self.ActionFailed(f"unexpected error: {error!r}"))
            raise
        for message in result if isinstance(result, list) else [result]:
            if message is not None:
                self.post_message(message)

    def _db(self):
        return self.workbench.database()

    def _start(self) -> None:
        self.busy = True
        app = self.workbench
        self._run(lambda: self.LeadClaimed(desk.start(self._db(), rep=app.rep, now=app.clock())))

    def _next(self) -> None:
        self.busy = True
        app = self.workbench
        self._run(
            lambda: self.LeadClaimed(desk.next_lead(self._db(), rep=app.rep, now=app.clock()))
        )

    # --- rendering --------------------------------------------------------------------

    def on_lead_screen_lead_claimed(self, message: LeadClaimed) -> None:
        self.busy = False
        had_lead = self.desk is not None and self.desk.lead is not None
        self.desk = message.desk
        first_keys = self._install_disposition_keys(message.desk.settings)
        now = self.workbench.clock()
        lead = message.desk.lead
        self.set_class(lead is None, "-empty")
        self.query_one(LeadCard).show(lead, now, EMPTY_QUEUE)
        self.query_one(QueuePreview).show(list(message.desk.upcoming))
        self.query_one(TodayStrip).show(message.desk.today, narrow=self.has_class("-narrow"))
        note = self.query_one(NoteEditor)
        banner = self.query_one("#banner", Static)
        if lead is None:
            note.show_contact(None, None)
            banner.remove_class("-shown")
            self._schedule_poll()
        else:
            self.query_one(HistoryView).show(lead.card.history, message.desk.settings.team.zone)
            note.show_contact(lead.card.contact_id, lead.draft)
            if lead.recovered:
                banner.update(
                    f"You dialed {lead.card.name} earlier and never logged what happened."
                    " Press the outcome key now (? lists them)."
                )
                banner.add_class("-shown")
            else:
                banner.remove_class("-shown")
        self._tick()
        if first_keys or had_lead != (lead is not None):
            self.refresh_bindings()  # the footer is rebuilt only when what it shows changes

    def _tick(self) -> None:
        now = self.workbench.clock()
        self.query_one(LeadCard).tick(now)
        if self.settings is not None:
            zone = self.settings.team.zone
            self.query_one(TodayStrip).show_clock(f"{now.astimezone(zone):%a %d %b %H:%M %Z}")

    def _schedule_poll(self) -> None:
        def poll() -> None:
            if self.desk is not None and self.desk.lead is None and not self.busy:
                self._next()

        self.set_timer(EMPTY_POLL_SECONDS, poll)

    def _install_disposition_keys(self, settings: Settings) -> bool:
        """Bind 0-9 to the settings catalog (labels in the footer, help and palette).

        Returns True the first time (when the keys were installed).
        """
        self.settings = settings
        if self._keys_installed:
            return False
        self._keys_installed = True
        self.set_interval(settings.calling.lease_minutes * 60 / 3, self._renew)
        ordered = sorted(settings.dispositions, key=lambda d: (d.key == "0", d.key))
        # Bindings made at run time live in the screen's bindings map (the class's
        # BINDINGS are fixed when the class is made; the catalog is the team's).
        keymap = self._bindings.key_to_bindings
        for disposition in ordered:
            keymap[disposition.key] = [
                Binding(
                    disposition.key,
                    f"disposition('{disposition.code}')",
                    disposition.label,
                    id=f"lead.disposition.{disposition.code}",
                    tooltip=f"Log {disposition.label} ({disposition.counts_as})",
                )
            ]
        # The outcome keys come first in the footer, in key order.
        for key in list(keymap):
            if not key.isdigit():
                keymap[key] = keymap.pop(key)
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("disposition", "dialed", "skip", "edit_note"):
            # Shown dimmed (not hidden) while there is no lead, so the footer stays put.
            return (self.desk is not None and self.desk.lead is not None) or None
        return True

    # --- actions ----------------------------------------------------------------------

    def _lead_ready(self) -> bool:
        if self.busy:
            self.app.bell()
            return False
        return self.desk is not None and self.desk.lead is not None

    def action_disposition(self, code: str) -> None:
        """Log the outcome ``code`` for the lead, then claim the next."""
        if not self._lead_ready() or self.settings is None or self.desk is None:
            return
        lead = self.desk.lead
        assert lead is not None
        chosen = self.settings.disposition(code)
        card = lead.card
        if chosen.then == "do_not_call":
            from prospector.tui.dialogs.confirm_dnc import ConfirmDncDialog

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._log(chosen)

            self.app.push_screen(ConfirmDncDialog(card.name, card.phone_national), confirmed)
        elif chosen.then == "callback":
            from prospector.tui.dialogs.callback import CallbackChoice, CallbackDialog

            def agreed(choice: CallbackChoice | None) -> None:
                if choice is not None:
                    self._log(chosen, callback=choice.at, scope=choice.scope)

            self.app.push_screen(
                CallbackDialog(
                    name=card.name,
                    prospect_zone=card.local_time.tzinfo,  # type: ignore[arg-type]
                    rep_zone=self.settings.team.zone,
                    now=self.workbench.clock,
                    window_check=self._window_check(card),
                ),
                agreed,
            )
        elif chosen.then == "qualify":
            self._qualify(chosen)
        else:
            self._log(chosen)

    def _window_check(self, card: ContactCard) -> Callable[[datetime], str | None]:
        settings = self.settings
        assert settings is not None
        locale = Locale(0, card.timezones, card.country or "", card.state or "")

        def check(instant: datetime) -> str | None:
            if is_open(locale, instant, settings):
                return None
            return "outside the prospect's calling window"

        return check

    def _qualify(self, chosen: Disposition) -> None:
        """Meeting set: the qualification form at once; the suggested owner fills in."""
        from prospector.tui.dialogs.qualify import QualifyDialog, QualifyForm

        assert self.desk is not None and self.desk.lead is not None and self.settings
        card = self.desk.lead.card

        def answered(form: QualifyForm | None) -> None:
            if form is None:
                return
            self._log(
                chosen,
                qualify={
                    "amount": form.amount,
                    "meeting_at": form.meeting_at,
                    "owner": form.owner,
                    "budget": form.budget,
                    "authority": form.authority,
                    "need": form.need,
                    "timeline": form.timeline,
                    "note": form.note,
                },
            )

        dialog = QualifyDialog(
            name=card.name,
            owners=[rep.name for rep in self.settings.outside_reps],
            suggested_owner=None,
            prospect_zone=card.local_time.tzinfo,  # type: ignore[arg-type]
            rep_zone=self.settings.team.zone,
            now=self.workbench.clock,
            window_check=None,
            note=self.query_one(NoteEditor).text.strip(),
        )
        self.app.push_screen(dialog, answered)
        self._run(lambda: self.OwnerSuggested(desk.suggest_owner(self._db(), card), dialog))

    def on_lead_screen_owner_suggested(self, message: OwnerSuggested) -> None:
        if message.dialog.is_attached:
            message.dialog.suggest(message.choice.suggested, message.choice.problem)

    def _log(
        self,
        chosen: Disposition,
        *,
        callback: datetime | None = None,
        scope: str = "mine",
        qualify: dict | None = None,
    ) -> None:
        assert self.desk is not None and self.desk.lead is not None
        card = self.desk.lead.card
        note = self.query_one(NoteEditor).note_for_call()
        app = self.workbench
        self.busy = True

        def job() -> list[Message]:
            done = desk.log_and_next(
                self._db(),
                card.contact_id,
                chosen.code,
                rep=app.rep,
                now=app.clock(),
                note=note,
                callback=callback,
                callback_scope=scope,
                qualify=qualify,
            )
            messages: list[Message] = [self.CallLogged(done.call, card.name, chosen.label)]
            if done.handoff is not None:
                messages.append(self.HandoffCreated(done.handoff.id, card.name, done.handoff.owner))
            if done.handoff_error is not None:
                messages.append(self.ActionFailed(done.handoff_error))
            messages.append(self.LeadClaimed(done.desk))
            return messages

        self._run(job)

    def on_lead_screen_call_logged(self, message: CallLogged) -> None:
        self.notify(f"{message.label} logged for {message.name}", timeout=3)

    def on_lead_screen_handoff_created(self, message: HandoffCreated) -> None:
        self.notify(
            f"Handoff #{message.handoff_id}: {message.name} goes to {message.owner}", timeout=5
        )

    def action_skip(self) -> None:
        """Release the lead with a reason; it stays out of the queue a while."""
        if not self._lead_ready() or self.desk is None or self.desk.lead is None:
            return
        from prospector.tui.dialogs.skip_reason import SkipReasonDialog

        card = self.desk.lead.card

        def chosen(reason: str | None) -> None:
            if reason:
                self._skip(card, reason)

        self.app.push_screen(SkipReasonDialog(), chosen)

    def _skip(self, card: ContactCard, reason: str) -> None:
        self.query_one(NoteEditor).save_unsaved()
        app = self.workbench
        self.busy = True

        def job() -> list[Message]:
            after = desk.skip_and_next(
                self._db(), card.contact_id, rep=app.rep, reason=reason, now=app.clock()
            )
            return [self.LeadSkipped(card.name, reason), self.LeadClaimed(after)]

        self._run(job)

    def on_lead_screen_lead_skipped(self, message: LeadSkipped) -> None:
        self.notify(f"Skipped {message.name}: {message.reason}", timeout=3)

    def action_dialed(self) -> None:
        """Record that the dial started (the lead is then never lost without an outcome)."""
        if not self._lead_ready() or self.desk is None or self.desk.lead is None:
            return
        card = self.desk.lead.card
        app = self.workbench
        self._run(
            lambda: self.DialStarted(
                desk.mark_dialed(self._db(), card.contact_id, rep=app.rep, now=app.clock())
            )
        )

    def on_lead_screen_dial_started(self, message: DialStarted) -> None:
        if self.desk is None or self.desk.lead is None:
            return
        if self.desk.lead.card.contact_id != message.card.contact_id:
            return
        from dataclasses import replace

        lead = replace(self.desk.lead, card=message.card)
        self.desk = replace(self.desk, lead=lead)
        self.query_one(LeadCard).show(lead, self.workbench.clock())

    def action_edit_note(self) -> None:
        """Type in the note box (digits type there until Esc)."""
        editor = self.query_one(NoteEditor)
        if not editor.disabled:
            self.set_focus(editor)  # at once: keys typed right after "e" are note text

    def action_refresh(self) -> None:
        """Check the queue now when there is no lead."""
        if self.busy:
            return
        if self.desk is None or self.desk.lead is None:
            self._next()

    def action_reports(self) -> None:
        """Open the team dashboard (Esc comes back to this lead)."""
        from prospector.tui.screens.dashboard import DashboardScreen

        self.app.push_screen(DashboardScreen(self.workbench.db_path, self.workbench.clock))

    def action_search(self) -> None:
        """Find a contact by name, company or phone and open it."""
        from prospector.tui.screens.search import SearchScreen

        def opened(contact_id: int | None) -> None:
            if contact_id is not None:
                self._open(contact_id)

        self.app.push_screen(SearchScreen(), opened)

    def _open(self, contact_id: int) -> None:
        lead = self.desk.lead if self.desk else None
        if lead is not None and lead.card.contact_id == contact_id:
            return
        if lead is not None and lead.card.dialed_at is not None:
            self.notify(
                f"You dialed {lead.card.name}: log the outcome before opening another lead",
                severity="warning",
            )
            return
        if self.busy:
            self.app.bell()
            return
        self.query_one(NoteEditor).save_unsaved()
        app = self.workbench
        self.busy = True
        self._run(
            lambda: self.LeadClaimed(
                desk.open_contact(self._db(), contact_id, rep=app.rep, now=app.clock())
            )
        )

    # --- drafts and leases ------------------------------------------------------------

    def _write_draft(self, contact_id: int, text: str) -> None:
        """Store the rep's draft note (the note editor calls this, on any thread)."""
        app = self.workbench
        drafts.save_draft(app.database(), app.rep, contact_id, text, app.clock())

    def on_note_editor_draft_not_saved(self, message: NoteEditor.DraftNotSaved) -> None:
        self._not_done(f"the draft note could not be saved: {message.error}")

    def flush(self) -> None:
        """Write what is typed and not yet saved, now (the app is quitting)."""
        self.query_one(NoteEditor).flush()

    def _renew(self) -> None:
        if self.desk is None or self.desk.lead is None or self.busy:
            return
        contact_id = self.desk.lead.card.contact_id
        app = self.workbench

        def job() -> Message | None:
            try:
                claims.renew_claim(self._db(), contact_id, rep=app.rep, now=app.clock())
            except ProspectorError as error:
                return self.ClaimLost(contact_id, str(error))
            return None

        self._run(job)

    def on_lead_screen_claim_lost(self, message: ClaimLost) -> None:
        if self.desk is None or self.desk.lead is None:
            return
        if self.desk.lead.card.contact_id != message.contact_id:
            return
        self.notify(f"Lost the claim on this lead: {message.why}", severity="error", timeout=8)
        self._next()

    def on_lead_screen_action_failed(self, message: ActionFailed) -> None:
        self._not_done(message.text)

    def _not_done(self, text: str) -> None:
        self.busy = False
        self.notify(text, title="Not done", severity="error", timeout=8)
