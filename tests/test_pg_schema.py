"""Prospector's schema on PostgreSQL (issue 14): the same tables, columns, indexes and
triggers as a fresh SQLite database (the baseline at schema 8 and the migrations
after it), and cohort tables the triggers keep
exactly as SQLite's do, statement for statement."""

from __future__ import annotations

import re
import sqlite3

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.foundations.db import open_database
from prospector.foundations.migrations import MIGRATIONS, m015_queue_ties_by_id
from prospector.foundations.migrations.postgresql import BASELINE, create_schema

COHORTS = {
    "lead_segments": "received_day, industry, employee_band, source, list_name",
    "lead_speed": "received_day, tier, speed_floor",
    "lead_sources": "received_day, source, tier",
}


@pytest.fixture
def pg(pg_url):
    """A raw psycopg connection to a database Prospector made: the baseline schema and
    the migrations after it (committed)."""
    open_database(pg_url).close()
    with psycopg.connect(pg_url) as conn:
        yield conn


@pytest.fixture
def lite(tmp_path):
    database = open_database(tmp_path / "x.db")
    yield database.conn
    database.close()


# --- the same shape ---------------------------------------------------------------------


def sqlite_shape(conn: sqlite3.Connection) -> dict:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    columns, indexes, keys, constraints = {}, {}, set(), {}
    types = {"INTEGER": "bigint", "TEXT": "text"}
    for table in tables:
        columns[table] = [
            (name, types[kind], bool(notnull or pk), default)
            for name, kind, notnull, pk, default in conn.execute(
                'SELECT name, type, "notnull", pk, dflt_value FROM pragma_table_info(?)', (table,)
            )
        ]
        for name, unique, partial in conn.execute(
            "SELECT name, \"unique\", partial FROM pragma_index_list(?) WHERE origin = 'c'",
            (table,),
        ):
            names = [r[0] for r in conn.execute("SELECT name FROM pragma_index_info(?)", (name,))]
            indexes[name] = (table, bool(unique), names, bool(partial))
        keys |= {
            (table, row[0], row[1], row[2])
            for row in conn.execute(
                'SELECT "from", "table", "to" FROM pragma_foreign_key_list(?)', (table,)
            )
        }
        primary = conn.execute(
            "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", (table,)
        ).fetchall()
        uniques = conn.execute(
            """SELECT (SELECT group_concat(name, ',') FROM pragma_index_info(l.name))
               FROM pragma_index_list(?) l WHERE l.origin = 'u'""",
            (table,),
        ).fetchall()
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        constraints[table] = (
            ",".join(row[0] for row in primary),
            sorted(row[0] for row in uniques),
            sql.count("CHECK ("),
        )
    triggers = {
        name: _event(sql)
        for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    }
    return {"tables": tables, "columns": columns, "indexes": indexes, "keys": keys,
            "constraints": constraints, "triggers": triggers}  # fmt: skip


def pg_shape(conn: psycopg.Connection) -> dict:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            " AND table_type = 'BASE TABLE' ORDER BY table_name COLLATE \"C\""
        )
    ]
    columns = {}
    for table in tables:
        columns[table] = [
            (name, kind, nullable == "NO", default and default.replace("::text", ""))
            for name, kind, nullable, default in conn.execute(
                """SELECT column_name, data_type, is_nullable, column_default
                   FROM information_schema.columns WHERE table_schema = 'public'
                   AND table_name = %s ORDER BY ordinal_position""",
                (table,),
            )
        ]  # fmt: skip
    indexes = {
        name: (table, unique, names, partial)
        for name, table, unique, names, partial in conn.execute(
            """SELECT i.relname, t.relname, x.indisunique,
                      array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(n, o)
                            LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n
                            ORDER BY k.o),
                      x.indpred IS NOT NULL
               FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
               JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace s ON s.oid = t.relnamespace
               WHERE s.nspname = 'public'
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"""
        )
    }
    keys = set(
        conn.execute(
            """SELECT t.relname, a.attname, r.relname, ra.attname FROM pg_constraint c
               JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
               JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
               WHERE c.contype = 'f'"""
        ).fetchall()
    )
    constraints = {table: ("", [], 0) for table in tables}
    for table, kind, names in conn.execute(
        """SELECT t.relname, c.contype, array_to_string(array(
                      SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n
                      ORDER BY k.o), ',')
           FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
           JOIN pg_namespace s ON s.oid = t.relnamespace
           WHERE s.nspname = 'public' AND c.contype IN ('p', 'u', 'c')"""
    ):
        primary, uniques, checks = constraints[table]
        constraints[table] = (
            names if kind == "p" else primary,
            sorted([*uniques, names]) if kind == "u" else uniques,
            checks + (kind == "c"),
        )
    triggers = {
        name: _event(definition)
        for name, definition in conn.execute(
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal"
        )
    }
    return {"tables": tables, "columns": columns, "indexes": indexes, "keys": keys,
            "constraints": constraints, "triggers": triggers}  # fmt: skip


