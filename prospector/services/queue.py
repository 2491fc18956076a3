"""The call queue (DESIGN §4.5): who this rep should call now, in order, with a reason.

Callable = status open, not DNC (flag *and* list), not filtered, phone not bad, due,
inside its calling window now, not claimed by another rep with a live lease, and in
the rep's territory when the settings give the rep one (a rep without a territory
entry sees every region).

Lanes, in order:

0. this rep's claim that was dialed but never given a disposition;
1. this rep's own callbacks that are due, oldest first;
2. callbacks open to anyone, and other reps' personal callbacks missed by more
   than the grace period, oldest first;
3. new leads (no attempt yet) by first-touch SLA deadline, then tier priority;
4. follow-ups by tier priority, then how long they have been due.

How it stays fast at a million contacts: windows are decided per locale (see
:mod:`prospector.services.windows`), then each lane from 1 on reads one open locale
(and, for follow-ups, one tier) at a time from a partial index in the lane's own
order with ``LIMIT n``; the per-locale heads are merged with a small sort. Contacts
in closed locales are never read, however many are due. A single
``locale_id IN (...) ORDER BY ... LIMIT 1`` would make SQLite sort every match.
The open locales are bound as one JSON array (``dialect.ints_in``), so each lane is one
statement whose text never changes and which the connection prepares only once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from prospector.foundations.clock import from_db, from_db_or_none, to_db, to_db_or_none
from prospector.foundations.db import Database
from prospector.foundations.names import full_name
from prospector.services.fit import sla_left
from prospector.services.recycling import DEFERRED_DUE, RECYCLE_DUE, bring_back
from prospector.services.settings import Settings
from prospector.services.windows import (
    LOCALES_MARK,
    Locale,
    LocalesMark,
    current_settings,
    is_open,
    locale_ids_in,
    open_locale_ids,
)

LANE_UNDISPOSITIONED, LANE_MY_CALLBACK, LANE_OPEN_CALLBACK, LANE_NEW, LANE_FOLLOW_UP = range(5)

# Repeated word for word in the partial indexes' WHERE clauses (m001_initial.py), so
# that SQLite can prove a query may use them.
CALLABLE = "c.status = 'open' AND c.dnc = 0 AND c.filtered_by IS NULL AND c.phone_bad = 0"
NOT_ON_DNC_LIST = "NOT EXISTS (SELECT 1 FROM dnc_numbers d WHERE d.phone = c.phone)"
NEW_LEADS = (
    "c.attempts = 0 AND c.callback_at IS NULL AND c.deferred_until IS NULL"
    " AND c.standby_list IS NULL AND c.next_call_at <= :now"
)
"""The new-lead lane: word for word what ``contacts_queue_new``'s predicate needs."""


def follow_up_priorities(settings: Settings) -> list[int]:
    """The follow-up lane's tier priorities, in order (99: a contact with no tier)."""
    return sorted({tier.priority for tier in settings.tiers} | {99})


STILL_OFFERED = f"""{CALLABLE} AND {NOT_ON_DNC_LIST} AND (c.callback_at <= :now
    OR (c.callback_at IS NULL AND c.next_call_at <= :now
        AND (c.attempts > 0 OR (c.deferred_until IS NULL AND c.standby_list IS NULL)))
    OR (c.claimed_by = :rep AND c.dialed_at IS NOT NULL))"""
"""A contact the queue offered is still due for ``:rep`` at ``:now`` (any lane's
condition, loosely): rechecked where it is claimed, since on PostgreSQL another
rep may log it between the queue's read and the claim."""
NOT_CLAIMED_BY_OTHERS = (
    "(c.claimed_by IS NULL OR c.claimed_by = :rep OR c.claim_expires_at <= :now)"
)
ACCOUNT_NOT_HELD_BY_OTHERS = """(c.account_id IS NULL OR NOT EXISTS (SELECT 1 FROM contacts h
    WHERE h.account_id = c.account_id AND h.claimed_by IS NOT NULL AND h.claimed_by <> :rep
      AND (h.claim_expires_at IS NULL OR h.claim_expires_at > :now)))"""
"""No other rep holds a contact of ``c``'s account with a live lease."""


