"""``prospector dial`` and ``prospector event`` through the real CLI, on both backends."""

from __future__ import annotations

import json
import shlex
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from prospector.foundations.db import open_database
from prospector.services.fit import replace_settings
from prospector.services.reports.summary import rebuild_summaries
from prospector.services.settings import default_settings, parse_settings
from tests.backend import rows, scalar
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact

AT = "2026-11-23T10:00:00-05:00"
LATER = "2026-11-23T10:05:00-05:00"
RECORDER = """\
import json, sys
with open(sys.argv[1], "a") as out:
    out.write(json.dumps(sys.argv[2:]) + "\\n")
sys.exit(int(sys.argv[2]) if sys.argv[2].isdigit() else 0)
"""


@pytest.fixture
def ada(db) -> int:
    return add_contact(
        db,
        now=MONDAY_10_ET - timedelta(minutes=5),
        first_name="Ada",
        phone="+12125550100",
        phone_ext="12",
        source="inbound",
        employees=500,
    )


@pytest.fixture
def recorder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_path) -> Path:
    """Sets a dial command that records its arguments; returns where they go."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    script = tmp_path / "recorder.py"
    script.write_text(RECORDER)
    out = tmp_path / "dialed.jsonl"
    template = shlex.join([sys.executable, str(script), str(out)]) + " {tel_uri} --rep={rep}"
    set_dial_command(db_path, template)
    return out


def set_dial_command(db_path, command: str) -> None:
    text = default_settings().source_text.replace(
        "[calling]\n", f"[calling]\ndial_command = {json.dumps(command)}\n", 1
    )
    db = open_database(db_path)
    try:
        replace_settings(db, parse_settings(text), actor="lead", now=MONDAY_10_ET)
    finally:
        db.close()


def call_row(db_path, contact_id: int) -> tuple:
    return rows(
        db_path,
        "SELECT disposition, duration_seconds, answered_at, ended_at, recording_url"
        " FROM calls WHERE contact_id = ? ORDER BY id DESC LIMIT 1",
        (contact_id,),
    )[0]


def talk_total(db_path) -> int:
    return int(scalar(db_path, "SELECT coalesce(sum(talk_seconds), 0) FROM call_stats_daily"))


def test_dial_without_a_command_claims_and_marks_the_dial(run, db_path, ada) -> None:
    result = run("dial", str(ada), "--at", AT)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"contact {ada} dialed: tel:+12125550100;ext=12",
        "  no calling.dial_command set: dial it yourself, then log the call",
    ]
    assert rows(db_path, "SELECT claimed_by, dialed_at FROM contacts WHERE id = ?", (ada,)) == [
        ("alice", "2026-11-23T15:00:00Z")
    ]


def test_dial_runs_the_command_and_says_what_it_ran(run, db_path, ada, recorder) -> None:
    result = run("dial", str(ada), "--rep", "bob", "--at", AT, "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert (shown["contact_id"], shown["dialed_at"]) == (ada, "2026-11-23T15:00:00Z")
    assert shown["tel_uri"] == "tel:+12125550100;ext=12"
    assert shown["argv"][-2:] == ["tel:+12125550100;ext=12", "--rep=bob"]
    assert json.loads(recorder.read_text()) == ["tel:+12125550100;ext=12", "--rep=bob"]
    assert shown["log"].endswith("state/prospector/log/dial.log")
    assert "tel:+12125550100;ext=12" in Path(shown["log"]).read_text()
    holder = rows(db_path, "SELECT claimed_by FROM contacts WHERE id = ?", (ada,))
    assert holder == [("bob",)]


def test_dial_refuses_a_contact_another_rep_holds(run, db_path, ada, recorder) -> None:
    assert run("dial", str(ada), "--at", AT, rep="bob").exit_code == 0
    result = run("dial", str(ada), "--at", LATER)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: contact {ada} is claimed by bob (lease ends in 10 min)"
    assert len(recorder.read_text().splitlines()) == 1  # alice's dial never ran


def test_dial_of_an_unknown_contact(run, db_path) -> None:
    result = run("dial", "999", "--at", AT)
    assert (result.exit_code, result.stderr.strip()) == (1, "error: no contact with id 999")


def test_a_failing_command_exits_1_and_the_dial_stays_marked(
    run, db_path, ada, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    set_dial_command(db_path, "/nonexistent/softphone {tel_uri}")
    result = run("dial", str(ada), "--at", AT)
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: dial command failed: softphone: not found"
    assert scalar(db_path, "SELECT dialed_at FROM contacts WHERE id = ?", (ada,)) is not None
    logged = run("log", str(ada), "gatekeeper", "--at", LATER)
    assert logged.exit_code == 0, logged.output


def test_an_event_on_the_call_in_progress_becomes_its_talk_time(run, db_path, ada) -> None:
    assert run("dial", str(ada), "--at", AT).exit_code == 0
    first = run("event", str(ada), "--answered-at", "2026-11-23T15:00:20Z", "--at", AT)
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == (
        f"contact {ada}: event attached to the call in progress (taken when it is logged)"
    )
    hangup = run(
        "event",
        str(ada),
        "--ended-at",
        "2026-11-23T15:02:50Z",
        "--recording",
        "https://pbx.example/rec/1.mp3",
        "--json",
        "--at",
        AT,
    )
    assert json.loads(hangup.stdout) == {
        "contact_id": ada,
        "call_id": None,
        "pending": True,
        "answered_at": "2026-11-23T15:00:20Z",
        "ended_at": "2026-11-23T15:02:50Z",
        "talk_seconds": 150,
        "recording": "https://pbx.example/rec/1.mp3",
    }
    assert run("log", str(ada), "not_interested", "--at", LATER).exit_code == 0
    assert call_row(db_path, ada) == (
        "not_interested",
        150,
        "2026-11-23T15:00:20Z",
        "2026-11-23T15:02:50Z",
        "https://pbx.example/rec/1.mp3",
    )
    assert talk_total(db_path) == 150
    assert scalar(db_path, "SELECT count(*) FROM call_events") == 0
    audit = rows(
        db_path,
        "SELECT actor, subject FROM audit_log WHERE action = 'call.event' ORDER BY id",
    )
    assert audit == [("alice", f"contact:{ada}")] * 2


def test_the_talk_time_the_rep_gives_wins_over_the_phone_systems(run, db_path, ada) -> None:
    assert run("dial", str(ada), "--at", AT).exit_code == 0
    assert run("event", str(ada), "--duration", "300", "--at", AT).exit_code == 0
    assert run("log", str(ada), "gatekeeper", "--duration", "90", "--at", LATER).exit_code == 0
    assert call_row(db_path, ada)[:2] == ("gatekeeper", 90)


def test_an_event_after_the_log_updates_the_last_call_and_the_reports(run, db_path, ada) -> None:
    assert run("dial", str(ada), "--at", AT).exit_code == 0
    assert run("log", str(ada), "gatekeeper", "--duration", "40", "--at", LATER).exit_code == 0
    assert talk_total(db_path) == 40
    result = run(
        "event",
        str(ada),
        "--answered-at",
        "2026-11-23T15:00:30Z",
        "--ended-at",
        "2026-11-23T15:02:00Z",
        "--at",
        LATER,
    )
    assert result.exit_code == 0, result.output
    call_id = scalar(db_path, "SELECT id FROM calls WHERE contact_id = ?", (ada,))
    assert result.stdout.strip() == (
        f"contact {ada}: event attached to the call {call_id}; talk time 90 s"
    )
    assert call_row(db_path, ada)[1] == 90
    assert talk_total(db_path) == 90
    # The summaries agree with a recount from the calls.
    db = open_database(db_path)
    try:
        with db.write():
            rebuild_summaries(db, default_settings())
    finally:
        db.close()
    assert talk_total(db_path) == 90
    # A dial's talk time is recorded on the call but never summed.
    assert run("log", str(ada), "no_answer", "--at", "2026-11-23T14:00:00-05:00").exit_code == 0
    assert run("event", str(ada), "--duration", "30", "--at", LATER).exit_code == 0
    assert talk_total(db_path) == 90


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--recording", "http://pbx.example/r.mp3"],
            "error: recording 'http://pbx.example/r.mp3': expected an https:// address",
        ),
        (["--answered-at", "yesterday"], "error: --answered-at 'yesterday' is not an ISO 8601"),
        (["--ended-at", "2026-11-23T15:00:00"], "error: --ended-at"),
        (
            ["--answered-at", "2026-11-23T15:05:00Z", "--ended-at", "2026-11-23T15:00:00Z"],
            "error: ended_at 2026-11-23T15:00:00Z is before answered_at 2026-11-23T15:05:00Z",
        ),
        ([], "error: an event needs at least one of answered_at, ended_at, duration, recording"),
        (["--duration", "-5"], "error: "),
    ],
)
def test_bad_event_input_is_one_line(run, db_path, ada, args, message) -> None:
    assert run("dial", str(ada), "--at", AT).exit_code == 0
    result = run("event", str(ada), *args, "--at", AT)
    assert result.exit_code in (1, 2)
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert scalar(db_path, "SELECT count(*) FROM call_events") == 0


def test_an_event_for_an_unknown_contact_or_one_never_called(run, db_path, ada) -> None:
    unknown = run("event", "999", "--duration", "5", "--at", AT)
    assert (unknown.exit_code, unknown.stderr.strip()) == (1, "error: no contact with id 999")
    never = run("event", str(ada), "--duration", "5", "--at", AT)
    assert never.exit_code == 1
    assert never.stderr.strip() == (
        f"error: contact {ada} has no call in progress and no call logged"
    )


def test_stdin_lines_each_their_own_transaction(run, db_path, ada, db) -> None:
    bo = add_contact(db, now=MONDAY_10_ET, first_name="Bo")
    assert run("dial", str(ada), "--at", AT).exit_code == 0
    assert run("dial", str(bo), "--at", AT).exit_code == 0
    lines = [
        json.dumps({"contact_id": ada, "duration": 61, "rep": "pbx"}),
        json.dumps({"contact_id": bo, "duration": "61"}),
        "not json",
        "",
        json.dumps({"contact_id": bo, "recording": "ftp://x/y"}),
        json.dumps({"contact_id": bo, "answered_at": "noon"}),
        json.dumps({"contact_id": 999, "duration": 3}),
        json.dumps({"contact_id": bo, "colour": "red"}),
        json.dumps({"contact_id": bo, "recording": "https://pbx.example/r/2.mp3"}),
    ]
    result = run("event", "--stdin", "--json", "--at", AT, input="\n".join(lines) + "\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: stdin line 2: duration: expected seconds from 0 to 86400",
        "error: stdin line 3: expected one JSON object",
        "error: stdin line 5: recording 'ftp://x/y': expected an https:// address",
        "error: stdin line 6: answered_at: expected ISO 8601 time with an offset",
        "error: stdin line 7: no contact with id 999",
        "error: stdin line 8: colour: expected one of contact_id, answered_at, ended_at,"
        " duration, recording, rep",
    ]
    kept = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(e["contact_id"], e["talk_seconds"], e["recording"]) for e in kept] == [
        (ada, 61, None),
        (bo, None, "https://pbx.example/r/2.mp3"),
    ]
    assert rows(
        db_path, "SELECT contact_id, rep, duration_seconds FROM call_events ORDER BY contact_id"
    ) == [(ada, "pbx", 61), (bo, "alice", None)]


def test_stdin_takes_no_id(run, db_path, ada) -> None:
    result = run("event", str(ada), "--stdin", "--at", AT, input="")
    assert result.exit_code == 1
    assert "--stdin takes everything from its lines" in result.stderr


def test_an_event_from_before_the_dial_is_not_taken_by_its_log(run, db_path, ada) -> None:
    """An event left over from a dial released without an outcome is stale."""
    assert run("dial", str(ada), "--at", AT).exit_code == 0
    assert run("event", str(ada), "--duration", "500", "--at", AT).exit_code == 0
    assert run("claim", "release", str(ada), "--at", AT).exit_code == 0
    assert run("dial", str(ada), "--at", LATER).exit_code == 0
    assert run("log", str(ada), "gatekeeper", "--at", LATER).exit_code == 0
    assert call_row(db_path, ada)[:3] == ("gatekeeper", 0, None)


def test_dial_another_number_of_the_contact(run, db_path, ada, db) -> None:
    from tests.factories import add_phone

    add_phone(db, ada, "+12125550177", "company", extension="9")
    result = run("dial", str(ada), "--phone", "+12125550177", "--at", AT)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"contact {ada} dialed: tel:+12125550177;ext=9"
    other = run("dial", str(ada), "--phone", "+12125550999", "--at", AT)
    assert other.exit_code == 1
    assert other.stderr.startswith(f"error: contact {ada} has no phone +12125550999")


def test_the_phone_systems_hangup_puts_the_rep_on_the_call_in_wrap_up(run, db_path, ada) -> None:
    def state() -> str:
        open_states = "SELECT state FROM rep_states WHERE rep = 'alice' AND ended_at IS NULL"
        return rows(db_path, open_states)[0][0]

    assert run("dial", str(ada), "--at", AT).exit_code == 0
    assert state() == "on_call"
    # The PBX sends as its own actor; the rep holding the call is the one wrapping up.
    answered = run(
        "--rep", "pbx", "event", str(ada), "--answered-at", "2026-11-23T15:00:20Z", "--at", AT
    )
    assert answered.exit_code == 0, answered.output
    assert state() == "on_call"
    ended = ("--ended-at", "2026-11-23T15:02:50Z", "--at", "2026-11-23T10:02:50-05:00")
    assert run("--rep", "pbx", "event", str(ada), *ended).exit_code == 0
    assert state() == "wrap_up"
    assert run("log", str(ada), "not_interested", "--at", LATER).exit_code == 0
    assert state() == "ready"
