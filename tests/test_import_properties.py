"""Invariants of importing, over generated files (hypothesis)."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospector.foundations.db import open_database
from prospector.services.dnc import add_dnc
from prospector.services.importing import import_file
from tests.conftest import MONDAY_10_ET

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
TABLES = ("contacts", "accounts", "locales", "dnc_numbers", "audit_log")


def dump(db_path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db_path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}
    finally:
        conn.close()


def write_csv(path: Path, rows: list[tuple[str, ...]], delimiter: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW, min_size=1, max_size=12), delimiter=st.sampled_from([",", ";", "\t"]),
       dnc=st.lists(st.sampled_from([*PHONES[:4], PHONES[6], PHONES[8]]), max_size=3))  # fmt: skip
def test_importing_twice_equals_importing_once(tmp_path_factory, rows, delimiter, dnc):
    folder = tmp_path_factory.mktemp("p")
    path = folder / "gen.csv"
    write_csv(path, rows, delimiter)
    once, twice = folder / "once.db", folder / "twice.db"
    for target, runs in ((once, 1), (twice, 2)):
        with open_database(target) as db:
            if dnc:
                add_dnc(db, dnc, actor="t", now=MONDAY_10_ET)
            for run in range(runs):
                # The second run is later: nothing may change, not even updated_at.
                result = import_file(db, path, now=LATER if run else MONDAY_10_ET, rep="t")
                assert result.read == result.inserted + result.updated + result.rejected
                if run:
                    assert result.inserted == 0
    assert dump(once) == dump(twice)
    # A DNC number never leaves the DNC state through import.
    conn = sqlite3.connect(twice)
    bad = conn.execute(
        "SELECT count(*) FROM contacts WHERE phone IN (SELECT phone FROM dnc_numbers) AND dnc = 0"
    ).fetchone()[0]
    conn.close()
    assert bad == 0
