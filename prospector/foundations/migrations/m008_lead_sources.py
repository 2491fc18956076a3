"""Schema 8: the lead cohort by source and tier (the ``sources`` report).

``lead_segments`` has the source but not the tier, ``lead_speed`` the tier but
only dialed leads: ``lead_sources`` counts every lead received on a team day by
its source and tier, how many a fit rule filtered and how many were worked (at
least one attempt). Like the other cohort tables it is kept by triggers in the
statement that changes a contact, counted a chunk at a time by the importer
(``cohorts.count_new_leads``), and recounted by ``rebuild_summaries``.
"""

from __future__ import annotations

from prospector.foundations.migrations.m001_initial import RECEIVED_DAY_SQL


def source_values(c: str, sign: str = "1") -> str:
    """SELECT list of one contact's ``lead_sources`` row (``c``: its alias or NEW/OLD)."""
    return f"""{RECEIVED_DAY_SQL.format(c=c)}, coalesce({c}.source, ''),
        coalesce({c}.tier, ''), {sign}, {sign} * ({c}.filtered_by IS NOT NULL),
        {sign} * ({c}.attempts > 0)"""


def lead_sources_recount(values: str) -> str:
    """Count every contact into the empty ``lead_sources``, ``values`` being
    :func:`source_values` of ``c`` in the backend's dialect (``rebuild_cohorts``)."""
    return f"""
INSERT INTO lead_sources (received_day, source, tier, leads, filtered, worked)
    WITH v(d, s, t, leads, filtered, worked) AS (SELECT {values} FROM contacts c)
    SELECT d, s, t, sum(leads), sum(filtered), sum(worked) FROM v GROUP BY d, s, t"""


LEAD_SOURCES_RECOUNT = lead_sources_recount(source_values("c"))
"""Count every contact into the empty ``lead_sources`` (the upgrade, on SQLite)."""

_UPSERT = """INSERT INTO lead_sources (received_day, source, tier, leads, filtered, worked)
    SELECT {values}
    ON CONFLICT DO UPDATE SET leads = leads + excluded.leads,
        filtered = filtered + excluded.filtered, worked = worked + excluded.worked;
"""

SQL = f"""
CREATE TABLE lead_sources (
    received_day TEXT NOT NULL,
    source TEXT NOT NULL,
    tier TEXT NOT NULL,
    leads INTEGER NOT NULL DEFAULT 0,
    filtered INTEGER NOT NULL DEFAULT 0,  -- filtered by a fit rule
    worked INTEGER NOT NULL DEFAULT 0,  -- at least one attempt
    PRIMARY KEY (received_day, source, tier)
) WITHOUT ROWID;
CREATE TRIGGER lead_sources_insert AFTER INSERT ON contacts
    WHEN NEW.import_batch_id IS NULL BEGIN
    {_UPSERT.format(values=source_values("NEW"))}
END;
CREATE TRIGGER lead_sources_update AFTER UPDATE OF source, tier, filtered_by, attempts
    ON contacts WHEN OLD.source IS NOT NEW.source OR OLD.tier IS NOT NEW.tier
        OR (OLD.filtered_by IS NULL) != (NEW.filtered_by IS NULL)
        OR (OLD.attempts > 0) != (NEW.attempts > 0) BEGIN
    {_UPSERT.format(values=source_values("OLD", "-1"))}
    {_UPSERT.format(values=source_values("NEW"))}
END;
{LEAD_SOURCES_RECOUNT};
"""
