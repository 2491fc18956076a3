"""export --format salesforce and salesforce-leads, loaded as Data Loader and Bulk API 2.0 do.

``Org`` below is a small stand-in for a Salesforce org taking upserts: it knows
each object's field API names (Object Reference), the required fields, the
relationship fields and their parents' indexed fields, the picklists as
configured, and the users. Files are loaded in the documented order, each CSV
through its ``.sdl`` mapping; a relationship cell must name a record loaded
before it. Nothing here is read from the code under test except the settings.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prospector.foundations.db import open_database
from prospector.services import handoffs
from prospector.services.export import salesforce_values
from prospector.services.settings import DEFAULTS_FILE, default_settings, parse_settings
from tests.conftest import MONDAY_10_ET
from tests.handoff_factories import make_account, make_call, make_contact

AT = "2026-11-23T16:00:00Z"
ID = re.compile(r"^[0-9a-f]{12}-[hca]\d+$")
KEY = "Prospector_Id__c"
DANA = "dana.whitfield@acme.example.sfdc"
OWNER = "User:Owner.Username"  # on Lead, whose owner may be a user or a queue
LINKED = ("accounts", "contacts", "opportunities", "opportunity-contact-roles")

# Field API names per object (Salesforce Object Reference), the relationship fields
# (relationship name -> parent object) and the fields required on create.
STANDARD_FIELDS = {
    "Account": {
        "Name", "Website", "Industry", "NumberOfEmployees", "BillingState", "BillingCountry",
        "BillingStateCode", "BillingCountryCode", "Description", "Phone",
    },
    "Contact": {
        "FirstName", "LastName", "Title", "Phone", "Email", "LeadSource", "MailingState",
        "MailingCountry", "MailingStateCode", "MailingCountryCode", "Description",
    },
    "Opportunity": {
        "Name", "StageName", "CloseDate", "Amount", "LeadSource", "NextStep", "Description",
        "Type",
    },
    "OpportunityContactRole": {"IsPrimary", "Role"},
    "Lead": {
        "FirstName", "LastName", "Company", "Title", "Phone", "Email", "LeadSource", "Status",
        "Industry", "NumberOfEmployees", "State", "Country", "StateCode", "CountryCode",
        "Website", "Description",
    },
}  # fmt: skip
RELATIONSHIPS = {
    "Account": {"Owner": "User"},
    "Contact": {"Account": "Account", "Owner": "User"},
    "Opportunity": {"Account": "Account", "Owner": "User"},
    "OpportunityContactRole": {"Opportunity": "Opportunity", "Contact": "Contact"},
    "Lead": {"Owner": ("User", "Group")},  # polymorphic: a user or a queue
}
REQUIRED = {
    "Account": {"Name"},
    "Contact": {"LastName"},
    "Opportunity": {"Name", "StageName", "CloseDate"},
    "OpportunityContactRole": {"Opportunity", "Contact"},
    "Lead": {"LastName", "Company"},
}
# Indexed fields a relationship column may look a parent up by (External ID or idLookup).
INDEXED = {"User": {"Username", "Id"}, "Account": {KEY, "Id"}, "Contact": {KEY, "Id", "Email"}}
INDEXED["Opportunity"] = {KEY, "Id"}
PICKLIST_FIELDS = {
    "LeadSource": "lead_source",
    "Industry": "industry",
    "Status": "lead_status",
    "StageName": "stage_name",
}
# Codes allowed in state/country picklist fields (a sample of ISO codes in the tests).
CODES = {"US", "GB", "CA", "DE", "FR"}
OBJECT_OF = {
    "accounts": "Account",
    "contacts": "Contact",
    "opportunities": "Opportunity",
    "opportunity-contact-roles": "OpportunityContactRole",
    "leads": "Lead",
}


def read_properties(text: str) -> dict[str, str]:
    """Java properties, as Data Loader reads a .sdl (escapes undone, comments skipped)."""
    found = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith(("#", "!")):
            continue
        key, value = re.split(r"(?<!\\)[=:]", line, maxsplit=1)  # either separates
        found[key.replace("\\:", ":")] = value.replace("\\:", ":").strip()
    return found


@dataclass
class Org:
    """Records by object and external id, as upserts leave them."""

    picklists: dict[str, tuple[str, ...]]
    users: set[str] = field(default_factory=set)
    records: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    inserted: int = 0

    def upsert(self, obj: str, csv_path: Path, sdl_path: Path, *, codes: bool = False) -> None:
        raw = csv_path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")  # see the README: no BOM
        text = raw.decode("utf-8")  # "Read all CSVs with UTF-8 encoding"
        reader = csv.DictReader(io.StringIO(text, newline=""))
        headers = list(reader.fieldnames or [])
        mapping = read_properties(sdl_path.read_text("ascii"))
        assert set(mapping) == set(headers), "every column mapped, nothing else"
        assert KEY in headers, "an upsert needs its External ID column"
        for header in headers:
            self._check_header(obj, header, mapping[header], codes)
        table = self.records.setdefault(obj, {})
        for row in reader:
            key = row[KEY]
            assert ID.fullmatch(key), key
            record = table.get(key)
            if record is None:
                missing = {f for f in REQUIRED[obj] if not self._value(row, f)}
                assert not missing, f"{obj} {key}: required {missing}"
                self.inserted += 1
                record = table[key] = {}
            for header, value in row.items():
                if value == "":
                    continue  # a blank cell sets nothing (no "insert nulls")
                if "." in header:
                    self._resolve(obj, header, value)
                elif header in PICKLIST_FIELDS:
                    assert value in self.picklists[PICKLIST_FIELDS[header]], (header, value)
                elif header.endswith(("StateCode", "CountryCode")):
                    assert value in CODES or re.fullmatch(r"[A-Z0-9]{1,3}", value), value
                record[header] = value

    def _value(self, row: dict[str, str], name: str) -> str:
        return next((v for h, v in row.items() if h == name or h.startswith(f"{name}.")), "")

    def _check_header(self, obj: str, header: str, mapped: str, codes: bool) -> None:
        if header == KEY:
            assert mapped == KEY
            return
        if "." in header:  # Bulk API 2.0: [ObjectType:]RelationshipName.IndexedFieldName
            path, indexed = header.split(".")
            typed, _, relationship = path.rpartition(":")
            parents = RELATIONSHIPS[obj].get(relationship)
            assert parents is not None, f"{obj} has no relationship {relationship}"
            if isinstance(parents, tuple):  # polymorphic: the type must be named
                assert typed in parents, f"{header}: name one of {parents}"
                assert mapped == f"{relationship}:{typed}-{indexed}"  # Data Loader's form
                parent = typed
            else:
                assert not typed, header
                assert mapped == f"{relationship}:{indexed}"  # Data Loader's form
                parent = parents
            assert indexed in INDEXED[parent], f"{parent}.{indexed} is not indexed"
            return
        assert header in STANDARD_FIELDS[obj], f"{obj}.{header} is not a field"
        assert mapped == header
        if header.endswith(("State", "Country")):
            assert not codes
        if header.endswith(("StateCode", "CountryCode")):
            assert codes

    def _resolve(self, obj: str, header: str, value: str) -> None:
        path, _ = header.split(".")
        parent, _, relationship = path.rpartition(":")
        parent = parent or RELATIONSHIPS[obj][relationship]
        if parent == "User":
            assert value in self.users, f"no user {value!r}"
        else:
            assert value in self.records.get(parent, {}), f"{header} {value}: no such {parent}"

    def load_linked(self, out: Path, batch: int, **kw: bool) -> None:
        for name in LINKED:
            stem = out / f"prospector-batch-{batch}-salesforce-{name}"
            self.upsert(OBJECT_OF[name], stem.with_suffix(".csv"), stem.with_suffix(".sdl"), **kw)

    def load_leads(self, out: Path, batch: int, **kw: bool) -> None:
        stem = out / f"prospector-batch-{batch}-salesforce-leads"
        self.upsert("Lead", stem.with_suffix(".csv"), stem.with_suffix(".sdl"), **kw)


def settings_text(extra: str = "") -> str:
    text = DEFAULTS_FILE.read_text("utf-8").replace(
        'email = "dana.whitfield@example.com"',
        f'email = "dana.whitfield@example.com"\nsalesforce_user = "{DANA}"',
    )
    return text + "\n" + extra


def load_settings_file(run, tmp_path: Path, extra: str = "") -> None:
    path = tmp_path / "settings.toml"
    path.write_text(settings_text(extra), "utf-8")
    result = run("settings", "load", str(path))
    assert result.exit_code == 0, result.output


def export(run, *args: str) -> dict:
    result = run("export", *args, "--json", "--at", AT)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def org(extra: str = "") -> Org:
    return Org(parse_settings(settings_text(extra)).salesforce.picklists, users={DANA})


@pytest.fixture
def hostile(db, run, tmp_path):
    """Five handoffs: awkward names, a shared account, a contact without company, two reps."""
    load_settings_file(run, tmp_path)
    shared = make_account(
        db, 'Müller, "Söhne" & Co\nGmbH', domain="mueller.example", industry="Computer Software"
    )
    a = make_contact(
        db,
        first_name="José",
        last_name="Ñúñez",
        account_id=shared,
        source="Demo_Request",
        state="NY",
    )
    b = make_contact(
        db,
        first_name="=cmd|' /C calc'!A0",
        last_name="O'Brien, Jr.",
        account_id=shared,
        source="webinar",
        state="NJ",
    )
    c = make_contact(
        db,
        first_name="Zoë",
        last_name=None,
        company=None,
        source="cold call",
        state="CA",
        zones="America/Los_Angeles",
    )
    d = make_contact(
        db,
        first_name="-Bob",
        last_name="+Smith",
        company="@Evil Corp",
        industry="Underwater Basket Weaving",
        source="Trade-Show Booth",
        state="CA",
        zones="America/Los_Angeles",
    )
    e = make_contact(
        db,
        first_name="李",
        last_name="小龙",
        company="北京科技",
        industry="",
        source="",
        state="",
        country="GB",
        zones="Europe/London",
    )
    make_call(db, a, at="2026-11-20T15:00:00Z", note='said "yes",\r\nthen =SUM(A1)')
    owners = {
        a: "Dana Whitfield",
        b: "Dana Whitfield",
        c: "Marco Reyes",
        d: "Marco Reyes",
        e: "Priya Shah",
    }
    for contact, owner in owners.items():
        handoffs.qualify(
            db,
            contact,
            rep="alice",
            now=MONDAY_10_ET,
            owner=owner,
            meeting_at="2026-12-01 14:00" if contact in (a, d) else None,
            amount="12500" if contact == a else None,
            note='@mention, "quoted"\nline two',
        )
    return {"a": a, "b": b, "c": c, "d": d, "e": e}  # fmt: skip


def rows(out: Path, batch: int, name: str) -> list[dict[str, str]]:
    path = out / f"prospector-batch-{batch}-salesforce-{name}.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_linked_files_load_in_order_and_every_child_finds_its_parent(run, db, hostile, tmp_path):
    out = tmp_path / "crm"
    report = export(run, "--format", "salesforce", "--out", str(out))
    assert report["count"] == 5 and report["path"] == str(out)
    assert [Path(f).name for f in report["files"]] == [
        f"prospector-batch-1-salesforce-{name}{ext}" for name in LINKED for ext in (".csv", ".sdl")
    ]
    sf = org()
    sf.load_linked(out, 1)
    # One account per company (the shared one once), none for the company-less contact.
    assert len(sf.records["Account"]) == 3
    assert len(sf.records["Contact"]) == 5 and len(sf.records["Opportunity"]) == 5
    assert len(sf.records["OpportunityContactRole"]) == 5

    contacts = {r["FirstName"]: r for r in rows(out, 1, "contacts")}
    opportunities = rows(out, 1, "opportunities")
    roles = rows(out, 1, "opportunity-contact-roles")
    jose, formula, zoe = contacts["José"], contacts["'=cmd|' /C calc'!A0"], contacts["Zoë"]
    assert jose[f"Account.{KEY}"] == formula[f"Account.{KEY}"]  # both at the shared account
    assert zoe[f"Account.{KEY}"] == "" and zoe["LastName"] == "[not provided]"
    assert (jose["LastName"], formula["LastName"]) == ("Ñúñez", "O'Brien, Jr.")
    accounts = {r[KEY]: r for r in rows(out, 1, "accounts")}
    assert accounts[jose[f"Account.{KEY}"]]["Name"] == 'Müller, "Söhne" & Co\nGmbH'
    assert "'@Evil Corp" in {r["Name"] for r in accounts.values()}
    # Each opportunity's primary contact is the handoff's contact, at the same account.
    by_id = {r[KEY]: r for r in rows(out, 1, "contacts")}
    for opportunity, role in zip(opportunities, roles, strict=True):
        assert role[f"Opportunity.{KEY}"] == opportunity[KEY] == role[KEY]
        assert role["IsPrimary"] == "true"
        contact = by_id[role[f"Contact.{KEY}"]]
        assert contact[f"Account.{KEY}"] == opportunity[f"Account.{KEY}"]
    # Owners: Dana has a Salesforce user, Marco and Priya do not (blank, and said so).
    owners = {o["Name"]: o["Owner.Username"] for o in opportunities}
    assert {v for k, v in owners.items() if "José" in k or "O'Brien" in k} == {DANA}
    assert {v for k, v in owners.items() if "Zoë" in k or "Evil" in k or "李" in k} == {""}
    assert any("Marco Reyes, Priya Shah" in n and "Owner.Username" in n for n in report["warnings"])
    # Values mapped into the picklists; the unknown ones fall back to "Other", and are named.
    assert jose["LeadSource"] == "Web" and formula["LeadSource"] == "Web"
    assert zoe["LeadSource"] == "Other" and contacts["李"]["LeadSource"] == ""
    assert accounts[jose[f"Account.{KEY}"]]["Industry"] == "Technology"
    assert any("Underwater Basket Weaving" in n and "'Other'" in n for n in report["warnings"])
    stages = {o["Name"]: o["StageName"] for o in opportunities}
    assert stages['Müller, "Söhne" & Co\nGmbH - José Ñúñez'] == "Qualification"  # meeting
    assert stages["Müller, \"Söhne\" & Co\nGmbH - =cmd|' /C calc'!A0 O'Brien, Jr."] == "Prospecting"
    # Names of states and countries by default, as text fields take them everywhere.
    assert (jose["MailingState"], jose["MailingCountry"]) == ("New York", "United States")
    assert (contacts["李"]["MailingState"], contacts["李"]["MailingCountry"]) == (
        "",
        "United Kingdom",
    )


def test_the_description_keeps_every_awkward_character(run, db, hostile, tmp_path):
    export(run, "--format", "salesforce", "--out", str(tmp_path))
    (jose,) = [o for o in rows(tmp_path, 1, "opportunities") if "José" in o["Name"]]
    assert 'said "yes",\nthen =SUM(A1)' in jose["Description"].replace("\r\n", "\n")
    assert 'Note: @mention, "quoted"\nline two' in jose["Description"]
    assert jose["Amount"] == "12500.00" and jose["CloseDate"] == "2027-02-21"


def test_loading_again_or_a_resend_updates_the_same_records(run, db, hostile, tmp_path):
    first, again, resent = tmp_path / "first", tmp_path / "again", tmp_path / "resent"
    export(run, "--format", "salesforce", "--out", str(first))
    export(run, "--batch", "1", "--out", str(again))
    export(run, "--format", "salesforce", "--resend", "--out", str(resent))
    sf = org()
    sf.load_linked(first, 1)
    inserted = sf.inserted
    sf.load_linked(again, 1)
    sf.load_linked(resent, 2)
    assert sf.inserted == inserted == 3 + 5 + 5 + 5  # updates only, no duplicates
    keys = [
        sorted(r[KEY] for r in rows(d, n, "opportunities")) for d, n in [(first, 1), (resent, 2)]
    ]
    assert keys[0] == keys[1]


def test_two_databases_never_share_an_id(db_path, second_db_path, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from prospector.cli import cli

    ids = []
    for name, path in (("one", db_path), ("two", second_db_path)):
        database = open_database(path)
        contact = make_contact(database)
        handoffs.qualify(database, contact, rep="alice", now=MONDAY_10_ET)
        database.close()
        out = tmp_path / name
        args = ["--db", str(path), "export", "--format", "salesforce", "--out", str(out)]
        result = CliRunner().invoke(cli, [*args, "--at", AT], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        found = set()
        for kind in LINKED[:3]:
            for row in rows(out, 1, kind):
                assert ID.fullmatch(row[KEY])
                found.add(row[KEY])
        ids.append(found)
    # Same row numbers in both databases, different ids: neither upserts over the other.
    assert len(ids[0]) == len(ids[1]) == 3 and not ids[0] & ids[1]
    assert {i.split("-")[1] for i in ids[0]} == {i.split("-")[1] for i in ids[1]}


def test_leads_only_format(run, db, hostile, tmp_path):
    report = export(run, "--format", "salesforce-leads", "--out", str(tmp_path))
    assert [Path(f).name for f in report["files"]] == [
        "prospector-batch-1-salesforce-leads.csv",
        "prospector-batch-1-salesforce-leads.sdl",
    ]
    sf = org()
    sf.load_leads(tmp_path, 1)
    leads = rows(tmp_path, 1, "leads")
    assert len(sf.records["Lead"]) == 5
    handoff_ids = {h.id for h in handoffs.list_handoffs(db)}
    assert {int(lead[KEY].rsplit("-h", 1)[1]) for lead in leads} == handoff_ids
    by_first = {lead["FirstName"]: lead for lead in leads}
    # Not yet worked by the outside rep: never a status `handoffs ack` reads as an answer.
    assert {lead["Status"] for lead in leads} == {"Open - Not Contacted"}
    assert by_first["Zoë"]["Company"] == "[not provided]"
    assert by_first["-Bob" if "-Bob" in by_first else "'-Bob"]["LastName"] == "'+Smith"
    assert by_first["José"]["Industry"] == "Technology" and by_first["José"]["LeadSource"] == "Web"
    assert by_first["José"][OWNER] == DANA and by_first["Zoë"][OWNER] == ""
    assert (by_first["José"]["State"], by_first["José"]["Country"]) == ("New York", "United States")
    # Loading it twice updates.
    sf.load_leads(tmp_path, 1)
    assert sf.inserted == 5


def test_state_and_country_codes_for_orgs_with_the_picklists(run, db, hostile, tmp_path):
    load_settings_file(run, tmp_path, '[crm.salesforce]\nstate_country = "codes"\n')
    export(run, "--format", "salesforce", "--out", str(tmp_path / "linked"))
    export(run, "--format", "salesforce-leads", "--resend", "--out", str(tmp_path / "leads"))
    sf = org()
    sf.load_linked(tmp_path / "linked", 1, codes=True)
    sf.load_leads(tmp_path / "leads", 2, codes=True)
    contacts = {r["FirstName"]: r for r in rows(tmp_path / "linked", 1, "contacts")}
    assert (contacts["José"]["MailingStateCode"], contacts["José"]["MailingCountryCode"]) == (
        "NY",
        "US",
    )
    accounts = rows(tmp_path / "linked", 1, "accounts")
    assert {"BillingStateCode", "BillingCountryCode"} <= set(accounts[0])
    assert "BillingState" not in accounts[0]
    leads = {r["FirstName"]: r for r in rows(tmp_path / "leads", 2, "leads")}
    assert (leads["李"]["StateCode"], leads["李"]["CountryCode"]) == ("", "GB")


@pytest.mark.parametrize("codes", [False, True])
def test_states_and_countries_without_an_iso_match_are_named(run, db, hostile, tmp_path, codes):
    """Names are matched (Québec, Canada); what has no match is never upper-cased into a
    fake code, is left blank where a picklist would refuse it, and is listed."""
    places = {"b": ("Narnia", "US"), "c": ("Québec", "Canada"), "d": ("tx", "Atlantis")}
    with db.write():
        for key, (state, country) in places.items():
            db.execute(
                "UPDATE contacts SET state = ?, country = ? WHERE id = ?",
                (state, country, hostile[key]),
            )
    load_settings_file(run, tmp_path, '[crm.salesforce]\nstate_country = "codes"\n' * codes)
    report = export(run, "--format", "salesforce-leads", "--out", str(tmp_path / "out"))
    leads = {r["FirstName"]: r for r in rows(tmp_path / "out", 1, "leads")}
    state, country = ("StateCode", "CountryCode") if codes else ("State", "Country")
    got = {
        name: (leads[name][state], leads[name][country])
        for name in ("'=cmd|' /C calc'!A0", "Zoë", "'-Bob")
    }
    if codes:
        assert got == {"'=cmd|' /C calc'!A0": ("", "US"), "Zoë": ("QC", "CA"), "'-Bob": ("", "")}
        written = "left blank"
    else:
        assert got == {
            "'=cmd|' /C calc'!A0": ("Narnia", "United States"),
            "Zoë": ("Quebec", "Canada"),
            "'-Bob": ("tx", "Atlantis"),
        }
        written = "written as typed"
    [note] = [note for note in report["warnings"] if "ISO 3166" in note]
    assert written in note
    assert note.endswith("countries: Atlantis; states: Narnia (US), tx (Atlantis)")
    org('[crm.salesforce]\nstate_country = "codes"\n' * codes).load_leads(
        tmp_path / "out", 1, codes=codes
    )


def test_an_orgs_own_picklist_and_map(run, db, hostile, tmp_path):
    extra = """
