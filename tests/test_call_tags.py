"""Tagging a call with objections: ``log --tag`` and ``log_call(tags=)``, written with the
call or not at all."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from prospector.foundations.errors import ProspectorError, SettingsError
from prospector.services.call_tags import tags_of
from prospector.services.calls import log_call
from tests.backend import rows
from tests.factories import add_contact

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Mon 10:00 in New York
AT = "2026-11-23T10:00:00-05:00"


def test_log_tags_by_key_or_label(run, db, db_path):
    contact = add_contact(db, now=NOW)
    result = run(
        "log", str(contact), "not_interested", "--tag", "n", "--tag", "no BUDGET", "--tag",
        "Not interested", "--at", AT,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "  objections  Not interested, No budget" in result.output
    assert rows(db_path, "SELECT call_id, tag FROM call_tags ORDER BY tag") == [
        (1, "No budget"),
        (1, "Not interested"),
    ]
    again = add_contact(db, now=NOW)
    shown = run("log", str(again), "busy", "--tag", "e", "--json", "--at", AT)
    assert json.loads(shown.output)["tags"] == ["Send me an email"]
    plain = run("log", str(add_contact(db, now=NOW)), "busy", "--json", "--at", AT)
    assert json.loads(plain.output)["tags"] == []
    assert "objections" not in run("log", str(again), "busy", "--at", AT).output


def test_an_unknown_objection_logs_nothing(run, db, db_path):
    contact = add_contact(db, now=NOW)
    result = run("log", str(contact), "busy", "--tag", "n", "--tag", "price", "--at", AT)
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: unknown objection 'price' (expected one of: n (Not interested),"
        " e (Send me an email), b (No budget), c (Using a competitor), t (Bad timing))"
    )
    assert rows(db_path, "SELECT count(*) FROM calls") == [(0,)]
    assert rows(db_path, "SELECT count(*) FROM call_tags") == [(0,)]


def test_tags_go_with_the_call_or_not_at_all(db, db_path):
    contact = add_contact(db, now=NOW)
    with pytest.raises(ProspectorError, match="a callback needs a time"):
        log_call(db, contact, "callback", rep="alice", now=NOW, tags=("t",))
    with pytest.raises(SettingsError):
        log_call(db, contact, "busy", rep="alice", now=NOW, tags=("zzz",))
    assert rows(db_path, "SELECT count(*) FROM call_tags") == [(0,)]
    logged = log_call(db, contact, "busy", rep="alice", now=NOW, tags=("t", "b", "t"))
    assert logged.tags == ("Bad timing", "No budget")
    assert tags_of(db, logged.call_id) == ("Bad timing", "No budget")
