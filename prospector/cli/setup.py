"""``prospector init``: create or upgrade the database."""

from __future__ import annotations

import click

from prospector.cli.context import AppContext, echo_json, json_option, pass_app
from prospector.foundations.db import schema_version


@click.command("init")
@json_option
@pass_app
def init(app: AppContext, as_json: bool) -> None:
    """Create or upgrade the database.

    --json prints {"path", "schema"}.
    """
    with app.open_db(create=True) as db:
        path, schema = db.path, schema_version(db)
    if as_json:
        echo_json({"path": path, "schema": schema})
    else:
        click.echo(f"{path}: ready (schema {schema})")


def register(group: click.Group) -> None:
    group.add_command(init)
