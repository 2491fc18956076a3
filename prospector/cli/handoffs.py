"""``qualify``, ``handoffs`` (list, ``ack``) and ``export``: the handoff commands."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from prospector.cli.context import (
    AppContext,
    anyway_option,
    at_option,
    echo_json,
    handoff_options,
    json_option,
    pass_app,
    refuse_outside_window,
)
from prospector.cli.params import ID, FiniteRange
from prospector.foundations.limits import MAX_WEBHOOK_ATTEMPTS, MAX_WEBHOOK_TIMEOUT
from prospector.services import handoffs as handoff_service
from prospector.services.calls import check_meeting
from prospector.services.settings import load_settings
from prospector.services.settings.model import CRM_ANSWERS

if TYPE_CHECKING:
    from prospector.services import export as export_service


def _both_times(instant: datetime, prospect: ZoneInfo, rep: ZoneInfo) -> str:
    theirs = instant.astimezone(prospect).strftime("%a %Y-%m-%d %H:%M %Z")
    mine = instant.astimezone(rep).strftime("%H:%M %Z")
    return f"{theirs} for the prospect ({prospect.key}), {mine} for you"


@click.command("qualify")
@click.argument("contact_id", type=ID)
@handoff_options("The handoff's ")
@click.option("--note", metavar="T", help="A note for the outside rep.")
@anyway_option
@at_option
@json_option
@pass_app
def qualify(
    app: AppContext,
    contact_id: int,
    amount: str | None,
    meeting: str | None,
    owner: str | None,
    budget: str | None,
    authority: str | None,
    need: str | None,
    timeline: str | None,
    note: str | None,
    anyway: bool,
    at: datetime | None,
    as_json: bool,
) -> None:
    """Hand CONTACT_ID to an outside rep (or update its pending handoff).

    A new handoff needs what the meeting set needs (its `requires` in the
    settings: the --meeting time by default); an update adds to what it has.

    A --meeting time outside the prospect's calling window (a holiday, the
    weekend, night, lunch) is refused, naming why, unless --anyway is given.
    """
    now = app.clock(at)()
    with app.open_db() as db:
        meeting_at = None
        if meeting is not None:
            checked = check_meeting(db, contact_id, meeting, now=now)
            refuse_outside_window(checked, "--meeting", meeting, anyway)
            meeting_at = checked.at
        settings = load_settings(db)
        handoff = handoff_service.qualify(
            db,
            contact_id,
            rep=app.rep,
            now=now,
            settings=settings,
            requires=handoff_service.new_handoff_requires(settings),
            amount=amount,
            meeting_at=meeting_at,
            owner=owner,
            budget=budget,
            authority=authority,
            need=need,
            timeline=timeline,
            note=note,
        )
        team_zone = settings.team.zone
        prospect_zone = handoff_service.contact_zone(db, contact_id, team_zone)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "handoff_id": handoff.id,
                    "contact_id": handoff.contact_id,
                    "owner": handoff.owner,
                }
            )
        )
        return
    who = handoff.contact_name or f"contact {contact_id}"
    company = f" ({handoff.company})" if handoff.company else ""
    click.echo(f"handoff {handoff.id}: {who}{company} → {handoff.owner}")
    if handoff.meeting_at:
        click.echo(f"  meeting: {_both_times(handoff.meeting_at, prospect_zone, team_zone)}")
    if handoff.amount:
        click.echo(f"  amount: {handoff.amount}")


@click.group("handoffs", invoke_without_command=True)
@click.option(
    "--status",
    metavar="STATUS",
    help="Only handoffs with this status: pending, exported, accepted or rejected.",
)
@json_option
@click.pass_context
def handoffs_group(ctx: click.Context, status: str | None, as_json: bool) -> None:
    """List handoffs by status; `handoffs ack FILE` records the CRM's answers.

    --json keys include status and the CRM's latest answer: crm_status, crm_stage,
    crm_amount, crm_close_date, crm_answered_at.
    """
    if ctx.invoked_subcommand is not None:
        return
    app = ctx.find_object(AppContext)
    assert app is not None
    with app.open_db() as db:
        rows = handoff_service.list_handoffs(db, status)
    if as_json:
        echo_json([h.as_json() for h in rows])
        return
    if not rows:
        click.echo(f"no {status + ' ' if status else ''}handoffs")
        return
    click.echo(
        f"{'id':>5}  {'status':<9}  {'contact':<24}  {'owner':<18}  {'amount':>11}  {'meeting':<17}"
        "  crm"
    )
    for h in rows:
        meeting = h.meeting_at.strftime("%Y-%m-%d %H:%MZ") if h.meeting_at else ""
        name = (h.contact_name + (f", {h.company}" if h.company else ""))[:24]
        click.echo(
            f"{h.id:>5}  {h.status:<9}  {name:<24}  {h.owner[:18]:<18}"
            f"  {h.amount or '':>11}  {meeting:<17}  {_crm_answer(h)}".rstrip()
        )


def _facts(stage: str | None, amount: str | None, close: str | None, reason: str | None) -> str:
    closes = f"closes {close}" if close else None
    return ", ".join(fact for fact in (stage, amount, closes, reason) if fact)


def _crm_answer(h: handoff_service.Handoff) -> str:
    """``won: Closed Won, 14000.00, closes 2026-12-15``: the CRM's latest answer."""
    if h.crm_status is None:
        return ""
    return f"{h.crm_status}: {_facts(h.crm_stage, h.crm_amount, h.crm_close_date, None)}"


