"""The intake endpoint's service on one connection: the writer it keeps between requests."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from prospector.foundations.db import open_database
from prospector.services.fit import replace_settings
from prospector.services.importing.leads import add_leads
from prospector.services.intake import WRITER_MAX_AGE, Intake
from prospector.services.settings.parse import default_settings, parse_settings
from tests import backend

NOW = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)


def post(intake: Intake, lead: object, webhook_id: str | None = None) -> tuple[int, dict]:
    answer = intake.take_leads(json.dumps(lead).encode(), now=NOW, webhook_id=webhook_id)
    return answer.status, answer.body


def outcome(intake: Intake, lead: object) -> tuple[int, str]:
    status, body = post(intake, lead)
    assert status == 201, body
    found = body["leads"][0]
    return found["contact_id"], found["outcome"]


def test_the_kept_writer_sees_what_other_connections_change(db, db_path):
    ticks = [0.0]
    intake = Intake(db, clock=lambda: ticks[0])
    assert outcome(intake, {"first": "Ann", "phone": "+1 212 555 0100"}) == (1, "inserted")
    with open_database(db_path) as other:
        # A contact another process adds: learnt at the next request.
        add_leads(other, [{"first": "Bo", "phone": "+1 415 555 2671"}], now=NOW)
        with other.write():
            other.execute("UPDATE contacts SET email = 'ann@acme.example' WHERE id = 1")
    assert outcome(intake, {"first": "Bo", "phone": "(415) 555-2671"}) == (2, "updated")
    # An older contact's new email is learnt when the writer is learnt afresh.
    ticks[0] += WRITER_MAX_AGE + 1
    ann = {"first": "Ann", "email": "ann@acme.example", "phone": "+1 212 555 0177"}
    assert outcome(intake, ann) == (1, "updated")
    assert backend.scalar(db_path, "SELECT count(*) FROM contacts") == 2


def test_new_settings_apply_to_the_next_lead(db):
    intake = Intake(db, clock=lambda: 0.0)
    shop = {"company": "Shop Co", "phone": "(212) 555-0102", "industry": "eCommerce"}
    assert outcome(intake, shop) == (1, "filtered")
    text = default_settings().source_text
    rule = '[[fit_rules]]\nname = "no eCommerce"\nindustry = ["eCommerce"]\n'
    assert rule in text
    replace_settings(db, parse_settings(text.replace(rule, "")), actor="alice", now=NOW)
    assert outcome(intake, {**shop, "phone": "(212) 555-0103"}) == (2, "inserted")


def test_a_lead_takes_every_field_it_gives_each_time(db):
    intake = Intake(db, clock=lambda: 0.0)
    post(intake, {"first": "Kim", "phone": "+1 303 555 0142", "title": "CTO"})
    post(intake, {"first": "Kim", "phone": "+1 303 555 0142", "title": "CEO"})
    assert db.one("SELECT title FROM contacts")[0] == "CEO"
