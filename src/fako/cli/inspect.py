"""`fako inspect`: every rendered object, with the construct and class that made it."""

from __future__ import annotations

import argparse
import json
import sys

from fako.cli import ui
from fako.cli.options import add_app_filter, common
from fako.errors import UsageError

__all__ = ["register", "run"]

_COLUMNS = ("layer", "app", "kind", "namespace", "name", "construct_path", "construct_class", "typed")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `fako inspect` to the command line."""
    p = sub.add_parser(
        "inspect", parents=[common()], help="list every rendered object and what made it", description=__doc__
    )
    p.add_argument("--cluster", default="staging", help="cluster to inspect (default: staging)")
    p.add_argument("--include-disabled", action="store_true", help="also list switched-off apps")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    add_app_filter(p)
    p.set_defaults(func=run)


def rows(cluster_name: str, include_disabled: bool) -> list[dict[str, object]]:
    """One row per rendered object, with the keys of `fako inspect --format json`."""
    # imported here so `fako --help` and other commands do not start Node or load models
    from fako.definition import build
    from fako.render import render
    from fako.synth import load_definition

    result = render(build(load_definition(cluster_name), include_disabled=include_disabled))
    return [
        {
            "layer": o.layer,
            "app": o.app,
            "kind": o.kind,
            "namespace": o.namespace,
            "name": o.name,
            "construct_path": o.construct_path,
            "construct_class": o.construct_class,
            "typed": o.typed,
        }
        for o in result.objects
    ]


def run(args: argparse.Namespace) -> int:
    """Print the objects as a table or JSON; one summary line on stderr."""
    apps = list(args.app or [])
    data = rows(args.cluster, args.include_disabled or bool(apps))
    if apps:
        unknown = sorted(set(apps) - {str(r["app"]) for r in data})
        if unknown:
            raise UsageError(f"no app named {', '.join(map(repr, unknown))} in this cluster; `fako apps` lists them")
        data = [r for r in data if r["app"] in apps]
    if args.format == "json":
        json.dump(data, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    widths = {c: max([len(c)] + [len(str(r[c])) for r in data]) for c in _COLUMNS}
    print("  ".join(c.upper().ljust(widths[c]) for c in _COLUMNS).rstrip())
    for r in data:
        print("  ".join(str(r[c]).ljust(widths[c]) for c in _COLUMNS).rstrip())
    typed = sum(1 for r in data if r["typed"])
    share = 100.0 * typed / len(data) if data else 100.0
    ui.info(f"{ui.plural(len(data), 'object')}, {typed} typed ({share:.1f}%), {len(data) - typed} raw")
    return 0