def not_held(settings: Settings) -> str:
    """The condition for a contact free for ``:rep`` at ``:now``: no other rep holds it,
    and, with ``calling.account_lock``, no other rep holds its account either (without
    the lock, the statements stay as they were: nothing more is read)."""
    if settings.calling.account_lock:
        return f"{NOT_CLAIMED_BY_OTHERS} AND {ACCOUNT_NOT_HELD_BY_OTHERS}"
    return NOT_CLAIMED_BY_OTHERS


@dataclass(frozen=True)
class QueueItem:
    """One callable contact as the queue, ``next`` and the workbench show it.

    ``local_time`` is "now" in the prospect's (first) zone; ``lane`` is the queue
    lane (0-4, see the module doc); ``claimed_by`` is set when the item is held.
    """

    contact_id: int
    name: str
    company: str | None
    title: str | None
    phone: str
    timezones: tuple[str, ...]
    local_time: datetime
    tier: str | None
    reason: str
    lane: int
    attempts: int
    max_attempts: int | None
    next_call_at: datetime
    sla_due_at: datetime | None
    callback_at: datetime | None
    callback_rep: str | None
    claimed_by: str | None
    claim_expires_at: datetime | None
    dialed_at: datetime | None
    phone_ext: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The keys of DESIGN §5 (``queue`` items), and ``sla_due_at`` (UTC ISO 8601)
        when a new lead's first dial is still to come."""
        first_touch = self.lane == LANE_NEW and self.attempts == 0
        return {
            "contact_id": self.contact_id,
            "name": self.name,
            "company": self.company,
            "phone": self.phone,
            "timezones": list(self.timezones),
            "local_time": self.local_time.isoformat(),
            "tier": self.tier,
            "reason": self.reason,
            "sla_due_at": to_db_or_none(self.sla_due_at) if first_touch else None,
        }


def humanize(delta: timedelta) -> str:
    """A short duration for reasons: "42 min", "3 h 5 min", "2 d"."""
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    return f"{minutes // (24 * 60)} d"


def sla_words(left: timedelta) -> str:
    """ "SLA 42 min left", "SLA due now" (within a minute either side), "SLA overdue by 5 min"."""
    if abs(left) < timedelta(minutes=1):
        return "SLA due now"
    if left > timedelta(0):
        return f"SLA {humanize(left)} left"
    return f"SLA overdue by {humanize(left)}"


def territory_locale_ids(
    db: Database, rep: str, settings: Settings, *, locales: LocalesMark | None = None
) -> frozenset[int] | None:
    """Locales inside the rep's territory, or None when the rep has none (sees all)."""
    regions = settings.territories.get(rep)
    if not regions:
        return None
    return locale_ids_in(db, tuple(regions), locales=locales)


def callable_locale_ids(
    db: Database,
    *,
    rep: str,
    now: datetime,
    settings: Settings,
    locales: LocalesMark | None = None,
) -> frozenset[int]:
    """Locales whose window is open now and that lie in the rep's territory."""
    opened = open_locale_ids(db, now, settings, locales=locales)
    territory = territory_locale_ids(db, rep, settings, locales=locales)
    return opened if territory is None else opened & territory


def id_array(ids: Iterable[int]) -> str:
    """A JSON array of ids, bound as one parameter and read with ``dialect.ints_in``.

    Binding the list (rather than splicing it into the SQL) keeps each statement's
    text constant, so the connection's statement cache prepares it once.
    """
    return json.dumps(sorted(int(i) for i in ids))


def _simple_lane(db: Database, where: str, order: str, params: dict) -> list[int]:
    sql = (
        f"SELECT c.id FROM contacts c WHERE {where} AND {CALLABLE} AND {NOT_ON_DNC_LIST}"
        f" AND c.locale_id IN {db.dialect.ints_in(':locales')}"
        f" ORDER BY {order}, c.id LIMIT :n"
    )
    return [row[0] for row in db.execute(sql, params)]


