"""The team lead's dashboard: the day's table, queue health (work left now), activity and
funnel charts, pipeline, SLA, and the sources of pipeline.

Figures are read in a thread worker with its own database connection and posted
back as a message; the screen re-reads them every ``refresh_seconds`` while open.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual_plotext import PlotextPlot

from prospector.foundations.clock import Clock
from prospector.foundations.db import open_database
from prospector.foundations.errors import ProspectorError
from prospector.services.reports.common import ALL
from prospector.services.reports.dashboard import DashboardData, dashboard_data
from prospector.services.reports.display import TABLE_COLUMNS, cell, header
from prospector.tui.widgets.queue_health import QueueHealth

DAILY_COLUMNS = (
    "rep",
    "dials",
    "connects",
    "conversations",
    "qualified",
    "connect_rate",
    "talk_seconds",
    "first_dial",
    "last_dial",
    "dials_per_hour",
)
SLA_COLUMNS = (
    "tier",
    "received",
    "within_sla_share",
    "median_speed_seconds",
    "p95_speed_seconds",
    "closed_before_min_attempts",
    "overdue_now",
    "acceptance_rate",
)
SOURCES_COLUMNS = tuple(
    key for key in TABLE_COLUMNS["sources"] if key not in {"tier", "filtered", "accepted"}
)
# Short headers, so that the daily table's every column (Dials/h last) fits 80 columns.
SHORT_HEADERS = {
    "connects": "Conn",
    "conversations": "Conv",
    "qualified": "Qual",
    "connect_rate": "Conn %",
    "closed_before_min_attempts": "Early",
    "acceptance_rate": "Acc %",
    "median_days_to_close": "Days",
}


class DashboardScreen(Screen[None]):
    """Team figures for a day or a range typed in words ("yesterday", "last week")."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    # Under 30 rows the charts would get a line or none: they give way to the tables.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012 (Textual types it so)
    # Under 116 columns the daily table (74 wide) and queue health do not fit side by
    # side: queue health goes under it.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (116, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="dashboard.close"),
        Binding("r", "refresh_data", "Refresh", id="dashboard.refresh"),
        Binding("slash", "pick_date", "Date", id="dashboard.date"),
        Binding("f", "floor", "Floor", id="dashboard.floor"),
    ]

    @dataclass
    class Loaded(Message):
        """Fresh figures arrived from the worker."""

        words: str
        data: DashboardData

    @dataclass
    class Failed(Message):
        """The worker could not read the figures (bad date words, unusable database)."""

        error: str

    def __init__(self, db_path: str, clock: Clock, *, refresh_seconds: float = 30.0) -> None:
        super().__init__()
        self.db_path = db_path
        self.clock = clock
        self.refresh_seconds = refresh_seconds
        self.words = "today"

    def compose(self) -> ComposeResult:
        with Horizontal(id="dashboard-bar"):
            yield Input(
                value=self.words,
                placeholder="today, yesterday, last week, 2026-11-20 …",
                id="dashboard-date",
            )
            yield Static("loading…", id="dashboard-status")
        # The tables take their natural height; what does not fit scrolls (the arrow
        # keys and Page Up/Down move the whole dashboard).
        with VerticalScroll(id="dashboard-body"):
            with Horizontal(id="dashboard-top"):
                yield DataTable(id="dashboard-daily", cursor_type="none", zebra_stripes=True)
                yield QueueHealth(id="dashboard-queue", cursor_type="none")
            with Horizontal(id="dashboard-charts"):
                yield PlotextPlot(id="dashboard-activity")
                yield PlotextPlot(id="dashboard-funnel")
                yield PlotextPlot(id="dashboard-pipeline")
            yield DataTable(id="dashboard-sla", cursor_type="none")
            yield DataTable(id="dashboard-sources", cursor_type="none")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Team dashboard"
        self.query_one("#dashboard-daily", DataTable).border_title = "Daily"
        self.query_one("#dashboard-sla", DataTable).border_title = "SLA keeping"
        # Keys (r, /, esc) work at once; "/" moves to the date box.
        self.query_one("#dashboard-body").focus()
        self.action_refresh_data()
        self.set_interval(self.refresh_seconds, self._refresh_tick)

    def _refresh_tick(self) -> None:
        # A slow read is left to finish rather than restarted on every tick.
        if not any(
            worker.node is self and worker.group == "dashboard" and not worker.is_finished
            for worker in self.workers
        ):
            self.load(self.words)

    def action_refresh_data(self) -> None:
        self.load(self.words)

    def action_pick_date(self) -> None:
        self.query_one("#dashboard-date", Input).focus()

    def action_close(self) -> None:
        self.dismiss()

    def action_floor(self) -> None:
        """Each rep's state, lead and day so far (Esc comes back here)."""
        from prospector.tui.screens.floor import FloorScreen

        self.app.push_screen(FloorScreen(self.db_path, self.clock))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.load(event.value.strip() or "today")
        self.query_one("#dashboard-body").focus()

    @work(thread=True, exclusive=True, group="dashboard")
    def load(self, words: str) -> None:
        """Read the figures for ``words`` on a connection of the worker's own."""
        try:
            with open_database(self.db_path, create=False, check_same_thread=False) as db:
                data = dashboard_data(db, self.clock, words)
        except ProspectorError as error:
            self.post_message(self.Failed(str(error)))
            return
        self.post_message(self.Loaded(words, data))

    def on_dashboard_screen_failed(self, message: Failed) -> None:
        self.notify(message.error, severity="error", title="Dashboard")

    def on_dashboard_screen_loaded(self, message: Loaded) -> None:
        data = message.data
        period = data.period
        self.words = message.words
        span = (
            period.first.isoformat()
            if period.first == period.last
            else f"{period.first.isoformat()} → {period.last.isoformat()}"
        )
        as_of = data.as_of.astimezone(period.zone).strftime("%a %d %b %H:%M")
        self.query_one("#dashboard-status", Static).update(f"{span} · as of {as_of}")
        self._show_daily(data)
        self._show_activity(data)
        self._show_funnel(data)
        self._show_pipeline(data)
        self._show_sla(data)
        self._show_sources(data)
        self.query_one(QueueHealth).show(data.queue, data.standby_lists, period.zone)

    def _show_daily(self, data: DashboardData) -> None:
        table = self.query_one("#dashboard-daily", DataTable)
        table.clear(columns=True)
        columns = DAILY_COLUMNS if data.activity_unit == "hour" else ("day", *DAILY_COLUMNS[1:])
        _fill(table, columns, data.daily)

    def _show_activity(self, data: DashboardData) -> None:
        plot = self.query_one("#dashboard-activity", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(f"Dials per {data.activity_unit}")
        if data.activity:
            labels = [label for label, _ in data.activity]
            dials = [dials for _, dials in data.activity]
            plt.bar(labels, dials, width=0.6)
            _ticks(plot, labels)
            _from_zero(plot, dials)
        plot.refresh()

    def _show_funnel(self, data: DashboardData) -> None:
        plot = self.query_one("#dashboard-funnel", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        row = data.funnel
        plt.title(f"Funnel · {cell('amount', row['pipeline_amount'])}")
        counts = [row["dials"], row["connects"], row["conversations"], row["qualified"]]
        plt.bar(["Dials", "Conn", "Conv", "Qual"], counts, width=0.6)
        _from_zero(plot, counts)
        plot.refresh()

    def _show_pipeline(self, data: DashboardData) -> None:
        plot = self.query_one("#dashboard-pipeline", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        *weeks, total = data.pipeline
        cv = cell("cv", total["cv"])
        plt.title(f"Pipeline/week · CV {cv}")
        labels = [week["week"][5:] for week in weeks]
        amounts = [week["amount"] for week in weeks]
        plt.bar(labels, amounts, width=0.6)
        _ticks(plot, labels)
        if data.target:
            plt.hline(data.target)
        _from_zero(plot, [*amounts, data.target or 0])
        plot.refresh()

    def _show_sla(self, data: DashboardData) -> None:
        table = self.query_one("#dashboard-sla", DataTable)
        table.clear(columns=True)
        _fill(table, SLA_COLUMNS, data.sla)

    def _show_sources(self, data: DashboardData) -> None:
        table = self.query_one("#dashboard-sources", DataTable)
        *_, total = data.sources
        span = data.sources_period
        title = (
            f"Sources {span.first:%d %b} → {span.last:%d %b} · inbound"
            f" {cell('inbound_share', total['inbound_share'])} of pipeline"
            f" (target {cell('inbound_share', total['inbound_target'])})"
        )
        table.border_title = title + (" UNDER TARGET" if total["under_target"] else "")
        table.set_class(bool(total["under_target"]), "under-target")
        # One row per source (all its tiers) and the team's: `report sources` has the tiers.
        _fill(table, SOURCES_COLUMNS, [row for row in data.sources if row["tier"] == ALL])


def _fill(table: DataTable, columns: tuple[str, ...], rows: list[dict]) -> None:
    """Replace a table's columns and rows, each column as wide as its widest text."""
    texts = [[cell(key, row.get(key)) for key in columns] for row in rows]
    table.clear(columns=True)
    for index, key in enumerate(columns):
        label = SHORT_HEADERS.get(key) or header(key)
        width = max([len(label), *(len(line[index]) for line in texts)])
        table.add_column(label, width=width)
    for line in texts:
        table.add_row(*line)


def _from_zero(plot: PlotextPlot, values: Sequence[float]) -> None:
    """Counts and amounts start at 0: plotext would centre an all-zero chart on 0 and
    draw a negative axis (−0.33, −1.00)."""
    plot.plt.ylim(0, max([*values, 0]) or 1)


def _ticks(plot: PlotextPlot, labels: list[str]) -> None:
    """Label every k-th bar, k chosen so labels never collide.

    Plotext's own choice of which labels to print varies between runs; fixing it
    keeps the screen (and its snapshot) the same for the same data.
    """
    room = max(plot.size.width - 10, 10)
    step = max(1, math.ceil(len(labels) * (max(map(len, labels)) + 2) / room))
    positions: list[float] = list(range(1, len(labels) + 1, step))
    plot.plt.xticks(positions, [labels[int(p) - 1] for p in positions])
