"""The queue forecast: how much callable work each rep and the team have left.

Definitions (the CLI's help and the README say the same):

* **Reps**: those with a territory in the settings and those who logged a call in
  the last 14 days. A rep sees the locales of their territory (all without one);
  the team sees what any of its reps sees (everything when a rep has no territory,
  or when no rep is known).
* **Callable now**: what ``queue``/``next`` would offer at this instant: open, not
  DNC (flag or list), not filtered, phone not bad, not held on a standby list, due
  (``next_call_at``, a skipped lead's ``deferred_until``) and its window open now
  (days, hours, lunch, state rules, holidays). A rep does not count another rep's
  personal callback inside its grace period, nor a contact another rep holds.
* **Work left today** (dials): each workable contact due before its window's last
  close of its local day, counted at most ``calling.max_dials_per_day`` minus its
  dials so far that local day, and at most its tier's attempts left; the
  contacts becoming due later today count when their window is still open after.
  Hours = dials x the team's minutes per dial / 60.
* **Tomorrow** (dials): the next team day (a ``calling.days`` day in the team's zone
  that is not a closed date): each workable contact due by that day's last close in
  its locale, where the locale calls that day, at most ``max_dials_per_day`` and its
  attempts left (as if today's work were not done).
* **Minutes per dial**: over the last 14 team days (today included), each rep's span
  per day (first to last dial) summed, divided by the dials of those days; with no
  span measured, ``calling.minutes_per_dial`` (default 3).
* **SLAs**: new leads not dialed yet (workable, not held) whose first-touch deadline
  falls in [now, now + 1 h), and those already overdue, counted apart.
* **Next window**: when none of the rep's locales holding workable contacts is open
  now, the first instant one opens.

How it stays fast at a million contacts: one grouped SQL count of the workable
contacts per locale, tier, attempts used, callback owner and due time, the due time
only as which of a few boundaries (the windows' last closes today and tomorrow) it
falls before; windows are decided per locale in Python. Contacts dialed
in the last two days (few: a team's dials) are grouped one by one, so their dials
today are counted exactly from the calls table.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prospector.foundations.clock import from_db, to_db, to_db_or_none
from prospector.foundations.db import Database
from prospector.foundations.errors import ProspectorError
from prospector.services import standby
from prospector.services.queue import CALLABLE, NOT_ON_DNC_LIST, territory_locale_ids
from prospector.services.settings import DAY_NAMES, Settings
from prospector.services.settings.reader import parse_duration
from prospector.services.windows import (
    Locale,
    all_locales,
    current_settings,
    daily_window,
    is_open,
    next_open,
    open_stretches,
)

HISTORY_DAYS = 14
TEAM = "TEAM"
WORKABLE = f"{CALLABLE} AND c.standby_list IS NULL"


@dataclass(frozen=True)
class Pace:
    """Minutes per dial, and where the figure comes from."""

    minutes_per_dial: float
    measured: bool
    dials: int = 0
    days: int = 0

    def describe(self) -> str:
        if self.measured:
            return (
                f"{self.minutes_per_dial:.1f} min per dial, measured over {self.dials} dials"
                f" on {self.days} rep-days of the last {HISTORY_DAYS} team days"
            )
        return f"{self.minutes_per_dial:g} min per dial (calling.minutes_per_dial: no history)"


@dataclass(frozen=True)
class Workload:
    """One rep's (or the team's) figures."""

    who: str
    callable_now: int
    dials_today: int
    dials_tomorrow: int
    sla_next_hour: int
    sla_overdue: int
    open_now: bool
    next_window: datetime | None
    pace: Pace = field(repr=False)

    @property
    def hours_today(self) -> float:
        return self.dials_today * self.pace.minutes_per_dial / 60

    def under(self, threshold: timedelta) -> bool:
        """Is the work left today under ``threshold``?"""
        return self.hours_today * 3600 < threshold.total_seconds()

    @property
    def hours_tomorrow(self) -> float:
        return self.dials_tomorrow * self.pace.minutes_per_dial / 60

    def to_json(self) -> dict:
        return {
            "rep": self.who,
            "callable_now": self.callable_now,
            "dials_today": self.dials_today,
            "hours_today": round(self.hours_today, 2),
            "dials_tomorrow": self.dials_tomorrow,
            "hours_tomorrow": round(self.hours_tomorrow, 2),
            "sla_due_next_hour": self.sla_next_hour,
            "sla_overdue": self.sla_overdue,
            "window_open": self.open_now,
            "next_window_at": to_db_or_none(self.next_window),
        }


@dataclass(frozen=True)
class Forecast:
    now: datetime
    pace: Pace
    tomorrow: date
    reps: tuple[Workload, ...]
    team: Workload

    def to_json(self) -> dict:
        return {
            "at": to_db(self.now),
            "minutes_per_dial": round(self.pace.minutes_per_dial, 2),
            "pace_measured": self.pace.measured,
            "tomorrow": self.tomorrow.isoformat(),
            "reps": [rep.to_json() for rep in self.reps],
            "team": self.team.to_json(),
        }


@dataclass(frozen=True)
class _Group:
    """Workable contacts sharing everything the figures depend on."""

    locale_id: int
    tier: str | None
    used: int  # attempts in the current cycle
    due_before: datetime | None  # None: due now; else due before this boundary, after the last
    personal_rep: str | None  # a personal callback still inside its grace period
    holder: str | None  # a live claim
    dials_today: int
    contacts: int


def known_reps(db: Database, now: datetime, settings: Settings) -> list[str]:
    """Reps with a territory, and reps who logged a call in the last 14 days."""
    since = to_db(now - timedelta(days=HISTORY_DAYS))
    callers = {row[0] for row in db.query("SELECT DISTINCT rep FROM calls WHERE at >= ?", (since,))}
    return sorted(set(settings.territories) | callers)


def team_days(now: datetime, settings: Settings) -> tuple[date, date]:
    """Today in the team's zone, and the next team day (a calling day, not closed)."""
    today = now.astimezone(settings.team.zone).date()
    days = {DAY_NAMES.index(day) for day in settings.calling.days}
    day = today + timedelta(days=1)
    for _ in range(366):
        if day.weekday() in days and day not in settings.calling.holidays.closed:
            break
        day += timedelta(days=1)
    return today, day


