"""`fako synth`: render the cluster into dist/ (or one app's YAML to stdout with `-o -`).

fako synth                         # the cluster's enabled apps into <checkout>/dist
fako synth --include-disabled -o /tmp/all
fako synth --app n8n -o -          # n8n's YAML on stdout, checked against the whole cluster
fako synth --check                 # exit 1 listing the files a fresh render would change
fako synth --app-file hello.py -o /tmp/r   # the cluster plus hello.py's apps into /tmp/r
fako synth --app-file hello.py -o -        # only hello.py's apps' YAML on stdout

With --app-file the file's apps join the cluster (replacing apps of the same name) and
are judged in its context: only findings on their objects, or caused by them (a hostname
another app claims too), fail the run. `-o DIR` writes the whole render, new apps
included: that is the tree Flux would apply.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from fako.cli import options, ui
from fako.cli.options import add_app_filter, add_cache_option, add_format, common, default_dist, render_cache
from fako.errors import UsageError

if TYPE_CHECKING:
    from fako.rendercache import RenderCache
    from fako.synth import SynthResult

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `fako synth` to the command line."""
    p = sub.add_parser(
        "synth",
        help="render the cluster into dist/",
        description=__doc__,
        parents=[common()],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--cluster", default="staging", help="cluster to render (default: staging)")
    p.add_argument("-o", "--out", help="output folder, or - for YAML on stdout (default: <checkout>/dist)")
    p.add_argument("--include-disabled", action="store_true", help="also render switched-off apps")
    p.add_argument("--check", action="store_true", help="exit 1 when the output folder is stale; write nothing")
    p.add_argument(
        "--app-file",
        type=Path,
        help="add the AppConstruct subclasses of this file to the cluster and judge them in its context",
    )
    add_app_filter(p)
    p.add_argument("--no-validate", action="store_true", help="skip schema and reference checks")
    p.add_argument(
        "--require-secrets",
        action="store_true",
        help="fail when an encrypted file is missing (for a checkout that holds the owner's secrets/)",
    )
    add_cache_option(p)
    add_format(p)
    p.set_defaults(func=run)


def _selected(render_files: dict[str, bytes], objects: list[object], apps: list[str]) -> bytes:
    """The YAML of the chosen apps, as one multi-document stream (encrypted files as committed)."""
    from fako.rendered import RenderedObject

    paths: list[str] = []
    for obj in objects:
        assert isinstance(obj, RenderedObject)
        if obj.app in apps and obj.path not in paths:
            paths.append(obj.path)
    chunks = [render_files[p].rstrip(b"\n") + b"\n" for p in paths]
    return b"---\n".join(chunks)


def _build(
    args: argparse.Namespace, out: Path, include_disabled: bool, check_only: bool, cache: RenderCache | None, mode: str
) -> tuple[SynthResult, tuple[str, ...]]:
    """Build the render (reusing unchanged units from `cache`), check it, write it."""
    # imported here so `fako --help`, other commands and a cache hit do not start Node or load models
    from fako.kernel import start_early

    start_early()  # Node boots and loads cdk8s while what needs no Node is done first
    from fako.checks import synth_checks
    from fako.synth import load_definition, synth

    if cache is not None and not args.app_file and options.OWN_PROCESS:
        from fako.unitstubs import stand_in

        standing = stand_in(cache)  # unchanged units' modules are not imported
        if standing:
            ui.detail(f"{ui.plural(standing, 'unchanged unit module')} not imported: their objects come from the cache")
    from fako.appfile import definition_from_file, with_app_file  # imports cdk8s
    from fako.definition import build

    definition = load_definition(args.cluster)
    file_apps: tuple[str, ...] = ()
    if args.app_file:
        build(definition_from_file(args.app_file))  # the file's own spec errors first, without the cluster
        definition, file_apps = with_app_file(definition, args.app_file)
    memo = cache.object_memo(f"synth:{definition.facts.kubernetes_version}") if cache is not None else None
    checks = [] if args.no_validate else synth_checks(definition, apps=file_apps, memo=memo)
    result = synth(
        definition,
        out,
        include_disabled=include_disabled,
        check_only=check_only,
        checks=checks,
        require_secrets=args.require_secrets,
        cache=cache,
        check_mode="" if args.app_file else mode,
    )
    if memo is not None:
        memo.save()
    return result, file_apps


def run(args: argparse.Namespace) -> int:
    """Render, check, write (or print); one summary line on stderr."""
    from fako.synth import synth_from_cache

    started = time.perf_counter()
    to_stdout = args.out == "-"
    apps = list(args.app or [])
    if apps and not to_stdout:
        raise UsageError("--app renders part of the cluster: print it with -o -, or render everything into a folder")
    if to_stdout and args.check:
        raise UsageError("--check compares a folder with a fresh render: give -o DIR, not -o -")
    out = default_dist() if args.out in (None, "-") else Path(args.out)
    include_disabled = args.include_disabled or bool(apps)
    check_only = args.check or to_stdout
    mode = "none" if args.no_validate else "synth"
    cache = render_cache(args, args.cluster, include_disabled)
    result = None
    file_apps: tuple[str, ...] = ()
    if cache is not None and not args.app_file:
        result = synth_from_cache(
            cache,
            out,
            cluster_name=args.cluster,
            check_mode=mode,
            check_only=check_only,
            require_secrets=args.require_secrets,
        )
    if result is None:
        result, file_apps = _build(args, out, include_disabled, check_only, cache, mode)
        if cache is not None:
            ui.detail(f"reused {len(cache.hits)} of {ui.plural(cache.units, 'unit')} from the cache")
    else:
        ui.detail("render unchanged: taken whole from the cache")
    render = result.render
    elapsed = time.perf_counter() - started
    units = sorted({(o.layer, o.app) for o in render.objects})
    if apps:
        known = {app for _, app in units}
        unknown = [a for a in apps if a not in known]
        if unknown:
            raise UsageError(f"no app named {', '.join(map(repr, unknown))} in this cluster; `fako apps` lists them")
    for absent in render.absent:
        ui.detail(f"  left out (encrypted file not in this checkout): {absent.app}: {absent.label} ({absent.file})")
    left_out = (
        f"; {ui.plural(len(render.absent), 'encrypted object')} left out (-v lists them)" if render.absent else ""
    )
    summary = {
        "objects": len(render.objects),
        "units": len(units),
        "out": "-" if to_stdout else str(out),
        "absent": [{"app": a.app, "kind": a.kind, "namespace": a.namespace, "name": a.name} for a in render.absent],
        "stale": result.stale,
        "seconds": round(elapsed, 3),
    }
    if to_stdout:
        chosen = apps or list(file_apps) or sorted({o.app for o in render.objects})
        sys.stdout.buffer.write(_selected(render.files, list(render.objects), chosen))
        sys.stdout.flush()
        count = sum(1 for o in render.objects if o.app in chosen)
        ui.info(f"printed {ui.plural(count, 'object')}{left_out}")
        return 0
    if args.format == "json":
        sys.stdout.write(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    if args.check:
        if result.stale:
            if args.format == "text":
                print(f"{out} is stale; these files differ from a fresh render:")
                for path in result.stale:
                    print(f"  {path}")
            ui.error("run `fako synth` to refresh it")
            return 1
        ui.info(f"{out} is up to date ({ui.plural(len(render.objects), 'object')}, {elapsed:.2f}s)")
        return 0
    if result.warnings:
        ui.detail(f"{ui.plural(result.warnings, 'warning')}: `fako validate` lists them")
    joined = f" (with {', '.join(file_apps)} from {args.app_file})" if file_apps else ""
    ui.info(
        f"rendered {ui.plural(len(render.objects), 'object')} of {ui.plural(len(units), 'unit')}{joined} "
        f"into {out}/ in {elapsed:.2f}s{left_out}"
    )
    return 0
