"""The floor: each rep's state and time in it, current lead, and today against the goal.

Read on a thread worker with its own connection every ``refresh_seconds`` (so a team
lead on another terminal sees the reps live), and posted back as a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from prospector.foundations.clock import Clock
from prospector.foundations.db import open_database
from prospector.foundations.errors import ProspectorError
from prospector.services.floor import COLUMNS, FloorRep, cells, floor
from prospector.services.windows import current_settings

DEFAULT_REFRESH_SECONDS = 3.0


class FloorScreen(Screen[None]):
    """Every rep on the floor, refreshed from the database every few seconds."""

    DEFAULT_CSS = """
    FloorScreen { layout: vertical; }
    #floor-status { height: 1; padding: 0 1; color: $text-muted; }
    #floor-table { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="floor.close"),
        Binding("r", "refresh_floor", "Refresh", id="floor.refresh"),
    ]

    @dataclass
    class Loaded(Message):
        """A fresh read of the floor."""

        reps: list[FloorRep]
        now: datetime
        zone: tzinfo

    @dataclass
    class Failed(Message):
        """The worker could not read the floor."""

        error: str

    def __init__(
        self, db_path: str, clock: Clock, *, refresh_seconds: float = DEFAULT_REFRESH_SECONDS
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.clock = clock
        self.refresh_seconds = refresh_seconds

    def compose(self) -> ComposeResult:
        yield Static("loading…", id="floor-status")
        yield DataTable(id="floor-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "The floor"
        self.query_one(DataTable).focus()
        self.action_refresh_floor()
        self.set_interval(self.refresh_seconds, self._refresh_tick)

    def _refresh_tick(self) -> None:
        # A slow read is left to finish rather than restarted on every tick.
        if not any(
            worker.node is self and worker.group == "floor" and not worker.is_finished
            for worker in self.workers
        ):
            self.load()

    def action_refresh_floor(self) -> None:
        self.load()

    def action_close(self) -> None:
        self.dismiss()

    @work(thread=True, exclusive=True, group="floor")
    def load(self) -> None:
        """Read the floor on a connection of the worker's own."""
        now = self.clock()
        try:
            with open_database(self.db_path, create=False, check_same_thread=False) as db:
                settings = current_settings(db)
                reps = floor(db, now, settings=settings)
        except ProspectorError as error:
            self.post_message(self.Failed(str(error)))
            return
        self.post_message(self.Loaded(reps, now, settings.team.zone))

    def on_floor_screen_failed(self, message: Failed) -> None:
        self.notify(message.error, severity="error", title="Floor")

    def on_floor_screen_loaded(self, message: Loaded) -> None:
        now = message.now.astimezone(message.zone)
        working = sum(rep.state != "offline" for rep in message.reps)
        self.query_one("#floor-status", Static).update(
            f"{now:%a %d %b %H:%M:%S %Z} · {working} of {len(message.reps)} reps at their desks"
            f" · every {self.refresh_seconds:g} s"
        )
        table = self.query_one(DataTable)
        keep = table.cursor_row
        rows = [cells(rep, message.zone) for rep in message.reps]
        widths = [
            max([len(label), *(len(row[n]) for row in rows)]) for n, label in enumerate(COLUMNS)
        ]
        # The lead (name, company) takes what the other columns leave, cut short to fit.
        lead = COLUMNS.index("Lead")
        room = self.size.width - sum(widths) + widths[lead] - 2 * len(COLUMNS) - 2
        widths[lead] = max(len(COLUMNS[lead]), min(widths[lead], room))
        table.clear(columns=True)
        for label, width in zip(COLUMNS, widths, strict=True):
            table.add_column(label, width=width)
        for rep, row in zip(message.reps, rows, strict=True):
            table.add_row(
                *(_fit(text, width) for text, width in zip(row, widths, strict=True)), key=rep.rep
            )
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
