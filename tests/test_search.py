"""Finding a contact: the rules the workbench's / and ``prospector search`` share."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from prospector.foundations.db import APPLICATION_ID, Database, open_database
from prospector.foundations.folding import fold
from prospector.foundations.migrations import MIGRATIONS
from prospector.services.importing import import_file
from prospector.services.search import search_contacts
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact

LIST = """First Name,Last Name,Email,Company,Phone,Country,State
John,Smith,john_smith@acme.example,Acme Corp,(212) 555-0100,US,NY
Johnny,Smithers,johnsmith@other.example,Other Ltd,(212) 555-0101,US,NY
Anna,Müller,anna@mueller.example,Société Générale,(212) 555-0102,US,NY
Zoë,Zephyr,zoe@zephyr.example,Zephyr Inc,(212) 555-0103,US,NY
Hans,MULLER,hans@muller.example,Muller AG,(212) 555-0104,US,NY
Fiona,Murray,fiona@ed.example,Edinburgh Works,0131 496 0624,GB,
Per,Cent,100%@percent.example,Percent Co,(212) 555-0105,US,NY
"""


def imported(db: Database, tmp_path: Path, text: str = LIST) -> dict[str, int]:
    """Import ``text`` as a list the way a team lead does; ids by first name."""
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    import_file(db, path, now=MONDAY_10_ET, rep="lead", workers=0)
    return {row["first_name"]: row["id"] for row in db.query("SELECT id, first_name FROM contacts")}


def found(db: Database, text: str) -> list[int]:
    return [match.contact_id for match in search_contacts(db, text)]


def test_underscore_and_percent_are_characters_not_wildcards(db, tmp_path) -> None:
    ids = imported(db, tmp_path)
    assert found(db, "john_smith") == [ids["John"]]  # not johnsmith@other
    assert found(db, "%") == [ids["Per"]]  # not everyone
    assert found(db, "100%@") == [ids["Per"]]
    assert found(db, "_") == [ids["John"]]
    assert found(db, "\\") == []


@pytest.mark.parametrize(
    ("typed", "first_names"),
    [
        ("Muller", ["Hans", "Anna"]),  # ordered by last name: MULLER, Müller
        ("müller", ["Hans", "Anna"]),  # and the reverse: an accent finds the plain name
        ("MÜLLER", ["Hans", "Anna"]),  # upper case beyond ASCII
        ("Zoe", ["Zoë"]),
        ("ZOË", ["Zoë"]),
        ("societe generale", ["Anna"]),  # the company, folded too
        ("SOCIÉTÉ", ["Anna"]),
    ],
)
def test_accents_and_case_fold(db, tmp_path, typed: str, first_names: list[str]) -> None:
    ids = imported(db, tmp_path)
    assert found(db, typed) == [ids[name] for name in first_names]


@pytest.mark.parametrize(
    ("typed", "first_name"),
    [
        ("0131 496 0624", "Fiona"),  # UK national form; the team's region is US
        ("+44 131 496 0624", "Fiona"),
        ("(212) 555-0100", "John"),
        ("212.555.0100", "John"),
        ("1-212-555-0100", "John"),
        ("+12125550100", "John"),
    ],
)
def test_a_phone_typed_in_any_usual_form_finds_the_e164_contact(
    db, tmp_path, typed: str, first_name: str
) -> None:
    ids = imported(db, tmp_path)
    assert found(db, typed)[0] == ids[first_name]


def test_digits_find_numbers_that_contain_them(db, tmp_path) -> None:
    ids = imported(db, tmp_path)
    assert found(db, "555-0103") == [ids["Zoë"]]
    assert found(db, "4960624") == [ids["Fiona"]]
    # Digits inside words are not a phone: "acme2" is text.
    assert found(db, "acme2") == []


def test_an_id_comes_first_and_a_hash_names_it_too(db, tmp_path) -> None:
    ids = imported(db, tmp_path)
    assert found(db, str(ids["Hans"]))[0] == ids["Hans"]
    assert found(db, f"#{ids['Zoë']}") == [ids["Zoë"]]


@pytest.mark.parametrize(
    "typed",
    [
        "12345678901234567890",  # past SQLite's 64-bit integers
        "#99999999999999999999999999",
        "9223372036854775808",
        "+" + "9" * 40,
        "9" * 5000,
        "\udcff\udcfe",  # undecodable bytes from a terminal
        "\x00",
        "' OR 1=1 --",
    ],
    ids=["20-digits", "hash-27-digits", "int64-max+1", "plus-40", "5000-digits", "surrogates",
         "nul", "quote"],
)  # fmt: skip
def test_absurd_text_finds_nothing_and_never_raises(db, tmp_path, typed: str) -> None:
    imported(db, tmp_path)
    assert found(db, typed) == []


def test_the_largest_id_is_still_an_id(db) -> None:
    contact = add_contact(db, now=MONDAY_10_ET, id=2**63 - 1)
    assert found(db, str(2**63 - 1)) == [contact]


def test_a_re_import_that_renames_a_contact_is_found_by_the_new_name(db, tmp_path) -> None:
    ids = imported(db, tmp_path)
    renamed = LIST.replace("Zoë,Zephyr", "Zoé,Zéphyrine")
    imported(db, tmp_path, renamed)
    assert found(db, "zephyrine") == [ids["Zoë"]]


def test_a_contact_written_by_hand_is_found_by_its_raw_columns(db) -> None:
    """Rows written without a search key (another tool) are still searched, literally."""
    contact = add_contact(
        db, now=MONDAY_10_ET, first_name="Ida", last_name="Tarbell", search_key=None,
        email="ida_t@press.example",
    )  # fmt: skip
    other = add_contact(
        db, now=MONDAY_10_ET, first_name="Ida", last_name="Other", search_key=None,
        email="idat@press.example",
    )  # fmt: skip
    assert found(db, "TARBELL") == [contact]
    assert found(db, "ida_t") == [contact]
    assert found(db, "%") == []
    assert found(db, "idat") == [other]


@pytest.mark.sqlite_only  # schema 4 exists only as a SQLite file; PostgreSQL starts at 8
def test_upgrading_an_older_database_folds_its_contacts(db_path) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN")
    for migration in MIGRATIONS[:4]:
        migration(conn)
    conn.execute("INSERT INTO locales (zones, country, state) VALUES ('Europe/Berlin', 'DE', '')")
    conn.execute(
        """INSERT INTO accounts (name, name_key, created_at, updated_at)
           VALUES ('Bäckerei Groß', 'backerei gross', '2026-11-23T15:00:00Z', '')"""
    )
    conn.execute(
        """INSERT INTO contacts (account_id, first_name, last_name, phone, phone_raw,
               locale_id, next_call_at, created_at, updated_at)
           VALUES (1, 'Jürgen', 'Groß', '+4930123456', '030 123456', 1,
               '2026-11-23T15:00:00Z', '2026-11-23T15:00:00Z', '2026-11-23T15:00:00Z')"""
    )
    conn.execute("PRAGMA user_version = 4")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("COMMIT")
    conn.close()
    with open_database(db_path) as db:
        assert found(db, "jurgen gross") == [1]
        assert found(db, "backerei") == [1]


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Müller", "muller"), ("Straße", "strasse"), ("Søren", "soren"), ("ŁUKASZ", "lukasz"),
     ("Zoë", "zoe"), ("Smith", "smith"), ("ｆｕｌｌ", "full"), ("한국", "한국")],
)  # fmt: skip
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def add_fillers(db: Database, count: int = 5000) -> None:
    """Enough contacts for a scan to ask ``cancelled`` (every 10,000 SQLite steps)."""
    with db.write():
        db.execute(
            """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
               INSERT INTO contacts (first_name, phone, phone_raw, locale_id, next_call_at,
                   created_at, updated_at, search_key)
               SELECT 'Filler', '+1201200' || substr(CAST(10000 + i AS TEXT), 2), '', 1, '', '', '',
                   'filler'
               FROM n""",
            {"count": count},
        )


def test_a_cancelled_search_stops_its_scan(db) -> None:
    """The workbench cancels the scan of a keystroke that a newer one replaced."""
    add_contact(db, now=MONDAY_10_ET, first_name="Zed")
    add_fillers(db)
    asked: list[int] = []

    def newer_keystroke() -> bool:
        asked.append(1)
        return True

    assert search_contacts(db, "zed", cancelled=newer_keystroke) is None
    assert len(asked) >= 1
    assert [m.name for m in search_contacts(db, "zed", cancelled=lambda: False) or []] == [
        "Zed Lee"
    ]
    # The handler is gone afterwards: other queries on the connection run to the end.
    assert db.one("SELECT count(*) FROM contacts")[0] == 5001


def test_an_exact_number_is_answered_without_a_scan(db, tmp_path) -> None:
    """A rep types the number that is calling in: the index answers, no scan waits."""
    ids = imported(db, tmp_path)
    add_fillers(db)

    def scan_started() -> bool:
        raise AssertionError("the exact number needed no scan")

    with pytest.raises(AssertionError):  # a text search does scan
        search_contacts(db, "smith", cancelled=scan_started)

    assert search_contacts(db, "(212) 555-0100", cancelled=scan_started) is not None
    assert found(db, "(212) 555-0100") == [ids["John"]]
    assert search_contacts(db, str(ids["Per"]), cancelled=scan_started) is not None
