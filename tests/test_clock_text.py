"""The database's UTC text: round trip and strictness of ``from_db``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospector.foundations.clock import from_db, to_db


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2200, 1, 1),
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5))]),
    )
)
def test_round_trip_to_the_second(instant: datetime) -> None:
    text = to_db(instant)
    assert len(text) == 20
    assert from_db(text) == instant.replace(microsecond=0)
    assert from_db(text).tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-23T10:00:00",
        "2026-11-23 10:00:00Z",
        "2026-11-23T10:00:0xZ",
        "2026-13-23T10:00:00Z",
        "2026-11-23T10:00:00+00:00",
        "2026-11-23T24:00:00Z",
    ],
)
def test_other_shapes_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        from_db(text)
