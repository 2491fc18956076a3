"""A small app that shows only the floor (``prospector floor``)."""

from __future__ import annotations

from textual.app import App

from prospector.foundations.clock import Clock
from prospector.tui.screens.floor import DEFAULT_REFRESH_SECONDS, FloorScreen


class FloorApp(App[None]):
    """The team lead's view of the reps, on its own."""

    TITLE = "Prospector floor"

    def __init__(
        self, *, db_path: str, clock: Clock, refresh_seconds: float = DEFAULT_REFRESH_SECONDS
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.clock = clock
        self.refresh_seconds = refresh_seconds

    def on_mount(self) -> None:
        # Pushed (not the default screen), as the dashboard is; closing it ends the app.
        self.push_screen(
            FloorScreen(self.db_path, self.clock, refresh_seconds=self.refresh_seconds),
            callback=lambda _: self.exit(),
        )
