"""One row of a list into a contact: every phone, its country, zones, name and domain.

Rows are normalized as the import's workers do (``normalize_row`` with a
``RowRules``), with headers laid out like the vendors' exports.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prospector.foundations.phones import PhoneBook
from prospector.services.importing.profiles import ProfileKeys
from prospector.services.importing.rows import Reject, Row, RowRules, normalize_row
from prospector.services.settings import default_settings
from tests import backend
from tests.conftest import MONDAY_10_ET

BOOK = PhoneBook()
# Header -> import field, as the reader's table maps them (kept here so these tests
# do not depend on which synonyms the reader knows).
FIELD_OF = {
    "First Name": "first_name", "Last Name": "last_name", "Full Name": "full_name",
    "Email": "email", "Website": "website", "Company": "company", "Title": "title",
    "Work Direct Phone": "direct_phone", "Phone": "phone", "Corporate Phone": "company_phone",
    "Mobile Phone": "mobile_phone", "Other Phone": "other_phone",
    "Company Phone": "company_phone", "Company HQ Phone": "company_phone",
    "Extension": "extension", "State": "state", "Country": "country",
    "Postal Code": "postal_code", "Record ID": "external_id", "Time Zone": "timezone",
    "City": "city",
}  # fmt: skip


@functools.cache
def keys() -> ProfileKeys:
    return ProfileKeys(default_settings())


def rules_for(header: list[str], region: str = "US", team_zone: str = "America/New_York"):
    columns: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        columns.setdefault(FIELD_OF[name], []).append(index)
    return RowRules(
        columns=columns,
        width=len(header),
        default_region=region,
        keys=keys(),
        headers=tuple(header),
        team_zone=team_zone,
    )


def normalize(row: dict[str, str], region: str = "US", team_zone: str = "America/New_York"):
    """The row as a :class:`Row`, or the :class:`Reject`."""
    header = list(row)
    result = normalize_row(rules_for(header, region, team_zone), BOOK, 2, list(row.values()))
    return result if type(result) is Reject else Row._make(result)


def zones_of(row: Row) -> tuple[str, ...]:
    return tuple(row.locale[0].split())


# --- every phone ----------------------------------------------------------------------


def test_dial_order_is_direct_work_mobile_other_company():
    row = normalize(
        {
            "Company Phone": "(212) 555-0100",
            "Other Phone": "(212) 555-0101",
            "Mobile Phone": "(917) 555-0102",
            "Phone": "(212) 555-0103",
            "Work Direct Phone": "(212) 555-0104 x12",
        }
    )
    assert [(e164, kind, ext) for e164, _raw, kind, ext, _type in row.phones] == [
        ("+12125550104", "direct", "12"),
        ("+12125550103", "work", None),
        ("+19175550102", "mobile", None),
        ("+12125550101", "other", None),
        ("+12125550100", "company", None),
    ]
    assert (row.phone, row.phone_raw, row.phone_ext) == ("+12125550104", "(212) 555-0104 x12", "12")
    assert row.notes == ()


@pytest.mark.parametrize(
    "junk", ["n/a", "NA", "none", "NULL", "-", "TBD", "unknown", "0", "000-000-0000", "see notes",
             "k.A.", "néant", "N.V.T.", " ", "?"],
)  # fmt: skip
def test_a_junk_cell_falls_back_to_the_next_column_silently(junk):
    row = normalize({"Work Direct Phone": junk, "Mobile Phone": "+1 415 555 0142"})
    assert row.phone == "+14155550142"
    assert [kind for _e, _r, kind, _x, _t in row.phones] == ["mobile"]
    assert row.notes == ()


def test_excel_shortened_numbers_are_skipped_with_a_note():
    row = normalize(
        {"Work Direct Phone": "4.15555E+09", "Mobile Phone": "1.41556E+10", "Phone": "415-555-0100"}
    )
    assert row.phone == "+14155550100"
    assert row.notes == (
        "Work Direct Phone '4.15555E+09': Excel shortened it, digits lost",
        "Mobile Phone '1.41556E+10': Excel shortened it, digits lost",
    )


def test_an_invalid_number_is_skipped_with_a_note_naming_its_column():
    row = normalize({"Mobile Phone": "12345", "Company Phone": "+1 (650) 253-0000"})
    assert row.phone == "+16502530000"
    assert row.notes == ("Mobile Phone '12345' is not a valid number for US",)


def test_no_valid_phone_rejects_saying_what_was_tried():
    reject = normalize({"Work Direct Phone": "n/a", "Mobile Phone": "12345", "Phone": ""})
    assert type(reject) is Reject
    assert reject.reason == (
        "no valid phone: Work Direct Phone 'n/a', Mobile Phone '12345' is not a valid number for US"
    )
    assert normalize({"Phone": "", "Mobile Phone": " "}).reason == "no phone number"


def test_the_same_number_twice_is_kept_once_as_its_best_kind():
    row = normalize(
        {"Phone": "415.555.0100", "Mobile Phone": "(415) 555-0199", "Company Phone": "4155550100"}
    )
    assert [(e, kind) for e, _r, kind, _x, _t in row.phones] == [
        ("+14155550100", "work"),
        ("+14155550199", "mobile"),
    ]


@pytest.mark.parametrize(
    ("cell", "e164", "extension"),
    [
        ("415-555-0100 x12", "+14155550100", "12"),
        ("415-555-0100 ext. 12", "+14155550100", "12"),
        ("415-555-0100 ext 12", "+14155550100", "12"),
        ("415-555-0100 #12", "+14155550100", "12"),
        ("tel:+1-415-555-0100;ext=12", "+14155550100", "12"),
        ("415 555 0100,,12", "+14155550100", "12"),  # pause-dial commas: an extension
        ("+49 89 1234567 Durchwahl 12", "+49891234567", "12"),
        ("+33 1 42 68 53 00 poste 245", "+33142685300", "245"),
        ("+44 20 7946 0018 extension 7", "+442079460018", "7"),
    ],
)
def test_extensions_in_the_cell(cell, e164, extension):
    row = normalize({"Phone": cell})
    assert (row.phone, row.phone_ext) == (e164, extension)
    assert row.phones[0][3] == extension


def test_the_extension_column_belongs_to_the_first_direct_or_work_phone():
    row = normalize(
        {"Mobile Phone": "(917) 555-0102", "Phone": "(212) 555-0103", "Extension": "204.0"}
    )
    assert [(kind, ext) for _e, _r, kind, ext, _t in row.phones] == [
        ("work", "204"),
        ("mobile", None),
    ]
    # An extension written in the cell is not overwritten; one with no phone to
    # go with is left out, with a note.
    row = normalize({"Phone": "(212) 555-0103 x9", "Extension": "204"})
    assert (row.phone_ext, row.notes) == (
        "9",
        ("extension '204' left out: Phone '(212) 555-0103 x9' has its own",),
    )
    row = normalize({"Mobile Phone": "(917) 555-0102", "Extension": "ext. 12"})
    assert (row.phone_ext, row.notes) == (
        None,
        ("extension 'ext. 12' left out: no direct or work phone to dial it on",),
    )


# --- countries and states ------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "phone", "expected"),
    [
        ("Schweiz", "044 668 18 00", "CH"),
        ("Suisse", "044 668 18 00", "CH"),
        ("Deutschland", "030 901820", "DE"),
        ("Österreich", "01 5880 0", "AT"),
        ("España", "914 00 00 00", "ES"),
        ("Nederland", "020 624 1111", "NL"),
        ("United States of America", "415 555 0100", "US"),
        ("U.S.", "415 555 0100", "US"),
        ("UK", "020 7946 0018", "GB"),
        ("Great Britain", "020 7946 0018", "GB"),
        ("DEU", "030 901820", "DE"),
    ],
)
def test_countries_in_any_language_place_national_numbers(country, phone, expected):
    row = normalize({"Country": country, "Phone": phone})
    assert row.country == expected
    assert row.phone.startswith("+")


def test_unknown_country_with_a_country_code_imports_on_the_phones_country_with_a_note():
    row = normalize({"Country": "Helvetia", "Phone": "+41 44 668 18 00"})
    assert (row.country, row.phone) == ("CH", "+41446681800")
    assert zones_of(row) == ("Europe/Zurich",)
    assert row.notes == ("country 'Helvetia' unknown: CH taken from the phone '+41 44 668 18 00'",)


def test_unknown_country_keeps_only_numbers_with_a_country_code_and_says_so():
    row = normalize(
        {"Country": "Helvetia", "Phone": "044 668 18 00", "Mobile Phone": "+41 79 123 45 67"}
    )
    assert (row.country, [e for e, *_ in row.phones]) == ("CH", ["+41791234567"])
    assert row.notes == (
        "Phone '044 668 18 00': no country code, and the row's country is unknown",
        "country 'Helvetia' unknown: CH taken from the phone '+41 79 123 45 67'",
    )


@pytest.mark.parametrize(
    ("written", "zone"),
    [
        ("EST", "America/New_York"),
        ("Pacific", "America/Los_Angeles"),
        ("Europe/Berlin", "Europe/Berlin"),
    ],
)
def test_time_zone_column_words_and_names(written, zone):
    assert zones_of(normalize({"Phone": "415 555 0100", "Time Zone": written})) == (zone,)
    assert normalize({"Phone": "415 555 0100", "Time Zone": "Mars"}).reason == (
        "unknown time zone 'Mars'"
    )


def test_unknown_country_with_a_national_number_is_rejected():
    reject = normalize({"Country": "Narnia", "Phone": "044 668 18 00"})
    assert type(reject) is Reject and reject.reason == "unknown country 'Narnia'"


@pytest.mark.parametrize(
    ("state", "country", "phone", "expected"),
    [
        ("Florida", "", "305 375 5000", ("US", "FL")),
        ("US-TX", "", "512 974 2000", ("US", "TX")),
        ("Ontario", "", "416 363 0100", ("CA", "ON")),
        ("Québec", "Canada", "514 872 1111", ("CA", "QC")),
        ("NSW", "Australia", "02 9265 9333", ("AU", "NSW")),
        ("WA", "", "+61 8 9461 3333", ("AU", "WA")),  # the phone says which WA
        ("WA", "", "206 684 4000", ("US", "WA")),
        ("Bayern", "Deutschland", "089 2330", ("DE", "BY")),
        ("Narnia", "US", "415 555 0100", ("US", "Narnia")),  # kept as written
    ],
)
def test_states_and_provinces(state, country, phone, expected):
    row = normalize({"State": state, "Country": country, "Phone": phone})
    assert (row.country, row.state) == expected


# --- the right zone --------------------------------------------------------------------

# Real numbers of split states (city halls and the like): the exchange's zone
# narrows the state's zones.
SPLIT_STATES = [
    ("FL", "(305) 375-5000", ("America/New_York",)),  # Miami
    ("FL", "(850) 435-1603", ("America/Chicago",)),  # Pensacola
    ("TX", "(512) 974-2000", ("America/Chicago",)),  # Austin
    ("TX", "(214) 670-3011", ("America/Chicago",)),  # Dallas
    ("TX", "(713) 837-0311", ("America/Chicago",)),  # Houston
    ("TX", "(915) 212-0000", ("America/Denver",)),  # El Paso
    ("TN", "(615) 862-5000", ("America/Chicago",)),  # Nashville
    ("TN", "(865) 215-2000", ("America/New_York",)),  # Knoxville
    ("KY", "(502) 574-2003", ("America/Kentucky/Louisville",)),  # Louisville
    ("KY", "(270) 444-8500", ("America/Chicago",)),  # Paducah
    ("IN", "(317) 327-4622", ("America/Indiana/Indianapolis",)),  # Indianapolis
    ("IN", "(219) 881-1300", ("America/Chicago",)),  # Gary
    ("MI", "(313) 224-3400", ("America/Detroit",)),  # Detroit
    ("ND", "(701) 355-1300", ("America/Chicago",)),  # Bismarck
    ("SD", "(605) 367-8000", ("America/Chicago",)),  # Sioux Falls
    ("SD", "(605) 394-4110", ("America/Denver",)),  # Rapid City
    ("NE", "(402) 444-5000", ("America/Chicago",)),  # Omaha
    ("KS", "(316) 268-4351", ("America/Chicago",)),  # Wichita
    ("KS", "(785) 899-2000", ("America/Denver",)),  # Goodland
    ("ID", "(208) 769-2300", ("America/Los_Angeles",)),  # Coeur d'Alene
    ("OR", "(503) 823-4000", ("America/Los_Angeles",)),  # Portland
    ("OR", "(541) 889-7684", ("America/Boise",)),  # Ontario, OR
]


@pytest.mark.parametrize(("state", "phone", "expected"), SPLIT_STATES)
def test_split_states_take_the_exchanges_zone(state, phone, expected):
    row = normalize({"Phone": phone, "State": state, "Country": "US"})
    assert zones_of(row) == expected
    assert row.toll_free is False


@pytest.mark.parametrize(
    ("postal", "phone", "expected"),
    [
        ("79901", "(512) 974-2000", ("America/Denver",)),  # an El Paso address, an Austin line
        ("33101", "(850) 435-1603", ("America/New_York",)),  # Miami address wins
        ("83702-1234", "(208) 972-8000", ("America/Boise",)),  # Boise ZIP+4 narrows 208
        ("2134", "(617) 635-4000", ("America/New_York",)),  # Boston, its leading 0 lost
    ],
)
def test_a_us_zip_code_wins_over_the_phone(postal, phone, expected):
    row = normalize({"Phone": phone, "Postal Code": postal, "Country": "US"})
    assert zones_of(row) == expected
    assert row.postal_code == postal


def test_a_zip_code_fills_a_missing_state():
    row = normalize({"Phone": "(512) 974-2000", "Postal Code": "79901"})
    assert (row.country, row.state) == ("US", "TX")


def test_unknown_zip_falls_through_to_state_and_phone():
    row = normalize({"Phone": "(305) 375-5000", "Postal Code": "00000", "State": "FL"})
    assert zones_of(row) == ("America/New_York",)


def test_a_canadian_postal_code_names_its_province_narrowed_by_the_phone():
    row = normalize({"Phone": "(416) 363-0100", "Postal Code": "M5V 3L9", "Country": "Canada"})
    assert (row.state, zones_of(row)) == ("ON", ("America/Toronto",))
    row = normalize({"Phone": "(604) 873-7000", "Postal Code": "V5Y 1V4", "Country": "CA"})
    assert zones_of(row) == ("America/Vancouver",)


def test_an_explicit_zone_wins_over_everything():
    row = normalize(
        {"Phone": "(305) 375-5000", "Postal Code": "79901", "Time Zone": "PT", "State": "FL"}
    )
    assert zones_of(row) == ("America/Los_Angeles",)


@pytest.mark.parametrize(
    "phone", ["1-800-555-0100", "(888) 555-0100", "877 555 0100", "+1 866 555 0100",
              "855-555-0100", "844-555-0100", "833-555-0100", "900-555-0100"],
)  # fmt: skip
def test_toll_free_numbers_take_the_addresss_zone(phone):
    row = normalize({"Phone": phone, "State": "TX", "Postal Code": "79901"})
    assert (zones_of(row), row.toll_free) == (("America/Denver",), True)
    row = normalize({"Phone": phone, "State": "Florida"})
    assert zones_of(row) == ("America/Chicago", "America/New_York")
    assert row.notes and "toll-free" in row.notes[0] and "the state" in row.notes[0]


def test_a_toll_free_number_without_an_address_takes_the_teams_zone():
    row = normalize({"Phone": "1-800-555-0100"}, team_zone="America/Chicago")
    assert (zones_of(row), row.toll_free) == (("America/Chicago",), True)
    assert row.notes == (
        "Phone '1-800-555-0100' is toll-free or non-geographic:"
        " time zone America/Chicago from the team's zone",
    )
    # In a one-zone country, the country's zone.
    row = normalize({"Phone": "0800 123 456", "Country": "Switzerland"})
    assert (zones_of(row), row.toll_free) == (("Europe/Zurich",), True)


@pytest.mark.parametrize(
    ("row", "team_zone", "said"),
    [
        ({"Phone": "1-800-555-0100", "Postal Code": "79901"}, "America/Chicago",
         "time zone America/Denver from the postal code"),
        ({"Phone": "1-800-555-0100", "State": "TX"}, "America/Chicago",
         "time zone America/Chicago America/Denver from the state"),
        ({"Phone": "1-800-555-0100", "Country": "US"}, "America/Chicago",
         "time zone America/Chicago from the team's zone"),
        ({"Phone": "1-800-555-0100", "Country": "US"}, "Europe/London",
         "from the country"),
        ({"Phone": "1-800-555-0100"}, "America/Chicago",
         "time zone America/Chicago from the team's zone"),
        ({"Phone": "0800 123 456", "Country": "Switzerland"}, "America/Chicago",
         "time zone Europe/Zurich from the country"),
    ],
)  # fmt: skip
def test_a_toll_free_numbers_note_says_which_evidence_gave_its_zone(row, team_zone, said):
    notes = normalize(row, team_zone=team_zone).notes
    assert len(notes) == 1 and notes[0].endswith(said), notes


def test_a_mobile_in_a_one_zone_country_keeps_one_zone():
    row = normalize({"Phone": "07911 123456", "Country": "GB"})
    assert (zones_of(row), row.toll_free) == (("Europe/London",), False)


# --- names, domains, ids -------------------------------------------------------------


@pytest.mark.parametrize(
    ("full", "first", "last"),
    [
        ("Dr. Hannah Schultz, PhD", "Hannah", "Schultz"),
        ("Smith, John", "John", "Smith"),
        ("Jean-Luc Picard", "Jean-Luc", "Picard"),
        ("Cher", "Cher", None),
        ("Ludwig van Beethoven", "Ludwig", "van Beethoven"),
        ("Mr. Bob Jones Jr.", "Bob", "Jones"),
    ],
)
def test_full_name_is_split_when_first_and_last_are_empty(full, first, last):
    row = normalize({"First Name": "", "Last Name": "", "Full Name": full, "Phone": "415 555 0100"})
    assert (row.first_name, row.last_name) == (first, last)


def test_first_and_last_win_over_full_name():
    row = normalize(
        {"First Name": "Ada", "Last Name": "", "Full Name": "X Y", "Phone": "4155550100"}
    )
    assert (row.first_name, row.last_name) == ("Ada", None)


@pytest.mark.parametrize(
    ("website", "email", "domain"),
    [
        ("shop.acme.co.uk", "", "acme.co.uk"),
        ("https://www.acme.com/about", "", "acme.com"),
        ("", "jo@mail.acme.co.uk", "acme.co.uk"),
        ("", "jo@gmail.com", None),
        ("", "jo@web.de", None),
        ("http://192.168.1.10/", "jo@acme.example", "acme.example"),
    ],
)
def test_company_domain_from_website_or_email(website, email, domain):
    row = normalize({"Website": website, "Email": email, "Phone": "415 555 0100"})
    assert row.domain == domain


def test_postal_code_and_external_id_are_kept_as_written():
    row = normalize({"Phone": "415 555 0100", "Postal Code": " 94103-1234 ", "Record ID": " 5123 "})
    assert (row.postal_code, row.external_id) == ("94103-1234", "5123")


# --- invariants ------------------------------------------------------------------------

VALID = [
    "(212) 555-0104",
    "+1 415 555 0142",
    "(617) 555-0199",
    "+44 20 7946 0018",
    "1-800-555-0100",
]
JUNK = ["n/a", "TBD", "-", "0", "k.A.", "see notes", "1.41556E+10"]
INVALID = ["12345", "555-0100", "+1 (123) 456-7890"]
KINDS = ["Work Direct Phone", "Phone", "Mobile Phone", "Other Phone", "Company Phone"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(VALID + JUNK + INVALID + [""]), min_size=5, max_size=5))
def test_the_dialled_phone_is_the_first_valid_one_in_dial_order(cells):
    row = normalize(dict(zip(KINDS, cells, strict=True)))
    valid = [cell for cell in cells if cell in VALID]
    if not valid:
        assert type(row) is Reject
        return
    # A junk or invalid cell never rejects a row that has a valid phone.
    assert type(row) is not Reject
    assert row.phone_raw == valid[0]
    assert [raw for _e, raw, _k, _x, _t in row.phones] == list(dict.fromkeys(valid))
    assert zones_of(row)  # never empty: every valid phone has a country


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["US", "CA", "GB", "DE", "CH", "AU", "FR"]),
    st.sampled_from(["", "FL", "TX", "ON", "NSW", "Narnia"]),
    st.sampled_from([cell for cell in VALID if cell.startswith("+")]),
)
def test_zones_are_never_empty_for_a_known_country(country, state, phone):
    row = normalize({"Country": country, "State": state, "Phone": phone})
    assert zones_of(row)


# --- through the CLI ---------------------------------------------------------------------


def test_import_keeps_every_phone_of_an_apollo_style_row(tmp_path: Path, run, db_path):
    path = tmp_path / "apollo.csv"
    path.write_text(
        "First Name,Last Name,Work Direct Phone,Mobile Phone,Company Phone,State,Country\n"
        "Ana,Diaz,n/a,+1 305 375 5000,1-800-555-0100,FL,United States\n"
        "Ben,Ode,4.15555E+09,,(915) 212-0000,Texas,USA\n"
        "Cy,Nil,TBD,,,CA,US\n",
        encoding="utf-8",
    )
    result = run("import", str(path), "--json", "--at", MONDAY_10_ET.isoformat())
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert (counts["inserted"], counts["rejected"]) == (2, 1)
    phones = backend.rows(
        db_path,
        """SELECT c.first_name, p.e164, p.kind, p.rank FROM contact_phones p
           JOIN contacts c ON c.id = p.contact_id ORDER BY c.id, p.rank""",
    )
    zones = backend.rows(
        db_path,
        """SELECT c.first_name, c.phone, l.zones FROM contacts c
           JOIN locales l ON l.id = c.locale_id ORDER BY c.id""",
    )
    assert phones == [
        ("Ana", "+13053755000", "mobile", 0),
        ("Ana", "+18005550100", "company", 1),
        ("Ben", "+19152120000", "company", 0),
    ]
    assert zones == [
        ("Ana", "+13053755000", "America/New_York"),
        ("Ben", "+19152120000", "America/Denver"),
    ]
    rejects = (tmp_path / "apollo.rejects.csv").read_text(encoding="utf-8")
    assert "no valid phone: Work Direct Phone 'TBD'" in rejects


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab ,.-'ÉéDrJ"), max_size=30))
def test_a_full_name_splits_into_words_it_holds(full):
    row = normalize({"Full Name": full, "Phone": "415 555 0100"})
    for part in (row.first_name, row.last_name):
        assert part is None or part.strip()
        for word in (part or "").split():
            assert word.strip(",.") in full


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["www", "shop", "acme", "co", "uk", "com", "example", "1"]),
                min_size=1, max_size=4))  # fmt: skip
def test_a_company_domain_is_a_suffix_of_the_host(labels):
    host = ".".join(labels)
    row = normalize({"Website": f"https://{host}/x", "Phone": "415 555 0100"})
    assert row.domain is None or (host == row.domain or host.endswith("." + row.domain))
