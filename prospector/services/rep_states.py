"""What each rep is doing, over time: ready, on call, wrap-up, paused (with a code), offline.

A rep is in one state at a time; each stay is a row of ``rep_states`` from
``started_at`` to ``ended_at`` (open while it lasts). The services move reps
between states where the work happens, so the command line and the workbench agree:

* ``ready``: has a lead or waits for one, not dialing (claiming a lead, logging a
  call, the workbench starting, resuming from a pause);
* ``on_call``: from the dial (:func:`.claims.mark_dialed`) to the hangup;
* ``wrap_up``: from the hangup to the disposition (the workbench's outcome prompt;
  a phone system's hangup event: :func:`hangup`);
* ``paused``: with a code from ``[[pause_codes]]``; nothing is claimed meanwhile;
* ``offline``: the workbench was closed.

A desk that stops being heard from (killed, the laptop shut) cannot say so: a rep ready,
on a call or wrapping up whose open state was not seen for a lease
(``calling.lease_minutes``, the time a silent desk keeps its lead) counts as offline
from ``seen_at`` plus a lease, both on the floor (:func:`current`) and in the time
report, and the stale stay is closed there when the rep is next heard from. The
workbench renews leases (and touches its state, :func:`touch`) every third of a lease,
so a live desk is never taken for gone. A pause is said once (a rep at lunch may close
the laptop, or pause from the shell) and lasts until it is ended: by resuming, by the
workbench starting or quitting.

The writes are small: staying in a state is one UPDATE of the rep's open row; a
change closes it and opens the next (a stay begun at the same second is replaced
instead, so no interval is empty). Each runs inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from prospector.foundations.clock import from_db, to_db
from prospector.foundations.db import Database
from prospector.foundations.errors import ClaimError, ProspectorError
from prospector.services.settings import PauseCode, Settings
from prospector.services.windows import current_settings

READY, ON_CALL, WRAP_UP, PAUSED, OFFLINE = "ready", "on_call", "wrap_up", "paused", "offline"
STATES = (READY, ON_CALL, WRAP_UP, PAUSED, OFFLINE)
WORKING = (READY, ON_CALL, WRAP_UP, PAUSED)
"""The states the time report counts (offline is time away)."""
GO_QUIET = (READY, ON_CALL, WRAP_UP)
"""The states a desk must keep saying it is in; a pause lasts until it is ended."""


@dataclass(frozen=True)
class RepState:
    """A rep's state as of ``now``: since when, with which pause code and contact."""

    rep: str
    state: str
    since: datetime
    code: str | None
    contact_id: int | None
    seen_at: datetime

    def seconds_in_state(self, now: datetime) -> int:
        return max(0, int((now - self.since).total_seconds()))


def quiet_limit(settings: Settings) -> timedelta:
    """How long an open state may go unheard before the rep counts as offline."""
    return timedelta(minutes=settings.calling.lease_minutes)


