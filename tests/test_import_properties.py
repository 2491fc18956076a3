"""Invariants of importing, over generated files (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.foundations.db import open_database
from prospector.services.dnc import add_dnc
from prospector.services.importing.matching import KIND_ORDER
from tests import backend
from tests.conftest import MONDAY_10_ET
from tests.import_rows import (
    dump,
    import_once_and_twice,
    make_row,
    new_database_fixture,  # noqa: F401 (the fixture new_database)
    phone,
    write_list,
    write_rows,
)

LATER = MONDAY_10_ET.replace(day=25)
PHONES = ["(415) 555-2671", "+1 415 555 2671", "212-555-0100", "(208) 555-0142", "12",
          "", "+44 20 7946 0018", "020 7946 0019", "(416) 363-0199"]  # fmt: skip
TEXT = st.sampled_from(
    [
        "",
        "Ada",
        "Bo",
        "CEO",
        "Intern",
        "eCommerce",
        "Software",
        "Acme Inc",
        "acme",
        "Globex LLC",
        "inbound",
        "list",
        "NY",
        "ID",
        "Ontario",
        "GB",
        "Canada",
        "50-200",
        "5",
        "1,200",
        "x@acme.example",
        "y@gmail.com",
        "Z@Acme.example",
        "acme.example",
        "Europe/London",
        "Mars/Olympus",
    ]
)
HEADER = ["Phone", "First Name", "Title", "Company", "Email", "Industry", "Employees",
          "State", "Country", "Source", "Website", "Timezone"]  # fmt: skip
ROW = st.tuples(st.sampled_from(PHONES), *[TEXT] * (len(HEADER) - 1))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW, min_size=1, max_size=12), delimiter=st.sampled_from([",", ";", "\t"]),
       dnc=st.lists(st.sampled_from([*PHONES[:4], PHONES[6], PHONES[8]]), max_size=3))  # fmt: skip
def test_importing_twice_equals_importing_once(
    tmp_path_factory, new_database, rows, delimiter, dnc
):
    folder = tmp_path_factory.mktemp("p")
    path = folder / "gen.csv"
    write_list(path, HEADER, rows, delimiter)
    # The second run is later: nothing may change, not even updated_at.
    once, twice, results = import_once_and_twice(
        folder, path, dnc, MONDAY_10_ET, LATER, new_database
    )
    for result in results:
        assert result.read == result.inserted + result.updated + result.rejected
    assert results[-1].inserted == 0
    assert dump(once) == dump(twice)
    # A DNC number never leaves the DNC state through import.
    bad = backend.scalar(
        twice,
        "SELECT count(*) FROM contacts WHERE phone IN (SELECT phone FROM dnc_numbers) AND dnc = 0",
    )
    assert bad == 0


# People as vendors list them: each has numbers of their own (a kind each), a name,
# maybe their own mailbox or the shared one; colleagues share the switchboard.
# A row shows some of a person's numbers, their name in some spelling, maybe no email.
PEOPLE = [
    ("Ann", "Lee", "ann@acme.example", [("+12125550101", "direct"), ("+12125550102", "mobile")]),
    ("Jürgen", "Müller", "info@acme.example", [("+12125550103", "work"),
                                              ("+14155552671", "mobile")]),
    ("Bo", "Kim", "info@acme.example", [("+12125550104", "other"), ("+12125550105", "mobile")]),
    (None, None, "info@acme.example", [("+12125550106", "work")]),
]  # fmt: skip
SWITCHBOARD = "+12125550100"


@st.composite
def person_rows(draw):
    first, last, email, numbers = draw(st.sampled_from(PEOPLE))
    shown = draw(st.lists(st.sampled_from(numbers), unique=True, max_size=len(numbers)))
    board = draw(st.booleans()) or not shown
    phones = [phone(e164, kind, draw(st.sampled_from([None, "12"]))) for e164, kind in shown]
    if board:
        phones.append(phone(SWITCHBOARD, "company"))
    spelling = draw(st.sampled_from(["as is", "upper", "first only"]))
    if spelling == "upper" and first:
        first, last = first.upper(), last.upper()
    elif spelling == "first only":
        last = None
    return {
        "phones": sorted(phones, key=lambda entry: KIND_ORDER[entry[2]]),  # dial order
        "first": first,
        "last": last,
        "email": draw(st.sampled_from([email, None])),
        "title": draw(st.sampled_from([None, "CEO", "Intern"])),
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people=st.lists(person_rows(), min_size=1, max_size=8),
    dnc=st.lists(st.sampled_from([SWITCHBOARD, "+12125550102", "+12125550104"]), max_size=2),
)
def test_multi_phone_rows_twice_equal_once(tmp_path_factory, new_database, people, dnc):
    folder = tmp_path_factory.mktemp("m")
    once, twice = new_database(folder, "once"), new_database(folder, "twice")
    for target, runs in ((once, 1), (twice, 2)):
        with open_database(target) as db:
            if dnc:
                add_dnc(db, dnc, actor="t", now=MONDAY_10_ET)
            rows = [make_row(db, **person) for person in people]
            for run in range(runs):
                counts, _ = write_rows(db, rows, now=LATER if run else MONDAY_10_ET)
                assert counts.read == counts.inserted + counts.updated + counts.rejected
                if run:
                    assert counts.inserted == 0
            # Every contact dials one of its own phones, the best not-bad one.
            for contact_id, dialled in db.query("SELECT id, phone FROM contacts"):
                ranked = db.query(
                    "SELECT e164 FROM contact_phones WHERE contact_id = ? ORDER BY rank",
                    (contact_id,),
                )
                assert dialled in [row[0] for row in ranked]
            # No contact with a listed phone, of any kind, is callable.
            assert not db.query(
                """SELECT c.id FROM contacts c JOIN contact_phones p ON p.contact_id = c.id
                   JOIN dnc_numbers d ON d.phone = p.e164 WHERE c.dnc = 0"""
            )
            # Every phone of every row is some contact's, or was reported as not added.
            held = {row[0] for row in db.query("SELECT e164 FROM contact_phones")}
            assert held == {entry[0] for person in people for entry in person["phones"]}
    assert dump(once) == dump(twice)