def measured_pace(db: Database, now: datetime, settings: Settings) -> Pace:
    """Minutes per dial from the daily call counts (see the module doc)."""
    today = now.astimezone(settings.team.zone).date()
    first = (today - timedelta(days=HISTORY_DAYS - 1)).isoformat()
    span = dials = days = 0
    for row in db.query(
        """SELECT team_day, rep, min(first_at) AS first_at, max(last_at) AS last_at,
                  sum(dials) AS dials
           FROM call_stats_daily WHERE team_day >= ? AND team_day <= ?
           GROUP BY team_day, rep""",
        (first, today.isoformat()),
    ):
        span += int((from_db(row["last_at"]) - from_db(row["first_at"])).total_seconds())
        dials += int(row["dials"])
        days += 1
    if span <= 0 or dials <= 0:
        return Pace(settings.calling.minutes_per_dial, measured=False)
    return Pace(span / 60 / dials, measured=True, dials=dials, days=days)


def _day_bounds(locale: Locale, day: date) -> tuple[datetime, datetime]:
    try:
        zone = locale.primary_zone
    except (ZoneInfoNotFoundError, ValueError):  # never open (windows.is_open): any day will do
        zone = ZoneInfo("UTC")
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


def _last_close(locale: Locale, start: datetime, end: datetime, settings: Settings):
    """The end of the last open stretch in [start, end), or None when none opens."""
    stretches = list(open_stretches(locale, start, end, settings))
    return stretches[-1][1] if stretches else None


