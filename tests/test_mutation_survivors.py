"""Promises of the rule modules that `make mutate` found no test holding.

Each test below was written for mutants that survived a run of `make mutate`
(mutmut): a changed message, limit, default or branch that the suite did not
notice. They are grouped by module; every expected value is written out.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from prospector.foundations.clock import fixed_clock, to_db
from prospector.foundations.datewords import date_range_words, month_bounds, resolve_date_words
from prospector.foundations.errors import (
    ClaimError,
    InputFileError,
    NotFoundError,
    ProspectorError,
    TimeWordsError,
)
from prospector.foundations.timewords import resolve_time_words
from prospector.services import claims, dnc
from prospector.services.calls import log_call, resolve_callback
from prospector.services.export import safe_csv
from prospector.services.fit import replace_settings
from prospector.services.queue import LANE_FOLLOW_UP, LANE_NEW, build_queue, humanize
from prospector.services.reports import daily
from prospector.services.reports.periods import Period
from prospector.services.settings import default_settings, parse_settings
from prospector.services.windows import Locale, next_open, open_until
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact, add_dnc_number
from tests.report_factories import add_contact as import_contact
from tests.report_factories import log, qualify

NOW = MONDAY_10_ET  # Monday 2026-11-23 10:00 in New York, 15:00 in London
ET = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
LA = ("America/Los_Angeles",)


def audit(db) -> list[tuple]:
    return [tuple(r) for r in db.query("SELECT actor, action, subject, detail FROM audit_log")]


# --- claims ---------------------------------------------------------------------------


def test_a_contact_opened_from_search_is_claimed_in_its_lane(db) -> None:
    fresh = add_contact(db, now=NOW)
    called = add_contact(db, now=NOW, attempts=2)
    item = claims.claim_contact(db, fresh, rep="alice", now=NOW)
    assert (item.lane, item.reason, item.claimed_by) == (LANE_NEW, "opened from search", "alice")
    assert item.claim_expires_at == NOW + timedelta(minutes=15)
    assert [r[0] for r in db.query("SELECT name FROM reps")] == ["alice"]
    # Opening the next one lets the first go (never dialed); it lands in follow-ups.
    item = claims.claim_contact(db, called, rep="alice", now=NOW)
    assert (item.contact_id, item.lane) == (called, LANE_FOLLOW_UP)
    assert db.one("SELECT claimed_by FROM contacts WHERE id = ?", (fresh,))[0] is None
    # Opening again the one she holds is fine: it is hers.
    again = claims.claim_contact(db, called, rep="alice", now=NOW + timedelta(minutes=5))
    assert again.claim_expires_at == NOW + timedelta(minutes=20)


def test_why_a_contact_cannot_be_opened(db) -> None:
    closed = add_contact(db, now=NOW, status="closed", close_reason="not_interested")
    limbo = add_contact(db, now=NOW, status="exhausted")
    filtered = add_contact(db, now=NOW, industry="eCommerce")
    bad = add_contact(db, now=NOW, phone_bad=1)
    west = add_contact(db, now=NOW, zones=LA, state="CA")  # 07:00 in Los Angeles
    listed = add_contact(db, now=NOW, dnc=1)
    expected = {
        closed: f"contact {closed} is closed (not_interested)",
        limbo: f"contact {limbo} is exhausted (not open)",
        filtered: f"contact {filtered} is filtered out by the fit rule 'no eCommerce'",
        bad: f"contact {bad} has a number marked bad",
        west: f"contact {west} is outside its calling window now; it opens Mon 09:00 PST",
        listed: f"contact {listed} is on the do-not-call list",
    }
    for contact, message in expected.items():
        with pytest.raises(ClaimError) as refused:
            claims.claim_contact(db, contact, rep="alice", now=NOW)
        assert str(refused.value) == message
    with pytest.raises(NotFoundError, match=r"^no contact with id 999$"):
        claims.release_claim(db, 999, rep="alice", now=NOW)
    with pytest.raises(ClaimError, match=rf"^contact {closed} is not claimed by bob; use 'next'"):
        claims.renew_claim(db, closed, rep="bob", now=NOW)


def test_a_dial_renews_the_lease(db) -> None:
    contact = add_contact(db, now=NOW)
    claims.claim_next(db, rep="alice", now=NOW)
    claims.mark_dialed(db, contact, rep="alice", now=NOW + timedelta(minutes=10))
    row = db.one("SELECT dialed_at, claim_expires_at FROM contacts WHERE id = ?", (contact,))
    assert tuple(row) == (to_db(NOW + timedelta(minutes=10)), to_db(NOW + timedelta(minutes=25)))


def test_undispositioned_claims_are_listed_outside_the_window_too(db) -> None:
    contact = add_contact(db, now=NOW)
    claims.claim_next(db, rep="alice", now=NOW)
    claims.mark_dialed(db, contact, rep="alice", now=NOW)
    saturday = NOW + timedelta(days=5)
    [item] = claims.undispositioned_claims(db, rep="alice", now=saturday)
    assert (item.contact_id, item.dialed_at) == (contact, NOW)
    assert item.local_time == saturday and item.local_time.utcoffset() == timedelta(hours=-5)
    assert item.reason == "dialed 10:00 with no disposition — log it"


def test_skips_and_released_dials_are_audited(db) -> None:
    skipped, dialed = add_contact(db, now=NOW), add_contact(db, now=NOW)
    claims.claim_contact(db, skipped, rep="alice", now=NOW)
    claims.skip_contact(db, skipped, rep="alice", reason="in a meeting", now=NOW)
    claims.claim_contact(db, dialed, rep="alice", now=NOW)
    claims.mark_dialed(db, dialed, rep="alice", now=NOW)
    assert claims.release_claim(db, dialed, rep="alice", now=NOW)
    assert audit(db) == [
        ("alice", "claim.skip", f"contact:{skipped}", "in a meeting"),
        ("alice", "claim.release_dialed", f"contact:{dialed}", "released"),
    ]


# --- calls ------------------------------------------------------------------------------


def test_a_callback_is_read_and_checked_in_the_prospects_zone(db) -> None:
    london = add_contact(db, now=NOW, zones=("Europe/London",), country="GB", phone="+442079460123")
    check = resolve_callback(db, london, "tomorrow 3pm", now=NOW)
    assert check.at == datetime(2026, 11, 24, 15, 0, tzinfo=LONDON)
    assert (check.at.tzinfo, check.rep_time.tzinfo) == (LONDON, ET)
    assert check.rep_time.hour == 10
    assert (check.inside_window, check.next_open, check.timezones) == (
        True,
        None,
        ("Europe/London",),
    )
    assert check.describe() == "Tue 24 Nov 15:00 GMT (prospect) = Tue 10:00 EST (you)"
    late = resolve_callback(db, london, "tomorrow 6pm", now=NOW)
    assert late.next_open == datetime(2026, 11, 25, 9, 0, tzinfo=LONDON)
    assert late.describe() == (
        "Tue 24 Nov 18:00 GMT (prospect) = Tue 13:00 EST (you)"
        " — after 17:00: outside the prospect's calling window; next open Wed 09:00 GMT"
    )


def test_the_json_of_a_logged_call(db) -> None:
    contact = add_contact(db, now=NOW)
    phone = db.one("SELECT phone FROM contacts WHERE id = ?", (contact,))[0]
    retry = log_call(db, contact, "busy", rep="alice", now=NOW).to_json()
    assert retry == {
        "call_id": 1,
        "contact_id": contact,
        "disposition": "busy",
        "status": "open",
        "next_call_at": "2026-11-23T11:00:00-05:00",
        "phone": phone,
        "phone_ext": None,
        "next_phone": None,
        "tags": [],
    }
    closed = log_call(db, contact, "not_interested", rep="alice", now=NOW).to_json()
    assert (closed["call_id"], closed["status"], closed["next_call_at"]) == (2, "closed", None)


# --- dnc --------------------------------------------------------------------------------


@pytest.fixture
def british(db):
    """A team whose numbers without a country code are British."""
    text = default_settings().source_text.replace(
        'default_region = "US"', 'default_region = "GB"', 1
    )
    replace_settings(db, parse_settings(text), actor="lead", now=NOW)
    return db


def test_national_numbers_are_read_in_the_teams_region(british) -> None:
    assert dnc.normalize_number(british, "020 7946 0018") == "+442079460018"
    assert dnc.normalize_number(british, "(415) 555-2671", region="us") == "+14155552671"
    assert dnc.add_dnc(british, ["020 7946 0018"], actor="lead", now=NOW).numbers == 1
    assert dnc.is_dnc(british, "+442079460018")


def test_import_dnc_plain_list(british, tmp_path: Path) -> None:
    contact = add_contact(british, now=NOW, phone="+442079460019", zones=("Europe/London",))
    path = tmp_path / "dnc.txt"
    path.write_text("nonsense\n020 7946 0018\n\n020 7946 0019\n")
    change = dnc.import_dnc(british, path, actor="lead", now=NOW)
    assert (change.numbers, change.contacts, change.already) == (2, 1, 0)
    assert change.rejected[0].startswith("line 1: ")
    assert len(change.rejected) == 1
    rows = british.query("SELECT phone, added_by, reason FROM dnc_numbers ORDER BY phone")
    assert [tuple(r) for r in rows] == [
        ("+442079460018", "lead", "list dnc.txt"),
        ("+442079460019", "lead", "list dnc.txt"),
    ]
    assert british.one("SELECT dnc FROM contacts WHERE id = ?", (contact,))[0] == 1
    again = dnc.import_dnc(british, path, actor="lead", now=NOW)
    assert (again.numbers, again.already) == (0, 2)


def test_import_dnc_csv_skips_short_rows_and_rejects_nothing_valid(db, tmp_path: Path) -> None:
    path = tmp_path / "dnc.csv"
    path.write_text("Name;Phone\nX\nY;(415) 555-2671\n")
    change = dnc.import_dnc(db, path, actor="lead", now=NOW)
    assert (change.numbers, change.rejected) == (1, ())
    only_bad = tmp_path / "bad.txt"
    only_bad.write_text("nonsense\n")
    rejected = dnc.import_dnc(db, only_bad, actor="lead", now=NOW).rejected
    assert [line.split(":")[0] for line in rejected] == ["line 1"]
    empty = tmp_path / "empty.csv"
    empty.write_text("Name;Phone\nX;\n")
    with pytest.raises(InputFileError, match=r"empty.csv: no numbers in the file$"):
        dnc.import_dnc(db, empty, actor="lead", now=NOW)


def test_remove_dnc_says_what_it_did(db) -> None:
    contact = add_contact(db, now=NOW, phone="+14155552671")
    dnc.add_dnc(db, ["(415) 555-2671"], actor="lead", now=NOW)
    removed = dnc.remove_dnc(db, "415 555 2671", actor="lead", now=NOW)
    assert removed == dnc.DncChange(numbers=1, contacts=1, already=0, phone="+14155552671")
    assert db.one("SELECT dnc FROM contacts WHERE id = ?", (contact,))[0] == 0
    again = dnc.remove_dnc(db, "415 555 2671", actor="lead", now=NOW)
    assert again == dnc.DncChange(numbers=0, contacts=0, already=1, phone="+14155552671")


# --- export files -----------------------------------------------------------------------


def test_an_export_folder_that_is_a_file_is_refused(tmp_path) -> None:
    (tmp_path / "out").write_text("")
    with pytest.raises(safe_csv.ExportWriteError) as refused:
        safe_csv.prepare_directory(tmp_path / "out")
    assert str(refused.value) == f"{tmp_path / 'out'}: not a directory (--out needs a directory)"


# --- windows ----------------------------------------------------------------------------


def test_open_until_answers_in_the_zone_it_was_asked_in() -> None:
    ny = Locale(1, ("America/New_York",), "US", "NY")
    until = open_until(ny, datetime(2026, 11, 23, 15, 0, tzinfo=LONDON), default_settings())
    assert until == datetime(2026, 11, 23, 12, 0, tzinfo=ET)
    assert until.tzinfo is LONDON


def test_a_country_territory_takes_in_that_countrys_contacts(db) -> None:
    text = default_settings().source_text + 'alice = ["GB"]\n'
    replace_settings(db, parse_settings(text), actor="lead", now=NOW)
    london = add_contact(db, now=NOW, zones=("Europe/London",), country="GB")
    add_contact(db, now=NOW, state="NY")
    assert [item.contact_id for item in build_queue(db, rep="alice", now=NOW)] == [london]


# --- daily report -----------------------------------------------------------------------


def test_a_rep_with_a_handoff_and_no_call_that_day_has_zero_calls(db) -> None:
    contact = import_contact(db, created_at=datetime(2026, 11, 19, 8, tzinfo=ET), employees=500)
    log(db, contact, "meeting_set", rep="alice", at=datetime(2026, 11, 19, 9, tzinfo=ET))
    qualify(db, contact, rep="alice", at=datetime(2026, 11, 20, 9, tzinfo=ET))
    [alice, team] = daily(db, Period(date(2026, 11, 20), date(2026, 11, 20), ET), fixed_clock(NOW))
    counts = ("dials", "connects", "conversations", "qualified", "talk_seconds")
    assert [alice[key] for key in counts] == [0, 0, 0, 1, 0]
    assert [team[key] for key in counts] == [0, 0, 0, 1, 0]
    assert (alice["first_dial"], alice["dials_per_hour"]) == (None, team["dials_per_hour"])


# --- time words -------------------------------------------------------------------------

WEDNESDAY = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # Wed 10:00 in New York


def at(text: str, now: datetime = NOW) -> datetime:
    return resolve_time_words(text, zone=ET, now=now)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12am", datetime(2026, 11, 24, 0, 0, tzinfo=ET)),
        ("12pm", datetime(2026, 11, 23, 12, 0, tzinfo=ET)),
        ("12:59pm", datetime(2026, 11, 23, 12, 59, tzinfo=ET)),
        ("23:59", datetime(2026, 11, 23, 23, 59, tzinfo=ET)),
        ("midnight", datetime(2026, 11, 24, 0, 0, tzinfo=ET)),
        ("noon", datetime(2026, 11, 23, 12, 0, tzinfo=ET)),
        ("tmrw 3pm", datetime(2026, 11, 24, 15, 0, tzinfo=ET)),
        ("tmr 3pm", datetime(2026, 11, 24, 15, 0, tzinfo=ET)),
        ("tue,3pm", datetime(2026, 11, 24, 15, 0, tzinfo=ET)),
        ("mon 3pm", datetime(2026, 11, 23, 15, 0, tzinfo=ET)),  # today, still ahead
        ("mon 9am", datetime(2026, 11, 30, 9, 0, tzinfo=ET)),  # today's is gone
        ("next mon 3pm", datetime(2026, 11, 30, 15, 0, tzinfo=ET)),
        ("in half an hour", datetime(2026, 11, 23, 10, 30, tzinfo=ET)),
        ("in an hour", datetime(2026, 11, 23, 11, 0, tzinfo=ET)),
        ("12/1/26 3pm", datetime(2026, 12, 1, 15, 0, tzinfo=ET)),
        ("12/1/2026 3pm", datetime(2026, 12, 1, 15, 0, tzinfo=ET)),
        ("11/23 3pm", datetime(2026, 11, 23, 15, 0, tzinfo=ET)),  # today is the next 11/23
        ("nov 23 3pm", datetime(2026, 11, 23, 15, 0, tzinfo=ET)),
        ("dec 1 2025 3pm", datetime(2025, 12, 1, 15, 0, tzinfo=ET)),  # a year is kept
    ],
)
def test_time_words_on_a_monday_morning(text: str, expected: datetime) -> None:
    assert at(text) == expected


def test_time_words_on_a_wednesday() -> None:
    assert at("fri 3pm", WEDNESDAY) == datetime(2026, 11, 27, 15, 0, tzinfo=ET)
    assert at("mon 3pm", WEDNESDAY) == datetime(2026, 11, 30, 15, 0, tzinfo=ET)
    assert at("next fri 3pm", WEDNESDAY) == datetime(2026, 11, 27, 15, 0, tzinfo=ET)
    leap = datetime(2027, 11, 23, 15, 0, tzinfo=UTC)  # no 2/29 in 2027: the next is 2028
    assert at("2/29 3pm", leap) == datetime(2028, 2, 29, 15, 0, tzinfo=ET)


def test_now_is_in_the_zone_asked() -> None:
    now = at("now")
    assert now == NOW and now.utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "'' is not a time: it is empty"),
        ("3", "'3' is not a time: a bare number needs am/pm or a colon (3pm, 15:00)"),
        ("tomorrow", "'tomorrow' is not a time: no time of day (add one, e.g. '10am' or '14:30')"),
        (
            "in 3 fortnights",
            "'in 3 fortnights' is not a time: 'fortnights' is not a unit of time"
            " (minutes, hours, days, weeks)",
        ),
        (
            "3pm cuba",
            "'3pm cuba' is not a time: 'cuba' is not understood"
            " (e.g. tomorrow 3pm, tue 10am, dec 1 2pm, in 2 hours)",
        ),
        ("3pm 4pm", "'3pm 4pm' is not a time: it names more than one clock time"),
        ("13pm", "'13pm' is not a time: '13pm' is not a clock time (1:00am to 12:59pm)"),
        ("11:60am", "'11:60am' is not a time: '11:60am' is not a clock time (1:00am to 12:59pm)"),
        ("12:60", "'12:60' is not a time: '12:60' is not a clock time (00:00 to 23:59)"),
        ("24:00", "'24:00' is not a time: '24:00' is not a clock time (00:00 to 23:59)"),
    ],
)
def test_what_is_not_a_time_says_why(text: str, message: str) -> None:
    with pytest.raises(TimeWordsError) as refused:
        at(text)
    assert str(refused.value) == message


def test_spring_forward_gap_message() -> None:
    with pytest.raises(TimeWordsError) as refused:
        at("2026-03-08 2:30am")
    assert str(refused.value) == (
        "'2026-03-08 2:30am' is not a time: 2026-03-08 02:30 does not exist in"
        " America/New_York (the clocks spring forward over it)"
    )
    with pytest.raises(ValueError, match=r"^now must be aware$"):
        resolve_time_words("3pm", zone=ET, now=datetime(2026, 11, 23, 10))


def day(text: str, now: datetime = NOW) -> date:
    return resolve_date_words(text, zone=ET, now=now)


def test_report_dates_look_back() -> None:
    assert day("tomorrow") == date(2026, 11, 24)
    assert day("3  days ago") == date(2026, 11, 20)
    assert day("11/23") == date(2026, 11, 23)  # today counts
    assert day("12/1") == date(2025, 12, 1)
    assert day("nov 23") == date(2026, 11, 23)
    assert day("dec 1") == date(2025, 12, 1)
    late = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # still Monday 22:00 in New York
    assert day("today", late) == date(2026, 11, 23)
    assert date_range_words("today to today", zone=ET, now=late) == (
        date(2026, 11, 23),
        date(2026, 11, 23),
    )
    assert date_range_words("this week", zone=ET, now=WEDNESDAY) == (
        date(2026, 11, 23),
        date(2026, 11, 29),
    )
    assert month_bounds(date(2026, 12, 15)) == (date(2026, 12, 1), date(2026, 12, 31))
    with pytest.raises(TimeWordsError, match=r"^'' is not a date: it is empty$"):
        day("")
    with pytest.raises(TimeWordsError, match=r"^'soonish' is not a date: 'soonish' is not und"):
        day("soonish")
    # The year of a month name is the year of "now", not of the machine's clock.
    assert day("nov 20", datetime(2030, 11, 23, 15, 0, tzinfo=UTC)) == date(2030, 11, 20)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("last 0 days", "'last 0 days' is not a date: a range needs at least one day"),
        ("nov 20 to nov 19", "'nov 20 to nov 19' is not a date: the range ends before it starts"),
        ("soonish", "'soonish' is not a date: 'soonish' is not understood; expected YYYY-MM-DD"),
    ],
)
def test_what_is_not_a_date_says_why(text: str, message: str) -> None:
    with pytest.raises(TimeWordsError) as refused:
        date_range_words(text, zone=ET, now=NOW)
    assert str(refused.value).startswith(message)


def test_dnc_list_number_joins_a_claim_check(db) -> None:
    # A number on the list blocks a search claim even when the flag was never copied.
    contact = add_contact(db, now=NOW)
    add_dnc_number(db, db.one("SELECT phone FROM contacts WHERE id = ?", (contact,))[0], now=NOW)
    with pytest.raises(ClaimError, match=rf"^contact {contact} is on the do-not-call list$"):
        claims.claim_contact(db, contact, rep="alice", now=NOW)


# --- queue ------------------------------------------------------------------------------


def test_short_durations_in_reasons() -> None:
    assert [
        humanize(timedelta(minutes=minutes))
        for minutes in (0, 59, 60, 61, 47 * 60 + 59, 48 * 60, 71 * 60, 72 * 60)
    ] == ["0 min", "59 min", "1 h", "1 h 1 min", "47 h 59 min", "2 d", "2 d", "3 d"]
    assert humanize(timedelta(minutes=-90)) == "1 h 30 min"


def test_a_queue_item_carries_the_contacts_fields(db) -> None:
    chicago = add_contact(
        db,
        now=NOW - timedelta(hours=2),
        zones=("America/Chicago",),
        state="IL",
        first_name="",
        last_name="",
        title="CFO",
        company="Grain Co",
        attempts=1,
        next_call_at=to_db(NOW - timedelta(hours=1)),
        phone="+13125550199",
    )
    [item] = build_queue(db, rep="alice", now=NOW)
    assert (item.contact_id, item.name, item.company, item.title, item.phone) == (
        chicago,
        "(no name)",
        "Grain Co",
        "CFO",
        "+13125550199",
    )
    assert (item.attempts, item.max_attempts, item.tier, item.lane) == (1, 6, "B", LANE_FOLLOW_UP)
    assert item.local_time == NOW and item.local_time.utcoffset() == timedelta(hours=-6)
    assert item.next_call_at == NOW - timedelta(hours=1)
    assert item.sla_due_at is not None and item.sla_due_at > NOW - timedelta(hours=2)
    assert (item.callback_at, item.callback_rep, item.claimed_by, item.claim_expires_at) == (
        None,
        None,
        None,
        None,
    )
    assert item.reason == "attempt 2 of 6, tier B, due 1 h ago"
    claims.claim_next(db, rep="alice", now=NOW)
    claims.mark_dialed(db, chicago, rep="alice", now=NOW)
    [dialed] = build_queue(db, rep="alice", now=NOW)
    # The dial time in the prospect's zone (09:00 in Chicago), with the claim's lease.
    assert dialed.reason == "dialed 09:00 with no disposition — log it"
    assert (dialed.claimed_by, dialed.claim_expires_at) == ("alice", NOW + timedelta(minutes=15))


def test_reasons_for_leads_without_a_known_tier(db) -> None:
    due = to_db(NOW - timedelta(minutes=5))
    untiered = add_contact(db, now=NOW, tier=None, tier_priority=99, sla_due_at=None)
    gone = add_contact(db, now=NOW, tier="Z", tier_priority=99, attempts=1, next_call_at=due)
    on_time = add_contact(db, now=NOW, sla_due_at=to_db(NOW))
    reasons = {item.contact_id: item.reason for item in build_queue(db, rep="alice", now=NOW)}
    assert reasons == {
        on_time: "new B lead — SLA due now",
        untiered: "new lead",
        gone: "attempt 2, tier Z, due 5 min ago",  # a tier no longer in the settings
    }


def test_the_queue_holds_twenty_by_default_and_each_contact_once(db) -> None:
    for _ in range(21):
        add_contact(db, now=NOW)
    assert len(build_queue(db, rep="alice", now=NOW)) == 20
    # A dialed claim that is also alice's due callback: lane 0, and only there.
    both = add_contact(
        db,
        now=NOW - timedelta(days=1),
        attempts=1,
        callback_rep="alice",
        callback_at=to_db(NOW - timedelta(minutes=1)),
        claimed_by="alice",
        claim_expires_at=to_db(NOW + timedelta(minutes=5)),
        dialed_at=to_db(NOW - timedelta(minutes=2)),
    )
    queue = build_queue(db, rep="alice", now=NOW, limit=3)
    assert [(item.contact_id, item.lane) for item in queue][:1] == [(both, 0)]
    assert [item.contact_id for item in queue].count(both) == 1 and len(queue) == 3


# --- windows ----------------------------------------------------------------------------


def florida_until_four(db) -> None:
    text = default_settings().source_text.replace(
        'region = "US-FL"\nstart = "08:00"\nend = "20:00"',
        'region = "US-FL"\nstart = "08:00"\nend = "16:00"',
    )
    replace_settings(db, parse_settings(text), actor="lead", now=NOW)


def test_a_state_rule_applies_to_claims_and_retries(db) -> None:
    florida_until_four(db)
    contact = add_contact(db, now=NOW, state="FL")
    half_past_three = NOW + timedelta(hours=5, minutes=30)  # 15:30 in Florida
    logged = log_call(db, contact, "no_answer", rep="alice", now=NOW)  # back in 4 h: 14:00
    assert logged.next_call_at == datetime(2026, 11, 23, 14, 0, tzinfo=ET)
    logged = log_call(db, contact, "busy", rep="alice", now=half_past_three)
    # 16:30 is past Florida's 16:00 (the team's 17:00 would allow it); and the daily cap.
    assert logged.next_call_at == datetime(2026, 11, 24, 9, 0, tzinfo=ET)
    with pytest.raises(ClaimError, match="outside its calling window now; it opens Tue 09:00"):
        claims.claim_contact(db, contact, rep="alice", now=NOW + timedelta(hours=6, minutes=30))


def test_next_open_answers_in_the_zone_it_was_asked_in() -> None:
    ny = Locale(1, ("America/New_York",), "US", "NY")
    opens = next_open(ny, datetime(2026, 11, 23, 6, 0, tzinfo=LONDON), default_settings())
    assert opens == datetime(2026, 11, 23, 9, 0, tzinfo=ET) and opens.tzinfo is LONDON


def test_the_daily_cap_counts_the_prospects_day_not_the_utc_day(db) -> None:
    tokyo = add_contact(db, now=NOW, zones=("Asia/Tokyo",), country="JP", phone="+81312345678")
    first = datetime(2026, 11, 24, 8, 55, tzinfo=ZoneInfo("Asia/Tokyo"))  # 23:55 UTC Monday
    log_call(db, tokyo, "busy", rep="alice", now=first)
    second = log_call(db, tokyo, "busy", rep="alice", now=first + timedelta(minutes=10))
    # Two dials on Tuesday in Tokyo: the next is Wednesday, not in an hour.
    assert second.next_call_at == datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def test_the_prospects_day_starts_at_their_midnight(db) -> None:
    # Both dials are on Tuesday in Tokyo (the first just after its midnight, the second
    # on Monday in UTC): the cap moves the next to Wednesday's opening.
    tokyo = ZoneInfo("Asia/Tokyo")
    contact = add_contact(db, now=NOW, zones=("Asia/Tokyo",), country="JP", phone="+81312345679")
    log_call(db, contact, "busy", rep="alice", now=datetime(2026, 11, 24, 0, 30, tzinfo=tokyo))
    second = log_call(db, contact, "busy", rep="alice", now=datetime(2026, 11, 24, 8, tzinfo=tokyo))
    assert second.next_call_at == datetime(2026, 11, 25, 9, 0, tzinfo=tokyo)


# --- calls ------------------------------------------------------------------------------


def test_what_a_call_writes(db) -> None:
    contact = add_contact(db, now=NOW)
    logged = log_call(db, contact, "gatekeeper", rep="zed", now=NOW)  # zed never claimed it
    assert (logged.category, logged.timezones, logged.dnc_added) == (
        "connect",
        ("America/New_York",),
        False,
    )
    row = db.one(
        "SELECT duration_seconds, dialed_at, callback_at, callback_scope, category, next_call_at"
        " FROM calls WHERE id = ?",
        (logged.call_id,),
    )
    assert tuple(row) == (0, None, None, None, "connect", to_db(NOW + timedelta(days=1)))
    assert [r[0] for r in db.query("SELECT name FROM reps")] == ["zed"]


def test_the_daily_cap_leaves_the_first_dial_alone_and_never_brings_a_retry_forward(db) -> None:
    contact = add_contact(db, now=NOW)
    first = log_call(db, contact, "busy", rep="alice", now=NOW)
    assert first.next_call_at == datetime(2026, 11, 23, 11, 0, tzinfo=ET)  # 1 h later
    second = log_call(db, contact, "voicemail", rep="alice", now=NOW + timedelta(hours=1))
    # Voicemail waits two days: later than tomorrow's opening, so the cap does not move it.
    assert second.next_call_at == datetime(2026, 11, 25, 11, 0, tzinfo=ET)


def test_dnc_in_any_form_ends_the_contact(db) -> None:
    flagged = add_contact(db, now=NOW, dnc=1)
    listed = add_contact(db, now=NOW)
    add_dnc_number(db, db.one("SELECT phone FROM contacts WHERE id = ?", (listed,))[0], now=NOW)
    asked = add_contact(db, now=NOW, status="dnc", dnc=0)  # asked once; since taken off the list
    for contact in (flagged, listed, asked):
        logged = log_call(db, contact, "no_answer", rep="alice", now=NOW)
        assert (logged.status, logged.next_call_at) == ("dnc", None)
        row = db.one("SELECT status, close_reason FROM contacts WHERE id = ?", (contact,))
        assert tuple(row) == ("dnc", "do not call")
    said = add_contact(db, now=NOW)
    assert log_call(db, said, "do_not_call", rep="alice", now=NOW).dnc_added is True
    phone = db.one("SELECT phone FROM contacts WHERE id = ?", (said,))[0]
    assert db.one("SELECT reason FROM dnc_numbers WHERE phone = ?", (phone,))[0] == (
        "asked on a call"
    )


def test_callbacks_kept_with_a_retry_and_refused_with_a_close(db) -> None:
    contact = add_contact(db, now=NOW)
    tuesday = datetime(2026, 11, 24, 11, 0, tzinfo=ET)
    logged = log_call(
        db, contact, "busy", rep="alice", now=NOW, callback=tuesday, callback_scope="anyone"
    )
    assert logged.next_call_at == tuesday
    row = db.one("SELECT callback_at, callback_rep FROM contacts WHERE id = ?", (contact,))
    assert tuple(row) == (to_db(tuesday), None)
    call = db.one("SELECT callback_at, callback_scope FROM calls WHERE id = ?", (logged.call_id,))
    assert tuple(call) == (to_db(tuesday), "anyone")
    refusals = [
        ({"callback": tuesday}, "not_interested", "a callback time cannot follow a disposition"
         " that closes the contact (close)"),
        ({"callback": NOW}, "busy", "callback time 2026-11-23T15:00+00:00 is not in the future"),
        ({"callback_scope": "team"}, "busy", "callback scope 'team': expected 'mine' or 'anyone'"),
        ({"duration": -1}, "busy", "duration -1: expected talk time in seconds,"
         " 0 to 86400 (a day)"),
        ({}, "callback", "a callback needs a time (e.g. --callback 'tue 10am')"),
    ]  # fmt: skip
    for extra, disposition, message in refusals:
        with pytest.raises(ProspectorError) as refused:
            log_call(db, contact, disposition, rep="alice", now=NOW, **extra)
        assert str(refused.value) == message
    with pytest.raises(ValueError, match=r"^callback must be an aware datetime$"):
        log_call(db, contact, "busy", rep="alice", now=NOW, callback=datetime(2026, 11, 24, 11))


def test_a_wrong_number_closes_with_its_reason(db) -> None:
    contact = add_contact(db, now=NOW)
    log_call(db, contact, "wrong_number", rep="alice", now=NOW)
    row = db.one("SELECT status, close_reason, phone_bad FROM contacts WHERE id = ?", (contact,))
    assert tuple(row) == ("closed", "wrong number", 1)


def test_a_dial_time_is_logged_only_for_the_rep_who_dialed(db) -> None:
    contact = add_contact(db, now=NOW)
    claims.claim_next(db, rep="alice", now=NOW)
    claims.mark_dialed(db, contact, rep="alice", now=NOW)
    later = NOW + timedelta(minutes=20)  # alice's lease ran out; bob logs a call
    logged = log_call(db, contact, "no_answer", rep="bob", now=later)
    assert db.one("SELECT dialed_at FROM calls WHERE id = ?", (logged.call_id,))[0] is None


# --- claims, once more ------------------------------------------------------------------


def test_a_contact_whose_zone_is_unknown_is_never_callable(db) -> None:
    nowhere = add_contact(db, now=NOW, zones=())
    with pytest.raises(ClaimError) as refused:
        claims.claim_contact(db, nowhere, rep="alice", now=NOW)
    assert str(refused.value) == f"contact {nowhere} is outside its calling window now"


def test_only_the_holder_dials_or_skips(db) -> None:
    contact = add_contact(db, now=NOW)
    claims.claim_next(db, rep="alice", now=NOW)
    with pytest.raises(ClaimError, match=r"claimed by alice \(lease ends in 15 min\)$"):
        claims.mark_dialed(db, contact, rep="bob", now=NOW)
    claims.release_claim(db, contact, rep="alice", now=NOW)
    with pytest.raises(ClaimError) as refused:
        claims.skip_contact(db, contact, rep="bob", reason="x", now=NOW)
    assert str(refused.value) == f"contact {contact} is not claimed by bob"


# --- export files, once more ------------------------------------------------------------


def test_an_export_folder_that_cannot_be_written_is_refused(tmp_path, monkeypatch) -> None:
    # The tests run as root, for whom every folder is writable: say it is not.
    monkeypatch.setattr(safe_csv.os, "access", lambda path, mode: not mode & safe_csv.os.W_OK)
    with pytest.raises(safe_csv.ExportWriteError) as refused:
        safe_csv.prepare_directory(tmp_path)
    assert str(refused.value) == f"{tmp_path}: directory is not writable"


def test_a_lease_about_to_end_says_one_minute(db) -> None:
    contact = add_contact(db, now=NOW)
    claims.claim_next(db, rep="alice", now=NOW)
    with pytest.raises(ClaimError, match=r"\(lease ends in 1 min\)$"):
        claims.release_claim(db, contact, rep="bob", now=NOW + timedelta(minutes=14, seconds=30))


def test_a_retry_moves_the_contacts_next_call(db) -> None:
    contact = add_contact(db, now=NOW)
    log_call(db, contact, "busy", rep="alice", now=NOW)
    row = db.one("SELECT next_call_at FROM contacts WHERE id = ?", (contact,))
    assert row[0] == to_db(NOW + timedelta(hours=1))


def test_a_callback_item_says_whose_and_when(db) -> None:
    due = NOW - timedelta(minutes=3)
    stamp = to_db(due)
    contact = add_contact(
        db, now=NOW, attempts=1, callback_rep="alice", callback_at=stamp, next_call_at=stamp
    )
    [item] = build_queue(db, rep="alice", now=NOW)
    assert (item.contact_id, item.callback_at, item.callback_rep) == (contact, due, "alice")


def test_more_time_words() -> None:
    assert at("in a day") == datetime(2026, 11, 24, 10, 0, tzinfo=ET)
    assert at("3:30 pm") == datetime(2026, 11, 23, 15, 30, tzinfo=ET)  # one time, not two
    saturday = datetime(2026, 3, 7, 15, 0, tzinfo=UTC)  # New York springs forward on Sunday
    with pytest.raises(TimeWordsError, match=r"^'tomorrow 2:30am' is not a time: 2026-03-08 02:30"):
        at("tomorrow 2:30am", saturday)


def test_ranges_are_the_teams_days_near_midnight() -> None:
    sunday_night = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)  # Sunday 22:00 in New York
    assert date_range_words("this week", zone=ET, now=sunday_night) == (
        date(2026, 11, 23),
        date(2026, 11, 29),
    )
    assert date_range_words("today", zone=ET, now=sunday_night) == (
        date(2026, 11, 29),
        date(2026, 11, 29),
    )
