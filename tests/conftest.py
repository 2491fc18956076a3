"""Shared fixtures: temp databases, pinned clocks, the CLI runner."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from prospector.cli import cli
from prospector.foundations.clock import Clock, fixed_clock
from prospector.foundations.db import Database, open_database
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
def second_db_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Another team database on the test's backend, for "two databases never ..." tests."""
    if BACKEND != "postgresql":
        return tmp_path / "second.db"
    import psycopg

    cluster: ThrowawayCluster = request.getfixturevalue("pg_cluster")
    name = f"t{os.getpid()}_{next(_PG_DATABASES)}"
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')

    request.addfinalizer(drop)
    return cluster.url(name)


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
def team_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A team database to copy, never to change: the demo list, batch 1 exported with
    one handoff, another handoff pending (:func:`tests.cli_checks.build_team`)."""
    from tests.cli_checks import build_team

    return build_team(tmp_path_factory.mktemp("template") / "team.db")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[ThrowawayCluster]:
    """A throwaway PostgreSQL cluster for this test process (each xdist worker has one)."""
    cluster = ThrowawayCluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: ThrowawayCluster) -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database, dropped after the test."""
    import psycopg

    name = f"t{os.getpid()}_{next(_PG_DATABASES)}"
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_cluster.url(name)
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


_PG_DATABASES = itertools.count(1)
