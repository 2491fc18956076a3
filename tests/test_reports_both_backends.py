"""Every report over the demo team, as JSON, equals one stored answer on both backends.

The demo list has many sources, tiers, industries and lists, so ties in every
ordering show up; a morning of calls by three reps (connects, a meeting set, a
callback) fills the call summaries. The answer in ``tests/data/reports_demo.json``
was written on SQLite and is read on PostgreSQL: the same figures in the same order.
Write it again after a deliberate change with ``PROSPECTOR_UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from prospector.cli import cli
from tests.cli_checks import AT

GOLDEN = Path(__file__).parent / "data" / "reports_demo.json"
START = datetime.fromisoformat(AT)
PLAN = [  # rep, contact, disposition, minutes after AT, talk seconds, extra options
    ("alice", "7", "no_answer", 5, 0, ()),
    ("bob", "10", "voicemail", 7, 0, ()),
    ("carol", "12", "gatekeeper", 11, 40, ()),
    ("alice", "14", "not_interested", 20, 95, ()),
    ("bob", "16", "busy", 31, 0, ()),
    ("carol", "18", "callback", 44, 120, ("--callback", "tomorrow 10am")),
    # Thanksgiving: the outside rep keeps the meeting the prospect asked for.
    ("alice", "20", "meeting_set", 62, 600, ("--meeting", "in 3 days", "--amount", "9000",
                                              "--anyway")),
    ("bob", "22", "no_answer", 75, 0, ()),
    ("carol", "7", "voicemail", 130, 0, ()),
]  # fmt: skip
REPORTS = [
    ["daily"],
    ["daily", "--date", "this month"],
    ["funnel", "--date", "this month"],
    ["funnel", "--date", "this month", "--by", "source"],
    ["sla", "--date", "this month"],
    ["attempts", "--date", "this month"],
    ["segments", "--date", "this month"],
    ["pipeline", "--date", "this quarter"],
    ["sources", "--date", "this quarter"],
]


def test_every_report_is_the_same_on_both_backends(team_copy) -> None:
    def run(*args: str, rep: str = "alice", at: str = AT):
        result = CliRunner().invoke(cli, ["--db", str(team_copy), "--rep", rep, "--at", at, *args])
        assert result.exit_code == 0, (args, result.output, result.stderr)
        return result.output

    for rep, contact, disposition, minutes, seconds, extra in PLAN:
        at = (START + timedelta(minutes=minutes)).isoformat()
        run("log", contact, disposition, "--duration", str(seconds), *extra, rep=rep, at=at)
    later = (START + timedelta(hours=4)).isoformat()
    answers = {
        " ".join(args): json.loads(run("report", *args, "--json", at=later)) for args in REPORTS
    }
    if os.environ.get("PROSPECTOR_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(answers, indent=1, ensure_ascii=False) + "\n", "utf-8")
    assert answers == json.loads(GOLDEN.read_text("utf-8"))
