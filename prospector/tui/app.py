"""The workbench application and the one factory the CLI and tests share."""

from __future__ import annotations

from datetime import datetime

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class ProspectorApp(App[None]):
    """The rep's workbench."""

    TITLE = "Prospector"

    def __init__(self, *, db_path: str, rep: str, start_at: datetime | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.rep = rep
        self.start_at = start_at

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.rep} on {self.db_path}", id="status")
        yield Footer()


def make_app(*, db_path: str, rep: str, start_at: datetime | None = None) -> ProspectorApp:
    """Build the workbench for ``rep`` on ``db_path`` (clock pinned at ``start_at``)."""
    return ProspectorApp(db_path=db_path, rep=rep, start_at=start_at)
