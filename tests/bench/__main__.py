"""``python -m tests.bench``: run every ``bench_*`` module in this folder in turn."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
    if module.name.startswith("bench_"):
        print(f"== {module.name}")
        importlib.import_module(f"tests.bench.{module.name}").main()
