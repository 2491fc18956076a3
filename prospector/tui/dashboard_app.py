"""A small app that shows only the dashboard (``prospector dashboard``)."""

from __future__ import annotations

from textual.app import App

from prospector.foundations.clock import Clock
from prospector.tui.screens.dashboard import DashboardScreen


class DashboardApp(App[None]):
    """The team lead's dashboard on its own."""

    TITLE = "Prospector dashboard"

    def __init__(self, *, db_path: str, clock: Clock, refresh_seconds: float = 30.0) -> None:
        super().__init__()
        self.db_path = db_path
        self.clock = clock
        self.refresh_seconds = refresh_seconds

    def on_mount(self) -> None:
        # Pushed (not the default screen) so its .tcss loads; closing it ends the app.
        self.push_screen(
            DashboardScreen(self.db_path, self.clock, refresh_seconds=self.refresh_seconds),
            callback=lambda _: self.exit(),
        )
