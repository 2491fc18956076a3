"""The workbench stands on Textual's public API only, and its keys follow the team's catalog."""

from __future__ import annotations

import ast
from pathlib import Path

from prospector.foundations.db import open_database
from prospector.services.settings import default_settings, parse_settings, store_settings
from prospector.tui.screens.help import HelpScreen
from prospector.tui.widgets.key_footer import FooterCell, KeyFooter
from tests.tui_support import (
    START,
    execute,
    pinned_app,
    run_async,
    settle,
    started,
    team_database,
)

SIZE = (100, 30)

TUI = Path(__file__).parent.parent / "prospector" / "tui"


def private_uses(source: str) -> list[str]:
    """Private Textual modules or names imported, and ``._bindings`` read, in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
            parts = (node.module or "").split(".")
            names = [alias.name for alias in node.names]
            if any(p.startswith("_") for p in parts) or any(n.startswith("_") for n in names):
                found.append(f"from {node.module} import {', '.join(names)}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("textual") and "._" in alias.name:
                    found.append(f"import {alias.name}")
        elif isinstance(node, ast.Attribute) and node.attr == "_bindings":
            found.append(f"{ast.unparse(node)}")
    return found


def test_the_checker_sees_private_uses():
    source = (
        "from textual.widgets._footer import FooterKey\n"
        "import textual._context\n"
        "from textual.app import _private\n"
        "keys = screen._bindings.key_to_bindings\n"
        "from textual.widgets import Footer\n"
    )
    assert private_uses(source) == [
        "from textual.widgets._footer import FooterKey",
        "import textual._context",
        "from textual.app import _private",
        "screen._bindings",
    ]


def test_the_tui_uses_no_private_textual_api():
    files = sorted(TUI.rglob("*.py"))
    assert len(files) > 10
    found = {
        str(path.relative_to(TUI)): uses
        for path in files
        if (uses := private_uses(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def catalog_without_seven_and_one_renamed(db_path: Path) -> None:
    text = default_settings().source_text
    seven = text.index('[[dispositions]]\nkey = "7"')
    text = text[:seven] + text[text.index("[[dispositions]]", seven + 1) :]
    text = text.replace('label = "No answer"', 'label = "Nobody home"')
    with open_database(db_path) as db, db.write():
        store_settings(db, parse_settings(text), actor="lead", now=START)


def footer_cells(screen) -> list[str]:
    footer = screen.query_one(KeyFooter)
    return [f"{cell.key_display} {cell.description}" for cell in footer.query(FooterCell)]


@run_async
async def test_outcome_keys_follow_the_team_catalog(db_path: Path) -> None:
    team_database(db_path)
    catalog_without_seven_and_one_renamed(db_path)
    app = pinned_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        assert footer_cells(screen) == [
            "1 Nobody home",
            "2 Busy",
            "3 Voicemail",
            "4 Gatekeeper",
            "5 Callback",
            "6 Not interested",
            "8 Meeting set",
            "9 Wrong number",
            "0 Do not call",
            "d Dialed",
            "n Skip",
            "t Next number",
            "e Note",
            "s Script",
            "o Objection",
            "/ Search",
            "a Account",
            "r Reports",
            "p Pause",
            "? Help",
        ]
        await pilot.press("7")  # not in the catalog: nothing happens
        await settle(pilot)
        assert execute(db_path, "SELECT count(*) FROM calls")[0][0] == 0
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table")
        help_text = "\n".join(line.text for line in table.render_lines(table.region.reset_offset))
        assert "Nobody home" in help_text and "Not a fit" not in help_text
        await pilot.press("escape", "1")
        await settle(pilot)
    calls = execute(db_path, "SELECT disposition FROM calls")
    assert [row[0] for row in calls] == ["no_answer"]


@run_async
async def test_footer_keys_are_dimmed_without_a_lead_and_wrap_to_fit(db_path: Path) -> None:
    open_database(db_path).close()  # an empty queue
    app = pinned_app(db_path)
    async with app.run_test(size=(60, 30)) as pilot:
        screen = await started(pilot)
        footer = screen.query_one(KeyFooter)
        cells = list(footer.query(FooterCell))
        dimmed = {f"{c.key_display} {c.description}" for c in cells if not c.enabled}
        # The outcomes, d, n, t, e, o and a want a lead; s opens the script pane for the next.
        wanting = [*cells[:14], cells[15], cells[17]]
        assert dimmed == {f"{c.key_display} {c.description}" for c in wanting}
        assert [c.description for c in cells[13:]] == [
            "Note", "Script", "Objection", "Search", "Account", "Reports", "Pause", "Help",
        ]  # fmt: skip
        # 21 keys do not fit on one 60-column line: every one is still on screen.
        assert footer.size.height > 1
        assert all(screen.region.contains_region(cell.region) for cell in cells)
        assert len({cell.region.y for cell in cells}) == footer.size.height
