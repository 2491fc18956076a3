"""Fit filter, tiers, SLA deadlines and re-applying rules after a settings change."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from prospector.foundations.clock import to_db
from prospector.services.fit import Profile, classify, reapply_rules, replace_settings, sla_deadline
from prospector.services.importing.profiles import ProfileKeys
from prospector.services.settings import DEFAULTS_FILE, default_settings, parse_settings

SETTINGS = default_settings()


def test_fit_rules_filter_with_the_rule_named():
    assert classify(Profile(industry="eCommerce", employees=500), SETTINGS).filtered_by == (
        "no eCommerce"
    )
    assert classify(Profile(industry="ecommerce "), SETTINGS).filtered_by == "no eCommerce"
    assert classify(Profile(employees=9), SETTINGS).filtered_by == "fewer than 10 employees"
    assert classify(Profile(employees=10), SETTINGS).filtered_by is None
    assert classify(Profile(title="Marketing Intern"), SETTINGS).filtered_by == "students"
    # Unknown size is not "fewer than 10": rules never fire on missing facts.
    assert classify(Profile(), SETTINGS).filtered_by is None


def test_tiers_first_match_wins():
    inbound_big = classify(Profile(source="Inbound", employees=250), SETTINGS)
    assert (inbound_big.tier, inbound_big.tier_priority) == ("A", 1)
    assert inbound_big.tier_rule.startswith("A: source in inbound")
    assert classify(Profile(source="list", employees=250), SETTINGS).tier == "B"
    assert classify(Profile(source="inbound", employees=20), SETTINGS).tier == "C"
    assert classify(Profile(), SETTINGS).tier_rule == "C: everyone else"


def test_sla_deadlines():
    a, b, c = SETTINGS.tiers
    friday_evening = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)  # 17:00 New York
    assert sla_deadline(friday_evening, a, SETTINGS) == datetime(2026, 11, 27, 23, 0, tzinfo=UTC)
    # One business day from Friday is Monday, same wall time in the team zone.
    assert sla_deadline(friday_evening, b, SETTINGS) == datetime(2026, 11, 30, 22, 0, tzinfo=UTC)
    assert sla_deadline(friday_evening, c, SETTINGS) == datetime(2026, 11, 30, 22, 0, tzinfo=UTC)


def _add_contact(db, *, industry, employees, source):
    now = to_db(datetime(2026, 11, 23, 15, tzinfo=UTC))
    with db.write():
        db.execute(
            "INSERT INTO locales (id, zones) VALUES (1, 'America/New_York') ON CONFLICT DO NOTHING"
        )
        account = db.insert(
            "INSERT INTO accounts (name, name_key, industry, employees, created_at, updated_at)"
            " VALUES ('Acme', 'acme', ?, ?, ?, ?)",
            (industry, employees, now, now),
        )
        profile = Profile(industry=industry, employees=employees, source=source)
        result = classify(profile, SETTINGS)
        return db.insert(
            """INSERT INTO contacts (account_id, phone, phone_raw, locale_id, source,
                   filtered_by, tier, tier_rule, tier_priority, next_call_at,
                   created_at, updated_at)
               VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                account,
                f"+1212555{account:04d}",
                "x",
                source,
                result.filtered_by,
                result.tier,
                result.tier_rule,
                result.tier_priority,
                now,
                now,
                now,
            ),
        )


def test_changed_rules_are_reapplied_in_the_same_transaction(db):
    retail = _add_contact(db, industry="Retail", employees=300, source="inbound")
    shop = _add_contact(db, industry="eCommerce", employees=300, source="inbound")
    text = DEFAULTS_FILE.read_text().replace('industry = ["eCommerce"]', 'industry = ["Retail"]')
    now = datetime(2026, 11, 23, 16, tzinfo=UTC)
    result = replace_settings(db, parse_settings(text), actor="lead", now=now)
    assert result == {"contacts": 2, "filter_changed": 2, "tier_changed": 0}
    rows = {r["id"]: r["filtered_by"] for r in db.query("SELECT id, filtered_by FROM contacts")}
    assert rows == {retail: "no eCommerce", shop: None}
    # Same rules again: nothing to re-apply.
    assert replace_settings(db, parse_settings(text), actor="lead", now=now) is None
    assert reapply_rules(db, now=now)["filter_changed"] == 0


def test_a_new_tier_brings_its_own_sla_deadline_for_undialed_leads(db):
    lead = _add_contact(db, industry="Retail", employees=300, source="list")  # tier B
    with db.write():
        db.execute("UPDATE contacts SET sla_due_at = '2026-11-24T15:00:00Z' WHERE id = ?", (lead,))
    # Make list leads with 200+ employees tier A (first touch within 1 hour).
    text = DEFAULTS_FILE.read_text().replace(
        'source = ["inbound", "webinar", "demo request"]',
        'source = ["inbound", "webinar", "demo request", "list"]',
    )
    replace_settings(
        db, parse_settings(text), actor="lead", now=datetime(2026, 11, 23, 16, tzinfo=UTC)
    )
    row = db.one("SELECT tier, sla_due_at FROM contacts WHERE id = ?", (lead,))
    # Received at 15:00 UTC (the factory's instant): due an hour later.
    assert (row["tier"], row["sla_due_at"]) == ("A", "2026-11-23T16:00:00Z")


# Every kind of condition, so the reduced key must keep each one's answer.
KEYED = parse_settings(
    DEFAULTS_FILE.read_text()
    + """
[[fit_rules]]
name = "Quebec lists"
country = ["CA"]
state = ["QC"]
list = ["Salon 2026"]
employees_below = 500
"""
)


def _text(*known: str) -> st.SearchStrategy[str | None]:
    variants = [v for word in known for v in (word, word.upper(), f" {word.lower()} ")]
    return st.none() | st.sampled_from(variants) | st.text(max_size=12)


@given(
    industry=_text("eCommerce", "Retail"),
    source=_text("inbound", "demo request", "list"),
    country=_text("CA", "US"),
    state=_text("QC", "ON"),
    list_name=_text("Salon 2026"),
    title=st.none() | st.sampled_from(["CEO", "Sales INTERN", "Student rep", "studen"]),
    employees=st.none() | st.sampled_from([0, 9, 10, 49, 50, 199, 200, 499, 500, 10**6]),
)
def test_reduced_profile_keys_classify_as_the_profile_does(
    industry, source, country, state, list_name, title, employees
):
    profile = Profile(industry, source, country, state, list_name, title, employees)
    key = ProfileKeys(KEYED).key(industry, source, country, state, list_name, title, employees)
    assert classify(Profile(*key), KEYED) == classify(profile, KEYED)