def _per_locale_lane(
    db: Database,
    where: str,
    order: str,
    params: dict,
    index_rest: str = "",
    free: str = NOT_CLAIMED_BY_OTHERS,
) -> list[int]:
    """The first ``n`` contacts in ``order`` over the open locales, read locale by locale.

    For each open locale (``l.value``) the correlated subquery reads at most ``n``
    rows from the lane's partial index, already in ``order`` (its columns follow
    ``locale_id`` in the index); only those few heads are sorted. Ties are broken as
    the index orders them (``index_rest``, the index's columns after ``order``, then
    the id), which SQLite's index walk does by itself and PostgreSQL must be told.
    ``free``: who may be offered (:func:`not_held`).
    """
    heads = f"""SELECT c.id FROM contacts c
                WHERE c.locale_id = l.value AND {where} AND {CALLABLE}
                  AND {free} AND {NOT_ON_DNC_LIST}
                ORDER BY {order}, {index_rest}c.id LIMIT :n"""
    sql = f"""SELECT c.id FROM {db.dialect.each_locale_heads(":locales", heads, only=order)}
              ORDER BY {order}, c.id LIMIT :n"""
    return [row[0] for row in db.execute(sql, params)]


@dataclass(frozen=True)
class Probe:
    """Which of the rarely busy parts of a rep's queue may hold something now.

    ``next`` asks in one statement of index seeks instead of reading each lane
    (a round trip each on a server): a False lets the lane be skipped; a True only
    says to read it.
    """

    settings_version: int  # see services.settings.settings_version
    locales: LocalesMark  # see services.windows.LOCALES_MARK
    rep_known: bool  # the rep is in ``reps`` already
    recycle_due: bool  # see services.recycling
    deferred_due: bool
    held: bool  # the rep holds claims not dialed (``next`` lets them go)
    dialed: bool  # ... and dialed ones never logged (lane 0)
    my_callbacks_due: bool  # one of the rep's callbacks is due (lane 1)
    callbacks_due: bool  # someone's callback is due (lane 2)
    state: str | None = None  # the rep's state now (see services.rep_states) ...
    seen_at: str | None = None  # ... and when it was last heard of


def probe(db: Database, *, rep: str, now: datetime) -> Probe:
    """Read a :class:`Probe` for ``rep`` at ``now``."""
    row = db.execute(
        f"""SELECT coalesce((SELECT version FROM settings WHERE id = 1), 0), {LOCALES_MARK},
                   EXISTS (SELECT 1 FROM reps WHERE name = :rep),
                   {RECYCLE_DUE}, {DEFERRED_DUE},
                   EXISTS (SELECT 1 FROM contacts
                           WHERE claimed_by = :rep AND dialed_at IS NULL),
                   EXISTS (SELECT 1 FROM contacts
                           WHERE claimed_by = :rep AND dialed_at IS NOT NULL),
                   EXISTS (SELECT 1 FROM contacts c WHERE c.callback_rep = :rep
                           AND c.callback_rep IS NOT NULL AND {CALLABLE}
                           AND c.callback_at <= :now),
                   (SELECT min(callback_at) FROM contacts WHERE callback_at IS NOT NULL
                           AND status = 'open') <= :now,
                   s.state, s.seen_at
            FROM (SELECT 1) AS one
            LEFT JOIN rep_states s ON s.rep = :rep AND s.ended_at IS NULL""",
        {"rep": rep, "now": to_db(now)},
    ).fetchone()
    version, top, count, *flags, state, seen_at = row
    known, recycle, deferred, held, dialed, mine, anyone = (bool(flag) for flag in flags)
    return Probe(
        int(version), (top, int(count)), known, recycle, deferred, held, dialed, mine, anyone,
        state=state, seen_at=seen_at,
    )  # fmt: skip


