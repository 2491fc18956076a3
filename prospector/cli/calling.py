"""``queue``, ``next``, ``log`` and ``claim``: working the call queue from the shell."""

from __future__ import annotations

import shutil
from datetime import datetime

import click

from prospector.cli.context import (
    HANDOFF_OPTIONS,
    AppContext,
    anyway_option,
    at_option,
    echo_json,
    handoff_options,
    json_option,
    limit_option,
    pass_app,
    refuse_outside_window,
)
from prospector.cli.params import ID
from prospector.foundations.clock import to_db
from prospector.foundations.errors import ProspectorError, TimeWordsError
from prospector.foundations.limits import MAX_CALL_SECONDS
from prospector.services import (
    call_outcomes,
    calls,
    claims,
    contact_phones,
    forecast,
    queue,
    standby,
)
from prospector.services.assignment import AssignmentError
from prospector.services.handoffs import HandoffError
from prospector.services.next_callable import next_callable
from prospector.services.windows import current_settings


@click.command("queue")
@limit_option
@click.option(
    "--forecast",
    "show_forecast",
    is_flag=True,
    help="Work left per rep and for the team (see below) instead of the list.",
)
@click.option(
    "--alert-below",
    metavar="DURATION",
    help="Exit 3 with one line when the team's work left today is under DURATION (2h, 90m).",
)
@click.option("--refill", is_flag=True, help="Open the next standby list if work is low.")
@click.option("--lists", "show_lists", is_flag=True, help="The standby lists and their state.")
@at_option
@json_option
@pass_app
def queue_command(
    app: AppContext,
    limit: int,
    show_forecast: bool,
    alert_below: str | None,
    refill: bool,
    show_lists: bool,
    at: datetime | None,
    as_json: bool,
) -> None:
    """The rep's next callable contacts, in order, without claiming any.

    \b
    --forecast, per rep (territory in settings, or a call in 14 days) and TEAM:
      now       contacts callable now (as queue/next would offer them)
      today     dials the workable contacts can still take today, within their
                windows: each at most calling.max_dials_per_day minus its dials
                this local day, and at most its tier's attempts left; in hours
                at the team's minutes per dial
      tomorrow  the same for the next team day (due by then, fresh daily cap)
      sla 1h    new leads whose first-touch deadline falls in the next hour;
      overdue   and those already past it
      next      when none of their windows is open: when the first one opens
    Minutes per dial: over the last 14 team days, each rep's span per day (first
    to last call) summed, divided by those days' dials; with no history,
    calling.minutes_per_dial (default 3). The output says which.

    \b
    --alert-below 2h: exit 3 and print one line when the team's work left today
    is under 2 h; otherwise print nothing and exit 0 (cron mails only alerts).
    --forecast, --alert-below and --refill first open the next standby list when
    the team's work left today is under calling.refill_below.
    """
    now = app.clock(at)()
    if show_forecast or alert_below or refill or show_lists:
        _queue_health(app, now, show_forecast, alert_below, refill, show_lists, as_json)
        return
    with app.open_db() as db:
        items = queue.build_queue(db, rep=app.rep, now=now, limit=limit)
    if as_json:
        echo_json([item.to_json() for item in items])
        return
    if not items:
        click.echo("nothing callable now")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"queue for {app.rep}", title_justify="left")
    for heading in ("#", "id", "name", "company", "phone", "local time", "tier", "reason"):
        table.add_column(heading)
    for number, item in enumerate(items, start=1):
        table.add_row(
            str(number),
            str(item.contact_id),
            item.name,
            item.company or "",
            contact_phones.with_extension(item.phone, item.phone_ext),
            f"{item.local_time:%a %H:%M %Z}",
            item.tier or "",
            item.reason,
        )
    Console(width=max(120, shutil.get_terminal_size().columns)).print(table)


