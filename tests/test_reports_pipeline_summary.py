"""Pipeline per week, the summary tables against a recount, and team days."""

from __future__ import annotations

import math
import statistics
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from prospector.foundations.db import open_database
from prospector.foundations.errors import TimeWordsError
from prospector.services.fit import replace_settings
from prospector.services.reports import daily, pipeline, rebuild_summaries
from prospector.services.reports.periods import (
    Period,
    ReportError,
    day_hours,
    resolve_period,
    team_day_bounds,
)
from prospector.services.settings import default_settings, load_settings, parse_settings
from tests.conftest import MONDAY_10_ET
from tests.report_factories import add_contact, log, qualify

ET = ZoneInfo("America/New_York")


def et(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ET)


def test_pipeline_weeks_steadiness_and_projection(db, clock):
    for at, amount in (
        (et(10, 20, 11), 7000),  # this quarter, before the report's weeks
        (et(11, 3, 11), 10000),
        (et(11, 8, 23, 30), 20000),  # Sunday night ET: Monday 04:30 UTC, still week Nov 2
        (et(11, 18, 11), 45000),
        (et(11, 20, 16), 15000),
        (et(11, 23, 9), 5000),  # this (incomplete) week, before now (10:00)
    ):
        contact = add_contact(db, created_at=et(10, 1, 9))
        qualify(db, contact, rep="alice", at=at, amount=amount)
    period = Period(date(2026, 11, 2), date(2026, 11, 23), ET)
    *weeks, total = pipeline(db, period, clock)
    assert [(w["week"], w["handoffs"], w["amount"], w["complete"]) for w in weeks] == [
        ("2026-11-02", 2, 30000.0, True),
        ("2026-11-09", 0, 0.0, True),
        ("2026-11-16", 2, 60000.0, True),
        ("2026-11-23", 1, 5000.0, False),
    ]
    assert weeks[0]["week_end"] == "2026-11-08"
    assert [w["attainment"] for w in weeks] == [0.5, 0.0, 1.0, round(5000 / 60000, 4)]
    assert (total["week"], total["handoffs"], total["amount"]) == ("TOTAL", 5, 95000.0)
    assert total["target"] == 240000.0
    assert total["mean_amount"] == 30000.0
    # population standard deviation of 30000, 0, 60000 over their mean 30000
    assert total["cv"] == round(math.sqrt(2 / 3), 4)
    assert total["cv"] == round(statistics.pstdev([30000, 0, 60000]) / 30000, 4)
    assert total["quarter_amount"] == 102000.0
    weeks_left = (38 + 14 / 24) / 7  # Mon Nov 23 10:00 → Jan 1 00:00 ET
    assert total["weeks_left"] == round(weeks_left, 4)
    assert total["projection"] == round(102000 + 30000 * weeks_left, 2)


def test_pipeline_without_complete_weeks_projects_nothing(db, clock):
    *weeks, total = pipeline(db, Period(date(2026, 11, 23), date(2026, 11, 23), ET), clock)
    assert [w["week"] for w in weeks] == ["2026-11-23"]
    assert (total["cv"], total["mean_amount"], total["projection"]) == (None, None, None)


def _summaries(db) -> tuple[list[tuple], list[tuple]]:
    daily_rows = [tuple(r) for r in db.query("SELECT * FROM call_stats_daily ORDER BY 1, 2, 3, 4")]
    hourly = [tuple(r) for r in db.query("SELECT * FROM call_stats_hourly ORDER BY 1, 2")]
    return daily_rows, hourly


CALLS = st.lists(
    st.tuples(
        st.integers(0, 2),  # contact
        st.sampled_from(["ann", "ben"]),
        st.integers(0, 14 * 24 * 60),  # minutes after Oct 28 00:00 UTC (spans DST end)
        st.sampled_from(["no_answer", "gatekeeper", "callback", "busy"]),
        st.integers(0, 900),
    ),
    max_size=25,
)


