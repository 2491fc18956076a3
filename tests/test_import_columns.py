"""Which column became which field: the vendors' headers (data/columns.toml), the
team's settings, --map, and what `import --dry-run` shows of it."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospector.services.importing.columns import (
    COLUMNS_FILE,
    normalize_header,
    plan_columns,
    read_column_table,
    shipped_names,
)
from prospector.services.importing.reader import TableFile
from prospector.services.settings import DEFAULTS_FILE
from tests import backend
from tests.conftest import MONDAY_10_ET

AT = ["--at", MONDAY_10_ET.isoformat()]


def dry_columns(run, path: Path, *extra: str) -> dict[str, str | None]:
    """``{column: field}`` as the dry run's JSON gives it (None: not read)."""
    result = run("import", str(path), "--dry-run", "--json", *extra, *AT)
    assert result.exit_code == 0, result.output
    columns = json.loads(result.output)["columns"]
    return {entry["column"]: entry["field"] for entry in columns}


def write_list(path: Path, header: list[str], *rows: list[str], delimiter: str = ",") -> Path:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# Each vendor's export header (their real column names), and what each must become.
VENDORS = {
    "apollo": {
        "First Name": "first_name", "Last Name": "last_name", "Title": "title",
        "Company": "company", "Company Name for Emails": "company", "Email": "email",
        "Email Status": None, "Seniority": None, "Departments": None,
        "Work Direct Phone": "direct_phone", "Home Phone": "other_phone",
        "Mobile Phone": "mobile_phone", "Corporate Phone": "company_phone",
        "Other Phone": "other_phone", "Stage": None, "Lists": "list_name",
        "# Employees": "employees", "Industry": "industry", "Keywords": None,
        "Person Linkedin Url": None, "Website": "website", "Company Linkedin Url": None,
        "City": "city", "State": "state", "Country": "country", "Company Address": None,
        "Company City": None, "Company State": None, "Company Country": None,
        "Company Phone": "company_phone", "Technologies": None, "Annual Revenue": None,
        "Apollo Contact Id": "external_id", "Apollo Account Id": None,
    },
    "zoominfo": {
        "ZoomInfo Contact ID": "external_id", "Last Name": "last_name",
        "First Name": "first_name", "Middle Name": None, "Job Title": "title",
        "Management Level": None, "Direct Phone Number": "direct_phone",
        "Email Address": "email", "Mobile phone": "mobile_phone", "Person City": "city",
        "Person State": "state", "Person Zip Code": "postal_code", "Country": "country",
        "Company Name": "company", "Website": "website", "Company HQ Phone": "company_phone",
        "Revenue (in 000s USD)": None, "Employees": "employees",
        "Employee Range": "employees", "Primary Industry": "industry",
        "Company Zip Code": "postal_code", "LinkedIn Contact Profile URL": None,
    },
    "salesforce": {
        "Lead Owner": None, "First Name": "first_name", "Last Name": "last_name",
        "Title": "title", "Company / Account": "company", "Phone": "phone",
        "Mobile": "mobile_phone", "Email": "email", "Lead Source": "source",
        "Lead Status": None, "Rating": None, "Street": None, "City": "city",
        "State/Province": "state", "Zip/Postal Code": "postal_code", "Country": "country",
        "Industry": "industry", "No. of Employees": "employees", "Lead ID": "external_id",
    },
    "hubspot": {
        "Record ID": "external_id", "First Name": "first_name", "Last Name": "last_name",
        "Email": "email", "Phone Number": "phone", "Mobile Phone Number": "mobile_phone",
        "Job Title": "title", "Company Name": "company", "City": "city",
        "State/Region": "state", "Country/Region": "country", "Postal Code": "postal_code",
        "Lifecycle Stage": None, "Lead Status": None, "Contact owner": None,
        "Number of Employees": "employees", "Original Source": "source",
        "Industry": "industry", "Website URL": "website",
    },
    "cognism": {
        "First Name": "first_name", "Last Name": "last_name", "Job Title": "title",
        "Email": "email", "Mobile Phone": "mobile_phone", "Office Phone": "phone",
        "Direct Phone": "direct_phone", "Company Name": "company",
        "Company Website": "website", "Company Industry": "industry",
        "Company Size": "employees", "Country": "country", "City": "city",
        "LinkedIn URL": None, "Mobile Phone DNC": None,
    },
    "lusha": {
        "Full Name": "full_name", "First Name": "first_name", "Last Name": "last_name",
        "Job Title": "title", "Phone 1": "phone", "Phone 2": "phone",
        "Mobile 1": "mobile_phone", "Direct Phone 1": "direct_phone",
        "Other Phone 1": "other_phone", "Email 1": "email", "Email 2": "email",
        "Contact Country": "country", "Company Name": "company",
        "Company Domain": "website", "Contact LinkedIn URL": None, "Lusha User": None,
    },
    "sales_navigator": {
        "firstName": "first_name", "lastName": "last_name", "fullName": "full_name",
        "companyName": "company", "title": "title", "linkedInProfileUrl": None,
        "profileUrl": None, "companyUrl": None, "location": None, "industry": "industry",
        "Phone": "phone",
    },
    "french": {
        "Civilité": None, "Prénom": "first_name", "Nom": "last_name", "Poste": "title",
        "Société": "company", "Téléphone": "phone", "Portable": "mobile_phone",
        "Courriel": "email", "Code postal": "postal_code", "Ville": "city",
        "Pays": "country", "Région": "state", "Secteur d'activité": "industry",
        "Effectif": "employees",
    },
    "german": {
        "Anrede": None, "Vorname": "first_name", "Nachname": "last_name",
        "Position": "title", "Firma": "company", "Telefon": "phone", "Mobil": "mobile_phone",
        "Handy": "mobile_phone", "E-Mail": "email", "PLZ": "postal_code", "Ort": "city",
        "Bundesland": "state", "Land": "country", "Branche": "industry",
        "Mitarbeiter": "employees",
    },
    "spanish": {
        "Nombre": "first_name", "Apellidos": "last_name", "Cargo": "title",
        "Empresa": "company", "Teléfono": "phone", "Móvil": "mobile_phone",
        "Correo electrónico": "email", "País": "country", "Provincia": "state",
        "Código postal": "postal_code", "Ciudad": "city", "Sector": "industry",
    },
}  # fmt: skip


