"""`fako import`: turn rendered Kubernetes YAML into a typed app module, and prove the round trip.

    fako import rendered.yaml --name my-app                 # writes src/fako/apps/my_app.py
    fako import a.yaml b.yaml --name my-app --out /tmp/x --render /tmp/x-dist

The module is rendered back (as `fako synth --app-file` does, without validation) and
compared with the input object by object; the command exits 1 when any object differs,
unless `--allow-diff`. Secret values are never written or printed: plaintext Secrets
become references to SOPS files the owner fills in, and stderr names them (keys only).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fako.cli.options import common
from fako.errors import FakoError

__all__ = ["register", "run"]

DEFAULT_OUT = Path("src/fako/apps")
_MAX_PATHS = 8


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `fako import` to the command line."""
    p = sub.add_parser(
        "import",
        parents=[common()],
        help="write a typed app module from Kubernetes YAML (kustomize / helm template output)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="YAML files (any number of documents each)")
    p.add_argument("--name", required=True, help="the app's name (DNS label); the module is its name with - as _")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder for the module (default: {DEFAULT_OUT})")
    p.add_argument("--allow-diff", action="store_true", help="exit 0 even when objects differ after the round trip")
    p.add_argument("--render", type=Path, metavar="DIR", help="also write the module's render to DIR (dist layout)")
    p.add_argument("--force", action="store_true", help="replace an existing module of that name")
    p.set_defaults(func=run)


def _check_render_dir(path: Path) -> None:
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise FakoError(f"--render {path}: must be an empty or new folder")


def run(args: argparse.Namespace) -> int:
    """Import, report the round trip, write the render if asked; 1 when an object differs."""
    from fako.importer import import_app  # the importer loads every construct: only when asked
    from fako.render import write_tree

    if args.render is not None:
        _check_render_dir(args.render)
    result = import_app(list(args.files), args.name, args.out, overwrite=args.force)
    for note in result.notes:
        print(f"fako: {note}", file=sys.stderr)
    files = result.files[1:]
    extra = f" (+ {len(files)} verbatim file{'s' if len(files) != 1 else ''} in {files[0].parent})" if files else ""
    print(f"wrote {result.module}{extra}: class {result.class_name}")
    comparison = result.comparison
    print(f"round trip: {comparison.summary()}")
    absent = sum(1 for r in comparison.results if r.absent)
    keyed = sum(1 for r in comparison.results if r.encrypted and not r.absent and r.verdict == "exact")
    if keyed:
        print(f"  {keyed} encrypted Secret{'s' if keyed != 1 else ''} compared on identity and data keys")
    if absent:
        print(
            f"  {absent} encrypted Secret{'s' if absent != 1 else ''} matched on identity only "
            "(SOPS file not in this checkout's secrets/)"
        )
    for failure in comparison.failures:
        paths = list(failure.paths[:_MAX_PATHS])
        more = f" (+{len(failure.paths) - _MAX_PATHS} more)" if len(failure.paths) > _MAX_PATHS else ""
        detail = f": {', '.join(paths)}{more}" if paths else ""
        print(f"  {failure.verdict}: {failure.label}{detail}")
    if args.render is not None and comparison.render is not None:
        write_tree(comparison.render.files, args.render)
        print(f"rendered into {args.render}/")
    if comparison.ok or args.allow_diff:
        return 0
    print("fako: the module does not render the input exactly (pass --allow-diff to accept it)", file=sys.stderr)
    return 1
