"""handoffs ack under the team's CRM settings: the export's own words read back as open,
the configured External ID field is the id column, and the team's answer words are checked.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from prospector.foundations.crm_words import answer_words
from prospector.foundations.db import database_id
from prospector.foundations.errors import SettingsError
from prospector.services import handoffs
from prospector.services.export import export_pending
from prospector.services.settings import DEFAULTS_FILE, parse_settings
from tests.conftest import MONDAY_10_ET
from tests.handoff_factories import make_contact

AT = "2026-11-30T15:00:00Z"
CUSTOM_PIPELINE = """
[crm.hubspot]
pipeline = "75512345"
stages = ["75512346", "75512347", "75512348"]
stage_qualified = "75512346"
stage_meeting = "75512347"
"""


def settings_text(extra: str) -> str:
    return DEFAULTS_FILE.read_text(encoding="utf-8") + "\n" + extra


def load(run, tmp_path: Path, extra: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(settings_text(extra), encoding="utf-8")
    result = run("settings", "load", str(path))
    assert result.exit_code == 0, result.output


def exported(db, tmp_path: Path, fmt: str) -> list[Path]:
    """Two handoffs, one with a meeting, exported in ``fmt``: the files written."""
    for meeting in ("2026-12-01 14:00", None):
        handoffs.qualify(db, make_contact(db), rep="alice", now=MONDAY_10_ET, meeting_at=meeting)
    result = export_pending(
        db, now=MONDAY_10_ET, actor="lead", out_dir=tmp_path / "out", format=fmt
    )
    return [Path(file) for file in result.files]


def statuses(db) -> list[tuple[str, str | None]]:
    return [(row["status"], row["crm_status"]) for row in db.query("SELECT * FROM handoffs")]


@pytest.mark.parametrize(
    ("fmt", "extra", "file_ends"),
    [
        ("hubspot", "", "hubspot.csv"),
        ("hubspot", CUSTOM_PIPELINE, "hubspot.csv"),
        ("salesforce-leads", "", "leads.csv"),
        ("salesforce", "", "opportunities.csv"),
        (
            "salesforce",
            '[crm.salesforce.picklists]\nstage_name = ["Discovery", "Demo", "Won", "Lost"]\n'
            '[crm.salesforce.stage_name]\nmeeting = "Demo"\nqualified = "Discovery"\n',
            "opportunities.csv",
        ),
        (
            "salesforce-leads",
            '[crm.salesforce]\nexternal_id_field = "Handoff_Key__c"\n'
            '[crm.salesforce.picklists]\nlead_status = ["Fresh", "Converted", "Dead"]\n'
            '[crm.salesforce.lead_status]\nmeeting = "Fresh"\nqualified = "Fresh"\n',
            "leads.csv",
        ),
    ],
)
def test_an_exported_file_acked_as_is_says_open(run, db, tmp_path, fmt, extra, file_ends):
    """What the export writes (a custom pipeline's stage ids, an org's own stages, its
    own External ID field) reads back as open: no verdict, and no unknown word."""
    load(run, tmp_path, extra)
    (file,) = [f for f in exported(db, tmp_path, fmt) if f.name.endswith(file_ends)]
    result = run("handoffs", "ack", str(file), "--at", AT)
    assert result.exit_code == 0, result.output
    assert "2 recorded (2 open)" in result.output
    assert statuses(db) == [("exported", "open")] * 2


@pytest.mark.parametrize("header", ["Handoff Key", "Handoff_Key__c", "HANDOFF KEY"])
def test_a_report_shows_the_configured_external_id_field(run, db, tmp_path, header):
    """[crm.salesforce] external_id_field = Handoff_Key__c: a Lead report shows the
    field by its label (Handoff Key) or, in a Data Loader extract, its API name."""
    load(run, tmp_path, '[crm.salesforce]\nexternal_id_field = "Handoff_Key__c"\n')
    exported(db, tmp_path, "salesforce-leads")
    ours = database_id(db)
    report = tmp_path / "report.csv"
    report.write_text(
        f'"First Name","Last Name","Lead Status","{header}"\r\n'
        f'"Jane","Doe","Closed - Converted","{ours}-h1"\r\n'
        f'"Jane","Doe","Closed - Not Converted","{ours}-h2"\r\n',
        encoding="utf-8",
    )
    result = run("handoffs", "ack", str(report), "--at", AT)
    assert result.exit_code == 0, result.output
    assert statuses(db) == [("accepted", "accepted"), ("rejected", "rejected")]


def test_without_the_setting_an_unknown_id_column_names_what_was_looked_for(run, db, tmp_path):
    load(run, tmp_path, '[crm.salesforce]\nexternal_id_field = "Handoff_Key__c"\n')
    report = tmp_path / "report.csv"
    report.write_text("Lead Status,Deal Key\nWorking,x-h1\n", encoding="utf-8")
    result = run("handoffs", "ack", str(report), "--at", AT)
    assert result.exit_code == 1
    assert "no handoff id column (expected Handoff_Key__c, Handoff Key, Prospector Id" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '[crm.salesforce.stage_name]\nmeeting = "Closed Won"\n',
            "crm.salesforce.stage_name.meeting = 'Closed Won': `handoffs ack` reads it as won",
        ),
        (
            '[crm.salesforce.lead_status]\nqualified = "Closed - Converted"\n',
            "crm.salesforce.lead_status.qualified = 'Closed - Converted':"
            " `handoffs ack` reads it as accepted",
        ),
        (  # the shipped default stage, made a verdict by the team's own words
            '[crm.answers.salesforce]\nQualification = "accepted"\n',
            "crm.salesforce.stage_name.meeting = 'Qualification': `handoffs ack` reads it as"
            " accepted",
        ),
        (
            '[crm.salesforce.stage_name]\nmeting = "Qualification"\n',
            "unknown key crm.salesforce.stage_name.meting (expected meeting or qualified",
        ),
        (
            '[crm.salesforce.lead_status]\nwebinar = "Open - Not Contacted"\n',
            "unknown key crm.salesforce.lead_status.webinar",
        ),
        (
            '[crm.hubspot]\nstage_meeting = "presentationscheduled"\n',
            "crm.hubspot.stage_meeting = 'presentationscheduled': `handoffs ack` reads it as"
            " accepted",
        ),
        (
            CUSTOM_PIPELINE + '[crm.answers.hubspot]\n"75512346" = "rejected"\n',
            "crm.hubspot.stage_qualified = '75512346': `handoffs ack` reads it as rejected",
        ),
    ],
)
def test_settings_whose_exports_would_read_back_as_a_verdict_are_refused(
    run, tmp_path, extra, message
):
    path = tmp_path / "settings.toml"
    path.write_text(settings_text(extra), encoding="utf-8")
    result = run("settings", "load", str(path))
    assert result.exit_code == 1
    assert message in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_team_may_say_an_exported_stage_is_open():
    """An org whose process calls the handoff's lead Qualified: the team says so."""
    settings = parse_settings(
        settings_text(
            '[crm.salesforce.lead_status]\nqualified = "Qualified"\n'
            '[crm.salesforce.picklists]\nlead_status = ["Open - Not Contacted", "Qualified"]\n'
            '[crm.answers.salesforce]\nQualified = "open"\n'
        )
    )
    assert settings.salesforce.lead_status["qualified"] == "Qualified"
    assert (
        answer_words("salesforce", {}, settings.crm_answers.by_crm).meaning("Qualified") == "open"
    )


