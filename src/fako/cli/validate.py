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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fako.cli import options, ui
from fako.cli.options import add_app_filter, add_cache_option, common, render_cache

if TYPE_CHECKING:
    from fako.current import CurrentRender
    from fako.rendercache import RenderCache
    from fako.rendered import RenderedObject
    from fako.validation.engine import ObjectMemo
    from fako.validation.findings import Report

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
    add_cache_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate; print what needs attention; 1 when there is an error."""
    # imported here so `fako --help` and other commands do not start Node or load models
    from fako.baseline import Baseline, baseline_path
    from fako.errors import UsageError
    from fako.project import project_root

    apps = list(args.app or [])
    if (apps or args.app_file) and args.update_baseline:
        raise UsageError("--update-baseline records the whole cluster's warnings: give no --app or --app-file")
    if args.app_file and args.dir:
        raise UsageError("--app-file renders the cluster with the file's apps: give no DIR")
    cache = render_cache(args, args.cluster, args.include_disabled)
    objects: Sequence[RenderedObject]
    if args.app_file or (apps and not args.dir):
        # the cluster changed by the file's apps or switched-on ones: built (unchanged units reused)
        from fako.kernel import start_early

        start_early()  # Node boots while the models load
        from fako.appfile import definition_from_file, switch_on, with_app_file
        from fako.checks import facts_for, run_validation
        from fako.definition import build
        from fako.render import render
        from fako.synth import load_definition

        definition = load_definition(args.cluster)
        if args.app_file:
            build(definition_from_file(args.app_file))  # the file's own spec errors first, without the cluster
            definition, file_apps = with_app_file(definition, args.app_file)
            apps.extend(file_apps)
        else:
            definition = switch_on(definition, apps)
        cluster = build(definition, include_disabled=args.include_disabled, cache=cache)
        rendered = render(cluster)
        facts = facts_for(cluster, definition, rendered)
        objects = rendered.objects
        complete = args.include_disabled
        report = run_validation(objects, facts, complete=complete)
    else:
        # the render of the source as it stands, from the cache when nothing changed
        # (a render is read from the cache without starting Node or loading the cluster)
        from fako.current import current_render
        from fako.validation import load_tree

        current = current_render(
            args.cluster, include_disabled=args.include_disabled, cache=cache, stand_ins=options.OWN_PROCESS
        )
        facts = current.facts
        objects = load_tree(args.dir) if args.dir else current.render.objects
        complete = args.include_disabled and not args.dir
        report = _checked(objects, current, complete, args.dir, cache)
    if apps:
        from fako.checks import for_apps

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


def _checked(
    objects: Sequence[RenderedObject],
    current: CurrentRender,
    complete: bool,
    folder: Path | None,
    cache: RenderCache | None,
) -> Report:
    """The report of a full validation of `objects`: stored with the render when this exact
    check ran before, else run (single-object findings remembered across runs)."""
    import dataclasses
    import hashlib

    mode = f"validate:complete={complete}"
    if folder is not None:
        h = hashlib.sha256()
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(f"{path.relative_to(folder)}\0".encode("utf-8", "surrogateescape") + path.read_bytes() + b"\0")
        mode += f":dir={h.hexdigest()}"
    stored = cache.load_report(current.key, mode) if cache is not None else None
    if stored is not None:
        from fako.validation.engine import expand_lists

        report = _stored_report(stored, len(expand_lists(objects)))
        if report is not None:
            return report
    memo = cache.object_memo(f"full:{current.facts.kubernetes_version}") if cache is not None else None
    report = None
    if cache is not None and memo is not None and folder is None:
        report = _from_synth(cache.load_report(current.key, "synth"), objects, current, memo)
        if report is not None:
            ui.detail("the last synth's findings reused: only the typed objects' schemas were checked")
    if report is None:
        from fako.checks import run_validation

        report = run_validation(objects, current.facts, complete=complete, memo=memo)
    if cache is not None and memo is not None:
        memo.save()
        cache.save_report(
            current.key, mode, [{k: str(v) for k, v in dataclasses.asdict(f).items()} for f in report.findings]
        )
    return report


def _stored_report(stored: list[dict[str, str]], objects: int) -> Report | None:
    """Stored findings as a report over `objects` objects (counted as validation counts them)."""
    from fako.validation.findings import Finding, Report

    try:
        return Report.of((Finding(**f) for f in stored), objects)  # type: ignore[arg-type]
    except TypeError:
        return None


def _from_synth(
    stored: list[dict[str, str]] | None, objects: Sequence[RenderedObject], current: CurrentRender, memo: ObjectMemo
) -> Report | None:
    """The full report from the one `fako synth` stored for this render, or None.

    A synth runs every check but one: it does not check the schemas of the objects its
    typed constructs built and validated (`skip_typed`). So its findings are the full
    report exactly when those schema checks find nothing, which is all this runs (through
    the memo: only objects new since the last validate are checked). Any schema finding
    there, and the full validation runs instead, so the allow-list is applied to it too.
    """
    from fako.checks import custom_resource_errors
    from fako.validation.engine import each, expand_lists
    from fako.validation.schemas import check_schemas

    if stored is None:
        return None
    expanded = expand_lists(objects)
    report = _stored_report(stored, len(expanded))
    if report is None:
        return None
    typed = [o for o in expanded if o.typed and o.raw is None]
    version = current.facts.kubernetes_version
    if each(typed, "schema", lambda some: check_schemas(some, version, custom_resource_errors), memo):
        return None
    return report
