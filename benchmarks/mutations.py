"""Mutation benchmark: how many planted single mistakes `fako validate` catches, per class.

    .venv/bin/python benchmarks/mutations.py [--quick] [--check] [--render DIR] [--cli N] [-v]

Renders the staging cluster with its switched-off apps once (`fako synth --include-disabled
-o TMP`, or reads `--render DIR`), loads it as `fako validate DIR` does, and validates it
once for the baseline. Then, for each case of `mutation_cases.MUTATIONS`, it plants one
mistake into copies of the objects concerned (the rest of the tree is shared, nothing is
written) and validates the whole mutated tree in-process exactly as `fako validate
--include-disabled DIR` does (`load_tree` objects, `facts_for` the staging cluster,
`run_validation`). A mistake is caught when the validation has an error that the baseline
did not have on an object the mutation touched (for cases documented as warnings, a new
warning counts too).

`--cli N` writes N of the mutated trees to disk (hard links, with only the changed files
rewritten) and checks that the real `fako validate --include-disabled DIR` reports the
same new errors as the in-process run.

Prints planted/caught/share per class, the missed cases, the overall share and the share
of the cases the API server itself would reject. With `--check` the exit status is 1 when
fewer than 95% overall or fewer than 100% of the API-server-rejected cases are caught.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutation_cases import CLASSES, MUTATIONS, Mutation, Workspace

from fako.checks import facts_for, run_validation
from fako.definition import build
from fako.emit import dump_all
from fako.render import render
from fako.rendered import RenderedObject
from fako.synth import load_definition
from fako.validation import ClusterFacts, Finding, Report, load_tree

TARGET_OVERALL = 0.95
TARGET_REJECTED = 1.0
QUICK = (
    "deployment-name-uppercase",
    "memory-limit-gb",
    "mount-names-no-volume",
    "ingress-backend-port-missing",
    "pvc-claim-typo",
    "privileged-container",
    "plaintext-secret",
    "ingress-host-copied",
)
"""`--quick`: one case per class."""

Key = tuple[str, str, str, str, str, str]


def _key(f: Finding) -> Key:
    """A finding without its position (positions move when a file is rewritten)."""
    return (f.severity, f.check, f.ref, f.field, f.value, f.message)


def _counts(f: Finding, warning: bool) -> bool:
    return f.fails or (warning and f.severity == "warning" and not f.allowed)


@dataclass(frozen=True)
class Outcome:
    """What the validation said about one mutation."""

    mutation: Mutation
    caught_by: tuple[Finding, ...]
    elsewhere: tuple[Finding, ...]
    new_errors: frozenset[tuple[str, str, str, str]]

    @property
    def caught(self) -> bool:
        return bool(self.caught_by)


def _validate(objects: Sequence[RenderedObject], facts: ClusterFacts) -> Report:
    """`fako validate --include-disabled DIR`, in-process (a tree read from disk is never `complete`)."""
    return run_validation(objects, facts, complete=False)


def evaluate(mutation: Mutation, objects: Sequence[RenderedObject], facts: ClusterFacts, baseline: set[Key]) -> Outcome:
    """Plant `mutation` into `objects`, validate, and keep what is new."""
    workspace = Workspace(objects)
    mutation.apply(workspace)
    if not workspace.changed():
        raise SystemExit(f"case {mutation.id} changed nothing: the render changed, update the case")
    report = _validate(workspace.objects(), facts)
    involved = workspace.involved()
    new = [f for f in report.findings if _key(f) not in baseline and _counts(f, mutation.warning)]
    caught_by = tuple(f for f in new if f.ref in involved)
    elsewhere = tuple(f for f in new if f.ref not in involved)
    errors = frozenset((f.check, f.ref, f.field, f.value) for f in report.findings if f.fails) - frozenset(
        (k[1], k[2], k[3], k[4]) for k in baseline if k[0] == "error"
    )
    return Outcome(mutation, caught_by, elsewhere, errors)


# -- the CLI cross-check ----------------------------------------------------------------------


def write_mutated(root: Path, objects: Sequence[RenderedObject], mutation: Mutation, out: Path) -> None:
    """`root` copied to `out` as hard links, with the files `mutation` changes rewritten."""
    shutil.copytree(root, out, copy_function=os.link)
    workspace = Workspace(objects)
    mutation.apply(workspace)
    mutated = workspace.objects()
    for path in sorted(workspace.paths()):
        target = out / path
        target.unlink()
        target.write_text(dump_all([o.manifest for o in mutated if o.path == path]), encoding="utf-8")


def cli_errors(tree: Path) -> set[tuple[str, str, str, str]]:
    """The failing findings of the real `fako validate --include-disabled TREE --format json`."""
    proc = subprocess.run(
        [sys.executable, "-m", "fako", "validate", "--include-disabled", str(tree), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(f"fako validate {tree} failed ({proc.returncode}): {proc.stderr.strip()}")
    data: dict[str, Any] = json.loads(proc.stdout)
    return {
        (f["check"], f["ref"], f["field"], f["value"])
        for f in data["findings"]
        if f["severity"] == "error" and not f["allowed"]
    }


@dataclass(frozen=True)
class CrossCheck:
    """The new errors of one mutated tree, from the real CLI and from the in-process run."""

    id: str
    cli: frozenset[tuple[str, str, str, str]]
    in_process: frozenset[tuple[str, str, str, str]]

    @property
    def same(self) -> bool:
        return self.cli == self.in_process

    def lines(self) -> list[str]:
        verdict = "same new errors" if self.same else "DIFFERENT"
        out = [f"  {self.id:<38} {verdict} ({len(self.cli)} from the CLI, {len(self.in_process)} in-process)"]
        out.extend(f"      only the CLI:    {item}" for item in sorted(self.cli - self.in_process))
        out.extend(f"      only in-process: {item}" for item in sorted(self.in_process - self.cli))
        return out


def cross_check(
    root: Path, objects: Sequence[RenderedObject], outcomes: Sequence[Outcome], n: int, work: Path
) -> list[CrossCheck]:
    """The CLI against the in-process run on `n` of the outcomes, spread over the list."""
    if n <= 0 or not outcomes:
        return []
    step = (len(outcomes) - 1) / max(n - 1, 1)
    picked = list(dict.fromkeys(outcomes[round(i * step)] for i in range(min(n, len(outcomes)))))
    base = cli_errors(root)
    checks = []
    for outcome in picked:
        tree = work / outcome.mutation.id
        write_mutated(root, objects, outcome.mutation, tree)
        checks.append(CrossCheck(outcome.mutation.id, frozenset(cli_errors(tree) - base), outcome.new_errors))
        shutil.rmtree(tree)
    return checks


# -- the report ---------------------------------------------------------------------------------


def _share(caught: int, planted: int) -> str:
    return f"{100 * caught / planted:5.1f}%" if planted else "    -"


def table(outcomes: Sequence[Outcome]) -> list[str]:
    """The per-class table, the totals and the missed cases."""
    lines = [f"{'class':<28} {'planted':>7} {'caught':>7} {'share':>7}   {'API-rejected caught':>19}"]
    for number, name in CLASSES.items():
        rows = [o for o in outcomes if o.mutation.klass == number]
        rejected = [o for o in rows if o.mutation.rejected]
        caught = sum(o.caught for o in rows)
        caught_rejected = sum(o.caught for o in rejected)
        lines.append(
            f"{number}. {name:<25} {len(rows):>7} {caught:>7} {_share(caught, len(rows)):>7}   "
            f"{caught_rejected:>8} of {len(rejected):<3} {_share(caught_rejected, len(rejected))}"
        )
    rejected = [o for o in outcomes if o.mutation.rejected]
    total, caught = len(outcomes), sum(o.caught for o in outcomes)
    caught_rejected = sum(o.caught for o in rejected)
    lines.append(
        f"{'all':<28} {total:>7} {caught:>7} {_share(caught, total):>7}   "
        f"{caught_rejected:>8} of {len(rejected):<3} {_share(caught_rejected, len(rejected))}"
    )
    apps = {o.mutation.app for o in outcomes}
    lines.append(f"overall: {caught}/{total} caught ({_share(caught, total).strip()}) across {len(apps)} apps")
    lines.append(
        f"API server would reject: {caught_rejected}/{len(rejected)} caught ({_share(caught_rejected, len(rejected)).strip()})"
    )
    missed = [o for o in outcomes if not o.caught]
    lines.append(f"missed ({len(missed)}):" if missed else "missed: none")
    for o in missed:
        m = o.mutation
        rejected_note = ", API server rejects" if m.rejected else ""
        lines.append(f"  [{m.klass}] {m.id}{rejected_note}: {m.description}")
        lines.extend(f"      reported elsewhere: {_short(f)}" for f in o.elsewhere)
    return lines


def _short(f: Finding) -> str:
    return f"{f.severity} {f.check} on {f.ref}: {f.message[:140]}"


def details(outcomes: Iterable[Outcome]) -> list[str]:
    """One line per case (for -v): what caught it."""
    lines = []
    for o in outcomes:
        m = o.mutation
        by = ", ".join(sorted({f.check for f in o.caught_by})) or "-"
        lines.append(f"  {'caught' if o.caught else 'MISSED'}  [{m.klass}] {m.id:<38} {by}")
        for f in o.caught_by:
            lines.append(f"          {_short(f)}")
        for f in o.elsewhere:
            lines.append(f"          elsewhere: {_short(f)}")
    return lines


# -- main -----------------------------------------------------------------------------------------


def _synth(out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "fako", "synth", "--include-disabled", "-q", "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"only {len(QUICK)} cases, one per class")
    parser.add_argument("--check", action="store_true", help="exit 1 when below the targets (95%%, 100%% of rejected)")
    parser.add_argument("--render", type=Path, help="an existing `fako synth --include-disabled` render to use")
    parser.add_argument("--cli", type=int, help="cases cross-checked with the real CLI (default: 3, 1 with --quick)")
    parser.add_argument("--case", action="append", default=[], help="run only this case (repeatable)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every case and the findings that caught it")
    args = parser.parse_args(argv)

    cases = list(MUTATIONS)
    wanted = list(args.case) or (list(QUICK) if args.quick else [])
    if wanted:
        known = {m.id for m in cases}
        unknown = sorted(set(wanted) - known)
        if unknown:
            parser.error(f"unknown case {', '.join(unknown)}")
        cases = [m for m in cases if m.id in wanted]
    cli_n = args.cli if args.cli is not None else (1 if args.quick else 3)

    with tempfile.TemporaryDirectory(prefix="fako-mutations-") as tmp:
        work = Path(tmp)
        start = time.perf_counter()
        root = args.render or work / "render"
        proc = None if args.render else _synth(root)
        definition = load_definition("staging")
        cluster = build(definition, include_disabled=True)
        facts = facts_for(cluster, definition, render(cluster))
        if proc is not None:
            _, err = proc.communicate()
            if proc.returncode != 0:
                raise SystemExit(f"fako synth failed: {err.decode(errors='replace').strip()}")
        objects = load_tree(root)
        base_report = _validate(objects, facts)
        baseline = {_key(f) for f in base_report.findings}
        prepared = time.perf_counter() - start

        start = time.perf_counter()
        outcomes = [evaluate(m, objects, facts, baseline) for m in cases]
        took = time.perf_counter() - start
        checked = cross_check(root, objects, outcomes, cli_n, work)

    print(f"baseline: {base_report.summary()} (render, facts and baseline in {prepared:.1f} s)")
    print(f"{len(outcomes)} mutations validated in {took:.1f} s ({took / max(len(outcomes), 1):.2f} s each)")
    print()
    if args.verbose:
        print("cases:")
        print("\n".join(details(outcomes)))
        print()
    print("\n".join(table(outcomes)))
    if checked:
        trees = "tree" if len(checked) == 1 else "trees"
        print()
        print(f"cross-check with `fako validate --include-disabled DIR` on {len(checked)} mutated {trees}:")
        for check in checked:
            print("\n".join(check.lines()))
    rejected = [o for o in outcomes if o.mutation.rejected]
    overall = sum(o.caught for o in outcomes) / max(len(outcomes), 1)
    rejected_share = sum(o.caught for o in rejected) / len(rejected) if rejected else 1.0
    disagree = not all(c.same for c in checked)
    if args.check and (overall < TARGET_OVERALL or rejected_share < TARGET_REJECTED or disagree):
        print(
            f"below target: {overall:.1%} overall (target {TARGET_OVERALL:.0%}), "
            f"{rejected_share:.1%} of API-rejected (target {TARGET_REJECTED:.0%})"
            + ("; the CLI disagrees with the in-process run" if disagree else "")
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
