"""Settings are refused for their ranges, not only their types (issue 11, §2).

Each broken file must fail ``settings load`` with exit 1 and one line naming the
key and what is allowed, and leave the stored settings as they were.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from prospector.foundations.errors import SettingsError
from prospector.services.settings import (
    default_settings,
    load_settings,
    parse_settings,
    settings_version,
)
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact

DEFAULT_TEXT = default_settings().source_text
DURATION = 'a duration from 1m to 3650d, like "45m", "4h", "2d" or "1bd"'

# (text in the default file, its replacement, the start of the error after the file name);
# "|" separates several replacements in one file.
BROKEN = [
    (
        "lease_minutes = 15",
        "lease_minutes = 0",
        "calling.lease_minutes = 0: expected a whole number from 1 to 1440",
    ),
    (
        "lease_minutes = 15",
        "lease_minutes = 1000000000000",
        "calling.lease_minutes = 1000000000000: expected a whole number from 1 to 1440",
    ),
    ("lease_minutes = 15", "lease_minutes = -5", "calling.lease_minutes = -5: expected"),
    (
        "lease_minutes = 15",
        "lease_minutes = 1.5",
        "calling.lease_minutes = 1.5: expected a whole number",
    ),
    (
        'retry = "4h"',
        'retry = "999999999d"',
        f"dispositions[0].retry = '999999999d': expected {DURATION}",
    ),
    (
        'retry = "4h"',
        'retry = "3651d"',
        "dispositions[0].retry = '3651d': expected a duration from 1m to 3650d",
    ),
    ('retry = "4h"', 'retry = "0m"', "dispositions[0].retry = '0m': expected a duration from 1m"),
    (
        'retry = "4h"',
        'retry = "99999999999999999999h"',
        "dispositions[0].retry = '99999999999999999999h': expected a duration",
    ),
    (
        'recycle = "90d"',
        'recycle = "9999999d"',
        "dispositions[5].recycle = '9999999d': expected a duration",
    ),
    (
        'first_touch = "1h"',
        'first_touch = "99999999bd"',
        "tiers[0].first_touch = '99999999bd': expected a duration",
    ),
    (
        'first_touch = "1h"',
        'first_touch = "0h"',
        "tiers[0].first_touch = '0h': expected a duration",
    ),
    (
        'default_region = "US"',
        'default_region = "XX"',
        "team.default_region = 'XX': expected a region phonenumbers knows",
    ),
    (
        'default_region = "US"',
        'default_region = "UK"',
        "team.default_region = 'UK': expected a region phonenumbers knows",
    ),
    (
        'default_region = "US"',
        'default_region = "US-FL"',
        "team.default_region = 'US-FL': expected a region",
    ),
    ('default_region = "US"', 'default_region = ""', "team.default_region = '': expected a region"),
    (
        "weekly_pipeline_target = 60000",
        "weekly_pipeline_target = -1",
        "team.weekly_pipeline_target = -1: expected a number from 0 to 1e+12",
    ),
    (
        "weekly_pipeline_target = 60000",
        "weekly_pipeline_target = nan",
        "team.weekly_pipeline_target = nan: expected a number",
    ),
    (
        "weekly_pipeline_target = 60000",
        "weekly_pipeline_target = inf",
        "team.weekly_pipeline_target = inf: expected a number",
    ),
    (
        'days = ["mon", "tue", "wed", "thu", "fri"]',
        "days = []",
        "calling.days = []: expected at least one entry",
    ),
    (
        'days = ["mon", "tue", "wed", "thu", "fri"]',
        'days = ["monkey"]',
        "calling.days: 'monkey' is not a day (expected mon..sun)",
    ),
    (
        'start = "09:00"',
        'start = "24:00"',
        'calling.start = \'24:00\': expected a time from "00:00" to "23:59"',
    ),
    ('end = "17:00"', 'end = "08:30"', "calling.start (09:00) must be before calling.end (08:30)"),
    (
        'start = "09:00"|end = "17:00"',
        'start = "05:00"|end = "07:30"',
        "calling.start-calling.end (05:00-07:30) lies outside 08:00-21:00",
    ),
    (
        'start = "09:00"|end = "17:00"',
        'start = "21:30"|end = "23:00"',
        "calling.start-calling.end (21:30-23:00) lies outside 08:00-21:00",
    ),
    (
        'lunch_end = "13:00"',
        'lunch_end = "11:00"',
        "calling.lunch_start (12:00) must be before calling.lunch_end (11:00)",
    ),
    (
        'lunch_start = "12:00"|lunch_end = "13:00"',
        'lunch_start = "08:00"|lunch_end = "18:00"',
        "calling.lunch_start-lunch_end (08:00-18:00) covers the whole calling window",
    ),
    ('lunch_end = "13:00"\n', "", "calling.lunch_start and calling.lunch_end go together"),
    (
        "max_dials_per_day = 2",
        "max_dials_per_day = 0",
        "calling.max_dials_per_day = 0: expected a whole number from 1 to 100",
    ),
    (
        "max_dials_per_day = 2",
        "max_dials_per_day = 9223372036854775807",
        "calling.max_dials_per_day = 9223372036854775807: expected a whole number from 1 to 100",
    ),
    (
        "callback_grace_minutes = 30",
        "callback_grace_minutes = -1",
        "calling.callback_grace_minutes = -1: expected a whole number from 0 to 10080",
    ),
    (
        "callback_grace_minutes = 30",
        "callback_grace_minutes = 99999999999",
        "calling.callback_grace_minutes = 99999999999: expected",
    ),
    (
        'region = "US-FL"',
        'region = "US-XX"',
        "calling.state_rules[0].region = 'US-XX': expected a country code",
    ),
    (
        'region = "US-FL"',
        'region = "Florida"',
        "calling.state_rules[0].region = 'Florida': expected",
    ),
    (
        'region = "US-AL"\ndays = ["mon", "tue", "wed", "thu", "fri", "sat"]',
        'region = "US-AL"\ndays = []',
        "calling.state_rules[1].days = []: expected at least one entry",
    ),
    (
        'region = "US-TX"\nstart = "09:00"\nend = "21:00"',
        'region = "US-TX"\nstart = "21:00"\nend = "23:00"',
        "calling.state_rules[2].start-calling.state_rules[2].end (21:00-23:00)"
        " lies outside 08:00-21:00",
    ),
    (
        "dials = 80",
        "dials = -1",
        "team.daily_goal.dials = -1: expected a whole number from 0 to 10000",
    ),
    (
        "meetings = 2",
        "meetings = 100000000000",
        "team.daily_goal.meetings = 100000000000: expected a whole number from 0 to 10000",
    ),
    (
        "priority = 1",
        "priority = -1",
        "tiers[0].priority = -1: expected a whole number from 0 to 98",
    ),
    (
        "priority = 1",
        "priority = 9223372036854775807",
        "tiers[0].priority = 9223372036854775807: expected a whole number from 0 to 98",
    ),
    (
        "min_attempts = 6",
        "min_attempts = 0",
        "tiers[0].min_attempts = 0: expected a whole number from 1 to 100",
    ),
    (
        "max_attempts = 8",
        "max_attempts = 100000",
        "tiers[0].max_attempts = 100000: expected a whole number from 1 to 100",
    ),
    ('name = "B"', 'name = "A"', "tiers[1].name = 'A': used twice"),
    ('name = "A"', 'name = " "', "tiers[0].name = ' ': expected some text, not a blank"),
    (
        "employees_at_least = 200",
        "employees_at_least = -200",
        "tiers[0].employees_at_least = -200: expected a whole number from 0 to 10000000",
    ),
    (
        "employees_below = 10",
        "employees_below = 99999999999",
        "fit_rules[1].employees_below = 99999999999: expected a whole number from 0 to 10000000",
    ),
    (
        'email = "dana.whitfield@example.com"',
        'email = "dana"',
        "outside_reps[0].email = 'dana': expected an email address",
    ),
    ('regions = ["GB"]', 'regions = ["EU"]', "outside_reps[2].regions: 'EU' is not a region"),
    (
        "[territories]",
        '[territories]\nalice = ["US-ZZ"]',
        "territories.alice: 'US-ZZ' is not a region",
    ),
    (
        'title_contains = ["student", "intern"]',
        'title_contains = ["student", ""]',
        "fit_rules[2].title_contains = ['student', '']: expected a list of text, none of it blank",
    ),
    (
        'industry = ["eCommerce"]',
        'industry = ["eCommerce"]\ncountry = ["USA"]',
        'fit_rules[0].country = [\'USA\']: expected country codes such as "US" or "GB"',
    ),
    (
        'timezone = "America/New_York"',
        'timezone = "Mars/Olympus"',
        "team.timezone = 'Mars/Olympus': expected an IANA time zone",
    ),
]


def changed(olds: str, news: str) -> str:
    text = DEFAULT_TEXT
    for old, new in zip(olds.split("|"), news.split("|"), strict=True):
        assert old in text
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize(("old", "new", "error"), BROKEN, ids=[case[2][:40] for case in BROKEN])
def test_settings_load_refuses_a_value_out_of_range(db, run, tmp_path, old, new, error) -> None:
    bad = tmp_path / "team.toml"
    bad.write_text(changed(old, new))
    result = run("settings", "load", str(bad))
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"error: {bad}: {error}"), result.stderr
    assert settings_version(db) == 0
    assert db.one("SELECT count(*) FROM audit_log")[0] == 0
    assert run("settings", "show").output == DEFAULT_TEXT


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("lease_minutes = 15", "lease_minutes = 1440"),
        ('retry = "4h"', 'retry = "3650d"'),
        ('recycle = "90d"', 'recycle = "1m"'),
        ('first_touch = "1h"', 'first_touch = "2600bd"'),
        ('default_region = "US"', 'default_region = "gb"'),
        ("weekly_pipeline_target = 60000", "weekly_pipeline_target = 0"),
        ('days = ["mon", "tue", "wed", "thu", "fri"]', 'days = ["Monday", "tues", "SUN"]'),
        ('start = "09:00"|end = "17:00"', 'start = "00:00"|end = "23:59"'),
        ("callback_grace_minutes = 30", "callback_grace_minutes = 0"),
        ("priority = 1", "priority = 0"),
        ('region = "US-FL"', 'region = "CA-QC"'),
        ('regions = ["GB"]', 'regions = ["GB-SCT", "DE"]'),
    ],
)
def test_values_at_the_ends_of_their_ranges_are_accepted(old: str, new: str) -> None:
    parse_settings(changed(old, new))


def test_days_are_read_by_their_names_not_their_first_letters() -> None:
    text = DEFAULT_TEXT.replace(
        'days = ["mon", "tue", "wed", "thu", "fri"]', 'days = ["Monday", "tues", "mon"]', 1
    )
    assert parse_settings(text).calling.days == ("mon", "tue")


LONGEST = """
[[dispositions]]
key = "1"
code = "no_answer"
counts_as = "dial"
then = "retry"
retry = "3650d"

