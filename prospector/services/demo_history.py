"""Six weeks of a five-rep team's calling (and the first hour of the demo's own day),
written into the demo database at build time.

So that a team lead's first look at the demo (``prospector dashboard``, ``report``)
shows real figures: each working day new leads arrive (a morning list, inbound
leads through the day), five reps dial from about 09:00 to 17:00 with lunch,
reach people at believable rates, set callbacks and meetings, and the CRM answers
the handoffs a few days later (accepted, rejected, some won or lost). A few
inbound leads wait too long and miss their first-touch SLA.

Everything goes through the services a team uses, with their clock pinned to the
moment: :class:`.importing.leads.LeadWriter` for the leads, as ``prospector add`` and
the intake endpoint write them (so tiers, SLA deadlines and lead cohorts are the
importer's), :func:`.call_outcomes.log_outcome` for every call
and meeting (so the report summaries are kept as calls are logged),
:func:`.export.runner.export_pending` and :func:`.crm_answers.acks.ack_handoffs`
for the CRM round trip. One :class:`random.Random` seeded with :data:`SEED` draws
everything, so every build writes the same history. The history's contacts are
its own (generated) accounts and contacts; the demo list's leads are left new for
the rep's first session.
"""

from __future__ import annotations

import csv
import heapq
import random
from collections import deque
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from prospector.foundations.db import Database
from prospector.services import rep_states
from prospector.services.call_outcomes import HandoffAnswers, log_outcome
from prospector.services.calls import log_call
from prospector.services.crm_answers.acks import ack_handoffs
from prospector.services.export.runner import export_pending
from prospector.services.importing.leads import LeadWriter
from prospector.services.settings import Settings
from prospector.services.windows import Locale, current_settings, next_open

SEED = 16
HISTORY_REPS = ("ana", "ben", "chloe", "dev", "erin")
WEEKS = 6
NEW_YORK = ZoneInfo("America/New_York")

# Eastern-time states, with area codes, so the team's day is the leads' day.
_STATES = (
    ("NY", ("212", "646", "718", "516")), ("MA", ("617", "508")), ("PA", ("215", "412")),
    ("NJ", ("201", "973")), ("GA", ("404", "770")), ("FL", ("305", "407")),
    ("OH", ("216", "614")), ("NC", ("704", "919")), ("VA", ("703", "804")),
)  # fmt: skip
_FIRST = (
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "Mateo", "Isabella",
    "Lucas", "Mia", "Levi", "Amelia", "Asher", "Harper", "James", "Evelyn", "Leo",
    "Nora", "Ezra", "Grace", "Omar", "Priya", "Wei", "Fatima", "Diego", "Hana", "Kofi",
)  # fmt: skip
_LAST = (
    "Smith", "Johnson", "Garcia", "Brown", "Davis", "Miller", "Wilson", "Moore",
    "Taylor", "Thomas", "Lee", "Harris", "Clark", "Lewis", "Walker", "Young", "King",
    "Nguyen", "Patel", "Kim", "Okafor", "Rossi", "Schmidt", "Cohen", "Murphy", "Silva",
)  # fmt: skip
_COMPANY_HEAD = (
    "Harbor", "Summit", "Maple", "Beacon", "Northwind", "Bluestone", "Cedar", "Ironwood",
    "Keystone", "Lakeside", "Pioneer", "Riverbend", "Silverline", "Trident", "Vantage",
)  # fmt: skip
_COMPANY_TAIL = (
    ("Logistics", "Transportation"), ("Health", "Healthcare"), ("Foods", "Food & Beverage"),
    ("Software", "Software"), ("Manufacturing", "Manufacturing"), ("Capital", "Finance"),
    ("Insurance", "Insurance"), ("Retail", "Retail"), ("Energy", "Energy"),
)  # fmt: skip
_TITLES = (
    "VP Operations", "IT Manager", "CFO", "Head of Procurement", "Director of IT",
    "COO", "Operations Manager", "CTO", "Controller",
)  # fmt: skip
_NEEDS = (
    "replace spreadsheets for dispatch", "one view of customers across sites",
    "cut month-end close time", "audit trail for compliance", "faster onboarding",
)  # fmt: skip
_BUDGETS = ("approved this quarter", "in next year's plan", "to be confirmed", "approved")

