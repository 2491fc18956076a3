"""``prospector init``: create or upgrade the database."""

from __future__ import annotations

import click

from prospector.cli.context import AppContext, pass_app
from prospector.foundations.db import schema_version


@click.command("init")
@pass_app
def init(app: AppContext) -> None:
    """Create or upgrade the database."""
    with app.open_db(create=True) as db:
        click.echo(f"{db.path}: ready (schema {schema_version(db)})")


def register(group: click.Group) -> None:
    group.add_command(init)
