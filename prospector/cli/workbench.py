"""Opening the workbench: ``prospector`` with no command, and ``prospector demo``."""

from __future__ import annotations

import os
from pathlib import Path

import click

from prospector.cli.context import AppContext, pass_app


def open_workbench(app: AppContext) -> None:
    """Run the Textual workbench for ``app.rep`` on ``app.db_path``."""
    from prospector.tui.app import make_app

    with app.open_db():
        pass  # upgrade (and refuse a missing or foreign file) before the screen opens
    # Without --at: the real clock, or the demo's on the demo database.
    start_at = app.start_at or app.demo_resumes_at()
    make_app(db_path=app.db_path, rep=app.rep, start_at=start_at).run()


def demo_db_path(ctx: click.Context, app: AppContext) -> str:
    """``--db`` when given explicitly (or via $PROSPECTOR_DB), else ``<data dir>/demo.db``."""
    root = ctx.find_root()
    source = root.get_parameter_source("db_path")
    explicit = source in (
        click.core.ParameterSource.COMMANDLINE,
        click.core.ParameterSource.ENVIRONMENT,
    )
    if explicit or os.environ.get("PROSPECTOR_DB"):
        return app.db_path
    import platformdirs

    return str(Path(platformdirs.user_data_dir("prospector")) / "demo.db")


@click.command("demo")
@click.option("--build-only", is_flag=True, help="Build the demo database and exit.")
@click.option(
    "--lists",
    "lists_dir",
    metavar="DIR",
    help="Write the demo contact list and DNC list into DIR (to import by hand) and exit.",
)
@click.pass_context
@pass_app
def demo(app: AppContext, ctx: click.Context, build_only: bool, lists_dir: str | None) -> None:
    """Build a demo database (if absent) and open the workbench on it.

    The database holds six weeks of a five-rep team's calls and the demo lists
    shipped with Prospector, imported at the demo's start: the next weekday 10:00
    in New York when it is built, so there are leads to call whenever you run it.
    Every later session (and every command on the demo database without --at)
    goes on from the last call logged.
    """
    from prospector.services.demo import NEW_YORK, build_demo, demo_start, write_demo_lists

    if lists_dir is not None:
        for path in write_demo_lists(lists_dir):
            click.echo(path)
        return
    path = build_demo(demo_db_path(ctx, app), now=demo_start(app.start_at))
    demo_app = AppContext(db_path=str(path), rep=app.rep)
    # --at pins the session; else the demo's clock goes on from where it stands.
    start = demo_start(app.start_at) if app.start_at else demo_app.demo_resumes_at()
    assert start is not None, "build_demo records the demo's clock"
    if build_only:
        shown = start.astimezone(NEW_YORK).isoformat()
        click.echo(f"demo database: {path} (clock for the demo: {shown})")
        return
    open_workbench(AppContext(db_path=str(path), rep=app.rep, start_at=start))


def register(group: click.Group) -> None:
    group.add_command(demo)