@pytest.mark.parametrize("vendor", list(VENDORS))
def test_each_vendors_export_header_maps_to_its_fields(vendor, tmp_path, run):
    expected = VENDORS[vendor]
    row = ["x"] * len(expected)
    path = write_list(tmp_path / f"{vendor}.csv", list(expected), row)
    assert dry_columns(run, path) == expected


def test_dry_run_prints_every_column_with_its_field_before_the_counts(tmp_path, run):
    path = write_list(
        tmp_path / "apollo.csv",
        ["First Name", "Work Direct Phone", "Corporate Phone", "Person Linkedin Url", "Shoe"],
        ["Ann", "", "415 555 0100", "https://linkedin.example/in/ann", "42"],
    )
    result = run("import", str(path), "--dry-run", *AT)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"columns of {path}:",
        "  First Name           first_name",
        "  Work Direct Phone    direct_phone (phone: direct)",
        "  Corporate Phone      company_phone (phone: company)",
        "  Person Linkedin Url  ignored (known, not stored)",
        "  Shoe                 ignored (unknown column)",
        f"dry run: would import {path}: 1 rows read, 1 inserted, 0 updated, 0 rejected"
        " (0 filtered out by fit rules, 0 on the DNC list)",
    ]
    # A real import's output stays as it was, and its JSON has no mapping.
    real = run("import", str(path), "--json", *AT)
    assert "columns" not in json.loads(real.output)


def test_the_shipped_table_has_no_conflicts_and_every_vendor_section():
    names = shipped_names().names
    assert names[normalize_header("Work Direct Phone")][0] == "direct_phone"
    text = COLUMNS_FILE.read_text(encoding="utf-8")
    for section in ("apollo", "zoominfo", "salesforce", "hubspot", "cognism", "lusha"):
        assert f"[{section}]" in text
    for section in ("sales_navigator", "generic", "french", "german", "spanish"):
        assert f"[{section}]" in text


def test_a_name_given_two_fields_is_an_error_naming_both_places():
    with pytest.raises(ValueError, match=r"\[b\] phone: 'MOBILE' is already mobile_phone in \[a\]"):
        read_column_table('[a]\nmobile_phone = ["Mobile"]\n[b]\nphone = ["MOBILE"]\n', "t")
    with pytest.raises(ValueError, match="unknown field"):
        read_column_table('[a]\ncellphone = ["Cell"]\n', "t")


def test_accents_case_spaces_and_punctuation_are_ignored():
    assert normalize_header("Téléphone") == normalize_header("TELEPHONE") == "telephone"
    assert normalize_header("Código postal") == "codigopostal"
    assert normalize_header("# Employees") == "employees"
    assert normalize_header(" Zip/Postal Code ") == "zippostalcode"


@given(st.text(max_size=30))
def test_normalized_names_are_stable_ascii(text):
    once = normalize_header(text)
    assert normalize_header(once) == once
    assert normalize_header(text.upper()) == normalize_header(text.lower()) or not text.isascii()
    assert once == "" or (once.isascii() and once.isalnum())


