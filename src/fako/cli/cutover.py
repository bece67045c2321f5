"""`fako cutover`: what switching Flux from the repository's paths to fako's render does.

Per Flux Kustomization (old name → new name): the objects the switch creates, changes,
keeps and prunes. Exit 1 when it would prune an object that fako neither renders nor
leaves out on purpose (the cluster's `CUTOVER` plan, with a reason per object).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `cutover` subcommand."""
    p = sub.add_parser(
        "cutover", help="what switching Flux to fako's render creates, changes, keeps and prunes", description=__doc__
    )
    p.add_argument(
        "--from",
        dest="source",
        type=Path,
        required=True,
        metavar="DIR",
        help="the cluster as it runs: a `kubectl kustomize` render of its Flux paths (a YAML file or a folder,"
        " one file or folder per Kustomization) or a checkout of its repository (a folder with clusters/CLUSTER/)",
    )
    p.add_argument("--cluster", default="staging", help="cluster to render and whose plan applies (default: staging)")
    p.add_argument("--dist", type=Path, metavar="DIR", help="use this rendered tree instead of a fresh render")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("-q", "--quiet", action="store_true", help="text: counts per Kustomization only, no objects")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the report; 0 when nothing would be pruned unexpectedly, else 1."""
    # imported here so `fako --help` and other commands do not start Node or load models
    from fako.cutover import compare, load_old, load_plan, new_from_definition, new_from_dist, render_json, render_text
    from fako.synth import load_definition

    plan = load_plan(args.cluster)
    old = load_old(args.source, args.cluster)
    new = new_from_dist(args.dist) if args.dist is not None else new_from_definition(load_definition(args.cluster))
    report = compare(old, new, plan)
    if args.format == "json":
        sys.stdout.write(render_json(report, str(args.source)))
    else:
        sys.stdout.write(render_text(report, quiet=args.quiet))
    if not report.ok:
        n = len(report.unexpected)
        print(
            f"fako: {n} object{'s' if n != 1 else ''} would be pruned that fako neither renders nor leaves out on"
            f" purpose: render them, or list each with a reason in fako.clusters.{args.cluster}.CUTOVER",
            file=sys.stderr,
        )
        return 1
    return 0
