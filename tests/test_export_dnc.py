"""Every export path leaves out DNC contacts and names them (issue 13, item 5).

A new batch, ``--resend``, and ``--batch N`` (an old batch written or sent again
from its stored payloads), to files and by webhook: a handoff whose contact is on
the do-not-call list *now* is not written or sent, and the result, human and
``--json``, names it with the reason.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.services import handoffs
from prospector.services.dnc import add_dnc
from prospector.services.export import export_pending, rewrite_batch
from tests.handoff_factories import make_contact

START = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
AT = "2026-11-23T16:00:00Z"
PHONES = {"ann": "+12125550141", "ben": "+14155550142", "cat": "+12125550143"}
FORMATS = ("csv", "jsonl", "salesforce", "hubspot")


class Receiver:
    """A CRM endpoint on 127.0.0.1 that takes every POST and keeps its body."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.bodies.append(json.loads(body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/handoffs"

    def sent(self) -> list[int]:
        return sorted(body["handoff_id"] for body in self.bodies)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def team(run, db) -> dict[str, int]:
    """Three pending handoffs, by first name: the handoff ids."""
    made = {}
    for name, phone in PHONES.items():
        contact = make_contact(db, first_name=name.capitalize(), phone=phone, state="NY")
        made[name] = handoffs.qualify(db, contact, rep="alice", now=START, amount="100").id
    return made


def export(run, *args: str) -> dict:
    result = run("export", *args, "--json", "--at", AT)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def put_on_dnc(run, *names: str) -> None:
    result = run("dnc", "add", *(PHONES[name] for name in names))
    assert result.exit_code == 0, result.stderr


def left_out(report: dict) -> list[tuple[int, str]]:
    return [(entry["handoff_id"], entry["reason"]) for entry in report["left_out"]]


def written(report: dict) -> bytes:
    return b"".join(Path(path).read_bytes() for path in report["files"])


def contact_of(db, handoff_id: int) -> int:
    return handoffs.get_handoff(db, handoff_id).contact_id


def test_a_new_batch_leaves_dnc_out_and_names_it(run, db, team, tmp_path):
    put_on_dnc(run, "cat")
    report = export(run, "--out", str(tmp_path))
    assert (report["count"], report["held_dnc"]) == (2, 1)
    assert report["left_out"] == [
        {
            "handoff_id": team["cat"],
            "contact_id": contact_of(db, team["cat"]),
            "reason": "dnc",
            "detail": f"contact {contact_of(db, team['cat'])} ({PHONES['cat']})"
            " is on the do-not-call list",
        }
    ]
    data = written(report)
    assert PHONES["ann"].encode() in data and PHONES["cat"].encode() not in data
    assert handoffs.get_handoff(db, team["cat"]).status == "pending"  # kept, not exported


def test_human_output_names_the_left_out_handoffs(run, db, team, tmp_path):
    put_on_dnc(run, "ann", "cat")
    result = run("export", "--out", str(tmp_path), "--at", AT)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "2 handoff(s) left out: contact is on the do-not-call list" in lines
    for name in ("ann", "cat"):
        contact = contact_of(db, team[name])
        assert (
            f"  handoff {team[name]}: contact {contact} ({PHONES[name]}) is on the do-not-call list"
            in lines
        )


@pytest.mark.parametrize("format", FORMATS)
def test_an_old_batch_written_again_leaves_out_who_is_dnc_now(run, db, team, tmp_path, format):
    first = export(run, "--format", format, "--out", str(tmp_path / "first"))
    assert (first["batch"], first["count"], first["left_out"]) == (1, 3, [])
    assert PHONES["ben"].encode() in written(first)
    put_on_dnc(run, "ben")
    again = export(run, "--batch", "1", "--out", str(tmp_path / "again"))
    assert (again["batch"], again["rewritten"], again["count"]) == (1, True, 2)
    assert left_out(again) == [(team["ben"], "dnc")]
    data = written(again)
    assert PHONES["ben"].encode() not in data
    assert PHONES["ann"].encode() in data and PHONES["cat"].encode() in data
    ben = db.one("SELECT email FROM contacts WHERE id = ?", (contact_of(db, team["ben"]),))[0]
    assert ben.encode() in written(first) and ben.encode() not in data
    # Taken off the list, the batch is whole again, byte for byte.
    assert run("dnc", "remove", PHONES["ben"]).exit_code == 0
    whole = export(run, "--batch", "1", "--out", str(tmp_path / "whole"))
    assert (whole["count"], whole["left_out"]) == (3, [])
    assert written(whole) == written(first)


