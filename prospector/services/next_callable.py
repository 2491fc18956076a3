"""The empty desk: when the rep's next contact becomes callable, and why.

When the queue is empty the rep is told the earliest of: a window opening for a
locale holding due contacts ("Mon 09:00 in Chicago — 14 contacts"), a callback
coming due ("callback with Ann Lee at 14:30 EST"), a retry coming due ("retry of 3
contacts at 11:10 EST"), for this rep (their territory; their own and open
callbacks, other reps' only once the grace period has passed).

How it stays fast at a million contacts: each lane reads one head per locale from
its partial index (as the queue does, :mod:`.queue`), the windows are applied per
locale in Python (:func:`.windows.next_open`), and only the winner's contacts are
counted, at most :data:`COUNT_CAP` of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from prospector.foundations.clock import from_db, to_db, to_db_or_none
from prospector.foundations.db import Database
from prospector.foundations.names import full_name
from prospector.foundations.wording import counted
from prospector.services.queue import (
    CALLABLE,
    NEW_LEADS,
    NOT_CLAIMED_BY_OTHERS,
    NOT_ON_DNC_LIST,
    follow_up_priorities,
    id_array,
    territory_locale_ids,
)
from prospector.services.settings import Settings
from prospector.services.windows import Locale, all_locales, current_settings, next_open

COUNT_CAP = 1000  # "1000+ contacts": counting further would read the whole zone
NOTHING_LEFT = "no open contacts left"


@dataclass(frozen=True)
class NextCallable:
    """When the rep's next contact becomes callable (``at`` None: no open contact left).

    ``kind`` is ``window`` (a calling window opens on due contacts), ``callback``,
    ``retry`` or ``none``; ``contacts`` how many become callable then (at most
    :data:`COUNT_CAP`); ``zone`` the prospects' zone the times are shown in.
    """

    at: datetime | None
    kind: str
    contacts: int
    zone: str | None
    text: str

    def to_json(self) -> dict[str, Any]:
        return {
            "at": to_db_or_none(self.at),
            "kind": self.kind,
            "contacts": self.contacts,
            "zone": self.zone,
            "text": self.text,
        }


@dataclass(frozen=True)
class _Head:
    locale: Locale
    due: datetime  # when the contact is due for this rep
    kind: str  # "retry" or "callback"
    name: str
    others: str | None  # the rep whose missed callback this is


def next_callable(
    db: Database, *, rep: str, now: datetime, settings: Settings | None = None
) -> NextCallable:
    """The earliest moment a contact becomes callable for ``rep`` after ``now``, and why."""
    settings = settings or current_settings(db)
    now = now.astimezone(UTC)
    territory = territory_locale_ids(db, rep, settings)
    locales = {
        locale.id: locale
        for locale in all_locales(db)
        if territory is None or locale.id in territory
    }
    if not locales:
        return NextCallable(None, "none", 0, None, NOTHING_LEFT)
    grace = timedelta(minutes=settings.calling.callback_grace_minutes)
    events: list[tuple[datetime, int, str, _Head]] = []
    heads = _heads(db, rep=rep, now=now, locales=locales, settings=settings, grace=grace)
    opened: dict[tuple[int, datetime], datetime | None] = {}
    best: datetime | None = None
    for head in sorted(heads, key=lambda h: h.due):
        due = max(head.due, now)
        if best is not None and due > best:
            break  # a window never opens before the contact is due: none later can win
        key = (head.locale.id, due)
        if key not in opened:
            opened[key] = next_open(head.locale, due, settings)
        opens = opened[key]
        if opens is None:
            continue
        # Waiting for the window (it is shut when the contact is due): the window opening
        # is the news; otherwise the callback or retry itself is.
        kind = "window" if opens > due or head.due <= now else head.kind
        events.append((opens, _ORDER[kind], kind, head))
        best = opens if best is None else min(best, opens)
    if not events:
        return NextCallable(None, "none", 0, None, NOTHING_LEFT)
    at, _, kind, head = min(events, key=lambda event: event[:2])
    zone = head.locale.primary_zone
    when = _when(at, now, zone, settings.team.zone)
    if kind == "callback":
        text = (
            f"{head.others}'s missed callback with {head.name}, open to all at {when}"
            if head.others
            else f"callback with {head.name} at {when}"
        )
        return NextCallable(at, kind, 1, zone.key, text)
    if kind == "retry":
        count = _count(db, rep=rep, now=now, at=at, grace=grace, ids=[head.locale.id], retries=True)
        return NextCallable(at, kind, count, zone.key, f"retry of {_contacts(count)} at {when}")
    # Every locale of the same zone whose window opens then, as one event.
    same = sorted(
        {
            h.locale.id
            for opens, _, k, h in events
            if k == "window" and opens == at and h.locale.primary_zone == zone
        }
    )
    count = _count(db, rep=rep, now=now, at=at, grace=grace, ids=same, retries=False)
    city = zone.key.rsplit("/", 1)[-1].replace("_", " ")
    return NextCallable(at, kind, count, zone.key, f"{when} in {city} — {_contacts(count)}")


_ORDER = {"callback": 0, "retry": 1, "window": 2}  # at the same instant, the most specific


def _when(at: datetime, now: datetime, zone, team_zone) -> str:
    """The time in the prospects' ``zone``; the day as the team counts days ("tomorrow"
    at 23:00 in New York for London's 09:00), named when it is not today."""
    local = at.astimezone(zone)
    days = (at.astimezone(team_zone).date() - now.astimezone(team_zone).date()).days
    if days <= 0:
        return f"{local:%H:%M %Z}"
    if days == 1:
        return f"tomorrow {local:%H:%M %Z}"
    return f"{local:%a %d %b %H:%M %Z}"