def _event(sql: str) -> tuple[str, str]:
    """A trigger's event and table: ``("UPDATE OF a, b", "contacts")``."""
    found = re.search(
        r"AFTER (INSERT|UPDATE(?: OF [\w, ]+?)?) ON (?:public\.)?(\w+)", " ".join(sql.split())
    )
    assert found, sql
    return found[1], found[2]


def test_the_same_tables_columns_indexes_constraints_and_triggers_as_sqlite(lite, pg):
    """The same names everywhere. The triggers fire on the same events, but PostgreSQL's
    are statement triggers over transition tables, which may not name columns: SQLite's
    ``UPDATE OF cols`` is a plain ``UPDATE`` there (the functions skip statements that
    change no cohort key, as SQLite's WHEN conditions do)."""
    expected, actual = sqlite_shape(lite), pg_shape(pg)
    expected["triggers"] = {
        name: (event.split(" OF ")[0], table)
        for name, (event, table) in expected["triggers"].items()
    }
    assert actual["tables"] == expected["tables"]
    for table in expected["tables"]:
        assert actual["columns"][table] == expected["columns"][table], table
    # SQLite's NOCASE index on the email is an index on lower(email) (an expression).
    table, unique, _names, partial = expected["indexes"]["contacts_by_email"]
    expected["indexes"]["contacts_by_email"] = (table, unique, [None], partial)
    # The queue's lane indexes end with the id on PostgreSQL (SQLite's have the rowid).
    for name in m015_queue_ties_by_id.INDEXES:
        table, unique, names, partial = expected["indexes"][name]
        expected["indexes"][name] = (table, unique, [*names, "id"], partial)
    assert actual["indexes"] == expected["indexes"]
    assert actual["keys"] == expected["keys"]
    assert actual["constraints"] == expected["constraints"]
    assert actual["triggers"] == expected["triggers"]
    assert len(expected["triggers"]) == 7
    levels = pg.execute(
        "SELECT DISTINCT pg_get_triggerdef(oid) LIKE '%FOR EACH STATEMENT%' FROM pg_trigger"
        " WHERE NOT tgisinternal"
    ).fetchall()
    assert levels == [(True,)]


def test_every_text_column_sorts_bytewise(pg):
    collations = pg.execute(
        """SELECT DISTINCT collation_name FROM information_schema.columns
           WHERE table_schema = 'public' AND data_type = 'text'"""
    ).fetchall()
    assert collations == [("C",)]
    names = ["b", "B", "é", "Z", "a b", "ab", "_", "2026-11-23T15:00:00Z", "2026-11-23"]
    for name in names:
        pg.execute("INSERT INTO reps (name, created_at) VALUES (%s, '')", (name,))
    ordered = [row[0] for row in pg.execute("SELECT name FROM reps ORDER BY name")]
    pg.rollback()
    assert ordered == sorted(names, key=lambda text: text.encode())


def test_email_index_folds_ascii_only_as_nocase(lite, pg):
    """lower() under the "C" collation folds A-Z only, as SQLite's NOCASE does."""
    pairs = [("ANN@X.COM", "ann@x.com"), ("ÄNN@X.COM", "änn@x.com"), ("Änn@x.com", "Änn@X.com")]
    for left, right in pairs:
        same_lite = lite.execute("SELECT ? = ? COLLATE NOCASE", (left, right)).fetchone()[0]
        same_pg = pg.execute(
            'SELECT lower(%s COLLATE "C") = lower(%s COLLATE "C")', (left, right)
        ).fetchone()[0]
        assert bool(same_lite) == same_pg, (left, right)
    definition = pg.execute(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'contacts_by_email'"
    ).fetchone()[0]
    assert "lower(email)" in definition


def test_metadata_names_the_application_and_schema(lite, pg):
    meta = dict(pg.execute("SELECT key, value FROM prospector_meta").fetchall())
    assert meta.keys() == {"database_id", "application", "schema_version"}
    assert re.fullmatch(r"[0-9a-f]{12}", meta["database_id"])
    assert meta["application"] == "prospector"
    assert meta["schema_version"] == str(len(MIGRATIONS))
    assert len(MIGRATIONS) >= BASELINE
    assert {row[0] for row in lite.execute("SELECT key FROM prospector_meta")} == {"database_id"}


