"""``pause``/``resume``, ``floor --json``/``--watch`` and ``report time`` through the real CLI."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from prospector.foundations.db import open_database
from prospector.services import calls, claims, handoffs, rep_states
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact

T0 = MONDAY_10_ET  # 10:00 in New York


def iso(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


@pytest.fixture
def busy_floor(db_path, run):
    """alice on a call with Pat Lee (2 dials, a meeting), bob at lunch, carol ready
    and quiet too long, dave gone home (workbench closed) before today."""
    db = open_database(db_path)
    try:
        lead = add_contact(db, now=T0 - timedelta(hours=1), first_name="Pat", last_name="Lee")
        booked = add_contact(db, now=T0 - timedelta(hours=1))
        other = add_contact(db, now=T0 - timedelta(hours=1))
        calls.log_call(db, booked, "meeting_set", rep="alice", now=T0 - timedelta(minutes=30))
        handoffs.qualify(db, booked, rep="alice", now=T0 - timedelta(minutes=29))
        calls.log_call(db, other, "no_answer", rep="alice", now=T0 - timedelta(minutes=20))
        claims.claim_contact(db, lead, rep="alice", now=T0 - timedelta(minutes=10))
        claims.mark_dialed(db, lead, rep="alice", now=T0 - timedelta(minutes=3))
        rep_states.change(db, "bob", "ready", T0 - timedelta(hours=2))
        rep_states.pause(db, "bob", "lunch", T0 - timedelta(minutes=70))
        rep_states.change(db, "carol", "ready", T0 - timedelta(minutes=40))
        rep_states.change(db, "dave", "offline", T0 - timedelta(days=1))
    finally:
        db.close()
    return lead


def test_floor_json_lists_each_rep_in_their_state(run, busy_floor) -> None:
    result = run("floor", "--json", "--at", T0.isoformat())
    assert result.exit_code == 0, result.output
    reps = {rep["rep"]: rep for rep in json.loads(result.output)}
    assert sorted(reps) == ["alice", "bob", "carol"]  # dave: offline since yesterday
    alice = reps["alice"]
    assert alice == {
        "rep": "alice",
        "state": "on_call",
        "code": None,
        "label": None,
        "since": "2026-11-23T09:57:00-05:00",
        "seconds_in_state": 180,
        "overdue": False,
        "contact_id": busy_floor,
        "lead": "Pat Lee",
        "company": "Acme Corp",
        "dials": 2,
        "meetings": 1,
        "goal": {"dials": 80, "meetings": 2},
    }
    bob = reps["bob"]
    assert (bob["state"], bob["code"], bob["label"]) == ("paused", "lunch", "Lunch")
    assert bob["seconds_in_state"] == 70 * 60 and bob["overdue"]  # lunch: 60 minutes at most
    assert (bob["lead"], bob["dials"]) == (None, 0)
    carol = reps["carol"]  # not heard from for a lease (15 min) after 09:20
    assert (carol["state"], carol["since"]) == ("offline", "2026-11-23T09:35:00-05:00")


def test_floor_watch_prints_the_table_until_interrupted(run, busy_floor, monkeypatch) -> None:
    ticks = []

    def sleep(seconds: float) -> None:
        ticks.append(seconds)
        if len(ticks) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("prospector.cli.floor.time.sleep", sleep)
    result = run("floor", "--watch", "--every", "5", "--at", T0.isoformat())
    assert result.exit_code == 0, result.output
    assert ticks == [5.0, 5.0]
    assert result.output.count("floor at Mon 23 Nov 10:00") == 2
    lines = result.output.splitlines()
    assert lines[1].split() == ["Rep", "State", "For", "Since", "Lead", "Dials", "Mtgs"]
    assert "alice  On call" in lines[2] and "Pat Lee, Acme Corp" in lines[2]
    assert "2/80" in lines[2] and "1/2" in lines[2]
    assert "Paused: Lunch !" in lines[3] and "1:10:00" in lines[3]
    assert "Traceback" not in result.output


def test_pause_and_resume_from_the_shell(db_path, run) -> None:
    db = open_database(db_path)
    try:
        contact = add_contact(db, now=T0)
    finally:
        db.close()
    assert run("next", "--json", "--at", iso(0)).exit_code == 0
    paused = run("pause", "--code", "coaching", "--json", "--at", iso(1))
    assert paused.exit_code == 0, paused.output
    assert json.loads(paused.output) == {
        "rep": "alice",
        "state": "paused",
        "code": "coaching",
        "label": "Coaching",
    }
    refused = run("next", "--at", iso(2))
    assert refused.exit_code == 1 and "alice is paused" in refused.output
    floor = json.loads(run("floor", "--json", "--at", iso(2)).output)
    assert [(r["rep"], r["state"], r["contact_id"]) for r in floor] == [("alice", "paused", None)]
    bad = run("pause", "--code", "nap", "--at", iso(3))
    assert bad.exit_code == 1 and "unknown pause code 'nap'" in bad.output
    assert run("resume", "--at", iso(10)).output.strip() == "alice is ready"
    assert run("resume", "--at", iso(11)).output.strip() == "alice was not paused"
    claimed = json.loads(run("next", "--json", "--at", iso(12)).output)
    assert claimed["contact_id"] == contact


def test_report_time_counts_each_state_and_cuts_stays_at_midnight(db_path, run) -> None:
    # 23:00 New York on Monday: alice ready, on a call 23:30-00:10, wrap-up to
    # 00:15, then at a 30-minute break, and ready again until she closes at 01:00.
    late = T0 + timedelta(hours=13)  # Mon 23:00 EST
    db = open_database(db_path)
    try:
        contact = add_contact(db, now=late, zones=("Asia/Dhaka",), country="BD")
        claims.claim_contact(db, contact, rep="alice", now=late)
        claims.renew_claim(db, contact, rep="alice", now=late + timedelta(minutes=20))
        claims.mark_dialed(db, contact, rep="alice", now=late + timedelta(minutes=30))
        claims.renew_claim(db, contact, rep="alice", now=late + timedelta(minutes=60))
        with db.write():
            rep_states.hangup(db, "alice", late + timedelta(minutes=70))
        calls.log_call(db, contact, "no_answer", rep="alice", now=late + timedelta(minutes=75))
        rep_states.pause(db, "alice", "break", late + timedelta(minutes=75))
        rep_states.resume(db, "alice", late + timedelta(minutes=105))
        rep_states.change(db, "alice", "offline", late + timedelta(minutes=120))
    finally:
        db.close()
    result = run(
        "report", "time", "--from", "2026-11-23", "--to", "2026-11-24", "--json",
        "--at", (late + timedelta(hours=3)).isoformat(),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = {(row["day"], row["rep"]): row for row in json.loads(result.output)}
    monday, tuesday = rows[("2026-11-23", "alice")], rows[("2026-11-24", "alice")]
    assert monday["ready_seconds"] == 30 * 60
    assert monday["on_call_seconds"] == 30 * 60
    assert monday["total_seconds"] == 60 * 60
    assert tuesday["on_call_seconds"] == 10 * 60
    assert tuesday["wrap_up_seconds"] == 5 * 60
    assert tuesday["paused_seconds"] == tuesday["paused_break_seconds"] == 30 * 60
    assert tuesday["paused_lunch_seconds"] == 0
    assert tuesday["ready_seconds"] == 15 * 60
    assert tuesday["total_seconds"] == 60 * 60
    assert rows[("2026-11-24", "TEAM")]["total_seconds"] == 60 * 60
    table = run(
        "report", "time", "--date", "2026-11-24", "--at", (late + timedelta(hours=3)).isoformat()
    )
    assert table.exit_code == 0, table.output
    assert "Wrap-up" in table.output and "Break" in table.output and "5m 00s" in table.output


def test_report_time_counts_an_open_stay_to_now(db_path, run) -> None:
    db = open_database(db_path)
    try:
        rep_states.pause(db, "bob", "admin", T0)
    finally:
        db.close()
    result = run("report", "time", "--rep", "bob", "--json", "--at", iso(25))
    rows = json.loads(result.output)
    assert [(r["rep"], r["paused_admin_seconds"], r["total_seconds"]) for r in rows] == [
        ("bob", 25 * 60, 25 * 60),
        ("TEAM", 25 * 60, 25 * 60),
    ]
