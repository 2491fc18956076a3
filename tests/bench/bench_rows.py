"""Normalizing rows (the import's hot loop) on one core: one-phone and three-phone rows.

Generates the import benchmark's rows (``bench_import.generate``), then times
``normalize_chunk`` over them as they are, and again with a mobile and a company
switchboard column added (the switchboard shared by a company's contacts, as in
vendors' exports). CPU time, best of five.

    python -m tests.bench.bench_rows [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from pathlib import Path

from prospector.services.importing import rows as row_rules
from prospector.services.importing.profiles import ProfileKeys
from prospector.services.importing.rows import RowRules
from prospector.services.settings import default_settings
from tests.bench.bench_import import generate

MOBILE_AREAS = (212, 305, 415, 512, 617, 702, 303, 206)


# The benchmark file's headers and the fields they are (fixed here: the header
# table is not what this measures).
FIELD_OF = {
    "First Name": "first_name", "Last Name": "last_name", "Title": "title",
    "Company": "company", "Website": "website", "Email": "email", "Phone": "phone",
    "Industry": "industry", "Employees": "employees", "State": "state",
    "Country": "country", "Source": "source", "Mobile Phone": "mobile_phone",
    "Company Phone": "company_phone",
}  # fmt: skip


def columns_of(header: list[str]) -> dict[str, list[int]]:
    columns: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        columns.setdefault(FIELD_OF[name], []).append(index)
    return columns


def best_time(rules: RowRules, rows: list[tuple[int, list[str]]]) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for index in range(0, len(rows), 5000):
            row_rules.normalize_chunk(rules, rows[index : index + 5000])
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    count = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.csv"
        generate(path, count)
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            rows = list(enumerate(reader, start=2))
    keys = ProfileKeys(default_settings())
    rng = random.Random(2)
    company = header.index("Company")
    switchboards: dict[str, str] = {}
    three = []
    for number, fields in rows:
        mobile = f"+1 {rng.choice(MOBILE_AREAS)} {rng.randint(200, 999)} {rng.randint(0, 9999):04d}"
        board = switchboards.setdefault(
            fields[company], f"(617) 555-{len(switchboards) % 10000:04d}"
        )
        three.append((number, [*fields, mobile, board]))
    wide = [*header, "Mobile Phone", "Company Phone"]
    row_rules.warm_up()
    for label, head, data in (("one phone", header, rows), ("three phones", wide, three)):
        rules = RowRules(
            columns=columns_of(head),
            width=len(head),
            default_region="US",
            keys=keys,
            headers=tuple(head),
            team_zone="America/New_York",
        )
        seconds = best_time(rules, data)
        print(f"  {label:<14} {seconds:6.2f} s CPU for {len(data)} rows: "
              f"{seconds / len(data) * 1e6:5.1f} µs a row")  # fmt: skip


if __name__ == "__main__":
    main()
