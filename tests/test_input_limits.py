"""The bounds services keep on what users type, whatever interface called them."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from prospector.foundations.clock import to_db
from prospector.foundations.errors import ProspectorError
from prospector.foundations.limits import (
    MAX_CALL_SECONDS,
    MAX_ID,
    check_region,
    check_rep_name,
    parse_id,
)
from prospector.services import calls
from prospector.services.export.webhook import (
    WebhookOptions,
    WebhookOptionsError,
    WebhookURLError,
    check_url,
    shown_url,
)
from prospector.services.reports import rebuild_summaries, run_report
from prospector.services.settings import load_settings
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", 1), (" 42 ", 42), ("007", 7), (str(MAX_ID), MAX_ID), ("0" * 30 + "5", 5),
     ("0", None), ("-1", None), (str(MAX_ID + 1), None), ("9" * 20, None), ("9" * 5000, None),
     ("1.0", None), ("1e3", None), ("", None), ("١٢", None), ("１２", None), ("+3", None)],
)  # fmt: skip
def test_parse_id(text, value):
    assert parse_id(text) == value


def test_rep_names():
    assert check_rep_name("  alice ") == "alice"
    for bad in ("", "   ", "a\tb", "a\x00b", "x" * 101):
        with pytest.raises(ProspectorError, match="1 to 100 characters"):
            check_rep_name(bad)


def test_regions():
    assert check_region(" gb ") == "GB"
    for bad in ("ZZ", "USA", "", "001"):
        with pytest.raises(ProspectorError, match="not a country code"):
            check_region(bad, "--region")


@pytest.mark.parametrize("seconds", [-1, MAX_CALL_SECONDS + 1, 2**63 - 1, 2**70])
def test_log_call_refuses_a_talk_time_outside_a_day(db, seconds):
    contact = add_contact(db, now=MONDAY_10_ET)
    with pytest.raises(ProspectorError, match="0 to 86400"):
        calls.log_call(db, contact, "meeting_set", rep="alice", now=MONDAY_10_ET, duration=seconds)
    assert db.one("SELECT count(*) FROM calls")[0] == 0


def test_log_call_takes_a_whole_day(db):
    contact = add_contact(db, now=MONDAY_10_ET)
    calls.log_call(
        db, contact, "meeting_set", rep="alice", now=MONDAY_10_ET, duration=MAX_CALL_SECONDS
    )
    assert db.one("SELECT sum(talk_seconds) FROM call_stats_daily")[0] == MAX_CALL_SECONDS


def test_rebuilt_summaries_cannot_overflow_on_talk_times_stored_before_the_check(db):
    """Two calls at the 64-bit limit (written before log_call checked, or by hand)."""
    for minute in (0, 1):
        contact = add_contact(db, now=MONDAY_10_ET)
        at = MONDAY_10_ET + timedelta(minutes=minute)
        with db.write():
            db.execute(
                """INSERT INTO calls (contact_id, rep, at, disposition, category, attempt,
                                      duration_seconds, status_after)
                   VALUES (?, 'alice', ?, 'meeting_set', 'conversation', 1, ?, 'open')""",
                (contact, to_db(at), 2**63 - 1),
            )
    with db.write():
        rebuild_summaries(db, load_settings(db))
    talk = db.one("SELECT talk_seconds FROM call_stats_daily")[0]
    assert (talk, type(talk)) == (2 * MAX_CALL_SECONDS, int)  # stored as an integer
    daily = run_report(db, "daily", lambda: MONDAY_10_ET + timedelta(hours=1))
    assert daily[-1]["talk_seconds"] == 2 * MAX_CALL_SECONDS


@pytest.mark.parametrize(
    ("options", "needle"),
    [({"timeout": -1}, "timeout -1"), ({"timeout": 0}, "timeout 0"),
     ({"timeout": math.nan}, "timeout nan"), ({"timeout": math.inf}, "timeout inf"),
     ({"timeout": 301}, "at most 300"), ({"attempts": 0}, "attempts 0: expected 1 to 20"),
     ({"attempts": 10**20}, "expected 1 to 20"), ({"backoff": -0.5}, "backoff -0.5"),
     ({"max_backoff": math.nan}, "max_backoff nan"), ({"deadline": 0}, "deadline 0 s"),
     ({"deadline": 86_401}, "at most 86400 s"), ({"deadline": math.inf}, "deadline inf"),
     ({"max_retry_after": -1}, "max_retry_after -1")],
)  # fmt: skip
def test_webhook_options_are_bounded(options, needle):
    with pytest.raises(WebhookOptionsError, match=needle):
        WebhookOptions(**options)


def test_webhook_options_at_their_bounds():
    assert WebhookOptions(timeout=300, attempts=20, backoff=0).attempts == 20
    assert WebhookOptions(deadline=86_400, max_retry_after=0).deadline == 86_400


@pytest.mark.parametrize(
    ("url", "needle"),
    [("https://h.example:99999/x", "port '99999' is not a number from 1 to 65535"),
     ("https://h.example:abc/x", "port 'abc'"), ("https://h.example:0/x", "port '0'"),
     ("https://h.example:-1/x", "port '-1'"), ("https://[::1]:70000/x", "port '70000'"),
     ("https://u:p@h.example/x", "no user name or password"),
     ("https://u@h.example/x", "no user name or password"),
     ("https://[::1/x", "expected https://host/path"), ("mailto:a@h.example", "https://host"),
     ("https://h.example/a\nb", "control characters"), ("https://a..b/x", "not a host name")],
)  # fmt: skip
def test_webhook_urls_refused(url, needle):
    with pytest.raises(WebhookURLError, match=needle):
        check_url(url)


def test_refused_urls_never_show_credentials_or_raise_while_shown():
    assert shown_url("https://u:secret@h.example:99999/x?t=1") == "https://h.example/x"
    assert shown_url("https://u:secret@[::1/x") == "https://[::1/x"
    with pytest.raises(WebhookURLError) as refused:
        check_url("https://u:secret@h.example:abc/x")
    assert "secret" not in str(refused.value)
