"""Mutation scores per module from mutmut's results (run from the checkout after `mutmut run`).

Usage: python tools/mutation/score.py [--survivors] [--reset-survivors]

Reads mutants/**/*.py.meta (mutmut 3). Killed: a test failed (exit code 1), or the mutant
timed out or crashed the test run. Survived: every test passed (exit code 0). "no tests":
no in-process test calls the function (exit code 33; counted as survived in the score).
Mutants listed in tools/mutation/SURVIVORS.md as equivalent are left out of the score.
`--reset-survivors` forgets the result of every surviving mutant (not the equivalent ones),
so the next `mutmut run` tests them again, with tests added since (tests/edges/).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SURVIVORS = ROOT / "tools" / "mutation" / "SURVIVORS.md"


def equivalent() -> set[str]:
    """Mutant names SURVIVORS.md marks as equivalent (a line `- NAME: equivalent ...`)."""
    if not SURVIVORS.is_file():
        return set()
    return set(re.findall(r"^- `?([\w.ǁ]+)`?: equivalent", SURVIVORS.read_text(encoding="utf-8"), re.M))


def reset_survivors(skip: set[str]) -> int:
    """Set the result of every surviving (or untested) mutant back to "not run"."""
    count = 0
    for meta in sorted((ROOT / "mutants" / "src").rglob("*.py.meta")):
        data = json.loads(meta.read_text())
        codes = data["exit_code_by_key"]
        again = [name for name, code in codes.items() if code in (0, 33) and name not in skip]
        for name in again:
            codes[name] = None
        if again:
            meta.write_text(json.dumps(data))
            count += len(again)
    return count


def main() -> int:
    show = "--survivors" in sys.argv
    skip = equivalent()
    if "--reset-survivors" in sys.argv:
        print(f"{reset_survivors(skip)} surviving mutants will be tested again by the next `mutmut run`")
        return 0
    totals: Counter[str] = Counter()
    rows = []
    for meta in sorted((ROOT / "mutants" / "src").rglob("*.py.meta")):
        module = str(meta.relative_to(ROOT / "mutants")).removesuffix(".meta")
        counts: Counter[str] = Counter()
        survivors = []
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            if name in skip:
                counts["equivalent"] += 1
            elif code is None:
                counts["not run"] += 1
            elif code == 0:
                counts["survived"] += 1
                survivors.append(name)
            elif code == 33:
                counts["no tests"] += 1
                survivors.append(name)
            else:
                counts["killed"] += 1
        judged = counts["killed"] + counts["survived"] + counts["no tests"]
        score = 100.0 * counts["killed"] / judged if judged else 100.0
        rows.append((module, counts, score, survivors))
        totals.update(counts)
    for module, counts, score, survivors in rows:
        detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        print(f"{score:5.1f}%  {module}  ({detail})")
        if show:
            for name in survivors:
                print(f"        {name}")
    judged = totals["killed"] + totals["survived"] + totals["no tests"]
    print(f"{100.0 * totals['killed'] / judged if judged else 100.0:5.1f}%  all  ({', '.join(f'{k} {v}' for k, v in sorted(totals.items()))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
