"""Pipeline per week against the target, how steady it is, and where the quarter lands."""

from __future__ import annotations

import statistics
from datetime import timedelta

from prospector.foundations.clock import Clock, to_db
from prospector.foundations.datewords import quarter_bounds
from prospector.foundations.db import Database
from prospector.services.reports.common import Row
from prospector.services.reports.periods import Period, day_start, week_monday
from prospector.services.settings import Settings, load_settings

TOTAL = "TOTAL"


def pipeline(
    db: Database, period: Period, clock: Clock, *, settings: Settings | None = None
) -> list[Row]:
    """One row per ISO week (Monday–Sunday, team days) touching the period, then ``TOTAL``.

    Week rows: ``week`` (its Monday), ``week_end`` (its Sunday), ``handoffs``
    (created that week, any status), ``amount`` (sum of ``amount_cents`` / 100),
    ``target`` (``settings.team.weekly_pipeline_target``), ``attainment``
    (amount / target, None without a target) and ``complete`` (the week ended
    before today, in the team's zone). The period is widened to whole weeks.

    The ``TOTAL`` row sums handoffs, amount and target, and adds:
    * ``mean_amount``: the mean weekly amount over the *complete* weeks;
    * ``cv``: their coefficient of variation, population standard deviation /
      mean (None with no complete week or a zero mean);
    * ``quarter_amount``: amount of handoffs created from the start of the
      calendar quarter holding today up to now;
    * ``weeks_left``: (end of that quarter − now) in weeks, fractional;
    * ``projection``: ``quarter_amount + mean_amount × weeks_left``
      (None with no complete week).
    """
    settings = settings or load_settings(db)
    zone = period.zone
    now = clock()
    today = now.astimezone(zone).date()
    target = settings.team.weekly_pipeline_target
    first = week_monday(period.first)
    weeks = []
    monday = first
    while monday <= period.last:
        weeks.append(monday)
        monday += timedelta(days=7)
    values: list[str] = []
    params: list[str] = []
    for monday in weeks:
        values.append("(?, ?, ?)")
        params += [
            monday.isoformat(),
            to_db(day_start(monday, zone)),
            to_db(day_start(monday + timedelta(days=7), zone)),
        ]
    found = {
        row["week"]: row
        for row in db.query(
            f"""WITH weeks(week, start, finish) AS (VALUES {", ".join(values)})
                SELECT w.week, count(*) AS handoffs,
                       coalesce(sum(h.amount_cents), 0) AS cents
                FROM weeks w JOIN handoffs h
                  ON h.created_at >= w.start AND h.created_at < w.finish
                GROUP BY w.week""",
            tuple(params),
        )
    }
    rows: list[Row] = []
    complete_amounts = []
    for monday in weeks:
        row = found.get(monday.isoformat())
        amount = (row["cents"] if row else 0) / 100
        complete = monday + timedelta(days=6) < today
        if complete:
            complete_amounts.append(amount)
        rows.append(
            {
                "week": monday.isoformat(),
                "week_end": (monday + timedelta(days=6)).isoformat(),
                "handoffs": row["handoffs"] if row else 0,
                "amount": amount,
                "target": target,
                "attainment": round(amount / target, 4) if target else None,
                "complete": complete,
            }
        )
    quarter_first, quarter_last = quarter_bounds(today)
    quarter_cents = db.one(
        """SELECT coalesce(sum(amount_cents), 0) FROM handoffs
           WHERE created_at >= ? AND created_at <= ?""",
        (to_db(day_start(quarter_first, zone)), to_db(now)),
    )[0]  # type: ignore[index]
    quarter_end = day_start(quarter_last + timedelta(days=1), zone)
    weeks_left = max((quarter_end - now).total_seconds(), 0) / (7 * 86400)
    mean = statistics.fmean(complete_amounts) if complete_amounts else None
    cv = statistics.pstdev(complete_amounts) / mean if mean else None
    total_amount = sum(row["amount"] for row in rows)
    rows.append(
        {
            "week": TOTAL,
            "week_end": None,
            "handoffs": sum(row["handoffs"] for row in rows),
            "amount": round(total_amount, 2),
            "target": target * len(weeks),
            "attainment": round(total_amount / (target * len(weeks)), 4) if target else None,
            "complete": None,
            "mean_amount": round(mean, 2) if mean is not None else None,
            "cv": round(cv, 4) if cv is not None else None,
            "quarter_amount": quarter_cents / 100,
            "weeks_left": round(weeks_left, 4),
            "projection": round(quarter_cents / 100 + mean * weeks_left, 2)
            if mean is not None
            else None,
        }
    )
    for week_row in rows[:-1]:
        week_row |= dict.fromkeys(
            ("mean_amount", "cv", "quarter_amount", "weeks_left", "projection")
        )
    return rows
