"""``prospector init``: create or upgrade the database."""

from __future__ import annotations

import json

import click

from prospector.cli.context import AppContext, json_option, pass_app
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
        click.echo(json.dumps({"path": path, "schema": schema}, ensure_ascii=False))
    else:
        click.echo(f"{path}: ready (schema {schema})")


def register(group: click.Group) -> None:
    group.add_command(init)