[[dispositions]]
key = "6"
code = "not_interested"
counts_as = "conversation"
then = "close"
recycle = "3650d"

[[dispositions]]
key = "5"
code = "callback"
counts_as = "conversation"
then = "callback"
"""


def test_the_longest_allowed_values_work_at_the_last_allowed_instant(db, run, tmp_path) -> None:
    """Bounds that are wide enough to mean anything must still never overflow."""
    text = DEFAULT_TEXT.replace("lease_minutes = 15", "lease_minutes = 1440", 1)
    text = text.replace("callback_grace_minutes = 30", "callback_grace_minutes = 10080", 1)
    text = text.replace('first_touch = "1h"', 'first_touch = "3650d"')
    # 31 December 2100 is New Year's Day observed in the US: no holidays, to call then.
    text = text.replace('holidays = "auto"', 'holidays = "none"', 1)
    head, _, tail = text.partition("[[dispositions]]")
    text = head + LONGEST + "\n[[fit_rules]]" + tail.partition("[[fit_rules]]")[2]
    good = tmp_path / "longest.toml"
    good.write_text(text)
    assert run("settings", "load", str(good)).exit_code == 0
    last = "2100-12-31T15:00:00Z"  # a Friday, 10:00 in New York
    lead = add_contact(db, now=MONDAY_10_ET, first_name="Ada")
    db.execute("UPDATE contacts SET next_call_at = ? WHERE id = ?", ("2100-12-31T00:00:00Z", lead))
    claimed = run("next", "--at", last, "--json")
    assert json.loads(claimed.stdout)["contact_id"] == lead, claimed.output
    logged = run("log", str(lead), "no_answer", "--at", last, "--json")
    assert logged.exit_code == 0, logged.output
    assert json.loads(logged.stdout)["next_call_at"].startswith("2110-")
    assert run("log", str(lead), "not_interested", "--at", last).exit_code == 0
    for name in ("daily", "funnel", "sla", "attempts", "segments", "pipeline"):
        assert run("report", name, "--at", last).exit_code == 0, name
    assert run("queue", "--at", last).exit_code == 0


def test_settings_stored_by_an_older_version_name_the_way_out(db, run, tmp_path) -> None:
    # An older Prospector took any whole number: the stored row can hold one.
    loose = DEFAULT_TEXT.replace("lease_minutes = 15", "lease_minutes = 100000000000", 1)
    with db.write():
        db.execute(
            "INSERT INTO settings (id, toml, version, updated_at, updated_by)"
            " VALUES (1, ?, 1, '2026-01-01T00:00:00Z', 'old')",
            (loose,),
        )
    result = run("queue", "--at", "2026-11-23T15:00:00Z")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: stored settings: calling.lease_minutes = 100000000000: expected a whole number"
        " from 1 to 1440 (correct it with `prospector settings load FILE`)\n"
    )
    good = tmp_path / "team.toml"
    good.write_text(DEFAULT_TEXT)
    fixed = run("settings", "load", str(good))
    assert fixed.exit_code == 0, fixed.output
    assert load_settings(db).calling.lease_minutes == 15
    assert run("queue", "--at", "2026-11-23T15:00:00Z").exit_code == 0


def test_a_lease_is_its_minutes_long(db) -> None:
    from prospector.services.claims import claim_next

    text = DEFAULT_TEXT.replace("lease_minutes = 15", "lease_minutes = 1440", 1)
    with db.write():
        db.execute(
            "INSERT INTO settings (id, toml, version, updated_at, updated_by)"
            " VALUES (1, ?, 1, '2026-01-01T00:00:00Z', 'lead')",
            (text,),
        )
    add_contact(db, now=MONDAY_10_ET - timedelta(minutes=5))
    claimed = claim_next(db, rep="alice", now=MONDAY_10_ET)
    assert claimed is not None
    row = db.one("SELECT claim_expires_at FROM contacts WHERE id = ?", (claimed.contact_id,))
    assert row[0] == "2026-11-24T15:00:00Z"


def test_parse_errors_are_settings_errors() -> None:
    with pytest.raises(SettingsError, match=r"calling\.lease_minutes = 0: expected"):
        parse_settings(DEFAULT_TEXT.replace("lease_minutes = 15", "lease_minutes = 0", 1))
