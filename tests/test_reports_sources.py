"""The sources report, counted by hand. Period: Mon 2 – Sun 15 Nov 2026 (ET).

Tiers by the default settings: A = inbound/webinar with 200+ employees, B = 50+,
C = the rest; fewer than 10 employees is filtered.

| lead | source | tier | received | worked | handoff (made) | estimate | CRM answer |
|---|---|---|---|---|---|---|---|
| i1 | inbound | A | Nov 2 | yes | Nov 3 | 10,000 | won 12,000, closed Nov 20 (17 days) |
| i2 | inbound | A | Nov 4 | yes | Nov 5 | 8,000 | open "Qualification" |
| i3 | inbound | A | Nov 6 | no | — | | |
| ib | inbound | B | Nov 6 | yes | Nov 9 | 5,000 | none yet |
| w1 | Webinar | A | Nov 3 | yes | Nov 4 | 6,000 | rejected |
| l1 | list | B | Nov 2 | yes | Nov 6 | 4,000 | accepted, 4,500 |
| l2 | list | B | Nov 12 | yes | Nov 17 (after) | 9,999 | won |
| l3 | list | C | Nov 3 | yes | Nov 5 | 3,000 | lost |
| l4 | list | C | Nov 4 | yes | Nov 9 | 2,000 | won, no amount, closed Nov 13 (4 days) |
| l5 | list | C | Nov 4 | no | — | | filtered (5 employees; tiered all the same) |
| n1 | (none) | C | Nov 10 | no | Nov 10 | 1,000 | accepted by an old ack (status only) |
| o1 | inbound | A | Oct 28 (before) | yes | Nov 10 | 7,000 | won 7,000, closed Nov 30 (20 days) |

Pipeline (not rejected or lost; CRM amount else estimate): inbound A 12,000 +
8,000 + 7,000 = 27,000, inbound B 5,000, list B 4,500, list C 2,000, (none) C
1,000: 39,500 in all, inbound 32,000 = 0.8101 of it.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from prospector.foundations.db import APPLICATION_ID, open_database
from prospector.foundations.errors import SettingsError
from prospector.foundations.migrations import MIGRATIONS
from prospector.services.export import export_pending
from prospector.services.fit import replace_settings
from prospector.services.handoffs import list_handoffs
from prospector.services.reports import sla, sources
from prospector.services.reports.periods import Period
from prospector.services.settings import default_settings, parse_settings
from tests.conftest import MONDAY_10_ET
from tests.report_factories import ack, add_contact, answer, log, qualify
from tests.test_reports_cli import table_rows

ET = ZoneInfo("America/New_York")
PERIOD = Period(date(2026, 11, 2), date(2026, 11, 15), ET)
PROFILES = {
    "A": {"employees": 500},
    "B": {"employees": 100},
    "C": {"employees": 20},
    "filtered": {"employees": 5},
}


def et(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=ET)


def clock():
    return MONDAY_10_ET


@pytest.fixture
def team(db):
    def lead(source, profile, received, *, worked=True):
        contact = add_contact(db, created_at=received, source=source, **PROFILES[profile])
        if worked:
            log(db, contact, "no_answer", rep="alice", at=received.replace(hour=11))
        return contact

    def handoff(contact, made, amount):
        return qualify(db, contact, rep="alice", at=made, amount=amount)

    i1 = handoff(lead("inbound", "A", et(11, 2)), et(11, 3), 10000)
    answer(db, i1, "won", at=et(11, 20), amount=12000, close_date="2026-11-20", stage="Closed Won")
    i2 = handoff(lead("inbound", "A", et(11, 4)), et(11, 5), 8000)
    answer(db, i2, "open", at=et(11, 6), stage="Qualification")
    lead("inbound", "A", et(11, 6), worked=False)
    handoff(lead("inbound", "B", et(11, 6)), et(11, 9), 5000)
    w1 = handoff(lead("Webinar", "A", et(11, 3)), et(11, 4), 6000)
    answer(db, w1, "rejected", at=et(11, 5), stage="Unqualified")
    l1 = handoff(lead("list", "B", et(11, 2)), et(11, 6), 4000)
    answer(db, l1, "accepted", at=et(11, 7), amount=4500, stage="Needs Analysis")
    l2 = handoff(lead("list", "B", et(11, 12)), et(11, 17), 9999)
    answer(db, l2, "won", at=et(11, 18), amount=9999, close_date="2026-11-18")
    l3 = handoff(lead("list", "C", et(11, 3)), et(11, 5), 3000)
    answer(db, l3, "lost", at=et(11, 12), close_date="2026-11-12", stage="Closed Lost")
    l4 = handoff(lead("list", "C", et(11, 4)), et(11, 9), 2000)
    answer(db, l4, "won", at=et(11, 13), close_date="2026-11-13", stage="Closed Won")
    lead("list", "filtered", et(11, 4), worked=False)
    n1 = handoff(lead(None, "C", et(11, 10), worked=False), et(11, 10, 15), 1000)
    ack(db, n1, "accepted", at=et(11, 11))
    o1 = handoff(lead("inbound", "A", et(10, 28)), et(11, 10), 7000)
    answer(db, o1, "won", at=et(11, 30), amount=7000, close_date="2026-11-30")
    return db


def by_key(rows):
    return {(row["source"], row["tier"]): row for row in rows}


COUNTS = ("leads", "filtered", "worked", "handoffs", "accepted", "rejected", "won", "lost")


def test_rows_in_order_with_source_and_team_totals(team):
    rows = sources(team, PERIOD, clock)
    assert [(row["source"], row["tier"]) for row in rows] == [
        ("inbound", "A"), ("inbound", "B"), ("inbound", "ALL"),
        ("list", "B"), ("list", "C"), ("list", "ALL"),
        ("Webinar", "A"), ("Webinar", "ALL"),
        ("(none)", "C"), ("(none)", "ALL"),
        ("TEAM", "A"), ("TEAM", "B"), ("TEAM", "C"), ("TEAM", "ALL"),
    ]  # fmt: skip


def test_counts_per_source_and_tier(team):
    rows = by_key(sources(team, PERIOD, clock))
    counts = {key: tuple(row[name] for name in COUNTS) for key, row in rows.items()}
    #                              leads filt work  hand acc  rej  won  lost
    assert counts[("inbound", "A")] == (3, 0, 2, 3, 2, 0, 2, 0)
    assert counts[("inbound", "B")] == (1, 0, 1, 1, 0, 0, 0, 0)
    assert counts[("inbound", "ALL")] == (4, 0, 3, 4, 2, 0, 2, 0)
    assert counts[("list", "B")] == (2, 0, 2, 1, 1, 0, 0, 0)
    assert counts[("list", "C")] == (3, 1, 2, 2, 2, 0, 1, 1)
    assert counts[("list", "ALL")] == (5, 1, 4, 3, 3, 0, 1, 1)
    assert counts[("Webinar", "A")] == (1, 0, 1, 1, 0, 1, 0, 0)
    assert counts[("(none)", "C")] == (1, 0, 0, 1, 1, 0, 0, 0)
    assert counts[("TEAM", "A")] == (4, 0, 3, 4, 2, 1, 2, 0)
    assert counts[("TEAM", "C")] == (4, 1, 2, 3, 3, 0, 1, 1)
    assert counts[("TEAM", "ALL")] == (11, 1, 8, 9, 6, 1, 3, 1)


def test_rates_amounts_and_days_to_close(team):
    rows = by_key(sources(team, PERIOD, clock))
    inbound_a = rows[("inbound", "A")]
    assert inbound_a["acceptance_rate"] == 1.0
    assert inbound_a["pipeline_amount"] == 27000.0
    assert inbound_a["pipeline_share"] == round(27000 / 39500, 4)
    assert inbound_a["won_amount"] == 19000.0
    assert inbound_a["win_rate"] == 1.0
    assert inbound_a["median_days_to_close"] == 18.5  # 17 and 20 days
    assert inbound_a["inbound"] is True
    # Unanswered and open handoffs are in no rate: nothing to divide by.
    inbound_b = rows[("inbound", "B")]
    assert (inbound_b["acceptance_rate"], inbound_b["win_rate"]) == (None, None)
    assert inbound_b["pipeline_amount"] == 5000.0
    assert inbound_b["median_days_to_close"] is None
    webinar = rows[("Webinar", "A")]
    assert (webinar["acceptance_rate"], webinar["pipeline_amount"]) == (0.0, 0.0)
    assert webinar["pipeline_share"] == 0.0
    assert webinar["inbound"] is True  # inbound by default, as for tier A
    list_c = rows[("list", "C")]
    assert (list_c["win_rate"], list_c["won_amount"], list_c["pipeline_amount"]) == (
        0.5, 2000.0, 2000.0,
    )  # fmt: skip
    assert list_c["median_days_to_close"] == 4.0
    assert rows[("(none)", "C")]["pipeline_amount"] == 1000.0  # an answer kept in status only
    team_row = rows[("TEAM", "ALL")]
    assert team_row["acceptance_rate"] == round(6 / 7, 4)
    assert team_row["win_rate"] == 0.75
    assert team_row["pipeline_amount"] == 39500.0
    assert team_row["pipeline_share"] == 1.0
    assert team_row["won_amount"] == 21000.0
    assert team_row["median_days_to_close"] == 17.0  # 4, 17, 20
    assert team_row["inbound"] is None


def test_the_exports_placeholder_close_date_is_not_a_days_to_close(team, tmp_path):
    """Salesforce keeps the CloseDate the export wrote (made + 90 days) on Closed Won:
    a won deal reported with it says nothing of when it closed."""
    o2 = qualify(team, add_contact(team, created_at=et(11, 11), source="inbound", **PROFILES["A"]),
                 rep="alice", at=et(11, 11), amount=1000)  # fmt: skip
    batch = export_pending(team, now=et(11, 12), actor="lead", out_dir=tmp_path, format="jsonl")
    (placeholder,) = [
        json.loads(line)["close_date"] for line in Path(batch.path).read_text().splitlines()
    ]
    answer(team, o2, "won", at=et(11, 14), close_date=placeholder, stage="Closed Won")
    rows = by_key(sources(team, PERIOD, clock))
    assert rows[("inbound", "A")]["won"] == 3
    assert rows[("inbound", "A")]["median_days_to_close"] == 18.5  # 17 and 20, not 90
    answer(team, o2, "won", at=et(11, 15), close_date="2026-11-14", stage="Closed Won")
    assert by_key(sources(team, PERIOD, clock))[("inbound", "A")]["median_days_to_close"] == 17.0


def test_a_reopened_deal_still_counts_accepted(team, run):
    """Accepted, then the CRM says open again: the handoff stays accepted (handoffs
    --status accepted lists it) and so do sla and sources."""
    (ib,) = [h.id for h in list_handoffs(team) if h.amount == "5000.00"]
    ack(team, ib, "accepted", at=et(11, 10))
    ack(team, ib, "open", at=et(11, 12))
    listed = json.loads(run("handoffs", "--status", "accepted", "--json").output)
    assert ib in [h["handoff_id"] for h in listed]
    rows = by_key(sources(team, PERIOD, clock))
    assert (rows[("inbound", "B")]["accepted"], rows[("inbound", "B")]["acceptance_rate"]) == (
        1, 1.0,
    )  # fmt: skip
    assert {row["tier"]: row for row in sla(team, PERIOD, clock)}["B"]["accepted"] == 2
    assert rows[("TEAM", "ALL")]["accepted"] == len(
        [h for h in listed if h["created_at"] < "2026-11-16"]
    )


def test_a_deal_moved_on_through_handoffs_ack(team):
    """Sales moves a deal along and back, each answer a real ``handoffs ack``: both
    reports follow the latest answer (accepted by sales stays accepted until the CRM
    rejects it; an open answer then is no answer yet)."""
    (ib,) = [h.id for h in list_handoffs(team) if h.amount == "5000.00"]
    steps = [  # answer -> inbound B's accepted, rejected, won, lost, pipeline
        ("accepted", (1, 0, 0, 0, 5000.0)),
        ("won", (1, 0, 1, 0, 5000.0)),
        ("open", (1, 0, 0, 0, 5000.0)),  # re-opened: still sales'
        ("lost", (1, 0, 0, 1, 0.0)),
        ("rejected", (0, 1, 0, 0, 0.0)),
        ("open", (0, 0, 0, 0, 5000.0)),
    ]
    for hour, (status, expected) in enumerate(steps, start=9):
        ack(team, ib, status, at=et(11, 16, hour))
        row = by_key(sources(team, PERIOD, clock))[("inbound", "B")]
        names = ("accepted", "rejected", "won", "lost", "pipeline_amount")
        assert tuple(row[name] for name in names) == expected, status
        tier_b = {row["tier"]: row for row in sla(team, PERIOD, clock)}["B"]
        # l1 (list, B) is accepted throughout.
        assert (tier_b["accepted"], tier_b["rejected"]) == (1 + expected[0], expected[1])


def test_inbound_share_against_the_target(team):
    rows = sources(team, PERIOD, clock)
    *body, last = rows
    assert last["inbound_pipeline_amount"] == 32000.0
    assert last["inbound_share"] == round(32000 / 39500, 4)
    assert (last["inbound_target"], last["under_target"]) == (0.5, False)
    assert all(row["inbound_share"] is None and row["under_target"] is None for row in body)

    text = default_settings().source_text + (
        '\n[reports]\ninbound_sources = ["WEBINAR"]\ninbound_pipeline_target = 0.25\n'
    )
    replace_settings(team, parse_settings(text), actor="lead", now=MONDAY_10_ET)
    last = sources(team, PERIOD, clock)[-1]
    assert (last["inbound_pipeline_amount"], last["inbound_share"]) == (0.0, 0.0)
    assert last["under_target"] is True
    assert by_key(sources(team, PERIOD, clock))[("Webinar", "A")]["inbound"] is True


def test_default_inbound_sources_are_those_tier_a_takes():
    settings = default_settings()
    (tier_a,) = [tier for tier in settings.tiers if tier.name == "A"]
    assert set(settings.reports.inbound_sources) == set(tier_a.when.source)


def test_a_source_written_in_several_ways_is_one_row(db):
    """Lists spell a source as they like: one row, as the tiers see one source."""
    spellings = ["Inbound", "inbound ", "INBOUND", "Inbound", "Webinar", "webinar"]
    for number, source in enumerate(spellings):
        contact = add_contact(db, created_at=et(11, 2 + number), source=source, employees=500)
        log(db, contact, "no_answer", rep="alice", at=et(11, 2 + number, 11))
        qualify(db, contact, rep="alice", at=et(11, 2 + number, 12), amount=1000)
    rows = sources(db, PERIOD, clock)
    assert [(row["source"], row["tier"], row["leads"], row["handoffs"]) for row in rows] == [
        ("Inbound", "A", 4, 4), ("Inbound", "ALL", 4, 4),
        ("Webinar", "A", 2, 2), ("Webinar", "ALL", 2, 2),  # a tie: the first in order
        ("TEAM", "A", 6, 6), ("TEAM", "ALL", 6, 6),
    ]  # fmt: skip
    assert rows[0]["inbound"] is rows[2]["inbound"] is True
    assert rows[-1]["inbound_share"] == 1.0


def test_a_period_without_anything(db):
    rows = sources(db, PERIOD, clock)
    assert len(rows) == 1
    (last,) = rows
    assert (last["source"], last["tier"], last["leads"], last["handoffs"]) == ("TEAM", "ALL", 0, 0)
    assert (last["pipeline_share"], last["inbound_share"], last["under_target"]) == (
        None, None, None,
    )  # fmt: skip


def test_sla_counts_the_crm_answers_per_tier(team):
    rows = {row["tier"]: row for row in sla(team, PERIOD, clock)}
    # A: i1 won, i2 open, w1 rejected, o1 won; B: ib none, l1 accepted; C: l3 lost,
    # l4 won, n1 accepted (status only).
    assert [(rows[t]["accepted"], rows[t]["rejected"]) for t in ("A", "B", "C")] == [
        (2, 1), (1, 0), (3, 0),
    ]  # fmt: skip
    assert rows["A"]["acceptance_rate"] == round(2 / 3, 4)
    assert rows["ALL"]["acceptance_rate"] == round(6 / 7, 4)
    by_tier = by_key(sources(team, PERIOD, clock))
    for tier in ("A", "B", "C", "ALL"):
        assert rows[tier]["acceptance_rate"] == by_tier[("TEAM", tier)]["acceptance_rate"]


PERIOD_ARGS = ("--from", "2026-11-02", "--to", "2026-11-15", "--at", "2026-11-23T10:00:00-05:00")
JSON_KEYS = {
    "source", "tier", "handoffs", "accepted", "acceptance_rate", "pipeline_amount",
    "pipeline_share", "won_amount", "win_rate", "median_days_to_close",
}  # fmt: skip


def test_cli_json_rows(team, run):
    result = run("report", "sources", "--json", *PERIOD_ARGS)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows == json.loads(json.dumps(sources(team, PERIOD, clock)))
    assert all(row.keys() >= JSON_KEYS for row in rows)
    webinar = next(row for row in rows if row["source"] == "Webinar" and row["tier"] == "A")
    assert (webinar["acceptance_rate"], webinar["win_rate"], webinar["median_days_to_close"]) == (
        0.0, None, None,
    )  # fmt: skip
    assert rows[-1]["under_target"] is False


def test_cli_csv(team, run):
    result = run("report", "sources", "--format", "csv", *PERIOD_ARGS)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    last = rows[-1]
    assert (last["source"], last["tier"], last["pipeline_amount"], last["inbound_share"]) == (
        "TEAM", "ALL", "39500.0", str(round(32000 / 39500, 4)),
    )  # fmt: skip
    assert rows[0]["inbound_share"] == ""  # None: set on the last row only


def test_cli_table_and_the_inbound_line(team, run):
    result = run("report", "sources", *PERIOD_ARGS)
    assert result.exit_code == 0, result.output
    assert "report sources" in result.output
    rows = table_rows(result.output)
    assert rows[0] == [
        "inbound", "A", "3", "0", "2", "3", "2", "100.0%", "27,000.00", "68.3%", "19,000.00",
        "100.0%", "18.5",
    ]  # fmt: skip
    assert rows[-1] == [
        "TEAM", "ALL", "11", "1", "8", "9", "6", "85.7%", "39,500.00", "100.0%", "21,000.00",
        "75.0%", "17",
    ]  # fmt: skip
    assert "inbound pipeline 32,000.00 = 81.0% of all pipeline (target 50.0%)" in result.output
    assert "UNDER TARGET" not in result.output

    raised = default_settings().source_text + "\n[reports]\ninbound_pipeline_target = 0.9\n"
    replace_settings(team, parse_settings(raised), actor="lead", now=MONDAY_10_ET)
    result = run("report", "sources", *PERIOD_ARGS)
    assert "81.0% of all pipeline (target 90.0%) · UNDER TARGET" in result.output


def test_cli_sources_is_for_the_whole_team(team, run):
    result = run("report", "sources", "--rep", "alice", *PERIOD_ARGS)
    assert result.exit_code == 1
    assert result.output == "error: report sources is for the whole team; --rep does not apply\n"


def test_settings_refuse_a_target_outside_0_to_1(team):
    text = default_settings().source_text + "\n[reports]\ninbound_pipeline_target = 50\n"
    with pytest.raises(SettingsError, match=r"reports.inbound_pipeline_target = 50: expected a"):
        parse_settings(text)


@pytest.mark.sqlite_only  # PostgreSQL databases start at schema 8: no schema 7 to upgrade
def test_upgrading_to_schema_8_counts_the_leads_already_there(db_path):
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("BEGIN")
    for migration in MIGRATIONS[:7]:
        migration(conn)
    conn.execute(
        "INSERT INTO locales (zones, country, state) VALUES ('America/New_York', 'US', 'NY')"
    )
    leads = [  # source, tier, filtered_by, attempts, received_day
        ("inbound", "A", None, 2, "2026-11-03"),
        ("inbound", "A", None, 0, "2026-11-04"),
        ("list", "C", "no eCommerce", 0, "2026-11-04"),
        (None, None, None, 1, "2026-11-05"),
        ("inbound", "A", None, 1, "2026-10-30"),  # before the period
    ]
    for number, (source, tier, filtered_by, attempts, day) in enumerate(leads):
        conn.execute(
            """INSERT INTO contacts (phone, phone_raw, locale_id, source, tier, filtered_by,
                   attempts, next_call_at, created_at, received_day, updated_at)
               VALUES (?, '', 1, ?, ?, ?, ?, '', ?, ?, '')""",
            (f"+1212555{number:04d}", source, tier, filtered_by, attempts, f"{day}T15:00:00Z", day),
        )
    conn.execute("PRAGMA user_version = 7")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("COMMIT")
    conn.close()
    with open_database(db_path) as db:
        counts = {
            (row["source"], row["tier"]): (row["leads"], row["filtered"], row["worked"])
            for row in sources(db, PERIOD, clock)
        }
    assert counts == {
        ("inbound", "A"): (2, 0, 1), ("inbound", "ALL"): (2, 0, 1),
        ("list", "C"): (1, 1, 0), ("list", "ALL"): (1, 1, 0),
        ("(none)", "(none)"): (1, 0, 1), ("(none)", "ALL"): (1, 0, 1),
        ("TEAM", "A"): (2, 0, 1), ("TEAM", "C"): (1, 1, 0), ("TEAM", "(none)"): (1, 0, 1),
        ("TEAM", "ALL"): (4, 1, 2),
    }  # fmt: skip
