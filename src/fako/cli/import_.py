"""`fako import`: turn rendered Kubernetes YAML into a typed app module, and prove the round trip.

    fako import rendered.yaml --name my-app                  # writes src/fako/apps/my_app.py
    helm template podinfo/podinfo | fako import - --name podinfo -o /tmp/podinfo
    fako import a.yaml b.yaml --name my-app -o /tmp/x --render-out /tmp/x-dist --format json

The module is rendered back (as `fako synth --app-file` does, without validation) and
compared with the input object by object; the command exits 1 when any object differs, is
missing, or the module makes an object the input does not have, unless `--allow-diff`.
Secret values are never written or printed: plaintext Secrets become references to SOPS
files the owner fills in, and stderr names them (keys only).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fako.cli import ui
from fako.cli.options import common
from fako.errors import FakoError, UsageError

if TYPE_CHECKING:
    from fako.importer import ImportResult
    from fako.importer.roundtrip import ObjectResult

__all__ = ["register", "run", "shown", "summary_json"]

DEFAULT_OUT = Path("src/fako/apps")
_MAX_PATHS = 8
_STDIN = Path("-")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `fako import` to the command line."""
    p = sub.add_parser(
        "import",
        parents=[common()],
        help="write a typed app module from Kubernetes YAML (kustomize / helm template output)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="YAML files (any number of documents each); - reads stdin"
    )
    p.add_argument("--name", required=True, help="the app's name (DNS label); the module is its name with - as _")
    p.add_argument(
        "-o", "--out", type=Path, default=DEFAULT_OUT, help=f"folder for the module (default: {DEFAULT_OUT})"
    )
    p.add_argument("--render-out", type=Path, metavar="DIR", help="also write the module's render to DIR (dist layout)")
    p.add_argument("--allow-diff", action="store_true", help="exit 0 even when the round trip is not exact")
    p.add_argument("--force", action="store_true", help="replace an existing module of that name")
    p.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or a JSON summary")
    p.set_defaults(func=run)


def _check_render_dir(path: Path) -> None:
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise FakoError(f"--render-out {path}: must be an empty or new folder")


def _read_stdin(files: list[Path]) -> bytes | None:
    if files.count(_STDIN) > 1:
        raise UsageError("'-' (standard input) may be given once")
    if _STDIN not in files:
        return None
    from fako.importer.loading import MAX_BYTES

    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FakoError(f"standard input: larger than {MAX_BYTES >> 20} MiB; not read")
    return data


def shown(text: str) -> str:
    """`text` from the input as printed: control characters escaped (`\\x1b`), never sent raw."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _label(r: ObjectResult) -> str:
    detail = ""
    if r.paths:
        more = f" (+{len(r.paths) - _MAX_PATHS} more)" if len(r.paths) > _MAX_PATHS else ""
        detail = f": {', '.join(r.paths[:_MAX_PATHS])}{more}"
    return shown(f"{r.verdict}: {r.label}{detail}")


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


def summary_json(result: ImportResult, render_out: Path | None) -> dict[str, Any]:
    """The `--format json` document: the module, its files, shares and every object's verdict."""
    c = result.comparison
    return {
        "module": str(result.module),
        "class": result.class_name,
        "files": [str(p) for p in result.files[1:]],
        "ok": c.ok,
        "objects": c.total,
        "exact": c.exact,
        "typed": c.typed,
        "extra": len(c.extra),
        "exact_share": _share(c.exact, c.total),
        "typed_share": _share(c.typed, c.total),
        "render_out": str(render_out) if render_out is not None else None,
        "results": [
            {
                "apiVersion": r.identity[0],
                "kind": r.identity[1],
                "namespace": r.identity[2],
                "name": r.identity[3],
                "verdict": r.verdict,
                "typed": r.typed,
                "paths": list(r.paths),
                "encrypted": r.encrypted,
                "identity_only": r.absent,
            }
            for r in c.results
        ],
        "notes": result.notes,
    }


def _text(result: ImportResult, args: argparse.Namespace) -> None:
    c = result.comparison
    files = result.files[1:]
    extra = f", {len(files)} verbatim file{'s' if len(files) != 1 else ''} in {files[0].parent}" if files else ""
    rendered = f", rendered into {args.render_out}/" if args.render_out is not None else ""
    line = shown(f"fako: wrote {result.module} (class {result.class_name}{extra}){rendered}: {c.summary()}")
    if c.ok and ui.quiet():
        return
    print(line)
    if ui.verbose():
        for r in c.results:
            typed = "typed" if r.typed else "Raw"
            how = " (encrypted: identity only, SOPS file not in secrets/)" if r.absent else ""
            print(shown(f"  {r.verdict}: {r.label} [{typed}]{how}"))
    elif not c.ok:
        for r in c.failures:
            print(f"  {_label(r)}")


def run(args: argparse.Namespace) -> int:
    """Import, report the round trip, write the render if asked; 1 when it is not exact."""
    from fako.importer import import_app  # the importer loads every construct: only when asked
    from fako.render import write_tree

    if args.render_out is not None:
        _check_render_dir(args.render_out)
    stdin = _read_stdin(list(args.files))
    result = import_app(list(args.files), args.name, args.out, overwrite=args.force, stdin=stdin)
    for note in result.notes:  # warnings (a plaintext Secret left behind, objects placed): even with -q
        print(shown(f"fako: {note}"), file=sys.stderr)
    comparison = result.comparison
    if args.render_out is not None and comparison.render is not None:
        write_tree(comparison.render.files, args.render_out)
    if args.format == "json":
        print(json.dumps(summary_json(result, args.render_out), indent=2))
    else:
        _text(result, args)
    if comparison.ok or args.allow_diff:
        return 0
    print("fako: the module does not render the input exactly (pass --allow-diff to keep it)", file=sys.stderr)
    return 1
