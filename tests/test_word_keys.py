"""One folding for the words CRM tables are keyed by: maps, answer words, footer phrases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospector.foundations.crm_words import answer_words
from prospector.foundations.folding import compact_key, word_key
from prospector.foundations.shipped import shipped_toml
from prospector.services.export import salesforce_values
from prospector.services.export.hubspot import industry_value
from prospector.services.importing.ranges import is_footer_phrase
from prospector.services.settings import default_settings

SPELLINGS = ["{} {}", "{}-{}", "{}_{}", "  {}   {} ", "{} {}.", "{}/{}"]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_word_maps_the_same_however_it_is_written_for_every_crm(spelling):
    settings = default_settings()
    industry = spelling.format("Life", "Sciences")
    assert (
        salesforce_values.industry(settings.salesforce, {"industry": industry}) == "Biotechnology"
    )
    assert industry_value(industry.upper(), settings.hubspot) == "BIOTECHNOLOGY"
    source = spelling.format("demo", "REQUEST")
    assert salesforce_values.lead_source(settings.salesforce, {"source": source}) == "Web"


@pytest.mark.parametrize("word", ["Closed - Won", "closedwon", "CLOSED_WON", "Closed Wön"])
def test_an_answer_word_ignores_case_spaces_punctuation_and_accents(word):
    assert answer_words("hubspot").meaning(word) == "won"


def test_a_footer_phrase_ignores_case_and_punctuation():
    assert is_footer_phrase("CONFIDENTIAL INFORMATION -- do not distribute!")
    assert not is_footer_phrase("Confidentiality Agreements Ltd")


@pytest.mark.parametrize(
    ("file", "tables", "fold"),
    [
        ("crm_salesforce.toml", ["lead_source", "industry"], word_key),
        ("crm_hubspot.toml", ["industry"], word_key),
        ("crm_answers.toml", ["answers"], compact_key),
    ],
)
def test_no_shipped_key_hides_another(file, tables, fold):
    """Two keys of one shipped table that fold alike must mean the same, or one is dead."""
    data = shipped_toml(file)
    for name in tables:
        table = data[name]
        for own in table.values() if name == "answers" else [table]:
            seen: dict[str, tuple[str, str]] = {}
            for key, value in own.items():
                assert fold(key), key
                first = seen.setdefault(fold(key), (key, value))
                assert first[1] == value, (first, key, value)


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@given(TEXT)
def test_keys_are_stable_and_compact_is_word_without_spaces(text):
    key = word_key(text)
    assert word_key(key) == key
    assert key == key.strip() and "  " not in key
    assert compact_key(text) == key.replace(" ", "")
