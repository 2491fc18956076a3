"""Invariants of importing lists with several phone columns (hypothesis).

Generated Apollo-style files: a direct dial, a mobile, a company switchboard and
another number per row, junk cells, shared mailboxes, people repeated with other
numbers, empty cells. Whatever the file: importing it twice changes nothing, every
row is read and counted once, and no row vanishes — each is a contact (new or
known) or a line of the rejects file with its reason.
"""

from __future__ import annotations

import csv
from pathlib import Path

import phonenumbers
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests import backend
from tests.conftest import MONDAY_10_ET
from tests.import_rows import (
    dump,
    import_once_and_twice,
    new_database_fixture,  # noqa: F401 (the fixture new_database)
    write_list,
)
from tests.vendor_support import unneutralised

LATER = MONDAY_10_ET.replace(day=25)
HEADER = ["First Name", "Last Name", "Email", "Work Direct Phone", "Mobile Phone",
          "Company Phone", "Other Phone", "Company", "State"]  # fmt: skip
PERSONAL = ["(305) 555-0101", "+1 305-555-0102", "512-555-0111", "(915) 555-0141",
            "+1 212 555 0171", "208-555-0101 ext. 7", "+44 20 7946 0018"]  # fmt: skip
SWITCHBOARDS = ["(312) 555-0100", "+1 800-555-0181"]
JUNK = ["", "", "n/a", "TBD", "1.41556E+10", "12", "0", "-"]
VALID = {
    text: phonenumbers.format_number(
        phonenumbers.parse(text, "US"), phonenumbers.PhoneNumberFormat.E164
    )
    for text in PERSONAL + SWITCHBOARDS
}
PHONE_COLUMNS = range(3, 7)
ROW = st.tuples(
    st.sampled_from(["Ann", "Bob", "Éva", ""]),
    st.sampled_from(["Lee", "Roe", ""]),
    st.sampled_from(["info@acme.example", "ann@acme.example", "bob@globex.example", ""]),
    st.sampled_from(PERSONAL + JUNK),
    st.sampled_from(PERSONAL + JUNK),
    st.sampled_from(SWITCHBOARDS + JUNK),
    st.sampled_from(PERSONAL + JUNK),
    st.sampled_from(["Acme Inc", "Globex", ""]),
    st.sampled_from(["FL", "Texas", "ID", "NY", ""]),
)


def valid_phones(row: tuple[str, ...]) -> set[str]:
    return {VALID[row[index]] for index in PHONE_COLUMNS if row[index] in VALID}


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(ROW, min_size=1, max_size=10),
    delimiter=st.sampled_from([",", ";", "\t"]),
    dnc=st.lists(st.sampled_from(PERSONAL + SWITCHBOARDS), max_size=2),
)
# Found by this test: the last row's phones are two contacts'; were it to name the
# nameless one "Ann Lee", the nameless row 6 would no longer be that contact the
# second time, and would come in as a new one.
@example(
    rows=[
        ("", "", "info@acme.example", "+1 305-555-0102", "+1 305-555-0102", "(312) 555-0100",
         "+1 305-555-0102", "Acme Inc", "FL"),
        *[("Ann", "Lee", "info@acme.example", "(305) 555-0101", "(305) 555-0101",
           "(312) 555-0100", "(305) 555-0101", "Acme Inc", "FL")] * 4,
        ("", "", "info@acme.example", "", "", "(312) 555-0100", "", "Acme Inc", "FL"),
        ("Ann", "Lee", "info@acme.example", "(305) 555-0101", "(305) 555-0101",
         "(312) 555-0100", "+1 305-555-0102", "Acme Inc", "FL"),
    ],
    delimiter=",",
    dnc=[],
)  # fmt: skip
def test_multi_phone_lists_lose_no_row_and_import_twice_as_once(
    tmp_path_factory, new_database, rows, delimiter, dnc
):
    folder = tmp_path_factory.mktemp("phones")
    path = folder / "people.csv"
    write_list(path, HEADER, rows, delimiter)
    once, twice, results = import_once_and_twice(
        folder, path, dnc, MONDAY_10_ET, LATER, new_database
    )
    for result in results:
        assert result.read == len(rows)
        assert result.read == result.inserted + result.updated + result.rejected
    assert results[-1].inserted == 0
    assert dump(once) == dump(twice)

    # Rejected are exactly the rows no phone column gives a valid number for, each
    # once, in file order, with every original cell and a reason.
    unusable = [list(row) for row in rows if not valid_phones(row)]
    first = results[0]
    assert first.rejected == len(unusable)
    if unusable:
        assert first.rejects_file is not None
        with Path(first.rejects_file).open(encoding="utf-8-sig", newline="") as handle:
            header, *rejected = list(csv.reader(handle, delimiter=delimiter))
        assert header == [*HEADER, "reject_reason"]
        assert [[unneutralised(cell) for cell in row[:-1]] for row in rejected] == unusable
        assert all(row[-1].strip() for row in rejected)
    else:
        assert first.rejects_file is None

    # Every usable row is somebody: one of its valid numbers is a contact's phone.
    kept = {e164 for (e164,) in backend.rows(once, "SELECT e164 FROM contact_phones")}
    for row in rows:
        phones = valid_phones(row)
        assert not phones or phones & kept, row
    # A contact any of whose numbers is on the DNC list is DNC as a whole.
    offered = backend.scalar(
        once,
        """SELECT count(*) FROM contacts c WHERE c.dnc = 0 AND EXISTS (
               SELECT 1 FROM contact_phones p JOIN dnc_numbers d ON d.phone = p.e164
               WHERE p.contact_id = c.id)""",
    )
    assert offered == 0
    assert backend.scalar(once, "SELECT count(*) FROM contacts") == first.inserted
