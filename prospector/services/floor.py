"""The floor: every rep's state and time in it, current lead, and today against the goal.

Read in two indexed queries, so a team lead's screen can refresh it every few
seconds: the open ``rep_states`` rows with each rep's held lead (``contacts_by_claim``),
then today's dials (``call_stats_daily``, by team day) and meetings (handoffs
created today, ``handoffs_by_created``) per rep.

The reps shown are those with a state, except the ones offline since before today
who did nothing today, and anyone who dialed or set a meeting today without a
state (offline, since the start of the day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database
from prospector.services import rep_states
from prospector.services.reports.periods import day_start, team_day, team_day_bounds
from prospector.services.settings import Settings
from prospector.services.windows import current_settings


@dataclass(frozen=True)
class FloorRep:
    """One rep on the floor as of ``now``."""

    rep: str
    state: str
    code: str | None  # the pause code while paused
    label: str | None  # the pause code's label
    since: datetime
    seconds_in_state: int
    overdue: bool  # paused past the code's max_minutes
    contact_id: int | None  # the lead held (or being called)
    lead: str | None  # its name
    company: str | None
    dials: int
    meetings: int
    goal_dials: int
    goal_meetings: int

    def to_json(self, zone) -> dict[str, Any]:
        """The keys of ``prospector floor --json`` (``since`` in the team's zone)."""
        return {
            "rep": self.rep,
            "state": self.state,
            "code": self.code,
            "label": self.label,
            "since": self.since.astimezone(zone).isoformat(timespec="seconds"),
            "seconds_in_state": self.seconds_in_state,
            "overdue": self.overdue,
            "contact_id": self.contact_id,
            "lead": self.lead,
            "company": self.company,
            "dials": self.dials,
            "meetings": self.meetings,
            "goal": {"dials": self.goal_dials, "meetings": self.goal_meetings},
        }


def floor(db: Database, now: datetime, *, settings: Settings | None = None) -> list[FloorRep]:
    """Every rep on the floor now, by name."""
    settings = settings or current_settings(db)
    zone = settings.team.zone
    day = team_day(now, zone)
    start, end = team_day_bounds(day, zone)
    limit = rep_states.quiet_limit(settings)
    stamp = to_db(now)
    seen: dict[str, tuple[rep_states.RepState, Any]] = {}
    for stay in db.query(
        """SELECT s.rep, s.state, s.code, s.contact_id, s.started_at, s.seen_at,
                  c.id AS lead_id, c.first_name, c.last_name, a.name AS company
           FROM rep_states s
           LEFT JOIN contacts c ON c.id = (
               SELECT h.id FROM contacts h
               WHERE h.claimed_by = s.rep AND h.claim_expires_at > :now
               ORDER BY h.dialed_at IS NULL, h.claim_expires_at DESC LIMIT 1)
           LEFT JOIN accounts a ON a.id = c.account_id
           WHERE s.ended_at IS NULL""",
        {"now": stamp},
    ):
        seen[stay["rep"]] = (rep_states.from_open_row(stay, now, limit), stay)
    done: dict[str, list[int]] = {}
    for count in db.query(
        """SELECT rep, sum(dials) AS dials, 0 AS meetings FROM call_stats_daily
           WHERE team_day = :day GROUP BY rep
           UNION ALL
           SELECT inside_rep, 0, count(*) FROM handoffs
           WHERE created_at >= :start AND created_at < :end GROUP BY inside_rep""",
        {"day": day.isoformat(), "start": start, "end": end},
    ):
        counts = done.setdefault(count[0], [0, 0])
        counts[0] += int(count[1])
        counts[1] += int(count[2])
    morning = day_start(day, zone)
    reps = []
    for name in sorted(set(seen) | set(done)):
        dials, meetings = done.get(name, (0, 0))
        row: Any = None
        if name in seen:
            state, row = seen[name]
        else:  # worked today before any state was recorded
            state = rep_states.RepState(name, rep_states.OFFLINE, morning, None, None, morning)
        if state.state == rep_states.OFFLINE and state.since < morning and name not in done:
            continue
        reps.append(_floor_rep(state, row, now, dials, meetings, settings))
    return reps


def _floor_rep(state, row, now: datetime, dials: int, meetings: int, settings: Settings):
    # A code taken out of the settings since still shows, without a label or limit.
    pause = next((p for p in settings.pause_codes if p.code == state.code), None)
    in_state = state.seconds_in_state(now)
    lead_id = row["lead_id"] if row is not None and state.state != rep_states.OFFLINE else None
    name = " ".join(p for p in (row["first_name"], row["last_name"]) if p) if lead_id else None
    goal = settings.daily_goal(state.rep)
    return FloorRep(
        rep=state.rep,
        state=state.state,
        code=state.code,
        label=pause.label if pause else None,
        since=state.since,
        seconds_in_state=in_state,
        overdue=bool(pause and pause.max_minutes and in_state > pause.max_minutes * 60),
        contact_id=lead_id if lead_id is not None else state.contact_id,
        lead=name or None,
        company=row["company"] if lead_id else None,
        dials=dials,
        meetings=meetings,
        goal_dials=goal.dials,
        goal_meetings=goal.meetings,
    )


STATE_WORDS = {
    rep_states.READY: "Ready",
    rep_states.ON_CALL: "On call",
    rep_states.WRAP_UP: "Wrap-up",
    rep_states.PAUSED: "Paused",
    rep_states.OFFLINE: "Offline",
}
COLUMNS = ("Rep", "State", "For", "Since", "Lead", "Dials", "Mtgs")


def time_in_state(seconds: int) -> str:
    """``4:05`` (minutes:seconds), ``1:02:09`` past an hour: it ticks on screen."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def state_text(rep: FloorRep) -> str:
    """``Ready``, ``Paused: Lunch`` (``!`` once past the code's limit)."""
    if rep.state != rep_states.PAUSED:
        return STATE_WORDS[rep.state]
    return f"Paused: {rep.label or rep.code}" + (" !" if rep.overdue else "")


def cells(rep: FloorRep, zone) -> tuple[str, ...]:
    """One rep's row as text, in :data:`COLUMNS` order."""
    lead = ", ".join(part for part in (rep.lead, rep.company) if part) or "–"
    return (
        rep.rep,
        state_text(rep),
        time_in_state(rep.seconds_in_state),
        f"{rep.since.astimezone(zone):%H:%M}",
        lead,
        f"{rep.dials}/{rep.goal_dials}",
        f"{rep.meetings}/{rep.goal_meetings}",
    )


def floor_text(reps: list[FloorRep], now: datetime) -> str:
    """The floor as a plain-text table (``floor --watch``), headed by the time in ``now``'s zone."""
    table = [COLUMNS, *(cells(rep, now.tzinfo) for rep in reps)]
    widths = [max(len(row[n]) for row in table) for n in range(len(COLUMNS))]
    lines = [f"floor at {now:%a %d %b %H:%M:%S %Z} · {len(reps)} reps"]
    for row in table:
        lines.append(
            "  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)).rstrip()
        )
    if not reps:
        lines.append("(no rep has been at a desk today)")
    return "\n".join(lines)
