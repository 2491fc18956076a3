"""Invariants of adding leads one at a time (hypothesis), on both backends."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.foundations.db import open_database
from prospector.services.importing.leads import add_leads
from tests.conftest import MONDAY_10_ET

LEAD = st.fixed_dictionaries(
    {"phone": st.sampled_from(["(415) 555-2671", "+1 415 555 2671", "212-555-0100",
                               "(208) 555-0142", "12", "+44 20 7946 0018"])},
    optional={
        "first": st.sampled_from(["Ada", "Bo", "ADA"]),
        "last": st.sampled_from(["Lee", "Müller"]),
        "email": st.sampled_from(["ada@x.example", "bo@y.example", "info@x.example"]),
        "company": st.sampled_from(["Acme", "Acme Inc", "Globex"]),
        "industry": st.sampled_from(["Software", "eCommerce"]),
    },
)  # fmt: skip


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(leads=st.lists(LEAD, min_size=1, max_size=8))
def test_every_lead_has_one_outcome_and_adding_again_adds_no_one(new_database, leads):
    with open_database(new_database()) as db:
        first = add_leads(db, leads, now=MONDAY_10_ET)
        count = db.one("SELECT count(*) FROM contacts")[0]
        assert len(first) == len(leads)
        for lead, outcome in zip(leads, first, strict=True):
            if lead["phone"] == "12":
                assert (outcome.outcome, outcome.field, outcome.contact_id) == (
                    "rejected",
                    "phone",
                    None,
                )
            else:
                assert outcome.stored in ("inserted", "updated") and outcome.contact_id
        inserted = {o.contact_id for o in first if o.stored == "inserted"}
        assert len(inserted) == sum(o.stored == "inserted" for o in first) == count
        again = add_leads(db, leads, now=MONDAY_10_ET.replace(day=24))
        assert db.one("SELECT count(*) FROM contacts")[0] == count
        assert all(o.stored in ("updated", None) for o in again)
        assert [o.outcome == "rejected" for o in again] == [o.outcome == "rejected" for o in first]
