"""Issue 12 acceptance: lists laid out like each vendor's export, imported with the real CLI.

The lists are in tests/data/vendors; its README says where each file's column names
come from and how every row's fate (inserted / updated / rejected) follows from the
import rules. The counts below are those, worked out row by row.
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.vendor_support import (
    APOLLO,
    APOLLO_AGAIN,
    COGNISM,
    FRENCH,
    GERMAN,
    HUBSPOT,
    LATER,
    LISTS,
    PHONE_FIELDS,
    SALESFORCE,
    SPANISH,
    UNICODE_TEXT,
    ZOOMINFO,
    ListFile,
    Workspace,
    read_rejects,
    spreadsheet_safe,
    unneutralised,
)

# file: (read, inserted, updated, rejected, toll_free), into an empty database.
EXPECTED = {
    APOLLO.name: (24, 19, 1, 4, 2),
    ZOOMINFO.name: (20, 15, 3, 2, 0),
    SALESFORCE.name: (18, 15, 2, 1, 1),  # six footer lines after the data are not rows
    HUBSPOT.name: (18, 16, 2, 0, 0),
    COGNISM.name: (20, 19, 0, 1, 0),
    UNICODE_TEXT.name: (16, 16, 0, 0, 0),
    GERMAN.name: (8, 7, 0, 1, 0),
    FRENCH.name: (6, 6, 0, 0, 0),
    SPANISH.name: (8, 8, 0, 0, 0),  # Spanish mobiles: the mainland's, or the Canaries' address
}


@pytest.fixture
def space(tmp_path) -> Workspace:
    return Workspace(tmp_path)


def counts(result: dict) -> tuple[int, int, int, int, int]:
    return (
        result["read"],
        result["inserted"],
        result["updated"],
        result["rejected"],
        result["toll_free"],
    )


@pytest.mark.parametrize("listing", LISTS, ids=lambda listing: listing.name)
def test_each_export_imports_with_the_counts_a_person_expects(space, listing):
    result = space.import_list(space.copy(listing.name))
    assert counts(result) == EXPECTED[listing.name]
    contacts = space.rows("SELECT count(*) FROM contacts")[0][0]
    assert contacts == result["inserted"]


@pytest.mark.parametrize("listing", LISTS, ids=lambda listing: listing.name)
def test_importing_an_export_again_changes_nothing(space, listing):
    path = space.copy(listing.name)
    first = space.import_list(path)
    before = space.dump()
    again = space.import_list(path, at=LATER)
    assert again["inserted"] == 0
    assert again["rejected"] == first["rejected"]
    assert again["updated"] == first["read"] - first["rejected"]
    assert space.dump() == before


# --- the mapping a dry run shows ------------------------------------------------------

MAPPINGS: dict[str, dict[str, str | None]] = {
    APOLLO.name: {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Title": "title",
        "Company": "company",
        "Company Name for Emails": "company",
        "Email": "email",
        "Work Direct Phone": "direct_phone",
        "Home Phone": "other_phone",
        "Mobile Phone": "mobile_phone",
        "Corporate Phone": "company_phone",
        "Other Phone": "other_phone",
        "# Employees": "employees",
        "Industry": "industry",
        "Person Linkedin Url": None,
        "Website": "website",
        "State": "state",
        "Country": "country",
        "Company Phone": "company_phone",
    },
    ZOOMINFO.name: {
        "Last Name": "last_name",
        "First Name": "first_name",
        "Job Title": "title",
        "Direct Phone Number": "direct_phone",
        "Email Address": "email",
        "Mobile phone": "mobile_phone",
        "Person State": "state",
        "Person Zip Code": "postal_code",
        "Company Name": "company",
        "Company HQ Phone": "company_phone",
        "Employee Range": "employees",
        "Primary Industry": "industry",
    },
    SALESFORCE.name: {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Company / Account": "company",
        "Phone": "phone",
        "Mobile": "mobile_phone",
        "Lead Source": "source",
        "Lead Status": None,
        "State/Province": "state",
        "Zip/Postal Code": "postal_code",
        "Country": "country",
        "Lead ID": "external_id",
    },
    HUBSPOT.name: {
        "Record ID": "external_id",
        "Email": "email",
        "Phone Number": "phone",
        "Mobile Phone Number": "mobile_phone",
        "Company Name": "company",
        "Website URL": "website",
        "State/Region": "state",
        "Postal Code": "postal_code",
        "Country/Region": "country",
        "Number of Employees": "employees",
        "Original Source": "source",
    },
    COGNISM.name: {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Company Name": "company",
        "Mobile Phone": "mobile_phone",
        "Country": "country",
    },
    GERMAN.name: {
        "Vorname": "first_name",
        "Nachname": "last_name",
        "Firma": "company",
        "E-Mail": "email",
        "Telefon": "phone",
        "Mobil": "mobile_phone",
        "PLZ": "postal_code",
        "Bundesland": "state",
        "Land": "country",
    },
    FRENCH.name: {
        "Prénom": "first_name",
        "Nom": "last_name",
        "Poste": "title",
        "Société": "company",
        "E-mail": "email",
        "Téléphone": "phone",
        "Portable": "mobile_phone",
        "Code postal": "postal_code",
        "Pays": "country",
    },
    SPANISH.name: {
        "Nombre": "first_name",
        "Apellidos": "last_name",
        "Cargo": "title",
        "Empresa": "company",
        "Correo electrónico": "email",
        "Teléfono": "phone",
        "Móvil": "mobile_phone",
        "Código postal": "postal_code",
        "Provincia": "state",
        "País": "country",
    },
}
PHONE_WORDS = ("phone", "mobil", "móvil", "tel", "handy", "portable")


@pytest.mark.parametrize("listing", LISTS, ids=lambda listing: listing.name)
def test_a_dry_run_lists_every_column_and_the_field_it_became(space, listing):
    path = space.copy(listing.name)
    header, _rows = listing.rows()
    result = space.import_list(path, "--dry-run")
    columns = result["columns"]
    assert [column["column"] for column in columns] == header
    became = {column["column"]: column["field"] for column in columns}
    for name, field in MAPPINGS.get(listing.name, {}).items():
        assert became[name] == field, name
    # No phone column is ignored unseen: every column named like a phone is read as one.
    for name in header:
        folded = name.casefold()
        if any(word in folded for word in PHONE_WORDS):
            assert became[name] in PHONE_FIELDS, name
    assert counts(result) == EXPECTED[listing.name]
    assert space.rows("SELECT count(*) FROM contacts") == [(0,)]
    text = space.run("import", str(path), "--dry-run")
    assert text.exit_code == 0, text.output
    for name in header:
        assert name in text.output, name


# --- zones --------------------------------------------------------------------------

SPLIT_STATE_ZONES = [
    # (list, email, first name, the one zone) — why: the README's zone column.
    (APOLLO, "ada.quinn@coralfreight.example", None, "America/New_York"),  # 305 in FL
    (APOLLO, "ben@lonestarhaul.example", None, "America/Chicago"),  # 512 in TX
    (APOLLO, "cara.diaz@trinityparts.example", None, "America/Chicago"),  # 214 in TX
    (APOLLO, "dev@bayoucold.example", None, "America/Chicago"),  # 713 in TX
    (APOLLO, "eli@fmfoods.example", None, "America/Denver"),  # 915 in TX
    (APOLLO, "fay.ngo@smokyridge.example", None, "America/New_York"),  # 865 in TN
    (APOLLO, "gus@bealelogistics.example", None, "America/Chicago"),  # 901 in TN
    (APOLLO, "kai@tollway.example", None, "America/New_York"),  # toll-free, NY
    (APOLLO, "lea@freephone.example", None, "America/New_York"),  # toll-free: the team's
    (APOLLO, "otto.keller@alpenmaschinen.example", None, "Europe/Zurich"),  # +41
    (ZOOMINFO, "lena.marsh@emeraldcoast.example", None, "America/Chicago"),  # ZIP 32501
    (ZOOMINFO, "luis.garza@sunbelt.example", None, "America/Denver"),  # ZIP 79901
    (ZOOMINFO, "nora.reed@sunbelt.example", None, "America/Denver"),  # ZIP beats 214
    (ZOOMINFO, "owen.hart@treasurevalley.example", None, "America/Boise"),  # ZIP 83702
    (ZOOMINFO, "pau.silva@biscayne.example", None, "America/New_York"),
    (ZOOMINFO, "quincy@hillcountry.example", "Quincy", "America/Chicago"),
    (ZOOMINFO, "rosa.ibarra@shipchannel.example", None, "America/Chicago"),
    (ZOOMINFO, "silas@rivercity.example", None, "America/Chicago"),
    (ZOOMINFO, "tess@volunteerpaper.example", None, "America/New_York"),
    (SALESFORCE, "abe@gulfcoastmetals.example", None, "America/New_York"),  # ZIP+4
    (SALESFORCE, "bria@capitolprint.example", None, "America/Chicago"),
    (SALESFORCE, "ezra@franklinsteel.example", None, "America/Denver"),
    (SALESFORCE, "flor@blueangel.example", None, "America/Chicago"),  # 850 + ZIP 32501
    (SALESFORCE, "gil@oldcity.example", None, "America/New_York"),
    (SALESFORCE, "hope@bluffcity.example", None, "America/Chicago"),
    (SALESFORCE, "ian@gemstate.example", None, "America/Boise"),
    (HUBSPOT, "ari@coralsoft.example", None, "America/New_York"),
    (HUBSPOT, "edie@sunland.example", None, "America/Denver"),  # 915 in TX, no ZIP
    (HUBSPOT, "finn@tennriver.example", None, "America/New_York"),
    (HUBSPOT, "gia@gracelandit.example", None, "America/Chicago"),
    (HUBSPOT, "hal@boisebytes.example", None, "America/Boise"),
    (HUBSPOT, "jack@seaport.example", None, "America/New_York"),  # ZIP 02134
    (HUBSPOT, "quin@toronto-ai.example", None, "America/Toronto"),
    (UNICODE_TEXT, "jl@enterprise.example", None, "America/New_York"),
    # A Spanish mobile is the mainland's (phonenumbers gives it the Canaries' zone too),
    # unless the address is on the islands.
    (SPANISH, "n.vidal@vidallogistica.example", None, "Europe/Madrid"),  # Illes Balears
    (SPANISH, "y.hernandez@hernandezfrutas.example", None, "Atlantic/Canary"),  # 35002
    (SPANISH, "t.afonso@afonsonautica.example", None, "Atlantic/Canary"),  # Santa Cruz de T.
]


@pytest.mark.parametrize("listing", [APOLLO, ZOOMINFO, SALESFORCE, HUBSPOT, UNICODE_TEXT, SPANISH],
                         ids=lambda listing: listing.name)  # fmt: skip
def test_contacts_in_split_zone_states_get_their_one_right_zone(space, listing):
    space.import_list(space.copy(listing.name))
    wrong = {}
    for _listing, email, first, zone in (c for c in SPLIT_STATE_ZONES if c[0] == listing):
        if not space.rows("SELECT 1 FROM contacts WHERE email = ?", (email,)):
            wrong[email] = "not imported"
            continue
        zones = space.card(email, first)["timezones"]
        if zones != [zone]:
            wrong[email] = zones
    assert wrong == {}


# --- every phone, matching, DNC --------------------------------------------------------


def phones(card: dict) -> list[tuple]:
    return [(p["e164"], p["kind"], p["extension"], p["dialled"]) for p in card["phones"]]


def test_every_phone_of_a_row_is_kept_and_the_best_one_dialled(space):
    result = space.import_list(space.copy(APOLLO.name))
    ada = space.card("ada.quinn@coralfreight.example")
    # Line 2 gave direct, mobile and the switchboard; line 17 (the same person) an other.
    assert phones(ada) == [
        ("+13055550101", "direct", None, True),
        ("+13055550102", "mobile", None, False),
        ("+13055550103", "other", None, False),
        ("+13055550100", "company", None, False),
    ]
    assert ada["phone"] == "+13055550101"
    # A junk direct dial falls back to the mobile.
    assert phones(space.card("ben@lonestarhaul.example")) == [
        ("+15125550111", "mobile", None, True)
    ]
    # Excel's 1.41556E+10 lost its digits: skipped, said in the report, the other phone dialled.
    assert phones(space.card("dev@bayoucold.example")) == [("+17135550131", "other", None, True)]
    assert any("line 5" in w and "1.41556E+10" in w for w in result["warnings"])
    # An extension written in the cell is kept with its number.
    assert phones(space.card("xia@frontrange.example")) == [("+13035550101", "direct", "12", True)]
    # The unknown country word is imported on the +41 phone's country, with a warning.
    otto = space.card("otto.keller@alpenmaschinen.example")
    assert otto["country"] == "CH"
    assert any("line 15" in w and "Alpenland" in w for w in result["warnings"])


def test_a_shared_mailbox_is_two_people_and_a_switchboard_is_shared(space):
    space.import_list(space.copy(APOLLO.name))
    mailbox = space.rows(
        "SELECT first_name, phone FROM contacts WHERE email = 'info@acmefreight.example'"
        " ORDER BY first_name"
    )
    assert mailbox == [("Ivy", "+12125550171"), ("Jon", "+12125550172")]
    switchboard = space.rows(
        "SELECT c.first_name, p.kind FROM contact_phones p JOIN contacts c ON c.id = p.contact_id"
        " WHERE p.e164 = '+13125550100' ORDER BY c.first_name"
    )
    assert switchboard == [("Rae", "company"), ("Sam", "company")]


def test_a_known_person_arriving_with_a_new_number_gains_it(space):
    space.import_list(space.copy(APOLLO.name))
    again = space.import_list(space.copy(APOLLO_AGAIN.name))
    assert (again["inserted"], again["updated"], again["rejected"]) == (1, 3, 0)
    ada = space.card("ada.quinn@coralfreight.example")
    assert [(e164, kind) for e164, kind, _ext, _dialled in phones(ada)] == [
        ("+13055550101", "direct"),
        ("+13055550102", "mobile"),
        ("+13055550104", "mobile"),
        ("+13055550103", "other"),
        ("+13055550100", "company"),
    ]
    # Matched by email and the same name: Fay keeps her direct dial and gains the mobile.
    fay = space.card("fay.ngo@smokyridge.example")
    assert [(e164, kind) for e164, kind, _ext, _dialled in phones(fay)] == [
        ("+18655550151", "direct"),
        ("+18655550152", "mobile"),
    ]
    # Zoe writes from the shared mailbox: a third person there, nobody merged.
    assert space.rows("SELECT count(*) FROM contacts WHERE email = 'info@acmefreight.example'") == [
        (3,)
    ]


def test_an_email_match_needs_the_same_name(space):
    space.import_list(space.copy(ZOOMINFO.name))
    # Quincy and Yara Young share quincy@hillcountry.example: two contacts.
    assert space.rows(
        "SELECT first_name FROM contacts WHERE email = 'quincy@hillcountry.example'"
        " ORDER BY first_name"
    ) == [("Quincy",), ("Yara",)]
    # Pau Silva's second row (same email, same name) added the mobile to the same contact.
    pau = space.card("pau.silva@biscayne.example")
    assert {(e164, kind) for e164, kind, _ext, _dialled in phones(pau)} == {
        ("+13055550111", "direct"),
        ("+13055550112", "mobile"),
        ("+13055550110", "company"),
    }


def test_the_same_name_with_or_without_accents_is_the_same_person(space):
    space.import_list(space.copy(SALESFORCE.name))
    rows = space.rows("SELECT id FROM contacts WHERE email = 'jose.nunez@riogrande.example'")
    assert len(rows) == 1
    jose = space.json("show", str(rows[0][0]))
    assert {p["e164"] for p in jose["phones"]} == {"+19565550101", "+19565550102"}


def test_a_dnc_mobile_makes_the_contact_dnc_at_import_and_later(space):
    # Rosa's mobile is on the list before the ZoomInfo list arrives: her direct dial
    # is the one dialled, the contact is DNC all the same.
    space.json("dnc", "add", "+1 713-555-0142", *("--at", "2026-11-20T15:00:00Z"))
    space.import_list(space.copy(ZOOMINFO.name))
    rosa = space.card("rosa.ibarra@shipchannel.example")
    assert rosa["phone"] == "+17135550141"
    assert rosa["dnc"] is True
    # Ada's mobile goes on the list after her import.
    space.import_list(space.copy(APOLLO.name))
    ada_id = space.contact_id("ada.quinn@coralfreight.example")
    queued = {item["contact_id"] for item in space.json("queue", "--limit", "200", *LATER)}
    assert ada_id in queued
    space.json("dnc", "add", "+1 305-555-0102", *LATER)
    assert space.card("ada.quinn@coralfreight.example")["dnc"] is True
    queued = {item["contact_id"] for item in space.json("queue", "--limit", "200", *LATER)}
    assert ada_id not in queued
    assert space.contact_id("rosa.ibarra@shipchannel.example") not in queued


# --- countries, names, domains --------------------------------------------------------


def test_country_names_in_local_languages(space):
    space.import_list(space.copy(COGNISM.name))
    countries = dict(space.rows("SELECT email, country FROM contacts"))
    assert countries["j.meier@zpraezision.example"] == "CH"  # Schweiz
    assert countries["c.favre@leman.example"] == "CH"  # Suisse
    assert countries["j.schaefer@spree.example"] == "DE"  # Deutschland
    assert countries["i.ruiz@meseta.example"] == "ES"  # España
    assert countries["l.bauer@donau.example"] == "AT"  # Österreich
    assert countries["s.devries@grachten.example"] == "NL"  # Nederland
    assert countries["b.kuenzli@alpenmaschinen.example"] == "CH"  # Alpenland, +41 phone
    assert dict(space.rows("SELECT email, phone FROM contacts"))["l.bauer@donau.example"] == (
        "+4315550107"
    )


@pytest.mark.parametrize(
    ("listing", "email", "country", "phone"),
    [
        (GERMAN, "s.huber@huberholz.example", "AT", "+4315550130"),  # Österreich
        (GERMAN, "n.suter@suterpharma.example", "CH", "+41615550134"),  # Schweiz
        (GERMAN, "j.weiss@weisslogistik.example", "DE", "+4917255501304"),  # k.A., Mobil
        (FRENCH, "n.perrin@perrinhorlogerie.example", "CH", "+41225550145"),  # Suisse
        (FRENCH, "e.janssens@janssenstextile.example", "BE", "+3225550147"),  # Belgique
        (SPANISH, "n.vidal@vidallogistica.example", "ES", "+34655555157"),  # España, Móvil
    ],
    ids=lambda value: value.name if isinstance(value, ListFile) else None,
)
def test_local_language_lists_read_their_countries_and_phones(
    space, listing, email, country, phone
):
    space.import_list(space.copy(listing.name))
    assert space.rows("SELECT country, phone FROM contacts WHERE email = ?", (email,)) == [
        (country, phone)
    ]


def test_full_names_are_split_and_domains_use_the_public_suffix_list(space):
    space.import_list(space.copy(UNICODE_TEXT.name))
    names = {
        email: (first, last)
        for email, first, last in space.rows("SELECT email, first_name, last_name FROM contacts")
    }
    assert names["hannah@acme.co.uk"] == ("Hannah", "Schultz")
    assert names["john.smith@keystone.example"] == ("John", "Smith")
    assert names["juergen@rheinchemie.example"] == ("Jürgen", "Müller")
    assert names["jl@enterprise.example"] == ("Jean-Luc", "Picard")
    assert names["zoe@nordlys.example"] == ("Zoë", "Ångström")
    domain = space.rows(
        "SELECT a.domain FROM accounts a JOIN contacts c ON c.account_id = a.id"
        " WHERE c.email = 'hannah@acme.co.uk'"
    )
    assert domain == [("acme.co.uk",)]


def test_postal_codes_and_record_ids_are_kept(space):
    space.import_list(space.copy(HUBSPOT.name))
    kept = {
        email: (postal, external)
        for email, postal, external in space.rows(
            "SELECT email, postal_code, external_id FROM contacts"
        )
    }
    assert kept["jack@seaport.example"] == ("02134", "51010")
    assert kept["quin@toronto-ai.example"] == ("M5V 2T6", "51018")
    isla = space.card("isla@hudsonworks.example")
    assert phones(isla)[0] == ("+12125550181", "work", "12", True)


# --- the rejects file --------------------------------------------------------------------


def check_rejects(space: Workspace, listing: ListFile, result: dict) -> list[str]:
    """The rejects file keeps the input's dialect and every original column; returns reasons."""
    header, rows = listing.rows()
    got_header, rejected = read_rejects(
        space.folder / result["rejects_file"], listing.encoding, listing.delimiter
    )
    assert got_header == [*header, "reject_reason"]
    assert len(rejected) == result["rejected"]
    for row in rejected:
        assert len(row) == len(header) + 1
        assert all(spreadsheet_safe(cell) for cell in row), row
        assert [unneutralised(cell) for cell in row[:-1]] in rows
        assert row[-1].strip()
    return [row[-1] for row in rejected]


