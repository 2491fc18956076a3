"""``prospector search`` and ``prospector show``: the workbench's ``/`` and lead card."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

from prospector.cli.context import (
    AppContext,
    at_option,
    echo_json,
    json_option,
    limit_option,
    pass_app,
)
from prospector.cli.params import ID

if TYPE_CHECKING:
    from prospector.services.accounts import Colleagues
    from prospector.services.contacts import ContactCard
    from prospector.services.handoffs import Handoff


@click.command("search")
@click.argument("text")
@limit_option
@json_option
@pass_app
def search_command(app: AppContext, text: str, limit: int, as_json: bool) -> None:
    """Find contacts by id, phone, name, email or company, as the workbench's / does.

    TEXT is matched without regard to case or accents (Muller finds Müller), and
    literally (% and _ are plain characters). A phone may be typed in national
    form (0131 496 0624, (212) 555-0100). A number that is a contact's id or
    phone finds that contact alone. Finding nothing is not an error: exit 0.
    --json prints a list of {"contact_id", "name", "company", "phone", "status"}.
    """
    from prospector.services.search import search_contacts

    with app.open_db() as db:
        matches = search_contacts(db, text, limit) or []
    if as_json:
        echo_json([match.as_json() for match in matches])
        return
    if not matches:
        click.echo("no contact matches")
        return
    for match in matches:
        click.echo(
            f"{match.contact_id}  {match.name} · {match.company or '-'} · {match.phone}"
            f"  ({match.status})"
        )


@click.command("show")
@click.argument("contact_id", metavar="CONTACT_ID", type=ID)
@at_option
@json_option
@pass_app
def show_command(app: AppContext, contact_id: int, at: datetime | None, as_json: bool) -> None:
    """Print everything known about CONTACT_ID: the workbench's lead card, its calls
    with their notes, its handoff, and its colleagues (the account's other contacts:
    status, last call and who made it, and which rep holds them now).

    "phones" lists every phone of the contact in dial order, with its kind
    (direct, work, mobile, other, company), extension, and whether it is bad or
    the one dialled.

    --json prints the card's fields ("contact_id", "name", "phone", "timezones",
    "local_time", "status", "tier", "dnc", "attempts", "next_call_at",
    "claimed_by", ...) with "phones" ({"e164", "kind", "extension", "number_type",
    "bad", "dialled"}), "calls" and "handoffs" lists, and "colleagues": the
    account's other contacts, most relevant first (held by a rep now, meeting
    set, last called), at most 50, each {"contact_id", "name", "title", "status",
    "last_call" ({"at", "disposition", "rep"} or null), "held_by", "held_until"},
    with "colleagues_total". An unknown id is an error (exit 1).
    """
    from prospector.services.accounts import colleagues
    from prospector.services.contacts import contact_card
    from prospector.services.handoffs import contact_handoffs

    now = app.clock(at)()
    with app.open_db() as db:
        card = contact_card(db, contact_id, now=now)
        handoffs = contact_handoffs(db, contact_id)
        others = colleagues(db, contact_id, now=now, limit=SHOWN_COLLEAGUES)
    if as_json:
        echo_json(
            {
                **card.as_json(),
                "handoffs": [handoff.as_json() for handoff in handoffs],
                "colleagues": [colleague.as_json() for colleague in others.shown],
                "colleagues_total": others.total,
            }
        )
        return
    for line in card_lines(card, handoffs):
        click.echo(line)
    for line in colleague_lines(card, others):
        click.echo(line)


SHOWN_COLLEAGUES = 50
"""How many of the account's other contacts ``show`` lists (it says how many more)."""


def colleague_lines(card: ContactCard, others: Colleagues) -> list[str]:
    """The account's other contacts, most relevant first: status, last call, holder."""
    zone = card.local_time.tzinfo
    if not others.total:
        return ["  colleagues  none"]
    lines = [f"  colleagues  {others.total} at {card.company or 'the account'}"]
    for colleague in others.shown:
        call = "never called"
        if colleague.last_call_at is not None:
            at = colleague.last_call_at.astimezone(zone)
            call = f"last call {at:%Y-%m-%d %H:%M %Z} {colleague.last_disposition}"
            call += f" by {colleague.last_rep}"
        held = f"  held by {colleague.held_by}" if colleague.held_by else ""
        title = f", {colleague.title}" if colleague.title else ""
        lines.append(
            f"    {colleague.contact_id}  {colleague.name}{title}  {colleague.status}  {call}{held}"
        )
    if others.more:
        lines.append(f"    and {others.more} more")
    return lines


