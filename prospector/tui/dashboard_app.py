"""A small app that shows only the dashboard (``prospector dashboard``)."""

from __future__ import annotations

from prospector.tui.screen_app import ScreenApp
from prospector.tui.screens.dashboard import DashboardScreen


class DashboardApp(ScreenApp):
    """The team lead's dashboard on its own."""

    TITLE = "Prospector dashboard"
    SCREEN = DashboardScreen
    REFRESH_SECONDS = 30.0