def test_a_do_not_call_call_after_the_batch_leaves_the_handoff_out(run, db, team, tmp_path):
    export(run, "--out", str(tmp_path / "first"))
    ann = contact_of(db, team["ann"])
    logged = run("log", str(ann), "do_not_call", "--json", "--at", AT)
    assert json.loads(logged.stdout)["status"] == "dnc"
    again = export(run, "--batch", "1", "--out", str(tmp_path / "again"))
    assert left_out(again) == [(team["ann"], "dnc")]
    resent = export(run, "--resend", "--out", str(tmp_path / "resent"))
    assert (resent["batch"], resent["count"], left_out(resent)) == (2, 2, [(team["ann"], "dnc")])
    assert PHONES["ann"].encode() not in written(resent)


def test_the_number_named_is_the_one_on_the_list_not_the_dialled_one(run, db, team, tmp_path):
    mobile = "+12125550199"
    ann = contact_of(db, team["ann"])
    with db.write():
        db.execute(
            "INSERT INTO contact_phones (contact_id, e164, raw, kind, rank) VALUES (?, ?, ?, ?, ?)",
            (ann, mobile, "(212) 555-0199", "mobile", 1),
        )
    export(run, "--out", str(tmp_path / "first"))
    assert run("dnc", "add", mobile).exit_code == 0  # her mobile, not the number dialled
    detail = f"contact {ann} ({mobile}) is on the do-not-call list"
    again = export(run, "--batch", "1", "--out", str(tmp_path / "again"))
    resent = export(run, "--resend", "--out", str(tmp_path / "resent"))
    for report in (again, resent):
        assert [entry["detail"] for entry in report["left_out"]] == [detail]
    # Closed by a do_not_call call with no number listed: no number is named.
    assert run("dnc", "remove", mobile).exit_code == 0
    assert run("log", str(ann), "do_not_call", "--json", "--at", AT).exit_code == 0
    assert run("dnc", "remove", PHONES["ann"]).exit_code == 0
    closed = export(run, "--resend", "--out", str(tmp_path / "closed"))
    assert [entry["detail"] for entry in closed["left_out"]] == [
        f"contact {ann} is on the do-not-call list"
    ]


def test_a_batch_with_everyone_dnc_writes_nothing(run, db, team, tmp_path):
    export(run, "--out", str(tmp_path / "first"))
    put_on_dnc(run, *PHONES)
    out = tmp_path / "again"
    report = export(run, "--batch", "1", "--out", str(out))
    assert (report["count"], report["files"], report["path"]) == (0, [], None)
    assert sorted(h for h, _ in left_out(report)) == sorted(team.values())
    assert not out.exists() or list(out.iterdir()) == []
    human = run("export", "--batch", "1", "--out", str(out), "--at", AT)
    assert human.stdout.splitlines()[0] == (
        "batch 1: nothing written again: every handoff in it is left out"
    )


def test_webhook_new_batch_and_resend_leave_dnc_out(run, db, team):
    put_on_dnc(run, "ben")
    with Receiver() as crm:
        report = export(run, "--webhook", crm.url)
        assert crm.sent() == [team["ann"], team["cat"]]
        assert (report["count"], left_out(report)) == (2, [(team["ben"], "dnc")])
        put_on_dnc(run, "cat")
        crm.bodies.clear()
        resent = export(run, "--resend", "--webhook", crm.url)
        assert crm.sent() == [team["ann"]]
        assert left_out(resent) == [(team["ben"], "dnc"), (team["cat"], "dnc")]