def _queue_health(
    app: AppContext,
    now: datetime,
    show_forecast: bool,
    alert_below: str | None,
    refill: bool,
    show_lists: bool,
    as_json: bool,
) -> None:
    threshold = forecast.parse_work_duration(alert_below) if alert_below else None
    with app.open_db() as db:
        settings = current_settings(db)
        opened: list[tuple[str, int]] = []
        work = None
        if show_forecast or threshold is not None or refill:
            work = forecast.forecast(db, now=now, settings=settings)
            opened = forecast.refill(db, now=now, actor=app.rep, settings=settings, work=work)
            if opened:
                work = forecast.forecast(db, now=now, settings=settings)
        lists = standby.states(db, settings)
    waiting = [state.name for state in lists if state.opened_at is None]
    for name, released in opened if not as_json else ():
        click.echo(f"opened standby list {name}: {released} contacts now callable")
    if show_forecast and work is not None:
        if as_json:
            echo_json({**work.to_json(), "opened": [name for name, _ in opened]})
        else:
            _print_forecast(work)
    if show_lists:
        if as_json:
            echo_json([state.to_json() for state in lists])
        else:
            _print_lists(lists, settings.team.zone)
    if refill and not (show_forecast or show_lists or threshold):
        if as_json:
            echo_json({"opened": [{"list": name, "contacts": n} for name, n in opened]})
        elif not opened:
            click.echo("no standby list opened")
    if threshold is not None and work is not None:
        line = forecast.alert_line(work, threshold, waiting)
        if line is not None:
            click.echo(line)
            raise SystemExit(3)


def _print_forecast(work: forecast.Forecast) -> None:
    click.echo(f"forecast at {work.now:%Y-%m-%d %H:%M} UTC; tomorrow = {work.tomorrow:%a %Y-%m-%d}")
    click.echo(f"pace: {work.pace.describe()}")
    click.echo(
        f"{'rep':<12} {'now':>5} {'today':>13} {'tomorrow':>13} {'sla 1h':>6} {'overdue':>7}"
        "  next window"
    )
    for row in (*work.reps, work.team):
        opens = (
            "open now"
            if row.open_now
            else (f"{row.next_window:%a %Y-%m-%d %H:%M} UTC" if row.next_window else "none")
        )
        click.echo(
            f"{row.who:<12} {row.callable_now:>5} {row.dials_today:>5} ({row.hours_today:>4.1f} h)"
            f" {row.dials_tomorrow:>5} ({row.hours_tomorrow:>4.1f} h) {row.sla_next_hour:>6}"
            f" {row.sla_overdue:>7}  {opens}"
        )


def _print_lists(lists: list[standby.StandbyState], zone) -> None:
    if not lists:
        click.echo("no standby lists in the settings")
        return
    for state in lists:
        when = (
            f"opened {state.opened_at.astimezone(zone):%Y-%m-%d %H:%M %Z} ({state.reason})"
            if state.opened_at
            else "waiting"
        )
        click.echo(
            f"{state.order:>3}  {state.name}  {state.contacts} contacts, {state.held} held  {when}"
        )


@click.command("next")
@at_option
@json_option
@pass_app
def next_command(app: AppContext, at: datetime | None, as_json: bool) -> None:
    """Claim the next contact for the rep (for the lease time).

    When nothing is callable, says when the next contact becomes callable and why
    (a window opening, a callback or a retry coming due); --json then prints null,
    as the command-line contract has it.
    """
    now = app.clock(at)()
    with app.open_db() as db:
        item = claims.claim_next(db, rep=app.rep, now=now)
        if item is None and as_json:
            echo_json(None)
            return
        upcoming = None if item is not None else next_callable(db, rep=app.rep, now=now)
    if upcoming is not None:
        if upcoming.at is None:
            click.echo(f"nothing callable now: {upcoming.text}")
        else:
            click.echo(f"nothing callable now; next: {upcoming.text}")
        return
    assert item is not None
    if as_json:
        echo_json({**item.to_json(), "claimed_by": item.claimed_by})
        return
    click.echo(f"{item.contact_id}  {item.name} — {item.company or ''}".rstrip(" —"))
    click.echo(f"  phone       {contact_phones.with_extension(item.phone, item.phone_ext)}")
    click.echo(f"  local time  {item.local_time:%a %H:%M %Z} ({', '.join(item.timezones)})")
    click.echo(f"  why         {item.reason}")
    if item.claim_expires_at:
        until = item.claim_expires_at.astimezone(item.local_time.tzinfo)
        click.echo(f"  claimed by  {item.claimed_by} until {until:%H:%M %Z}")