# --- the team's answer words ----------------------------------------------------------


def test_a_crms_own_words_come_before_the_teams_words_for_any_crm(run, db, tmp_path):
    load(
        run,
        tmp_path,
        '[crm.answers]\n"Meeting Held" = "rejected"\n'
        '[crm.answers.hubspot]\n"Meeting Held" = "accepted"\n',
    )
    exported(db, tmp_path, "csv")
    ours = database_id(db)
    hubspot = tmp_path / "hubspot.csv"
    hubspot.write_text(f"Prospector handoff id,Deal Stage\n{ours}-h1,Meeting Held\n", "utf-8")
    salesforce = tmp_path / "salesforce.csv"
    salesforce.write_text(f"Prospector Id,Stage\n{ours}-h2,Meeting Held\n", "utf-8")
    assert run("handoffs", "ack", str(hubspot), "--at", AT).exit_code == 0
    assert run("handoffs", "ack", str(salesforce), "--at", AT).exit_code == 0
    assert statuses(db) == [("accepted", "accepted"), ("rejected", "rejected")]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '[crm.answers]\n"Meeting Held" = "accepted"\n"meeting-held" = "rejected"\n',
            "crm.answers.meeting-held: 'meeting-held' is the same word as 'Meeting Held'",
        ),
        (
            '[crm.answers.hubspot]\nclosedwon = "won"\n"Closed Won" = "won"\n',
            "crm.answers.hubspot.Closed Won: 'Closed Won' is the same word as 'closedwon'",
        ),
        ('[crm.answers]\n"--" = "open"\n', "crm.answers.--: '--' is not a word"),
        ('[crm.answers]\n"" = "open"\n', "crm.answers.: '' is not a word"),
        ('[crm.answers.salesforce]\n" " = "lost"\n', "crm.answers.salesforce. : ' ' is not a word"),
        (
            '[crm.salesforce.industry]\n"Oil & Gas" = "Energy"\n"oil gas" = "Energy"\n',
            "crm.salesforce.industry.oil gas: 'oil gas' is the same word as 'Oil & Gas'",
        ),
        ('[crm.salesforce.lead_source]\n"?" = "Web"\n', "crm.salesforce.lead_source.?: '?' is not"),
    ],
)
def test_answer_words_equal_after_folding_or_empty_are_refused(extra, message):
    with pytest.raises(SettingsError, match=re.escape(message)):
        parse_settings(settings_text(extra))


