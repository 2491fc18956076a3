"""Import 1,000,000 contact rows against a plain ``sqlite-utils insert`` of the same file.

Prints (a) ``sqlite-utils insert --csv --no-detect-types`` into a fresh db (only
copies text), (b) a bare phonenumbers parse + validate + E.164 + zones loop over
the numbers, (c) ``prospector import`` into a fresh db, and (c)/(a): target <= 1.0.

    python -m tests.bench.bench_import [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import phonenumbers
from phonenumbers import timezone as phone_timezone

DATA = Path(__file__).parent / ".data"
BIN = Path(sys.executable).parent

# Real area codes by state/province, so numbers spread over every North American zone.
AREA_CODES = {
    "NY": [212, 315, 516, 518, 585, 607, 631, 716, 718, 845, 914],
    "MA": [339, 413, 508, 617, 781, 978], "PA": [215, 267, 412, 484, 570, 610, 717, 724, 814],
    "FL": [239, 305, 321, 352, 386, 407, 561, 727, 772, 813, 850, 904, 941, 954],
    "GA": [229, 404, 470, 478, 678, 706, 770, 912], "OH": [216, 330, 419, 440, 513, 614, 937],
    "IL": [217, 224, 309, 312, 618, 630, 708, 773, 815, 847], "TX": [210, 214, 254, 281, 325,
    361, 409, 432, 512, 713, 806, 817, 830, 903, 915, 940, 956, 972, 979],
    "MN": [218, 320, 507, 612, 651, 763, 952], "TN": [423, 615, 731, 865, 901, 931],
    "IN": [219, 260, 317, 574, 765, 812], "KY": [270, 502, 606, 859], "ND": [701],
    "SD": [605], "NE": [308, 402], "KS": [316, 620, 785, 913], "CO": [303, 719, 720, 970],
    "UT": [385, 435, 801], "NM": [505, 575], "MT": [406], "WY": [307], "AZ": [480, 520, 602,
    623, 928], "ID": [208], "CA": [209, 213, 310, 323, 408, 415, 510, 530, 559, 619, 626, 650,
    661, 707, 714, 760, 805, 818, 831, 858, 909, 916, 925, 949, 951], "OR": [458, 503, 541, 971],
    "WA": [206, 253, 360, 425, 509], "NV": [702, 775], "AK": [907], "HI": [808],
    "MI": [231, 248, 269, 313, 517, 586, 616, 734, 810, 906, 989],
}  # fmt: skip
PROVINCES = {"ON": [416, 519, 613, 647, 705, 905], "QC": [418, 450, 514, 819],
             "BC": [250, 604, 778], "AB": [403, 587, 780], "MB": [204], "SK": [306],
             "NS": [902], "NB": [506], "NL": [709]}  # fmt: skip
INDUSTRIES = ["Software", "Manufacturing", "Healthcare", "Financial Services", "eCommerce",
              "Logistics", "Education", "Retail", "Construction", "Insurance"]  # fmt: skip
TITLES = ["VP Sales", "Director of Operations", "CFO", "IT Manager", "Office Manager",
          "Head of Procurement", "CEO", "Controller", "Sales Intern", "COO"]  # fmt: skip
SOURCES = ["inbound", "webinar", "list", "purchased"]
HEADER = ["First Name", "Last Name", "Title", "Company", "Website", "Email", "Phone",
          "Industry", "Employees", "State", "Country", "Source"]  # fmt: skip


def generate(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    places = [("US", s, codes) for s, codes in AREA_CODES.items()]
    places += [("CA", p, codes) for p, codes in PROVINCES.items()]
    # Real lists repeat a company's industry and size on each of its rows.
    companies = [
        (rng.choice(INDUSTRIES), rng.choice(["5", "25", "50-200", "350", "1,200"]))
        for _ in range(rows // 8 + 1)
    ]
    seen: set[str] = set()
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        written = 0
        while written < rows:
            country, state, codes = rng.choice(places)
            phone = f"{rng.choice(codes)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
            if phone in seen:
                continue
            seen.add(phone)
            number = rng.randint(1, rows // 8)
            company = f"Company {number}"
            industry, size = companies[number]
            domain = company.lower().replace(" ", "") + ".example"
            first, last = f"First{written}", f"Last{rng.randint(1, 5000)}"
            writer.writerow([
                first, last, rng.choice(TITLES), company, f"https://www.{domain}",
                f"{first.lower()}@{domain}", f"({phone[:3]}) {phone[3:6]}-{phone[6:]}",
                industry, size,
                state if rng.random() < 0.8 else "", country, rng.choice(SOURCES),
            ])  # fmt: skip
            written += 1
    tmp.replace(path)


def timed(label: str, *commands: list[str]) -> float:
    """Seconds the commands take, one after the other."""
    start = time.perf_counter()
    for command in commands:
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    print(f"  {label:<48} {elapsed:8.2f} s", flush=True)
    return elapsed


def phonenumbers_loop(path: Path) -> float:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        column = next(reader).index("Phone")
        numbers = [row[column] for row in reader]
    start = time.perf_counter()
    for text in numbers:
        number = phonenumbers.parse(text, "US")
        if phonenumbers.is_valid_number(number):
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            phone_timezone.time_zones_for_number(number)
    elapsed = time.perf_counter() - start
    print(f"  {'(b) bare phonenumbers loop (one core)':<48} {elapsed:8.2f} s", flush=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    rows = parser.parse_args().rows
    DATA.mkdir(exist_ok=True)
    path = DATA / f"contacts_v2_{rows}.csv"  # v2: steady company facts
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        generate(path, rows)
    print(f"import of {rows:,} contact rows ({path.stat().st_size / 1e6:.0f} MB)")
    with tempfile.TemporaryDirectory() as tmp:
        copy = timed(
            "(a) sqlite-utils insert --csv --no-detect-types",
            [str(BIN / "sqlite-utils"), "insert", f"{tmp}/copy.db", "contacts", str(path),
             "--csv", "--no-detect-types"],
        )  # fmt: skip
        bare = phonenumbers_loop(path)
        # init creates the file, as sqlite-utils insert does within its own time.
        ours = timed(
            "(c) prospector init + import",
            [str(BIN / "prospector"), "--db", f"{tmp}/ours.db", "init"],
            [str(BIN / "prospector"), "--db", f"{tmp}/ours.db", "import", str(path)],
        )
    print(f"  (b)/(a) = {bare / copy:.2f}   (c)/(a) = {ours / copy:.2f}   (target: (c)/(a) <= 1.0)")


if __name__ == "__main__":
    main()
