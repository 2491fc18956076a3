"""``[[pause_codes]]`` in the settings: validated, and the shipped six when none are given."""

from __future__ import annotations

import pytest

from prospector.foundations.errors import SettingsError
from prospector.services.settings import default_settings, parse_settings

SHIPPED = default_settings().source_text
WITHOUT = SHIPPED[: SHIPPED.index("# Why a rep pauses")] + SHIPPED[SHIPPED.index("# Fit rules") :]


def with_codes(text: str) -> str:
    return WITHOUT + "\n" + text


def test_the_shipped_codes_and_a_file_without_any_keeps_them() -> None:
    codes = default_settings().pause_codes
    assert [(c.code, c.label, c.max_minutes) for c in codes[:2]] == [
        ("lunch", "Lunch", 60),
        ("break", "Break", 15),
    ]
    assert [c.code for c in codes[2:]] == ["coaching", "admin", "meeting", "training"]
    assert "[[pause_codes]]" not in WITHOUT
    assert parse_settings(WITHOUT).pause_codes == codes


def test_a_team_names_its_own() -> None:
    settings = parse_settings(
        with_codes('[[pause_codes]]\ncode = "one_on_one"\nmax_minutes = 30\n')
    )
    [code] = settings.pause_codes
    assert (code.code, code.label, code.max_minutes) == ("one_on_one", "One_on_one", 30)
    assert settings.pause_code("ONE_ON_ONE") == code


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('code = "Lunch Break"', "pause_codes[0].code = 'Lunch Break': expected a lower-case word"),
        ('code = "x"\nmax_minutes = 0', "pause_codes[0].max_minutes = 0: expected a whole number"),
        ('code = "x"\ncolour = "red"', "unknown key pause_codes[0].colour"),
        ('label = "x"', "pause_codes[0].code is missing"),
    ],
)
def test_bad_codes_are_one_line(text: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_settings(with_codes(f"[[pause_codes]]\n{text}\n"))


def test_codes_are_unique_and_at_most_nine() -> None:
    twice = '[[pause_codes]]\ncode = "x"\n' * 2
    with pytest.raises(SettingsError, match="a code no other"):
        parse_settings(with_codes(twice))
    ten = "".join(f'[[pause_codes]]\ncode = "c{n}"\n' for n in range(10))
    with pytest.raises(SettingsError, match="10 entries: expected at most 9"):
        parse_settings(with_codes(ten))