[crm.salesforce.picklists]
lead_source = ["Web", "Webinar", "Trade Show", "Other"]

[crm.salesforce.lead_source]
webinar = "Webinar"
"trade show booth" = "Trade Show"
"""
    load_settings_file(run, tmp_path, extra)
    report = export(run, "--format", "salesforce-leads", "--out", str(tmp_path / "out"))
    leads = {r["FirstName"]: r for r in rows(tmp_path / "out", 1, "leads")}
    assert leads["'=cmd|' /C calc'!A0"]["LeadSource"] == "Webinar"
    assert leads["'-Bob"]["LeadSource"] == "Trade Show"  # "Trade-Show Booth", folded
    assert leads["José"]["LeadSource"] == "Web"  # a shipped entry the picklist still has
    assert leads["Zoë"]["LeadSource"] == "Other"  # "cold call": the shipped entry is kept
    org(extra).load_leads(tmp_path / "out", 1)
    assert not any("lead_source" in note for note in report["warnings"])


def test_shipped_entries_a_replaced_picklist_lacks_fall_back():
    sf = parse_settings(
        settings_text('[crm.salesforce.picklists]\nlead_source = ["Web", "Referral", "Other"]\n')
    ).salesforce
    assert salesforce_values.lead_source(sf, {"source": "partner"}) == "Other"
    assert salesforce_values.lead_source(sf, {"source": "inbound"}) == "Web"
    assert set(sf.lead_source.values()) <= {"Web", "Referral", "Other"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '[crm.salesforce.lead_source]\nwebinar = "Seminar"\n',
            "crm.salesforce.lead_source.webinar",
        ),
        ('[crm.salesforce.stage_name]\nmeeting = "Won"\n', "not in the stage_name picklist"),
        ('[crm.salesforce.picklists]\nindustry = ["Tech"]\n', "fallback.industry = 'Other'"),
        (
            '[crm.salesforce.picklists]\nstage_name = ["Open", "Won"]\n',
            "crm.salesforce.stage_name.meeting is missing",
        ),
        ('[crm.salesforce]\nstate_country = "iso"\n', '"names" or "codes"'),
        ('[crm.salesforce]\nexternal_id_field = "Prospector Id"\n', "custom field API name"),
        ('[crm.salesforce]\ncolour = "red"\n', "unknown key crm.salesforce.colour"),
    ],
)
def test_settings_that_would_write_a_value_outside_the_picklist_are_refused(
    run, tmp_path, extra, message
):
    path = tmp_path / "settings.toml"
    path.write_text(settings_text(extra), "utf-8")
    result = run("settings", "load", str(path))
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_rep_username_must_look_like_one(run, tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(settings_text().replace(DANA, "dana"), "utf-8")
    result = run("settings", "load", str(path))
    assert result.exit_code == 1 and "salesforce_user" in result.output


WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(source=WORDS | st.sampled_from(["Webinar", " inbound ", "DEMO-request", "Other"]),
       industry=WORDS | st.sampled_from(["SaaS", "health_care", "Oil & Gas"]))  # fmt: skip
def test_every_word_maps_into_the_picklist_or_stays_blank(source, industry):
    sf = default_settings().salesforce
    payload = {"source": source, "industry": industry}
    mapped_source = salesforce_values.lead_source(sf, payload)
    mapped_industry = salesforce_values.industry(sf, payload)
    assert mapped_source in sf.picklists["lead_source"] or (mapped_source == "" == source.strip())
    assert mapped_industry in sf.picklists["industry"] or (
        mapped_industry == "" == industry.strip()
    )


def test_the_commented_settings_example_is_valid():
    """settings.toml's commented [crm.salesforce] example, uncommented, loads as it says."""
    lines, example = [], False
    for line in DEFAULTS_FILE.read_text("utf-8").splitlines():
        if example and not line.strip():
            break  # the example ends at its blank line; other sections' examples follow
        example = example or line.startswith("# [crm.salesforce]")
        lines.append(line.removeprefix("# ") if example else line)
    sf = parse_settings("\n".join(lines)).salesforce
    assert sf.lead_source["webinar"] == "Webinar" and sf.industry["ad tech"] == "Technology"
    assert sf.stage_name == {"meeting": "Qualification", "qualified": "Prospecting"}
    assert "Webinar" in sf.picklists["lead_source"]


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


