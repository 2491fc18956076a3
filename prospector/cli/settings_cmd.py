"""``prospector settings``: show, load and re-apply the team's settings."""

from __future__ import annotations

from datetime import date, time

import click

from prospector.cli.context import AppContext, echo_json, json_option, pass_app
from prospector.services import fit
from prospector.services import settings as settings_service


def _plain(value: object) -> str:
    # TOML has dates and times (holidays, window hours written unquoted); JSON has not.
    if isinstance(value, date | time):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


@click.group("settings")
def settings_group() -> None:
    """The team's settings (kept in the database)."""


@settings_group.command("show")
@json_option
@pass_app
def show(app: AppContext, as_json: bool) -> None:
    """Print the effective settings as TOML (with --json: the same tables as JSON)."""
    with app.open_db() as db:
        text = settings_service.load_settings(db).source_text
    if as_json:
        import tomllib

        echo_json(tomllib.loads(text), default=_plain)
    else:
        click.echo(text, nl=False)


@settings_group.command("load")
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
@pass_app
def load(app: AppContext, file: str, as_json: bool) -> None:
    """Validate FILE.toml and make it the team's settings.

    When the fit rules or tiers change, every contact is re-filtered and re-tiered.
    --json prints {"file", "reapplied"}, "reapplied" being null or
    {"contacts", "filter_changed", "tier_changed"}.
    """
    new = settings_service.read_settings_file(file)
    with app.open_db() as db:
        result = fit.replace_settings(db, new, actor=app.rep, now=app.clock()())
    if as_json:
        echo_json({"file": file, "reapplied": result}, default=_plain)
        return
    click.echo(f"settings loaded from {file}")
    if result is not None:
        click.echo(
            f"re-applied fit rules and tiers to {result['contacts']} contacts:"
            f" {result['filter_changed']} changed filter, {result['tier_changed']} changed tier"
        )


@settings_group.command("reapply")
@json_option
@pass_app
def reapply(app: AppContext, as_json: bool) -> None:
    """Re-apply the fit rules and tiers to every contact.

    --json prints {"contacts", "filter_changed", "tier_changed"}.
    """
    with app.open_db() as db:
        result = fit.reapply_rules(db, now=app.clock()())
    if as_json:
        echo_json(result, default=_plain)
        return
    click.echo(
        f"{result['contacts']} contacts: {result['filter_changed']} changed filter,"
        f" {result['tier_changed']} changed tier"
    )


def register(group: click.Group) -> None:
    group.add_command(settings_group)
