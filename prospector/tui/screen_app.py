"""An app that shows one of the team lead's screens on its own (``dashboard``, ``floor``)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App

from prospector.foundations.clock import Clock


class ScreenApp(App[None]):
    """Shows ``SCREEN``, re-read from ``db_path`` every ``refresh_seconds``; closing it
    ends the app."""

    SCREEN: ClassVar[Any]  # a screen class taking (db_path, clock, refresh_seconds=)
    REFRESH_SECONDS: ClassVar[float]

    def __init__(self, *, db_path: str, clock: Clock, refresh_seconds: float | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.clock = clock
        self.refresh_seconds = refresh_seconds or self.REFRESH_SECONDS

    def on_mount(self) -> None:
        # Pushed (not the default screen) so its .tcss loads; closing it ends the app.
        screen = self.SCREEN(self.db_path, self.clock, refresh_seconds=self.refresh_seconds)
        self.push_screen(screen, callback=lambda _: self.exit())
