"""Rules that a small deliberate break (a mutation) once slipped past the suite.

Each test is named for the rule it holds, and each was checked by breaking the rule
by hand in the product code and watching the test fail:

* a state rule's end (or start) only narrows the team's window, never widens it;
* a dialed, undispositioned claim whose number went on the DNC list is not handed back;
* a rep cannot release (or skip) another rep's live claim;
* the new-lead lane is ordered by SLA deadline first, tier priority second;
* a handoff at exactly 00:00 team time counts on the day it starts, not on two days;
* the export folder is private (0700).
"""

from __future__ import annotations

import os
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from prospector.foundations.clock import fixed_clock, to_db
from prospector.foundations.errors import ClaimError
from prospector.services.claims import (
    claim_next,
    mark_dialed,
    release_claim,
    skip_contact,
    undispositioned_claims,
)
from prospector.services.dnc import add_dnc
from prospector.services.export.safe_csv import prepare_directory
from prospector.services.queue import LANE_NEW, LANE_UNDISPOSITIONED, build_queue
from prospector.services.reports import daily
from prospector.services.reports.periods import Period
from prospector.services.settings import default_settings
from prospector.services.windows import Locale, is_open, next_open, open_until
from tests.conftest import MONDAY_10_ET
from tests.factories import add_contact, add_dnc_number
from tests.report_factories import add_contact as import_contact
from tests.report_factories import log, qualify

NOW = MONDAY_10_ET  # Monday 2026-11-23 10:00 ET
SETTINGS = default_settings()  # team 09:00-17:00 Mon-Fri, lunch 12-13; TX 09-21, FL 08-20
ET = ZoneInfo("America/New_York")
TEXAS = Locale(1, ("America/Chicago",), "US", "TX")
FLORIDA = Locale(2, ("America/New_York",), "US", "FL")


def central(hour: int, minute: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo("America/Chicago"))


# --- windows: a state rule only narrows ---------------------------------------------


def test_a_state_rule_ending_later_than_the_team_does_not_extend_the_day() -> None:
    # Texas allows calls until 21:00; the team stops at 17:00, so 17:00 is the end.
    assert is_open(TEXAS, central(16, 59), SETTINGS)
    assert not is_open(TEXAS, central(17, 0), SETTINGS)
    assert not is_open(TEXAS, central(18, 30), SETTINGS)
    assert open_until(TEXAS, central(16, 0), SETTINGS) == central(17, 0)
    # After 17:00 the next opening is Tuesday 09:00 Central, not this evening.
    assert next_open(TEXAS, central(17, 30), SETTINGS) == central(9, 0, day=24)


def test_a_state_rule_starting_earlier_than_the_team_does_not_start_the_day_early() -> None:
    # Florida allows calls from 08:00; the team starts at 09:00.
    morning = datetime(2026, 11, 23, 8, 30, tzinfo=ET)
    assert not is_open(FLORIDA, morning, SETTINGS)
    assert next_open(FLORIDA, morning, SETTINGS) == datetime(2026, 11, 23, 9, 0, tzinfo=ET)


def test_a_texas_contact_is_not_offered_after_the_team_stops(db) -> None:
    texan = add_contact(db, now=NOW, zones=("America/Chicago",), state="TX")
    assert [item.contact_id for item in build_queue(db, rep="alice", now=central(16, 30))] == [
        texan
    ]
    assert build_queue(db, rep="alice", now=central(18, 30)) == []
    assert claim_next(db, rep="alice", now=central(18, 30)) is None


# --- claims: DNC beats "hand the dialed claim back" ---------------------------------


def _dialed_by_alice(db) -> tuple[int, str]:
    contact = add_contact(db, now=NOW - timedelta(minutes=5))
    assert claim_next(db, rep="alice", now=NOW).contact_id == contact
    mark_dialed(db, contact, rep="alice", now=NOW)
    return contact, db.one("SELECT phone FROM contacts WHERE id = ?", (contact,))["phone"]


def test_a_dialed_claim_whose_number_joined_the_dnc_list_is_not_handed_back(db) -> None:
    contact, phone = _dialed_by_alice(db)
    waiting = add_contact(db, now=NOW)
    add_dnc(db, [phone], actor="lead", now=NOW + timedelta(minutes=1))
    later = NOW + timedelta(minutes=2)
    assert [i.contact_id for i in build_queue(db, rep="alice", now=later)] == [waiting]
    item = claim_next(db, rep="alice", now=later)
    assert (item.contact_id, item.lane) == (waiting, LANE_NEW)
    # The dial still needs an outcome: the workbench asks for it, whatever the list says.
    assert [i.contact_id for i in undispositioned_claims(db, rep="alice", now=later)] == [contact]


def test_a_dialed_claim_on_a_listed_number_is_not_handed_back_even_before_its_flag_is_set(
    db,
) -> None:
    # The list itself decides, not only the contacts' copy of the flag.
    contact, phone = _dialed_by_alice(db)
    add_dnc_number(db, phone, now=NOW)
    assert db.one("SELECT dnc FROM contacts WHERE id = ?", (contact,))["dnc"] == 0
    later = NOW + timedelta(minutes=2)
    assert build_queue(db, rep="alice", now=later) == []
    assert claim_next(db, rep="alice", now=later) is None