def test_a_second_create_schema_fails_and_leaves_the_data(pg):
    pg.execute("INSERT INTO reps (name, created_at) VALUES ('alice', '2026-11-23T15:00:00Z')")
    pg.commit()
    with pytest.raises(psycopg.errors.DuplicateTable):
        create_schema(pg)
    pg.rollback()
    assert pg.execute("SELECT name FROM reps").fetchall() == [("alice",)]
    assert pg.execute("SELECT count(*) FROM prospector_meta").fetchone()[0] == 3


def test_ids_are_generated_and_may_be_given(pg):
    pg.execute("INSERT INTO locales (id, zones) VALUES (7, 'America/New_York')")
    generated = pg.execute(
        "INSERT INTO audit_log (at, actor, action) VALUES ('', 'a', 'b') RETURNING id"
    ).fetchone()[0]
    pg.rollback()
    assert generated == 1


# --- the same cohorts -------------------------------------------------------------------

SETUP = [
    "INSERT INTO locales (id, zones) VALUES (1, 'America/New_York')",
    """INSERT INTO import_batches (id, path, file_sha256, started_at)
       VALUES (1, 'leads.csv', 'abc', '2026-11-23T14:00:00Z')""",
    *(
        f"""INSERT INTO accounts (id, name, name_key, industry, employees, created_at, updated_at)
            VALUES ({n}, 'Acme {n}', 'acme{n}', {industry}, {employees}, '', '')"""
        for n, industry, employees in [
            (1, "'Software'", 40),
            (2, "NULL", "NULL"),
            (3, "'Retail'", 1000),
        ]
    ),
]

CONTACT_COLUMNS = (
    "id, account_id, source, list_name, filtered_by, tier, attempts, conversations,"
    " first_dial_at, sla_due_at, created_at, received_day, import_batch_id"
)


def insert_contact(id: int, *, account_id=1, source="web", list_name=None, filtered_by=None,
                   tier="A", attempts=0, conversations=0, first_dial_at=None, sla_due_at=None,
                   created_at="2026-11-23T15:00:00Z", received_day="2026-11-23",
                   import_batch_id=None) -> tuple[str, tuple]:  # fmt: skip
    values = (id, account_id, source, list_name, filtered_by, tier, attempts, conversations,
              first_dial_at, sla_due_at, created_at, received_day, import_batch_id)  # fmt: skip
    return (
        f"""INSERT INTO contacts ({CONTACT_COLUMNS}, phone, phone_raw, locale_id,
                next_call_at, updated_at)
            VALUES {CONTACT_ROW}""",
        (*values, id),
    )


CONTACT_ROW = f"({', '.join('?' * len(CONTACT_COLUMNS.split(', ')))}, '+1555' || ?, '', 1, '', '')"


def insert_contacts(*contacts: dict) -> tuple[str, tuple]:
    """One INSERT of several contacts (``insert_contact``'s arguments each); a contact
    whose id is taken is skipped (ON CONFLICT DO NOTHING: neither backend counts it)."""
    sql, params = insert_contact(**contacts[0])
    for contact in contacts[1:]:
        params += insert_contact(**contact)[1]
    rows = ", ".join([CONTACT_ROW] * len(contacts))
    return sql.replace(CONTACT_ROW, rows) + " ON CONFLICT (id) DO NOTHING", params


def handoffs(*contact_ids: int) -> tuple[str, tuple]:
    """One INSERT of a handoff per id given (an id twice: two in the same statement)."""
    rows = " UNION ALL ".join(["SELECT ? AS cid"] * len(contact_ids))
    return (
        f"""INSERT INTO handoffs (contact_id, inside_rep, owner, status, created_at, updated_at)
            SELECT cid, 'alice', 'dana', 'exported', '', '' FROM ({rows}) v
            WHERE cid IN (SELECT id FROM contacts)""",
        contact_ids,
    )


def update(table: str, id: int, **values) -> tuple[str, tuple]:
    assignments = ", ".join(f"{column} = ?" for column in values)
    return f"UPDATE {table} SET {assignments} WHERE id = ?", (*values.values(), id)


