"""`prospector serve`: a real process on 127.0.0.1 taking signed posts, on both backends."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from prospector.foundations.db import open_database
from tests import backend
from tests.intake_server import ROOT, TOKEN, ServeProcess, signed, stale

ANN = {"first": "Ann", "last": "Lee", "phone": "(212) 555-0100", "source": "inbound",
       "employees": 500, "company": "Big Co"}  # fmt: skip
MONDAY_2149_ET = "2026-11-23T21:49:00-05:00"


@pytest.fixture
def serve(db_path):
    open_database(db_path).close()
    started: list[ServeProcess] = []

    def start(*args: str, env: dict[str, str] | None = None) -> ServeProcess:
        server = ServeProcess(db_path, *args, env=env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def post(server: ServeProcess, body: object, **signing) -> httpx.Response:
    data, headers = signed(body, **signing)
    return httpx.post(f"{server.url}/leads", content=data, headers=headers, timeout=30)


def contacts(db_path) -> list[tuple]:
    return backend.rows(db_path, "SELECT id, first_name, phone FROM contacts ORDER BY id")


def test_a_signed_lead_is_added_and_queued(serve, run, db_path):
    server = serve("--at", MONDAY_2149_ET)
    assert server.first_line.startswith("prospector serve: taking leads on http://127.0.0.1:")
    answer = post(server, ANN)
    assert answer.status_code == 201
    [lead] = answer.json()["leads"]
    assert (lead["contact_id"], lead["outcome"], lead["tier"]) == (1, "inserted", "A")
    # Arrived at 21:49 New York time: due an hour into the next calling day.
    assert lead["sla_due_at"] == "2026-11-24T15:00:00Z"
    queue = json.loads(run("queue", "--json", "--at", "2026-11-24T09:05:00-05:00").stdout)
    assert [(item["contact_id"], item["name"]) for item in queue] == [(1, "Ann Lee")]
    assert httpx.get(f"{server.url}/health").json() == {"status": "ok", "database": "ok"}
    status, out, err = server.stop()
    assert (status, out, err) == (0, "prospector serve: stopped\n", "")


def test_a_list_in_one_post_and_matching_known_contacts(serve, db_path):
    server = serve()
    first = post(server, [ANN, {"first": "Bo", "phone": "+1 415 555 2671"}])
    assert [lead["outcome"] for lead in first.json()["leads"]] == ["inserted", "inserted"]
    again = post(server, {"phone": "212.555.0100", "email": "ann@bigco.example"})
    assert again.status_code == 201
    assert [(lead["contact_id"], lead["outcome"]) for lead in again.json()["leads"]] == [
        (1, "updated")
    ]
    assert contacts(db_path) == [(1, "Ann", "+12125550100"), (2, "Bo", "+14155552671")]


def test_bad_or_stale_signatures_and_tokens_are_refused(serve, db_path):
    server = serve()
    url = f"{server.url}/leads"
    assert post(server, ANN, at=stale()).status_code == 401
    data, headers = signed(ANN, secret="whsec_" + "A" * 43)  # another key
    refused = httpx.post(url, content=data, headers=headers)
    assert refused.status_code == 401 and "signature" in refused.json()["error"]
    data, headers = signed(ANN)
    tampered = data.replace(b"Ann", b"Eve")
    assert httpx.post(url, content=tampered, headers=headers).status_code == 401
    assert httpx.post(url, json=ANN).status_code == 401  # nothing at all
    bad_token = httpx.post(url, json=ANN, headers={"authorization": "Bearer nope"})
    assert bad_token.status_code == 401
    assert contacts(db_path) == []
    by_token = httpx.post(url, json=ANN, headers={"authorization": f"Bearer {TOKEN}"})
    assert by_token.status_code == 201
    assert contacts(db_path) == [(1, "Ann", "+12125550100")]


def test_a_bad_lead_is_a_400_naming_the_field_and_adds_nothing(serve, db_path):
    server = serve()
    bad_phone = post(server, {"first": "Cy", "phone": "12345"})
    assert bad_phone.status_code == 400
    assert bad_phone.json() == {
        "error": "phone: no valid phone: phone '12345' is not a valid number for US",
        "field": "phone",
    }
    missing = post(server, [ANN, {"first": "Di"}])
    assert missing.status_code == 400
    assert missing.json() == {"error": "leads[1].phone: no phone number", "field": "leads[1].phone"}
    unknown = post(server, {"first": "Ed", "phone": "+1 415 555 2671", "fax": "1"})
    assert unknown.status_code == 400 and unknown.json()["field"] == "fax"
    wrong_type = post(server, {"phone": 4155552671})
    assert wrong_type.json()["field"] == "phone"
    not_json = post(server, b"{first: Ann")
    assert not_json.status_code == 400 and not_json.json()["error"].startswith("body: not JSON")
    assert contacts(db_path) == []


def test_a_body_past_the_limit_is_a_413_read_no_further(serve, db_path):
    server = serve("--max-bytes", "2000")
    lead = {**ANN, "title": "x" * 900}
    assert post(server, lead).status_code == 201
    big = {**ANN, "title": "x" * 3000}
    assert post(server, big).status_code == 413
    # Without a Content-Length (chunked), counted as it streams.
    data, headers = signed(big)
    chunks = (data[i : i + 500] for i in range(0, len(data), 500))
    streamed = httpx.post(f"{server.url}/leads", content=chunks, headers=headers)
    assert streamed.status_code == 413
    assert streamed.json() == {"error": "body over 2000 bytes"}
    assert len(contacts(db_path)) == 1


def test_a_repeated_webhook_id_gets_the_first_answer_and_adds_nothing(serve, db_path):
    server = serve()
    first = post(server, ANN, webhook_id="msg_form_1")
    assert first.status_code == 201
    again = post(server, {**ANN, "first": "Someone else"}, webhook_id="msg_form_1")
    assert (again.status_code, again.content) == (first.status_code, first.content)
    refused = post(server, {"phone": "1"}, webhook_id="msg_form_2")
    assert refused.status_code == 400
    # A 400 is an answer too: the same id, even fixed, gets it again.
    assert post(server, ANN, webhook_id="msg_form_2").content == refused.content
    server.stop()
    # After a restart, and from a second process on the same database.
    one, two = serve(), serve()
    for other in (one, two):
        replay = post(other, ANN, webhook_id="msg_form_1")
        assert (replay.status_code, replay.content) == (201, first.content)
    assert contacts(db_path) == [(1, "Ann", "+12125550100")]
    assert backend.scalar(db_path, "SELECT count(*) FROM intake_requests") == 2


def test_the_same_webhook_id_at_once_to_two_processes_adds_one_contact(serve, db_path):
    servers = [serve(), serve()]
    data, headers = signed(ANN, webhook_id="msg_race")

    def send(index: int) -> httpx.Response:
        url = f"{servers[index % 2].url}/leads"
        return httpx.post(url, content=data, headers=headers, timeout=30)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, range(16)))
    assert {answer.status_code for answer in answers} == {201}
    assert len({answer.content for answer in answers}) == 1
    assert contacts(db_path) == [(1, "Ann", "+12125550100")]


def test_serve_needs_a_secret_or_a_token(db_path):
    open_database(db_path).close()
    result = subprocess.run(
        [sys.executable, "-m", "prospector", "--db", str(db_path), "serve", "--port", "0"],
        capture_output=True,
        text=True,
        env={"PATH": "", "PYTHONPATH": str(ROOT), "HOME": str(ROOT)},
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "error: set $PROSPECTOR_INTAKE_SECRET (whsec_...) or $PROSPECTOR_INTAKE_TOKEN"
        " to take leads\n"
    )


def test_a_malformed_secret_is_refused_before_listening(db_path):
    open_database(db_path).close()
    result = subprocess.run(
        [sys.executable, "-m", "prospector", "--db", str(db_path), "serve", "--port", "0"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "HOME": str(ROOT), "PROSPECTOR_INTAKE_SECRET": "hunter2"},
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: $PROSPECTOR_INTAKE_SECRET: expected whsec_")
    assert "hunter2" not in result.stderr
