"""Opening the workbench: ``prospector`` with no command, and ``prospector demo``."""

from __future__ import annotations

import click

from prospector.cli.context import AppContext


def open_workbench(app: AppContext) -> None:
    """Run the Textual workbench for ``app.rep`` on ``app.db_path``."""
    from prospector.tui.app import make_app

    with app.open_db():
        pass  # create or upgrade (and refuse a foreign file) before the screen opens
    make_app(db_path=app.db_path, rep=app.rep, start_at=app.start_at).run()


def register(group: click.Group) -> None:
    del group  # `demo` arrives with the demo data