def test_a_dialed_claim_not_on_the_list_is_handed_back_first(db) -> None:
    # The counterpart of the two above: the same claim, no DNC, comes back in lane 0.
    contact, _ = _dialed_by_alice(db)
    add_contact(db, now=NOW)
    item = claim_next(db, rep="alice", now=NOW + timedelta(minutes=2))
    assert (item.contact_id, item.lane, item.dialed_at) == (contact, LANE_UNDISPOSITIONED, NOW)
    assert [i.contact_id for i in undispositioned_claims(db, rep="alice", now=NOW)] == [contact]


# --- claims: only the holder lets go ------------------------------------------------


def test_a_rep_cannot_release_another_reps_live_claim(db) -> None:
    contact = add_contact(db, now=NOW)
    claim_next(db, rep="alice", now=NOW)
    with pytest.raises(ClaimError, match=r"claimed by alice \(lease ends in 14 min\)"):
        release_claim(db, contact, rep="bob", now=NOW + timedelta(seconds=30))
    with pytest.raises(ClaimError, match="claimed by alice"):
        skip_contact(db, contact, rep="bob", reason="not mine", now=NOW)
    row = db.one("SELECT claimed_by, claim_expires_at FROM contacts WHERE id = ?", (contact,))
    assert tuple(row) == ("alice", to_db(NOW + timedelta(minutes=15)))
    assert db.one("SELECT count(*) FROM audit_log WHERE action LIKE 'claim.%'")[0] == 0


def test_releasing_a_claim_that_lapsed_is_refused_quietly_and_changes_nothing(db) -> None:
    contact = add_contact(db, now=NOW)
    claim_next(db, rep="alice", now=NOW)
    lapsed = NOW + timedelta(minutes=15)  # the lease ends exactly now: no longer live
    assert release_claim(db, contact, rep="bob", now=lapsed) is False
    assert db.one("SELECT claimed_by FROM contacts WHERE id = ?", (contact,))[0] == "alice"
    assert release_claim(db, contact, rep="alice", now=lapsed) is True
    assert db.one("SELECT claimed_by FROM contacts WHERE id = ?", (contact,))[0] is None


# --- queue: new leads by SLA deadline, then tier --------------------------------------


def test_new_leads_come_by_sla_deadline_before_tier(db) -> None:
    # Tier order (A, B, C) and deadline order (C, B, A) disagree on purpose.
    def lead(employees: int, source: str, deadline: timedelta) -> int:
        return add_contact(
            db, now=NOW, employees=employees, source=source, sla_due_at=to_db(NOW + deadline)
        )

    tier_a = lead(500, "inbound", timedelta(hours=3))
    tier_b = lead(100, "list", timedelta(hours=2))
    tier_c = lead(20, "list", timedelta(hours=1))
    # Same deadline as the C lead, inserted after it: the tier breaks the tie.
    tie_a = lead(500, "inbound", timedelta(hours=1))
    queue = build_queue(db, rep="alice", now=NOW)
    assert [item.tier for item in queue] == ["A", "C", "B", "A"]
    assert [item.contact_id for item in queue] == [tie_a, tier_c, tier_b, tier_a]
    assert {item.lane for item in queue} == {LANE_NEW}
    assert claim_next(db, rep="alice", now=NOW).contact_id == tie_a


# --- reports: a midnight handoff is on one day ----------------------------------------


def test_a_handoff_at_exactly_midnight_counts_on_the_day_it_starts(db) -> None:
    midnight = datetime(2026, 11, 21, 0, 0, tzinfo=ET)  # Saturday 00:00 team time
    contact = import_contact(db, created_at=midnight - timedelta(hours=2), employees=500)
    log(db, contact, "meeting_set", rep="alice", at=midnight - timedelta(minutes=10))
    qualify(db, contact, rep="alice", at=midnight)
    rows = daily(db, Period(date(2026, 11, 20), date(2026, 11, 21), ET), fixed_clock(NOW))
    qualified = [(row["day"], row["rep"], row["qualified"]) for row in rows]
    assert qualified == [
        ("2026-11-20", "alice", 0),
        ("2026-11-20", "TEAM", 0),
        ("2026-11-21", "alice", 1),
        ("2026-11-21", "TEAM", 1),
    ]
    friday = daily(db, Period(date(2026, 11, 20), date(2026, 11, 20), ET), fixed_clock(NOW))
    assert [row["qualified"] for row in friday] == [0, 0]


# --- export: the folder is private ----------------------------------------------------


def test_the_export_folder_is_created_private(tmp_path: Path) -> None:
    old = os.umask(0)  # whatever the user's umask, the folder is 0700
    try:
        folder = prepare_directory(tmp_path / "exports")
    finally:
        os.umask(old)
    assert folder == tmp_path / "exports"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_export_pending_writes_into_a_private_folder(run, db, tmp_path: Path) -> None:
    contact = add_contact(db, now=NOW, state="NY")
    log_at = NOW.astimezone(UTC).isoformat()
    logged = run("log", str(contact), "meeting_set", "--meeting", "in 2 days", "--at", log_at)
    assert logged.exit_code == 0, logged.output
    out = tmp_path / "crm" / "today"
    result = run("export", "--format", "csv", "--out", str(out), "--at", log_at)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    [written] = list(out.iterdir())
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
