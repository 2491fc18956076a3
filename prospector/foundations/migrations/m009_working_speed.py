"""Schema 9: speed to lead in working time beside wall time; callbacks due by time.

``first_dial_working_seconds`` is the prospect's calling time between a contact's
arrival and its first dial (nights, weekends, lunch and holidays left out), set
once by ``log`` with the first dial, the way ``first_dial_at`` is: it depends on
the calling rules of that day, which SQL cannot see. Contacts dialed before this
version have none; the ``sla`` report's working figures count the contacts that
have one. The partial index holds exactly the dialed leads the ``lead_speed``
cohorts count, so the report reads a period's working speeds from it alone.

``contacts_callbacks_due`` lets ``next`` ask in one seek whether any callback is
due at all (``services.queue.probe``) before reading the callback lanes locale by
locale.
"""

from __future__ import annotations

from typing import Any

from prospector.foundations.dialect import of_connection


def migrate(conn: Any) -> None:
    """Both backends (the first migration after PostgreSQL's baseline)."""
    integer = of_connection(conn).column_types()["integer"]
    conn.execute(f"ALTER TABLE contacts ADD COLUMN first_dial_working_seconds {integer}")
    conn.execute(
        """CREATE INDEX contacts_dialed_by_created
               ON contacts (created_at, tier, first_dial_working_seconds)
               WHERE first_dial_at IS NOT NULL AND filtered_by IS NULL"""
    )
    conn.execute(
        """CREATE INDEX contacts_callbacks_due ON contacts (callback_at)
               WHERE callback_at IS NOT NULL AND status = 'open'"""
    )
