"""The dashboard's queue-health panel: work left per rep, SLAs at risk, standby lists.

Its figures are those of ``queue --forecast`` (:mod:`prospector.services.forecast`),
read with the rest of the dashboard.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual.widgets import DataTable

from prospector.services.forecast import Forecast
from prospector.services.standby import StandbyState

COLUMNS = ("rep", "now", "today", "SLA 1h", "late")


class QueueHealth(DataTable):
    """One row per rep and the TEAM's: callable now, hours left today, SLAs this hour."""

    def show(self, work: Forecast, lists: list[StandbyState], zone: ZoneInfo) -> None:
        rows = [
            (row.who, str(row.callable_now), f"{row.hours_today:.1f} h",
             str(row.sla_next_hour), str(row.sla_overdue))
            for row in (*work.reps, work.team)
        ]  # fmt: skip
        self.clear(columns=True)
        for index, label in enumerate(COLUMNS):
            self.add_column(label, width=max([len(label), *(len(row[index]) for row in rows)]))
        for row in rows:
            self.add_row(*row)
        self.border_title = "Queue health"
        self.border_subtitle = standby_line(lists, zone)


def standby_line(lists: list[StandbyState], zone: ZoneInfo) -> str:
    """ "standby 1 left · Backfill opened Mon 10:45" (the latest opening), or ""."""
    if not lists:
        return ""
    left = sum(state.opened_at is None for state in lists)
    opened = [(state.opened_at, state.name) for state in lists if state.opened_at is not None]
    text = f"{left} standby left"
    if opened:
        when, name = max(opened)
        text += f" · {name} {when.astimezone(zone):%a %H:%M}"
    return text
