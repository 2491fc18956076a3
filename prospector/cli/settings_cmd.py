"""``prospector settings``: show, load and re-apply the team's settings."""

from __future__ import annotations

import click

from prospector.cli.context import AppContext, pass_app
from prospector.services import fit
from prospector.services import settings as settings_service


@click.group("settings")
def settings_group() -> None:
    """The team's settings (kept in the database)."""


@settings_group.command("show")
@pass_app
def show(app: AppContext) -> None:
    """Print the effective settings as TOML."""
    with app.open_db() as db:
        click.echo(settings_service.load_settings(db).source_text, nl=False)


@settings_group.command("load")
@click.argument("file", type=click.Path(dir_okay=False))
@pass_app
def load(app: AppContext, file: str) -> None:
    """Validate FILE.toml and make it the team's settings.

    When the fit rules or tiers change, every contact is re-filtered and re-tiered.
    """
    new = settings_service.read_settings_file(file)
    with app.open_db() as db:
        result = fit.replace_settings(db, new, actor=app.rep, now=app.clock()())
    click.echo(f"settings loaded from {file}")
    if result is not None:
        click.echo(
            f"re-applied fit rules and tiers to {result['contacts']} contacts:"
            f" {result['filter_changed']} changed filter, {result['tier_changed']} changed tier"
        )


@settings_group.command("reapply")
@pass_app
def reapply(app: AppContext) -> None:
    """Re-apply the fit rules and tiers to every contact."""
    with app.open_db() as db:
        result = fit.reapply_rules(db, now=app.clock()())
    click.echo(
        f"{result['contacts']} contacts: {result['filter_changed']} changed filter,"
        f" {result['tier_changed']} changed tier"
    )


def register(group: click.Group) -> None:
    group.add_command(settings_group)