# (disposition, weight, talk seconds) for a dial; inbound leads set more meetings.
# About 23% of dials connect, 12% become conversations, 1.2% meetings.
_OUTCOMES = (
    ("no_answer", 50, (0, 0)), ("voicemail", 22, (20, 45)), ("busy", 5, (0, 0)),
    ("gatekeeper", 10, (20, 90)), ("callback", 3.5, (60, 240)),
    ("not_interested", 6, (45, 300)), ("not_a_fit", 1.5, (60, 300)),
    ("meeting_set", 1.2, (300, 900)), ("wrong_number", 1, (5, 20)),
    ("do_not_call", 0.3, (5, 30)),
)  # fmt: skip
_INBOUND_MEETINGS = 5  # meeting_set's weight for an inbound lead
_OBJECTED = frozenset({"callback", "not_interested", "meeting_set"})
_RINGING, _WRAP_UP = timedelta(seconds=20), timedelta(seconds=30)
_DIAL, _LEAD = "dial", "lead"  # history events besides the rep states


@dataclass(frozen=True)
class HistoryCounts:
    """What :func:`build_history` wrote."""

    days: int
    leads: int
    calls: int
    handoffs: int


@dataclass
class _Desk:
    """The history's own queue, per rep and lane, as the leads' due times move."""

    fresh: list[tuple[datetime, int]] = field(default_factory=list)  # by SLA deadline
    unseen: deque[tuple[datetime, datetime, int]] = field(default_factory=deque)
    retries: list[tuple[datetime, int]] = field(default_factory=list)
    callbacks: dict[str, list[tuple[datetime, int]]] = field(default_factory=dict)
    inbound: set[int] = field(default_factory=set)
    heard: dict[str, datetime] = field(default_factory=dict)  # each rep's last call logged

    def arrive(self, contact: int, sla_due: datetime, seen: datetime) -> None:
        """A new lead, in the queue by its SLA deadline once someone sees it at ``seen``."""
        self.unseen.append((seen, sla_due, contact))

    def pick(self, rep: str, at: datetime) -> int | None:
        """The rep's next contact at ``at``, in the queue's lane order: own callbacks,
        new leads by SLA deadline, retries by due time."""
        mine = self.callbacks.get(rep, [])
        if mine and mine[0][0] <= at:
            return heapq.heappop(mine)[1]
        for seen, sla_due, contact in [item for item in self.unseen if item[0] <= at]:
            self.unseen.remove((seen, sla_due, contact))
            heapq.heappush(self.fresh, (sla_due, contact))
        if self.fresh:
            return heapq.heappop(self.fresh)[1]
        if self.retries and self.retries[0][0] <= at:
            return heapq.heappop(self.retries)[1]
        return None


def working_days(start: datetime, settings: Settings) -> list[date]:
    """The team's working days in the :data:`WEEKS` weeks before ``start``, and
    ``start``'s own (New York's calling window opens on them: weekends and public
    holidays are left out)."""
    new_york = Locale(0, ("America/New_York",), "US", "NY")
    first = start.astimezone(NEW_YORK).date() - timedelta(weeks=WEEKS)
    days = []
    for offset in range(WEEKS * 7 + 1):
        day = first + timedelta(days=offset)
        morning = datetime.combine(day, time(8), NEW_YORK)
        opens = next_open(new_york, morning, settings)
        if opens is not None and opens.astimezone(NEW_YORK).date() == day:
            days.append(day)
    return days


