"""The queue's lanes and order, claims, and what logging a call does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prospector.foundations.clock import to_db
from prospector.foundations.dialect import SQLITE
from prospector.foundations.errors import ClaimError, NotFoundError, SettingsError
from prospector.services.calls import log_call
from prospector.services.claims import (
    claim_next,
    mark_dialed,
    release_claim,
    renew_claim,
    skip_contact,
    undispositioned_claims,
)
from prospector.services.contacts import contact_card
from prospector.services.fit import replace_settings
from prospector.services.queue import build_queue
from prospector.services.search import search_contacts
from prospector.services.settings import default_settings, parse_settings
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact, add_dnc_number

NOW = MONDAY_10_ET
LA = ("America/Los_Angeles",)


def ids(items) -> list[int]:
    return [item.contact_id for item in items]


def test_callable_filters(db) -> None:
    good = add_contact(db, now=NOW)
    add_contact(db, now=NOW, dnc=1)
    listed = add_contact(db, now=NOW)
    add_dnc_number(
        db, db.one("SELECT phone FROM contacts WHERE id = ?", (listed,))["phone"], now=NOW
    )
    add_contact(db, now=NOW, industry="eCommerce")  # filtered by a fit rule
    add_contact(db, now=NOW, phone_bad=1)
    add_contact(db, now=NOW, status="closed")
    add_contact(db, now=NOW, next_call_at=to_db(NOW + timedelta(hours=1)))  # not due
    add_contact(db, now=NOW, zones=LA, state="CA")  # 07:00 in LA: closed
    add_contact(db, now=NOW, claimed_by="bob", claim_expires_at=to_db(NOW + timedelta(minutes=5)))
    expired = add_contact(
        db, now=NOW, claimed_by="bob", claim_expires_at=to_db(NOW - timedelta(minutes=1))
    )
    assert sorted(ids(build_queue(db, rep="alice", now=NOW, limit=50))) == [good, expired]


def test_lane_order_and_reasons(db) -> None:
    earlier = NOW - timedelta(hours=3)
    follow_c = add_contact(
        db, now=earlier, employees=20, attempts=2, next_call_at=to_db(NOW - timedelta(hours=2))
    )
    follow_a = add_contact(
        db,
        now=earlier,
        source="inbound",
        employees=500,
        attempts=1,
        next_call_at=to_db(NOW - timedelta(minutes=5)),
    )
    new_b = add_contact(db, now=NOW - timedelta(minutes=30), employees=60)
    new_a = add_contact(db, now=NOW - timedelta(minutes=20), source="inbound", employees=500)
    anyone = add_contact(
        db,
        now=earlier,
        attempts=1,
        callback_at=to_db(NOW - timedelta(minutes=2)),
        next_call_at=to_db(NOW - timedelta(minutes=2)),
    )
    missed = add_contact(
        db,
        now=earlier,
        attempts=1,
        callback_rep="bob",
        callback_at=to_db(NOW - timedelta(hours=1)),
        next_call_at=to_db(NOW - timedelta(hours=1)),
    )
    add_contact(
        db,
        now=earlier,
        attempts=1,
        callback_rep="bob",  # bob's, within grace
        callback_at=to_db(NOW - timedelta(minutes=10)),
        next_call_at=to_db(NOW - timedelta(minutes=10)),
    )
    mine = add_contact(
        db,
        now=earlier,
        attempts=1,
        callback_rep="alice",
        callback_at=to_db(NOW - timedelta(minutes=1)),
        next_call_at=to_db(NOW - timedelta(minutes=1)),
    )
    queue = build_queue(db, rep="alice", now=NOW, limit=20)
    assert ids(queue) == [mine, missed, anyone, new_a, new_b, follow_a, follow_c]
    reasons = [item.reason for item in queue]
    assert reasons[0] == "callback due 09:59"
    assert reasons[1] == "bob's callback missed since 09:00"
    assert reasons[2] == "callback due 09:58 (anyone)"
    assert reasons[3] == "new A lead — SLA 40 min left"
    assert reasons[5].startswith("attempt 2 of 8, tier A")
    assert [item.lane for item in queue] == [1, 2, 2, 3, 3, 4, 4]
    assert ids(build_queue(db, rep="alice", now=NOW, limit=2)) == [mine, missed]


def test_callbacks_merge_across_open_locales_and_wait_in_closed_ones(db) -> None:
    def callback(minutes: int, rep: str | None, **where) -> int:
        at = to_db(NOW - timedelta(minutes=minutes))
        return add_contact(
            db, now=NOW, attempts=1, callback_rep=rep, callback_at=at, next_call_at=at, **where
        )

    chicago = {"zones": ("America/Chicago",), "state": "IL"}
    add_contact(db, now=NOW)  # a new lead waits behind every callback
    mine_ny = callback(5, "alice")
    mine_il = callback(50, "alice", **chicago)
    callback(90, "alice", zones=LA, state="CA")  # 07:00 in LA: waits for its window
    anyone_il = callback(20, None, **chicago)
    anyone_ny = callback(40, None)
    callback(80, None, zones=LA, state="CA")
    queue = build_queue(db, rep="alice", now=NOW, limit=5)
    assert ids(queue)[:4] == [mine_il, mine_ny, anyone_ny, anyone_il]
    assert [item.lane for item in queue] == [1, 1, 2, 2, 3]
    later = NOW + timedelta(hours=4)  # 11:00 in LA: the West Coast callbacks come in
    assert len([item for item in build_queue(db, rep="alice", now=later) if item.lane < 3]) == 6


def test_a_skipped_new_lead_waits_outside_the_new_lead_index(db) -> None:
    lead = add_contact(db, now=NOW)
    assert claim_next(db, rep="alice", now=NOW).contact_id == lead
    back = skip_contact(db, lead, rep="alice", reason="not now", now=NOW)

    # The index's own WHERE clause; SQLite is also made to read the index itself.
    indexed = " INDEXED BY contacts_queue_new" if db.dialect is SQLITE else ""

    def in_new_lead_index() -> list[int]:
        return [
            row[0]
            for row in db.query(
                f"SELECT id FROM contacts{indexed} WHERE status = 'open'"
                " AND dnc = 0 AND filtered_by IS NULL AND phone_bad = 0 AND attempts = 0"
                " AND callback_at IS NULL AND deferred_until IS NULL AND standby_list IS NULL"
            )
        ]

    assert in_new_lead_index() == []
    assert build_queue(db, rep="bob", now=back - timedelta(minutes=1)) == []
    [item] = build_queue(db, rep="bob", now=back)
    assert (item.contact_id, item.lane) == (lead, 3)
    assert in_new_lead_index() == [lead]


def test_overdue_sla_reason_counts_calling_time(db) -> None:
    # Friday 16:30 New York: the 1 h A lead has 30 min left that day and is due
    # Monday 09:30; at Monday 14:00 it is 3 h 30 min overdue, lunch not counted.
    friday = NOW - timedelta(days=2, hours=17, minutes=30)
    add_contact(db, now=friday, source="inbound", employees=500)
    [item] = build_queue(db, rep="alice", now=friday)
    assert item.reason == "new A lead — SLA 1 h left"
    [item] = build_queue(db, rep="alice", now=friday + timedelta(minutes=20))
    assert item.reason == "new A lead — SLA 40 min left"  # 10 min on Friday, 30 on Monday
    [item] = build_queue(db, rep="alice", now=NOW + timedelta(hours=4))
    assert item.reason == "new A lead — SLA overdue by 3 h 30 min"


def test_overdue_sla_reason_on_the_wall_clock(db) -> None:
    text = default_settings().source_text.replace('sla_clock = "working"', 'sla_clock = "wall"')
    replace_settings(db, parse_settings(text), actor="lead", now=NOW)
    add_contact(db, now=NOW - timedelta(hours=3), source="inbound", employees=500)
    [item] = build_queue(db, rep="alice", now=NOW)
    assert item.reason == "new A lead — SLA overdue by 2 h"


def test_territories(db) -> None:
    text = default_settings().source_text + 'alice = ["US-NY"]\n'
    replace_settings(db, parse_settings(text), actor="lead", now=NOW)
    ny = add_contact(db, now=NOW, state="NY")
    add_contact(db, now=NOW, state="NJ")
    assert ids(build_queue(db, rep="alice", now=NOW)) == [ny]
    assert len(build_queue(db, rep="bob", now=NOW)) == 2  # no territory: everything


def test_a_territory_takes_in_places_that_arrive_later(db) -> None:
    text = default_settings().source_text + 'alice = ["US-NY", "US-CT"]\n'
    replace_settings(db, parse_settings(text), actor="lead", now=NOW)
    ny = add_contact(db, now=NOW, state="NY")
    assert ids(build_queue(db, rep="alice", now=NOW)) == [ny]
    ct = add_contact(db, now=NOW, state="CT")  # a locale the database did not have yet
    add_contact(db, now=NOW, state="NJ")
    assert sorted(ids(build_queue(db, rep="alice", now=NOW))) == sorted([ny, ct])


def test_claims_are_exclusive_and_expire(db) -> None:
    first = add_contact(db, now=NOW - timedelta(minutes=2))
    second = add_contact(db, now=NOW - timedelta(minutes=1))
    a = claim_next(db, rep="alice", now=NOW)
    b = claim_next(db, rep="bob", now=NOW)
    assert (a.contact_id, b.contact_id) == (first, second)
    assert a.claimed_by == "alice" and a.claim_expires_at == NOW + timedelta(minutes=15)
    assert claim_next(db, rep="carol", now=NOW) is None
    assert ids(build_queue(db, rep="carol", now=NOW)) == []
    later = NOW + timedelta(minutes=16)
    assert claim_next(db, rep="carol", now=later).contact_id == first  # alice's lease ran out
    with pytest.raises(ClaimError, match="claimed by carol"):
        log_call(db, first, "no_answer", rep="alice", now=later)
    with pytest.raises(ClaimError):
        renew_claim(db, first, rep="alice", now=later)
    assert renew_claim(db, first, rep="carol", now=later) == later + timedelta(minutes=15)
    assert {r["name"] for r in db.query("SELECT name FROM reps")} == {"alice", "bob", "carol"}


def test_next_again_moves_on_from_an_undialed_claim(db) -> None:
    only = add_contact(db, now=NOW)
    assert claim_next(db, rep="alice", now=NOW).contact_id == only
    assert claim_next(db, rep="alice", now=NOW).contact_id == only  # still the top
    assert release_claim(db, only, rep="alice", now=NOW)
    assert db.one("SELECT claimed_by FROM contacts")["claimed_by"] is None


def test_dialed_claim_comes_back_first(db) -> None:
    dialed = add_contact(db, now=NOW - timedelta(minutes=5))
    other = add_contact(db, now=NOW - timedelta(minutes=10))
    assert claim_next(db, rep="alice", now=NOW).contact_id == other
    release_claim(db, other, rep="alice", now=NOW)
    # take "dialed" explicitly: claim it by making it the only choice for a moment
    db.execute(
        "UPDATE contacts SET claimed_by = 'alice', claim_expires_at = ? WHERE id = ?",
        (to_db(NOW + timedelta(minutes=15)), dialed),
    )
    mark_dialed(db, dialed, rep="alice", now=NOW)
    later = NOW + timedelta(hours=1)  # the terminal crashed; the lease ran out
    [waiting] = undispositioned_claims(db, rep="alice", now=later)
    assert waiting.contact_id == dialed and waiting.lane == 0
    item = claim_next(db, rep="alice", now=later)
    assert item.contact_id == dialed and "no disposition" in item.reason
    logged = log_call(db, dialed, "busy", rep="alice", now=later)
    assert db.one("SELECT dialed_at FROM calls WHERE id = ?", (logged.call_id,))[0] == to_db(NOW)
    assert undispositioned_claims(db, rep="alice", now=later) == []


def test_log_retry_lands_in_the_window_and_respects_the_daily_cap(db) -> None:
    contact = add_contact(db, now=NOW)
    afternoon = NOW + timedelta(hours=6)  # 16:00 ET: +1 h busy = 17:00, closed
    first = log_call(db, contact, "busy", rep="alice", now=afternoon)
    assert first.status == "open"
    assert first.next_call_at == datetime(2026, 11, 24, 14, 0, tzinfo=UTC)  # Tue 09:00 ET
    # Two dials in one local day: the next waits for the next local day.
    morning = NOW  # 10:00 ET
    other = add_contact(db, now=NOW)
    log_call(db, other, "busy", rep="alice", now=morning)
    second = log_call(db, other, "busy", rep="alice", now=morning + timedelta(hours=1, minutes=5))
    assert second.next_call_at == datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
    row = db.one("SELECT attempts, status FROM contacts WHERE id = ?", (other,))
    assert (row["attempts"], row["status"]) == (2, "open")


def test_log_callbacks(db) -> None:
    contact = add_contact(db, now=NOW)
    with pytest.raises(Exception, match="needs a time"):
        log_call(db, contact, "callback", rep="alice", now=NOW)
    at = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)  # Tue 15:00 ET
    logged = log_call(db, contact, "callback", rep="alice", now=NOW, callback=at, note="call Tue")
    assert logged.callback.inside_window and logged.next_call_at == at
    assert build_queue(db, rep="alice", now=at)[0].lane == 1
    assert build_queue(db, rep="bob", now=at) == []
    assert build_queue(db, rep="bob", now=at + timedelta(minutes=31))[0].lane == 2
    evening = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # 18:30 ET
    late = log_call(
        db, contact, "callback", rep="alice", now=at, callback=evening, callback_scope="anyone"
    )
    assert not late.callback.inside_window
    assert late.callback.next_open == datetime(2026, 11, 25, 9, 0, tzinfo=late.callback.at.tzinfo)


def test_log_outcomes(db) -> None:
    c1, c2, c3, c4 = (add_contact(db, now=NOW) for _ in range(4))
    c5 = add_contact(db, now=NOW, employees=20)
    assert log_call(db, c1, "not_interested", rep="a", now=NOW).status == "closed"
    assert db.one("SELECT recycle_at FROM contacts WHERE id = ?", (c1,))[0] == to_db(
        NOW + timedelta(days=90)
    )
    assert log_call(db, c2, "8", rep="a", now=NOW).status == "qualified"
    assert db.one("SELECT close_reason FROM contacts WHERE id = ?", (c2,))[0] == "awaiting handoff"
    log_call(db, c3, "wrong_number", rep="a", now=NOW)
    assert db.one("SELECT phone_bad, status FROM contacts WHERE id = ?", (c3,))[:] == (1, "closed")
    dnc = log_call(db, c4, "do_not_call", rep="a", now=NOW)
    assert dnc.status == "dnc" and dnc.dnc_added and dnc.next_call_at is None
    phone = db.one("SELECT phone FROM contacts WHERE id = ?", (c4,))[0]
    assert db.one("SELECT added_by FROM dnc_numbers WHERE phone = ?", (phone,))[0] == "a"
    # Exhausted: a C lead (max 4 attempts) with no conversation.
    for hour in range(4):
        last = log_call(db, c5, "no_answer", rep="a", now=NOW + timedelta(days=hour))
    assert last.status == "exhausted" and last.attempt == 4
    assert ids(build_queue(db, rep="a", now=NOW + timedelta(days=10), limit=50)) == []


def test_bad_input_writes_nothing(db) -> None:
    contact = add_contact(db, now=NOW)
    with pytest.raises(NotFoundError, match="no contact with id 999"):
        log_call(db, 999, "no_answer", rep="a", now=NOW)
    with pytest.raises(SettingsError, match="unknown disposition 'nope'"):
        log_call(db, contact, "nope", rep="a", now=NOW)
    with pytest.raises(Exception, match="not in the future"):
        log_call(db, contact, "callback", rep="a", now=NOW, callback=NOW - timedelta(hours=1))
    assert db.one("SELECT count(*) FROM calls")[0] == 0
    assert db.one("SELECT attempts FROM contacts")[0] == 0


def test_contact_card_and_search(db) -> None:
    contact = add_contact(
        db,
        now=NOW - timedelta(minutes=10),
        first_name="Ada",
        last_name="Byron",
        company="Engines Ltd",
        phone="+12125550142",
        source="inbound",
        employees=900,
    )
    log_call(db, contact, "gatekeeper", rep="alice", now=NOW, note="ask for Ada", duration=30)
    card = contact_card(db, contact, now=NOW)
    assert card.name == "Ada Byron" and card.company == "Engines Ltd"
    assert card.phone_national == "(212) 555-0142"
    assert card.window_open and card.window_until == datetime(
        2026, 11, 23, 12, 0, tzinfo=card.local_time.tzinfo
    )
    assert card.tier == "A" and card.attempts == 1 and card.max_attempts == 8
    assert [c.note for c in card.history] == ["ask for Ada"]
    assert [m.contact_id for m in search_contacts(db, "byron")] == [contact]
    assert [m.contact_id for m in search_contacts(db, "555-0142")] == [contact]
    assert [m.contact_id for m in search_contacts(db, "engines")] == [contact]
    with pytest.raises(NotFoundError):
        contact_card(db, 404, now=NOW)