STEPS = [
    insert_contact(1),
    insert_contact(
        2,
        source=None,
        account_id=None,
        attempts=1,
        first_dial_at="2026-11-23T15:00:59Z",
        sla_due_at="2026-11-23T16:00:00Z",
    ),
    insert_contact(3, import_batch_id=1),  # the importer counts its own rows
    insert_contact(
        4,
        account_id=3,
        filtered_by="size",
        created_at="2026-11-24T02:00:00Z",
        received_day=None,
        first_dial_at="2026-11-24T02:00:00Z",
    ),
    update("contacts", 1, source="list"),
    update("contacts", 1, list_name="October"),
    update("contacts", 1, account_id=3),
    update("contacts", 1, account_id=None),
    update("contacts", 2, filtered_by="industry"),
    update("contacts", 2, filtered_by=None),
    update("contacts", 1, attempts=1, first_dial_at="2026-11-23T15:20:00Z"),
    update("contacts", 1, attempts=2),  # no cohort moves
    update("contacts", 1, conversations=1),
    update("contacts", 3, attempts=1, first_dial_at="2026-11-25T18:00:01Z"),
    update("contacts", 3, sla_due_at="2026-11-25T18:00:01Z"),  # dialed at the deadline: within
    update("contacts", 2, tier="B"),
    update("contacts", 2, tier=None, sla_due_at=None),
    update("contacts", 2, first_dial_at="2026-12-30T01:02:03Z"),
    update("contacts", 4, first_dial_at="2026-11-24T01:59:00Z"),  # before it came: speed 0
    update("contacts", 4, filtered_by=None),
    update("accounts", 1, industry="Hardware"),
    update("accounts", 3, employees=150),
    update("accounts", 3, industry=None, employees=None),
    update("accounts", 3, employees=9),
    handoffs(1),
    handoffs(1),  # a second handoff qualifies no one again
    handoffs(2, 2, 4),  # two first handoffs of the same contact in one statement
    update("contacts", 2, list_name="November"),  # moves its qualified count along
    update("accounts", 1, employees=10_000),
    # Several rows a statement: several contacts move to and from the same cohorts.
    insert_contacts(
        {"id": 5, "tier": "B", "first_dial_at": "2026-11-23T15:03:00Z"},
        {"id": 6, "source": "list", "import_batch_id": 1},
        {"id": 1, "source": "taken"},  # id 1 exists: skipped, counted nowhere
        {"id": 7, "source": "list", "account_id": 3, "filtered_by": "size"},
    ),
    ("UPDATE contacts SET tier = 'B', source = 'list' WHERE id IN (1, 2, 5)", ()),
    ("UPDATE contacts SET account_id = 3 WHERE id IN (1, 2, 5, 6)", ()),
    ("UPDATE accounts SET industry = 'Retail', employees = 250 WHERE id IN (1, 3)", ()),
    ("UPDATE contacts SET claimed_by = 'alice', claim_expires_at = '2026-11-23T15:05Z'", ()),
    ("UPDATE contacts SET attempts = attempts + 1, tier = 'C'", ()),
    ("UPDATE contacts SET source = NULL WHERE id > 1", ()),
]


