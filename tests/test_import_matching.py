"""Which contact an import row names, and what a known contact gains (the import writer)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prospector.services.dnc import add_dnc
from prospector.services.importing import import_file
from tests.conftest import MONDAY_10_ET
from tests.import_rows import make_row, phone, phones_of, write_list, write_rows

LATER = MONDAY_10_ET + timedelta(days=2)
A, B, C, D = "+12125550101", "+12125550102", "+12125550103", "+12125550104"
SWITCHBOARD = "+12125550100"
E = "+12125550105"


def contacts(db) -> list[tuple]:
    return [
        tuple(row)
        for row in db.query(
            "SELECT id, first_name, last_name, email, phone, phone_ext, dnc FROM contacts"
            " ORDER BY id"
        )
    ]


def test_shared_mailbox_with_another_name_is_a_new_contact(db):
    counts, _ = write_rows(
        db,
        [
            make_row(db, [phone(A)], first="Jane", last="Roe", email="info@acme.example"),
            make_row(db, [phone(B)], first="John", last="Doe", email="info@acme.example"),
        ],
        now=MONDAY_10_ET,
    )
    assert (counts.inserted, counts.updated) == (2, 0)
    assert [c[1:5] for c in contacts(db)] == [
        ("Jane", "Roe", "info@acme.example", A),
        ("John", "Doe", "info@acme.example", B),
    ]
    assert counts.warnings == [
        "line 3: shared mailbox info@acme.example: a new contact, not Jane Roe (#1)"
    ]
    # Again: each row finds its own person by phone, and says nothing more.
    again, _ = write_rows(
        db,
        [
            make_row(db, [phone(A)], first="Jane", last="Roe", email="info@acme.example"),
            make_row(db, [phone(B)], first="John", last="Doe", email="info@acme.example"),
        ],
        now=LATER,
    )
    assert (again.inserted, again.updated, again.warnings) == (0, 2, [])


def test_same_person_same_mailbox_gains_the_new_number_and_dials_the_best(db):
    write_rows(db, [make_row(db, [phone(A, "mobile")], first="Jane", last="Roe",
                             email="jane@acme.example")], now=MONDAY_10_ET)  # fmt: skip
    counts, _ = write_rows(
        db,
        [make_row(db, [phone(B, "direct", "12")], first="JANE", last="roe",
                  email="Jane@Acme.example".lower())],
        now=LATER,
    )  # fmt: skip
    assert (counts.inserted, counts.updated) == (0, 1)
    assert phones_of(db, 1) == [(B, "direct", 0), (A, "mobile", 1)]
    # The direct dial arrived: it is the one dialled now, with its extension.
    assert contacts(db)[0][4:6] == (B, "12")


def test_accent_folded_names_agree(db):
    write_rows(db, [make_row(db, [phone(A)], first="Jürgen", last="Müller",
                             email="jm@acme.example")], now=MONDAY_10_ET)  # fmt: skip
    row = make_row(db, [phone(B, "mobile")], first="JURGEN", last="MULLER", email="jm@acme.example")
    counts, _ = write_rows(db, [row], now=LATER)
    assert (counts.inserted, counts.updated) == (0, 1)
    assert [p[0] for p in phones_of(db, 1)] == [A, B]


def test_same_person_with_another_email_is_found_by_phone(db):
    write_rows(db, [make_row(db, [phone(A)], first="Jane", last="Roe",
                             email="jane@old.example")], now=MONDAY_10_ET)  # fmt: skip
    row = make_row(
        db, [phone(A), phone(B, "mobile")], first="Jane", last="Roe", email="jane@new.example"
    )
    counts, _ = write_rows(db, [row], now=LATER)
    assert (counts.inserted, counts.updated) == (0, 1)
    assert contacts(db)[0][3] == "jane@new.example"  # the first row of a file updates
    assert [p[0] for p in phones_of(db, 1)] == [A, B]


@pytest.mark.parametrize(
    ("first_names", "same"),
    [((None, None), True), ((None, "Jane"), False), (("Jane", None), False)],
)
def test_nameless_email_matches_only_a_nameless_contact(db, first_names, same):
    one, two = first_names
    write_rows(db, [make_row(db, [phone(A)], first=one, email="x@acme.example")], now=MONDAY_10_ET)
    counts, _ = write_rows(
        db, [make_row(db, [phone(B)], first=two, email="x@acme.example")], now=LATER
    )
    assert (counts.inserted, counts.updated) == ((0, 1) if same else (1, 0))
    assert len(contacts(db)) == (1 if same else 2)


def test_switchboard_only_colleagues_are_two_contacts_and_find_themselves_again(db):
    rows = [
        make_row(db, [phone(SWITCHBOARD, "company")], first="Ann", last="Lee", company="Acme"),
        make_row(db, [phone(SWITCHBOARD, "company")], first="Bo", last="Kim", company="Acme"),
    ]
    counts, _ = write_rows(db, rows, now=MONDAY_10_ET)
    assert (counts.inserted, counts.updated) == (2, 0)
    assert [c[4] for c in contacts(db)] == [SWITCHBOARD, SWITCHBOARD]
    before = db.query("SELECT * FROM contact_phones ORDER BY contact_id")
    again, _ = write_rows(db, rows, now=LATER)
    assert (again.inserted, again.updated) == (0, 2)
    assert db.query("SELECT * FROM contact_phones ORDER BY contact_id") == before
    # A third colleague on the same switchboard is a third person.
    third, _ = write_rows(
        db, [make_row(db, [phone(SWITCHBOARD, "company")], first="Cy", last="Ng")], now=LATER
    )
    assert third.inserted == 1


def test_a_phone_of_another_contact_is_never_moved(db):
    write_rows(
        db,
        [
            make_row(db, [phone(A)], first="Jane", last="Roe"),
            make_row(db, [phone(B, "mobile")], first="Max", last="Poe"),
        ],
        now=MONDAY_10_ET,
    )
    # The row's dialled phone is Jane's, its mobile Max's: Jane's row, Max keeps his number.
    counts, _ = write_rows(
        db,
        [make_row(db, [phone(A), phone(B, "mobile"), phone(C, "other")], first="Jane",
                  last="Roe")],
        now=LATER,
    )  # fmt: skip
    assert (counts.inserted, counts.updated) == (0, 1)
    assert phones_of(db, 1) == [(A, "work", 0), (C, "other", 1)]
    assert phones_of(db, 2) == [(B, "mobile", 0)]
    assert counts.warnings == [
        "line 2: mobile phone raw +12125550102 is contact #2's: not added to contact #1"
    ]
    # phones[0] unknown: the lowest id among the contacts the row's phones name.
    lowest, _ = write_rows(
        db, [make_row(db, [phone(D), phone(B, "mobile"), phone(A, "other")])], now=LATER
    )
    assert lowest.updated == 1
    assert [p[0] for p in phones_of(db, 1)] == [A, D, C]  # work before other
    assert len(lowest.warnings) == 1 and "is contact #2's" in lowest.warnings[0]


def test_two_rows_of_one_file_same_mailbox_different_people(db):
    counts, _ = write_rows(
        db,
        [
            make_row(db, [phone(A)], first="Ann", email="sales@acme.example"),
            make_row(db, [phone(B)], first="Bo", email="sales@acme.example"),
            make_row(db, [phone(C)], first="ann", email="sales@acme.example"),
        ],
        now=MONDAY_10_ET,
    )
    assert (counts.inserted, counts.updated) == (2, 1)
    assert [p[0] for p in phones_of(db, 1)] == [A, C]  # Ann again, with a second number


def test_a_later_row_of_a_file_only_fills_what_is_empty(db):
    counts, _ = write_rows(
        db,
        [
            make_row(db, [phone(A)], first="Jane", last="Roe"),
            make_row(db, [phone(A), phone(B, "mobile")], first="Janet", title="CEO"),
        ],
        now=MONDAY_10_ET,
    )
    assert (counts.inserted, counts.updated) == (1, 1)
    row = db.one("SELECT first_name, title FROM contacts")
    assert tuple(row) == ("Jane", "CEO")
    assert [p[0] for p in phones_of(db, 1)] == [A, B]


def test_a_claimed_contact_keeps_its_dialled_number(db):
    write_rows(db, [make_row(db, [phone(A, "mobile")], first="Jane")], now=MONDAY_10_ET)
    with db.write():
        db.execute("UPDATE contacts SET claimed_by = 'alice'")
    write_rows(db, [make_row(db, [phone(A, "mobile"), phone(B, "direct")], first="Jane")],
               now=LATER)  # fmt: skip
    assert contacts(db)[0][4] == A  # not under the rep's hands
    assert phones_of(db, 1) == [(B, "direct", 0), (A, "mobile", 1)]


def test_a_bad_number_is_not_dialled_when_a_new_one_arrives(db):
    write_rows(db, [make_row(db, [phone(A, "direct")], first="Jane")], now=MONDAY_10_ET)
    with db.write():
        db.execute("UPDATE contact_phones SET bad = 1")
        db.execute("UPDATE contacts SET phone_bad = 1")
    write_rows(db, [make_row(db, [phone(A, "direct"), phone(B, "mobile")], first="Jane")],
               now=LATER)  # fmt: skip
    assert tuple(db.one("SELECT phone, phone_bad FROM contacts")) == (B, 0)


def test_dnc_by_a_second_phone_at_import(db):
    add_dnc(db, [B, E], actor="t", now=MONDAY_10_ET)
    counts, _ = write_rows(
        db,
        [
            make_row(db, [phone(A), phone(B, "mobile")], first="Jane"),
            make_row(db, [phone(C), phone(B, "company")], first="Max"),
            make_row(db, [phone(D)], first="Ok"),
        ],
        now=MONDAY_10_ET,
    )
    assert counts.dnc == 2
    assert [c[6] for c in contacts(db)] == [1, 1, 0]
    # A known contact gaining a listed number becomes DNC (a switchboard nobody holds
    # yet: one that Max holds stays his, see merge_phones).
    again, _ = write_rows(db, [make_row(db, [phone(D), phone(E, "company")], first="Ok")],
                          now=LATER)  # fmt: skip
    assert again.dnc == 1
    assert [c[6] for c in contacts(db)] == [1, 1, 1]


def test_dnc_add_later_flags_every_holder_and_remove_only_those_left_clean(db, run, db_path):
    write_rows(
        db,
        [
            make_row(db, [phone(A), phone(SWITCHBOARD, "company")], first="Ann"),
            make_row(db, [phone(B), phone(SWITCHBOARD, "company")], first="Bo"),
            make_row(db, [phone(C)], first="Cy"),
        ],
        now=MONDAY_10_ET,
    )
    assert run("dnc", "add", SWITCHBOARD, "--at", MONDAY_10_ET.isoformat()).exit_code == 0
    assert run("dnc", "add", B, "--at", MONDAY_10_ET.isoformat()).exit_code == 0
    assert [c[6] for c in contacts(db)] == [1, 1, 0]
    result = run("dnc", "remove", SWITCHBOARD, "--at", MONDAY_10_ET.isoformat())
    assert result.exit_code == 0, result.output
    # Bo's own number is still listed: he stays DNC.
    assert [c[6] for c in contacts(db)] == [0, 1, 0]


def test_row_notes_and_toll_free_are_counted_with_their_lines(db):
    counts, _ = write_rows(
        db,
        [
            make_row(db, [phone(A)], first="Jane"),
            make_row(db, [phone("+18005550199")], first="Free", toll_free=True,
                     notes=("Mobile Phone 'n/a': not a number, skipped",)),
        ],
        now=MONDAY_10_ET,
    )  # fmt: skip
    assert counts.toll_free == 1
    assert counts.warnings == ["line 3: Mobile Phone 'n/a': not a number, skipped"]


def test_a_row_repeating_a_number_keeps_it_once(db, tmp_path):
    # Kept once by the row's reading (rows.py), before the writer sees it.
    path = tmp_path / "list.csv"
    write_list(path, ["First Name", "Work Direct Phone", "Company Phone"], [("Jane", A, A)])
    counts = import_file(db, path, now=MONDAY_10_ET, rep="t")
    assert counts.inserted == 1
    assert phones_of(db, 1) == [(A, "direct", 0)]


def test_a_switchboard_someone_holds_is_not_added_so_a_second_import_agrees(db):
    # Found by hypothesis: the third row reaches Ann Lee #1 by her email; had it given
    # her the switchboard Ann Lee #2 already holds, the second row would find two
    # contacts on a second import and choose #1, not the #2 it created the first time.
    rows = [
        make_row(db, [phone(A, "direct")], first="Ann", last="Lee", email="ann@acme.example"),
        make_row(db, [phone(SWITCHBOARD, "company")], first="Ann", last="Lee", title="CEO"),
        make_row(db, [phone(SWITCHBOARD, "company")], first="Ann", last="Lee",
                 email="ann@acme.example"),
    ]  # fmt: skip
    counts, _ = write_rows(db, rows, now=MONDAY_10_ET)
    assert (counts.inserted, counts.updated) == (2, 1)
    assert counts.warnings == [
        "line 4: company phone raw +12125550100 is contact #2's: not added to contact #1"
    ]
    before = contacts(db), phones_of(db, 1), phones_of(db, 2)
    again, _ = write_rows(db, rows, now=LATER)
    assert (again.inserted, again.updated) == (0, 3)
    assert (contacts(db), phones_of(db, 1), phones_of(db, 2)) == before


def test_a_switchboard_stays_with_its_holders_whatever_names_arrive_later(db):
    # Found by hypothesis: "Lee" (#2) becomes "Bob Lee" only after the row that could
    # have given Ann Lee (#1) his switchboard; a rule by names would decide that row
    # one way on the first import and the other way on the second.
    rows = [
        make_row(db, [phone(A, "direct"), phone(SWITCHBOARD, "company")], first="Ann",
                 last="Lee", email="info@acme.example"),
        make_row(db, [phone(B, "direct"), phone(C, "company")], first=None, last="Lee",
                 email="ann@acme.example"),
        make_row(db, [phone(A, "direct"), phone(C, "company")], first="Ann", last="Lee",
                 email="info@acme.example"),
        make_row(db, [phone(B, "direct"), phone(SWITCHBOARD, "company")], first="Bob",
                 last="Lee", email="info@acme.example"),
    ]  # fmt: skip
    write_rows(db, rows, now=MONDAY_10_ET)
    before = contacts(db), phones_of(db, 1), phones_of(db, 2)
    assert [p[0] for p in before[1]] == [A, SWITCHBOARD]
    assert [p[0] for p in before[2]] == [B, C]
    again, _ = write_rows(db, rows, now=LATER)
    assert (again.inserted, again.updated) == (0, 4)
    assert (contacts(db), phones_of(db, 1), phones_of(db, 2)) == before
