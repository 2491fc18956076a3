"""``[[scripts]]`` and ``[[objections]]`` in the settings: validation, and script files
read at ``settings load`` and stored with the settings."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from prospector.foundations.errors import SettingsError
from prospector.services.settings import (
    default_settings,
    load_settings,
    parse_settings,
    read_settings_file,
)
from prospector.services.settings.scripts import FILES_MARKER

DEFAULT_TEXT = default_settings().source_text
BASE = DEFAULT_TEXT.split("[[scripts]]")[0]  # the shipped settings without scripts


def test_the_shipped_scripts_and_objections():
    shipped = default_settings()
    assert [(s.name, s.attempts, s.tiers, s.sources) for s in shipped.scripts] == [
        ("Callback", ("callback",), (), ()),
        ("First touch", ("first_touch",), (), ()),
        ("Follow-up", (), (), ()),
    ]
    assert [(o.key, o.label) for o in shipped.objections] == [
        ("n", "Not interested"),
        ("e", "Send me an email"),
        ("b", "No budget"),
        ("c", "Using a competitor"),
        ("t", "Bad timing"),
    ]
    assert shipped.objection("e") == shipped.objection(" send ME an email ")
    with pytest.raises(SettingsError, match=r"unknown objection 'x' \(expected one of: n \(Not"):
        shipped.objection("x")


SCRIPT = '[[scripts]]\nname = "s"\ntext = "Hi {first}"\n'
OBJECTION = '[[objections]]\nkey = "n"\nlabel = "Not interested"\nanswer = "Why?"\n'


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '[[scripts]]\nname = "s"\ntext = "x"\nfile = "x.md"\n',
            "scripts[0]: give either text (Markdown) or file",
        ),
        ('[[scripts]]\nname = "s"\n', "scripts[0]: give either text (Markdown) or file"),
        (
            '[[scripts]]\nname = "s"\ntext = "Hi {frist}"\n',
            "scripts[0].text: unknown merge field {frist} (expected one of: {first}, {last},",
        ),
        (
            '[[scripts]]\nname = "s"\ntext = "x"\ntiers = ["Z"]\n',
            "scripts[0].tiers = ['Z']: expected tier names among A, B, C",
        ),
        (
            '[[scripts]]\nname = "s"\ntext = "x"\nattempt = "first"\n',
            'scripts[0].attempt = \'first\': expected "first_touch" or "follow_up" or',
        ),
        ('[[scripts]]\nname = "s"\ntext = "x"\nattempt = 1\n', "scripts[0].attempt = 1"),
        (
            '[[scripts]]\nname = "s"\ntext = "x"\nsources = "web"\n',
            "scripts[0].sources = 'web': expected a list of text",
        ),
        (SCRIPT + SCRIPT, "scripts[1].name = 's': expected a name no other [[scripts]]"),
        ('[[scripts]]\nname = " "\ntext = "x"\n', "scripts[0].name = ' ': expected some text"),
        ('[[scripts]]\nname = "s"\ntext = ""\n', "scripts[0].text = '': expected some text"),
        (SCRIPT + 'colour = "red"\n', "unknown key scripts[0].colour"),
        (
            '[[objections]]\nkey = "ab"\nlabel = "x"\nanswer = "y"\n',
            "objections[0].key = 'ab': expected one character",
        ),
        (
            '[[objections]]\nkey = " "\nlabel = "x"\nanswer = "y"\n',
            "objections[0].key = ' ': expected one character",
        ),
        (
            OBJECTION + OBJECTION.replace('"Not interested"', '"Other"'),
            "objections[1].key = 'n': expected a key no other objection has",
        ),
        (
            OBJECTION + OBJECTION.replace('key = "n"', 'key = "m"').replace("Not", "NOT"),
            "objections[1].label = 'NOT interested': expected a label no other objection has",
        ),
        (
            '[[objections]]\nkey = "n"\nlabel = "x"\nanswer = " "\n',
            "objections[0].answer = ' ': expected some text",
        ),
        ('[[objections]]\nkey = "n"\nlabel = "x"\n', "objections[0].answer is missing"),
        (
            '[[objections]]\nkey = "n"\nlabel = "two\\nlines"\nanswer = "y"\n',
            "objections[0].label = 'two\\nlines': expected one line",
        ),
        ('[[scripts]]\nname = "s"\nfile = "x.md"\n', "scripts[0].file = 'x.md': expected a"),
    ],
)
def test_bad_scripts_and_objections_name_the_key(extra, message):
    with pytest.raises(SettingsError) as raised:
        parse_settings(BASE + extra, "team.toml")
    text = str(raised.value)
    assert text.startswith("team.toml: ") and message in text
    assert "\n" not in text


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A settings file whose first-touch script is a file beside it."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "first.md").write_text(
        '## Hello {first}\n\nA "quoted" line, a \\ backslash, a tab\there, é and 😀.\n',
        encoding="utf-8",
    )
    (tmp_path / "team.toml").write_text(
        BASE
        + '[[scripts]]\nname = "First"\nattempt = "first_touch"\nfile = "scripts/first.md"\n'
        + '[[scripts]]\nname = "Other"\ntext = "Hi {first}"\n',
        encoding="utf-8",
    )
    return tmp_path


def test_a_script_file_is_read_and_stored_with_the_settings(folder: Path):
    loaded = read_settings_file(folder / "team.toml")
    first = loaded.scripts[0]
    assert first.text == (folder / "scripts" / "first.md").read_text(encoding="utf-8")
    stored = loaded.source_text
    assert FILES_MARKER in stored
    assert tomllib.loads(stored)["script_files"] == {"scripts/first.md": first.text}
    # Read back as the database gives it, with no folder to look in.
    again = parse_settings(stored, "stored settings")
    assert again.scripts == loaded.scripts


def test_load_stores_the_file_for_every_rep(folder: Path, run, db, tmp_path_factory):
    result = run("settings", "load", str(folder / "team.toml"))
    assert result.exit_code == 0, result.output
    expected = (folder / "scripts" / "first.md").read_text(encoding="utf-8")
    assert load_settings(db).scripts[0].text == expected  # a rep elsewhere reads this
    # `settings show` printed elsewhere, loaded again without the file: the same script.
    shown = run("settings", "show").output
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "shown.toml"
    elsewhere.write_text(shown, encoding="utf-8")
    reloaded = run("settings", "load", str(elsewhere))
    assert reloaded.exit_code == 0, reloaded.output
    assert load_settings(db).scripts[0].text == expected
    assert load_settings(db).source_text.count("[script_files]") == 1


def test_an_edited_file_replaces_the_stored_text(folder: Path):
    stored = read_settings_file(folder / "team.toml").source_text
    (folder / "shown.toml").write_text(stored, encoding="utf-8")
    (folder / "scripts" / "first.md").write_text("New {first}\n", encoding="utf-8")
    again = read_settings_file(folder / "shown.toml")
    assert again.scripts[0].text == "New {first}\n"
    assert again.source_text.count("[script_files]") == 1
    assert parse_settings(again.source_text).scripts[0].text == "New {first}\n"


def test_inline_scripts_store_no_files_table(folder: Path):
    (folder / "inline.toml").write_text(BASE + SCRIPT, encoding="utf-8")
    assert FILES_MARKER not in read_settings_file(folder / "inline.toml").source_text


def test_a_missing_or_unreadable_file_is_one_line(folder: Path, run, db):
    (folder / "scripts" / "first.md").unlink()
    result = run("settings", "load", str(folder / "team.toml"))
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"error: {folder / 'team.toml'}: scripts[0].file = 'scripts/first.md': expected a"
        f" Markdown file next to the settings file ({folder}); there is none"
    )
    (folder / "scripts" / "first.md").write_bytes(b"\xff\xfe bad")
    result = run("settings", "load", str(folder / "team.toml"))
    assert result.exit_code == 1
    assert "scripts[0].file = 'scripts/first.md': expected a readable UTF-8 file" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert load_settings(db).scripts == default_settings().scripts  # nothing stored


def test_a_hand_written_files_table_is_refused(folder: Path):
    (folder / "hand.toml").write_text(
        BASE + SCRIPT + '[script_files]\n"x.md" = "y"\n', encoding="utf-8"
    )
    with pytest.raises(SettingsError, match="script_files is written by `settings load`"):
        read_settings_file(folder / "hand.toml")
