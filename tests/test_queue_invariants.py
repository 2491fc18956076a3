"""Hypothesis: at any instant, the queue offers exactly the contacts whose window is open
in every candidate zone, and never a DNC number (DST transitions included)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.foundations.clock import to_db
from prospector.foundations.db import open_database
from prospector.services.claims import claim_next, release_claim
from prospector.services.dnc import add_dnc
from prospector.services.fit import replace_settings
from prospector.services.queue import build_queue
from prospector.services.settings import default_settings, parse_settings
from tests.factories import add_contact, add_dnc_number, next_phone

CREATED = datetime(2025, 12, 1, tzinfo=UTC)
LOCALES = [
    (("America/New_York",), "US", "NY"),
    (("America/Chicago", "America/New_York"), "US", "FL"),
    (("America/Chicago",), "US", "AL"),
    (("America/Boise", "America/Los_Angeles"), "US", "ID"),
    (("America/Adak", "America/Anchorage"), "US", "AK"),
    (("America/Phoenix",), "US", "AZ"),
    (("Pacific/Honolulu",), "US", "HI"),
    (("America/St_Johns",), "CA", "NL"),
    (("America/Halifax",), "CA", "NS"),
    (("America/Denver", "America/Phoenix"), "US", ""),
    (("America/Los_Angeles",), "US", "CA"),
]
TRANSITIONS = [
    datetime(2026, 3, 8, 7, tzinfo=UTC),  # US spring forward (02:00 ET)
    datetime(2026, 3, 8, 10, tzinfo=UTC),  # ... reaching the Pacific, and Alaska
    datetime(2026, 3, 8, 12, tzinfo=UTC),
    datetime(2026, 11, 1, 6, tzinfo=UTC),  # US fall back
    datetime(2026, 11, 1, 9, tzinfo=UTC),
    datetime(2026, 11, 1, 11, tzinfo=UTC),
]


def oracle_open(zones: tuple[str, ...], country: str, state: str, instant: datetime) -> bool:
    """The rules of the test settings, written out independently of the service."""
    for name in zones:
        local = instant.astimezone(ZoneInfo(name))
        if local.date() in holidays.country_holidays(country, subdiv=state or None):
            return False  # "auto": the prospect's public holidays
        minute = local.hour * 60 + local.minute
        end = 20 * 60 if state == "FL" else 21 * 60  # settings ask 22:00; law says 21:00
        if not 8 * 60 <= minute < end:  # settings ask 07:00; law says 08:00
            return False
        if 12 * 60 <= minute < 13 * 60:
            return False
        if state == "AL" and local.weekday() == 6:
            return False
    return True


@pytest.fixture
def world(db_path):
    """Built once per test (hypothesis reuses it for every example), on either backend."""
    db = open_database(db_path)
    text = default_settings().source_text
    text = text.replace(
        'days = ["mon", "tue", "wed", "thu", "fri"]\n',
        'days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n',
        1,
    )
    text = text.replace('start = "09:00"', 'start = "07:00"').replace(
        'end = "17:00"', 'end = "22:00"'
    )
    replace_settings(db, parse_settings(text), actor="test", now=CREATED)
    expected: dict[int, tuple[tuple[str, ...], str, str]] = {}
    switchboards = {state: next_phone("646") for _, _, state in LOCALES}
    due = to_db(CREATED)
    # Every lane in every locale: a new lead, a follow-up, alice's callback, bob's
    # (missed long ago, so anyone's), an open callback, and DNC ones of each kind.
    lanes = [
        {},
        {"attempts": 1},
        {"attempts": 1, "callback_rep": "alice", "callback_at": due},
        {"attempts": 1, "callback_rep": "bob", "callback_at": due},
        {"attempts": 1, "callback_at": due},
    ]
    for zones, country, state in LOCALES:
        for n, lane in enumerate([*lanes, lanes[2], lanes[4], lanes[0], lanes[1], lanes[4]]):
            contact = add_contact(
                db, now=CREATED, zones=zones, country=country, state=state, **lane
            )
            phone = db.one("SELECT phone FROM contacts WHERE id = ?", (contact,))[0]
            # Every contact has its dialled phone among its phones; some have more: a
            # mobile, the company's switchboard (shared by the contacts of a locale).
            with db.write():
                db.execute(
                    "INSERT INTO contact_phones (contact_id, e164, raw, kind, rank)"
                    " VALUES (?, ?, ?, 'work', 0) ON CONFLICT DO NOTHING",
                    (contact, phone, phone),
                )
                if n >= 7:
                    mobile = next_phone("917")
                    db.conn.executemany(
                        "INSERT INTO contact_phones (contact_id, e164, raw, kind, rank)"
                        " VALUES (?, ?, ?, ?, ?)",
                        [(contact, mobile, mobile, "mobile", 1),
                         (contact, switchboards[state], switchboards[state], "company", 2)],
                    )  # fmt: skip
            if n == 5:  # on the list only: the flag copy was never set
                add_dnc_number(db, phone, now=CREATED)
            elif n == 6:
                db.execute("UPDATE contacts SET dnc = 1 WHERE id = ?", (contact,))
            elif n == 7:  # its mobile goes on the list (the service flags the contact)
                add_dnc(db, [mobile], actor="test", now=CREATED)
            else:
                expected[contact] = (zones, country, state)
    # A switchboard on the list: every contact having it is DNC, whatever its other phones.
    add_dnc(db, [switchboards["AK"]], actor="test", now=CREATED)
    for contact in [c for c, (_, _, state) in expected.items() if state == "AK"]:
        if db.one(
            "SELECT 1 FROM contact_phones WHERE contact_id = ? AND kind = 'company'", (contact,)
        ):
            del expected[contact]
    yield db, expected
    db.close()


instants = st.one_of(
    st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
    st.builds(
        lambda base, minutes: base + timedelta(minutes=minutes),
        st.sampled_from(TRANSITIONS),
        st.integers(-24 * 60, 24 * 60),
    ),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(instant=instants)
def test_queue_offers_exactly_the_open_non_dnc_contacts(world, instant) -> None:
    db, expected = world
    offered = {item.contact_id for item in build_queue(db, rep="alice", now=instant, limit=500)}
    dnc = {
        row[0]
        for row in db.query(
            """SELECT id FROM contacts WHERE dnc = 1 OR phone IN (SELECT phone FROM dnc_numbers)
               UNION SELECT contact_id FROM contact_phones
               WHERE e164 IN (SELECT phone FROM dnc_numbers)"""
        )
    }
    assert not offered & dnc
    assert offered == {
        cid
        for cid, (zones, country, state) in expected.items()
        if oracle_open(zones, country, state, instant)
    }
    item = claim_next(db, rep="alice", now=instant)
    if item is None:
        assert not offered
    else:
        assert item.contact_id in offered
        release_claim(db, item.contact_id, rep="alice", now=instant)
