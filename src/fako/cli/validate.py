"""`fako validate`: schemas, cross-object references and policy over a rendered tree."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fako.cli.options import common

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "validate", parents=[common()], help="check a rendered tree (default: a fresh render)", description=__doc__
    )
    p.add_argument("dir", nargs="?", type=Path, help="a rendered tree to check instead of a fresh render")
    p.add_argument("--cluster", default="staging", help="cluster whose facts and allow-list apply")
    p.add_argument("--include-disabled", action="store_true", help="also check switched-off apps")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--errors-only", action="store_true", help="print errors only (text format)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # imported here so `fako --help` and other commands do not start Node or load models
    from fako.checks import facts_for, run_validation
    from fako.definition import build
    from fako.render import render
    from fako.synth import load_definition
    from fako.validation import load_tree

    definition = load_definition(args.cluster)
    cluster = build(definition, include_disabled=args.include_disabled)
    rendered = render(cluster)
    facts = facts_for(cluster, definition, rendered)
    objects = load_tree(args.dir) if args.dir else rendered.objects
    report = run_validation(objects, facts, complete=args.include_disabled and not args.dir)
    if args.format == "json":
        sys.stdout.write(report.to_json() + "\n")
    else:
        for finding in report.findings:
            if not args.errors_only or finding.fails:
                print(finding.render())
        print(report.summary())
    return 0 if report.ok else 1
