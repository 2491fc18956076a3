"""The workbench application and the one factory the CLI and tests share."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from prospector.foundations.clock import Clock, running_clock, system_clock
from prospector.foundations.db import Database, database_label
from prospector.tui.commands import WorkbenchCommands
from prospector.tui.connections import ThreadConnections


class ProspectorApp(App[None]):
    """The rep's workbench: one lead screen, its dialogs, help and search."""

    TITLE = "Prospector"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {WorkbenchCommands}
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "help", "Help", id="app.help", tooltip="All keys"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, show=False),
    ]

    def __init__(
        self,
        *,
        db_path: str,
        rep: str,
        start_at: datetime | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.rep = rep
        if clock is not None:
            self.clock: Clock = clock
        elif start_at is not None:
            self.clock = running_clock(start_at)
        else:
            self.clock = system_clock
        self.pinned = clock is not None or start_at is not None
        self.connections = ThreadConnections(db_path)

    def database(self) -> Database:
        """The calling worker thread's own connection."""
        return self.connections.get()

    def on_mount(self) -> None:
        from prospector.tui.screens.lead import LeadScreen

        self.sub_title = self.describe_session()
        self.push_screen(LeadScreen())

    def describe_session(self) -> str:
        """The header's subtitle: who, on which file, and whether the clock is pinned."""
        where = f"{self.rep} · {database_label(self.db_path)}"
        if not self.pinned:
            return where
        return f"{where} · clock pinned"

    def action_help(self) -> None:
        """Show every key of the current screen and the app."""
        from prospector.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        """Save what is being typed, then leave."""
        from prospector.tui.screens.lead import LeadScreen

        for screen in self.screen_stack:
            if isinstance(screen, LeadScreen):
                screen.flush()
        self._leave_the_floor()
        await super().action_quit()

    def _leave_the_floor(self) -> None:
        """The rep is offline from now (the floor and the time report say so)."""
        from prospector.foundations.errors import ProspectorError
        from prospector.services import rep_states

        try:
            rep_states.change(self.database(), self.rep, rep_states.OFFLINE, self.clock())
        except ProspectorError as error:  # quitting goes on: the desk will read as quiet
            self.log.error(f"could not record going offline: {error}")

    def on_unmount(self) -> None:
        self.connections.close_all()


def make_app(
    *, db_path: str, rep: str, start_at: datetime | None = None, clock: Clock | None = None
) -> ProspectorApp:
    """Build the workbench for ``rep`` on ``db_path``.

    Args:
        db_path: the team's database (already created or upgraded).
        rep: the inside rep working.
        start_at: pin the clock: it starts at this instant and runs on in real time.
        clock: use this clock instead (tests pin a fixed one so screens never vary).
    """
    return ProspectorApp(db_path=db_path, rep=rep, start_at=start_at, clock=clock)