def card_lines(card: ContactCard, handoffs: list[Handoff]) -> list[str]:
    """The card as text; times in the prospect's zone, as the workbench shows them."""
    from prospector.services.contact_phones import with_extension

    zone = card.local_time.tzinfo

    def when(instant: datetime | None) -> str:
        return f"{instant.astimezone(zone):%Y-%m-%d %H:%M %Z}" if instant else "-"

    role = ", ".join(part for part in (card.title, card.company) if part)
    window = (
        f"open until {card.window_until:%H:%M}"
        if card.window_open and card.window_until
        else f"closed, opens {when(card.window_next_open)}"
    )
    attempts = f"{card.attempts}" + (f" of {card.max_attempts}" if card.max_attempts else "")
    claim = f"{card.claimed_by} until {when(card.claim_expires_at)}" if card.claimed_by else "-"
    if card.callback_at:
        next_call = f"callback {when(card.callback_at)} ({card.callback_rep or 'anyone'})"
    else:
        next_call = when(card.next_call_at)
    lines = [
        f"{card.contact_id}  {card.name}" + (f" — {role}" if role else ""),
        f"  phone       {card.phone}  {with_extension(card.phone_national, card.phone_ext)}"
        + (f"  ({card.phone_type})" if card.phone_type else "")
        + ("  BAD NUMBER" if card.phone_bad else ""),
        *phone_lines(card),
        f"  email       {card.email or '-'}",
        f"  zones       {', '.join(card.timezones)}",
        f"  local time  {card.local_time:%a %H:%M %Z} (window {window})",
        f"  status      {card.status}" + (f" ({card.close_reason})" if card.close_reason else ""),
        f"  tier        {card.tier or '-'}" + (f" ({card.tier_rule})" if card.tier_rule else ""),
        f"  source      {card.source or '-'}"
        + (f", list {card.list_name}" if card.list_name else ""),
        f"  filtered    {card.filtered_by or 'no'}",
        f"  do-not-call {'yes' if card.dnc else 'no'}",
        f"  attempts    {attempts}",
        f"  next call   {next_call}",
        f"  claim       {claim}",
        f"  calls       {len(card.history) or 'none'}",
    ]
    for call in card.history:
        lines.append(
            f"    {when(call.at)}  {call.rep}  {call.disposition}"
            f"  attempt {call.attempt}, {call.duration_seconds} s"
            + (f"  on {call.phone}" if call.phone and call.phone != card.phone else "")
        )
        if call.note:
            lines += [f"      {line}" for line in call.note.splitlines()]
    lines.append(f"  handoff     {'none' if not handoffs else ''}".rstrip())
    for handoff in handoffs:
        lines.append(
            f"    #{handoff.id} {handoff.status} to {handoff.owner}"
            + (f", amount {handoff.amount}" if handoff.amount else "")
            + (f", meeting {when(handoff.meeting_at)}" if handoff.meeting_at else "")
            + (f" ({handoff.status_reason})" if handoff.status_reason else "")
        )
    return lines


def phone_lines(card: ContactCard) -> list[str]:
    """Every phone in dial order: kind, number, extension, and which is dialled or bad."""
    from prospector.services.contacts import shown_phone

    width = max((len(phone.kind) for phone in card.phones), default=0)
    lines = []
    for number, phone in enumerate(card.phones, start=1):
        marks = [
            mark
            for mark, shown in (
                ("dialled", phone.e164 == card.phone and not phone.bad),
                ("BAD", phone.bad),
                ("DNC", phone.on_dnc_list),
            )
            if shown
        ]
        lines.append(
            ("  phones      " if number == 1 else " " * 14)
            + f"{number}. {phone.kind:<{width}}  {phone.e164}"
            + f"  {shown_phone(phone)}"
            + (f"  {' '.join(marks)}" if marks else "")
        )
    return lines


def register(group: click.Group) -> None:
    group.add_command(search_command)
    group.add_command(show_command)