@handoffs_group.command("show")
@click.argument("handoff_id", type=ID)
@json_option
@pass_app
def show(app: AppContext, handoff_id: int, as_json: bool) -> None:
    """Show handoff HANDOFF_ID and every answer the CRM gave about it."""
    with app.open_db() as db:
        handoff = handoff_service.get_handoff(db, handoff_id)
        history = handoff_service.answer_history(db, handoff_id)
    if as_json:
        echo_json({**handoff.as_json(), "answers": [a.as_json() for a in history]})
        return
    company = f" ({handoff.company})" if handoff.company else ""
    click.echo(f"handoff {handoff.id}: {handoff.contact_name}{company} → {handoff.owner}")
    click.echo(
        f"  status: {handoff.status}" + (f" (batch {handoff.batch_id})" if handoff.batch_id else "")
    )
    if handoff.amount:
        click.echo(f"  amount: {handoff.amount}")
    if handoff.crm_status:
        click.echo(f"  crm: {_crm_answer(handoff)}")
    for answer in history:
        amount = handoff_service.format_amount(answer.amount_cents)
        facts = _facts(answer.crm_stage, amount, answer.close_date, answer.reason)
        click.echo(
            f"  {answer.answered_at.strftime('%Y-%m-%d %H:%MZ')}  {answer.crm_status:<8}  {facts}"
        )


@handoffs_group.command("ack")
@click.argument("file", type=click.Path(dir_okay=False))
@at_option
@json_option
@pass_app
def ack(app: AppContext, file: str, at: datetime | None, as_json: bool) -> None:
    """Record the CRM's answers from FILE: a Salesforce report, HubSpot export or CSV.

    --json keys: file, crm, rows, recorded, open, accepted, rejected, won, lost,
    unchanged, older, without_id.
    """
    with app.open_db() as db:
        result = handoff_service.ack_handoffs(db, file, now=app.clock(at)())
    if as_json:
        click.echo(json.dumps(result.as_json()))
        return
    counts = result.as_json()
    recorded = ", ".join(f"{counts[s]} {s}" for s in CRM_ANSWERS if counts[s])
    rows = f"{result.rows} row{'s' if result.rows != 1 else ''}"
    line = f"{file}: {rows} ({result.crm}): {result.recorded} recorded"
    line += f" ({recorded})" if recorded else ""
    line += f", {result.unchanged} unchanged"
    if result.older:
        line += f", {result.older} older than the answer kept (history only)"
    if result.without_id:
        line += f"; {result.without_id} without a Prospector id left alone"
    click.echo(line)


def _deadline(ctx: click.Context, param: click.Parameter, value: str) -> float:
    from prospector.services.export.webhook import WebhookOptionsError, parse_deadline

    try:
        return parse_deadline(value)
    except WebhookOptionsError as error:
        raise click.BadParameter(str(error), ctx, param) from None


