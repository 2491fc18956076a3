"""``prospector add`` (leads from flags or JSON lines) and ``prospector serve`` (from HTTP)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

import click

from prospector.cli.context import (
    AppContext,
    at_option,
    echo_json,
    json_option,
    parse_at_option,
    pass_app,
)
from prospector.foundations.errors import ProspectorError

if TYPE_CHECKING:
    from prospector.foundations.clock import Clock
    from prospector.services.importing.leads import LeadWriter


def _lead_options(function):
    from prospector.services.lead_fields import FIELDS

    for name in reversed(FIELDS):
        function = click.option(
            f"--{name}", f"lead_{name}", metavar="TEXT", help=f"The lead's {name}."
        )(function)
    return function


@click.command("add")
@_lead_options
@click.option(
    "--stdin",
    "from_stdin",
    is_flag=True,
    help="Read leads as JSON lines on stdin, one object a line with the flags' names"
    ' ({"first": "Ann", "phone": "+1 212 555 0100"}).',
)
@click.option(
    "--region",
    metavar="CC",
    help="Country for numbers without a country code (default: the lead's country,"
    " else the settings' team.default_region).",
)
@at_option
@json_option
@pass_app
def add_command(
    app: AppContext,
    from_stdin: bool,
    region: str | None,
    at: datetime | None,
    as_json: bool,
    **fields: str | None,
) -> None:
    """Add leads as they arrive, through the same rules as `import` (phones, matching,
    fit rules, tiers, DNC); the arrival time (--at, else now) starts the first-touch SLA.

    Prints one line per lead: its contact id and `inserted`, `updated`, `dnc`,
    `filtered: RULE` or `rejected: REASON` (--json: one object a line). With --stdin
    each line is a lead of its own: a line that is not a lead is reported (its line
    number) and skipped, the others are added. Exit status 1 when any line or lead
    was refused.
    """
    from prospector.services.importing.leads import LeadWriter

    given = {name.removeprefix("lead_"): value for name, value in fields.items() if value}
    if from_stdin and given:
        raise ProspectorError("give a lead's fields as options or on --stdin, not both")
    if not from_stdin and not given:
        raise ProspectorError("no lead: give its fields (--first, --phone, ...) or --stdin")
    clock = app.clock(at)
    with app.open_db() as db:
        writer = LeadWriter(db, region=region)
        if from_stdin:
            refused = _add_lines(db, writer, sys.stdin, clock, as_json)
        else:
            refused = _add_one(db, writer, given, clock(), as_json, None)
    if refused:
        sys.exit(1)


def _add_lines(db: Any, writer: LeadWriter, lines: TextIO, clock: Clock, as_json: bool) -> bool:
    """Each line on its own, as it arrives; True when any was refused."""
    refused = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line.rstrip("\r\n"))
        except ValueError as error:
            click.echo(f"error: stdin line {number}: not JSON ({error})", err=True)
            refused = True
            continue
        refused |= _add_one(db, writer, record, clock(), as_json, number)
    return refused


def _add_one(
    db: Any, writer: LeadWriter, record: object, now: datetime, as_json: bool, line: int | None
) -> bool:
    """Add one lead and print what became of it; True when it was refused."""
    from prospector.services.importing.leads import LeadError, lead_fields

    where = f"stdin line {line}: " if line is not None else ""
    try:
        item = writer.normalize([lead_fields(record)])[0]
    except LeadError as error:
        click.echo(f"error: {where}{error}", err=True)
        return True
    outcome = writer.write_alone(item, now)
    if as_json:
        echo_json({"line": line, **outcome.as_json()} if line is not None else outcome.as_json())
    else:
        click.echo(outcome.text())
    return outcome.outcome == "rejected"


SECRET_ENV = "PROSPECTOR_INTAKE_SECRET"
TOKEN_ENV = "PROSPECTOR_INTAKE_TOKEN"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8787, show_default=True,
    help="Port to listen on (0: any free one, shown at start).",
)  # fmt: skip
@click.option(
    "--max-bytes",
    type=click.IntRange(1, 64 << 20),
    default=1 << 20,
    show_default=True,
    help="Largest request body accepted (413 past it).",
)
@click.option(
    "--at",
    "at",
    metavar="TIME",
    callback=parse_at_option,
    help="Every lead arrives at TIME (ISO 8601 with offset; for tests). Signatures are"
    " still checked against the real clock.",
)
@pass_app
def serve_command(
    app: AppContext, host: str, port: int, max_bytes: int, at: datetime | None
) -> None:
    """Take leads over HTTP: POST /leads (one JSON object or a list, `add`'s field names),
    GET /health.

    Requests are signed with the Standard Webhooks scheme and $PROSPECTOR_INTAKE_SECRET
    (whsec_...), or carry `Authorization: Bearer $PROSPECTOR_INTAKE_TOKEN`; at least one
    must be set. Answers 201 with each lead's contact id and outcome, 400 naming the
    field at fault (nothing is added), 401 for a missing, bad or stale signature or
    token, 413 past --max-bytes. A webhook-id seen before gets its first answer again
    and adds nothing. Plain HTTP on 127.0.0.1: put a reverse proxy in front for TLS.
    """
    import os

    from prospector.intake import server
    from prospector.intake.app import IntakeOptions, create_app
    from prospector.services.export.webhook import load_secret

    secret = load_secret(os.environ, SECRET_ENV)
    token = os.environ.get(TOKEN_ENV, "").strip() or None
    if secret is None and token is None:
        raise ProspectorError(f"set ${SECRET_ENV} (whsec_...) or ${TOKEN_ENV} to take leads")
    with app.open_db():  # a missing or unreadable database is refused before listening
        pass
    options = IntakeOptions(app.db_path, secret, token, max_bytes, app.clock(at))
    listener = server.listen(host, port)

    def listening(url: str) -> None:
        click.echo(f"prospector serve: taking leads on {url}/leads (health: /health); Ctrl-C stops")

    server.run(create_app(options), listener, listening)
    click.echo("prospector serve: stopped")


def register(group: click.Group) -> None:
    group.add_command(add_command)
    group.add_command(serve_command)