@hsettings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(calls=CALLS)
def test_summaries_kept_by_log_equal_a_recount(new_database, calls):
    db = open_database(new_database())
    try:
        start = datetime(2026, 10, 28, tzinfo=UTC)
        contacts = [
            add_contact(db, created_at=start, source=source) for source in ("inbound", "list", None)
        ]
        for contact, rep, minutes, disposition, seconds in calls:
            at = start + timedelta(minutes=minutes)
            callback = at + timedelta(days=1) if disposition == "callback" else None
            log(db, contacts[contact], disposition, rep=rep, at=at, duration=seconds,
                callback=callback)  # fmt: skip
        kept = _summaries(db)
        with db.write():
            counted = rebuild_summaries(db, load_settings(db))
        assert counted["calls"] == len(calls)
        assert _summaries(db) == kept
        assert sum(row[4] for row in kept[0]) == len(calls)
    finally:
        db.close()


def test_zone_change_recounts_team_days(db):
    contact = add_contact(db, created_at=et(11, 19, 9))
    log(db, contact, "no_answer", rep="carol", at=et(11, 20, 23, 50))
    log(db, contact, "no_answer", rep="carol", at=et(11, 21, 0, 10))
    clock_ = lambda: MONDAY_10_ET  # noqa: E731
    friday = Period(date(2026, 11, 20), date(2026, 11, 20), ET)
    assert daily(db, friday, clock_)[-1]["dials"] == 1
    text = default_settings().source_text.replace("America/New_York", "America/Los_Angeles")
    replace_settings(db, parse_settings(text), actor="lead", now=MONDAY_10_ET)
    pacific = Period(date(2026, 11, 20), date(2026, 11, 20), ZoneInfo("America/Los_Angeles"))
    assert daily(db, pacific, clock_)[-1]["dials"] == 2  # 20:50 and 21:10 Pacific


def test_team_day_bounds_across_dst():
    assert team_day_bounds(date(2026, 11, 1), ET) == (
        "2026-11-01T04:00:00Z",
        "2026-11-02T05:00:00Z",
    )
    assert day_hours(date(2026, 11, 1), ET) == 25
    assert day_hours(date(2026, 3, 8), ET) == 23
    assert day_hours(date(2026, 11, 20), ET) == 24


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("2026-11-20", ("2026-11-20", "2026-11-20")),
        ("3 days ago", ("2026-11-20", "2026-11-20")),
        ("friday", ("2026-11-20", "2026-11-20")),
        ("last week", ("2026-11-16", "2026-11-22")),
        ("this quarter", ("2026-10-01", "2026-12-31")),
        ("last 7 days", ("2026-11-17", "2026-11-23")),
        ("11/1 to 11/20", ("2026-11-01", "2026-11-20")),
    ],
)
def test_date_words_give_the_period(words, expected):
    # The words themselves are tested in test_timewords; here, that --date reads them.
    period = resolve_period(date_text=words, zone=ET, now=MONDAY_10_ET)
    assert (period.first.isoformat(), period.last.isoformat()) == expected


def test_late_evening_utc_is_still_the_team_day():
    # 2026-11-24 02:00 UTC is Monday 21:00 in New York.
    late = datetime(2026, 11, 24, 2, tzinfo=UTC)
    assert resolve_period(date_text="today", zone=ET, now=late).first == date(2026, 11, 23)


def test_from_and_to_take_the_ends_of_their_ranges():
    period = resolve_period(from_text="last month", to_text="last week", zone=ET, now=MONDAY_10_ET)
    assert (period.first, period.last) == (date(2026, 10, 1), date(2026, 11, 22))


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"date_text": "2026-13-01"}, TimeWordsError, "^--date .* has no month 13"),
        ({"date_text": "someday"}, TimeWordsError, "is not a date"),
        ({"to_text": "someday"}, TimeWordsError, "is not a date"),
        ({"from_text": "2026-11-20", "to_text": "2026-11-19"}, ReportError, "is after --to"),
        ({"date_text": "today", "from_text": "yesterday"}, ReportError, "cannot be combined"),
        ({"from_text": "last 0 days"}, TimeWordsError, "is not a date"),
    ],
)
def test_bad_periods(options, error, message):
    with pytest.raises(error, match=message):
        resolve_period(zone=ET, now=MONDAY_10_ET, **options)


def test_default_period_ends_today():
    period = resolve_period(zone=ET, now=MONDAY_10_ET, default_days=7)
    assert (period.first, period.last) == (date(2026, 11, 17), date(2026, 11, 23))
    assert resolve_period(from_text="last week", zone=ET, now=MONDAY_10_ET).first == date(
        2026, 11, 16
    )
