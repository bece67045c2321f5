"""How long the object rules take per object on the real cluster's render.

    .venv/bin/python benchmarks/rules.py [--rounds 5]

Renders the staging cluster with its switched-off apps (what `fako synth
--include-disabled` renders), expands `*List` objects as the engine does, then times
`check_objects` over every object with each rule module's rules alone and with all of
`OBJECT_RULES`. Prints ms/object per module (best of `--rounds`) and the total; the
budget for all object rules together is 0.3 ms/object.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from fako.definition import build
from fako.render import render
from fako.rendered import RenderedObject
from fako.synth import load_definition
from fako.validation import crd_rules, object_names, podspec, secrets, strings, values
from fako.validation.catalogue import OBJECT_RULES, check_objects
from fako.validation.engine import expand_lists
from fako.validation.rules import Rule

BUDGET_MS = 0.3
MODULES = (
    ("strings", strings.RULES),
    ("secrets", secrets.RULES),
    ("object_names", object_names.RULES),
    ("values", values.RULES),
    ("podspec", podspec.RULES),
    ("crd_rules", crd_rules.RULES),
)


def _best_ms_per_object(objects: Sequence[RenderedObject], rules: Sequence[Rule], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _finding in check_objects(objects, rules):
            pass
        best = min(best, time.perf_counter() - start)
    return best * 1000 / len(objects)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    objects = expand_lists(render(build(load_definition("staging"), include_disabled=True)).objects)
    _best_ms_per_object(objects, OBJECT_RULES, 1)  # warm caches (compiled patterns, CEL programs)
    print(f"{len(objects)} objects, best of {args.rounds} rounds")
    for name, rules in MODULES:
        ms = _best_ms_per_object(objects, rules, args.rounds)
        print(f"  {name:<14} {len(rules):>3} rules  {ms:.4f} ms/object")
    total = _best_ms_per_object(objects, OBJECT_RULES, args.rounds)
    verdict = "within" if total <= BUDGET_MS else "OVER"
    print(f"  {'all':<14} {len(OBJECT_RULES):>3} rules  {total:.4f} ms/object ({verdict} the {BUDGET_MS} ms budget)")


if __name__ == "__main__":
    main()
