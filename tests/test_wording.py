"""Words the rep reads: counts with their noun, the SLA near its deadline."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from prospector.foundations.db import open_database
from prospector.foundations.wording import counted
from prospector.services.calls import log_call
from prospector.services.queue import sla_words
from prospector.tui.widgets.history import HistoryView
from tests.tui_support import START, pinned_app, run_async, started, team_database


def test_counted_takes_the_plural_except_for_one() -> None:
    assert [counted(n, "call") for n in (0, 1, 2)] == ["0 calls", "1 call", "2 calls"]
    assert counted(1, "reply", "replies") == "1 reply"
    assert counted(3, "reply", "replies") == "3 replies"


def test_the_sla_within_a_minute_is_due_now() -> None:
    assert sla_words(timedelta(minutes=42)) == "SLA 42 min left"
    assert sla_words(timedelta(seconds=59)) == "SLA due now"
    assert sla_words(timedelta(0)) == "SLA due now"
    assert sla_words(timedelta(seconds=-59)) == "SLA due now"
    assert sla_words(timedelta(minutes=-1)) == "SLA overdue by 1 min"
    assert sla_words(timedelta(hours=-2)) == "SLA overdue by 2 h"


@given(st.integers(min_value=-(10**7), max_value=10**7))
def test_the_sla_never_reads_zero_minutes(seconds: int) -> None:
    words = sla_words(timedelta(seconds=seconds))
    assert " 0 min" not in words
    assert words.startswith("SLA overdue" if seconds <= -60 else "SLA ")


@run_async
async def test_history_of_one_call_says_one_call(db_path: Path) -> None:
    ids = team_database(db_path, now=START - timedelta(days=2))
    with open_database(db_path) as db:
        for contact in ids.values():
            log_call(db, contact, "no_answer", rep="bob", now=START - timedelta(days=1))
    app = pinned_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await started(pilot)
        assert screen.query_one(HistoryView).border_title == "History (1 call)"
