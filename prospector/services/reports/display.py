"""How report values read on screen: column choices, headers and cell text.

Shared by the CLI's tables and the dashboard so both say the same thing. CSV and
JSON output carry the raw values, every key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prospector.services.reports.common import Row

HEADERS = {
    "day": "Day",
    "rep": "Rep",
    "source": "Source",
    "dials": "Dials",
    "connects": "Connects",
    "conversations": "Convs",
    "qualified": "Qualified",
    "connect_rate": "Connect %",
    "conversation_rate": "Conv %",
    "qualified_rate": "Qual %",
    "talk_seconds": "Talk",
    "first_dial": "First",
    "last_dial": "Last",
    "dials_per_hour": "Dials/h",
    "pipeline_amount": "Pipeline",
    "tier": "Tier",
    "received": "Leads",
    "within_sla_share": "In SLA %",
    "median_speed_seconds": "Median",
    "p95_speed_seconds": "P95",
    "median_working_seconds": "Median work",
    "p95_working_seconds": "P95 work",
    "band_0_5m": "0-5m",
    "band_5_15m": "5-15m",
    "band_15_60m": "15-60m",
    "band_1_24h": "1-24h",
    "band_later": "Later",
    "not_dialed": "Undialed",
    "closed_before_min_attempts": "Closed early",
    "overdue_now": "Overdue",
    "acceptance_rate": "Accepted %",
    "attempt": "Attempt",
    "contact_rate": "Contact %",
    "dimension": "By",
    "segment": "Segment",
    "leads": "Leads",
    "filtered": "Filtered",
    "dialed": "Dialed",
    "conversed": "Conversed",
    "week": "Week",
    "handoffs": "Handoffs",
    "amount": "Amount",
    "target": "Target",
    "attainment": "Of target",
    "worked": "Worked",
    "accepted": "Accepted",
    "pipeline_share": "Share %",
    "won_amount": "Won",
    "win_rate": "Win %",
    "median_days_to_close": "Days to close",
    "goal_dials": "Goal dials",
    "goal_connects": "Goal conn",
    "goal_conversations": "Goal convs",
    "goal_meetings": "Goal mtgs",
    "objection": "Objection",
    "key": "Key",
    "calls": "Calls",
    "meetings": "Meetings",
    "callbacks": "Callbacks",
    "not_interested": "Not int.",
    "other": "Other",
    "meeting_rate": "Meeting %",
    "ready_seconds": "Ready",
    "on_call_seconds": "On call",
    "wrap_up_seconds": "Wrap-up",
    "paused_seconds": "Paused",
    "total_seconds": "Total",
}

TABLE_COLUMNS = {
    "daily": (
        "rep",
        "dials",
        "connects",
        "conversations",
        "qualified",
        "connect_rate",
        "conversation_rate",
        "talk_seconds",
        "first_dial",
        "last_dial",
        "dials_per_hour",
        "goal_dials",
        "goal_connects",
        "goal_conversations",
        "goal_meetings",
    ),
    "funnel": (
        "dials",
        "connects",
        "conversations",
        "qualified",
        "pipeline_amount",
        "connect_rate",
        "conversation_rate",
        "qualified_rate",
    ),
    "sla": (
        "tier",
        "received",
        "within_sla_share",
        "median_speed_seconds",
        "p95_speed_seconds",
        "median_working_seconds",
        "p95_working_seconds",
        "band_0_5m",
        "band_5_15m",
        "band_15_60m",
        "band_1_24h",
        "band_later",
        "not_dialed",
        "closed_before_min_attempts",
        "overdue_now",
        "acceptance_rate",
    ),
    "attempts": (
        "attempt",
        "dials",
        "connects",
        "conversations",
        "contact_rate",
        "conversation_rate",
    ),
    "segments": (
        "dimension",
        "segment",
        "leads",
        "filtered",
        "dialed",
        "conversed",
        "qualified",
        "conversation_rate",
        "qualified_rate",
    ),
    "pipeline": ("week", "handoffs", "amount", "target", "attainment"),
    # and, after paused, each pause code's column (table_columns)
    "time": ("rep", "ready_seconds", "on_call_seconds", "wrap_up_seconds", "paused_seconds"),
    "sources": (
        "source",
        "tier",
        "leads",
        "filtered",
        "worked",
        "handoffs",
        "accepted",
        "acceptance_rate",
        "pipeline_amount",
        "pipeline_share",
        "won_amount",
        "win_rate",
        "median_days_to_close",
    ),
    "objections": (
        "objection",
        "key",
        "dimension",
        "segment",
        "calls",
        "meetings",
        "callbacks",
        "not_interested",
        "other",
        "meeting_rate",
    ),
}

_PERCENT = ("_rate", "_share", "attainment")
_DURATION = (
    "talk_seconds",
    "median_speed_seconds",
    "p95_speed_seconds",
    "median_working_seconds",
    "p95_working_seconds",
)
_MONEY = (
    "amount",
    "pipeline_amount",
    "target",
    "mean_amount",
    "quarter_amount",
    "projection",
    "won_amount",
    "inbound_pipeline_amount",
)


def table_columns(name: str, rows: list[Row]) -> list[str]:
    """The keys a report's table shows (the day column only when several days show)."""
    columns = list(TABLE_COLUMNS[name])
    if name == "funnel":
        columns.insert(0, "source" if rows and "source" in rows[0] else "rep")
    if name == "time":
        columns += [key for key in rows[0] if key.startswith("paused_") and key not in columns]
        columns.append("total_seconds")
    if name in ("daily", "time") and len({row["day"] for row in rows}) > 1:
        columns.insert(0, "day")
    return columns


def header(key: str) -> str:
    if key not in HEADERS and key.startswith("paused_") and key.endswith("_seconds"):
        return key.removeprefix("paused_").removesuffix("_seconds").capitalize()  # a pause code
    return HEADERS.get(key, key.replace("_", " ").capitalize())


def duration_text(seconds: float) -> str:
    """``42s``, ``7m 05s``, ``3h 07m``, ``2d 04h``: short, and exact enough to read."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    if seconds < 86400:
        return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"
    return f"{seconds // 86400}d {seconds % 86400 // 3600:02d}h"


def cell(key: str, value: Any) -> str:
    """One value as table text."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key.endswith(_PERCENT):
        return f"{value * 100:.1f}%"
    if key in _DURATION or key.endswith("_seconds"):
        return duration_text(value)
    if key in _MONEY:
        return f"{value:,.2f}"
    if key in ("first_dial", "last_dial"):
        return datetime.fromisoformat(value).strftime("%H:%M")
    if key == "median_days_to_close":
        return f"{value:g}"
    if key == "cv":
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def pipeline_caption(total: Row) -> str:
    """The steadiness line under the pipeline table (from its TOTAL row)."""
    parts = [
        f"mean of complete weeks {cell('mean_amount', total['mean_amount'])}",
        f"CV {cell('cv', total['cv'])}",
        f"quarter so far {cell('quarter_amount', total['quarter_amount'])}",
        f"projection at quarter end {cell('projection', total['projection'])}"
        f" ({total['weeks_left']:.1f} weeks left)",
    ]
    return " · ".join(parts)


def inbound_caption(total: Row) -> str:
    """The inbound line under the sources table (from its last row)."""
    line = (
        f"inbound pipeline {cell('inbound_pipeline_amount', total['inbound_pipeline_amount'])}"
        f" = {cell('inbound_share', total['inbound_share'])} of all pipeline"
        f" (target {cell('inbound_share', total['inbound_target'])})"
    )
    return line + (" · UNDER TARGET" if total["under_target"] else "")