@st.composite
def batch_payloads(draw) -> list[dict]:
    """Handoffs of a few contacts at a few accounts (some without), any text in them."""
    database = draw(st.sampled_from(["0123456789ab", "fedcba987654"]))
    count = draw(st.integers(1, 8))
    payloads = []
    for number in range(1, count + 1):
        contact = draw(st.integers(1, 4))
        account = draw(st.none() | st.integers(1, 3))
        payloads.append(
            {
                "external_id": f"{database}-h{number}",
                "contact_external_id": f"{database}-c{contact}",
                "account_external_id": f"{database}-a{account}" if account else "",
                "company": draw(TEXT) if account else "",
                "first_name": draw(TEXT),
                "last_name": draw(TEXT),
                "title": draw(TEXT),
                "domain": "",
                "industry": draw(TEXT),
                "source": draw(TEXT),
                "employees": None,
                "state": draw(st.sampled_from(["", "NY", "ZZ", "Bavaria"])),
                "country": draw(st.sampled_from(["", "US", "DE", "XX"])),
                "phone": "+12125550100",
                "email": "",
                "meeting_at": draw(st.sampled_from([None, "2026-12-01T19:00:00Z"])),
                "meeting_local": None,
                "timezone": "America/New_York",
                "owner": draw(st.sampled_from(["Dana Whitfield", "Marco Reyes", "Gone Rep"])),
                "owner_email": "",
                "close_date": "2027-02-21",
                "amount": None,
                "description": draw(TEXT),
            }
        )
    return payloads