@click.command("log")
@click.argument("contact_id", type=ID)
@click.argument("disposition")
@click.option("--note", help="What was said.")
@click.option("--callback", "callback_words", metavar="WHEN", help="e.g. 'tue 10am', 'in 2 hours'.")
@click.option("--anyone", is_flag=True, help="Any rep may take the callback (default: mine).")
@click.option(
    "--duration",
    type=click.IntRange(0, MAX_CALL_SECONDS),
    default=None,
    help="Talk time in seconds (at most a day); default: a phone system's (`event`), else 0.",
)
@click.option(
    "--phone",
    metavar="E164",
    help="The call was made on this other number of the contact (default: the dialled one).",
)
@click.option(
    "--tag",
    "tags",
    multiple=True,
    metavar="OBJECTION",
    help="An objection the prospect raised, by key or label (repeatable).",
)
@handoff_options("Meeting set: ")
@anyway_option
@at_option
@json_option
@pass_app
def log_command(
    app: AppContext,
    contact_id: int,
    disposition: str,
    note: str | None,
    callback_words: str | None,
    anyone: bool,
    duration: int | None,
    phone: str | None,
    tags: tuple[str, ...],
    amount: str | None,
    meeting: str | None,
    owner: str | None,
    budget: str | None,
    authority: str | None,
    need: str | None,
    timeline: str | None,
    anyway: bool,
    at: datetime | None,
    as_json: bool,
) -> None:
    """Record a call on CONTACT_ID with DISPOSITION (a code or its hotkey).

    The call was made on the contact's dialled number, or on another of its
    numbers given with --phone (the switch is written to the audit log; a connect
    there makes it the dialled number). A wrong number marks the number bad and
    moves on to the contact's next good number; the contact closes when none is
    left. A qualified contact stays qualified: the call is recorded, nothing is
    scheduled.

    A disposition that qualifies (meeting_set) makes the handoff with the call, in
    one transaction, from --amount, --meeting, --owner, the BANT answers and --note;
    the ones its settings require (meeting_set: --meeting) must be given, else
    nothing is logged.

    A --callback or --meeting time outside the prospect's calling window (a
    holiday, the weekend, night, lunch) is refused, naming why and when the window
    next opens, unless --anyway is given.

    --tag tags the call with an objection of the settings' [[objections]] (its
    key or label; `report objections` counts them).

    --json prints {"call_id", "contact_id", "disposition", "status",
    "next_call_at", "phone", "phone_ext", "next_phone", "tags"}, and "handoff_id"
    when a handoff was made.
    """
    now = app.clock(at)()
    with app.open_db() as db:
        settings = current_settings(db)
        chosen = settings.disposition(disposition)  # an unknown one fails before anything else
        for tag in tags:
            settings.objection(tag)  # as does an unknown objection
        meeting_at = None
        if meeting is not None:
            try:
                checked = calls.check_meeting(db, contact_id, meeting, now=now, settings=settings)
            except TimeWordsError as error:
                raise ProspectorError(f"{error}; nothing was logged") from None
            refuse_outside_window(checked, "--meeting", meeting, anyway)
            meeting_at = checked.at
        answers = call_outcomes.HandoffAnswers(
            amount=amount,
            meeting=meeting_at,
            owner=owner,
            budget=budget,
            authority=authority,
            need=need,
            timeline=timeline,
            # As the workbench's form does: the call's note is the handoff's too.
            note=note if chosen.then == "qualify" else None,
        )
        check = None
        if callback_words is not None:
            try:
                check = calls.resolve_callback(
                    db, contact_id, callback_words, now=now, settings=settings
                )
            except TimeWordsError as error:
                raise TimeWordsError(f"--callback {error}") from None
            refuse_outside_window(check, "--callback", callback_words, anyway)
        try:
            outcome = call_outcomes.log_outcome(
                db,
                contact_id,
                disposition,
                rep=app.rep,
                now=now,
                answers=answers,
                note=note,
                callback=check.at if check else None,
                callback_scope="anyone" if anyone else "mine",
                duration=duration,
                phone=phone,
                audit_switch=True,
                settings=settings,
                tags=tags,
            )
        except call_outcomes.MissingAnswersError as error:
            flags = " ".join(f"--{name} {_METAVARS[name]}" for name in error.missing)
            raise ProspectorError(
                f"log {contact_id} {error.disposition}: give {flags} (a {error.disposition}"
                " call makes the handoff with it); nothing was logged"
            ) from None
        except (TimeWordsError, HandoffError, AssignmentError) as error:
            # A refused answer (time words, amount, owner): the call went with it.
            raise ProspectorError(f"{error}; nothing was logged") from None
        logged, handoff = outcome.call, outcome.handoff
        rep_zone = settings.team.zone
        wrong_number = chosen.then == "wrong_number"
    if as_json:
        payload = outcome.to_json()
        if logged.callback is not None:
            payload["callback_outside_window"] = not logged.callback.inside_window
            payload["callback_warning"] = logged.callback.warning
        echo_json(payload)
        return
    click.echo(
        f"logged call {logged.call_id}: contact {logged.contact_id} {logged.disposition}"
        f" (attempt {logged.attempt}) → {logged.status}"
    )
    if phone is not None:
        click.echo(f"  phone       {contact_phones.with_extension(logged.phone, logged.phone_ext)}")
    if logged.next_phone is not None:
        moved = logged.next_phone
        number = contact_phones.with_extension(moved.e164, moved.extension)
        click.echo(f"  wrong number: next number {number} ({moved.kind}) is dialled from now on")
    elif logged.status == "closed" and wrong_number:
        click.echo("  wrong number: no good number left, contact closed")
    if logged.callback is not None:
        click.echo(f"  callback    {logged.callback.describe()}")
    elif logged.next_call_at is not None:
        theirs = logged.next_call_at
        click.echo(
            f"  next call   {theirs:%a %d %b %H:%M %Z} (prospect)"
            f" = {theirs.astimezone(rep_zone):%a %H:%M %Z} (you)"
        )
    if logged.tags:
        click.echo(f"  objections  {', '.join(logged.tags)}")
    if logged.dnc_added:
        click.echo("  number added to the do-not-call list")
    if handoff is not None:
        click.echo(f"  handoff {handoff.id} → {handoff.owner} (pending export)")
    elif logged.kept_qualified:
        click.echo("  the contact stays qualified: the call is recorded, nothing is scheduled")