def enter(
    db: Database,
    rep: str,
    state: str,
    now: datetime,
    *,
    code: str | None = None,
    contact_id: int | None = None,
    keep_paused: bool = False,
    settings: Settings | None = None,
) -> str:
    """Put ``rep`` in ``state`` at ``now`` (inside the caller's write transaction).

    Already in that state (and code): only the contact and ``seen_at`` move on.
    Otherwise the open stay ends at ``now`` (or where it went quiet) and the new
    one opens. ``keep_paused``: a paused rep stays paused (a call logged from the
    shell does not end a lunch). Returns the state the rep is in now.
    """
    if state not in STATES:
        raise ValueError(f"unknown rep state {state!r}")
    if (state == PAUSED) != (code is not None):
        raise ValueError("a pause, and only a pause, has a code")
    stamp = to_db(now)
    settings = settings or current_settings(db)
    # A stay gone quiet is over (the rep was away), even when the same state follows.
    stayed = db.one(
        f"""UPDATE rep_states SET seen_at = {db.dialect.greatest("seen_at", "CAST(:now AS TEXT)")},
               contact_id = CASE WHEN state = :state THEN :contact ELSE contact_id END
           WHERE rep = :rep AND ended_at IS NULL
             AND ((state = :state AND coalesce(code, '') = :code
                   AND (state IN ('paused', 'offline') OR seen_at >= :quiet))
                  OR (:keep = 1 AND state = 'paused'))
           RETURNING state""",
        {"now": stamp, "state": state, "contact": contact_id, "rep": rep, "code": code or "",
         "keep": int(keep_paused), "quiet": to_db(now - quiet_limit(settings))},
    )  # fmt: skip
    if stayed is not None:
        return str(stayed["state"])
    later = _close(db, rep, now, settings)
    if later is not None:
        return later
    # ON CONFLICT: a stay at this very second left by writes dated out of order.
    db.execute(
        """INSERT INTO rep_states (rep, started_at, state, code, contact_id, seen_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (rep, started_at) DO UPDATE SET state = excluded.state,
               code = excluded.code, contact_id = excluded.contact_id, ended_at = NULL,
               seen_at = excluded.seen_at""",
        (rep, stamp, state, code, contact_id, stamp),
    )
    return state


def _close(db: Database, rep: str, now: datetime, settings: Settings) -> str | None:
    """End the rep's open stay at ``now``, or where it went quiet; drop one begun at
    ``now``. A stay begun after ``now`` is left open, and its state returned: a write
    dated in the past (``log --at`` yesterday) says nothing of what the rep does now."""
    row = db.one(
        "SELECT started_at, seen_at, state FROM rep_states WHERE rep = ? AND ended_at IS NULL",
        (rep,),
    )
    if row is None:
        return None
    stamp = to_db(now)
    if row["started_at"] > stamp:
        return str(row["state"])
    if row["started_at"] == stamp:  # two states in one second: the last one counts
        db.execute(
            "DELETE FROM rep_states WHERE rep = ? AND started_at = ?", (rep, row["started_at"])
        )
        return None
    end = now
    if row["state"] in GO_QUIET:
        end = min(now, from_db(row["seen_at"]) + quiet_limit(settings))
    db.execute(
        "UPDATE rep_states SET ended_at = ? WHERE rep = ? AND started_at = ?",
        (to_db(end), rep, row["started_at"]),
    )
    return None


def refuse_if_paused(db: Database, rep: str, now: datetime, settings: Settings) -> None:
    """Ready the rep for a claim, or refuse it while they are paused (in the claim's
    transaction: nothing is claimed while paused, whichever way a claim is asked for).

    Raises:
        ClaimError: the rep is paused.
    """
    if enter(db, rep, READY, now, keep_paused=True, settings=settings) == PAUSED:
        raise ClaimError(f"{rep} is paused: resume first ('prospector resume', or p)")


def heard_lately(state: str | None, seen_at: str | None, now: datetime, settings: Settings) -> bool:
    """Whether a rep ``state`` (last seen at ``seen_at``) is ready and was heard from
    within a third of a lease: a claim then need not say so again. The workbench
    says it that often (it renews its lease every third of one), and a desk counts
    as gone only after a whole lease of quiet."""
    if state != READY or seen_at is None:
        return False
    return now - quiet_limit(settings) / 3 <= from_db(seen_at) <= now


def touch(db: Database, rep: str, now: datetime) -> None:
    """The rep's desk is still there (one UPDATE; inside the caller's transaction)."""
    db.execute(
        "UPDATE rep_states SET seen_at = ? WHERE rep = ? AND ended_at IS NULL", (to_db(now), rep)
    )


