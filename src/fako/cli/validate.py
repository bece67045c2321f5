"""`fako validate`: schemas, cross-object references and policy over a rendered tree.

fako validate                        # a fresh render of the cluster's enabled apps
fako validate --include-disabled     # every app, switched-off ones too
fako validate DIR                    # a rendered tree on disk
fako validate --app n8n              # n8n's findings, judged against the whole cluster
fako validate --app-file hello.py    # the cluster plus hello.py's apps: their findings

With --app or --app-file the whole cluster is checked and the report keeps the findings
on those apps' objects and the ones they cause elsewhere (a hostname another app claims
too); a switched-off app named with --app is switched on for the run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fako.cli.options import add_app_filter, common

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "validate",
        parents=[common()],
        help="check a rendered tree (default: a fresh render)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("dir", nargs="?", type=Path, help="a rendered tree to check instead of a fresh render")
    p.add_argument("--cluster", default="staging", help="cluster whose facts and allow-list apply")
    p.add_argument("--include-disabled", action="store_true", help="also check switched-off apps")
    p.add_argument("--app-file", type=Path, help="add this file's apps to the cluster and report their findings")
    add_app_filter(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--errors-only", action="store_true", help="print errors only (text format)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # imported here so `fako --help` and other commands do not start Node or load models
    from fako.appfile import definition_from_file, switch_on, with_app_file
    from fako.checks import facts_for, for_apps, run_validation
    from fako.definition import build
    from fako.errors import UsageError
    from fako.render import render
    from fako.synth import load_definition
    from fako.validation import load_tree

    definition = load_definition(args.cluster)
    apps = list(args.app or [])
    if args.app_file:
        if args.dir:
            raise UsageError("--app-file renders the cluster with the file's apps: give no DIR")
        build(definition_from_file(args.app_file))  # the file's own spec errors first, without the cluster
        definition, file_apps = with_app_file(definition, args.app_file)
        apps.extend(file_apps)
    elif apps and not args.dir:
        definition = switch_on(definition, apps)
    cluster = build(definition, include_disabled=args.include_disabled)
    rendered = render(cluster)
    facts = facts_for(cluster, definition, rendered)
    objects = load_tree(args.dir) if args.dir else rendered.objects
    complete = args.include_disabled and not args.dir
    report = run_validation(objects, facts, complete=complete)
    if apps:
        unknown = sorted(set(apps) - {o.app for o in objects})
        if unknown:
            raise UsageError(f"no object of app {', '.join(map(repr, unknown))} in the tree; `fako apps` lists them")
        report = for_apps(report, objects, facts, apps, complete=complete)
    if args.format == "json":
        sys.stdout.write(report.to_json() + "\n")
    else:
        for finding in report.findings:
            if not args.errors_only or finding.fails:
                print(finding.render())
        print(report.summary())
    return 0 if report.ok else 1
