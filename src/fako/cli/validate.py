"""`fako validate`: schemas, cross-object references and policy over a rendered tree."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fako.cli.options import add_cache_option, common, render_cache

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
    add_cache_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check the render of the current source (reused from the render cache, or built
    reusing every unchanged unit), or the tree in DIR against the cluster's facts."""
    import hashlib

    from fako.current import current_render
    from fako.validation.findings import Finding, Report

    cache = render_cache(args, args.cluster, args.include_disabled)
    current = current_render(args.cluster, include_disabled=args.include_disabled, cache=cache)
    complete = args.include_disabled and not args.dir
    mode = f"validate:complete={complete}"
    folder = None
    if args.dir:
        from fako.validation import load_tree

        folder = load_tree(args.dir)
        h = hashlib.sha256()
        for path in sorted(p for p in args.dir.rglob("*") if p.is_file()):
            h.update(f"{path.relative_to(args.dir)}\0".encode("utf-8", "surrogateescape") + path.read_bytes() + b"\0")
        mode += f":dir={h.hexdigest()}"
    stored = cache.load_report(current.key, mode) if cache is not None else None
    report: Report | None = None
    if stored is not None:
        try:
            objects = len(folder) if folder is not None else len(current.render.objects)
            report = Report.of((Finding(**f) for f in stored), objects)  # type: ignore[arg-type]
        except TypeError:
            report = None
    if report is None:
        from fako.checks import run_validation

        objects_checked = folder if folder is not None else current.render.objects
        memo = cache.object_memo(f"full:{current.facts.kubernetes_version}") if cache is not None else None
        report = run_validation(objects_checked, current.facts, complete=complete, memo=memo)
        if cache is not None and memo is not None:
            memo.save()
            import dataclasses

            cache.save_report(
                current.key, mode, [{k: str(v) for k, v in dataclasses.asdict(f).items()} for f in report.findings]
            )
    if args.format == "json":
        sys.stdout.write(report.to_json() + "\n")
    else:
        for finding in report.findings:
            if not args.errors_only or finding.fails:
                print(finding.render())
        print(report.summary())
    return 0 if report.ok else 1
