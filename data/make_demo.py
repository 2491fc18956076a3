"""Generate the demo lists: ``python data/make_demo.py`` (deterministic; the files are committed).

Writes ``prospector/data/demo_accounts_contacts.csv`` and ``demo_dnc.txt``, the package
data that ``prospector demo`` builds its database from.

Fictional people and companies (``.example`` domains). Numbers use real area codes
with random exchanges (the 555-01xx fictional range is not a valid number), UK
numbers use Ofcom's drama ranges (020 7946 0xxx; 07700 900xxx, which phonenumbers
rejects, appears only among the deliberately bad rows).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

# Package data: the one copy, shipped in the wheel and read with importlib.resources.
OUT = Path(__file__).resolve().parents[1] / "prospector" / "data"
ROWS = 300
PLACES = [
    # (state or province, country, area codes): every US zone, split-zone states, Canada
    ("NY", "US", [212, 315, 518, 716]), ("MA", "US", [617, 508]), ("GA", "US", [404, 678]),
    ("FL", "US", [305, 407, 850]), ("IL", "US", [312, 773]), ("TX", "US", [214, 512, 915]),
    ("TN", "US", [615, 865]), ("IN", "US", [317, 219]), ("KY", "US", [502, 270]),
    ("ND", "US", [701]), ("NE", "US", [402, 308]), ("KS", "US", [316, 785]),
    ("CO", "US", [303, 720]), ("AZ", "US", [602, 480]), ("UT", "US", [801]),
    ("ID", "US", [208]), ("OR", "US", [503, 541]), ("CA", "US", [415, 213, 619]),
    ("WA", "US", [206, 425]), ("NV", "US", [702]), ("AK", "US", [907]), ("HI", "US", [808]),
    ("MI", "US", [313, 906]), ("ON", "CA", [416, 613]), ("QC", "CA", [514, 418]),
    ("BC", "CA", [604, 250]), ("AB", "CA", [403, 780]), ("NS", "CA", [902]),
]  # fmt: skip
FIRST = "Ava Ben Chloe Dev Elena Farid Grace Hiro Isla Jonah Kira Liam Maya Noor Omar Priya Quinn Rosa Sam Tara Uma Victor Wes Xena Yusuf Zoe".split()  # noqa: E501
LAST = "Adler Brooks Castillo Dufresne Ellison Fong Garber Halvorsen Iqbal Jensen Kowalski Lindqvist Moreau Nakamura Okafor Petrov Quintero Rasmussen Sandoval Tanaka Underwood Varga Whitaker Yilmaz Zeller".split()  # noqa: E501
TITLES = ["VP Sales", "Director of Operations", "CFO", "IT Manager", "Office Manager",
          "Head of Procurement", "CEO", "Controller", "COO", "Sales Intern",
          "Marketing Director", "Facilities Manager"]  # fmt: skip
INDUSTRIES = ["Software", "Manufacturing", "Healthcare", "Financial Services", "Logistics",
              "Education", "Construction", "Insurance", "eCommerce"]  # fmt: skip
SIZES = ["5", "8", "25", "50-200", "120", "350", "1,200", "5000", "200-500"]
SOURCES = ["inbound", "webinar", "list", "purchased"]
WORDS = "Acme Birch Cobalt Delta Ember Fjord Granite Harbor Ionic Juniper Kestrel Lumen Meridian Northwind Orchid Pinnacle Quarry Redwood Summit Tidewater Umber Vantage Willow Zephyr".split()  # noqa: E501
KINDS = ["Labs", "Logistics", "Health", "Partners", "Systems", "Works", "Foods", "Analytics"]
SUFFIXES = ["Inc.", "LLC", "Corp", "Ltd", ""]
HEADER = ["First Name", "Last Name", "Title", "Company", "Website", "Email", "Phone",
          "Industry", "Employees", "State", "Country", "Lead Source"]  # fmt: skip


def companies(rng: random.Random) -> list[dict[str, str]]:
    found = []
    for word in WORDS:
        for kind in rng.sample(KINDS, 3):
            name = f"{word} {kind}"
            found.append({
                "name": f"{name} {rng.choice(SUFFIXES)}".strip(),
                "domain": f"{word.lower()}{kind.lower()}.example",
                "industry": rng.choice(INDUSTRIES),
                "size": rng.choice(SIZES),
            })  # fmt: skip
    return found


def main() -> None:
    rng = random.Random(20261123)
    firms = companies(rng)
    rows = []
    used: set[str] = set()
    while len(rows) < ROWS:
        firm = rng.choice(firms)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if rng.random() < 0.08:
            state, country = "", "GB"
            phone = f"+44 20 7946 0{rng.randint(0, 999):03d}"
        else:
            state, country, codes = rng.choice(PLACES)
            area = rng.choice(codes)
            phone = f"({area}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"
            if rng.random() < 0.3:
                phone = f"+1 {area}-{phone[6:]}"
        if phone in used:
            continue
        used.add(phone)
        rows.append([
            first, last, rng.choice(TITLES), firm["name"], f"https://www.{firm['domain']}",
            f"{first.lower()}.{last.lower()}@{firm['domain']}", phone, firm["industry"],
            firm["size"], state, country, rng.choice(SOURCES),
        ])  # fmt: skip
    bad = [
        ["Nadia", "Nophone", "CEO", "Acme Labs", "", "nadia@acmelabs.example", "", "Software",
         "50", "NY", "US", "list"],
        ["Otto", "Short", "CFO", "Birch Works", "", "", "555-0123", "Software", "120", "CA",
         "US", "list"],
        ["Pia", "Drama", "VP Sales", "Cobalt Foods", "", "", "07700 900123", "Healthcare", "80",
         "", "GB", "purchased"],
        ["Raj", "Letters", "CTO", "Delta Health", "", "", "call me maybe", "Healthcare", "300",
         "TX", "US", "inbound"],
    ]  # fmt: skip
    for index, row in enumerate(bad):
        rows.insert(40 + index * 60, row)
    with (OUT / "demo_accounts_contacts.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    dnc = [row[6] for row in rows if row[6] and row[6][0] in "(+"][5:300:37]
    (OUT / "demo_dnc.txt").write_text("\n".join(dnc) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