# --- columns --------------------------------------------------------------------------


@pytest.fixture
def ids(db, tmp_path):
    exported(db, tmp_path, "csv")
    ours = database_id(db)
    return f"{ours}-h1", f"{ours}-h2"


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        (
            "Prospector Id,Stage,Amount,Stage",
            "{1},Closed Won,100,Closed Lost",
            "row 1: two status columns, Stage (column 2) and Stage (column 4)",
        ),
        (
            "Lead Status,Prospector Id,Stage",
            "Working,{1},Closed Won",
            "row 1: two status columns, Lead Status (column 1) and Stage (column 3)",
        ),
        (
            "Prospector Id,Stage,Prospector handoff id",
            "{1},Closed Won,{2}",
            "row 1: two handoff id columns, Prospector Id (column 1) and"
            " Prospector handoff id (column 3)",
        ),
        (
            "handoff_id,Stage,handoff",
            "1,Closed Won,2",
            "row 1: two handoff id columns, handoff_id (column 1) and handoff (column 3)",
        ),
    ],
)
def test_two_columns_that_could_each_be_the_answer_are_refused(
    run, db, ids, tmp_path, header, row, message
):
    report = tmp_path / "two.csv"
    report.write_text(header + "\n" + row.format(*["", *ids]) + "\n", encoding="utf-8")
    result = run("handoffs", "ack", str(report), "--at", AT)
    assert result.exit_code == 1
    assert message in result.stderr, result.stderr
    assert statuses(db) == [("exported", None)] * 2


def test_an_external_id_column_wins_over_a_bare_number_one(db, ids, tmp_path):
    """Prospector's CSV names each handoff twice: its number and its external id."""
    report = tmp_path / "ours.csv"
    report.write_text(f"handoff_id,external_id,status\n1,{ids[0]},won\n2,{ids[1]},lost\n", "utf-8")
    result = handoffs.ack_handoffs(db, report, now=MONDAY_10_ET)
    assert result.by_status == {"won": 1, "lost": 1}


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_excel_sep_first_line_names_the_delimiter(run, db, ids, tmp_path, delimiter):
    """Excel writes (and reads) "sep=;" above the header; rows keep their file lines."""
    rows = [
        ["Prospector Id", "Stage", "Amount"],
        [ids[0], "Closed Won", "1.234,50"],
        [ids[1], "Closed Lost; no budget", ""],
    ]
    report = tmp_path / "excel.csv"
    with open(report, "w", newline="", encoding="cp1252") as handle:
        handle.write(f"sep={delimiter}\r\n")
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    result = run("handoffs", "ack", str(report), "--at", AT)
    # The second row's stage is no word Prospector knows: the error names its file line (4).
    assert result.exit_code == 1
    assert "'Closed Lost; no budget' in row 4 is not a salesforce word" in result.stderr, (
        result.stderr
    )
    rows[2][1] = "Closed Lost"
    with open(report, "w", newline="", encoding="cp1252") as handle:
        handle.write(f"sep={delimiter}\r\n")
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    result = run("handoffs", "ack", str(report), "--at", AT)
    assert result.exit_code == 0, result.output
    assert statuses(db) == [("accepted", "won"), ("accepted", "lost")]
    assert db.one("SELECT crm_amount_cents FROM handoffs WHERE id = 1")[0] == 123_450


def test_after_a_sep_line_the_header_is_row_2(run, db, ids, tmp_path):
    report = tmp_path / "excel.csv"
    report.write_text(
        f"sep=;\nProspector Id;Stage;Stage\n{ids[0]};Closed Won;Closed Lost\n", "utf-8"
    )
    result = run("handoffs", "ack", str(report), "--at", AT)
    assert result.exit_code == 1
    assert "excel.csv: row 2: two status columns, Stage (column 2) and Stage (column 3)" in (
        result.stderr
    )
