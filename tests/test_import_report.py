"""The import's report: warnings with their file lines, the toll-free count, --json keys."""

from __future__ import annotations

import json

from prospector.cli.importing import report_lines
from tests import backend
from tests.conftest import MONDAY_10_ET

AT = ["--at", MONDAY_10_ET.isoformat()]
NAMES = ["Ann", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ida", "Jo", "Kai", "Lu"]


def shared_mailbox_file(tmp_path):
    lines = ["First Name,Email,Phone"] + [
        f"{name},info@acme.example,(212) 555-01{10 + n}" for n, name in enumerate(NAMES)
    ]
    path = tmp_path / "team.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_json_lists_every_warning_and_the_terminal_the_first_ten(tmp_path, run, db_path):
    path = shared_mailbox_file(tmp_path)
    dry = run("import", str(path), "--dry-run", "--json", *AT)
    assert dry.exit_code == 0, dry.output
    data = json.loads(dry.output)
    # DESIGN §5's keys first and unchanged; then the report's.
    assert list(data)[:7] == ["read", "inserted", "updated", "rejected", "filtered", "dnc",
                              "rejects_file"]  # fmt: skip
    assert {"toll_free", "warnings"} <= data.keys()
    assert (data["read"], data["inserted"], data["toll_free"]) == (12, 12, 0)
    assert data["warnings"] == [
        f"line {n + 2}: shared mailbox info@acme.example: a new contact, not Ann (#1)"
        for n in range(1, 12)
    ]
    result = run("import", str(path), *AT)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == "11 warning(s):"
    assert lines[2] == "  line 3: shared mailbox info@acme.example: a new contact, not Ann (#1)"
    assert lines[11].startswith("  line 12: ")
    assert lines[12] == "  … and 1 more (--json lists all)"
    assert len(lines) == 13
    assert backend.rows(db_path, "SELECT warnings, toll_free FROM import_batches") == [(11, 0)]
    assert backend.scalar(db_path, "SELECT count(*) FROM contacts") == 12
    # Again: every row finds its own person by phone; nothing to warn about.
    again = run("import", str(path), "--json", *AT)
    assert json.loads(again.output)["warnings"] == []


def test_report_lines():
    assert report_lines(0, ()) == []
    assert report_lines(2, ("line 4: x",)) == [
        "2 toll-free or non-geographic number(s) dialled: zones from the address, else the team's",
        "1 warning(s):",
        "  line 4: x",
    ]
    many = tuple(f"line {n}: w" for n in range(2, 14))
    shown = report_lines(0, many)
    assert shown[0] == "12 warning(s):"
    assert shown[1:11] == [f"  line {n}: w" for n in range(2, 12)]
    assert shown[11:] == ["  … and 2 more (--json lists all)"]
