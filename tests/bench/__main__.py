"""``python -m tests.bench`` (``make bench``): run every ``bench_*`` module in turn.

Each runs in its own interpreter so one benchmark's memory and caches do not
colour the next one's figures.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path


def main() -> int:
    names = sorted(
        module.name
        for module in pkgutil.iter_modules([str(Path(__file__).parent)])
        if module.name.startswith("bench_")
    )
    failed = []
    for name in names:
        print(f"== {name}", flush=True)
        if subprocess.call([sys.executable, "-m", f"tests.bench.{name}", *sys.argv[1:]]):
            failed.append(name)
    if failed:
        print(f"benchmarks that did not finish: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