# As `qualify` shows them, for the hint naming what a qualifying disposition lacks.
_METAVARS = {flag.removeprefix("--"): metavar for flag, metavar, _help in HANDOFF_OPTIONS}
_METAVARS["note"] = "T"


@click.group("claim")
def claim_group() -> None:
    """Leases on contacts: renew, release, mark dialed, list forgotten dials."""


@claim_group.command("renew")
@click.argument("contact_id", type=ID)
@at_option
@json_option
@pass_app
def claim_renew(app: AppContext, contact_id: int, at: datetime | None, as_json: bool) -> None:
    """Extend the rep's lease on CONTACT_ID.

    --json prints {"contact_id", "claimed_by", "claim_expires_at"}.
    """
    with app.open_db() as db:
        until = claims.renew_claim(db, contact_id, rep=app.rep, now=app.clock(at)())
    if as_json:
        echo_json(
            {"contact_id": contact_id, "claimed_by": app.rep, "claim_expires_at": to_db(until)}
        )
        return
    click.echo(f"contact {contact_id} claimed by {app.rep} until {until:%Y-%m-%d %H:%M} UTC")


@claim_group.command("release")
@click.argument("contact_id", type=ID)
@at_option
@json_option
@pass_app
def claim_release(app: AppContext, contact_id: int, at: datetime | None, as_json: bool) -> None:
    """Give CONTACT_ID back to the queue.

    --json prints {"contact_id", "released"}.
    """
    with app.open_db() as db:
        released = claims.release_claim(
            db, contact_id, rep=app.rep, reason="released from the CLI", now=app.clock(at)()
        )
    if as_json:
        echo_json({"contact_id": contact_id, "released": released})
        return
    click.echo(f"contact {contact_id} {'released' if released else 'was not claimed by you'}")


@claim_group.command("dialed")
@click.argument("contact_id", type=ID)
@at_option
@json_option
@pass_app
def claim_dialed(app: AppContext, contact_id: int, at: datetime | None, as_json: bool) -> None:
    """Record that the rep started dialing CONTACT_ID (it then waits for a disposition).

    --json prints {"contact_id", "dialed_at"}.
    """
    now = app.clock(at)()
    with app.open_db() as db:
        claims.mark_dialed(db, contact_id, rep=app.rep, now=now)
    if as_json:
        echo_json({"contact_id": contact_id, "dialed_at": to_db(now)})
        return
    click.echo(f"contact {contact_id} dialed; log the call when it ends")


@claim_group.command("list")
@at_option
@json_option
@pass_app
def claim_list(app: AppContext, at: datetime | None, as_json: bool) -> None:
    """The rep's dialed calls that never got a disposition."""
    with app.open_db() as db:
        items = claims.undispositioned_claims(db, rep=app.rep, now=app.clock(at)())
    if as_json:
        echo_json([{**item.to_json(), "claimed_by": item.claimed_by} for item in items])
        return
    for item in items:
        phone = contact_phones.with_extension(item.phone, item.phone_ext)
        click.echo(f"{item.contact_id}  {item.name}  {phone}  {item.reason}")
    if not items:
        click.echo("no dialed calls waiting for a disposition")


def register(group: click.Group) -> None:
    for command in (queue_command, next_command, log_command, claim_group):
        group.add_command(command)