@pytest.mark.parametrize("listing", [APOLLO, ZOOMINFO, SALESFORCE, COGNISM],
                         ids=lambda listing: listing.name)  # fmt: skip
def test_the_rejects_file_can_be_fixed_and_imported_again(space, listing):
    result = space.import_list(space.copy(listing.name))
    reasons = check_rejects(space, listing, result)
    rejects_path = space.folder / result["rejects_file"]
    raw = rejects_path.read_bytes()
    # check_rejects read it in the input's encoding and found the input's cells (a
    # Windows-1252 "Köln" written as UTF-8 would not be); the delimiter is the input's too.
    first_line = raw.split(b"\n", 1)[0].rstrip(b"\r")
    delimiter = listing.delimiter.encode()
    assert first_line.endswith((delimiter + b"reject_reason", delimiter + b'"reject_reason"'))
    # Nothing fixed: importing the rejects file rejects the same rows for the same reasons.
    again = space.import_list(rejects_path)
    assert (again["inserted"], again["updated"], again["rejected"]) == (0, 0, len(reasons))
    second = space.folder / again["rejects_file"]
    _header, rows = read_rejects(second, listing.encoding, listing.delimiter)
    assert [row[-1] for row in rows] == reasons


def test_a_formula_cell_in_a_rejected_row_is_neutralised(space):
    result = space.import_list(space.copy(APOLLO.name))
    text = (space.folder / result["rejects_file"]).read_text(encoding="utf-8")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert "=cmd|' /C calc'!A0" not in cells