def queue_ids(
    db: Database,
    *,
    rep: str,
    now: datetime,
    limit: int,
    settings: Settings,
    probed: Probe | None = None,
) -> list[tuple[int, int]]:
    """``(lane, contact_id)`` of the first ``limit`` callable contacts, in queue order.

    ``probed``: what :func:`probe` said in this transaction (lanes it rules out are
    not read); None reads every lane.
    """
    locales = callable_locale_ids(
        db, rep=rep, now=now, settings=settings, locales=probed.locales if probed else None
    )
    if not locales or limit <= 0:
        return []
    stamp = to_db(now)
    grace = to_db(now - timedelta(minutes=settings.calling.callback_grace_minutes))
    params = {"rep": rep, "now": stamp, "grace": grace, "n": limit, "locales": id_array(locales)}
    free = not_held(settings)
    found: list[tuple[int, int]] = []
    seen: set[int] = set()

    def take(lane: int, ids: list[int]) -> bool:
        for contact_id in ids:
            if contact_id not in seen:
                seen.add(contact_id)
                found.append((lane, contact_id))
        return len(found) >= limit

    lanes = (
        (
            LANE_UNDISPOSITIONED,
            lambda: _simple_lane(
                db, "c.claimed_by = :rep AND c.dialed_at IS NOT NULL", "c.dialed_at", params
            ),
        ),
        (
            LANE_MY_CALLBACK,
            lambda: _per_locale_lane(
                db,
                "c.callback_rep = :rep AND c.callback_at <= :now",
                "c.callback_at",
                params,
                free=free,
            ),
        ),
        (
            LANE_OPEN_CALLBACK,
            lambda: _per_locale_lane(
                db,
                "c.callback_at IS NOT NULL AND c.callback_at <= :now"
                " AND (c.callback_rep IS NULL"
                " OR (c.callback_rep <> :rep AND c.callback_at <= :grace))",
                "c.callback_at",
                params,
                free=free,
            ),
        ),
        (
            LANE_NEW,
            lambda: _per_locale_lane(
                db,
                NEW_LEADS,
                "c.sla_due_at, c.tier_priority",
                params,
                index_rest="c.next_call_at, ",
                free=free,
            ),
        ),
    )
    skipped: set[int] = set()
    if probed is not None:
        ruled_out = (
            (LANE_UNDISPOSITIONED, probed.dialed),
            (LANE_MY_CALLBACK, probed.my_callbacks_due),
            (LANE_OPEN_CALLBACK, probed.callbacks_due),
        )
        skipped = {lane for lane, maybe in ruled_out if not maybe}
    for lane, query in lanes:
        if lane not in skipped and take(lane, query()):
            return found[:limit]
    for priority in follow_up_priorities(settings):
        ids = _per_locale_lane(
            db,
            "c.attempts > 0 AND c.callback_at IS NULL AND c.tier_priority = :priority"
            " AND c.next_call_at <= :now",
            "c.next_call_at",
            {**params, "priority": int(priority)},
            free=free,
        )
        if take(LANE_FOLLOW_UP, ids):
            break
    return found[:limit]


def _reason(lane: int, row, locale: Locale, now: datetime, settings: Settings) -> str:
    zone = locale.primary_zone
    tier = settings.tier(row["tier"])
    if lane == LANE_UNDISPOSITIONED:
        dialed = from_db(row["dialed_at"]).astimezone(zone)
        return f"dialed {dialed:%H:%M} with no disposition — log it"
    if lane in (LANE_MY_CALLBACK, LANE_OPEN_CALLBACK):
        due = from_db(row["callback_at"]).astimezone(zone)
        if row["callback_rep"] is None:
            return f"callback due {due:%H:%M} (anyone)"
        if lane == LANE_OPEN_CALLBACK:
            return f"{row['callback_rep']}'s callback missed since {due:%H:%M}"
        return f"callback due {due:%H:%M}"
    if lane == LANE_NEW:
        label = f"new {row['tier']} lead" if row["tier"] else "new lead"
        if not row["sla_due_at"]:
            return label
        left = sla_left(from_db(row["sla_due_at"]), now, settings, locale, tier)
        return f"{label} — {sla_words(left)}"
    attempt = int(row["attempts"]) - int(row["cycle_attempts_base"]) + 1
    of = f" of {tier.max_attempts}" if tier else ""
    overdue = now - from_db(row["next_call_at"])
    recycled = f" (recycled, cycle {row['recycles'] + 1})" if row["recycles"] else ""
    return f"attempt {attempt}{of}{recycled}, tier {row['tier']}, due {humanize(overdue)} ago"


ITEM_COLUMNS = (
    "id", "first_name", "last_name", "title", "phone", "phone_ext", "tier", "attempts",
    "cycle_attempts_base", "recycles", "next_call_at", "sla_due_at", "callback_at",
    "callback_rep", "claimed_by", "claim_expires_at", "dialed_at", "locale_id",
)  # fmt: skip
"""The contact's columns a :class:`QueueItem` is made of (a contact has many more)."""
ITEM_RETURNING = f"""{", ".join(ITEM_COLUMNS)},
    (SELECT name FROM accounts a WHERE a.id = contacts.account_id) AS company,
    (SELECT zones FROM locales l WHERE l.id = contacts.locale_id) AS zones,
    (SELECT country FROM locales l WHERE l.id = contacts.locale_id) AS locale_country,
    (SELECT state FROM locales l WHERE l.id = contacts.locale_id) AS locale_state"""