def _contacts(count: int) -> str:
    if count >= COUNT_CAP:
        return f"{COUNT_CAP}+ contacts"
    return counted(count, "contact")


_VISIBLE = f"{CALLABLE} AND {NOT_CLAIMED_BY_OTHERS} AND {NOT_ON_DNC_LIST}"
_COLUMNS = (
    "c.id, c.locale_id, c.next_call_at, c.callback_at, c.callback_rep, c.first_name, c.last_name"
)


def _heads(
    db: Database,
    *,
    rep: str,
    now: datetime,
    locales: dict[int, Locale],
    settings: Settings,
    grace: timedelta,
) -> list[_Head]:
    """Per locale and lane, the contact due first (read from the lane's partial index)."""
    params = {"rep": rep, "now": to_db(now), "locales": id_array(locales)}
    lanes: list[tuple[str, str, str, dict]] = [
        # New leads: due at once unless skipped (a skip comes back through recycling).
        (
            NEW_LEADS,
            "c.sla_due_at, c.tier_priority, c.next_call_at",
            "retry",
            {},
        ),
        (
            "c.callback_at IS NOT NULL AND (c.callback_rep IS NULL OR c.callback_rep = :rep)",
            "c.callback_at",
            "callback",
            {},
        ),
        (
            "c.callback_at IS NOT NULL AND c.callback_rep <> :rep",
            "c.callback_at",
            "callback",
            {},
        ),
    ]
    for priority in follow_up_priorities(settings):
        lanes.append(
            (
                "c.attempts > 0 AND c.callback_at IS NULL AND c.tier_priority = :priority",
                "c.next_call_at",
                "retry",
                {"priority": int(priority)},
            )
        )
    heads: list[_Head] = []
    for where, order, kind, extra in lanes:
        sql = f"""SELECT {_COLUMNS} FROM {
            db.dialect.each_locale_heads(
                ":locales",
                f"SELECT c.id FROM contacts c WHERE c.locale_id = l.value AND {where}"
                f" AND {_VISIBLE} ORDER BY {order}, c.id LIMIT 1",
            )
        }"""
        for row in db.query(sql, {**params, **extra}):
            others = row["callback_rep"] if row["callback_rep"] not in (None, rep) else None
            due = from_db(row["callback_at"] or row["next_call_at"])
            heads.append(
                _Head(
                    locale=locales[int(row["locale_id"])],
                    due=due + grace if others else due,
                    kind=kind,
                    name=full_name(row["first_name"], row["last_name"]) or "(no name)",
                    others=others,
                )
            )
    return heads


def _count(
    db: Database,
    *,
    rep: str,
    now: datetime,
    at: datetime,
    grace: timedelta,
    ids: list[int],
    retries: bool,
) -> int:
    """How many of the locales' contacts are due for ``rep`` by ``at`` (up to the cap);
    ``retries``: only those without a callback."""
    only = " AND c.callback_at IS NULL" if retries else ""
    sql = f"""SELECT count(*) FROM (
                SELECT 1 FROM contacts c
                WHERE c.locale_id IN {db.dialect.ints_in(":locales")} AND {_VISIBLE}{only}
                  AND (c.deferred_until IS NULL OR c.deferred_until <= :at)
                  AND c.standby_list IS NULL
                  AND CASE WHEN c.callback_rep IS NOT NULL AND c.callback_rep <> :rep
                           THEN c.callback_at <= :grace_at
                           ELSE coalesce(c.callback_at, c.next_call_at) <= :at END
                LIMIT {COUNT_CAP}) AS due"""
    row = db.one(
        sql,
        {
            "locales": id_array(ids),
            "rep": rep,
            "now": to_db(now),
            "at": to_db(at),
            "grace_at": to_db(at - grace),
        },
    )
    assert row is not None
    return int(row[0])
