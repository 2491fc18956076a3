"""The lead's colleagues on its card: who else the rep may reach at the account.

They take the rows the card can spare (the note must stay on screen). At 80
columns, at most two rows: the count and the first colleague on one, the second on
the next, each cut to its name and the one thing most worth knowing (held by
another rep, meeting set, last call); titles and callers go. Wider, up to five
rows under a heading, with title, status, last call and caller. With no row to
spare, the card's title carries the count (``a`` lists them all).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text

from prospector.services.accounts import Colleague, Colleagues
from prospector.services.queue import humanize

WIDE_ROWS = 5
COMPACT_ROWS = 2

STATUS_WORDS = {"qualified": "meeting set", "dnc": "do not call"}


def _status(colleague: Colleague) -> str:
    return STATUS_WORDS.get(colleague.status, colleague.status)


def _last_call(colleague: Colleague, now: datetime, *, by: bool) -> str:
    if colleague.last_call_at is None:
        return "never called"
    ago = humanize(max(now - colleague.last_call_at, timedelta(0)))
    who = f" ({colleague.last_rep})" if by and colleague.last_rep else ""
    return f"{colleague.last_disposition} {ago} ago{who}"


def _held(colleague: Colleague) -> Text:
    return Text(f"held by {colleague.held_by}", style="bold yellow")


def wide_line(colleague: Colleague, now: datetime) -> Text:
    """``Ann Lee, CFO · open · voicemail 2 d ago (bob) · held by carol``."""
    line = Text(" ")
    line.append(colleague.name, style="bold")
    if colleague.title:
        line.append(f", {colleague.title}")
    line.append(f" · {_status(colleague)} · {_last_call(colleague, now, by=True)}", style="dim")
    if colleague.held_by:
        line.append(" · ")
        line.append_text(_held(colleague))
    return line


def compact_part(colleague: Colleague, now: datetime) -> Text:
    """``Ann Lee · held by carol`` (the one thing most worth knowing)."""
    part = Text(colleague.name, style="bold")
    part.append(" · ")
    if colleague.held_by:
        part.append_text(_held(colleague))
    elif colleague.status != "open":
        part.append(_status(colleague), style="dim")
    else:
        part.append(_last_call(colleague, now, by=False), style="dim")
    return part


def colleague_count(colleagues: Colleagues) -> str:
    """``4 colleagues``."""
    return f"{colleagues.total} colleague{'s' if colleagues.total != 1 else ''}"


def colleague_lines(
    colleagues: Colleagues, company: str | None, now: datetime, *, rows: int, compact: bool
) -> list[Text]:
    """At most ``rows`` card rows for ``colleagues`` (none when the lead has none)."""
    if not colleagues.total or rows <= 0:
        return []
    others = colleague_count(colleagues)
    if compact:
        label = f"{others} (a) "
        lines = [
            Text.assemble((label if row == 0 else " " * len(label), "dim"), compact_part(c, now))
            for row, c in enumerate(colleagues.shown[: min(rows, COMPACT_ROWS)])
        ]
    else:
        shown = colleagues.shown[: min(rows - 1, WIDE_ROWS)]
        heading = Text(f"Also at {company or 'this account'}: {others}", style="dim")
        if colleagues.total > len(shown):
            heading.append(f", {colleagues.total - len(shown)} not shown", style="dim")
        heading.append(" · a lists them all", style="dim")
        lines = [heading, *(wide_line(c, now) for c in shown)]
    for line in lines:
        line.no_wrap, line.overflow = True, "ellipsis"
    return lines
