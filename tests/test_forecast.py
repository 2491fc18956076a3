"""The queue forecast, counted by hand. Now is Monday 2026-11-23 10:00 ET (15:00 UTC).

Settings: the defaults (calling 09:00-17:00 local, lunch 12-13, max_dials_per_day 2;
tier A max 8 attempts and a 1 h working-time SLA, B max 6, C max 4 and a 3-day SLA)
plus territories alice = US-NY, bob = US-CA, carol = US-IL, and a standby list
"Backfill". Tomorrow (the next team day) is Tuesday 24.

Calls (the pace): alice Mon 09:00 and 09:30 ET (2 dials, 30 min span); bob Fri 20
13:00, 13:10, 13:20, 13:30 ET (4 dials, 30 min). 60 min / 6 dials = 10 min per dial.

New York (open now, closes 17:00 ET):

| contact | what | now | today | tomorrow | SLA |
|---|---|---|---|---|---|
| n1 | C, alice no_answer 09:00: due 13:00, 1 dial today | 0 | 2-1 = 1 | 2 | dialed |
| n2 | C, alice busy 09:30: due 10:30, 1 dial today | 0 | 1 | 2 | dialed |
| n3 | C, new Mon 08:00 | 1 | 2 | 2 | due Thu |
| n4 | A, new Mon 09:30: SLA 10:30 | 1 | 2 | 2 | next hour |
| n5 | A, new Fri 15:00: SLA Fri 16:00 | 1 | 2 | 2 | overdue |
| n6 | C on the DNC list | 0 | 0 | 0 | - |
| n7 | C filtered (5 employees) | 0 | 0 | 0 | - |
| n8 | A, new Mon 09:30, held on standby list Backfill | 0 | 0 | 0 | - |
| n9 | C, 3 attempts used of 4 | 1 | min(2, 1) = 1 | 1 | dialed |

alice: now 4, today 9 dials (1.5 h), tomorrow 11 (110 min), SLA 1 next hour, 1 overdue.

Chicago (09:00 CT, open): i1 C new: now 1, today 2, tomorrow 2; i2 B, carol's
callback at 14:00 CT: today 2, tomorrow 2; i3 C due Tue 10:00 CT: tomorrow 2; i4 C
due Wed: nothing. carol: now 1, today 4 (40 min), tomorrow 6 (1 h).

Los Angeles (07:00 PT, closed; opens 09:00 PT = 17:00 UTC): l1 C bob no_answer Fri
(due Fri, past), l2 voicemail (due Mon 09:00 PT), l3 gatekeeper (Mon 09:00 PT): each
today 2 (no dial this local day), tomorrow 2; l4 not_interested: closed. bob: now 0,
today 6 (1 h), tomorrow 6, next window Mon 17:00 UTC.

Team: now 5, today 19 (190 min), tomorrow 23, SLA 1 and 1, open now.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from prospector.foundations.clock import to_db
from prospector.foundations.db import open_database
from prospector.foundations.errors import SettingsError
from prospector.services.claims import claim_next
from prospector.services.dnc import add_dnc
from prospector.services.fit import replace_settings
from prospector.services.forecast import forecast, refill
from prospector.services.settings import DEFAULTS_FILE, parse_settings
from prospector.services.standby import states
from tests.backend import rows
from tests.factories import add_contact
from tests.report_factories import import_leads, lead, log

ET = ZoneInfo("America/New_York")
CT = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
EXTRA = """
[territories]
alice = ["US-NY"]
bob = ["US-CA"]
carol = ["US-IL"]

[[lists]]
name = "Backfill"
standby = true
order = 1
"""


def settings_text(calling: str = "") -> str:
    text = DEFAULTS_FILE.read_text(encoding="utf-8").replace("[territories]\n", EXTRA, 1)
    return text.replace("[calling]\n", "[calling]\n" + calling, 1)


def et(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=ET)


NY = {"zones": ("America/New_York",), "state": "NY", "phone": None}
IL = {"zones": ("America/Chicago",), "state": "IL"}
CA = {"zones": ("America/Los_Angeles",), "state": "CA"}
TIER_A = {"source": "inbound", "employees": 500}
TIER_B = {"employees": 100}
TIER_C = {"employees": 20}


def contact(db, where: dict, tier: dict, at: datetime, **columns) -> int:
    where = {key: value for key, value in where.items() if value is not None}
    return add_contact(db, now=at, **where, **tier, **columns)


@pytest.fixture
def team(db):
    replace_settings(db, parse_settings(settings_text()), actor="test", now=et(16, 9))
    n1 = contact(db, NY, TIER_C, et(20, 10))
    n2 = contact(db, NY, TIER_C, et(20, 10))
    contact(db, NY, TIER_C, et(23, 8))
    contact(db, NY, TIER_A, et(23, 9, 30))
    contact(db, NY, TIER_A, et(20, 15))
    add_dnc(db, ["+12125550100"], actor="test", now=et(16, 9))
    contact(db, NY, TIER_C, et(23, 8), phone="+12125550100")
    contact(db, NY, {"employees": 5}, et(23, 8))
    contact(db, NY, TIER_A, et(23, 9, 30), list_name="Backfill", standby_list="Backfill")
    contact(db, NY, TIER_C, et(23, 8), attempts=3, first_dial_at=to_db(et(20, 9)))
    log(db, n1, "no_answer", rep="alice", at=et(23, 9))
    log(db, n2, "busy", rep="alice", at=et(23, 9, 30))

    contact(db, IL, TIER_C, et(23, 8))
    callback = to_db(et(23, 15))
    contact(db, IL, TIER_B, et(23, 8), callback_at=callback, callback_rep="carol",
            next_call_at=callback)  # fmt: skip
    contact(db, IL, TIER_C, et(23, 8), next_call_at=to_db(datetime(2026, 11, 24, 10, tzinfo=CT)))
    contact(db, IL, TIER_C, et(23, 8), next_call_at=to_db(datetime(2026, 11, 25, 10, tzinfo=CT)))

    for minute, disposition in enumerate(
        ("no_answer", "voicemail", "gatekeeper", "not_interested")
    ):
        la = contact(db, CA, TIER_C, et(19, 10))
        log(db, la, disposition, rep="bob", at=et(20, 13, 10 * minute))
    return db


def figures(work) -> tuple:
    return (work.callable_now, work.dials_today, work.dials_tomorrow, work.sla_next_hour,
            work.sla_overdue, work.open_now, work.next_window)  # fmt: skip


def test_forecast_matches_the_hand_count(team) -> None:
    work = forecast(team, now=NOW)
    assert (work.pace.measured, work.pace.minutes_per_dial) == (True, 10.0)
    assert work.tomorrow.isoformat() == "2026-11-24"
    by_rep = {row.who: row for row in work.reps}
    assert list(by_rep) == ["alice", "bob", "carol"]
    assert figures(by_rep["alice"]) == (4, 9, 11, 1, 1, True, None)
    assert figures(by_rep["carol"]) == (1, 4, 6, 0, 0, True, None)
    assert figures(by_rep["bob"]) == (0, 6, 6, 0, 0, False, datetime(2026, 11, 23, 17, tzinfo=UTC))
    assert figures(work.team) == (5, 19, 23, 1, 1, True, None)
    assert by_rep["alice"].hours_today == pytest.approx(1.5)
    assert work.team.hours_today == pytest.approx(190 / 60)


def test_callable_now_is_what_the_queue_offers(team) -> None:
    """alice's 4 callable contacts are exactly those ``next`` hands her, one by one."""
    offered = set()
    while (item := claim_next(team, rep="alice", now=NOW)) is not None and len(offered) < 10:
        offered.add(item.contact_id)
        team.execute("UPDATE contacts SET next_call_at = ? WHERE id = ?",
                     (to_db(NOW + timedelta(days=9)), item.contact_id))  # fmt: skip
    assert len(offered) == 4


@pytest.mark.parametrize(
    ("now", "opens"),
    [
        # Monday 22:00 ET: every window has closed; New York opens Tuesday 09:00.
        (et(23, 22), et(24, 9)),
        # Saturday noon: nothing until Monday 09:00 ET.
        (et(28, 12), et(30, 9)),
        # Thanksgiving (Thu 26): closed all day; the next window is Friday 09:00.
        (et(26, 10), et(27, 9)),
    ],
)
def test_the_next_window_after_nights_weekends_and_holidays(team, now, opens) -> None:
    work = forecast(team, now=now)
    assert work.team.open_now is False
    assert work.team.callable_now == 0
    assert work.team.dials_today == 0
    assert work.team.next_window == opens.astimezone(UTC)


def test_without_history_the_pace_is_the_setting(db) -> None:
    text = settings_text("minutes_per_dial = 4.5\n")
    replace_settings(db, parse_settings(text), actor="test", now=et(16, 9))
    contact(db, NY, TIER_C, et(23, 8))
    work = forecast(db, now=NOW)
    assert (work.pace.measured, work.pace.minutes_per_dial) == (False, 4.5)
    assert work.team.dials_today == 2
    assert work.team.hours_today == pytest.approx(9 / 60)


def test_a_standby_list_opens_once_when_work_runs_low(team) -> None:
    text = settings_text('refill_below = "4h"\n')
    replace_settings(team, parse_settings(text), actor="test", now=et(16, 9))
    [backfill] = states(team, parse_settings(text))
    assert (backfill.held, backfill.opened_at) == (1, None)
    # 190 min of work is under 4 h: Backfill opens, its lead becomes callable.
    assert refill(team, now=NOW, actor="cron") == [("Backfill", 1)]
    assert forecast(team, now=NOW).team.callable_now == 6
    assert refill(team, now=NOW + timedelta(minutes=5), actor="cron") == []
    audit = rows(team.path, "SELECT actor, action, subject, detail FROM audit_log"
                 " WHERE action = 'standby.open'")  # fmt: skip
    assert [tuple(row) for row in audit] == [
        ("cron", "standby.open", "list:Backfill",
         "1 contacts; team work left today 3.2 h is under calling.refill_below 4h"),
    ]  # fmt: skip


def test_an_imported_standby_list_waits_until_the_empty_desk_opens_it(db) -> None:
    """Two leads imported into "backfill" (any case) are held; a third list is not.
    alice's desk is empty but for the plain lead; once she has it, ``next`` finds
    nothing, the refill check (work 0 h < 1 h) opens Backfill and hands her one."""
    text = settings_text('refill_below = "1h"\n')
    replace_settings(db, parse_settings(text), actor="test", now=et(16, 9))
    held = import_leads(db, [lead(list_name="backfill"), lead(list_name="Backfill")], at=et(23, 8))
    [plain] = import_leads(db, [lead(list_name="Spring")], at=et(23, 8))
    assert [row[0] for row in rows(db.path, "SELECT standby_list FROM contacts ORDER BY id")] == [
        "Backfill", "Backfill", None,
    ]  # fmt: skip
    assert claim_next(db, rep="alice", now=NOW).contact_id == plain
    log(db, plain, "not_interested", rep="alice", at=NOW)
    assert claim_next(db, rep="alice", now=NOW).contact_id in held
    [backfill] = states(db, parse_settings(text))
    assert (backfill.held, backfill.contacts, backfill.opened_at) == (0, 2, NOW)


def test_cli_forecast_alert_and_lists(team, run) -> None:
    at = ("--at", "2026-11-23T15:00:00Z")
    result = run("queue", "--forecast", "--json", *at)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["team"]["dials_today"] == 19 and data["minutes_per_dial"] == 10.0
    assert [rep["rep"] for rep in data["reps"]] == ["alice", "bob", "carol"]
    text = run("queue", "--forecast", *at).output
    assert "10.0 min per dial, measured over 6 dials" in text
    assert "next window" in text and "Mon 2026-11-23 17:00 UTC" in text
    quiet = run("queue", "--alert-below", "3h", *at)
    assert (quiet.exit_code, quiet.output) == (0, "")
    alert = run("queue", "--alert-below", "4h", *at)
    assert alert.exit_code == 3
    assert alert.output == "team work left today 3.2 h is under 4 h; next standby list: Backfill\n"
    bad = run("queue", "--alert-below", "2d", *at)
    assert bad.exit_code == 1 and "minutes or hours" in bad.output
    lists = run("queue", "--lists", *at)
    assert "Backfill  1 contacts, 1 held  waiting" in lists.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[[lists]]\nname = "backfill"\n', "lists[1].name"),
        ('[[lists]]\nname = "B"\nstandby = true\norder = 1\n', "lists[1].order"),
        ('[[lists]]\nname = "C"\nstandby = "yes"\n', "lists[1].standby"),
    ],
)
def test_lists_are_validated(extra, message) -> None:
    """Names are unique ignoring case, standby orders unique (Backfill is lists[0])."""
    with pytest.raises(SettingsError, match=re.escape(message)):
        parse_settings(settings_text() + extra)


def test_refill_below_takes_minutes_or_hours() -> None:
    assert (
        str(parse_settings(settings_text('refill_below = "90m"\n')).calling.refill_below) == "90m"
    )
    with pytest.raises(SettingsError, match=r"calling\.refill_below.*minutes or hours"):
        parse_settings(settings_text('refill_below = "1bd"\n'))


def test_cli_refill_for_cron(team, run) -> None:
    at = ("--at", "2026-11-23T15:00:00Z")
    assert run("queue", "--refill", "--json", *at).output == '{"opened": []}\n'
    with open_database(team.path) as db:
        text = settings_text('refill_below = "4h"\n')
        replace_settings(db, parse_settings(text), actor="test", now=et(16, 9))
    opened = run("queue", "--refill", *at)
    assert opened.output == "opened standby list Backfill: 1 contacts now callable\n"
    assert run("queue", "--refill", *at).output == "no standby list opened\n"
