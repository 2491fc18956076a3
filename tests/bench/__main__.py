"""``python -m tests.bench``: run every ``tests/bench/bench_*.py`` in turn."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path


def main() -> None:
    folder = Path(__file__).parent
    for module in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if module.name.startswith("bench_"):
            print(f"== {module.name}")
            importlib.import_module(f"tests.bench.{module.name}").main()


if __name__ == "__main__":
    main()
