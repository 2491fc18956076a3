"""``pause``, ``resume`` and ``floor``: a rep's status, and every rep's as the team lead sees it."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import click

from prospector.cli.context import AppContext, at_option, echo_json, json_option, pass_app
from prospector.cli.params import FiniteRange


@click.command("pause")
@click.option("--code", "code", required=True, metavar="CODE", help="A [[pause_codes]] code.")
@at_option
@json_option
@pass_app
def pause_command(app: AppContext, code: str, at: datetime | None, as_json: bool) -> None:
    """Pause the rep (--rep) with a reason: the leads held and not dialed go back to
    the queue, and nothing is claimed until 'prospector resume'.

    Refused while a dialed lead waits for its outcome. --json prints {"rep", "state",
    "code", "label"}.
    """
    from prospector.services import rep_states

    now = app.clock(at)()
    with app.open_db() as db:
        chosen = rep_states.pause(db, app.rep, code, now)
    if as_json:
        echo_json({"rep": app.rep, "state": "paused", "code": chosen.code, "label": chosen.label})
        return
    click.echo(f"{app.rep} paused: {chosen.label}")


@click.command("resume")
@at_option
@json_option
@pass_app
def resume_command(app: AppContext, at: datetime | None, as_json: bool) -> None:
    """End the rep's pause: ready again ('next' claims). --json prints {"rep", "resumed"}."""
    from prospector.services import rep_states

    now = app.clock(at)()
    with app.open_db() as db:
        resumed = rep_states.resume(db, app.rep, now)
    if as_json:
        echo_json({"rep": app.rep, "resumed": resumed})
        return
    click.echo(f"{app.rep} is ready" if resumed else f"{app.rep} was not paused")


@click.command("floor")
@click.option("--json", "as_json", is_flag=True, help="Print one snapshot as JSON and exit.")
@click.option("--watch", is_flag=True, help="Print the floor as text every --every seconds.")
@click.option(
    "--every",
    type=FiniteRange(1, 3600),
    default=3.0,
    show_default=True,
    help="Seconds between refreshes.",
)
@at_option
@pass_app
def floor_command(
    app: AppContext, as_json: bool, watch: bool, every: float, at: datetime | None
) -> None:
    """Every rep's state and time in it, current lead, and dials and meetings today
    against their goal, refreshed from the database (a screen; --json; --watch).

    \b
    --json: a list, one object per rep, keys:
      rep, state (ready, on_call, wrap_up, paused, offline), code and label (the
      pause code), since (team zone), seconds_in_state, overdue (a pause past its
      max_minutes), contact_id, lead, company, dials, meetings, goal {dials, meetings}
    --watch: the same as a text table every --every seconds, until Ctrl+C.
    """
    if as_json and watch:
        raise click.UsageError("--json and --watch ask for two outputs; give one")
    with app.open_db():
        pass  # upgrade (and refuse a missing or foreign file) before reading on
    clock = app.screen_clock(at)
    if as_json:
        zone, reps = _snapshot(app, clock())
        echo_json([rep.to_json(zone) for rep in reps])
    elif watch:
        from prospector.services.floor import floor_text

        try:
            while True:
                now = clock()
                zone, reps = _snapshot(app, now)
                click.echo(floor_text(reps, now.astimezone(zone)))
                time.sleep(every)
        except KeyboardInterrupt:
            return  # the way out of --watch: not an error
    else:
        from prospector.tui.floor_app import FloorApp

        FloorApp(db_path=app.db_path, clock=clock, refresh_seconds=every).run()


def _snapshot(app: AppContext, now: datetime) -> tuple[Any, list[Any]]:
    """The team's zone and the floor now (a fresh connection: each read sees the latest)."""
    from prospector.services.floor import floor
    from prospector.services.windows import current_settings

    with app.open_db() as db:
        settings = current_settings(db)
        return settings.team.zone, floor(db, now, settings=settings)


def register(group: click.Group) -> None:
    group.add_command(pause_command)
    group.add_command(resume_command)
    group.add_command(floor_command)
