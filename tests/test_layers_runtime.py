"""Services and foundations load without Textual or click (fresh interpreter)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import prospector.foundations
import prospector.services


def test_services_and_foundations_do_not_load_textual_or_click():
    modules = [
        info.name
        for package in (prospector.foundations, prospector.services)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
    ]
    assert "prospector.services.importing.writer" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'click')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_command_line_and_the_workbench_start_without_the_importer_or_exports():
    # Every `prospector` run, the workbench's included, loads prospector.cli and the
    # workbench app; the importer (workers, writer) and the export machinery (http,
    # hmac) are loaded by the commands that use them.
    code = (
        "import sys\n"
        "import prospector.cli, prospector.tui.app, prospector.tui.screens.lead\n"
        "heavy = ('prospector.services.importing', 'prospector.services.export')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
