"""``dial`` and ``event``: dialing from the shell, and what a phone system knows."""

from __future__ import annotations

import shlex
import sys
from datetime import datetime

import click

from prospector.cli.context import AppContext, at_option, echo_json, json_option, pass_app
from prospector.cli.params import ID, rep_name
from prospector.foundations.clock import parse_instant, to_db
from prospector.foundations.errors import ProspectorError
from prospector.foundations.limits import MAX_CALL_SECONDS
from prospector.services import call_events, dial_command, dialing
from prospector.services.windows import current_settings

rep_option = click.option(
    "--rep",
    "rep",
    metavar="NAME",
    callback=lambda ctx, param, value: rep_name(ctx, param, value) if value else None,
    help="The rep (default: the global --rep).",
)


@click.command("dial")
@click.argument("contact_id", type=ID)
@click.option(
    "--phone",
    metavar="E164",
    help="Dial this other number of the contact (give `log` the same --phone).",
)
@rep_option
@at_option
@json_option
@pass_app
def dial_command_(
    app: AppContext,
    contact_id: int,
    phone: str | None,
    rep: str | None,
    at: datetime | None,
    as_json: bool,
) -> None:
    """Mark the dial of CONTACT_ID as started and run calling.dial_command.

    The rep must hold the contact, or nobody may (it is then claimed, as a search
    hit is). The command's output is appended to the dial log (printed); a command
    that cannot start or fails at once exits 1 with one line; the dial stays
    marked, so the call can still be logged. With no dial_command set, only the
    dial is marked.

    --json prints {"contact_id", "dialed_at", "tel_uri", "argv", "log"}.
    """
    who = rep or app.rep
    now = app.clock(at)()
    with app.open_db() as db:
        settings = current_settings(db)
        template = settings.calling.dial_command
        if template is not None:
            dial_command.parse_template(template)
        target = dialing.mark_and_target(
            db, contact_id, rep=who, now=now, phone=phone, settings=settings
        )
    argv = dial_command.build_argv(template, target) if template else None
    ran = dial_command.run_dial(argv, now=now) if argv else None
    if as_json:
        echo_json(
            {
                "contact_id": contact_id,
                "dialed_at": to_db(now),
                "tel_uri": target.tel_uri,
                "argv": argv,
                "log": str(ran.log_path) if ran else None,
            }
        )
        return
    click.echo(f"contact {contact_id} dialed: {target.tel_uri}")
    if ran is None:
        click.echo("  no calling.dial_command set: dial it yourself, then log the call")
    else:
        click.echo(f"  ran   {shlex.join(ran.argv)}")
        click.echo(f"  log   {ran.log_path}")


def _instant(flag: str):
    def parse(_ctx: click.Context, _param: click.Parameter, value: str | None):
        if value is None:
            return None
        try:
            return parse_instant(value)
        except ValueError as error:
            raise ProspectorError(f"{flag} {error}") from None

    return parse


@click.command("event")
@click.argument("contact_id", type=ID, required=False, metavar="[CONTACT_ID]")
@click.option(
    "--answered-at",
    metavar="TIME",
    callback=_instant("--answered-at"),
    help="When the prospect answered (ISO 8601 with offset).",
)
@click.option(
    "--ended-at", metavar="TIME", callback=_instant("--ended-at"), help="When the call ended."
)
@click.option(
    "--duration",
    type=click.IntRange(0, MAX_CALL_SECONDS),
    help="Talk time in seconds (else from --answered-at to --ended-at).",
)
@click.option("--recording", metavar="URL", help="The call's recording (https only).")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read JSON lines from standard input.")
@rep_option
@at_option
@json_option
@pass_app
def event_command(
    app: AppContext,
    contact_id: int | None,
    answered_at: datetime | None,
    ended_at: datetime | None,
    duration: int | None,
    recording: str | None,
    from_stdin: bool,
    rep: str | None,
    at: datetime | None,
    as_json: bool,
) -> None:
    """Attach what a phone system knows to CONTACT_ID's call.

    The call in progress (dialed, not logged yet) takes it when its outcome is
    logged: its duration becomes the talk time unless the rep gives one. With no
    call in progress, the contact's last logged call is updated (talk time from
    --duration, else from --answered-at to --ended-at), and the reports with it.

    \b
    --stdin reads one JSON object a line instead, e.g.
      {"contact_id": 28, "answered_at": "2026-11-24T15:02:10Z",
       "ended_at": "2026-11-24T15:06:40Z", "recording": "https://pbx.example/r/1.mp3"}
    (keys: contact_id, answered_at, ended_at, duration, recording, rep). Each line
    is its own transaction: a bad one is reported (stdin line N: field: expected
    ...) and the command exits 1, the good ones are kept.

    --json prints, per event, {"contact_id", "call_id" (null: in progress),
    "pending", "answered_at", "ended_at", "talk_seconds", "recording"}.
    """
    who = rep or app.rep
    now = app.clock(at)()
    if from_stdin:
        if contact_id is not None or any(
            v is not None for v in (answered_at, ended_at, duration, recording)
        ):
            raise ProspectorError("--stdin takes everything from its lines: give no ID or fields")
        _events_from_stdin(app, who, now, as_json)
        return
    if contact_id is None:
        raise ProspectorError("event: give a contact ID (or --stdin)")
    event = call_events.CallEvent(
        contact_id,
        answered_at=answered_at,
        ended_at=ended_at,
        duration=duration,
        recording_url=call_events.check_recording_url(recording) if recording else None,
    )
    with app.open_db() as db:
        result = call_events.record_event(db, event, rep=who, now=now)
    _report(result, as_json)


def _events_from_stdin(app: AppContext, rep: str, now: datetime, as_json: bool) -> None:
    failed = 0
    with app.open_db() as db:
        settings = current_settings(db)
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                event, named = call_events.parse_line(line, number)
                result = call_events.record_event(
                    db, event, rep=named or rep, now=now, settings=settings
                )
            except ProspectorError as error:
                failed += 1
                text = str(error)
                if not text.startswith("stdin line"):
                    text = f"stdin line {number}: {text}"
                click.echo(f"error: {text}", err=True)
                continue
            _report(result, as_json)
    if failed:
        raise SystemExit(1)


def _report(result: call_events.EventResult, as_json: bool) -> None:
    if as_json:
        echo_json(result.to_json())
        return
    where = (
        "call in progress (taken when it is logged)" if result.pending else f"call {result.call_id}"
    )
    talk = f"; talk time {result.talk_seconds} s" if result.talk_seconds is not None else ""
    click.echo(f"contact {result.contact_id}: event attached to the {where}{talk}")


def register(group: click.Group) -> None:
    for command in (dial_command_, event_command):
        group.add_command(command)