def test_a_utf16_list_gets_a_utf16_rejects_file(space):
    header, rows = UNICODE_TEXT.rows()
    bad = ["Vera Wolfe", "Analyst", "No Dial Inc", "nodial.example", "vera@nodial.example",
           "n/a", "TBD", "OK", "US"]  # fmt: skip
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\r\n").writerows([header, *rows, bad])
    path = space.folder / "unicode_with_reject.txt"
    path.write_bytes(b"\xff\xfe" + buffer.getvalue().encode("utf-16-le"))
    result = space.import_list(path)
    assert (result["inserted"], result["rejected"]) == (16, 1)
    raw = (space.folder / result["rejects_file"]).read_bytes()
    assert raw.startswith(b"\xff\xfe")
    got_header, rejected = read_rejects(space.folder / result["rejects_file"], "utf-16", "\t")
    assert got_header == [*header, "reject_reason"]
    assert [row[:-1] for row in rejected] == [bad]


# --- a trade-show spreadsheet ---------------------------------------------------------------

TRADE_SHOW = [
    # first name, last name, company domain, phone and mobile (numbers in their cells),
    # ZIP (a text cell), state
    ("Alma", "Banks", "harborfoods", 6175550121, None, "02134", "MA"),
    ("Basil", "Cho", "miamimarine", 3055550151, 3055550152, "33101", "FL"),
    ("Cleo", "Dale", "pasofuels", 9155550171, None, "79901", "TX"),
    ("Dirk", "Eames", "musiccity", 6155550121, None, "37203", "TN"),
    ("Esme", "Ford", "rockytop", 8655550191, None, "37902", "TN"),
    ("Fritz", "Gale", "deltablues", 9015550111, None, "38103", "TN"),
    ("Gwen", "Holt", "boisebikes", 2085550131, None, "83702", "ID"),
    ("Hugo", "Iles", "bayoubrew", 7135550181, None, "77002", "TX"),
    ("Iris", "Jain", "hcfarms", 5125550151, None, "78701", "TX"),
    ("Jude", "Kent", "bigdsigns", 2145550161, None, "75201", "TX"),
    ("Kira", "Lowe", "eckayaks", 8505550121, None, "32501", "FL"),
    ("Leon", "Marx", "gothamprint", 2125550191, None, "10001", "NY"),
    ("Mila", "Nagy", "bayrobotics", 4155550131, None, "94105", "CA"),
    ("Nico", "Ortiz", "windycity", 3125550121, None, "60601", "IL"),
    ("Ona", "Pike", "freephone-events", 8445550101, None, "", ""),  # toll-free, no address
]
TRADE_SHOW_HEADER = ["First Name", "Last Name", "Company", "Job Title", "Email", "Phone",
                     "Mobile", "Zip", "State"]  # fmt: skip


