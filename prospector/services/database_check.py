"""``db check``: what a team lead or an operator asks of a database before trusting it.

Which backend and schema, which team (its id), how big, and how the claims stand:
held now, leases that ran out and were not given back yet, dials that never got a
disposition, claims by someone the team does not know. The verdict is ``ok``
unless something needs a person: a schema older than this Prospector's, or claims
held by a rep missing from ``reps``. Expired leases and undispositioned dials are
shown, not faulted: a crashed terminal leaves them, and the queue and the
workbench deal with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from prospector.foundations.clock import to_db
from prospector.foundations.db import Database, database_id, schema_version
from prospector.foundations.migrations import MIGRATIONS

MAIN_TABLES = (
    "accounts", "contacts", "calls", "handoffs", "dnc_numbers",
    "import_batches", "export_batches", "audit_log",
)  # fmt: skip
"""The tables whose row counts ``db check`` shows."""


@dataclass(frozen=True)
class ClaimHealth:
    held: int
    """Contacts claimed now (lease not run out)."""
    expired: int
    """Claims whose lease ran out and that nobody has taken back yet."""
    dialed_undispositioned: int
    """Contacts dialed with no call logged for the dial yet."""
    unknown_rep: int
    """Contacts claimed by a name that is not in ``reps``."""


@dataclass(frozen=True)
class DatabaseCheck:
    backend: str
    path: str
    schema: int
    schema_latest: int
    database_id: str
    size_bytes: int
    rows: dict[str, int]
    claims: ClaimHealth
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(db: Database, *, now: datetime) -> DatabaseCheck:
    """Read the database's vital signs as of ``now`` (nothing is written)."""
    with db.snapshot():
        schema = schema_version(db)
        rows = {table: _count(db, f"SELECT count(*) FROM {table}") for table in MAIN_TABLES}
        stamp = to_db(now)
        claims = ClaimHealth(
            held=_count(
                db,
                "SELECT count(*) FROM contacts WHERE claimed_by IS NOT NULL"
                " AND (claim_expires_at IS NULL OR claim_expires_at > ?)",
                (stamp,),
            ),
            expired=_count(
                db,
                "SELECT count(*) FROM contacts WHERE claimed_by IS NOT NULL"
                " AND claim_expires_at <= ?",
                (stamp,),
            ),
            dialed_undispositioned=_count(
                db, "SELECT count(*) FROM contacts WHERE dialed_at IS NOT NULL"
            ),
            unknown_rep=_count(
                db,
                "SELECT count(*) FROM contacts c WHERE c.claimed_by IS NOT NULL"
                " AND NOT EXISTS (SELECT 1 FROM reps r WHERE r.name = c.claimed_by)",
            ),
        )
        size = _count(db, db.dialect.database_bytes)
        team = database_id(db)
    latest = len(MIGRATIONS)
    problems = []
    if schema < latest:
        problems.append(f"schema {schema} is behind this Prospector's {latest}: run init")
    if claims.unknown_rep:
        problems.append(f"{claims.unknown_rep} contact(s) claimed by a rep not in reps")
    return DatabaseCheck(
        backend=db.dialect.name,
        path=db.path,
        schema=schema,
        schema_latest=latest,
        database_id=team,
        size_bytes=size,
        rows=rows,
        claims=claims,
        problems=problems,
    )


def _count(db: Database, sql: str, params: tuple = ()) -> int:
    row = db.one(sql, params)
    return int(row[0]) if row is not None and row[0] is not None else 0
