"""The call's timer on the lead card: from the dial to the outcome key, in mm:ss.

It is its own one-line widget, so that ticking each second redraws one line and
never the card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from textual.widget import Widget
from textual.widgets import Input, Static

from prospector.foundations.limits import MAX_CALL_SECONDS

_TALK = re.compile(r"^\s*(?:(\d{1,4}):([0-5]\d)|(\d{1,5}))\s*$", re.ASCII)
TALK_EXPECTED = "Talk time: m:ss (2:05) or seconds (125), at most a day"


@dataclass(frozen=True)
class CallClock:
    """A call being timed on the lead ``contact_id``: started at the dial, stopped by
    the outcome key (``stopped_at``), running again if the rep goes back to the lead."""

    contact_id: int
    started_at: datetime
    stopped_at: datetime | None = None

    def seconds(self, now: datetime) -> int:
        end = self.stopped_at or now
        return max(0, min(MAX_CALL_SECONDS, int((end - self.started_at).total_seconds())))

    def stopped(self, now: datetime) -> CallClock:
        return replace(self, stopped_at=self.stopped_at or now)

    def running(self) -> CallClock:
        return replace(self, stopped_at=None)


def clock_text(seconds: int) -> str:
    """``02:05``; ``1:02:05`` past an hour."""
    minutes, secs = divmod(seconds, 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def parse_talk(text: str) -> int | None:
    """``"2:05"`` or ``"125"`` as seconds (up to a day), else None."""
    match = _TALK.match(text)
    if not match:
        return None
    if match.group(3) is not None:
        seconds = int(match.group(3))
    else:
        seconds = int(match.group(1)) * 60 + int(match.group(2))
    return seconds if seconds <= MAX_CALL_SECONDS else None


class CallTimer(Static):
    """Shows the timed call, if any (hidden otherwise)."""

    def show(self, call: CallClock | None, now: datetime) -> None:
        self.set_class(call is not None, "-running")
        if call is None:
            return
        self.set_class(call.stopped_at is not None, "-stopped")
        text = clock_text(call.seconds(now))
        text = f" on call {text} " if call.stopped_at is None else f" call {text} ■ "
        self.update(text)
        self.place(len(text))

    def place(self, width: int) -> None:
        """On the card's top border, its right end two cells from the corner."""
        parent = self.parent
        if isinstance(parent, Widget):
            x = max(0, parent.size.width - width - 2)
            if self.styles.offset.x.value != x:
                self.styles.offset = (x, 0)

    def on_resize(self) -> None:
        self.place(len(str(self.render())))


class TalkTime(Input):
    """The outcome prompt's talk time, prefilled from the timer for the rep to correct."""

    def __init__(self, seconds: int, *, id: str | None = None) -> None:
        super().__init__(
            value=clock_text(seconds), placeholder="m:ss", id=id, tooltip=TALK_EXPECTED
        )
        self.timed = seconds

    @property
    def seconds(self) -> int | None:
        """What the field says, in seconds (None: not a talk time)."""
        return parse_talk(self.value)

    @property
    def typed(self) -> int | None:
        """The seconds the rep typed over the timer's (None: left as timed)."""
        seconds = self.seconds
        return None if seconds == self.timed else seconds
