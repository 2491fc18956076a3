"""Daily, funnel and attempts reports on a hand-built Friday, every figure counted by hand.

The team is in America/New_York (UTC-5 in November). Friday 2026-11-20:

| ET time | rep | contact | disposition | category | attempt | seconds |
|---|---|---|---|---|---|---|
| 09:03 | alice | c1 (inbound) | no_answer | dial | 1 | 0 |
| 09:30 | alice | c2 (list) | gatekeeper | connect | 1 | 40 |
| 10:15 | alice | c1 | meeting_set | conversation | 2 | 300 |
| 10:20 | alice qualifies c1 for 12,000 |
| 11:03 | alice | c3 (list) | voicemail | dial | 1 | 0 |
| 13:00 | bob | c2 | no_answer | dial | 2 | 0 |
| 13:30 | bob | c3 | busy | dial | 2 | 0 |
| 23:50 | carol | c2 | no_answer | dial | 3 | 0 |
| Sat 00:10 | carol | c3 | not_interested | conversation | 3 | 120 |

Carol's two calls are both on Saturday in UTC (04:50Z and 05:10Z): the team's
days put the first on Friday.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from prospector.foundations.clock import fixed_clock
from prospector.services.reports import attempts, daily, funnel
from prospector.services.reports.periods import Period
from tests.report_factories import add_contact, log, qualify

ET = ZoneInfo("America/New_York")


def et(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ET)


def period(first: int, last: int | None = None) -> Period:
    from datetime import date

    return Period(date(2026, 11, first), date(2026, 11, last or first), ET)


@pytest.fixture
def friday(db):
    c1 = add_contact(db, created_at=et(20, 8), source="inbound", employees=500)
    c2 = add_contact(db, created_at=et(19, 15), source="list", employees=100)
    c3 = add_contact(db, created_at=et(20, 8, 30), source="list", employees=20)
    log(db, c1, "no_answer", rep="alice", at=et(20, 9, 3))
    log(db, c2, "gatekeeper", rep="alice", at=et(20, 9, 30), duration=40)
    log(db, c1, "meeting_set", rep="alice", at=et(20, 10, 15), duration=300)
    qualify(db, c1, rep="alice", at=et(20, 10, 20), amount=12000)
    log(db, c3, "voicemail", rep="alice", at=et(20, 11, 3))
    log(db, c2, "no_answer", rep="bob", at=et(20, 13))
    log(db, c3, "busy", rep="bob", at=et(20, 13, 30))
    log(db, c2, "no_answer", rep="carol", at=et(20, 23, 50))
    log(db, c3, "not_interested", rep="carol", at=et(21, 0, 10), duration=120)
    return db


def test_daily_counts_each_rep_and_the_team(friday, clock):
    rows = daily(friday, period(20), clock)
    assert [row["rep"] for row in rows] == ["alice", "bob", "carol", "TEAM"]
    alice, bob, carol, team = rows
    assert alice == {
        "day": "2026-11-20",
        "rep": "alice",
        "dials": 4,
        "connects": 2,
        "conversations": 1,
        "qualified": 1,
        "connect_rate": 0.5,
        "conversation_rate": 0.25,
        "talk_seconds": 340,
        "first_dial": "2026-11-20T09:03:00-05:00",
        "last_dial": "2026-11-20T11:03:00-05:00",
        "dials_per_hour": 2.0,  # 4 dials over 2 hours
        # The team's goal: alice has none of her own.
        "goal_dials": 80,
        "goal_connects": 20,
        "goal_conversations": 10,
        "goal_meetings": 2,
    }
    # A rep with only dials: rates are zero, not missing; half an hour counts as one.
    assert (bob["dials"], bob["connects"], bob["conversations"], bob["talk_seconds"]) == (
        2,
        0,
        0,
        0,
    )
    assert (bob["connect_rate"], bob["conversation_rate"], bob["dials_per_hour"]) == (0, 0, 2.0)
    # Carol's 23:50 ET call is Friday's; her 00:10 call is Saturday's.
    assert (carol["dials"], carol["first_dial"], carol["dials_per_hour"]) == (
        1,
        "2026-11-20T23:50:00-05:00",
        1.0,  # a single dial: one dial per hour, by definition
    )
    assert team["dials"] == 7
    assert (team["connects"], team["conversations"], team["qualified"]) == (2, 1, 1)
    assert team["talk_seconds"] == 340
    assert (team["first_dial"], team["last_dial"]) == (
        "2026-11-20T09:03:00-05:00",
        "2026-11-20T23:50:00-05:00",
    )
    assert team["connect_rate"] == round(2 / 7, 4)
    assert team["conversation_rate"] == round(1 / 7, 4)
    assert team["dials_per_hour"] == round(7 / (14 + 47 / 60), 2)  # 09:03 → 23:50


def test_daily_over_a_weekend_has_a_team_row_for_the_empty_day(friday, clock):
    rows = daily(friday, period(21, 22), clock)
    assert [(row["day"], row["rep"], row["dials"]) for row in rows] == [
        ("2026-11-21", "carol", 1),
        ("2026-11-21", "TEAM", 1),
        ("2026-11-22", "TEAM", 0),
    ]
    carol, _, sunday = rows
    assert (carol["connects"], carol["conversations"], carol["talk_seconds"]) == (1, 1, 120)
    assert sunday["connect_rate"] is None and sunday["first_dial"] is None
    assert sunday["dials_per_hour"] is None


def test_daily_for_one_rep(friday, clock):
    rows = daily(friday, period(20), clock, rep="bob")
    assert [(row["rep"], row["dials"]) for row in rows] == [("bob", 2), ("TEAM", 2)]


def test_a_handoff_without_calls_that_day_still_counts(db, clock):
    contact = add_contact(db, created_at=et(16, 9), source="inbound", employees=300)
    log(db, contact, "callback", rep="dave", at=et(18, 10), duration=60, callback=et(20, 10))
    qualify(db, contact, rep="dave", at=et(19, 9), amount=500)
    rows = daily(db, period(19), clock)
    assert [(row["rep"], row["dials"], row["qualified"]) for row in rows] == [
        ("dave", 0, 1),
        ("TEAM", 0, 1),
    ]


def test_funnel_by_rep(friday, clock):
    rows = funnel(friday, period(20, 22), clock)
    table = {
        row["rep"]: (
            row["dials"],
            row["connects"],
            row["conversations"],
            row["qualified"],
            row["pipeline_amount"],
        )
        for row in rows
    }
    assert table == {
        "alice": (4, 2, 1, 1, 12000.0),
        "bob": (2, 0, 0, 0, 0.0),
        "carol": (2, 1, 1, 0, 0.0),
        "TEAM": (8, 3, 2, 1, 12000.0),
    }
    assert rows[-1]["rep"] == "TEAM"
    assert rows[-1]["qualified_rate"] == 0.5  # 1 handoff per 2 conversations
    assert rows[-1]["connect_rate"] == round(3 / 8, 4)


def test_funnel_by_source(friday, clock):
    rows = funnel(friday, period(20, 22), clock, by="source")
    table = {
        row["source"]: (row["dials"], row["connects"], row["conversations"], row["qualified"])
        for row in rows
    }
    assert table == {"inbound": (2, 1, 1, 1), "list": (6, 2, 1, 0), "TEAM": (8, 3, 2, 1)}
    assert rows[0]["pipeline_amount"] == 12000.0


def test_funnel_for_one_rep_by_source(friday, clock):
    rows = funnel(friday, period(20, 22), clock, by="source", rep="carol")
    assert [(row["source"], row["dials"], row["conversations"]) for row in rows] == [
        ("list", 2, 1),
        ("TEAM", 2, 1),
    ]


def test_attempts_contact_rate(friday, clock):
    rows = attempts(friday, period(20, 22), clock)
    assert [
        (row["attempt"], row["dials"], row["connects"], row["conversations"]) for row in rows
    ] == [(1, 3, 1, 0), (2, 3, 1, 1), (3, 2, 1, 1)]
    assert [row["contact_rate"] for row in rows] == [0.3333, 0.3333, 0.5]
    assert attempts(friday, period(20), clock, rep="alice")[1]["dials"] == 1


def test_friday_alone_leaves_out_saturday_calls(friday, clock):
    assert [row["dials"] for row in attempts(friday, period(20), clock)] == [3, 3, 1]


def test_dst_day_has_25_hours_and_keeps_its_calls(db):
    # 2026-11-01: clocks go back at 02:00 EDT. 00:30 EDT is 04:30Z; 23:30 EST is
    # 04:30Z on the 2nd: exactly 24 hours apart, both on the team's November 1st.
    contact = add_contact(db, created_at=et(1, 0, 5))
    at_0030 = datetime(2026, 11, 1, 0, 30, tzinfo=ET)
    first_0130 = datetime(2026, 11, 1, 1, 30, tzinfo=ET, fold=0)  # EDT, 05:30Z
    second_0130 = datetime(2026, 11, 1, 1, 30, tzinfo=ET, fold=1)  # EST, 06:30Z
    at_2330 = datetime(2026, 11, 1, 23, 30, tzinfo=ET)
    for at in (at_0030, first_0130, second_0130, at_2330):
        log(db, contact, "no_answer", rep="erin", at=at)
    log(db, contact, "no_answer", rep="erin", at=et(2, 0, 30))
    clock = fixed_clock(et(23, 10))
    erin, team = daily(db, period(1), clock)
    assert team["dials"] == 4
    assert erin["dials"] == 4
    assert erin["first_dial"] == "2026-11-01T00:30:00-04:00"
    assert erin["last_dial"] == "2026-11-01T23:30:00-05:00"
    assert erin["dials_per_hour"] == round(4 / 24, 2)
    from prospector.services.reports import dials_by_hour

    hours = dials_by_hour(db, period(1), clock)
    assert [(row["label"], row["dials"]) for row in hours] == [
        ("00:00", 1),
        ("01:00", 1),
        ("01:00", 1),  # the repeated hour
        ("23:00", 1),
    ]
    assert hours[1]["hour"] != hours[2]["hour"]
    assert timedelta(hours=1) == datetime.fromisoformat(hours[2]["hour"]) - datetime.fromisoformat(
        hours[1]["hour"]
    )
