"""Team lead reports: plain functions of (database, period, clock, grouping) → rows.

Each report module holds one report; :func:`run_report` is the one entry point
the CLI and the dashboard use, checking which options a report accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from prospector.foundations.clock import Clock
from prospector.foundations.db import Database
from prospector.services.reports.attempts import attempts
from prospector.services.reports.common import TEAM, Row
from prospector.services.reports.daily import daily
from prospector.services.reports.funnel import funnel
from prospector.services.reports.hourly import dials_by_hour
from prospector.services.reports.objections import objections
from prospector.services.reports.periods import Period, ReportError, resolve_period
from prospector.services.reports.pipeline import pipeline
from prospector.services.reports.rep_time import rep_time
from prospector.services.reports.segments import segments
from prospector.services.reports.sla import sla
from prospector.services.reports.sources import sources
from prospector.services.reports.summary import rebuild_summaries, record_call
from prospector.services.settings import Settings, load_settings

__all__ = [
    "REPORTS",
    "TEAM",
    "Period",
    "ReportError",
    "ReportSpec",
    "Row",
    "attempts",
    "daily",
    "dials_by_hour",
    "funnel",
    "objections",
    "pipeline",
    "rebuild_summaries",
    "record_call",
    "rep_time",
    "report_period",
    "resolve_period",
    "run_report",
    "segments",
    "sla",
    "sources",
]


@dataclass(frozen=True)
class ReportSpec:
    """What a report accepts, and its period when no date is given."""

    function: Callable[..., list[Row]]
    default_days: int
    takes_rep: bool = False
    takes_by: bool = False
    takes_settings: bool = False


REPORTS: dict[str, ReportSpec] = {
    "daily": ReportSpec(daily, 1, takes_rep=True),
    "funnel": ReportSpec(funnel, 7, takes_rep=True, takes_by=True),
    "sla": ReportSpec(sla, 7, takes_settings=True),
    "attempts": ReportSpec(attempts, 7, takes_rep=True),
    "segments": ReportSpec(segments, 7),
    "pipeline": ReportSpec(pipeline, 91, takes_settings=True),
    "sources": ReportSpec(sources, 91, takes_settings=True),
    "objections": ReportSpec(objections, 7, takes_rep=True, takes_settings=True),
    "time": ReportSpec(rep_time, 1, takes_rep=True, takes_settings=True),
}


def _spec(name: str) -> ReportSpec:
    if name not in REPORTS:
        raise ReportError(f"unknown report {name!r} (expected one of: {', '.join(REPORTS)})")
    return REPORTS[name]


def report_period(
    name: str,
    settings: Settings,
    now: datetime,
    *,
    date: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> Period:
    """The team-day period a report covers for the given ``--date``/``--from``/``--to``.

    Without dates: ``daily`` and ``time`` are today, ``pipeline`` and ``sources`` the 91 days
    (13 weeks) ending today, the others the 7 days ending today.

    Raises:
        ReportError: unknown report, or dates that cannot be used.
    """
    return resolve_period(
        date_text=date,
        from_text=date_from,
        to_text=date_to,
        zone=settings.team.zone,
        now=now,
        default_days=_spec(name).default_days,
    )


def run_report(
    db: Database,
    name: str,
    clock: Clock,
    *,
    date: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    rep: str | None = None,
    by: str | None = None,
) -> list[Row]:
    """Run report ``name`` for the period the date options give.

    Raises:
        ReportError: an unknown report, bad dates, or an option the report does
            not take (``--rep`` on sla/segments/pipeline/sources, ``--by`` except on funnel).
    """
    spec = _spec(name)
    if rep is not None and not spec.takes_rep:
        raise ReportError(f"report {name} is for the whole team; --rep does not apply")
    if by is not None and not spec.takes_by:
        raise ReportError(f"--by applies to the funnel report, not to {name}")
    settings = load_settings(db)
    period = report_period(name, settings, clock(), date=date, date_from=date_from, date_to=date_to)
    options: dict[str, object] = {}
    if spec.takes_rep:
        options["rep"] = rep
    if by is not None:
        options["by"] = by
    if spec.takes_settings:
        options["settings"] = settings
    return spec.function(db, period, clock, **options)