def test_webhook_batch_sent_again_leaves_out_who_is_dnc_now(run, db, team):
    with Receiver() as crm:
        first = export(run, "--webhook", crm.url)
        assert crm.sent() == sorted(team.values())
        put_on_dnc(run, "ann")
        crm.bodies.clear()
        again = export(run, "--batch", str(first["batch"]), "--webhook", crm.url)
        assert crm.sent() == [team["ben"], team["cat"]]
        assert (again["count"], left_out(again)) == (2, [(team["ann"], "dnc")])
    assert all(body["handoff_id"] != team["ann"] for body in crm.bodies)


def test_nothing_to_export_when_every_pending_handoff_is_dnc(run, db, team, tmp_path):
    put_on_dnc(run, *PHONES)
    result = run("export", "--out", str(tmp_path / "out"), "--at", AT)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "nothing to export: every pending handoff is left out",
        "3 handoff(s) left out: contact is on the do-not-call list",
    ]
    assert {h.status for h in handoffs.list_handoffs(db)} == {"pending"}
    assert db.one("SELECT count(*) FROM export_batches")[0] == 0


_phones = iter(range(1000, 10_000))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(marks=st.lists(st.sampled_from(("before", "after", "never")), min_size=1, max_size=6))
def test_every_path_carries_exactly_the_handoffs_not_dnc_now(db, tmp_path_factory, marks):
    """Each handoff goes on the DNC list before the cut, after it, or never: a new batch
    carries the ones not DNC at the cut; rewriting it, or re-sending, carries exactly
    those not DNC now, and names every other one."""
    out = tmp_path_factory.mktemp("out")
    made: dict[int, tuple[str, str]] = {}
    for mark in marks:
        phone = f"+1212555{next(_phones):04d}"
        contact = make_contact(db, phone=phone, state="NY")
        made[handoffs.qualify(db, contact, rep="alice", now=START, amount="1").id] = (mark, phone)

    def listed(when: str) -> None:
        numbers = [phone for mark, phone in made.values() if mark == when]
        if numbers:
            add_dnc(db, numbers, actor="lead", now=START)

    def carried(result) -> list[int]:
        lines = (
            Path(result.files[0]).read_text(encoding="utf-8").splitlines() if result.files else []
        )
        # Handoffs of earlier examples share the database: only this one's are looked at.
        return [h for h in (json.loads(line)["handoff_id"] for line in lines) if h in made]

    def named(result) -> list[int]:
        return sorted(e.handoff_id for e in result.left_out if e.handoff_id in made)

    def ids(*marks: str) -> list[int]:
        return sorted(h for h, (mark, _) in made.items() if mark in marks)

    listed("before")
    first = export_pending(db, now=START, actor="lead", format="jsonl", out_dir=out / "first")
    assert carried(first) == ids("after", "never")
    assert named(first) == ids("before")
    listed("after")
    if first.batch is not None:  # the batch held only those not DNC at the cut
        again = rewrite_batch(db, first.batch, out_dir=out / "again")
        assert (carried(again), named(again)) == (ids("never"), ids("after"))
    resent = export_pending(
        db, now=START, actor="lead", format="jsonl", out_dir=out / "re", resend=True
    )
    assert (carried(resent), named(resent)) == (ids("never"), ids("before", "after"))
    assert {e.reason for e in resent.left_out} == ({"dnc"} if resent.left_out else set())
    # Whoever is DNC, pending or exported, keeps the status it had.
    status = {h.id: h.status for h in handoffs.list_handoffs(db) if h.id in made}
    assert [status[h] for h in ids("before")] == ["pending"] * len(ids("before"))
    assert {status[h] for h in ids("after", "never")} <= {"exported"}