def _groups(
    db: Database,
    now: datetime,
    boundaries: list[datetime],
    settings: Settings,
    locales: dict[int, Locale],
) -> list[_Group]:
    """The workable contacts counted by what the figures depend on (one scan).

    A contact due later is counted by the first of ``boundaries`` (the windows' last
    closes today and tomorrow, then the horizon) it is due before: whether it can be
    called before a close is all the figures ask of its due time.
    """
    recent = to_db(now - timedelta(days=2))
    grace = to_db(now - timedelta(minutes=settings.calling.callback_grace_minutes))
    due = db.dialect.greatest("c.next_call_at", "coalesce(c.deferred_until, c.next_call_at)")
    params = {"now": to_db(now), "recent": recent, "grace": grace}
    buckets = []
    for index, boundary in enumerate(boundaries):
        params[f"b{index}"] = to_db(boundary)
        buckets.append(f"WHEN {due} < :b{index} THEN {index}")
    horizon = f":b{len(boundaries) - 1}"
    rows = db.query(
        f"""SELECT c.locale_id, c.tier, c.attempts - c.cycle_attempts_base AS used,
                   CASE WHEN {due} <= :now THEN -1 {" ".join(buckets)} END AS bucket,
                   CASE WHEN c.callback_rep IS NOT NULL AND c.callback_at > :grace
                        THEN c.callback_rep END AS personal_rep,
                   CASE WHEN c.claimed_by IS NOT NULL AND c.claim_expires_at > :now
                        THEN c.claimed_by END AS holder,
                   CASE WHEN c.last_dial_at >= :recent THEN c.id END AS recent_id,
                   count(*) AS n
            FROM contacts c
            WHERE {WORKABLE} AND {due} < {horizon} AND {NOT_ON_DNC_LIST}
            GROUP BY 1, 2, 3, 4, 5, 6, 7""",
        params,
    )
    recent_calls: dict[int, list[datetime]] = defaultdict(list)
    if any(row["recent_id"] is not None for row in rows):
        for call in db.query("SELECT contact_id, at FROM calls WHERE at >= ?", (recent,)):
            recent_calls[int(call[0])].append(from_db(call[1]))
    groups = []
    for row in rows:
        dials_today = 0
        if row["recent_id"] is not None:
            locale = locales[int(row["locale_id"])]
            start, end = _day_bounds(locale, now.astimezone(locale.primary_zone).date())
            dials_today = sum(start <= at < end for at in recent_calls[int(row["recent_id"])])
        groups.append(
            _Group(
                int(row["locale_id"]),
                row["tier"],
                int(row["used"]),
                None if row["bucket"] < 0 else boundaries[int(row["bucket"])],
                row["personal_rep"],
                row["holder"],
                dials_today,
                int(row["n"]),
            )
        )
    return groups


def _sla_counts(db: Database, now: datetime) -> dict[int, tuple[int, int]]:
    """Per locale: (new leads due within the hour, overdue) among undialed workable leads."""
    counts: dict[int, tuple[int, int]] = {}
    for row in db.query(
        f"""SELECT c.locale_id, sum(CASE WHEN c.sla_due_at < :now THEN 1 ELSE 0 END) AS overdue,
                   sum(CASE WHEN c.sla_due_at >= :now THEN 1 ELSE 0 END) AS soon
            FROM contacts c
            WHERE c.first_dial_at IS NULL AND {WORKABLE} AND c.sla_due_at < :hour
              AND {NOT_ON_DNC_LIST}
            GROUP BY c.locale_id""",
        {"now": to_db(now), "hour": to_db(now + timedelta(hours=1))},
    ):
        counts[int(row["locale_id"])] = (int(row["soon"]), int(row["overdue"]))
    return counts