def build_history(
    db: Database, *, start: datetime, folder: Path, taken: Iterable[str] = (), seed: int = SEED
) -> HistoryCounts:
    """Write the history before ``start`` into ``db`` (its export and answer files go in
    ``folder``); its leads' numbers are none of ``taken`` (10 digits: the demo list's)."""
    rng = random.Random(seed)
    settings = current_settings(db)
    days = working_days(start, settings)
    used_phones = set(taken)
    desk = _Desk()
    writer = LeadWriter(db, settings=settings)
    leads = calls = handoffs = 0
    answers_due: list[_Answer] = []
    # Leads and plain calls are written many to a transaction (the build's speed); a
    # meeting set (log_outcome's own transaction), an export or an ack ends the run.
    with _Batches(db) as batches:
        for day in days:
            # The start's day: its first hour's calls (the dashboard opens on "today"
            # with figures); its morning list is the demo list, imported at the start.
            today = day == start.astimezone(NEW_YORK).date()
            morning = _at(day, 7, 30)
            rows = [_lead(rng, used_phones, rng.choice(("list", "purchased", "webinar")))
                    for _ in range(0 if today else rng.randint(55, 80))]  # fmt: skip
            batches.join()
            for contact, sla_due in _arrive(writer, rows, morning):
                desk.arrive(contact, sla_due, morning)
            leads += len(rows)
            arrivals: list[tuple[datetime, str | None, str]] = [
                (_at(day, 8) + timedelta(minutes=rng.uniform(0, 570)), None, _LEAD)
                for _ in range(rng.randint(4, 9))
            ]
            for at, rep, kind in sorted([*arrivals, *_dial_plan(rng, day)], key=_event_order):
                if at >= start:
                    break
                if rep is not None and kind != _DIAL:  # lunch, back from it, gone home
                    batches.join()
                    code = "lunch" if kind == rep_states.PAUSED else None
                    rep_states.enter(db, rep, kind, at, code=code, settings=settings)
                    continue
                if rep is None:
                    batches.join()
                    row = _lead(rng, used_phones, "inbound", employees=rng.choice((250, 400, 1200)))
                    [(contact, sla_due)] = _arrive(writer, [row], at)
                    leads += 1
                    desk.inbound.add(contact)
                    # Now and then nobody looks at the new lead for a while: a missed SLA.
                    late = rng.random() < 0.1
                    wait = timedelta(hours=rng.uniform(1.2, 4)) if late else timedelta()
                    desk.arrive(contact, sla_due, at + wait)
                    continue
                picked = desk.pick(rep, at)
                if picked is None:
                    continue
                calls += 1
                made = _call(db, rng, desk, batches, picked, rep=rep, at=at, settings=settings)
                if made is not None:
                    handoffs += 1
                    answers_due.extend(_crm_plan(rng, *made, at))
            batches.end()
            if not today:
                _close_the_day(db, folder, day, answers_due)
    return HistoryCounts(len(days), leads, calls, handoffs)


def _event_order(event: tuple[datetime, str | None, str]) -> tuple[datetime, str, str]:
    return event[0], event[1] or "", event[2]


