"""export --format hubspot, read back the way HubSpot's multi-object import reads it.

HubSpot maps a header to the default property with that label; a label several of
the imported objects have needs the object picked by hand. The labels below are
HubSpot's default contact, company and deal properties (knowledge base: "HubSpot's
default contact / company / deal properties"), plus the one deal property the
README has the admin create.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prospector.foundations import crm_hubspot
from prospector.foundations.db import database_id, open_database
from prospector.services import handoffs
from prospector.services.export import hubspot
from prospector.services.settings import DEFAULTS_FILE, HubSpotSettings
from tests.conftest import MONDAY_10_ET
from tests.handoff_factories import make_account, make_contact

AT = "2026-11-23T16:00:00Z"
FILE = "prospector-batch-{}-hubspot.csv"
README = Path(__file__).resolve().parent.parent / "README.md"

LABELS = {
    "Contact": {
        "First name", "Last name", "Email", "Phone number", "Mobile phone number",
        "Job title", "Company name", "Industry", "Number of employees", "Street address",
        "City", "State/Region", "Postal code", "Country/Region", "Contact owner",
        "Lifecycle stage", "Lead status", "Website URL", "Annual revenue", "Close date",
        "Create date", "Record ID", "Fax number", "Time zone",
    },
    "Company": {
        "Company name", "Company domain name", "Industry", "Number of employees",
        "Phone number", "Street address", "City", "State/Region", "Postal code",
        "Country/Region", "Company owner", "Annual revenue", "Description",
        "Lifecycle stage", "Close date", "Create date", "Record ID", "Website URL", "Type",
        "Time zone", "LinkedIn company page",
    },
    "Deal": {
        "Deal name", "Amount", "Close date", "Deal stage", "Pipeline", "Deal owner",
        "Deal description", "Deal type", "Priority", "Create date", "Record ID",
        "Prospector handoff id",  # the unique-value property the admin creates
    },
}  # fmt: skip
EXTERNAL_ID = re.compile(r"[0-9a-f]{12}-h[1-9]\d*")
COMMON_WORDS = {
    "Software": "COMPUTER_SOFTWARE",
    "Healthcare": "HOSPITAL_HEALTH_CARE",
    "Education": "EDUCATION_MANAGEMENT",
    "Financial Services": "FINANCIAL_SERVICES",
    "Manufacturing": "MECHANICAL_OR_INDUSTRIAL_ENGINEERING",
    "Retail": "RETAIL",
    "Logistics": "LOGISTICS_AND_SUPPLY_CHAIN",
    "Insurance": "INSURANCE",
    "Construction": "CONSTRUCTION",
    "eCommerce": "RETAIL",
    "Hospital & Health Care": "HOSPITAL_HEALTH_CARE",
    "information technology and services": "INFORMATION_TECHNOLOGY_AND_SERVICES",
}


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    # HubSpot reads import CSVs as UTF-8, RFC 4180 quoting (newlines inside quotes).
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def export(run, out: Path, *args: str) -> dict:
    result = run("export", "--format", "hubspot", "--out", str(out), *args, "--json", "--at", AT)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def qualify(db, contact: int, **fields) -> int:
    return handoffs.qualify(db, contact, rep="alice", now=MONDAY_10_ET, **fields).id


def load_settings_text(run, tmp_path: Path, extra: str):
    path = tmp_path / "team-settings.toml"
    path.write_text(DEFAULTS_FILE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return run("settings", "load", str(path))


@pytest.fixture
def meeting_and_not(db):
    """Two handoffs: one with a booked meeting and an amount, one without either."""
    with_meeting = qualify(
        db,
        make_contact(db, email="jane@acme.example", phone="+12125550100"),
        amount="12500",
        meeting_at="2026-12-01 14:00",
    )
    without = qualify(
        db, make_contact(db, first_name="Ana", company="Beta Labs", phone="+12125550101")
    )
    return with_meeting, without


# --- headers -------------------------------------------------------------------


def test_every_header_maps_to_a_default_property_and_the_ambiguous_ones_are_listed(
    run, meeting_and_not, tmp_path
):
    export(run, tmp_path)
    header, rows = read(tmp_path / FILE.format(1))
    assert len(rows) == 2 and len(header) == len(set(header))
    assert set(header) == set(hubspot.OBJECT_OF) | set(hubspot.CHOOSE_OBJECT)
    for name in header:
        owners = {obj for obj, labels in LABELS.items() if name in labels}
        assert owners, f"{name!r} is no HubSpot property: it would not map"
        if len(owners) == 1:
            assert hubspot.OBJECT_OF[name] in owners and name not in hubspot.CHOOSE_OBJECT
        else:
            assert hubspot.CHOOSE_OBJECT[name] in owners and name not in hubspot.OBJECT_OF
    # Each object's required properties are there (contacts: a name or email;
    # companies: a domain; deals: name, pipeline and stage), and owners by email.
    for required in ("Email", "Company domain name", "Deal name", "Pipeline", "Deal stage"):
        assert required in header
    assert rows[0]["Contact owner"] == rows[0]["Deal owner"] == "dana.whitfield@example.com"


def test_readme_names_every_header_that_needs_an_object_picked():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### HubSpot setup") :]
    section = section[: section.index("\n## ")]
    for name, obj in hubspot.CHOOSE_OBJECT.items():
        assert f"* *{name}* → {obj}" in section, name
    assert hubspot.UNIQUE_PROPERTY in section and hubspot.UNIQUE_PROPERTY_NAME in section


# --- the unique deal key -----------------------------------------------------------


def test_the_unique_property_holds_namespaced_ids_stable_across_batches(
    run, db, meeting_and_not, tmp_path
):
    first = export(run, tmp_path)
    assert first["batch"] == 1 and first["count"] == 2
    second = export(run, tmp_path, "--resend")  # the same handoffs, in a new batch
    assert second["batch"] == 2 and second["count"] == 2
    _, one = read(tmp_path / FILE.format(1))
    _, two = read(tmp_path / FILE.format(2))
    keys = [row["Prospector handoff id"] for row in one]
    assert all(EXTERNAL_ID.fullmatch(key) for key in keys)
    assert len(set(keys)) == len(keys)  # unique within the file, as HubSpot requires
    assert [row["Prospector handoff id"] for row in two] == keys  # updates, not new deals
    dbid = database_id(db)
    assert keys == [f"{dbid}-h{number}" for number in meeting_and_not]


def test_two_databases_never_share_a_key(db_path, second_db_path):
    keys = []
    for path in (db_path, second_db_path):
        database = open_database(path)
        handoff = qualify(database, make_contact(database))
        rows = _render(database, HubSpotSettings.shipped())
        keys.append(rows[0]["Prospector handoff id"])
        assert keys[-1] == f"{database_id(database)}-h{handoff}"
        database.close()
    assert keys[0] != keys[1]


def _render(db, settings: HubSpotSettings) -> list[dict[str, str]]:
    from prospector.services.export.payloads import build_payloads
    from prospector.services.settings import load_settings

    payloads = build_payloads(
        db, statuses=("pending",), team_zone=load_settings(db).team.zone, leave_out=()
    )
    ((_, data),) = hubspot.render(payloads, settings)
    return list(csv.DictReader(data.decode("utf-8").splitlines(keepends=True)))


# --- pipeline and stages ---------------------------------------------------------------


def test_the_meeting_booked_deal_is_further_along_the_default_pipeline(
    run, meeting_and_not, tmp_path
):
    export(run, tmp_path)
    _, (meeting, plain) = read(tmp_path / FILE.format(1))
    pipeline = crm_hubspot.default_pipeline()
    assert meeting["Pipeline"] == plain["Pipeline"] == "default"
    assert pipeline.stages.index(meeting["Deal stage"]) > pipeline.stages.index(plain["Deal stage"])
    # HubSpot's default probabilities rise along the pipeline: 20 % then 40 %.
    assert (plain["Deal stage"], meeting["Deal stage"]) == (
        "appointmentscheduled",
        "qualifiedtobuy",
    )
    assert (meeting["Amount"], plain["Amount"]) == ("12500.00", "")
    assert meeting["Close date"] == "2027-02-21"


def test_pipeline_and_stage_ids_come_from_the_settings(run, meeting_and_not, tmp_path):
    loaded = load_settings_text(
        run,
        tmp_path,
        '\n[crm.hubspot]\npipeline = "8723411"\nstages = ["8723412", "8723413", "8723414"]\n'
        'stage_qualified = "8723412"\nstage_meeting = "8723414"\n',
    )
    assert loaded.exit_code == 0, loaded.output
    export(run, tmp_path)
    _, (meeting, plain) = read(tmp_path / FILE.format(1))
    assert meeting["Pipeline"] == plain["Pipeline"] == "8723411"
    assert (meeting["Deal stage"], plain["Deal stage"]) == ("8723414", "8723412")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '[crm.hubspot]\nstage_meeting = "appointmentscheduled"\n'
            'stage_qualified = "qualifiedtobuy"\n',
            "crm.hubspot.stage_meeting ('appointmentscheduled') must come after"
            " crm.hubspot.stage_qualified ('qualifiedtobuy')",
        ),
        (
            '[crm.hubspot]\npipeline = "8723411"\n',
            "crm.hubspot.stages is missing: pipeline '8723411' is not HubSpot's default",
        ),
        (
            '[crm.hubspot]\nstage_meeting = "closedwon"\n',
            "crm.hubspot.stage_meeting = 'closedwon': expected one of crm.hubspot.stages",
        ),
        (
            '[crm.hubspot]\npipeline = "my pipeline"\n',
            "crm.hubspot.pipeline = 'my pipeline': expected a HubSpot id",
        ),
        (
            '[crm.hubspot.industry]\n"Biotech" = "Biotechnology"\n',
            "crm.hubspot.industry.Biotech = 'Biotechnology': expected one of HubSpot's"
            " Industry values",
        ),
        (
            '[crm.hubspot.industry]\n"Bio  Tech" = "BIOTECHNOLOGY"\n"bio tech" = ""\n',
            "crm.hubspot.industry.bio tech: 'bio tech' is given twice",
        ),
        ('[crm.hubspot.industry]\n" " = "DESIGN"\n', "an industry word as the key"),
        ('[crm.hubspot]\nstages = ["a", "b", "a"]\n', "expected each stage id once"),
        ('[crm.hubspot]\nstage = "x"\n', "unknown key crm.hubspot.stage"),
        ("[crm.hubsopt]\n", "unknown key crm.hubsopt"),
    ],
)
def test_bad_hubspot_settings_are_refused_naming_the_key(run, tmp_path, extra, message):
    result = load_settings_text(run, tmp_path, "\n" + extra)
    assert result.exit_code == 1
    assert message in result.output, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


# --- Industry --------------------------------------------------------------------------


def test_the_shipped_enumeration_is_hubspots_and_every_map_lands_in_it():
    values = crm_hubspot.industries()
    assert len(values) == 148
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*[A-Z]", value) for value in values)
    for named in ("FINANCIAL_SERVICES", "HOSPITAL_HEALTH_CARE", "COMPUTER_SOFTWARE"):
        assert named in values
    assert "EDUCATION" not in values and "HEALTHCARE" not in values  # why a map is needed
    assert set(crm_hubspot.shipped_industry_map().values()) <= values


def test_industry_cells_hold_enumeration_values_or_nothing(run, db, tmp_path):
    words = [*COMMON_WORDS, "Basket Weaving", "Basket Weaving", "Underwater Farming"]
    for number, word in enumerate(words):
        qualify(db, make_contact(db, industry=word, phone=f"+1212555{number:04d}"))
    report = export(run, tmp_path)
    _, rows = read(tmp_path / FILE.format(1))
    cells = [row["Industry"] for row in rows]
    assert all(cell in crm_hubspot.industries() for cell in cells if cell)
    assert cells[: len(COMMON_WORDS)] == list(COMMON_WORDS.values())
    assert cells[len(COMMON_WORDS) :] == ["", "", ""]
    (warning,) = [w for w in report["warnings"] if "Industry" in w]
    assert "3 handoff(s)" in warning and "'Basket Weaving' (2)" in warning
    assert "'Underwater Farming' (1)" in warning and "[crm.hubspot.industry]" in warning


def test_the_teams_industry_words_come_first(run, db, tmp_path):
    for number, word in enumerate(("Basket Weaving", "Software", "Retail")):
        qualify(db, make_contact(db, industry=word, phone=f"+1212555{number:04d}"))
    loaded = load_settings_text(
        run,
        tmp_path,
        '\n[crm.hubspot.industry]\n"basket  WEAVING" = "ARTS_AND_CRAFTS"\n'
        '"Software" = "INTERNET"\n"retail" = ""\n',
    )
    assert loaded.exit_code == 0, loaded.output
    report = export(run, tmp_path)
    _, rows = read(tmp_path / FILE.format(1))
    assert [row["Industry"] for row in rows] == ["ARTS_AND_CRAFTS", "INTERNET", ""]
    # Left empty on purpose by the team's own map: still said, so it is never silent.
    assert any("'Retail' (1)" in warning for warning in report["warnings"])


def test_a_rewritten_batch_maps_with_the_settings_of_its_day(run, db, tmp_path):
    qualify(db, make_contact(db, industry="Basket Weaving"))
    export(run, tmp_path)
    _, (before,) = read(tmp_path / FILE.format(1))
    assert before["Industry"] == ""
    load_settings_text(run, tmp_path, '\n[crm.hubspot.industry]\n"Basket Weaving" = "DESIGN"\n')
    result = run("export", "--batch", "1", "--out", str(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["warnings"] == []
    _, (after,) = read(tmp_path / FILE.format(1))
    assert after["Industry"] == "DESIGN"
    assert after["Prospector handoff id"] == before["Prospector handoff id"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_industry_word_maps_to_a_value_or_to_nothing(word):
    value = hubspot.industry_value(word, HubSpotSettings.shipped())
    assert value == "" or value in crm_hubspot.industries()


# --- records HubSpot cannot match, and hostile values ------------------------------------


def test_contacts_without_email_and_companies_without_domain_are_written_and_named(
    run, db, tmp_path
):
    bare = make_account(db, "Nodomain Inc", domain=None, industry="Software")
    qualify(db, make_contact(db, email="", account_id=bare, phone="+12125550110"))
    qualify(db, make_contact(db, email="", account_id=bare, phone="+12125550111"))
    qualify(db, make_contact(db, company=None, phone="+12125550112"))
    report = export(run, tmp_path)
    _, rows = read(tmp_path / FILE.format(1))
    assert [row["Email"] for row in rows[:2]] == ["", ""]
    assert rows[0]["Company name"] == "Nodomain Inc" and rows[0]["Company domain name"] == ""
    assert rows[2]["Company name"] == rows[2]["Industry"] == ""  # no company: none created
    assert all(row["Deal name"] and row["Prospector handoff id"] for row in rows)
    warned = " | ".join(report["warnings"])
    assert "2 contact(s) without an email" in warned
    assert "1 compan(ies) without a domain" in warned
    text = run("export", "--batch", "1", "--out", str(tmp_path)).output
    assert "warning: HubSpot: 2 contact(s) without an email" in text


def test_hostile_values_survive_as_text(run, db, tmp_path):
    hostile = {
        "first_name": '=HYPERLINK("http://x")',
        "last_name": 'O"Brien,\nJr.',
        "title": '+Chief, of "Stuff"\r\n@home',
        "company": "-Zürich Ünïcode, AG",
        "industry": "@Software",
    }
    contact = make_contact(db, **hostile, phone="+41445550100", state="", country="CH")
    qualify(db, contact, note='multi\nline "note", =1+1', need="\tTabbed need")
    export(run, tmp_path)
    raw = (tmp_path / FILE.format(1)).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and "Zürich".encode() in raw
    _, (row,) = read(tmp_path / FILE.format(1))
    assert row["First name"] == "'" + hostile["first_name"]
    assert row["Last name"] == hostile["last_name"]
    assert row["Job title"] == "'" + hostile["title"]
    assert row["Company name"] == "'" + hostile["company"]
    assert row["Deal name"] == '\'-Zürich Ünïcode, AG - =HYPERLINK("http://x") O"Brien,\nJr.'
    # "@Software" is the word Software (punctuation does not count), never a formula.
    assert row["Industry"] == "COMPUTER_SOFTWARE"
    assert 'multi\nline "note", =1+1' in row["Deal description"]
    assert row["Phone number"] == "+41445550100"  # E.164 is a phone, kept as is
    for name, value in row.items():
        if name != "Phone number":
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), name


def test_a_description_past_hubspots_limit_is_cut_with_a_marker():
    payload = {
        "first_name": "Jane",
        "last_name": "Doe",
        "company": "Acme",
        "meeting_at": None,
        "description": "x" * (hubspot.TEXT_LIMIT + 10),
    }
    cut = hubspot.row(payload, HubSpotSettings.shipped(), "")["deal_description"]
    assert len(cut) == hubspot.TEXT_LIMIT and cut.endswith("[cut: see Prospector]")
    payload["description"] = "x" * hubspot.TEXT_LIMIT
    whole = hubspot.row(payload, HubSpotSettings.shipped(), "")["deal_description"]
    assert whole == payload["description"]