def change(
    db: Database,
    rep: str,
    state: str,
    now: datetime,
    *,
    code: str | None = None,
    contact_id: int | None = None,
    keep_paused: bool = False,
) -> str:
    """:func:`enter` in its own write transaction (a desk's own step, with nothing else
    to write: the workbench starting or quitting)."""
    with db.write(serial=False):
        return enter(db, rep, state, now, code=code, contact_id=contact_id, keep_paused=keep_paused)


def hangup(db: Database, rep: str, now: datetime, *, contact_id: int | None = None) -> bool:
    """The call ended: ``on_call`` becomes ``wrap_up`` until the call is logged
    (inside the caller's write transaction: a phone system's ``event --ended-at``).

    Only a rep on a call (or already wrapping up) moves: a hangup reported late, after
    the call was logged, leaves the rep where they are.
    """
    row = db.one("SELECT state FROM rep_states WHERE rep = ? AND ended_at IS NULL", (rep,))
    if row is None or row["state"] not in (ON_CALL, WRAP_UP):
        return False
    enter(db, rep, WRAP_UP, now, contact_id=contact_id)
    return True


def pause(
    db: Database, rep: str, code: str, now: datetime, *, settings: Settings | None = None
) -> PauseCode:
    """Pause ``rep`` with ``code`` (a code or label from ``[[pause_codes]]``), releasing
    the leads they hold and have not dialed (they go back to the queue untouched).

    Raises:
        SettingsError: unknown pause code.
        ProspectorError: the rep has dialed a lead and not logged it.
    """
    settings = settings or current_settings(db)
    chosen = settings.pause_code(code)
    with db.write(serial=False):
        dialed = db.one(
            "SELECT id FROM contacts WHERE claimed_by = ? AND dialed_at IS NOT NULL LIMIT 1",
            (rep,),
        )
        if dialed is not None:
            raise ProspectorError(
                f"{rep} dialed contact {dialed['id']} and has not logged it: log the call first"
            )
        db.execute(
            "UPDATE contacts SET claimed_by = NULL, claim_expires_at = NULL"
            " WHERE claimed_by = ? AND dialed_at IS NULL",
            (rep,),
        )
        enter(db, rep, PAUSED, now, code=chosen.code, settings=settings)
    return chosen


def resume(db: Database, rep: str, now: datetime) -> bool:
    """End the rep's pause: ready again. Returns False when they were not paused."""
    with db.write(serial=False):
        row = db.one("SELECT state FROM rep_states WHERE rep = ? AND ended_at IS NULL", (rep,))
        if row is None or row["state"] != PAUSED:
            return False
        enter(db, rep, READY, now)
    return True


def state_of(
    db: Database, rep: str, now: datetime, *, settings: Settings | None = None
) -> RepState | None:
    """The rep's state now (offline when their desk went quiet); None: never seen."""
    states = current(db, now, settings=settings, rep=rep)
    return states[0] if states else None


def current(
    db: Database, now: datetime, *, settings: Settings | None = None, rep: str | None = None
) -> list[RepState]:
    """Every rep's state as of ``now``, by name (one indexed read of the open stays).

    A stay not heard from for a lease reads as offline since it went quiet.
    """
    limit = quiet_limit(settings or current_settings(db))
    where, params = ("AND rep = ?", (rep,)) if rep is not None else ("", ())
    states = []
    for row in db.query(
        "SELECT rep, state, code, contact_id, started_at, seen_at FROM rep_states"
        f" WHERE ended_at IS NULL {where} ORDER BY rep",
        params,
    ):
        states.append(from_open_row(row, now, limit))
    return states


def from_open_row(row, now: datetime, limit: timedelta) -> RepState:
    """A rep's open ``rep_states`` row read as of ``now`` (offline once quiet past ``limit``)."""
    seen = from_db(row["seen_at"])
    if row["state"] in GO_QUIET and seen + limit < now:
        return RepState(row["rep"], OFFLINE, seen + limit, None, None, seen)
    return RepState(
        row["rep"], row["state"], from_db(row["started_at"]), row["code"], row["contact_id"], seen
    )