"""An item's row as a ``RETURNING`` of a statement on ``contacts`` gives it (a claim
hands back its item in the same round trip)."""
ITEM_SELECT = ", ".join(f"c.{name}" for name in ITEM_COLUMNS)


def load_items(
    db: Database,
    lanes_ids: list[tuple[int, int]],
    *,
    now: datetime,
    settings: Settings,
    check_window: bool = True,
) -> list[QueueItem]:
    """Full :class:`QueueItem` rows for ``(lane, contact_id)`` pairs, in that order.

    As a last guard (``check_window``), an item whose window is closed at ``now`` is
    dropped.
    """
    if not lanes_ids:
        return []
    rows = {
        row["id"]: row
        for row in db.query(
            f"""SELECT {ITEM_SELECT}, a.name AS company, l.zones,
                       l.country AS locale_country, l.state AS locale_state
                FROM contacts c
                LEFT JOIN accounts a ON a.id = c.account_id
                JOIN locales l ON l.id = c.locale_id
                WHERE c.id IN """
            + db.dialect.ints_in("?"),
            (id_array(i for _, i in lanes_ids),),
        )
    }
    items = []
    for lane, contact_id in lanes_ids:
        row = rows.get(contact_id)
        if row is not None and (
            item := item_of(row, lane, now=now, settings=settings, check_window=check_window)
        ):
            items.append(item)
    return items


def item_of(
    row, lane: int, *, now: datetime, settings: Settings, check_window: bool = True
) -> QueueItem | None:
    """A :class:`QueueItem` from a row of :data:`ITEM_RETURNING`; None when
    ``check_window`` and its window is closed at ``now`` (a last guard)."""
    locale = Locale(
        row["locale_id"], tuple(row["zones"].split()), row["locale_country"], row["locale_state"]
    )
    if check_window and not is_open(locale, now, settings):
        return None
    return item_from_row(row, lane, locale, now=now, settings=settings)


def item_from_row(
    row, lane: int, locale: Locale, *, now: datetime, settings: Settings
) -> QueueItem:
    """A :class:`QueueItem` from a contacts row joined with its account and locale."""
    tier = settings.tier(row["tier"])
    name = full_name(row["first_name"], row["last_name"])
    return QueueItem(
        contact_id=int(row["id"]),
        name=name or "(no name)",
        company=row["company"],
        title=row["title"],
        phone=row["phone"],
        phone_ext=row["phone_ext"],
        timezones=locale.zones,
        local_time=now.astimezone(locale.primary_zone),
        tier=row["tier"],
        reason=_reason(lane, row, locale, now, settings),
        lane=lane,
        attempts=int(row["attempts"]),
        max_attempts=tier.max_attempts if tier else None,
        next_call_at=from_db(row["next_call_at"]),
        sla_due_at=from_db_or_none(row["sla_due_at"]),
        callback_at=from_db_or_none(row["callback_at"]),
        callback_rep=row["callback_rep"],
        claimed_by=row["claimed_by"],
        claim_expires_at=from_db_or_none(row["claim_expires_at"]),
        dialed_at=from_db_or_none(row["dialed_at"]),
    )


def build_queue(
    db: Database,
    *,
    rep: str,
    now: datetime,
    limit: int = 20,
    settings: Settings | None = None,
) -> list[QueueItem]:
    """The rep's next ``limit`` callable contacts, in order, without claiming any.

    Recycled contacts and skipped leads that are due come back first (a write only
    when there are some).

    Args:
        db: the team database.
        rep: the inside rep asking.
        now: the instant to evaluate windows, due times and leases at.
        limit: how many items at most.
        settings: the team's settings (read from ``db`` when omitted).
    """
    now = now.astimezone(UTC)
    probed = probe(db, rep=rep, now=now)
    settings = settings or current_settings(db, version=probed.settings_version)
    bring_back(db, now=now, recycle=probed.recycle_due, deferred=probed.deferred_due)
    ids = queue_ids(db, rep=rep, now=now, limit=limit, settings=settings, probed=probed)
    return load_items(db, ids, now=now, settings=settings)
