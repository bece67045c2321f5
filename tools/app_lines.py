#!/usr/bin/env python3
"""How many lines of Python each app takes, against the YAML it replaces.

    python tools/app_lines.py [--reference ../shared/reference/fako-cluster] [APP...]

Python lines are code lines: not blank, not comments, not docstrings (documentation is
not counted against an app). YAML lines are the non-blank lines of the app's rendered
reference, less the lines of the scripts and config files the app carries verbatim in
`src/fako/apps/files/<module>/` (counted on neither side). The target is Python at most a
quarter of the YAML, over all apps.

An app's private parts count as the app: `_<module>_<part>.py` (with its files in
`files/_<module>_<part>/`) belongs to the app module `<module>.py`, the longest such name
when several match (`_ollama_jetson_x.py` belongs to `ollama_jetson.py`, not `ollama.py`).
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "src" / "fako" / "apps"


def python_lines(path: Path) -> int:
    """Code lines of a module: no blanks, comments or docstrings."""
    source = path.read_text()
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            first = body[0] if body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                skip.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            skip.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))  # attribute docstrings
    code: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        ):
            continue
        for line in range(tok.start[0], tok.end[0] + 1):
            if line not in skip:
                code.add(line)
    return len(code)


def text_lines(path: Path) -> int:
    return sum(1 for line in path.read_text(errors="replace").splitlines() if line.strip())


def modules_by_app(apps_dir: Path) -> dict[str, list[Path]]:
    """App module stem -> the app module followed by its private parts (`_<stem>_<part>.py`)."""
    modules = sorted(p for p in apps_dir.glob("*.py") if not p.name.startswith("_"))
    found = {m.stem: [m] for m in modules}
    for part in sorted(apps_dir.glob("_*.py")):
        owners = [stem for stem in found if part.stem.startswith(f"_{stem}_")]
        if owners:
            found[max(owners, key=len)].append(part)
    return found


def verbatim_lines(module: Path) -> int:
    """Lines of the files a module carries verbatim in `files/<module>/`."""
    files = module.parent / "files" / module.stem
    return sum(text_lines(p) for p in files.rglob("*") if p.is_file()) if files.is_dir() else 0


def measure(reference: Path, apps: list[str] | None = None, apps_dir: Path = APPS) -> list[tuple[str, int, int]]:
    """(app, python lines, YAML lines less verbatim files) for every app module, its parts included."""
    rows = []
    for stem, modules in modules_by_app(apps_dir).items():
        unit = stem.replace("_", "-")
        ref = reference / f"{unit}.yaml"
        if not ref.exists() or (apps and unit not in apps):
            continue
        python = sum(python_lines(m) for m in modules)
        rows.append((unit, python, text_lines(ref) - sum(verbatim_lines(m) for m in modules)))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference" / "fako-cluster")
    ap.add_argument("apps", nargs="*")
    args = ap.parse_args()
    rows = measure(args.reference / "apps", args.apps or None)
    for unit, py, yml in sorted(rows, key=lambda r: r[1] / max(r[2], 1), reverse=True):
        print(f"{unit:26} python {py:4}  yaml {yml:5}  ratio {py / max(yml, 1):.2f}")
    py = sum(r[1] for r in rows)
    yml = sum(r[2] for r in rows)
    print(f"total: python {py} lines, yaml {yml} lines, ratio {py / yml:.3f} (target <= 0.25, budget {yml // 4})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
