"""The empty desk says when the next contact becomes callable, and why (issue 15, item 5).

Pinned clocks: a Friday evening, lunch in New York with a Chicago callback coming,
a retry, Thanksgiving, a territory, another rep's missed callback, nothing left.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prospector.foundations.clock import to_db
from prospector.foundations.db import open_database
from prospector.services.next_callable import next_callable
from prospector.services.settings import default_settings, parse_settings, store_settings
from prospector.tui.widgets.lead_card import LeadCard
from tests.factories import add_contact
from tests.tui_support import pinned_app, run_async, started

FRIDAY_EVENING = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)  # 18:00 in New York
MONDAY_LUNCH = datetime(2026, 11, 23, 17, 10, tzinfo=UTC)  # 12:10 New York, 11:10 Chicago
CHICAGO = ("America/Chicago",)


def new_yorkers(db, count: int, now: datetime = FRIDAY_EVENING - timedelta(days=1)) -> list[int]:
    return [add_contact(db, now=now, state="NY") for _ in range(count)]


def test_friday_evening_waits_for_monday_in_the_first_zone_to_open(db) -> None:
    new_yorkers(db, 2)
    add_contact(db, now=FRIDAY_EVENING, zones=CHICAGO, state="IL")
    upcoming = next_callable(db, rep="alice", now=FRIDAY_EVENING)
    assert (upcoming.at, upcoming.kind, upcoming.contacts, upcoming.zone) == (
        datetime(2026, 11, 23, 14, 0, tzinfo=UTC),
        "window",
        2,
        "America/New_York",
    )
    assert upcoming.text == "Mon 23 Nov 09:00 EST in New York — 2 contacts"


def test_a_reps_territory_scopes_the_answer(db) -> None:
    new_yorkers(db, 2)
    add_contact(db, now=FRIDAY_EVENING, zones=CHICAGO, state="IL")
    settings = default_settings().source_text.replace(
        "[territories]", '[territories]\nbob = ["US-IL"]'
    )
    with db.write():
        store_settings(db, parse_settings(settings), actor="lead", now=FRIDAY_EVENING)
    upcoming = next_callable(db, rep="bob", now=FRIDAY_EVENING)
    assert upcoming.text == "Mon 23 Nov 09:00 CST in Chicago — 1 contact"
    assert upcoming.at == datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def test_a_callback_sooner_than_the_window(db) -> None:
    new_yorkers(db, 3)  # New York is at lunch until 13:00 (18:00 UTC)
    callback = to_db(datetime(2026, 11, 23, 17, 30, tzinfo=UTC))  # 11:30 in Chicago
    add_contact(
        db, now=FRIDAY_EVENING, zones=CHICAGO, state="IL", first_name="Ann",
        attempts=1, callback_at=callback, next_call_at=callback, callback_rep="alice",
    )  # fmt: skip
    upcoming = next_callable(db, rep="alice", now=MONDAY_LUNCH)
    assert (upcoming.kind, upcoming.at) == ("callback", datetime(2026, 11, 23, 17, 30, tzinfo=UTC))
    assert upcoming.text == "callback with Ann Lee at 11:30 CST"
    # Bob may take Alice's callback only once it is missed by the grace period (30 min),
    # by which time New York is back from lunch.
    other = next_callable(db, rep="bob", now=MONDAY_LUNCH)
    assert other.text == "13:00 EST in New York — 3 contacts"


def test_another_reps_missed_callback(db) -> None:
    callback = to_db(datetime(2026, 11, 23, 17, 0, tzinfo=UTC))  # 11:00 in Chicago
    add_contact(
        db, now=FRIDAY_EVENING, zones=CHICAGO, state="IL", first_name="Ann",
        attempts=1, callback_at=callback, next_call_at=callback, callback_rep="alice",
    )  # fmt: skip
    upcoming = next_callable(db, rep="bob", now=MONDAY_LUNCH)
    assert upcoming.at == datetime(2026, 11, 23, 17, 30, tzinfo=UTC)
    assert upcoming.text == "alice's missed callback with Ann Lee, open to all at 11:30 CST"
    # Past the grace period too, it waits for the window: Chicago's lunch.
    late = to_db(datetime(2026, 11, 23, 17, 45, tzinfo=UTC))
    with db.write():
        db.execute("UPDATE contacts SET callback_at = ?, next_call_at = ?", (late, late))
    assert next_callable(db, rep="bob", now=MONDAY_LUNCH).text == (
        "13:00 CST in Chicago — 1 contact"
    )


def test_a_retry_coming_due(db) -> None:
    ten = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday 10:00 New York
    due = to_db(datetime(2026, 11, 23, 16, 10, tzinfo=UTC))
    for _ in range(3):
        add_contact(db, now=FRIDAY_EVENING, state="NY", attempts=1, next_call_at=due)
    later = to_db(datetime(2026, 11, 23, 19, 0, tzinfo=UTC))
    add_contact(db, now=FRIDAY_EVENING, state="NY", attempts=2, next_call_at=later)
    upcoming = next_callable(db, rep="alice", now=ten)
    assert (upcoming.kind, upcoming.contacts) == ("retry", 3)
    assert upcoming.text == "retry of 3 contacts at 11:10 EST"


def test_the_next_day_is_tomorrow_as_the_team_counts_days(db) -> None:
    """At 23:00 in New York (the team's zone) London's 09:00 is tomorrow, though it is
    already the same day in London."""
    add_contact(db, now=FRIDAY_EVENING - timedelta(days=4), zones=("Europe/London",))
    new_yorkers(db, 1, now=FRIDAY_EVENING - timedelta(days=4))
    tuesday_night = datetime(2026, 11, 18, 4, 0, tzinfo=UTC)  # Tue 23:00 New York
    upcoming = next_callable(db, rep="alice", now=tuesday_night)
    assert upcoming.at == datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
    assert upcoming.text == "tomorrow 09:00 GMT in London — 1 contact"


def test_thanksgiving_is_skipped(db) -> None:
    new_yorkers(db, 1)
    wednesday_evening = datetime(2026, 11, 25, 23, 0, tzinfo=UTC)
    upcoming = next_callable(db, rep="alice", now=wednesday_evening)
    assert upcoming.at == datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
    assert upcoming.text == "Fri 27 Nov 09:00 EST in New York — 1 contact"


def test_nothing_at_all(db, run) -> None:
    (contact,) = new_yorkers(db, 1)
    with db.write():
        db.execute("UPDATE contacts SET status = 'closed' WHERE id = ?", (contact,))
    upcoming = next_callable(db, rep="alice", now=FRIDAY_EVENING)
    assert (upcoming.at, upcoming.kind, upcoming.text) == (None, "none", "no open contacts left")
    at = "2026-11-20T18:00:00-05:00"
    assert run("next", "--at", at).stdout == "nothing callable now: no open contacts left\n"


def test_next_says_what_comes_next(db, run) -> None:
    new_yorkers(db, 2)
    at = "2026-11-20T18:00:00-05:00"
    human = run("next", "--at", at)
    assert human.exit_code == 0
    assert human.stdout == (
        "nothing callable now; next: Mon 23 Nov 09:00 EST in New York — 2 contacts\n"
    )
    # --json keeps the contract's null; the service says the same as the text.
    assert json.loads(run("next", "--at", at, "--json").stdout) is None
    assert next_callable(db, rep="alice", now=FRIDAY_EVENING).to_json() == {
        "at": "2026-11-23T14:00:00Z",
        "kind": "window",
        "contacts": 2,
        "zone": "America/New_York",
        "text": "Mon 23 Nov 09:00 EST in New York — 2 contacts",
    }
    assert db.one("SELECT count(*) FROM contacts WHERE claimed_by IS NOT NULL")[0] == 0


@run_async
async def test_the_empty_desk_says_when(db_path: Path) -> None:
    db = open_database(db_path)
    new_yorkers(db, 2)
    db.close()
    app = pinned_app(db_path, now=FRIDAY_EVENING)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await started(pilot)
        text = str(screen.query_one(LeadCard).render())
        assert "Nothing to call right now." in text
        assert "Next callable: Mon 23 Nov 09:00 EST in New York — 2 contacts." in text