def cohorts_lite(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    return {
        table: [tuple(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY {key}")]
        for table, key in COHORTS.items()
    }


def cohorts_pg(conn: psycopg.Connection) -> dict[str, list[tuple]]:
    return {
        table: conn.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
        for table, key in COHORTS.items()
    }


def apply(lite: sqlite3.Connection, pg: psycopg.Connection, sql: str, params: tuple = ()) -> None:
    lite.execute(sql, params)
    pg.execute(sql.replace("%", "%%").replace("?", "%s"), params)


def test_triggers_keep_the_cohorts_as_sqlite_does_step_by_step(lite, pg):
    lite.execute("BEGIN")
    for sql in SETUP:
        apply(lite, pg, sql)
    for number, (sql, params) in enumerate(STEPS):
        apply(lite, pg, sql, params)
        assert cohorts_pg(pg) == cohorts_lite(lite), f"after step {number}: {sql} {params}"
    final = cohorts_lite(lite)
    assert all(final.values())
    lite.execute("ROLLBACK")
    pg.rollback()


# Any sequence of changes, drawn from small value sets so they collide on cohorts.
TIMES = [
    "2026-11-23T15:00:00Z", "2026-11-23T14:59:00Z", "2026-11-23T15:00:59Z",
    "2026-11-23T15:01:01Z", "2026-11-23T16:00:01Z", "2026-11-24T14:59:59Z",
    "2026-11-24T15:00:00Z", "2026-12-23T15:00:01Z", "2027-02-01T00:00:07Z",
]  # fmt: skip
CHANGES = {
    "source": st.sampled_from([None, "web", "list", "Web"]),
    "list_name": st.sampled_from([None, "A", "B"]),
    "account_id": st.sampled_from([None, 1, 2, 3]),
    "filtered_by": st.sampled_from([None, "size", "industry"]),
    "attempts": st.integers(0, 2),
    "conversations": st.integers(0, 1),
    "first_dial_at": st.sampled_from([None, *TIMES]),
    "tier": st.sampled_from([None, "A", "B"]),
    "sla_due_at": st.sampled_from([None, *TIMES]),
}
contact_ids = st.integers(1, 9)


@st.composite
def contact_values(draw, ids: st.SearchStrategy[int]) -> dict:
    return {
        "id": draw(ids),
        **{column: draw(strategy) for column, strategy in CHANGES.items()},
        "created_at": draw(st.sampled_from([*TIMES[:2], "2026-11-24T23:59:59Z"])),
        "received_day": draw(st.sampled_from([None, "2026-11-23"])),
        "import_batch_id": draw(st.sampled_from([None, None, 1])),
    }


def new_contacts() -> st.SearchStrategy[tuple[str, tuple]]:
    return contact_values(st.integers(1_000, 1_000_000)).map(lambda row: insert_contact(**row))


# Several contacts in one INSERT: the seeded ids (1..6 at most) are taken, so skipped.
several_new_contacts = st.lists(
    contact_values(st.integers(1, 9)), min_size=2, max_size=4, unique_by=lambda row: row["id"]
).map(lambda rows: insert_contacts(*rows))


@st.composite
def contact_updates(draw) -> tuple[str, tuple]:
    columns = draw(st.lists(st.sampled_from(sorted(CHANGES)), min_size=1, max_size=3, unique=True))
    values = {column: draw(CHANGES[column]) for column in columns}
    assignments = ", ".join(f"{column} = ?" for column in columns)
    rows = draw(st.sampled_from(["one", "even", "all", "some"]))
    if rows == "some":
        ids = draw(st.lists(contact_ids, min_size=2, max_size=4, unique=True))
        where, bound = f"id IN ({', '.join('?' * len(ids))})", tuple(ids)
    else:
        where, bound = {
            "one": ("id = ?", (draw(contact_ids),)),
            "even": ("id % 2 = ?", (0,)),
            "all": ("id > ?", (0,)),
        }[rows]
    return f"UPDATE contacts SET {assignments} WHERE {where}", (*values.values(), *bound)


account_updates = st.builds(
    lambda id, industry, employees: update("accounts", id, industry=industry, employees=employees),
    st.integers(1, 3),
    st.sampled_from([None, "Software", "Retail"]),
    st.sampled_from([None, 1, 10, 49, 50, 199, 200, 999, 1000]),
)
several_account_updates = st.builds(
    lambda industry, employees: (
        "UPDATE accounts SET industry = ?, employees = ? WHERE id IN (1, 3)",
        (industry, employees),
    ),
    st.sampled_from([None, "Software", "Retail"]),
    st.sampled_from([None, 1, 10, 49, 50, 199, 200, 999, 1000]),
)
steps = st.one_of(
    new_contacts(),
    several_new_contacts,
    contact_updates(),
    account_updates,
    several_account_updates,
    st.lists(contact_ids, min_size=1, max_size=3).map(lambda ids: handoffs(*ids)),
    st.just(("UPDATE contacts SET attempts = attempts + 1", ())),
    st.just(("UPDATE contacts SET claimed_by = 'alice' WHERE id > 2", ())),  # no cohort moves
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seeded=st.lists(new_contacts(), min_size=1, max_size=6, unique_by=lambda step: step[1][0]),
    changes=st.lists(steps, max_size=20),
)
def test_triggers_keep_the_cohorts_as_sqlite_does_for_any_changes(lite, pg, seeded, changes):
    # The first contacts get ids 1..6 so that updates and handoffs find them.
    seeded = [(sql, (n, *params[1:-1], n)) for n, (sql, params) in enumerate(seeded, start=1)]
    lite.execute("BEGIN")
    try:
        for sql in SETUP:
            apply(lite, pg, sql)
        used = set()
        for sql, params in [*seeded, *changes]:
            if sql.startswith("INSERT INTO contacts") and "ON CONFLICT" not in sql:
                if params[0] in used:
                    continue
                used.add(params[0])
            apply(lite, pg, sql, params)
        assert cohorts_pg(pg) == cohorts_lite(lite)
    finally:
        lite.execute("ROLLBACK")
        pg.rollback()
