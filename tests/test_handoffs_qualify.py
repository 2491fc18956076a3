"""qualify: handoffs made, assigned, updated, refused (DESIGN §4.9)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from prospector.foundations.errors import NotFoundError, TimeWordsError
from prospector.services import handoffs
from prospector.services.assignment import AssignmentError
from prospector.services.handoffs import HandoffError, format_amount, parse_amount
from prospector.services.settings import default_settings, parse_settings, store_settings
from tests.conftest import MONDAY_10_ET
from tests.handoff_factories import make_call, make_contact

AT = "2026-11-23T15:00:00Z"


def test_qualify_creates_pending_handoff_and_closes_contact(db):
    contact = make_contact(db, state="NY")
    handoff = handoffs.qualify(
        db, contact, rep="alice", now=MONDAY_10_ET, amount="12,500", budget="approved"
    )
    assert handoff.status == "pending"
    assert handoff.owner == "Dana Whitfield"  # US-NY is in Dana's territory
    assert handoff.owner_email == "dana.whitfield@example.com"
    assert handoff.amount_cents == 1_250_000
    assert handoff.amount == "12500.00"
    assert handoff.inside_rep == "alice"
    row = db.one("SELECT status, close_reason FROM contacts WHERE id = ?", (contact,))
    assert (row["status"], row["close_reason"]) == ("qualified", "handed off")


@pytest.mark.parametrize(
    ("country", "state", "owner"),
    [("US", "CA", "Marco Reyes"), ("GB", "", "Priya Shah"), ("US", "NJ", "Dana Whitfield")],
)
def test_territory_map_picks_the_outside_rep(db, country, state, owner):
    contact = make_contact(db, country=country, state=state)
    assert handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET).owner == owner


def test_round_robin_outside_territories_is_fewest_handoffs_then_settings_order(db):
    owners = []
    for _ in range(4):
        contact = make_contact(db, state="OH")  # nobody's territory
        owners.append(handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET).owner)
    assert owners == ["Dana Whitfield", "Marco Reyes", "Priya Shah", "Dana Whitfield"]


def test_round_robin_counts_territory_handoffs_too(db):
    handoffs.qualify(db, make_contact(db, state="NY"), rep="alice", now=MONDAY_10_ET)
    # Dana now holds one: the next unassigned contact goes to Marco.
    contact = make_contact(db, state="OH")
    assert handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET).owner == "Marco Reyes"


def test_industry_territory(db):
    text = default_settings().source_text.replace(
        'regions = ["GB"]\nindustries = []', 'regions = []\nindustries = ["Healthcare"]'
    )
    settings = parse_settings(text)
    with db.write():
        store_settings(db, settings, actor="lead", now=MONDAY_10_ET)
    contact = make_contact(db, state="CA", industry="healthcare")
    # Marco covers US-CA by region; Priya covers Healthcare: both match, fewest wins (tie: order).
    assert handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET).owner == "Marco Reyes"
    other = make_contact(db, state="OH", industry="Healthcare")
    assert handoffs.qualify(db, other, rep="alice", now=MONDAY_10_ET).owner == "Priya Shah"


def test_strict_territory_mode_refuses_uncovered_contacts(db):
    text = default_settings().source_text.replace(
        'outside_rep_assignment = "round_robin"', 'outside_rep_assignment = "territory"'
    )
    with db.write():
        store_settings(db, parse_settings(text), actor="lead", now=MONDAY_10_ET)
    contact = make_contact(db, state="OH")
    with pytest.raises(AssignmentError, match="US-OH"):
        handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET)
    assert db.one("SELECT count(*) FROM handoffs")[0] == 0
    assert db.one("SELECT status FROM contacts WHERE id = ?", (contact,))[0] == "open"
    made = handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET, owner="Priya Shah")
    assert made.owner == "Priya Shah"


def test_owner_override_by_email_and_unknown_owner(db):
    contact = make_contact(db, state="NY")
    handoff = handoffs.qualify(
        db, contact, rep="alice", now=MONDAY_10_ET, owner="MARCO.REYES@example.com"
    )
    assert handoff.owner == "Marco Reyes"
    with pytest.raises(AssignmentError, match="unknown outside rep 'Zed'"):
        handoffs.qualify(db, make_contact(db), rep="alice", now=MONDAY_10_ET, owner="Zed")


def test_qualifying_again_updates_until_exported(db, tmp_path):
    from prospector.services.export import export_pending

    contact = make_contact(db)
    first = handoffs.qualify(
        db, contact, rep="alice", now=MONDAY_10_ET, amount=1000, budget="set", need="CRM"
    )
    later = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    second = handoffs.qualify(db, contact, rep="bob", now=later, amount="2000.50", need="ERP")
    assert second.id == first.id
    assert (second.amount, second.budget, second.need) == ("2000.50", "set", "ERP")
    assert second.inside_rep == "alice"  # the rep who qualified first keeps the credit
    assert second.updated_at == later
    assert db.one("SELECT count(*) FROM handoffs")[0] == 1
    export_pending(db, now=later, actor="lead", format="csv", out_dir=tmp_path)
    third = handoffs.qualify(db, contact, rep="bob", now=later, amount=3000)
    assert third.id != first.id
    assert [h.status for h in handoffs.list_handoffs(db)] == ["exported", "pending"]


def test_meeting_time_words_in_prospect_zone(db):
    contact = make_contact(db, state="CA", zones="America/Los_Angeles")
    handoff = handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET, meeting_at="tue 10am")
    # Tuesday 10:00 in Los Angeles is 18:00 UTC.
    assert handoff.meeting_at == datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
    iso = handoffs.qualify(
        db, contact, rep="alice", now=MONDAY_10_ET, meeting_at="2026-12-01T14:00:00-05:00"
    )
    assert iso.meeting_at == datetime(2026, 12, 1, 19, 0, tzinfo=UTC)


def test_meeting_in_the_past_or_not_a_time_is_refused(db):
    contact = make_contact(db)
    with pytest.raises(TimeWordsError, match="in the past"):
        handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET, meeting_at="2026-11-20 10:00")
    with pytest.raises(TimeWordsError):
        handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET, meeting_at="whenever")
    assert db.one("SELECT count(*) FROM handoffs")[0] == 0


def test_dnc_contacts_are_refused_every_way(db):
    flagged = make_contact(db, dnc=True)
    listed_only = make_contact(db)
    with db.write():
        db.execute(
            "INSERT INTO dnc_numbers (phone, added_at) SELECT phone, ? FROM contacts WHERE id = ?",
            ("2026-11-22T00:00:00Z", listed_only),
        )
    status_dnc = make_contact(db, status="dnc")
    for contact in (flagged, listed_only, status_dnc):
        with pytest.raises(HandoffError, match="do-not-call"):
            handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET)
    assert db.one("SELECT count(*) FROM handoffs")[0] == 0


def test_filtered_contacts_may_be_handed_off(db):
    contact = make_contact(db, filtered_by="fewer than 10 employees", employees=5)
    assert handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET).status == "pending"


def test_unknown_contact(db):
    with pytest.raises(NotFoundError, match="no contact 999"):
        handoffs.qualify(db, 999, rep="alice", now=MONDAY_10_ET)


@pytest.mark.parametrize(
    ("text", "cents"),
    [("12500", 1_250_000), ("12,500.5", 1_250_050), ("$99.99", 9999), ("0", 0), (7, 700)],
)
def test_parse_amount(text, cents):
    assert parse_amount(text) == cents
    assert format_amount(cents) == f"{cents // 100}.{cents % 100:02d}"


@pytest.mark.parametrize("text", ["-5", "12.345", "lots", "1e5", "NaN", ""])
def test_bad_amounts(text):
    with pytest.raises(HandoffError, match="amount"):
        parse_amount(text)


# --- through the CLI ------------------------------------------------------------------


def test_cli_qualify_json_and_listing(run, db):
    contact = make_contact(db, state="CA", zones="America/Los_Angeles")
    make_call(db, contact, at="2026-11-20T18:00:00Z", disposition="meeting_set", note="ok")
    result = run(
        "qualify", str(contact), "--amount", "5000", "--meeting", "tue 2pm", "--json", "--at", AT
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "handoff_id": 1,
        "contact_id": contact,
        "owner": "Marco Reyes",
    }
    listed = run("handoffs", "--status", "pending", "--json")
    [item] = json.loads(listed.output)
    assert item["amount"] == "5000.00"
    assert item["meeting_at"] == "2026-11-24T22:00:00Z"
    assert json.loads(run("handoffs", "--status", "exported", "--json").output) == []
    human = run("qualify", str(contact), "--meeting", "wed 9am", "--at", AT)
    assert "for the prospect (America/Los_Angeles)" in human.output
    assert "12:00 EST for you" in human.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["qualify", "999"], "error: no contact 999"),
        (["qualify", "{dnc}"], "do-not-call"),
        (["qualify", "{ok}", "--amount", "ten"], "amount 'ten'"),
        (["qualify", "{ok}", "--meeting", "someday"], "someday"),
        (["qualify", "{ok}", "--owner", "nobody"], "unknown outside rep"),
        (["handoffs", "--status", "lost"], "unknown status 'lost'"),
    ],
)
def test_cli_bad_input_is_one_line_exit_1(run, db, args, message):
    ids = {"dnc": make_contact(db, dnc=True), "ok": make_contact(db)}
    result = (
        run(*[a.format(**ids) for a in args], "--at", AT) if args[0] == "qualify" else run(*args)
    )
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_cli_qualify_needs_the_meeting_for_a_new_handoff_as_the_meeting_set_does(run, db):
    """An empty `qualify` makes no handoff (the meeting set's `requires`: the meeting
    time); once one exists, `qualify` adds to it without repeating the meeting."""
    contact = make_contact(db, state="NY")
    empty = run("qualify", str(contact), "--amount", "900", "--at", AT)
    assert empty.exit_code == 1
    assert empty.stderr == (
        f"error: contact {contact}: a new handoff needs its meeting (the meeting set's"
        " `requires` in the settings); nothing was written\n"
    )
    assert db.one("SELECT count(*) FROM handoffs")[0] == 0
    assert db.one("SELECT status FROM contacts WHERE id = ?", (contact,))[0] == "open"
    made = run("qualify", str(contact), "--meeting", "wed 11am", "--at", AT)
    assert made.exit_code == 0, made.stderr
    added = run("qualify", str(contact), "--need", "a CRM", "--at", AT)
    assert added.exit_code == 0, added.stderr
    row = db.one("SELECT count(*), max(need), max(meeting_at) FROM handoffs")
    assert tuple(row) == (1, "a CRM", "2026-11-25T16:00:00Z")


def test_new_handoff_requires_follows_the_qualifying_dispositions():
    assert handoffs.new_handoff_requires(default_settings()) == ("meeting",)
    text = default_settings().source_text.replace(
        'requires = ["meeting"]', 'requires = ["meeting", "amount"]'
    )
    assert handoffs.new_handoff_requires(parse_settings(text)) == ("meeting", "amount")