def test_the_table_priority_decides_which_column_is_read_first(tmp_path, run, db_path):
    path = write_list(
        tmp_path / "apollo.csv",
        ["Company Name for Emails", "Company", "First Name", "Corporate Phone"],
        ["Acme", "Acme Corporation", "Ann", "415 555 0100"],
        ["Globex", "", "Bob", "415 555 0101"],
    )
    result = run("import", str(path), "--json", *AT)
    assert json.loads(result.output)["inserted"] == 2
    found = backend.rows(
        db_path,
        "SELECT c.first_name, a.name FROM contacts c JOIN accounts a ON a.id = c.account_id"
        " ORDER BY c.first_name",
    )
    # "Company" first; "Company Name for Emails" only where Company is empty.
    assert found == [("Ann", "Acme Corporation"), ("Bob", "Globex")]


def load_settings_with(run, tmp_path: Path, extra: str):
    custom = tmp_path / "team.toml"
    custom.write_text(DEFAULTS_FILE.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    return run("settings", "load", str(custom))


def test_the_teams_own_names_extend_and_win_over_the_table(tmp_path, run):
    loaded = load_settings_with(
        run,
        tmp_path,
        '[import.columns]\nmobile_phone = ["Cell (work)"]\nphone = ["Mobile"]\n'
        'ignored = ["Shoe Size"]\n',
    )
    assert loaded.exit_code == 0, loaded.output
    path = write_list(
        tmp_path / "team.csv", ["Cell (work)", "Mobile", "Shoe Size", "Hat"], ["1", "2", "3", "4"]
    )
    assert dry_columns(run, path) == {
        "Cell (work)": "mobile_phone",
        "Mobile": "phone",  # the table says mobile_phone: the team's word wins
        "Shoe Size": None,
        "Hat": None,
    }
    result = run("import", str(path), "--dry-run", *AT)
    assert "Shoe Size    ignored (known, not stored)" in result.output
    assert "Hat          ignored (unknown column)" in result.output


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            '[import.columns]\ncell = ["Cell (work)"]\n',
            "unknown field import.columns.cell (expected one of: company, phone,",
        ),
        ('[import.columns]\nphone = "Tel"\n', "import.columns.phone = 'Tel': expected a list"),
        ("[import]\nsheet = 2\n", "unknown key import.sheet"),
    ],
)
def test_a_bad_columns_setting_is_one_clear_error(tmp_path, run, section, message):
    result = load_settings_with(run, tmp_path, section)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_map_overrides_the_table_and_can_ignore_a_column(tmp_path, run, db_path):
    path = write_list(
        tmp_path / "odd.csv",
        ["Phone", "Tel (work)", "Who"],
        ["not a phone", "415 555 0100", "Pat"],
    )
    columns = dry_columns(run, path, "--map", "Tel (work)=phone", "--map", "Phone=ignored")
    assert columns == {"Phone": None, "Tel (work)": "phone", "Who": None}
    result = run(
        "import", str(path), "--json", "--map", "Tel (work)=phone", "--map", "Phone=ignored", *AT
    )
    assert json.loads(result.output)["inserted"] == 1
    # "Who" is no known name: not read
    assert backend.rows(db_path, "SELECT phone, last_name FROM contacts") == [
        ("+14155550100", None)
    ]


def test_a_file_without_a_phone_column_names_the_accepted_headers(tmp_path, run):
    path = write_list(tmp_path / "nophone.csv", ["Name", "Shoe"], ["Pat", "42"])
    result = run("import", str(path), *AT)
    assert result.exit_code == 1
    line = result.output.strip()
    assert "\n" not in line
    assert line.startswith(
        f"error: {path}: header (row 1): no phone column (expected a header such as"
    )
    for header in ("Phone", "Direct Phone", "Mobile", "Company Phone", "--map 'HEADER=phone'"):
        assert header in line


KNOWN = sorted(
    {header for fields in tomllib.loads(COLUMNS_FILE.read_text("utf-8")).values()
     for headers in fields.values() for header in headers}
)  # fmt: skip


@given(
    names=st.lists(st.sampled_from(KNOWN), min_size=1, max_size=6, unique=True),
    upper=st.booleans(),
    decoration=st.sampled_from(["", " ", "_", ":", " *"]),
)
def test_a_known_header_means_its_field_however_it_is_spelled(names, upper, decoration):
    spelled = [(name.upper() if upper else name.lower()) + decoration for name in names]
    table = TableFile(Path("list.csv"), "utf-8", ",", [*spelled, "Phone"])
    uses = plan_columns(table, {}).uses
    table_fields = shipped_names().names
    for use, name in zip(uses, names, strict=False):
        field = table_fields[normalize_header(name)][0]
        assert use.field == (None if field == "ignored" else field)
        assert use.known
