"""`fako synth`: render the cluster into `dist/`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("synth", help="render the cluster into dist/", description=__doc__)
    p.add_argument("--cluster", default="staging", help="cluster to render (default: staging)")
    p.add_argument("--out", type=Path, default=Path("dist"), help="output folder (default: dist)")
    p.add_argument("--include-disabled", action="store_true", help="also render switched-off apps")
    p.add_argument("--check", action="store_true", help="exit 1 when the committed dist/ is stale; write nothing")
    p.add_argument("--app-file", type=Path, help="render only the AppConstruct subclasses of this file")
    p.add_argument("--no-validate", action="store_true", help="skip schema and reference checks")
    p.add_argument(
        "--require-secrets",
        action="store_true",
        help="fail when an encrypted file is missing (for a checkout that holds the owner's secrets/)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # imported here so `fako --help` and other commands do not start Node or load models
    from fako.appfile import definition_from_file
    from fako.checks import synth_checks
    from fako.synth import load_definition, synth

    started = time.perf_counter()
    definition = definition_from_file(args.app_file) if args.app_file else load_definition(args.cluster)
    checks = [] if args.no_validate else synth_checks(definition, standalone=bool(args.app_file))
    result = synth(
        definition,
        args.out,
        include_disabled=args.include_disabled,
        check_only=args.check,
        checks=checks,
        require_secrets=args.require_secrets,
    )
    render = result.render
    elapsed = time.perf_counter() - started
    if render.absent:
        by_app: dict[str, list[str]] = {}
        for absent in render.absent:
            by_app.setdefault(absent.app, []).append(absent.label)
        print(
            f"fako: {len(render.absent)} encrypted objects left out: their SOPS files are not in "
            "secrets/ here (the owner's checkout has them):",
            file=sys.stderr,
        )
        for app, names in by_app.items():
            print(f"  {app}: {', '.join(names)}", file=sys.stderr)
    apps = {(o.layer, o.app) for o in render.objects}
    if args.check:
        if result.stale:
            print(f"{args.out} is stale; these files differ from a fresh render:")
            for path in result.stale:
                print(f"  {path}")
            print("run `fako synth` and commit the result", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date ({len(render.objects)} objects, {elapsed:.2f}s)", file=sys.stderr)
        return 0
    print(
        f"fako: rendered {len(render.objects)} objects of {len(apps)} units into {args.out}/ in {elapsed:.2f}s",
        file=sys.stderr,
    )
    return 0
