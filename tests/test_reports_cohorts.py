"""Lead cohorts kept by triggers equal a recount, through the real services.

Imports (new contacts, and re-imports that change a contact's source, list and
company), logs by several reps, qualifies, a settings change that re-tiers and
re-filters, a DNC import and a team zone change: after each, the cohort tables
must be exactly what ``rebuild_summaries`` counts from the base tables.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from prospector.foundations.db import Database, open_database
from prospector.services.fit import replace_settings
from prospector.services.reports import rebuild_summaries
from prospector.services.reports.cohorts import percentile
from prospector.services.settings import default_settings, load_settings, parse_settings
from tests.report_factories import import_leads, lead, log, qualify, reimport

START = datetime(2026, 10, 26, 13, tzinfo=UTC)


def cohorts(db: Database) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """The cohort tables without their all-zero rows (cohorts everyone has left)."""
    segments = db.query(
        """SELECT * FROM lead_segments
           WHERE leads <> 0 OR filtered <> 0 OR dialed <> 0 OR conversed <> 0 OR qualified <> 0
           ORDER BY 1, 2, 3, 4, 5"""
    )
    speed = db.query("SELECT * FROM lead_speed WHERE leads <> 0 ORDER BY 1, 2, 3")
    sources = db.query("SELECT * FROM lead_sources WHERE leads <> 0 ORDER BY 1, 2, 3")
    return [tuple(r) for r in segments], [tuple(r) for r in speed], [tuple(r) for r in sources]


def assert_kept_equals_recount(db: Database) -> None:
    kept = cohorts(db)
    with db.write():
        rebuild_summaries(db, load_settings(db))
    assert cohorts(db) == kept


def retiered() -> str:
    """Tier B needs 100 employees (not 50), and eCommerce is no longer filtered."""
    text = default_settings().source_text.replace(
        "employees_at_least = 50", "employees_at_least = 100"
    )
    return text.replace(
        'name = "no eCommerce"\nindustry = ["eCommerce"]',
        'name = "no mining"\nindustry = ["Mining"]',
    )


def test_a_mixed_day_of_work(db):
    day = START
    rows = [
        lead(source="inbound", industry="Software", employees=500, list_name="web"),
        lead(source="list", industry="eCommerce", employees=80, list_name="q4"),
        lead(source="list", industry="Retail", employees=60, list_name="q4"),
        lead(source="list", employees=5),
        lead(source="event", title="Student"),
    ]
    first = import_leads(db, rows, at=day)
    log(db, first[0], "no_answer", rep="ann", at=day + timedelta(minutes=3))
    log(db, first[2], "gatekeeper", rep="ben", at=day + timedelta(minutes=50), duration=30)
    log(db, first[0], "meeting_set", rep="ben", at=day + timedelta(hours=2), duration=300)
    qualify(db, first[0], rep="ben", at=day + timedelta(hours=2, minutes=5), amount=9000)
    assert_kept_equals_recount(db)
    # The same people again: a new source and list for one; a new head count for
    # another's company (its account changes under the contact, 50-199 to 200-999).
    before = cohorts(db)
    changed = [rows[0] | {"source": "webinar", "list_name": "nov"}, rows[1] | {"employees": 250}]
    assert reimport(db, changed, at=day + timedelta(days=1)).updated == 2

    def by(column: str) -> dict[str, int]:
        rows = db.query(
            f"SELECT {column}, sum(leads) FROM lead_segments GROUP BY 1 HAVING sum(leads) > 0"
        )
        return {row[0]: row[1] for row in rows}

    assert by("employee_band") == {"": 1, "1-9": 1, "50-199": 1, "200-999": 2}
    assert by("source") == {"webinar": 1, "list": 3, "event": 1}
    assert by("list_name") == {"nov": 1, "q4": 2, "": 2}
    assert cohorts(db) != before
    assert_kept_equals_recount(db)
    replace_settings(db, parse_settings(retiered()), actor="lead", now=day + timedelta(days=1))
    # A dialed lead moves from B to C, a filtered one is let in.
    assert db.one("SELECT tier FROM contacts WHERE id = ?", (first[2],))[0] == "C"
    assert db.one("SELECT filtered_by FROM contacts WHERE id = ?", (first[1],))[0] is None
    assert_kept_equals_recount(db)
    zone = default_settings().source_text.replace("America/New_York", "Asia/Tokyo")
    replace_settings(db, parse_settings(zone), actor="lead", now=day + timedelta(days=1))
    # 13:00 UTC on the 26th is 22:00 the same day in Tokyo.
    assert db.one("SELECT received_day FROM contacts WHERE id = ?", (first[0],))[0] == "2026-10-26"
    late = import_leads(db, [lead(source="inbound")], at=datetime(2026, 10, 27, 16, tzinfo=UTC))
    # 16:00 UTC is 01:00 the next day in Tokyo: the importer files it under that day.
    assert db.one("SELECT received_day FROM contacts WHERE id = ?", (late[0],))[0] == "2026-10-28"
    assert_kept_equals_recount(db)


LEADS = st.fixed_dictionaries(
    {
        "source": st.sampled_from([None, "inbound", "list", "webinar"]),
        "industry": st.sampled_from([None, "Software", "eCommerce", "Mining"]),
        "employees": st.sampled_from([None, 5, 60, 150, 400, 2000]),
        "list_name": st.sampled_from([None, "q4", "web"]),
    }
)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("import"), st.lists(LEADS, min_size=1, max_size=4)),
        st.tuples(
            st.just("log"),
            st.integers(0, 30),
            st.sampled_from(["ann", "ben", "cy"]),
            st.sampled_from(["no_answer", "gatekeeper", "meeting_set", "not_interested"]),
        ),
        st.tuples(st.just("qualify"), st.integers(0, 30)),
        st.tuples(
            st.just("retier"),
        ),
    ),
    max_size=25,
)


@hsettings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=STEPS)
def test_cohorts_kept_by_the_services_equal_a_recount(new_database, steps):
    db = open_database(new_database())
    try:
        now = START
        contacts: list[int] = []
        for step in steps:
            now += timedelta(minutes=37)
            if step[0] == "import":
                contacts += import_leads(db, [lead(**fields) for fields in step[1]], at=now)
            elif step[0] == "log" and contacts:
                contact = contacts[step[1] % len(contacts)]
                log(db, contact, step[3], rep=step[2], at=now, duration=60)
            elif step[0] == "qualify" and contacts:
                contact = contacts[step[1] % len(contacts)]
                qualify(db, contact, rep="ann", at=now, amount=1000)
            elif step[0] == "retier":
                replace_settings(db, parse_settings(retiered()), actor="lead", now=now)
        assert_kept_equals_recount(db)
        total = db.one("SELECT coalesce(sum(leads), 0) FROM lead_segments")[0]
        assert total == len(contacts)
    finally:
        db.close()


def test_percentiles_from_the_histogram():
    # 240 s, 600 s and 3780 s, each alone in its minute: exact.
    exact = [(240, 1, 240), (600, 1, 600), (3780, 1, 3780)]
    assert (percentile(exact, "median"), percentile(exact, "p95")) == (600, 3780)
    # Two speeds sharing a minute bucket give their mean: within the minute.
    shared = [(60, 2, 61 + 119), (600, 1, 600)]
    assert percentile(shared, "median") == 90
    assert percentile([(60, 2, 180), (600, 2, 1300)], "median") == round((90 + 650) / 2)
    assert percentile([], "median") is None and percentile([(0, 0, 0)], "p95") is None
    # p95 is the ⌈0.95·n⌉-th: of 20 leads, the 19th.
    twenty = [(60 * n, 1, 60 * n) for n in range(20)]
    assert percentile(twenty, "p95") == 60 * 18