@click.command("export")
@click.option(
    "--format",
    "format_",
    metavar="FORMAT",
    help="salesforce (accounts, contacts, opportunities), salesforce-leads, hubspot,"
    " csv (default) or jsonl.",
)
@click.option("--out", "out_dir", metavar="DIR", default=".", help="Directory for the files.")
@click.option("--webhook", metavar="URL", help="POST each handoff to URL instead of files.")
@click.option("--resend", is_flag=True, help="Include handoffs already exported.")
@click.option("--batch", "batch_id", type=ID, metavar="N", help="Write batch N again.")
@click.option(
    "--timeout",
    type=FiniteRange(0, MAX_WEBHOOK_TIMEOUT, min_open=True),
    default=10.0,
    show_default=True,
    help="Webhook: seconds per request.",
)
@click.option(
    "--attempts",
    type=click.IntRange(1, MAX_WEBHOOK_ATTEMPTS),
    default=4,
    show_default=True,
    help="Webhook: tries per handoff.",
)
@click.option(
    "--deadline",
    metavar="DURATION",
    default="30m",
    show_default=True,
    callback=_deadline,
    help="Webhook: time for the whole batch (10m, 90s, 1h); the rest is not sent.",
)
@at_option
@json_option
@pass_app
def export(
    app: AppContext,
    format_: str | None,
    out_dir: str,
    webhook: str | None,
    resend: bool,
    batch_id: int | None,
    timeout: float,
    attempts: int,
    deadline: float,
    at: datetime | None,
    as_json: bool,
) -> None:
    """Export pending handoffs as one numbered batch (files or a webhook).

    Every path (a new batch, --resend, --batch N) leaves out handoffs whose contact
    is on the do-not-call list now and names them; --batch N writes the batch's
    stored payloads minus those. --json prints {"batch", "count", "format", "path",
    "files", "failed", "held_dnc", "left_out": [{"handoff_id", "contact_id",
    "reason", "detail"}], "rewritten", "in_flight", "warnings", "not_sent", "stopped"}.
    """
    # Imported here: the export machinery (http, signing) is not needed by other commands.
    from prospector.services import export as export_service

    options = export_service.WebhookOptions(timeout=timeout, attempts=attempts, deadline=deadline)
    with app.open_db() as db:
        if batch_id is not None:
            result = export_service.rewrite_batch(
                db,
                batch_id,
                out_dir=out_dir,
                format=format_,
                webhook_url=webhook,
                webhook_options=options,
            )
        else:
            result = export_service.export_pending(
                db,
                now=app.clock(at)(),
                actor=app.rep,
                format=format_,
                out_dir=out_dir,
                webhook_url=webhook,
                resend=resend,
                webhook_options=options,
            )
    if as_json:
        click.echo(json.dumps(result.as_json()))
    else:
        _describe_export(result)
    left = _left_as(batch_id, resend)
    if result.failed:
        listed = ", ".join(f"{f.handoff_id} ({f.error})" for f in result.failed[:5])
        more = len(result.failed) - 5
        click.echo(
            f"error: webhook: {len(result.failed)} handoff(s) not accepted, {left}:"
            f" {listed}{f' and {more} more' if more > 0 else ''}",
            err=True,
        )
    if result.stopped:
        click.echo(
            f"error: webhook: stopped, {result.stopped}: {result.not_sent} handoff(s) not sent,"
            f" {left} for the next export{_again(batch_id, resend)}",
            err=True,
        )
    if result.failed or result.stopped:
        sys.exit(1)


def _left_as(batch_id: int | None, resend: bool) -> str:
    """What an undelivered handoff's status is left as: only a new batch's handoffs
    are all pending (--resend also sends exported ones, --batch N records nothing)."""
    if batch_id is not None:
        return "status unchanged"
    return "left pending or exported as they were" if resend else "left pending"


def _again(batch_id: int | None, resend: bool) -> str:
    if batch_id is not None:
        return f" --batch {batch_id}"
    return " --resend" if resend else ""


def _describe_export(result: export_service.ExportResult) -> None:
    if result.batch is None:
        if result.in_flight:
            click.echo("nothing else to export")
        elif result.left_out:
            click.echo("nothing to export: every pending handoff is left out")
        else:
            click.echo("nothing to export: no pending handoffs")
    elif result.rewritten and not result.count and not result.failed:
        click.echo(f"batch {result.batch}: nothing written again: every handoff in it is left out")
    else:
        verb = "written again" if result.rewritten else "exported"
        click.echo(
            f"batch {result.batch}: {result.count} handoff(s) {verb} ({result.format})"
            f" to {result.path}"
        )
        for path in result.files:
            click.echo(f"  {path}")
    for warning in result.warnings:
        click.echo(f"warning: {warning}")
    dnc = [entry for entry in result.left_out if entry.reason == "dnc"]
    if dnc:
        click.echo(f"{len(dnc)} handoff(s) left out: contact is on the do-not-call list")
        for entry in dnc[:_LISTED]:
            click.echo(f"  handoff {entry.handoff_id}: {entry.detail}")
        if len(dnc) > _LISTED:
            click.echo(f"  and {len(dnc) - _LISTED} more (--json lists them all)")
    if result.in_flight:
        batches = ", ".join(str(n) for n in result.sending_batches)
        click.echo(
            f"{result.in_flight} handoff(s) left out: webhook batch {batches} is still sending them"
        )


_LISTED = 10  # left-out handoffs named one per line; --json has them all


def register(group: click.Group) -> None:
    group.add_command(qualify)
    group.add_command(handoffs_group)
    group.add_command(export)