class _Batches:
    """Runs of writes in one transaction each; leaving the ``with`` on an error rolls
    the open run back."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.stack = ExitStack()
        self.open = False

    def join(self) -> None:
        if not self.open:
            self.stack.enter_context(self.db.write())
            self.open = True

    def end(self) -> None:
        self.stack.close()
        self.open = False

    def __enter__(self) -> _Batches:
        return self

    def __exit__(self, *error: object) -> None:
        self.open = False
        self.stack.__exit__(*error)  # type: ignore[arg-type]


def _call(
    db: Database, rng: random.Random, desk: _Desk, batches: _Batches, contact: int, *,
    rep: str, at: datetime, settings: Settings,
) -> tuple[int, int] | None:  # fmt: skip
    """Log one dial; returns the handoff it made and its amount, if any."""
    inbound = contact in desk.inbound
    weights = [
        _INBOUND_MEETINGS if inbound and code == "meeting_set" else weight
        for code, weight, _ in _OUTCOMES
    ]
    code, _, (shortest, longest) = rng.choices(_OUTCOMES, weights)[0]
    answers, callback, amount = None, None, 0
    if code == "meeting_set":
        amount = rng.randrange(4, 24) * 250
        meeting = _at(_weekday_after(at.date(), rng.randint(2, 8)), rng.choice((10, 11, 14, 15)))
        answers = HandoffAnswers(
            meeting=meeting,
            amount=amount,
            budget=rng.choice(_BUDGETS),
            need=rng.choice(_NEEDS),
            timeline=rng.choice(("this quarter", "next quarter", "within 6 months")),
        )
    elif code == "callback":
        callback = _at(_weekday_after(at.date(), rng.randint(1, 4)), rng.randint(9, 16),
                       rng.choice((0, 15, 30, 45)))  # fmt: skip
    duration = rng.randint(shortest, longest)
    # Conversations often meet an objection or two, tagged as the rep would (``o``).
    heard = [o.key for o in settings.objections if code in _OBJECTED and rng.random() < 0.3]
    # The rep's states around the call: on the phone from the dial (ringing, then the
    # talk) to the hangup, wrapping up until it is logged at ``at``.
    hangup = at - _WRAP_UP
    dialed = max(hangup - timedelta(seconds=duration) - _RINGING,
                 desk.heard.get(rep, at - timedelta(hours=1)) + timedelta(seconds=1))  # fmt: skip
    batches.join()
    rep_states.enter(db, rep, rep_states.ON_CALL, dialed, contact_id=contact, settings=settings)
    rep_states.enter(db, rep, rep_states.WRAP_UP, hangup, contact_id=contact, settings=settings)
    desk.heard[rep] = at
    handoff = None
    if answers is not None:
        batches.end()
        outcome = log_outcome(
            db, contact, code, rep=rep, now=at, answers=answers, duration=duration,
            tags=tuple(heard[:2]), settings=settings,
        )  # fmt: skip
        call, handoff = outcome.call, outcome.handoff
    else:
        batches.join()
        call = log_call(
            db, contact, code, rep=rep, now=at, callback=callback, duration=duration,
            tags=tuple(heard[:2]), settings=settings,
        )  # fmt: skip
    if call.status == "open" and call.next_call_at is not None:
        if callback is not None:
            heapq.heappush(desk.callbacks.setdefault(rep, []), (call.next_call_at, contact))
        else:
            heapq.heappush(desk.retries, (call.next_call_at, contact))
    return (handoff.id, amount) if handoff is not None else None


@dataclass(frozen=True, order=True)
class _Answer:
    """The CRM's answer on a handoff, due at ``at``."""

    at: datetime
    handoff: int
    status: str
    amount: int | None = None
    reason: str = ""


def _crm_plan(rng: random.Random, handoff: int, amount: int, at: datetime) -> list[_Answer]:
    """What the CRM will answer, and when: most handoffs accepted within days, some
    rejected; of the accepted, some won (for about the amount given) and some lost
    weeks later."""
    answered = at + timedelta(days=rng.randint(1, 4), hours=rng.uniform(-3, 3))
    if rng.random() < 0.18:
        reason = rng.choice(("no budget", "already a customer", "too small"))
        return [_Answer(answered, handoff, "rejected", reason=reason)]
    plan = [_Answer(answered, handoff, "accepted")]
    closing = rng.random()
    if closing < 0.3:
        won = int(round(amount * rng.uniform(0.7, 1.3), -2))
        plan.append(_Answer(answered + timedelta(days=rng.randint(10, 30)), handoff, "won", won))
    elif closing < 0.45:
        plan.append(_Answer(answered + timedelta(days=rng.randint(7, 25)), handoff, "lost"))
    return plan


