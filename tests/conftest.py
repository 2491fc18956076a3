"""Shared fixtures: temp databases, pinned clocks, the CLI runner."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from prospector.cli import cli
from prospector.foundations.clock import Clock, fixed_clock
from prospector.foundations.db import Database, open_database
from prospector.foundations.migrations.m007_crm_round_trip import new_database_id
from tests.pg_cluster import ThrowawayCluster

# A Monday, 10:00 in New York (15:00 UTC): windows open on the east coast.
MONDAY_10_ET = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)

BACKEND = os.environ.get("PROSPECTOR_TEST_BACKEND", "sqlite")
"""``postgresql`` runs every test that uses ``db_path`` against a throwaway cluster
(``make test`` runs the suite once per backend)."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, run the tests that use a team database and are not about SQLite files."""
    if BACKEND != "postgresql":
        return
    kept, dropped = [], []
    for item in items:
        on_both = "db_path" in getattr(item, "fixturenames", ())
        if on_both and item.get_closest_marker("sqlite_only") is None:
            kept.append(item)
        else:
            dropped.append(item)
    config.hook.pytest_deselected(items=dropped)
    items[:] = kept


@pytest.fixture
def db_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """The team database a test uses: a file, or a fresh PostgreSQL database's URL."""
    if BACKEND == "postgresql":
        return request.getfixturevalue("pg_url")
    return tmp_path / "team.db"


@pytest.fixture
def second_db_path(new_database: Callable[[], Path | str]) -> Path | str:
    """Another team database on the test's backend, for "two databases never ..." tests."""
    return new_database()


@pytest.fixture
def db(db_path: Path) -> Database:
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def clock() -> Clock:
    return fixed_clock(MONDAY_10_ET)


@pytest.fixture
def run(db_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run the CLI on the temp database (created as ``init`` would) as rep "alice";
    returns click's Result."""
    monkeypatch.delenv("PROSPECTOR_DB", raising=False)
    monkeypatch.delenv("PROSPECTOR_REP", raising=False)
    open_database(db_path).close()
    runner = CliRunner()

    def invoke(*args: str, rep: str = "alice", input: str | None = None):
        return runner.invoke(
            cli, ["--db", str(db_path), "--rep", rep, *args], input=input, catch_exceptions=False
        )

    return invoke


@pytest.fixture(scope="session")
def team_template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path | str:
    """A team database to copy, never to change: the demo list, batch 1 exported with
    one handoff, another handoff pending (:func:`tests.cli_checks.build_team`).

    A file; on PostgreSQL a database of this worker's cluster, built once per session
    (copy it with :func:`tests.backend.copy_team`, or use :func:`team_copy`)."""
    from tests.cli_checks import build_team

    folder = tmp_path_factory.mktemp("template")
    if BACKEND == "postgresql":
        import psycopg

        pg: ThrowawayCluster = request.getfixturevalue("pg_cluster")
        with psycopg.connect(pg.url(), autocommit=True) as conn:
            conn.execute('CREATE DATABASE "team_template"')
        return str(build_team(pg.url("team_template"), folder))
    return Path(build_team(folder / "team.db", folder))


@pytest.fixture
def team_copy(team_template: Path | str, db_path: Path | str) -> Path | str:
    """A fresh copy of :func:`team_template` at ``db_path`` (a file, or a URL)."""
    from tests.backend import copy_team

    copy_team(team_template, db_path)
    return db_path


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[ThrowawayCluster]:
    """A throwaway PostgreSQL cluster for this test process (each xdist worker has one),
    with :data:`FRESH_TEAM`: a team database as ``init`` leaves it, to copy."""
    import psycopg

    cluster = ThrowawayCluster().start()
    try:
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{FRESH_TEAM}"')
        open_database(cluster.url(FRESH_TEAM)).close()
        yield cluster
    finally:
        cluster.stop()


FRESH_TEAM = "fresh_team"
OPENED_AT_ONCE = frozenset({"db", "run"})
"""Fixtures that open the test's database first thing (``init``'s work): a test using
one gets a copy of :data:`FRESH_TEAM` instead of running every migration again (a
copy takes a fifth of the time; the suite makes about a thousand)."""


@pytest.fixture
def pg_url(request: pytest.FixtureRequest, pg_cluster: ThrowawayCluster) -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database, dropped after the test.

    Its name is unique (caches keyed by the database's name never see a dropped one
    again), unless the test is marked ``database_name``: a snapshot names it
    ``team.db`` as the SQLite file is named, since the workbench's header shows it."""
    import psycopg

    marker = request.node.get_closest_marker("database_name")
    name = marker.args[0] if marker else f"t{os.getpid()}_{next(_PG_DATABASES)}"
    fresh = not OPENED_AT_ONCE.isdisjoint(request.fixturenames)
    yield create_pg_database(pg_cluster, name, fresh=fresh)
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


_PG_DATABASES = itertools.count(1)


def create_pg_database(cluster: ThrowawayCluster, name: str, *, fresh: bool) -> str:
    """Create database ``name``: empty, or (``fresh``) a copy of :data:`FRESH_TEAM`
    with an id of its own, as every team database has. Returns its URL."""
    import psycopg

    copy = f' TEMPLATE "{FRESH_TEAM}" STRATEGY FILE_COPY' if fresh else ""
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    if fresh:
        with psycopg.connect(cluster.url(name), autocommit=True) as conn:
            conn.execute(
                "UPDATE prospector_meta SET value = %s WHERE key = 'database_id'",
                (new_database_id(),),
            )
    return cluster.url(name)


@pytest.fixture
def new_database(
    request: pytest.FixtureRequest, db_path: Path | str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[], Path | str]]:
    """Makes fresh team databases on the test's backend, one per call (a hypothesis
    example each): files in folders of their own (made on first open), or PostgreSQL
    databases as ``init`` leaves them (copies of :data:`FRESH_TEAM`), dropped after the
    test. (Asks for ``db_path`` so that it runs on both backends.)"""
    made: list[str] = []

    def new() -> Path | str:
        if BACKEND != "postgresql":
            return tmp_path_factory.mktemp("fresh") / "team.db"
        cluster: ThrowawayCluster = request.getfixturevalue("pg_cluster")
        name = f"t{os.getpid()}_{next(_PG_DATABASES)}"
        url = create_pg_database(cluster, name, fresh=True)
        made.append(name)  # dropped after the test: only a database that was made
        return url

    yield new
    if made:
        import psycopg

        cluster = request.getfixturevalue("pg_cluster")
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            for name in made:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
