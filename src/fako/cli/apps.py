"""`fako apps`: every unit of the cluster, on or off, with what it renders and answers on.

fako apps                            # a table: name, layer, on/off, objects, namespaces, hosts, databases, source
fako apps --layer apps --format json # the same as JSON, one object per unit
fako apps --app n8n --app blog       # just these
"""

from __future__ import annotations

import argparse
import json
import sys

from fako.cli import ui
from fako.cli.options import add_app_filter, add_format, common
from fako.errors import UsageError

__all__ = ["register", "run"]

_COLUMNS = ("name", "layer", "on", "objects", "namespaces", "hosts", "databases", "source")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `fako apps` to the command line."""
    p = sub.add_parser(
        "apps",
        parents=[common()],
        help="list every app: layer, on/off, objects, namespaces, hosts, databases",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--cluster", default="staging", help="cluster to list (default: staging)")
    p.add_argument("--layer", action="append", metavar="LAYER", help="only units of this layer (repeatable)")
    add_app_filter(p)
    add_format(p)
    p.set_defaults(func=run)


_SHOWN = 3
"""List cells show this many entries, then `+N` (all of them with -v or --format json)."""


def _join(values: list[str]) -> str:
    if not values:
        return "-"
    if len(values) > _SHOWN and not ui.verbose():
        return ",".join(values[:_SHOWN]) + f" +{len(values) - _SHOWN}"
    return ",".join(values)


def _cell(row: dict[str, object], column: str) -> str:
    if column == "on":
        return "on" if row["enabled"] else "off"
    if column == "databases":
        own = list(row["databases"])  # type: ignore[call-overload]
        shared = [f"{d} (shared)" for d in row["shared_databases"]]  # type: ignore[attr-defined]
        return _join(own + shared)
    value = row[column]
    if isinstance(value, list):
        return _join([str(v) for v in value])
    return str(value)


def run(args: argparse.Namespace) -> int:
    """Build the whole cluster (switched-off units too) and list its units."""
    # imported here so `fako --help` and other commands do not start Node or load models
    from fako.catalog import catalog
    from fako.definition import build
    from fako.synth import load_definition

    definition = load_definition(args.cluster)
    known_layers = [layer.name for layer in definition.layers]
    for layer in args.layer or []:
        if layer not in known_layers:
            raise UsageError(f"no layer named {layer!r}; the layers are {', '.join(known_layers)}")
    units = catalog(definition, build(definition, include_disabled=True))
    if args.app:
        names = {u.name for u in units}
        unknown = [a for a in args.app if a not in names]
        if unknown:
            raise UsageError(f"no app named {', '.join(map(repr, unknown))} in this cluster; `fako apps` lists them")
    chosen = [u for u in units if (not args.layer or u.layer in args.layer) and (not args.app or u.name in args.app)]
    rows = [u.as_dict() for u in chosen]
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        cells = [[_cell(r, c) for c in _COLUMNS] for r in rows]
        widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(_COLUMNS)]
        print("  ".join(c.upper().ljust(w) for c, w in zip(_COLUMNS, widths, strict=True)).rstrip())
        for row in cells:
            print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    on = sum(1 for u in chosen if u.enabled)
    layers = len({u.layer for u in chosen})
    ui.info(
        f"{ui.plural(len(chosen), 'unit')} in {ui.plural(layers, 'layer')}: {on} on, {len(chosen) - on} off, "
        f"{ui.plural(sum(u.objects for u in chosen), 'object')}"
    )
    return 0
