"""Running the real CLI on the vendor-style lists of tests/data/vendors (see its README)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from prospector.cli import cli
from tests import backend
from tests.conftest import MONDAY_10_ET

VENDORS = Path(__file__).parent / "data" / "vendors"
AT = ("--at", MONDAY_10_ET.isoformat())
LATER = ("--at", MONDAY_10_ET.replace(day=25).isoformat())

# Every table an import writes (import_batches records each run, so it is left out).
IMPORT_TABLES = ("contacts", "contact_phones", "accounts", "locales", "dnc_numbers")

PHONE_FIELDS = frozenset({"phone", "direct_phone", "mobile_phone", "other_phone", "company_phone"})

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A phone number's characters only (an extension at most): no formula can be spelled
# with them, so a phone cell like "+1 305-555-0101" may stay as it is.
PHONE_TEXT = re.compile(r"[0-9 ().+\-/]*(?: *(?:ext\.?|x|#) *[0-9]+)?", re.IGNORECASE)


@dataclass(frozen=True)
class ListFile:
    """How a fixture list is written, so a test can read it back as the vendor wrote it."""

    name: str
    encoding: str
    delimiter: str

    def rows(self) -> tuple[list[str], list[list[str]]]:
        """The header and the data rows (a report's footer lines are not data)."""
        with (VENDORS / self.name).open(encoding=self.encoding, newline="") as handle:
            header, *rows = list(csv.reader(handle, delimiter=self.delimiter))
        return header, [row for row in rows if len(row) == len(header)]


APOLLO = ListFile("apollo_people.csv", "utf-8", ",")
APOLLO_AGAIN = ListFile("apollo_people_again.csv", "utf-8", ",")
ZOOMINFO = ListFile("zoominfo_contacts.csv", "utf-8", ",")
SALESFORCE = ListFile("salesforce_leads_report.csv", "utf-8", ",")
HUBSPOT = ListFile("hubspot_contacts.csv", "utf-8", ",")
COGNISM = ListFile("cognism_europe.csv", "cp1252", ";")
UNICODE_TEXT = ListFile("excel_unicode_text.txt", "utf-16", "\t")
GERMAN = ListFile("crm_contacts_de.csv", "cp1252", ";")
FRENCH = ListFile("crm_contacts_fr.csv", "cp1252", ";")
SPANISH = ListFile("crm_contacts_es.csv", "cp1252", ";")
LISTS = (APOLLO, ZOOMINFO, SALESFORCE, HUBSPOT, COGNISM, UNICODE_TEXT, GERMAN, FRENCH, SPANISH)


class Workspace:
    """A team database made by ``prospector init`` in a temporary folder, and the CLI on it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db_path = folder / "team.db"
        self.runner = CliRunner()
        result = self.run("init")
        assert result.exit_code == 0, result.output

    def run(self, *args: str) -> Result:
        return self.runner.invoke(
            cli, ["--db", str(self.db_path), "--rep", "alice", *args], catch_exceptions=False
        )

    def json(self, *args: str) -> dict:
        result = self.run(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    def copy(self, name: str) -> Path:
        """The fixture list copied here: its rejects file is written beside it."""
        target = self.folder / name
        shutil.copyfile(VENDORS / name, target)
        return target

    def import_list(self, path: Path, *extra: str, at: tuple[str, str] = AT) -> dict:
        return self.json("import", str(path), *at, *extra)

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        return backend.rows(self.db_path, sql, params)

    def dump(self) -> dict[str, list[tuple]]:
        return {table: self.rows(f"SELECT * FROM {table} ORDER BY 1, 2") for table in IMPORT_TABLES}

    def contact_id(self, email: str, first_name: str | None = None) -> int:
        sql = "SELECT id FROM contacts WHERE email = ?"
        params: tuple = (email,)
        if first_name is not None:
            sql += " AND first_name = ?"
            params += (first_name,)
        found = self.rows(sql, params)
        assert len(found) == 1, f"{email} {first_name}: {len(found)} contacts"
        return int(found[0][0])

    def card(self, email: str, first_name: str | None = None) -> dict:
        return self.json("show", str(self.contact_id(email, first_name)), *AT)


def read_rejects(path: Path, encoding: str, delimiter: str) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding=encoding, newline="") as handle:
        header, *rows = list(csv.reader(handle, delimiter=delimiter))
    return header, rows


def spreadsheet_safe(cell: str) -> bool:
    """Opening the cell in a spreadsheet cannot run a formula."""
    return not cell.startswith(FORMULA_START) or bool(PHONE_TEXT.fullmatch(cell))


def unneutralised(cell: str) -> str:
    """A rejects-file cell as the input had it: one guarding ``'`` before a formula removed."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell
