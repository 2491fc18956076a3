"""The workbench with 1,000,000 contacts: start to first lead, disposition to next lead, RSS.

Prints, each measured in its own fresh process in this run:

* start to first lead shown (target <= 1.5 s), beside a bare Textual app's start
  to its first screen (the reference);
* a disposition keypress to the next lead shown, over 200 presses: p50, p95
  (target <= 100 ms), max; every contact belongs to an account of 20 contacts, so
  each lead comes with its 19 colleagues, and the script pane (``s``) is open; the
  same is measured (in a process of its own) with the colleagues left unread and the
  pane closed, as the workbench was before them (issue 16: with them, p95 stays
  under twice that);
* peak RSS of the workbench process (target <= 200 MB).

Both apps run headless through ``App.run_test()`` and are timed from the top of
their process (imports included) to the moment the screen shows what it must.

    python -m tests.bench.bench_tui [--contacts N] [--presses N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

DATA = Path(__file__).parent / ".data"
START = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday 10:00 in New York

# Callable at 10:00 New York time on a Monday (the queue decides per locale).
ZONES = (
    ("America/New_York", "US", "NY"),
    ("America/Chicago", "US", "IL"),
    ("America/Toronto", "CA", "ON"),
    ("America/Denver", "US", "CO"),
    ("Europe/London", "GB", ""),
    ("America/Los_Angeles", "US", "CA"),  # 07:00 there: closed, as in real life
)


ACCOUNT_SIZE = 20  # contacts per account: each lead has 19 colleagues


def build(path: Path, contacts: int) -> None:
    """A team database of ``contacts`` open contacts, written by SQL in one transaction,
    in accounts of :data:`ACCOUNT_SIZE` contacts."""
    from prospector.foundations.clock import to_db
    from prospector.foundations.db import open_database

    db = open_database(path)
    now = to_db(START)
    with db.write():
        db.conn.executemany("INSERT INTO locales (zones, country, state) VALUES (?, ?, ?)", ZONES)
        db.execute(
            """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
               INSERT INTO accounts (name, name_key, industry, employees, created_at, updated_at)
               SELECT 'Account ' || i, 'account ' || i, 'Software', 20 + i % 900, :now, :now
               FROM n""",
            {"now": now, "count": account_count(contacts)},
        )
        # A quarter new leads (SLA deadlines spread over the next days), the rest
        # follow-ups due at different times; tiers A/B/C by position.
        db.execute(
            """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
               INSERT INTO contacts (account_id, first_name, last_name, title, phone, phone_raw,
                   phone_type, state, country, locale_id, source, tier, tier_rule, tier_priority,
                   attempts, next_call_at, sla_due_at, created_at, updated_at)
               SELECT 1 + i % :accounts, 'First' || i, 'Last' || i, 'VP Operations',
                   '+1' || (2012000000 + i), '(201) ' || i, 'fixed_line_or_mobile',
                   'NY', 'US', 1 + i % 6, CASE WHEN i % 3 = 0 THEN 'inbound' ELSE 'list' END,
                   char(65 + i % 3), 'bench', 1 + i % 3,
                   CASE WHEN i % 4 = 0 THEN 0 ELSE 1 + i % 5 END,
                   strftime('%Y-%m-%dT%H:%M:%SZ', :start, '-' || (i % 5000) || ' minutes'),
                   CASE WHEN i % 4 = 0
                        THEN strftime('%Y-%m-%dT%H:%M:%SZ', :start, '+' || (i % 4000) || ' minutes')
                   END,
                   :now, :now
               FROM n""",
            {
                "count": contacts,
                "accounts": account_count(contacts),
                "start": START.strftime("%Y-%m-%d %H:%M:%S"),
                "now": now,
            },
        )
    db.execute("ANALYZE")
    db.close()


def account_count(contacts: int) -> int:
    return max(1, contacts // ACCOUNT_SIZE)


def database(contacts: int) -> Path:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"tui_{contacts}_by{ACCOUNT_SIZE}.db"
    if not path.exists():
        print(f"building {path} ...", flush=True)
        began = time.perf_counter()
        build(path, contacts)
        print(f"  built in {time.perf_counter() - began:.1f} s", flush=True)
    return path


def child(kind: str, path: str, presses: int) -> dict:
    """Runs in the measured process; returns the figures as a dict."""
    began = time.perf_counter()
    import asyncio
    import resource

    if kind == "bare":
        from textual.app import App, ComposeResult
        from textual.widgets import Footer, Header, Static

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Header()
                yield Static("hello")
                yield Footer()

        async def bare() -> dict:
            async with Bare().run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                return {"start": time.perf_counter() - began}

        return asyncio.run(bare())

    from prospector.foundations.clock import fixed_clock
    from prospector.services import accounts
    from prospector.tui.app import make_app
    from prospector.tui.screens.lead import LeadScreen
    from prospector.tui.screens.lead.jobs import LeadClaimed
    from prospector.tui.widgets.lead_card import LeadCard

    if kind == "alone":  # without colleagues or script pane: the workbench before them
        accounts.colleagues = lambda *args, **kwargs: accounts.NONE  # type: ignore[assignment]

    clock_now = [START]
    app = make_app(db_path=path, rep="bench", clock=lambda: clock_now[0])
    del fixed_clock

    # "Shown" = the lead screen has handled the new lead and the frame after it is
    # drawn; Pilot's own waiting after a press (idle checks) is not counted.
    painted: list[float] = []
    handled = LeadScreen.on_lead_screen_lead_claimed

    def on_lead_claimed(self: LeadScreen, message: LeadClaimed) -> None:
        handled(self, message)
        self.call_after_refresh(lambda: painted.append(time.perf_counter()))

    LeadScreen.on_lead_screen_lead_claimed = on_lead_claimed  # type: ignore[method-assign]

    def shown_lead():
        screens = [s for s in app.screen_stack if isinstance(s, LeadScreen)]
        return screens[0].query_one(LeadCard).lead if screens else None

    def shown() -> int | None:
        lead = shown_lead()
        return None if lead is None else lead.card.contact_id

    async def run() -> dict:
        async with app.run_test(size=(100, 30)) as pilot:
            while shown() is None:
                await pilot.pause(0.001)
            start = time.perf_counter() - began
            script_pane = kind != "alone"
            if script_pane:  # it stays open from lead to lead
                await pilot.press("s")
                await pilot.pause()
            laps, colleagues = [], []
            for _ in range(presses):
                before, count = shown(), len(painted)
                clock_now[0] += timedelta(seconds=1)
                t = time.perf_counter()
                await pilot.press("1")
                while shown() == before or len(painted) == count:
                    await pilot.pause(0.001)
                laps.append(painted[-1] - t)
                colleagues.append(shown_lead().colleagues.total)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            return {
                "start": start,
                "laps": laps,
                "rss_mb": rss,
                "colleagues": colleagues,
                "script_pane": script_pane,
            }

    return asyncio.run(run())


def measure(kind: str, path: Path, presses: int) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "tests.bench.bench_tui", "--child", kind, str(path), str(presses)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "PATH", "PRESSES"))
    args = parser.parse_args()
    if args.child:
        kind, path, presses = args.child
        print(json.dumps(child(kind, path, int(presses))))
        return
    path = database(args.contacts)
    bare = measure("bare", path, 0)
    alone = measure("alone", path, args.presses)
    ours = measure("workbench", path, args.presses)
    laps = sorted(ours["laps"])

    def pct(laps: list[float], p: float) -> float:
        return laps[min(len(laps) - 1, int(p * len(laps)))] * 1000

    def figures(laps: list[float]) -> str:
        return (
            f"p50 {pct(laps, 0.5):.1f} ms  p95 {pct(laps, 0.95):.1f} ms"
            f"  max {laps[-1] * 1000:.0f} ms"
        )

    without = sorted(alone["laps"])
    pane = "  (script pane open)" if ours["script_pane"] else ""
    print(
        f"workbench with {args.contacts:,} contacts in accounts of {ACCOUNT_SIZE}"
        f" ({account_count(args.contacts):,} accounts){pane}"
    )
    print(f"  bare Textual app start to first screen   {bare['start']:.2f} s   (reference)")
    print(f"  start to first lead shown                {ours['start']:.2f} s   (target <= 1.5 s)")
    print(
        f"  disposition key to next lead, {len(laps)} presses: {figures(laps)}"
        "   (target p95 <= 100 ms)"
    )
    shown = sorted(set(ours["colleagues"]))
    print(f"    with colleagues and script pane:  {figures(laps)}   (colleagues per lead {shown})")
    print(
        f"    without (as before issue 16):     {figures(without)}"
        f"   (with/without p95 {pct(laps, 0.95) / pct(without, 0.95):.2f}x, target < 2x)"
    )
    print(
        f"  peak RSS                                 {ours['rss_mb']:.0f} MB   (target <= 200 MB)"
    )


if __name__ == "__main__":
    main()
