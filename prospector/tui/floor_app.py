"""A small app that shows only the floor (``prospector floor``)."""

from __future__ import annotations

from prospector.tui.screen_app import ScreenApp
from prospector.tui.screens.floor import DEFAULT_REFRESH_SECONDS, FloorScreen


class FloorApp(ScreenApp):
    """The team lead's view of the reps, on its own."""

    TITLE = "Prospector floor"
    SCREEN = FloorScreen
    REFRESH_SECONDS = DEFAULT_REFRESH_SECONDS
