"""Import 1,000,000 contact rows against a plain ``sqlite-utils insert`` of the same file.

The file is a vendor-style list (issue 12): besides a phone on every row, a Mobile
Phone on ~40% of rows, a Company Phone (the company's switchboard, shared by its
rows) on ~30%, a ZIP/postal code on ~50%, an extension on ~5%, and a few junk
cells (``n/a`` direct dials with a mobile to fall back on, Excel-shortened mobiles).

Prints (a) ``sqlite-utils insert --csv --no-detect-types`` into a fresh db (only
copies text, in one process), (b) a bare phonenumbers parse + validate + E.164 +
zones loop over the first phone column, (c) ``prospector init`` + ``import`` into a
fresh db, the import's rows/s and peak RSS, and (c)/(a): target <= 1.0.

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
import zipcodes
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
HEADER = ["First Name", "Last Name", "Title", "Company", "Website", "Email", "Phone", "Ext",
          "Mobile Phone", "Company Phone", "Industry", "Employees", "State", "Zip", "Country",
          "Source"]  # fmt: skip
# Canadian postal codes: the province's first letter and a real forward sortation area.
POSTAL_AREAS = {"ON": ["M5V", "K1P", "L8P"], "QC": ["H2X", "G1R"], "BC": ["V6B", "V8W"],
                "AB": ["T2P", "T5J"], "MB": ["R3C"], "SK": ["S4P"], "NS": ["B3H"],
                "NB": ["E1C"], "NL": ["A1C"]}  # fmt: skip
SHARE_MOBILE, SHARE_COMPANY_PHONE, SHARE_ZIP, SHARE_EXT = 0.40, 0.30, 0.50, 0.05
SHARE_JUNK = 0.01  # of rows: a junk direct dial (with a mobile), or a shortened mobile


def zip_codes(states: list[str]) -> dict[str, list[str]]:
    """A few real ZIP codes of each state, so a ZIP agrees with its row's state."""
    found: dict[str, list[str]] = {state: [] for state in states}
    for place in zipcodes.list_all():
        codes = found.get(place["state"])
        if codes is not None and len(codes) < 40 and place["zip_code_type"] == "STANDARD":
            codes.append(place["zip_code"])
    return found


def generate(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    places = [("US", s, codes) for s, codes in AREA_CODES.items()]
    places += [("CA", p, codes) for p, codes in PROVINCES.items()]
    zips = zip_codes(list(AREA_CODES))
    seen: set[str] = set()

    def new_number(codes: list[int]) -> str:
        while True:
            number = f"{rng.choice(codes)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
            if number not in seen:
                seen.add(number)
                return number

    def shown(number: str) -> str:
        return f"({number[:3]}) {number[3:6]}-{number[6:]}"

    # Real lists repeat a company's industry, size and switchboard on each of its rows.
    companies = []
    for _ in range(rows // 8 + 1):
        _country, _state, codes = rng.choice(places)
        switchboard = shown(new_number(codes)) if rng.random() < SHARE_COMPANY_PHONE else ""
        size = rng.choice(["5", "25", "50-200", "350", "1,200"])
        companies.append((rng.choice(INDUSTRIES), size, switchboard))
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for written in range(rows):
            country, state, codes = rng.choice(places)
            phone = shown(new_number(codes))
            extension = str(rng.randint(2, 4999)) if rng.random() < SHARE_EXT else ""
            mobile = shown(new_number(codes)) if rng.random() < SHARE_MOBILE else ""
            if mobile and rng.random() < SHARE_JUNK / SHARE_MOBILE / 2:
                phone = rng.choice(["n/a", "TBD", "-"])
            elif mobile and rng.random() < SHARE_JUNK / SHARE_MOBILE / 2:
                mobile = f"{rng.uniform(1.2, 9.9):.5f}E+09"
            postal = ""
            if rng.random() < SHARE_ZIP:
                if country == "US":
                    postal = rng.choice(zips[state])
                else:
                    postal = (
                        f"{rng.choice(POSTAL_AREAS[state])} {rng.randint(1, 9)}A{rng.randint(1, 9)}"
                    )
            number = rng.randint(1, rows // 8)
            company = f"Company {number}"
            industry, size, switchboard = companies[number]
            domain = company.lower().replace(" ", "") + ".example"
            first, last = f"First{written}", f"Last{rng.randint(1, 5000)}"
            writer.writerow([
                first, last, rng.choice(TITLES), company, f"https://www.{domain}",
                f"{first.lower()}@{domain}", phone, extension, mobile, switchboard,
                industry, size, state if rng.random() < 0.8 else "", postal, country,
                rng.choice(SOURCES),
            ])  # fmt: skip
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
        try:
            number = phonenumbers.parse(text, "US")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            phone_timezone.time_zones_for_number(number)
    elapsed = time.perf_counter() - start
    print(f"  {'(b) bare phonenumbers loop (one core)':<48} {elapsed:8.2f} s", flush=True)
    return elapsed


# Runs a command and prints the peak resident set of its processes: the largest one
# of the command and of the worker processes it waited for (ru_maxrss is a maximum
# over processes, not a sum; kilobytes on Linux, bytes on macOS).
PEAK_RSS_PROBE = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


def import_run(path: Path, db: str, rows: int) -> float:
    """``prospector init`` then ``import``, timed together; prints rows/s and peak RSS."""
    start = time.perf_counter()
    subprocess.run([str(BIN / "prospector"), "--db", db, "init"], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    begun = time.perf_counter()
    probe = subprocess.run(
        [sys.executable, "-c", PEAK_RSS_PROBE, str(BIN / "prospector"), "--db", db,
         "import", str(path)],
        check=True, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    end = time.perf_counter()
    peak = int(probe.stdout.split()[-1]) / (1024 * 1024 if sys.platform == "darwin" else 1024)
    print(f"  {'(c) prospector init + import':<48} {end - start:8.2f} s", flush=True)
    print(
        f"      import: {rows / (end - begun):,.0f} rows/s, peak RSS {peak:,.0f} MB"
        " (largest process: the importer or one of its workers; getrusage RUSAGE_CHILDREN)",
        flush=True,
    )
    return end - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    rows = parser.parse_args().rows
    DATA.mkdir(exist_ok=True)
    # v3: vendor-style columns (mobile, switchboard, ZIP, extension, junk cells)
    path = DATA / f"contacts_v3_{rows}.csv"
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
        print(
            "      (one process; disk- and CPU-bound as it is: no tuning, no indexes)",
            flush=True,
        )
        bare = phonenumbers_loop(path)
        # init creates the file, as sqlite-utils insert does within its own time.
        ours = import_run(path, f"{tmp}/ours.db", rows)
    print(f"  (b)/(a) = {bare / copy:.2f}   (c)/(a) = {ours / copy:.2f}   (target: (c)/(a) <= 1.0)")


if __name__ == "__main__":
    main()
