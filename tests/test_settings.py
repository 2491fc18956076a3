"""Settings: defaults, validation naming the key, storage and the CLI round trip."""

from __future__ import annotations

from datetime import time

import pytest

from prospector.foundations.errors import SettingsError
from prospector.services.settings import (
    DEFAULTS_FILE,
    default_settings,
    load_settings,
    parse_settings,
    settings_version,
)

DEFAULT_TEXT = DEFAULTS_FILE.read_text(encoding="utf-8")


def test_defaults_hold_the_design_catalog():
    settings = default_settings()
    assert [(d.key, d.code) for d in settings.dispositions] == [
        ("1", "no_answer"),
        ("2", "busy"),
        ("3", "voicemail"),
        ("4", "gatekeeper"),
        ("5", "callback"),
        ("6", "not_interested"),
        ("7", "not_a_fit"),
        ("8", "meeting_set"),
        ("9", "wrong_number"),
        ("0", "do_not_call"),
    ]
    assert settings.calling.start == time(9) and settings.calling.end == time(17)
    assert settings.calling.max_dials_per_day == 2
    assert settings.disposition("3").retry is not None
    assert str(settings.disposition("voicemail").retry) == "2d"
    assert [t.name for t in settings.tiers] == ["A", "B", "C"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('start = "09:00"', "start = 9"), r"calling\.start = 9: expected a time"),
        (('timezone = "America/New_York"', 'timezone = "Mars/Olympus"'), r"team\.timezone"),
        (("max_dials_per_day = 2", 'max_dials_per_day = "two"'), r"max_dials_per_day.*whole"),
        (('first_touch = "1h"', 'first_touch = "soon"'), r"tiers\[0\]\.first_touch"),
        (('counts_as = "dial"', 'counts_as = "chat"'), r"dispositions\[0\]\.counts_as"),
        (("[team]", "colour = 3\n[team]"), r"unknown key colour"),
        (("[calling]", "[calling]\nlunch = true"), r"unknown key calling\.lunch"),
        (('key = "1"', 'key = "11"'), r"dispositions\[0\]\.key"),
    ],
)
def test_bad_values_name_the_key(change, message):
    old, new = change
    assert old in DEFAULT_TEXT
    with pytest.raises(SettingsError, match=message):
        parse_settings(DEFAULT_TEXT.replace(old, new, 1))


def test_a_disposition_without_label_shows_its_code():
    text = DEFAULT_TEXT.replace('label = "Busy"\n', "", 1)
    assert text != DEFAULT_TEXT
    settings = parse_settings(text)
    assert settings.disposition("busy").label == "busy"
    assert settings.disposition("1").label == "No answer"


def test_not_toml_is_one_clear_error():
    with pytest.raises(SettingsError, match="not valid TOML"):
        parse_settings("[team\n")


def test_last_tier_must_catch_everyone():
    text = DEFAULT_TEXT.replace(
        'name = "C"\npriority = 3', 'name = "C"\nsource = ["x"]\npriority = 3'
    )
    with pytest.raises(SettingsError, match="last tier"):
        parse_settings(text)


def test_store_and_reload(db, run, tmp_path):
    assert settings_version(db) == 0
    custom = tmp_path / "team.toml"
    custom.write_text(DEFAULT_TEXT.replace('start = "09:00"', 'start = "10:00"', 1))
    result = run("settings", "load", str(custom))
    assert result.exit_code == 0, result.output
    assert load_settings(db).calling.start == time(10)
    assert settings_version(db) == 1
    shown = run("settings", "show")
    assert 'start = "10:00"' in shown.output
    audit = db.query("SELECT actor, action FROM audit_log")
    assert [(r["actor"], r["action"]) for r in audit] == [("alice", "settings.load")]


def test_a_lead_moves_a_fit_rule_and_the_list_is_refiltered(db, run, tmp_path):
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "Company,Phone,Industry,Employees\n"
        "Shop Co,(212) 555-0101,eCommerce,40\n"
        "Store Co,(212) 555-0102,Retail,40\n"
        "Soft Co,(212) 555-0103,Software,40\n"
    )
    assert run("import", str(leads), "--at", "2026-11-23T15:00:00Z").exit_code == 0
    custom = tmp_path / "team.toml"
    custom.write_text(DEFAULT_TEXT.replace('industry = ["eCommerce"]', 'industry = ["Retail"]'))
    result = run("settings", "load", str(custom), rep="lead")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"settings loaded from {custom}",
        "re-applied fit rules and tiers to 3 contacts: 2 changed filter, 0 changed tier",
    ]
    filtered = db.query("SELECT a.name, c.filtered_by FROM contacts c JOIN accounts a"
                        " ON a.id = c.account_id ORDER BY c.id")  # fmt: skip
    assert [tuple(row) for row in filtered] == [
        ("Shop Co", None),
        ("Store Co", "no eCommerce"),
        ("Soft Co", None),
    ]
    again = run("settings", "reapply", rep="lead")
    assert again.output.strip() == "3 contacts: 0 changed filter, 0 changed tier"


def test_loading_a_bad_file_changes_nothing(db, run, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(DEFAULT_TEXT.replace("max_dials_per_day = 2", "max_dials_per_day = -1"))
    result = run("settings", "load", str(bad))
    assert result.exit_code == 1
    assert "calling.max_dials_per_day" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert settings_version(db) == 0
    assert db.one("SELECT count(*) FROM audit_log")[0] == 0


def test_show_prints_defaults_that_load_back(run, tmp_path):
    shown = run("settings", "show").output
    assert parse_settings(shown) == default_settings()


def test_file_errors_name_the_file_once(tmp_path):
    from prospector.services.settings import read_settings_file

    bad = tmp_path / "team.toml"
    bad.write_text(DEFAULT_TEXT.replace('start = "09:00"', "start = 9", 1))
    with pytest.raises(SettingsError) as caught:
        read_settings_file(bad)
    assert str(caught.value) == (
        f'{bad}: calling.start = 9: expected a time from "00:00" to "23:59", like "09:00"'
    )
