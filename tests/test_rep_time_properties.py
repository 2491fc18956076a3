"""``report time`` cuts stays at the team's midnights and neither loses nor invents time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.foundations.clock import fixed_clock
from prospector.services import rep_states
from prospector.services.reports import rep_time
from prospector.services.reports.periods import Period, day_hours
from prospector.services.settings import load_settings

# 20:00 New York on the Saturday before the clocks go back (Sunday 1 Nov 2026 is 25 h).
START = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
STATES = [("ready", None), ("on_call", None), ("wrap_up", None), ("paused", "lunch"),
          ("paused", "admin"), ("offline", None)]  # fmt: skip

steps = st.lists(
    st.tuples(st.integers(1, 14 * 60), st.sampled_from(STATES), st.sampled_from(["ann", "ben"])),
    min_size=1,
    max_size=40,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps, tail=st.integers(0, 600))
def test_days_add_up_to_the_time_worked(db, steps, tail) -> None:
    with db.write():
        db.execute("DELETE FROM rep_states")
    now = START
    worked = dict.fromkeys(("ann", "ben"), 0)
    current: dict[str, str] = {}
    for seconds, (state, code), rep in steps:
        # Each rep's desk is heard from within the lease (quiet desks are another test).
        for other, state_now in current.items():
            if state_now != "offline":
                worked[other] += seconds
        now += timedelta(seconds=seconds)
        for other in current:
            with db.write():
                rep_states.touch(db, other, now)
        with db.write():
            rep_states.enter(db, rep, state, now, code=code)
        current[rep] = state
    for rep, state_now in current.items():
        if state_now != "offline":
            worked[rep] += tail
    clock = fixed_clock(now + timedelta(seconds=tail))
    period = Period(date(2026, 10, 31), date(2026, 11, 5), load_settings(db).team.zone)
    rows = rep_time(db, period, clock, settings=load_settings(db))
    for rep in ("ann", "ben"):
        assert sum(r["total_seconds"] for r in rows if r["rep"] == rep) == worked[rep]
    for row in rows:
        hours = day_hours(date.fromisoformat(row["day"]), period.zone)
        assert 0 <= row["total_seconds"] <= hours * 3600 * (2 if row["rep"] == "TEAM" else 1)
        parts = ("ready_seconds", "on_call_seconds", "wrap_up_seconds", "paused_seconds")
        assert row["total_seconds"] == sum(row[key] for key in parts)
        assert row["paused_seconds"] == row["paused_lunch_seconds"] + row["paused_admin_seconds"]