def forecast(db: Database, *, now: datetime, settings: Settings | None = None) -> Forecast:
    """The forecast for every known rep and the team at ``now``."""
    settings = settings or current_settings(db)
    now = now.astimezone(UTC)
    pace = measured_pace(db, now, settings)
    _, tomorrow = team_days(now, settings)
    locales = {locale.id: locale for locale in all_locales(db)}
    max_per_day = settings.calling.max_dials_per_day

    @functools.cache
    def today_close(locale_id: int) -> datetime | None:
        locale = locales[locale_id]
        _, end = _day_bounds(locale, now.astimezone(locale.primary_zone).date())
        return _last_close(locale, now, end, settings)

    @functools.cache
    def tomorrow_close(locale_id: int) -> datetime | None:
        locale = locales[locale_id]
        if not daily_window(locale, settings).calls_on(tomorrow):
            return None
        return _last_close(locale, *_day_bounds(locale, tomorrow), settings)

    @functools.cache
    def open_now(locale_id: int) -> bool:
        return is_open(locales[locale_id], now, settings)

    # Contacts due after the last window of tomorrow do not count: the horizon.
    horizon = max(
        [_day_bounds(locale, tomorrow)[1] for locale in locales.values()] or [now]
    ) + timedelta(days=1)
    closes = {today_close(i) for i in locales} | {tomorrow_close(i) for i in locales}
    boundaries = sorted({close for close in closes if close is not None} | {horizon})
    groups = _groups(db, now, boundaries, settings, locales)
    sla = _sla_counts(db, now)

    def before(group: _Group, close: datetime | None) -> bool:
        """Can the group be called before ``close`` (a boundary, or None: no window)?"""
        return close is not None and (group.due_before is None or group.due_before <= close)

    def attempts_left(group: _Group) -> int:
        tier = settings.tier(group.tier)
        return max_per_day if tier is None else max(0, tier.max_attempts - group.used)

    def workload(who: str, sees: frozenset[int] | None, rep: str | None) -> Workload:
        now_count = today = later = 0
        with_work: set[int] = set()
        for group in groups:
            if sees is not None and group.locale_id not in sees:
                continue
            if rep is not None and group.personal_rep not in (None, rep):
                continue
            with_work.add(group.locale_id)
            left = attempts_left(group)
            if (
                group.due_before is None
                and open_now(group.locale_id)
                and left > 0
                and (rep is None or group.holder in (None, rep))
            ):
                now_count += group.contacts
            if before(group, today_close(group.locale_id)):
                today += group.contacts * max(0, min(max_per_day - group.dials_today, left))
            if before(group, tomorrow_close(group.locale_id)):
                later += group.contacts * min(max_per_day, left)
        soon = overdue = 0
        for locale_id, (s, o) in sla.items():
            if sees is None or locale_id in sees:
                soon, overdue = soon + s, overdue + o
        is_open_now = any(open_now(locale_id) for locale_id in with_work)
        next_window = None
        if not is_open_now:
            openings = [
                opened
                for locale_id in with_work
                if (opened := next_open(locales[locale_id], now, settings)) is not None
            ]
            next_window = min(openings, default=None)
        return Workload(who, now_count, today, later, soon, overdue, is_open_now, next_window, pace)

    reps = known_reps(db, now, settings)
    mark = (max(locales, default=None), len(locales))  # as windows.LOCALES_MARK reads it
    territories = {rep: territory_locale_ids(db, rep, settings, locales=mark) for rep in reps}
    if not reps or any(ids is None for ids in territories.values()):
        team_sees: frozenset[int] | None = None
    else:
        team_sees = frozenset().union(*(ids for ids in territories.values() if ids))
    return Forecast(
        now,
        pace,
        tomorrow,
        tuple(workload(rep, territories[rep], rep) for rep in reps),
        workload(TEAM, team_sees, None),
    )


def refill(db: Database, *, now: datetime, actor: str, settings: Settings | None = None,
           work: Forecast | None = None) -> list[tuple[str, int]]:  # fmt: skip
    """Open the next standby list when the team's work left today is under
    ``calling.refill_below``; returns the (list, contacts released) opened, if any.

    One list per check: the next check sees the work the opened list added.
    """
    settings = settings or current_settings(db)
    threshold = settings.calling.refill_below
    if threshold is None:
        return []
    waiting = standby.unopened(db, settings)
    if not waiting:
        return []
    work = work or forecast(db, now=now, settings=settings)
    if not work.team.under(threshold.as_timedelta()):
        return []
    hours = work.team.hours_today
    name = waiting[0].name
    reason = f"team work left today {hours:.1f} h is under calling.refill_below {threshold}"
    with db.write_or_join():
        released = standby.open_list(db, name, now=now, actor=actor, reason=reason)
    return [] if released is None else [(name, released)]


def parse_work_duration(text: str) -> timedelta:
    """A threshold as settings spell durations, in minutes or hours ("90m", "2h").

    Raises:
        ProspectorError: anything else, in one line.
    """
    duration = parse_duration(text)
    if duration is None or duration.unit not in ("m", "h") or not 1 <= duration.amount <= 9999:
        raise ProspectorError(
            f'{text[:40]!r} is not a duration (expected minutes or hours, like "90m" or "2h")'
        )
    return duration.as_timedelta()


def alert_line(work: Forecast, threshold: timedelta, waiting: list[str]) -> str | None:
    """The alert's one line when the team's work left today is under ``threshold``."""
    if not work.team.under(threshold):
        return None
    hours = work.team.hours_today
    limit = f"{threshold.total_seconds() / 3600:g} h"
    after = f"next standby list: {waiting[0]}" if waiting else "no standby list left"
    return f"team work left today {hours:.1f} h is under {limit}; {after}"
