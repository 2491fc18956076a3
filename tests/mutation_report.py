"""Kill rate per rule module after ``make mutate``: ``python -m tests.mutation_report``.

Reads the results mutmut keeps beside each mutated file (``mutants/<path>.meta``,
JSON: mutant name -> exit code of its test run) and prints, per module, how many
mutants were tried, killed (a test failed, or the run timed out), survived, and how
many of the survivors are equivalent by construction, then the kill rate without
those and the names of the other survivors (``mutmut show NAME`` prints the change).

Equivalent by construction (no test can tell them apart, so they are not counted):
a change of letter case only, in the text of an SQL statement or column list outside
its quoted values (SQL keywords and names are case-insensitive) or in the key of a
database row (``row["status"]``: ``sqlite3.Row`` looks keys up case-insensitively).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

KILLED = {1, 3, 36, 24, -24, 152, 255}  # a failing test, a pytest error, a timeout
SURVIVED = {0}
NOT_RUN = {None, 5, 33, 34}  # no test reaches the function, skipped, or not checked

SQL_WORDS = re.compile(
    r"\b(select|update|insert|into|values|delete|where|from|join|set|and|or|null|is|not"
    r"|exists|order by)\b",
    re.IGNORECASE,
)
ROW_KEY = re.compile(r"""\b(?:row|top|found)\[(["'])(\w+)\1\]""")
QUOTED = re.compile(r"'[^']*'")
COLUMNS = re.compile(r"c\.\w+(, c\.\w+)*")  # an ORDER BY list: "c.sla_due_at, c.tier_priority"
LITERAL = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""")


def main(root: Path = Path("mutants")) -> int:
    metas = sorted(root.glob("prospector/**/*.py.meta"))
    if not metas:
        print("no mutation results: run `make mutate` first", file=sys.stderr)
        return 1
    totals = {"tried": 0, "killed": 0, "equivalent": 0}
    survivors: list[str] = []
    print(
        f"{'module':40} {'tried':>6} {'killed':>7} {'survived':>9} {'equiv.':>7} {'no test':>8}"
        f" {'kill rate':>10}"
    )
    for meta in metas:
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if not codes:
            continue
        module = str(meta.relative_to(root)).removesuffix(".meta")
        tried = [name for name, code in codes.items() if code not in NOT_RUN]
        killed = [name for name in tried if codes[name] in KILLED]
        lived = sorted(name for name in tried if codes[name] in SURVIVED)
        equivalent = [name for name in lived if is_equivalent(diff(name, module))]
        real = [name for name in lived if name not in equivalent]
        counted = len(tried) - len(equivalent)
        rate = f"{100 * len(killed) / counted:.1f}%" if counted else "–"
        print(
            f"{module:40} {len(tried):6} {len(killed):7} {len(lived):9} {len(equivalent):7}"
            f" {len(codes) - len(tried):8} {rate:>10}"
        )
        totals["tried"] += len(tried)
        totals["killed"] += len(killed)
        totals["equivalent"] += len(equivalent)
        survivors += real
    counted = totals["tried"] - totals["equivalent"]
    rate = f"{100 * totals['killed'] / counted:.1f}%" if counted else "–"
    print(
        f"{'all':40} {totals['tried']:6} {totals['killed']:7}"
        f" {counted - totals['killed'] + totals['equivalent']:9} {totals['equivalent']:7}"
        f" {'':8} {rate:>10}"
    )
    if survivors:
        print("\nsurvivors (`mutmut show NAME` prints the change):")
        for name in survivors:
            print(f"  {name}")
    return 0


def diff(name: str, module: str) -> str:
    """The mutant's change as a unified diff ('' when mutmut cannot say)."""
    try:
        from mutmut.mutation.diff_apply import get_diff_for_mutant
    except ImportError:  # another mutmut release: report every survivor
        return ""
    try:
        return get_diff_for_mutant(name, path=Path(module))
    except Exception:  # a mutant mutmut itself cannot show: count it as a survivor
        return ""


def is_equivalent(change: str) -> bool:
    """A change of letter case only, in SQL text outside its quoted values or a row key."""
    removed = [line[1:] for line in change.splitlines() if line.startswith("-")]
    added = [line[1:] for line in change.splitlines() if line.startswith("+")]
    removed = [line for line in removed if not line.startswith("--")]
    added = [line for line in added if not line.startswith("++")]
    if len(removed) != 1 or len(added) != 1:
        return False
    old, new = removed[0], added[0]
    if old == new or old.lower() != new.lower():
        return False
    if ROW_KEY.sub("ROW", old) == ROW_KEY.sub("ROW", new):  # only a row key changed case
        return True
    changed = [
        (before, after)
        for before, after in zip(LITERAL.findall(old), LITERAL.findall(new), strict=False)
        if before != after
    ]
    return len(changed) == 1 and all(
        (SQL_WORDS.search(before) or COLUMNS.fullmatch(before[1:-1]))
        and QUOTED.findall(before[1:-1]) == QUOTED.findall(after[1:-1])
        for before, after in changed
    )


if __name__ == "__main__":
    sys.exit(main())
