"""Everything the team lead's dashboard shows, gathered in one call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from prospector.foundations.clock import Clock
from prospector.foundations.db import Database
from prospector.services import standby
from prospector.services.forecast import Forecast, forecast
from prospector.services.reports.common import TEAM, Row
from prospector.services.reports.daily import daily
from prospector.services.reports.funnel import funnel
from prospector.services.reports.hourly import dials_by_hour
from prospector.services.reports.periods import Period, period_of_words
from prospector.services.reports.pipeline import pipeline
from prospector.services.reports.sla import sla
from prospector.services.reports.sources import sources
from prospector.services.settings import load_settings

PIPELINE_WEEKS = 8
SOURCES_DAYS = 91


@dataclass(frozen=True)
class DashboardData:
    """The dashboard's figures for one period, as of ``as_of``."""

    period: Period
    as_of: datetime
    daily: list[Row]
    """One day: each rep and the TEAM row. Several days: the TEAM row of each day."""
    activity: list[tuple[str, int]]
    """(label, dials): per clock hour for one day, per day for several."""
    activity_unit: str  # "hour" or "day"
    funnel: Row
    """The team's funnel row over the period."""
    pipeline: list[Row]
    """The 8 weeks ending with the period's last day, then the TOTAL row."""
    sla: list[Row]
    target: float
    sources_period: Period
    """The 13 weeks (91 days) ending with the period's last day."""
    sources: list[Row]
    """The sources report over ``sources_period``."""
    queue: Forecast
    """The queue forecast now (``queue --forecast``), whatever the period."""
    standby_lists: list[standby.StandbyState]


def dashboard_data(db: Database, clock: Clock, words: str = "today") -> DashboardData:
    """Read the dashboard's figures for the day or range ``words`` names.

    Raises:
        TimeWordsError: ``words`` is not a date or a range of dates.
    """
    settings = load_settings(db)
    now = clock()
    period = period_of_words(words, zone=settings.team.zone, now=now)
    days = daily(db, period, clock)
    if period.first == period.last:
        activity = [(row["label"], row["dials"]) for row in dials_by_hour(db, period, clock)]
        unit = "hour"
    else:
        days = [row for row in days if row["rep"] == TEAM]
        activity = [(row["day"][5:], row["dials"]) for row in days]
        unit = "day"
    weeks = Period(period.last - timedelta(days=7 * PIPELINE_WEEKS - 1), period.last, period.zone)
    quarter = Period(period.last - timedelta(days=SOURCES_DAYS - 1), period.last, period.zone)
    return DashboardData(
        period=period,
        as_of=now,
        daily=days,
        activity=activity,
        activity_unit=unit,
        funnel=funnel(db, period, clock)[-1],
        pipeline=pipeline(db, weeks, clock, settings=settings),
        sla=sla(db, period, clock, settings=settings),
        target=settings.team.weekly_pipeline_target,
        sources_period=quarter,
        sources=sources(db, quarter, clock, settings=settings),
        queue=forecast(db, now=now, settings=settings),
        standby_lists=standby.states(db, settings),
    )
