"""``log ID meeting_set``: the call and its handoff in one transaction (issue 13, item 5).

From the shell (``log`` with the handoff's answers) and from the workbench's
qualification form, through the same service; the answers a qualifying
disposition requires come from the settings' catalog, and a missing one, or a
handoff that cannot be made, logs nothing at all.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from prospector.foundations.db import open_database
from prospector.foundations.errors import SettingsError
from prospector.services import call_outcomes, claims, handoffs
from prospector.services.assignment import AssignmentError
from prospector.services.call_outcomes import HandoffAnswers, MissingAnswersError
from prospector.services.settings import default_settings, parse_settings, store_settings
from prospector.tui.dialogs.qualify import QualifyDialog
from tests.factories import add_contact
from tests.tui_support import execute, pinned_app, run_async, settle, shown_contact, started
from tests.tui_support import team_database as tui_team

START = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday 10:00 in New York
AT = "2026-11-23T10:05:00-05:00"
MEETING_SET = (
    'code = "meeting_set"\nlabel = "Meeting set"\ncounts_as = "conversation"\nthen = "qualify"\n'
)


def use_settings(db, text: str) -> None:
    with db.write():
        store_settings(db, parse_settings(text), actor="lead", now=START)


def with_catalog(replacement: str) -> str:
    text = default_settings().source_text
    assert MEETING_SET + 'requires = ["meeting"]\n' in text
    return text.replace(MEETING_SET + 'requires = ["meeting"]\n', replacement)


def strict_territories() -> str:
    """Territory assignment with nobody covering New York: no one to hand a NY contact to."""
    return (
        default_settings()
        .source_text.replace(
            'outside_rep_assignment = "round_robin"', 'outside_rep_assignment = "territory"'
        )
        .replace('regions = ["US-NY", ', "regions = [")
    )


@pytest.fixture
def contact(run, db) -> int:
    return add_contact(db, now=START - timedelta(days=1), state="NY", source="inbound")


def nothing_logged(db, contact: int) -> None:
    assert db.one("SELECT count(*) FROM calls")[0] == 0
    assert db.one("SELECT count(*) FROM handoffs")[0] == 0
    row = db.one("SELECT status, attempts FROM contacts WHERE id = ?", (contact,))
    assert (row["status"], row["attempts"]) == ("open", 0)


def test_meeting_set_without_its_meeting_is_refused_with_a_hint(run, db, contact):
    result = run("log", str(contact), "meeting_set", "--note", "Demo booked", "--at", AT)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: log {contact} meeting_set: give --meeting WHEN (a meeting_set call makes the"
        " handoff with it); nothing was logged"
    ]
    assert result.stdout == ""
    nothing_logged(db, contact)


def test_meeting_set_logs_the_call_and_makes_the_handoff(run, db, contact):
    claims.claim_contact(db, contact, rep="alice", now=START)
    result = run(
        "log", str(contact), "meeting_set", "--note", "Demo booked", "--duration", "300",
        "--meeting", "wed 2pm", "--amount", "12,500", "--budget", "approved",
        "--authority", "the COO", "--need", "CRM replacement", "--timeline", "Q1",
        "--json", "--at", AT,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    made = handoffs.list_handoffs(db)
    assert [h.id for h in made] == [shown["handoff_id"]]
    assert (shown["contact_id"], shown["disposition"], shown["status"]) == (
        contact,
        "meeting_set",
        "qualified",
    )
    handoff = made[0]
    assert (handoff.amount, handoff.budget, handoff.authority, handoff.need, handoff.timeline) == (
        "12500.00",
        "approved",
        "the COO",
        "CRM replacement",
        "Q1",
    )
    assert handoff.meeting_at == datetime(2026, 11, 25, 19, 0, tzinfo=UTC)  # Wed 14:00 EST
    assert (handoff.status, handoff.owner, handoff.note) == (
        "pending",
        "Dana Whitfield",
        "Demo booked",
    )
    call = db.one("SELECT id, note, duration_seconds, status_after FROM calls")
    assert tuple(call) == (shown["call_id"], "Demo booked", 300, "qualified")
    row = db.one("SELECT status, close_reason, claimed_by FROM contacts WHERE id = ?", (contact,))
    assert tuple(row) == ("qualified", "handed off", None)


def test_log_says_which_handoff_it_made(run, db, contact):
    result = run("log", str(contact), "8", "--meeting", "tomorrow 3pm", "--at", AT)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith("meeting_set (attempt 1) → qualified")
    handoff = handoffs.list_handoffs(db)[0]
    assert lines[-1] == f"  handoff {handoff.id} → Dana Whitfield (pending export)"


def test_other_dispositions_have_no_handoff_id(run, db, contact):
    result = run("log", str(contact), "no_answer", "--json", "--at", AT)
    assert result.exit_code == 0
    assert "handoff_id" not in json.loads(result.stdout)


def test_handoff_answers_with_a_disposition_that_does_not_qualify_are_refused(run, db, contact):
    for flags in (["--amount", "100"], ["--meeting", "wed 2pm", "--need", "x"]):
        result = run("log", str(contact), "no_answer", *flags, "--at", AT)
        assert result.exit_code == 1
        assert "go only with a disposition that qualifies" in result.stderr
        assert "nothing was logged" in result.stderr
    nothing_logged(db, contact)


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--meeting", "someday"], "'someday' is not understood"),
        (["--meeting", "2026-11-20 10:00"], "in the past"),
        (["--meeting", "wed 2pm", "--amount", "-5"], "expected a positive number"),
        (["--meeting", "wed 2pm", "--owner", "Zed"], "unknown outside rep 'Zed'"),
    ],
)
def test_a_bad_answer_logs_nothing(run, db, contact, flags, expected):
    result = run("log", str(contact), "meeting_set", *flags, "--at", AT)
    assert result.exit_code == 1
    assert expected in result.stderr and len(result.stderr.splitlines()) == 1
    assert result.stderr.count("nothing was logged") == 1, result.stderr
    assert result.stderr.endswith("; nothing was logged\n"), result.stderr
    nothing_logged(db, contact)


def test_a_handoff_that_cannot_be_made_leaves_no_call_and_the_claim_held(run, db, contact):
    use_settings(db, strict_territories())
    claims.claim_contact(db, contact, rep="alice", now=START)
    result = run("log", str(contact), "meeting_set", "--meeting", "wed 2pm", "--at", AT)
    assert result.exit_code == 1
    assert "US-NY" in result.stderr and result.stderr.endswith("; nothing was logged\n")
    nothing_logged(db, contact)
    assert db.one("SELECT claimed_by FROM contacts WHERE id = ?", (contact,))[0] == "alice"
    # Given an owner, the same call goes through.
    again = run("log", str(contact), "meeting_set", "--meeting", "wed 2pm", "--owner", "Priya Shah")
    assert again.exit_code == 0, again.stderr
    assert [h.owner for h in handoffs.list_handoffs(db)] == ["Priya Shah"]


def test_the_service_is_one_transaction(db):
    contact = add_contact(db, now=START - timedelta(days=1), state="NY")
    use_settings(db, strict_territories())
    with pytest.raises(AssignmentError):
        call_outcomes.log_outcome(
            db,
            contact,
            "meeting_set",
            rep="alice",
            now=START,
            answers=HandoffAnswers(meeting="thu 2pm"),
        )
    nothing_logged(db, contact)
    # The call's own side effects went with it: the daily summary counts no dial.
    assert db.one("SELECT count(*) FROM calls WHERE contact_id = ?", (contact,))[0] == 0
    assert db.one("SELECT coalesce(sum(dials), 0) FROM call_stats_daily")[0] == 0


def test_what_is_required_comes_from_the_settings_not_the_code(run, db, contact):
    use_settings(
        db,
        with_catalog(
            'code = "demo_booked"\nlabel = "Demo booked"\ncounts_as = "conversation"\n'
            'then = "qualify"\nrequires = ["amount", "need"]\n'
        ),
    )
    result = run("log", str(contact), "demo_booked", "--meeting", "wed 2pm", "--at", AT)
    assert result.exit_code == 1
    assert "give --amount N --need T (a demo_booked call" in result.stderr
    nothing_logged(db, contact)
    made = run("log", str(contact), "8", "--amount", "900", "--need", "a CRM", "--json", "--at", AT)
    assert made.exit_code == 0, made.stderr
    handoff = handoffs.get_handoff(db, json.loads(made.stdout)["handoff_id"])
    assert (handoff.amount, handoff.need, handoff.meeting_at) == ("900.00", "a CRM", None)


def test_a_qualifying_disposition_without_requires_needs_nothing(run, db, contact):
    use_settings(db, with_catalog(MEETING_SET))
    result = run("log", str(contact), "meeting_set", "--json", "--at", AT)
    assert result.exit_code == 0, result.stderr
    assert handoffs.get_handoff(db, json.loads(result.stdout)["handoff_id"]).meeting_at is None


def test_meeting_set_again_updates_the_pending_handoff(run, db, contact):
    first = run("log", str(contact), "meeting_set", "--meeting", "wed 2pm", "--json", "--at", AT)
    later = "2026-11-23T11:00:00-05:00"
    second = run(
        "log", str(contact), "meeting_set", "--meeting", "fri 9am", "--amount", "50", "--json",
        "--at", later,
    )  # fmt: skip
    assert json.loads(first.stdout)["handoff_id"] == json.loads(second.stdout)["handoff_id"]
    (handoff,) = handoffs.list_handoffs(db)
    assert (handoff.amount, handoff.meeting_at) == ("50.00", datetime(2026, 11, 27, 14, tzinfo=UTC))
    assert db.one("SELECT count(*) FROM calls")[0] == 2


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('then = "qualify"\nrequires = ["budget", "mood"]\n', "handoff fields among amount"),
        ('then = "close"\nrequires = ["meeting"]\n', 'nothing unless then = "qualify"'),
    ],
)
def test_requires_is_checked_when_settings_load(entry, message):
    text = with_catalog(MEETING_SET.replace('then = "qualify"\n', entry))
    with pytest.raises(SettingsError, match=message):
        parse_settings(text)


def test_missing_answers_error_names_the_fields():
    error = MissingAnswersError("meeting_set", ("meeting", "amount"))
    assert error.missing == ("meeting", "amount")
    assert "needs its meeting, amount first" in str(error)


# --- the workbench's meeting flow ------------------------------------------------------

SIZE = (100, 30)


@run_async
async def test_workbench_form_asks_for_the_required_meeting(tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    ids = tui_team(path)
    app = pinned_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("8")
        await settle(pilot)
        await pilot.press(*"25000", "ctrl+s")  # no meeting time
        await settle(pilot)
        assert isinstance(app.screen, QualifyDialog)
        assert app.screen.focused is not None and app.screen.focused.id == "q-meeting"
        await pilot.press(*"thu 2pm", "ctrl+s")
        await settle(pilot)
        assert shown_contact(screen) == ids["Grace"]
    rows = execute(path, "SELECT contact_id, meeting_at, amount_cents FROM handoffs")
    assert [tuple(r) for r in rows] == [(ids["Ada"], "2026-11-26T19:00:00Z", 2_500_000)]


@run_async
async def test_workbench_handoff_failure_logs_no_call(tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    ids = tui_team(path)
    with open_database(path) as db:
        use_settings(db, strict_territories())
    app = pinned_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert shown_contact(screen) == ids["Ada"]
        await pilot.press("e", *"wants a demo", "escape", "8")
        await settle(pilot)
        await pilot.press(*"25000", "enter", *"thu 2pm", "ctrl+s")
        await settle(pilot)
        refused = [n.message for n in app._notifications if n.title == "Not done"]
        assert any("US-NY" in m and "nothing was logged" in m for m in refused), refused
        # The lead stays, with its note, for the rep to fix the answer or log another outcome.
        assert shown_contact(screen) == ids["Ada"]
        assert execute(path, "SELECT count(*) FROM calls")[0][0] == 0
        assert execute(path, "SELECT count(*) FROM handoffs")[0][0] == 0
        await pilot.press("1")
        await settle(pilot)
        assert shown_contact(screen) == ids["Grace"]
    calls = execute(path, "SELECT contact_id, disposition, note FROM calls")
    assert [tuple(c) for c in calls] == [(ids["Ada"], "no_answer", "wants a demo")]
    status = execute(path, "SELECT status FROM contacts WHERE id = ?", (ids["Ada"],))
    assert status[0][0] == "open"
