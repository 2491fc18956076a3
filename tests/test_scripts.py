"""Call scripts: which script a lead gets, its merge fields, and hostile contact data."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from prospector.services import scripts
from prospector.services.calls import log_call
from prospector.services.contacts import contact_card
from prospector.services.settings import default_settings, parse_settings
from prospector.services.settings.model import Script
from tests.factories import add_contact

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Mon 10:00 in New York

CATALOG = """
[[scripts]]
name = "A inbound first"
tiers = ["A"]
sources = ["Inbound", "webinar"]
attempt = "first_touch"
text = "a"

[[scripts]]
name = "callbacks"
attempt = ["callback"]
text = "c"

[[scripts]]
name = "B or C follow-ups"
tiers = ["B", "C"]
attempt = ["follow_up"]
text = "f"
"""


def catalog(extra: str = ""):
    return parse_settings(default_settings().source_text.split("[[scripts]]")[0] + CATALOG + extra)


@pytest.mark.parametrize(
    ("tier", "source", "attempt", "expected"),
    [
        ("A", "inbound", "first_touch", "A inbound first"),
        ("A", "WEBINAR", "first_touch", "A inbound first"),  # sources ignore case
        ("A", "list", "first_touch", None),
        ("A", None, "first_touch", None),
        ("B", "inbound", "first_touch", None),
        ("A", "inbound", "callback", "callbacks"),
        ("C", "list", "callback", "callbacks"),  # the first that applies wins
        ("C", "list", "follow_up", "B or C follow-ups"),
        ("A", "inbound", "follow_up", None),
        (None, None, "follow_up", None),
    ],
)
def test_the_first_script_that_applies_wins(tier, source, attempt, expected):
    chosen = scripts.choose_script(catalog(), tier=tier, source=source, attempt=attempt)
    assert (chosen.name if chosen else None) == expected


def test_a_script_without_conditions_is_the_fallback():
    fallback = '\n[[scripts]]\nname = "any"\ntext = "x"\n'
    chosen = scripts.choose_script(catalog(fallback), tier="A", source=None, attempt="follow_up")
    assert chosen is not None and chosen.name == "any"


def test_the_shipped_scripts_cover_every_lead():
    shipped = default_settings()
    for attempt, name in (
        ("first_touch", "First touch"),
        ("follow_up", "Follow-up"),
        ("callback", "Callback"),
    ):
        for tier in ("A", "B", "C", None):
            chosen = scripts.choose_script(shipped, tier=tier, source="x", attempt=attempt)
            assert chosen is not None and chosen.name == name


def test_attempt_kinds_from_the_contact(db):
    contact = add_contact(db, now=NOW, state="NY")
    card = contact_card(db, contact, now=NOW)
    assert scripts.attempt_kind(card) == "first_touch"
    log_call(db, contact, "no_answer", rep="alice", now=NOW)
    later = NOW + timedelta(hours=5)
    assert scripts.attempt_kind(contact_card(db, contact, now=later)) == "follow_up"
    log_call(db, contact, "callback", rep="alice", now=later, callback=NOW + timedelta(days=1))
    card = contact_card(db, contact, now=later)
    assert scripts.attempt_kind(card) == "callback"
    assert scripts.script_for(default_settings(), card).name == "Callback"  # type: ignore[union-attr]


def test_merge_fields_of_a_lead(db):
    contact = add_contact(
        db,
        now=NOW,
        first_name="Ada",
        last_name="Lovelace",
        company="Analytical Engines",
        title="CTO",
        source="webinar",
        zones=("America/Los_Angeles",),
        state="CA",
    )
    card = contact_card(db, contact, now=NOW)
    fields = scripts.merge_fields(card, rep="alice", now=NOW)
    assert fields == {
        "first": "Ada",
        "last": "Lovelace",
        "company": "Analytical Engines",
        "title": "CTO",
        "rep": "alice",
        "local_time": "Mon 07:00 PST",  # the prospect's, not the rep's
        "source": "webinar",
    }
    script = Script("s", "Hi {first} {last} ({title}, {company}): {rep}, {local_time}, {source}")
    # Markdown source: the values' punctuation escaped (the colon of 07:00 too).
    assert scripts.render_script(script, card, rep="alice", now=NOW) == (
        "Hi Ada Lovelace (CTO, Analytical Engines): alice, Mon 07\\:00 PST, webinar"
    )
    blank = replace(card, title=None, source=None)
    assert scripts.render("[{title}|{source}]", scripts.merge_fields(blank, rep="a", now=NOW)) == (
        "[|]"
    )


@pytest.mark.parametrize(
    "text",
    [
        "{first.__class__}",
        "{first.__class__.__mro__}",
        "{first[0]}",
        "{first!r}",
        "{first:>20}",
        "{0}",
        "{}",
        "{{first}}x",
        "{unknown}",
        "{first",
    ],
)
def test_only_plain_known_fields_are_replaced(text):
    fields = {"first": "Ada"}
    expected = text.replace("{{first}}", "{Ada}")  # the inner field is a field; braces stay
    assert scripts.render(text, fields) == expected


HOSTILE = [
    "# Heading",
    "[click](https://evil.example)",
    "<script>alert(1)</script>",
    "![img](x.png)",
    "| a | b |\n|---|---|",
    "**bold** _it_ `code` ~~s~~",
    "line one\n\n# two",
    "> quote",
    "1. list",
    "- item",
    "http://evil.example/path",
    "www.evil.example",
    "&amp; &#60; \\",
    "```\nfence",
    "---",
    "a\r\nb\x00c\x1bd",
]


PARSERS = (
    MarkdownIt().enable("strikethrough").enable("table"),  # Rich's, which draws the pane
    MarkdownIt("gfm-like"),  # Textual's Markdown widget's: links found in bare text too
)


def parsed_inline(markdown: str) -> tuple[list[str], str]:
    """The token types the Markdown parsers make of ``markdown``, and the text of its one
    paragraph (the same from each)."""
    found = []
    for parser in PARSERS:
        tokens = parser.parse(markdown)
        types = [token.type for token in tokens]
        inline = [token for token in tokens if token.type == "inline"]
        children = [child for token in inline for child in token.children or []]
        found.append((types + [c.type for c in children], "".join(c.content for c in children)))
    assert found[0][1] == found[1][1]
    return found[0][0] + found[1][0], found[0][1]


def one_line(value: str) -> str:
    """The value on one line: each run of line breaks and control characters, one space."""
    return re.sub("[\x00-\x1f\x7f\x85\u2028\u2029]+", " ", value)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_contact_data_reads_as_text(value):
    types, text = parsed_inline(scripts.render("Hi {first}!", {"first": value}))
    assert set(types) <= {"paragraph_open", "inline", "paragraph_close", "text"}
    assert text == f"Hi {one_line(value)}!"


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_contact_data_reads_as_text(value):
    types, text = parsed_inline(scripts.render("Hi {first}!", {"first": value}))
    assert set(types) <= {"paragraph_open", "inline", "paragraph_close", "text"}
    # The parser folds spaces at a line's end (none here: the value sits mid-line).
    assert text == f"Hi {one_line(value)}!"
