"""Call scripts: which of the team's ``[[scripts]]`` a lead gets, rendered for them.

A script applies when each of its conditions holds (tiers, sources, attempt kind);
the first that applies wins, so a script without conditions, put last, is the
fallback. Merge fields (``{first}``, ``{company}``...) are replaced by the lead's
values, escaped for Markdown: contact data comes from imported files and web
forms, and must read as text, never as a heading, a link or a table that breaks
the pane. Only ``{name}`` with a known name is replaced; ``{first.__class__}`` or
``{first:>9}`` are not fields and stay as written (no ``str.format``, which would
look attributes up).
"""

from __future__ import annotations

import re
from datetime import datetime

from prospector.services.contacts import ContactCard
from prospector.services.settings import Settings
from prospector.services.settings.model import Script
from prospector.services.settings.scripts import MERGE_FIELD

# Every ASCII character CommonMark lets a backslash escape: any of them may start
# markup somewhere (emphasis, links, headings, lists, tables, HTML, entities).
_MARKDOWN_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def attempt_kind(card: ContactCard) -> str:
    """``callback`` for an agreed callback, ``first_touch`` before the first dial,
    else ``follow_up`` (see :data:`~prospector.services.settings.model.ATTEMPT_KINDS`)."""
    if card.callback_at is not None:
        return "callback"
    return "first_touch" if card.attempts == 0 else "follow_up"


def applies(script: Script, *, tier: str | None, source: str | None, attempt: str) -> bool:
    """Whether every condition of ``script`` holds (sources compared ignoring case)."""
    if script.tiers and tier not in script.tiers:
        return False
    if script.sources and (source or "").casefold() not in {s.casefold() for s in script.sources}:
        return False
    return not script.attempts or attempt in script.attempts


def choose_script(
    settings: Settings, *, tier: str | None, source: str | None, attempt: str
) -> Script | None:
    """The first of the team's scripts that applies (None: none does)."""
    return next(
        (s for s in settings.scripts if applies(s, tier=tier, source=source, attempt=attempt)),
        None,
    )


def script_for(settings: Settings, card: ContactCard) -> Script | None:
    """The script for the lead ``card``."""
    return choose_script(settings, tier=card.tier, source=card.source, attempt=attempt_kind(card))


def merge_fields(card: ContactCard, *, rep: str, now: datetime) -> dict[str, str]:
    """The lead's merge field values as plain text (blank when unknown)."""
    local = now.astimezone(card.local_time.tzinfo)
    return {
        "first": card.first_name or "",
        "last": card.last_name or "",
        "company": card.company or "",
        "title": card.title or "",
        "rep": rep,
        "local_time": f"{local:%a %H:%M %Z}",
        "source": card.source or "",
    }


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown inline text: one line, every markup character escaped."""
    one_line = _LINE_BREAKS.sub(" ", text)
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", one_line)


def render(text: str, fields: dict[str, str]) -> str:
    """``text`` with each known ``{field}`` replaced by its value, escaped; any other
    braces kept as written."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return escape_markdown(fields[name]) if name in fields else match.group(0)

    return MERGE_FIELD.sub(value, text)


def render_script(script: Script, card: ContactCard, *, rep: str, now: datetime) -> str:
    """``script`` rendered for the lead ``card``, called by ``rep`` at ``now``."""
    return render(script.text, merge_fields(card, rep=rep, now=now))
