"""The few SQL fragments SQLite and PostgreSQL spell differently.

Services write one statement for both backends; where the two disagree they ask
``db.dialect`` for the fragment instead of branching on the backend. Everything
else (``?`` and ``:name`` parameters, ``ON CONFLICT``, ``RETURNING``, ``FILTER``)
is SQL both understand; the PostgreSQL connection rewrites only the parameters.
"""

from __future__ import annotations


class SQLiteDialect:
    name = "sqlite"

    def ints_in(self, param: str) -> str:
        """A subquery of the whole numbers in the JSON list bound to ``param``."""
        return f"(SELECT value FROM json_each({param}))"

    def texts_in(self, param: str) -> str:
        """A subquery of the strings in the JSON list bound to ``param``."""
        return f"(SELECT value FROM json_each({param}))"

    def greatest(self, *values: str) -> str:
        """The largest of ``values``, NULL if any is NULL (SQLite's scalar max())."""
        return f"max({', '.join(values)})"

    def least(self, *values: str) -> str:
        return f"min({', '.join(values)})"

    def contains(self, haystack: str, needle: str) -> str:
        """True when ``needle`` occurs in ``haystack`` (both text)."""
        return f"instr({haystack}, {needle}) > 0"

    def seconds_between(self, start: str, end: str) -> str:
        """Whole seconds from one UTC text instant to another (rounded)."""
        return f"CAST(round((julianday({end}) - julianday({start})) * 86400) AS INTEGER)"

    def nocase(self, expression: str) -> str:
        """``expression`` compared without regard to ASCII case (an index exists on it)."""
        return f"{expression} COLLATE NOCASE"

    skip_locked = ""
    """Appended to the queue's top-of-queue SELECT: SQLite's write lock is the whole file."""

    # --- db copy / db check (pgc) ---------------------------------------------------

    def after_explicit_ids(self, table: str) -> str | None:
        """A statement to run after rows were inserted into ``table`` with their own
        ``id`` values, so the next row without one gets a new id (None: none needed;
        SQLite takes max(id) + 1)."""
        return None

    database_bytes = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
    """A query of the database's size in bytes (the file, for SQLite)."""

    # --- queue, claims, search (pgq) ---

    def each_locale_heads(self, locales: str, heads: str) -> str:
        """A FROM fragment: ``contacts c`` rows picked per locale by ``heads``.

        ``locales`` is a parameter bound to a JSON array of locale ids; ``heads`` is a
        ``SELECT c.id FROM contacts c WHERE c.locale_id = l.value ... LIMIT n``
        that reads one locale's first rows from a partial index. SQLite runs it as
        a correlated ``IN`` per locale; PostgreSQL as a ``LATERAL`` join.
        """
        return f"json_each({locales}) AS l JOIN contacts c ON c.id IN ({heads})"

    def like(self, text: str, pattern: str) -> str:
        """``text LIKE pattern`` without regard to ASCII case, ``\\`` escaping."""
        return f"{text} LIKE {pattern} ESCAPE '\\'"


class PostgresDialect(SQLiteDialect):
    name = "postgresql"

    def ints_in(self, param: str) -> str:
        return f"(SELECT value::bigint FROM json_array_elements_text({param}::json))"

    def texts_in(self, param: str) -> str:
        return f"(SELECT value FROM json_array_elements_text({param}::json))"

    def greatest(self, *values: str) -> str:
        # PostgreSQL's greatest() skips NULLs; SQLite's max() returns NULL.
        nulls = " OR ".join(f"({value}) IS NULL" for value in values)
        return f"CASE WHEN {nulls} THEN NULL ELSE greatest({', '.join(values)}) END"

    def least(self, *values: str) -> str:
        nulls = " OR ".join(f"({value}) IS NULL" for value in values)
        return f"CASE WHEN {nulls} THEN NULL ELSE least({', '.join(values)}) END"

    def contains(self, haystack: str, needle: str) -> str:
        return f"strpos({haystack}, {needle}) > 0"

    def seconds_between(self, start: str, end: str) -> str:
        return (
            f"CAST(round(extract(epoch FROM (({end})::timestamptz - ({start})::timestamptz)))"
            " AS BIGINT)"
        )

    def nocase(self, expression: str) -> str:
        return f"lower({expression})"

    skip_locked = " FOR UPDATE SKIP LOCKED"

    # --- db copy / db check (pgc) ---------------------------------------------------

    def after_explicit_ids(self, table: str) -> str | None:
        return (
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" coalesce(max(id), 0) + 1, false) FROM {table}"
        )

    database_bytes = "SELECT pg_database_size(current_database())"

    # --- queue, claims, search (pgq) ---

    def each_locale_heads(self, locales: str, heads: str) -> str:
        return (
            f"{self.ints_in(locales)} AS l(value)"
            f" CROSS JOIN LATERAL ({heads}) AS heads JOIN contacts c ON c.id = heads.id"
        )

    def like(self, text: str, pattern: str) -> str:
        return f"lower({text}) LIKE lower({pattern}) ESCAPE '\\'"


SQLITE = SQLiteDialect()
POSTGRES = PostgresDialect()
