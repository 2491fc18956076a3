"""SLA and segments reports, counted by hand. Now is Monday 2026-11-23 10:00 ET.

SLA leads (received Thu 19 – Fri 20 unless said; A = 1h of calling time, B = 1 business
day, C = 3 days; calling 09:00-17:00, lunch 12-13):

| lead | tier | received (ET) | first dial (ET) | speed | in calling time | deadline | |
|---|---|---|---|---|---|---|---|
| a1 | A | Fri 08:00 | Fri 09:03 | 3780 s | 180 s | Fri 10:00 | handoff accepted |
| a2 | A | Fri 09:00 | — | | | Fri 10:00 | overdue now |
| a3 | A | Thu 10:00 | Thu 10:04 | 240 s | 240 s | Thu 11:00 | handoff rejected |
| a4 | A | Thu 12:00 | Thu 12:10 | 600 s | 0 s (lunch) | Thu 14:00 | |
| b1 | B | Thu 15:00 | Fri 09:30 | 66600 s | 9000 s | Fri 15:00 | |
| b2 | B | Wed 18 09:00 | — | | | Thu 09:00 | not received in the period, overdue now |
| c1 | C | Fri 08:30 | Fri 11:03 | 9180 s | 7380 s | Mon 08:30 | |
| c2 | C | Fri 16:00 | — | | | Mon 16:00 | outcome not known yet |
| c3 | C | Thu 09:00 | Fri 11:00 | 93600 s | 32400 s | Sun 09:00 | |
| f1 | C | Fri 10:00 | | | | filtered: not counted |
| d1 | C | Fri 10:00 | | | | on the DNC list before any dial: not counted |
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from prospector.services.fit import replace_settings
from prospector.services.reports import segments, sla
from prospector.services.reports.periods import Period
from prospector.services.settings import default_settings, parse_settings
from tests.conftest import MONDAY_10_ET
from tests.report_factories import ack, add_contact, log, qualify

ET = ZoneInfo("America/New_York")
THU_FRI = Period(date(2026, 11, 19), date(2026, 11, 20), ET)


def et(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=ET)


def lead(db, tier: str, received: datetime, **fields) -> int:
    profile = {
        "A": {"source": "inbound", "employees": 500},
        "B": {"source": "list", "employees": 100},
        "C": {"source": "list", "employees": 20},
    }[tier]
    return add_contact(db, created_at=received, **(profile | fields))


@pytest.fixture
def leads(db):
    a1 = lead(db, "A", et(20, 8))
    log(db, a1, "no_answer", rep="alice", at=et(20, 9, 3))
    ack(db, qualify(db, a1, rep="alice", at=et(20, 10, 20), amount=100), "accepted", at=et(21, 9))
    lead(db, "A", et(20, 9))
    a3 = lead(db, "A", et(19, 10))
    log(db, a3, "meeting_set", rep="bob", at=et(19, 10, 4))
    ack(db, qualify(db, a3, rep="bob", at=et(19, 11), amount=100), "rejected", at=et(21, 9))
    a4 = lead(db, "A", et(19, 12))
    log(db, a4, "busy", rep="bob", at=et(19, 12, 10))
    b1 = lead(db, "B", et(19, 15))
    log(db, b1, "gatekeeper", rep="alice", at=et(20, 9, 30))
    lead(db, "B", et(18, 9))
    c1 = lead(db, "C", et(20, 8, 30))
    log(db, c1, "voicemail", rep="alice", at=et(20, 11, 3))
    lead(db, "C", et(20, 16))
    c3 = lead(db, "C", et(19, 9))
    log(db, c3, "voicemail", rep="alice", at=et(20, 11))
    lead(db, "C", et(20, 10), employees=5)  # filtered: fewer than 10 employees
    lead(db, "C", et(20, 10), dnc=True)
    return db


def test_sla_per_tier(leads, clock):
    rows = {row["tier"]: row for row in sla(leads, THU_FRI, clock)}
    assert list(rows) == ["A", "B", "C", "ALL"]
    a, b, c, total = rows["A"], rows["B"], rows["C"], rows["ALL"]
    assert (a["received"], a["known"], a["within_sla"], a["within_sla_share"]) == (4, 4, 3, 0.75)
    assert (a["dialed"], a["median_speed_seconds"], a["p95_speed_seconds"]) == (3, 600, 3780)
    assert (a["median_working_seconds"], a["p95_working_seconds"]) == (180, 240)
    bands = ("band_0_5m", "band_5_15m", "band_15_60m", "band_1_24h", "band_later")
    assert [a[band] for band in bands] == [1, 1, 0, 1, 0]
    assert (a["not_dialed"], a["overdue_now"]) == (1, 1)
    assert (a["handoffs"], a["accepted"], a["rejected"], a["acceptance_rate"]) == (2, 1, 1, 0.5)

    assert (b["received"], b["within_sla_share"], b["median_speed_seconds"]) == (1, 1.0, 66600)
    assert (b["median_working_seconds"], b["p95_working_seconds"]) == (9000, 9000)
    assert [b[band] for band in bands] == [0, 0, 0, 1, 0]
    assert b["overdue_now"] == 1  # received on Wednesday, still overdue now
    assert b["acceptance_rate"] is None

    assert (c["received"], c["known"], c["within_sla"]) == (3, 2, 2)
    assert (c["median_speed_seconds"], c["p95_speed_seconds"]) == (51390, 93600)
    assert (c["median_working_seconds"], c["p95_working_seconds"]) == (19890, 32400)
    assert [c[band] for band in bands] == [0, 0, 0, 1, 1]
    assert (c["not_dialed"], c["overdue_now"]) == (1, 0)

    assert (total["received"], total["known"], total["within_sla"]) == (8, 7, 6)
    assert total["within_sla_share"] == round(6 / 7, 4)
    assert (total["median_speed_seconds"], total["p95_speed_seconds"]) == (6480, 93600)
    # 0, 180, 240 | 7380, 9000, 32400: the median between the third and fourth.
    assert (total["median_working_seconds"], total["p95_working_seconds"]) == (3810, 32400)
    assert [total[band] for band in bands] == [1, 1, 0, 3, 1]
    assert (total["overdue_now"], total["acceptance_rate"]) == (2, 0.5)


def test_sla_of_an_empty_period(leads, clock):
    rows = sla(leads, Period(date(2026, 10, 1), date(2026, 10, 2), ET), clock)
    assert [row["received"] for row in rows] == [0, 0, 0, 0]
    assert rows[0]["median_speed_seconds"] is None and rows[0]["within_sla_share"] is None
    assert [row["overdue_now"] for row in rows] == [1, 1, 0, 2]  # overdue is "now", any date


def test_leads_closed_before_their_minimum_attempts(db, clock):
    # A team whose "wrong_number" simply closes the lead: closed with no conversation.
    text = default_settings().source_text.replace('then = "wrong_number"', 'then = "close"')
    replace_settings(db, parse_settings(text), actor="lead", now=MONDAY_10_ET)
    early = lead(db, "C", et(20, 9))
    log(db, early, "wrong_number", rep="alice", at=et(20, 9, 30))
    talked = lead(db, "C", et(20, 9))
    log(db, talked, "not_interested", rep="alice", at=et(20, 9, 40))
    rows = {row["tier"]: row for row in sla(db, THU_FRI, clock)}
    assert rows["C"]["closed_before_min_attempts"] == 1
    assert rows["ALL"]["closed_before_min_attempts"] == 1


def test_segments_by_industry_band_source_and_list(db, clock):
    s1 = add_contact(
        db,
        created_at=et(20, 9),
        industry="Software",
        employees=500,
        source="inbound",
        list_name="webinar-nov",
    )
    log(db, s1, "meeting_set", rep="alice", at=et(20, 10))
    qualify(db, s1, rep="alice", at=et(20, 10, 5), amount=5000)
    s2 = add_contact(
        db, created_at=et(19, 9), industry="Software", employees=30, source="list",
        list_name="q4-list",
    )  # fmt: skip
    log(db, s2, "no_answer", rep="alice", at=et(20, 11))
    add_contact(
        db, created_at=et(19, 9), industry="eCommerce", employees=100, source="list",
        list_name="q4-list",
    )  # fmt: skip
    add_contact(db, created_at=et(20, 12))
    add_contact(db, created_at=et(10, 12), industry="Software", source="inbound")  # before
    rows = [
        (
            row["dimension"],
            row["segment"],
            row["leads"],
            row["filtered"],
            row["dialed"],
            row["conversed"],
            row["qualified"],
            row["conversation_rate"],
            row["qualified_rate"],
        )
        for row in segments(db, THU_FRI, clock)
    ]
    assert rows == [
        ("industry", "eCommerce", 1, 1, 0, 0, 0, None, None),
        ("industry", "Software", 2, 0, 2, 1, 1, 0.5, 0.5),
        ("industry", "(none)", 1, 0, 0, 0, 0, None, None),
        ("employees", "10-49", 1, 0, 1, 0, 0, 0.0, 0.0),
        ("employees", "50-199", 1, 1, 0, 0, 0, None, None),
        ("employees", "200-999", 1, 0, 1, 1, 1, 1.0, 1.0),
        ("employees", "(none)", 1, 0, 0, 0, 0, None, None),
        ("source", "inbound", 1, 0, 1, 1, 1, 1.0, 1.0),
        ("source", "list", 2, 1, 1, 0, 0, 0.0, 0.0),
        ("source", "(none)", 1, 0, 0, 0, 0, None, None),
        ("list", "q4-list", 2, 1, 1, 0, 0, 0.0, 0.0),
        ("list", "webinar-nov", 1, 0, 1, 1, 1, 1.0, 1.0),
        ("list", "(none)", 1, 0, 0, 0, 0, None, None),
    ]
