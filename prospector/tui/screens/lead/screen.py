"""The lead screen: the claimed lead, one key per outcome, notes, what comes next."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, tzinfo
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Header

from prospector.foundations.errors import ProspectorError
from prospector.services import dial_command
from prospector.services.contacts import ContactCard, shown_phone
from prospector.services.dial_command import DialTarget
from prospector.services.floor import time_in_state
from prospector.services.settings import Disposition, Settings
from prospector.services.settings.model import Objection
from prospector.tui import desk
from prospector.tui.desk import Desk, Lead
from prospector.tui.screens.lead import jobs, outcomes
from prospector.tui.widgets.call_timer import CallClock, CallTimer
from prospector.tui.widgets.desk_view import DeskView
from prospector.tui.widgets.key_footer import KeyFooter
from prospector.tui.widgets.lead_card import LeadCard
from prospector.tui.widgets.note_editor import NoteEditor
from prospector.tui.widgets.script_pane import ScriptPane

if TYPE_CHECKING:
    from prospector.services.contact_phones import ContactPhone
    from prospector.tui.app import ProspectorApp

TICK_SECONDS = 15  # local times and SLA countdowns move on screen this often
EMPTY_POLL_SECONDS = 60
NARROW_WIDTH = 100


def paused_text(paused: jobs.Paused, now: datetime, zone: tzinfo | None) -> str:
    """ "Paused: Lunch 12:04" (minutes and seconds so far), since when, and the way back."""
    seconds = max(0, int((now - paused.since).total_seconds()))
    since = f" since {paused.since.astimezone(zone):%H:%M}" if zone is not None else ""
    return (
        f"Paused: {paused.label} {time_in_state(seconds)}\n"
        f"Nothing is claimed{since}. p or Enter resumes."
    )


class LeadScreen(Screen[None]):
    """Shows the claimed lead and turns keys into calls logged, skips and dials."""

    KEY_GROUP = "Lead"
    BINDINGS: ClassVar[list[BindingType]] = [
        *outcomes.OUTCOME_BINDINGS,
        Binding(
            "d",
            "dialed",
            "Dialed",
            id="lead.dialed",
            tooltip="Dial (calling.dial_command), mark the dial and time the call",
        ),
        Binding("n", "skip", "Skip", id="lead.skip", tooltip="Release this lead with a reason"),
        Binding(
            "t",
            "next_phone",
            "Next number",
            id="lead.phone",
            tooltip="Call this lead's next good number instead",
        ),
        Binding("e", "edit_note", "Note", id="lead.note", tooltip="Type in the note box"),
        Binding(
            "s", "toggle_script", "Script", id="lead.script", tooltip="Show or hide the script"
        ),
        Binding(
            "o",
            "objection",
            "Objection",
            id="lead.objection",
            tooltip="The answer to an objection; tags the call",
        ),
        Binding("slash", "search", "Search", id="lead.search", tooltip="Find a contact"),
        Binding(
            "a",
            "account",
            "Account",
            id="lead.account",
            tooltip="Every contact at this lead's account; Enter calls one next",
        ),
        Binding("r", "reports", "Reports", id="lead.reports", tooltip="The team dashboard"),
        Binding("g", "refresh", "Next/refresh", id="lead.refresh", show=False),
        Binding("p", "pause", "Pause", id="lead.pause", tooltip="Pause (or resume) with a reason"),
        Binding("enter", "resume", "Resume", id="lead.resume", show=False),
    ]

    # --- setup ------------------------------------------------------------------------

    def __init__(self) -> None:
        super().__init__()
        self.desk: Desk | None = None
        self._claiming = 0  # jobs under way that end by claiming a lead
        self.call_clock: CallClock | None = None  # the call being timed, on the lead shown
        self.paused: jobs.Paused | None = None  # why and since when, while paused

    @property
    def workbench(self) -> ProspectorApp:
        return self.app  # type: ignore[return-value]

    @property
    def busy(self) -> bool:
        """A lead is being claimed (after a log, a skip, a search...): lead keys wait."""
        return self._claiming > 0

    @property
    def lead(self) -> Lead | None:
        """The lead shown (None while the queue is empty, or before it is read)."""
        return self.desk.lead if self.desk is not None else None

    @property
    def settings(self) -> Settings | None:
        """The team's settings, as last read with the desk."""
        return self.desk.settings if self.desk is not None else None

    def compose(self) -> ComposeResult:
        yield Header()
        yield DeskView(write_draft=jobs.draft_writer(self.workbench), id="desk")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DeskView).show_waiting(self.workbench.clock())
        self.set_interval(TICK_SECONDS, self._tick)
        self.set_interval(1, self._tick_second)
        self._claim(jobs.start(self.workbench))

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")
        if self.desk is not None:
            self.query_one(DeskView).show_today(self.desk.today, narrow=self.has_class("-narrow"))

    def _claim(self, job: jobs.Job) -> None:
        """Run ``job``, which ends by claiming a lead; lead keys wait until it is shown."""
        self._claiming += 1
        jobs.run(self, job, claiming=True)

    def _claim_ended(self) -> None:
        """A job run by :meth:`_claim` ended (a lead shown, or the job failed)."""
        self._claiming = max(0, self._claiming - 1)

    def _leave_for(self, job: jobs.Job) -> None:
        """Save the note typed so far, then run ``job`` (which claims another lead)."""
        self.query_one(NoteEditor).save_unsaved()
        self._claim(job)

    # --- rendering --------------------------------------------------------------------

    def on_lead_screen_lead_claimed(self, message: jobs.LeadClaimed) -> None:
        self._claim_ended()
        was_paused, self.paused = self.paused is not None, None
        first, had_lead = self.desk is None, self.lead is not None
        could_switch = self._can_switch()
        self.desk = message.desk
        if self.call_clock is not None and (
            self.lead is None or self.lead.card.contact_id != self.call_clock.contact_id
        ):
            self.call_clock = None  # a new lead starts with no call timed
        if first:  # the team's outcome keys and lease length are known from now on
            self.set_interval(message.desk.settings.calling.lease_minutes * 60 / 3, self._renew)
        self.set_class(self.lead is None, "-empty")
        now = self.workbench.clock()
        self.query_one(DeskView).show(message.desk, now, narrow=self.has_class("-narrow"))
        if self.lead is None:
            self._schedule_poll()
        self._tick()
        self._tick_call()
        if (
            first
            or was_paused
            or had_lead != (self.lead is not None)
            or could_switch != self._can_switch()
        ):
            self.refresh_bindings()  # the footer is rebuilt only when what it shows changes

    def _can_switch(self) -> bool:
        return self.lead is not None and self.lead.next_phone is not None

    def _tick(self) -> None:
        zone = self.settings.team.zone if self.settings is not None else None
        now = self.workbench.clock()
        self.query_one(DeskView).tick(now, zone)
        self._show_script(now)  # a new lead's, or the prospect's local time moved on
        self._show_paused()

    def _show_script(self, now: datetime) -> None:
        """Render the lead's script in the pane, when it is open."""
        if self.has_class("-script") and self.settings is not None:
            pane = self.query_one(ScriptPane)
            pane.show(self.lead, self.settings, rep=self.workbench.rep, now=now)

    # --- the call's timer ---------------------------------------------------------------

    def start_call_timer(self) -> None:
        """Time a call on the lead shown from now (the dial; again at a redial)."""
        if self.lead is not None:
            self.call_clock = CallClock(self.lead.card.contact_id, self.workbench.clock())
            self._tick_call()

    def stop_call_timer(self) -> int | None:
        """Stop the timer (the outcome key); its seconds, or None when no call was timed."""
        if self.call_clock is None:
            return None
        now = self.workbench.clock()
        self.call_clock = self.call_clock.stopped(now)
        self._tick_call()
        return self.call_clock.seconds(now)

    def resume_call_timer(self) -> None:
        """Run the stopped timer on (the rep went back to the lead: the call goes on)."""
        if self.call_clock is not None:
            self.call_clock = self.call_clock.running()
            self._tick_call()

    def clear_call_timer(self) -> None:
        """No call timed any more (its outcome is logged)."""
        self.call_clock = None
        self._tick_call()

    def _tick_call(self) -> None:
        self.query_one(CallTimer).show(self.call_clock, self.workbench.clock())

    def _schedule_poll(self) -> None:
        self.set_timer(EMPTY_POLL_SECONDS, self.action_refresh)  # what the g key does

    def describe_binding(self, binding: Binding) -> Binding:
        """The outcome keys as the team's catalog names them (see :mod:`prospector.tui.keys`);
        ``p`` says Resume while paused."""
        if binding.id == "lead.pause" and self.paused is not None:
            return replace(binding, description="Resume", tooltip="Back to work")
        return outcomes.describe(binding, self.settings)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        key = parameters[0] if parameters else None
        if action == "disposition" and outcomes.by_key(self.settings, key) is None:
            return False  # a digit the team's catalog does not use (or not read yet)
        if action == "objection" and self.settings is not None and not self.settings.objections:
            return False  # the team has no objection catalog
        if action in ("disposition", "dialed", "skip", "edit_note", "objection", "account"):
            # Shown dimmed (not hidden) while there is no lead, so the footer stays put.
            return self.lead is not None or None
        if action == "next_phone":
            return self._can_switch() or None
        if action == "resume":
            return self.paused is not None  # Enter is the note's and the dialogs' otherwise
        return True

    # --- actions ----------------------------------------------------------------------

    def _ready_lead(self) -> Lead | None:
        """The lead to act on; None (with a bell while busy) when there is none."""
        if self.busy:
            self.app.bell()
            return None
        return self.lead

    def action_disposition(self, key: str) -> None:
        """Log the outcome with hotkey ``key`` for the lead, then claim the next."""
        lead, chosen = self._ready_lead(), outcomes.by_key(self.settings, key)
        settings = self.settings
        if lead is None or chosen is None or settings is None:
            return
        typed = self.query_one(NoteEditor).text.strip()
        timed = self.stop_call_timer()
        if outcomes.asks_first(chosen):  # the call is over while its outcome is told
            jobs.run(self, jobs.wrap_up(self.workbench, lead.card.contact_id))
        form = outcomes.ask_then_log(
            self.app,
            chosen,
            lead.card,
            settings=settings,
            clock=self.workbench.clock,
            note=typed,
            log=partial(self._log, chosen, lead.card, typed, lead.switched_to, timed, lead.tags),
            talk=timed if chosen.is_connect else None,
            back=self.resume_call_timer,
        )
        if form is not None:
            jobs.run(self, jobs.suggest_owner(self.workbench, lead.card, form))

    def _log(
        self,
        chosen: Disposition,
        card: ContactCard,
        typed: str,
        switched_to: ContactPhone | None,
        timed: int | None,
        tags: tuple[str, ...],
        answers: outcomes.Answers,
    ) -> None:
        """Log ``chosen`` on ``card``, the lead the key was pressed on, then claim the next.

        The call was made on ``switched_to`` when the rep had switched numbers by then,
        and met the objections ``tags``; ``timed`` is its timer's seconds (None: not timed).

        The lead shown may have changed while the outcome's dialog was open (its claim
        was found lost): the call happened with ``card``'s person, so it is logged there
        all the same (refused if another rep holds it now), with the note ``typed`` by
        the time the key was pressed.
        """
        editor = self.query_one(NoteEditor)
        if self.lead is not None and self.lead.card.contact_id == card.contact_id:
            note, fence = editor.note_for_call()
        else:
            note, fence = typed, editor.fence()  # its draft may still be being written
        phone = switched_to.e164 if switched_to else None
        self.clear_call_timer()
        job = jobs.log_call(self.workbench, card, chosen, note, answers, fence, phone, timed, tags)
        self._claim(job)

    def on_lead_screen_owner_suggested(self, message: jobs.OwnerSuggested) -> None:
        if message.dialog.is_attached:
            message.dialog.suggest(message.choice.suggested, message.choice.problem)

    def on_lead_screen_call_logged(self, message: jobs.CallLogged) -> None:
        text = f"{message.label} logged for {message.name}"
        moved = message.logged.next_phone
        if moved is not None:
            number = shown_phone(moved)
            text += f"; wrong number: next number {number} ({moved.kind})"
        self.notify(text, timeout=5 if moved else 3)

    def on_lead_screen_handoff_created(self, message: jobs.HandoffCreated) -> None:
        self.notify(
            f"Handoff #{message.handoff_id}: {message.name} goes to {message.owner}", timeout=5
        )

    def action_skip(self) -> None:
        """Release the lead with a reason; it stays out of the queue a while."""
        lead = self._ready_lead()
        if lead is None:
            return
        from prospector.tui.dialogs.skip_reason import SkipReasonDialog

        def chosen(reason: str | None) -> None:
            if reason:
                self._leave_for(jobs.skip(self.workbench, lead.card, reason))

        self.app.push_screen(SkipReasonDialog(), chosen)

    def on_lead_screen_lead_skipped(self, message: jobs.LeadSkipped) -> None:
        self.notify(f"Skipped {message.name}: {message.reason}", timeout=3)

    def action_dialed(self) -> None:
        """Record that the dial started (the lead is then never lost without an outcome),
        run the team's dial command on the number shown, and time the call."""
        lead = self._ready_lead()
        if lead is None:
            return
        argv = None
        template = self.settings.calling.dial_command if self.settings else None
        if template is not None:
            phone = lead.phone
            target = DialTarget(
                lead.card.contact_id,
                phone.e164 if phone else lead.card.phone,
                phone.extension if phone else lead.card.phone_ext,
                self.workbench.rep,
            )
            try:
                argv = dial_command.build_argv(template, target)
            except ProspectorError as error:
                self.notify(str(error), severity="error", timeout=8)
        self.start_call_timer()
        jobs.run(self, jobs.mark_dialed(self.workbench, lead.card, argv))

    def on_lead_screen_dial_started(self, message: jobs.DialStarted) -> None:
        if message.argv:
            jobs.run(self, jobs.run_dial(self.workbench, message.argv))
        if self.lead is not None and self.lead.card.contact_id == message.card.contact_id:
            self._show_lead(replace(self.lead, card=message.card))

    def on_lead_screen_dial_failed(self, message: jobs.DialFailed) -> None:
        self.notify(message.text, severity="error", timeout=8)

    def action_next_phone(self) -> None:
        """Call the lead's next good number instead, for this call (audited).

        Shown at once, so that a second press goes on to the number after it; the
        audit row is written on a worker.
        """
        lead = self._ready_lead()
        after = desk.switched(lead) if lead is not None else None
        if lead is None or after is None or lead.phone is None or after.phone is None:
            return
        self._show_lead(after)
        phone = after.phone
        number = shown_phone(phone)
        self.notify(f"Calling {number} ({phone.kind}) for this call", timeout=3)
        job = jobs.record_switch(self.workbench, lead.card.contact_id, lead.phone.e164, phone.e164)
        jobs.run(self, job)

    def _show_lead(self, lead: Lead) -> None:
        """Show ``lead``, the lead shown, as read again (dialed, or its lease renewed)."""
        assert self.desk is not None
        self.desk = replace(self.desk, lead=lead)
        zone = self.desk.settings.team.zone
        self.query_one(LeadCard).show(lead, self.workbench.clock(), rep_zone=zone)

    def action_toggle_script(self) -> None:
        """Show or hide the call script beside the lead (it stays so from lead to lead)."""
        self.toggle_class("-script")
        self._show_script(self.workbench.clock())

    def action_objection(self) -> None:
        """Pick the objection the prospect raised: its answer shows in the script pane
        and the call in progress is tagged with it (kept until the call is logged)."""
        lead, settings = self._ready_lead(), self.settings
        if lead is None or settings is None or not settings.objections:
            return
        from prospector.tui.dialogs.objection import ObjectionDialog

        def picked(objection: Objection | None) -> None:
            shown = self.lead
            if objection is None or shown is None or shown.card.contact_id != contact_id:
                return  # gone back, or the lead changed meanwhile: its tags went with it
            if objection.label not in shown.tags:
                self._show_lead(replace(shown, tags=(*shown.tags, objection.label)))
            self.add_class("-script")
            now = self.workbench.clock()
            self._show_script(now)
            self.query_one(ScriptPane).show_answer(objection, contact_id)

        contact_id = lead.card.contact_id
        self.app.push_screen(ObjectionDialog(settings.objections, lead.tags), picked)

    def action_edit_note(self) -> None:
        """Type in the note box (digits type there until Esc)."""
        editor = self.query_one(NoteEditor)
        if not editor.disabled:
            self.set_focus(editor)  # at once: keys typed right after "e" are note text

    def action_refresh(self) -> None:
        """Check the queue now when there is no lead (never while paused)."""
        if not self.busy and self.lead is None and self.paused is None:
            self._claim(jobs.next_lead(self.workbench))

    def action_pause(self) -> None:
        """Pause with a reason (the lead goes back to the queue untouched), or resume."""
        if self.paused is not None:
            self.action_resume()
            return
        if self.busy or self.settings is None:
            self.app.bell()
            return
        lead = self.lead
        if lead is not None and lead.card.dialed_at is not None:
            self.notify(
                f"You dialed {lead.card.name}: log the outcome before pausing",
                severity="warning",
            )
            return
        from prospector.tui.dialogs.pause_code import PauseCodeDialog

        def chosen(code: str | None) -> None:
            if code:
                self.query_one(NoteEditor).save_unsaved()
                jobs.run(self, jobs.pause(self.workbench, code))

        self.app.push_screen(PauseCodeDialog(self.settings.pause_codes), chosen)

    def on_lead_screen_paused(self, message: jobs.Paused) -> None:
        self.paused = message
        if self.desk is not None:
            self.desk = replace(self.desk, lead=None, upcoming=())
        self.set_class(True, "-empty")
        self.query_one(DeskView).show_paused()
        self._show_paused()
        self.refresh_bindings()

    def _tick_second(self) -> None:
        """What moves each second: the call's timer, or the time paused."""
        self._tick_call()
        self._show_paused()

    def _show_paused(self) -> None:
        if self.paused is None:
            return
        now = self.workbench.clock()
        zone = self.settings.team.zone if self.settings is not None else None
        self.query_one(LeadCard).show(None, now, paused_text(self.paused, now, zone), rep_zone=zone)

    def action_resume(self) -> None:
        """Back to work: ready again, and the next lead is claimed."""
        if self.paused is None or self.busy:
            return
        self._claim(jobs.resume(self.workbench))

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

    def action_account(self) -> None:
        """List the lead's account; the contact chosen there is claimed next."""
        lead = self.lead
        if lead is None:
            return
        from prospector.tui.screens.account import AccountScreen

        def chosen(contact_id: int | None) -> None:
            if contact_id is not None:
                self._open(contact_id, why="opened from the account view")

        self.app.push_screen(AccountScreen(lead.card.contact_id), chosen)

    def _open(self, contact_id: int, *, why: str = "opened from search") -> None:
        lead = self.lead
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
        self._leave_for(jobs.open_contact(self.workbench, contact_id, why=why))

    # --- quitting, leases, failures ---------------------------------------------------

    def flush(self) -> None:
        """Write what is typed and not yet saved, now (the app is quitting)."""
        self.query_one(NoteEditor).flush()

    def _renew(self) -> None:
        if self.lead is not None and not self.busy:
            jobs.run(self, jobs.renew_claim(self.workbench, self.lead.card.contact_id))

    def on_lead_screen_claim_renewed(self, message: jobs.ClaimRenewed) -> None:
        if self.lead is not None and self.lead.card.contact_id == message.contact_id:
            item = replace(self.lead.item, claim_expires_at=message.expires_at)
            self._show_lead(replace(self.lead, item=item))

    def on_lead_screen_claim_lost(self, message: jobs.ClaimLost) -> None:
        if self.lead is None or self.lead.card.contact_id != message.contact_id:
            return
        if self.busy:
            return  # a log, skip or next under way released it and brings the next lead
        self.notify(f"Lost the claim on this lead: {message.why}", severity="error", timeout=8)
        self._leave_for(jobs.next_lead(self.workbench))  # keeps what was typed, as a draft

    def on_lead_screen_action_failed(self, message: jobs.ActionFailed) -> None:
        # Only a failed claiming job frees the lead keys: a draft, a renewal, an owner
        # suggestion or a handoff failing says nothing of a log or claim still running.
        if message.ends_claim:
            self._claim_ended()
        self._not_done(message.text)

    def on_note_editor_draft_not_saved(self, message: NoteEditor.DraftNotSaved) -> None:
        self._not_done(f"the draft note could not be saved: {message.error}")

    def _not_done(self, text: str) -> None:
        self.notify(text, title="Not done", severity="error", timeout=8)