def write_trade_show(path, *, sheets=("Leads",)) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name in sheets:
        sheet = book.create_sheet(name)
        if name != "Leads":
            sheet.append(["Booth 42 notes: scanned badges are on the Leads sheet"])
            continue
        sheet.append(TRADE_SHOW_HEADER)
        for first, last, domain, phone, mobile, zip_code, state in TRADE_SHOW:
            company = domain.replace("-", " ").title()
            email = f"{first.lower()}@{domain}.example"
            sheet.append([first, last, company, "Buyer", email, phone, mobile, zip_code, state])
        for cell in sheet["H"][1:]:
            cell.number_format = "@"  # the ZIP is text, so 02134 keeps its 0
    book.save(path)


def test_a_trade_show_spreadsheet_imports_as_a_person_sees_it(space):
    path = space.folder / "trade_show.xlsx"
    write_trade_show(path)
    result = space.import_list(path)
    assert counts(result) == (15, 15, 0, 0, 1)
    kept = {
        email: (phone, postal)
        for email, phone, postal in space.rows("SELECT email, phone, postal_code FROM contacts")
    }
    assert kept["alma@harborfoods.example"] == ("+16175550121", "02134")
    assert kept["basil@miamimarine.example"] == ("+13055550151", "33101")
    assert space.card("cleo@pasofuels.example")["timezones"] == ["America/Denver"]
    assert space.card("kira@eckayaks.example")["timezones"] == ["America/Chicago"]
    assert space.card("gwen@boisebikes.example")["timezones"] == ["America/Boise"]
    basil = space.card("basil@miamimarine.example")
    assert [(p["e164"], p["kind"]) for p in basil["phones"]] == [
        ("+13055550151", "work"),
        ("+13055550152", "mobile"),
    ]
    assert space.import_list(path, at=LATER)["inserted"] == 0


def test_a_workbook_sheet_is_chosen_by_name(space):
    path = space.folder / "trade_show_two_sheets.xlsx"
    write_trade_show(path, sheets=("Notes", "Leads"))
    result = space.import_list(path, "--sheet", "Leads")
    assert (result["read"], result["inserted"]) == (15, 15)
    wrong = space.run("import", str(path), "--sheet", "Badges")
    assert wrong.exit_code == 1
    lines = wrong.output.strip().splitlines()
    assert len(lines) == 1 and "Badges" in lines[0] and "Leads" in lines[0]
    assert "Traceback" not in wrong.output