@settings(max_examples=100, deadline=None)
@given(payloads=batch_payloads(), codes=st.booleans())
def test_any_batch_loads_with_every_relationship_resolved(tmp_path_factory, payloads, codes):
    from prospector.services.export import salesforce_linked

    extra = '[crm.salesforce]\nstate_country = "codes"\n' if codes else ""
    team = parse_settings(settings_text(extra))
    out = tmp_path_factory.mktemp("batch")
    for suffix, data in salesforce_linked.render(payloads, team):
        (out / f"prospector-batch-1-salesforce{suffix}").write_bytes(data)
    sf = org(extra)
    sf.load_linked(out, 1, codes=codes)
    assert set(sf.records["Opportunity"]) == {p["external_id"] for p in payloads}
    assert set(sf.records["Contact"]) == {p["contact_external_id"] for p in payloads}
    assert set(sf.records.get("Account", {})) == {
        p["account_external_id"] for p in payloads if p["account_external_id"]
    }
    for role in sf.records["OpportunityContactRole"].values():
        assert role["IsPrimary"] == "true"


@pytest.mark.parametrize(
    ("state_country", "state", "country", "expected"),
    [
        ("names", "NY", "US", ("New York", "United States")),
        ("names", "QC", "CA", ("Quebec", "Canada")),
        ("names", "", "AX", ("", "Aland Islands")),  # Salesforce's name, not ISO's "Åland"
        ("names", "Somewhere", "", ("Somewhere", "")),  # unknown: kept as text
        ("codes", "NY", "US", ("NY", "US")),
        ("codes", "ZZ", "US", ("", "US")),  # not a state: a picklist would refuse the row
        ("codes", "NY", "", ("", "")),
        ("codes", "BY", "DE", ("BY", "DE")),
        ("names", "Narnia", "US", ("Narnia", "United States")),  # not upper-cased
        ("names", "Québec", "CA", ("Quebec", "Canada")),
        ("names", "ny", "United States of America", ("New York", "United States")),
        ("names", "", "ZZ", ("", "ZZ")),
        ("codes", "Québec", "CA", ("QC", "CA")),
        ("codes", "", "United States of America", ("", "US")),
        ("codes", "", "ZZ", ("", "")),
    ],
)
def test_state_and_country_values(state_country, state, country, expected):
    extra = f'[crm.salesforce]\nstate_country = "{state_country}"\n'
    sf = parse_settings(settings_text(extra)).salesforce
    assert salesforce_values.address(sf, {"state": state, "country": country}) == expected


def test_a_batch_written_again_follows_the_settings_of_today(run, db, hostile, tmp_path):
    """The admin adds Marco's Username after a first load: the batch again, owners filled."""
    export(run, "--format", "salesforce", "--out", str(tmp_path / "first"))
    marco = "marco.reyes@acme.example.sfdc"
    text = settings_text().replace(
        'email = "marco.reyes@example.com"',
        f'email = "marco.reyes@example.com"\nsalesforce_user = "{marco}"',
    )
    (tmp_path / "s.toml").write_text(text, "utf-8")
    assert run("settings", "load", str(tmp_path / "s.toml")).exit_code == 0
    report = export(run, "--batch", "1", "--out", str(tmp_path / "again"))
    assert report["rewritten"] is True
    assert not any("Marco" in note for note in report["warnings"])
    sf = org()
    sf.users.add(marco)
    sf.load_linked(tmp_path / "first", 1)
    sf.load_linked(tmp_path / "again", 1)
    assert sf.inserted == 3 + 5 + 5 + 5  # the same records, now with their owner
    owners = [o.get("Owner.Username") for o in sf.records["Opportunity"].values()]
    assert owners == [DANA, DANA, marco, marco, None]  # Priya still has none
