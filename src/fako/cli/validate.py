"""`fako validate`: everything the API server and the cluster would refuse, before Flux does.

    fako validate                      # a fresh render: errors and new warnings
    fako validate --include-disabled   # every app, switched-off ones too (what CI checks)
    fako validate dist                 # an existing render (a folder), e.g. imported YAML
    fako validate --all                # reviewed warnings and allowed findings too
    fako validate --app n8n            # n8n's findings, judged against the whole cluster
    fako validate --app-file hello.py  # the cluster plus hello.py's apps: their findings

Warnings already reviewed are listed in the cluster's baseline file and only counted;
`--update-baseline` rewrites it from the current warnings.

With --app or --app-file the whole cluster is checked and the report keeps the findings
on those apps' objects and the ones they cause elsewhere (a hostname another app claims
too); a switched-off app named with --app is switched on for the run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fako.cli import ui
from fako.cli.options import add_app_filter, common

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `fako validate` to the command line."""
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
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--all", action="store_true", help="also print reviewed warnings and allowed findings")
    p.add_argument("--errors-only", action="store_true", help="print errors only (same as -q, kept for scripts)")
    p.add_argument(
        "--update-baseline", action="store_true", help="record the current warnings as reviewed (the baseline file)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate; print what needs attention; 1 when there is an error."""
    # imported here so `fako --help` and other commands do not start Node or load models
    from fako.appfile import definition_from_file, switch_on, with_app_file
    from fako.baseline import Baseline, baseline_path
    from fako.checks import facts_for, for_apps, run_validation
    from fako.definition import build
    from fako.errors import UsageError
    from fako.project import project_root
    from fako.render import render
    from fako.synth import load_definition
    from fako.validation import load_tree

    definition = load_definition(args.cluster)
    apps = list(args.app or [])
    if (apps or args.app_file) and args.update_baseline:
        raise UsageError("--update-baseline records the whole cluster's warnings: give no --app or --app-file")
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
    path = baseline_path(project_root(), args.cluster)
    if args.update_baseline:
        n = Baseline.write(path, report.warnings)
        ui.info(f"recorded {ui.plural(n, 'reviewed warning')} in {path}")
    baseline = Baseline.load(path)
    if args.format == "json":
        data = report.as_dict()
        for item, finding in zip(data["findings"], report.findings, strict=True):
            item["reviewed"] = baseline.reviewed(finding)
        import json

        sys.stdout.write(json.dumps(data, indent=2, sort_keys=True) + "\n")
        return 0 if report.ok else 1
    errors_only = args.errors_only or ui.quiet()
    reviewed = 0
    for finding in report.findings:
        if finding.fails:
            print(finding.render())
        elif errors_only:
            continue
        elif baseline.reviewed(finding):
            reviewed += 1
            if args.all or ui.verbose():
                print(finding.render())
        elif finding.allowed:
            if args.all or ui.verbose():
                print(finding.render())
        else:
            print(finding.render())
    new = len(report.warnings) - reviewed if not errors_only else 0
    detail = f" ({reviewed} reviewed in the baseline, {new} new; --all prints them)" if reviewed else ""
    if report.ok:
        ui.info(report.summary() + detail)
    else:
        ui.error(report.summary() + detail)
    return 0 if report.ok else 1
