"""Why a prospect cannot be called at an instant, in words a rep reads before saving.

A callback or a meeting typed for a time the calling window does not allow is not
forbidden (the prospect may have asked for it), but the rep is told why it is
unusual: the holiday's name, the weekend, before the day starts, lunch, after it ends.
"""

from __future__ import annotations

from datetime import datetime

from prospector.services.public_holidays import holiday_name
from prospector.services.settings import Settings
from prospector.services.windows import DailyWindow, Locale, daily_window, known_zones

OUTSIDE = "outside the prospect's calling window"


def closed_reason(locale: Locale, instant: datetime, settings: Settings) -> str | None:
    """Why ``locale`` is closed at ``instant`` ("Thanksgiving Day: nobody is called that
    day", "before 09:00: outside the prospect's calling window"), None when it is open.

    With several candidate zones the first zone that is closed gives the reason, named
    after it (the window must be open in every one).
    """
    zones = known_zones(locale)
    if not zones:
        return f"unknown time zone: {OUTSIDE}"
    window = daily_window(locale, settings)
    for place in zones:
        local = instant.astimezone(place)
        if window.open_at(local):
            continue
        where = f" in {place.key}" if len(zones) > 1 else ""
        day = local.date()
        name = holiday_name(window.holidays, window.country, window.state, day)
        if name is not None:
            what = "a day the team is closed" if name == "closed" else name
            return f"{what}{where}: nobody is called that day"
        return f"{_hours_reason(window, local)}{where}: {OUTSIDE}"
    return None


def _hours_reason(window: DailyWindow, local: datetime) -> str:
    weekday = local.weekday()
    if weekday not in window.days:
        return "weekend" if weekday >= 5 else f"no calls on {local:%A}s"
    if not window.intervals:
        return "no calling hours"
    clock = local.time()
    if clock < window.intervals[0][0]:
        return f"before {window.intervals[0][0]:%H:%M}"
    if clock >= window.intervals[-1][1]:
        return f"after {window.intervals[-1][1]:%H:%M}"
    return "lunch"