def _close_the_day(db: Database, folder: Path, day: date, answers_due: list[_Answer]) -> None:
    """17:30: the day's handoffs go to the CRM (a CSV export); 17:45: its answers due
    by then come back (an ack file, as ``handoffs ack`` reads it)."""
    export_pending(db, now=_at(day, 17, 30), actor="lead", format="csv", out_dir=folder)
    now = _at(day, 17, 45)
    due = [answer for answer in answers_due if answer.at <= now]
    if not due:
        return
    answers_due[:] = [answer for answer in answers_due if answer.at > now]
    latest = {answer.handoff: answer for answer in sorted(due)}  # one a handoff: the latest
    path = folder / f"answers-{day.isoformat()}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("handoff_id", "status", "crm_amount", "crm_close_date", "reason"))
        for handoff, answer in sorted(latest.items()):
            closed = answer.status in ("won", "lost")
            amount = "" if answer.amount is None else f"{answer.amount:.2f}"
            writer.writerow(
                (handoff, answer.status, amount, day.isoformat() if closed else "", answer.reason)
            )
    ack_handoffs(db, path, now=now)


def _dial_plan(rng: random.Random, day: date) -> list[tuple[datetime, str | None, str]]:
    """Each rep's dial times that day: a start near 09:00, lunch, an end near 17:00,
    a dial every few minutes (ringing, talk and wrap-up); a rep off now and then.
    With them, the rep's lunch pause, return and going home (rep states)."""
    plan: list[tuple[datetime, str | None, str]] = []
    for rep in HISTORY_REPS:
        if rng.random() < 0.05:
            continue  # a day off
        at = _at(day, 9) + timedelta(minutes=rng.uniform(-5, 35))
        lunch = _at(day, 12) + timedelta(minutes=rng.uniform(0, 90))
        back = lunch + timedelta(minutes=rng.uniform(30, 60))
        end = _at(day, 16, 40) + timedelta(minutes=rng.uniform(0, 40))
        plan += [(lunch, rep, rep_states.PAUSED), (back, rep, rep_states.READY),
                 (end, rep, rep_states.OFFLINE)]  # fmt: skip
        while at < end:
            if not lunch <= at < back:
                plan.append((at, rep, _DIAL))
            at += timedelta(seconds=rng.uniform(200, 640))
    return plan


def _lead(
    rng: random.Random, used: set[str], source: str, *, employees: int | None = None
) -> dict[str, str]:
    state, codes = rng.choice(_STATES)
    while True:
        exchange, line = rng.randint(200, 999), rng.randint(0, 9999)
        phone = f"{rng.choice(codes)}{exchange}{line:04d}"
        if phone not in used:
            used.add(phone)
            break
    head, (tail, industry) = rng.choice(_COMPANY_HEAD), rng.choice(_COMPANY_TAIL)
    company = f"{head} {tail} {rng.randint(1, 60)}"
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    return {
        "first": first,
        "last": last,
        "title": rng.choice(_TITLES),
        "company": company,
        "email": f"{first}.{last}.{phone[-4:]}@{company.replace(' ', '')}.example".lower(),
        "phone": f"({phone[:3]}) {phone[3:6]}-{phone[6:]}",
        "industry": industry,
        "employees": str(employees or rng.choice((20, 60, 120, 300, 800))),
        "state": state,
        "country": "US",
        "source": source,
    }


def _arrive(
    leads: LeadWriter, rows: list[dict[str, str]], at: datetime
) -> list[tuple[int, datetime]]:
    """Write ``rows`` as leads arriving at ``at`` (as ``prospector add`` and the intake
    endpoint do, one writer for the whole history); their contact ids and first-touch
    deadlines, in order."""
    written = []
    for item in leads.normalize(rows):
        lead = leads.write(item, at)
        # The history's leads are all good, and every tier has a first-touch SLA.
        assert lead.contact_id is not None and lead.sla_due_at is not None, lead
        written.append((lead.contact_id, lead.sla_due_at))
    return written


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), NEW_YORK)


def _weekday_after(day: date, days: int) -> date:
    """``days`` weekdays after ``day``."""
    while days:
        day += timedelta(days=1)
        days -= day.weekday() < 5
    return day
