"""Write the README's list of pattern helpers from their docstrings.

    .venv/bin/python tools/gen_helper_docs.py          # rewrite README.md between the markers
    .venv/bin/python tools/gen_helper_docs.py --check  # exit 1 when the section is stale

Every public name of `fako.patterns.*` and `fako.constructs.pods` (its module's
`__all__`, defined in that module) and every public method of those classes is listed
with the first sentence of its docstring and its example: the docstring's line
`Example: `code``. Constants are documented by the string right after their assignment.
A helper without a docstring or an example is an error naming it, so the list cannot
lose one. tests/test_helper_docs.py regenerates the section and runs every example.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BEGIN, END = "<!-- helpers:begin -->", "<!-- helpers:end -->"
MODULES = [
    *sorted(f"fako.patterns.{p.stem}" for p in (ROOT / "src/fako/patterns").glob("*.py") if p.stem != "__init__"),
    "fako.constructs.pods",
]
SKIP = {
    # plumbing of the tunnel config renderer and its pydantic validators, not called by apps
    "fako.patterns.tunnel_config.coerce_routes",
    "fako.patterns.tunnel_config.duplicate_routes",
    "fako.patterns.tunnel_config.render_config",
    "fako.patterns.tunnel_config.Comment",
    "fako.patterns.overrides.Quantity",
    "fako.patterns.overrides.ResourceOverrides",
    "fako.patterns.cnpg.GrantStyle",
}
"""Public names that are types or internal plumbing rather than helpers an app calls."""
SKIP_METHODS = {"lines", "apply", "render_config", "rules", "layout", "labels", "volumes", "ref"}
"""Methods and properties that serve the constructs themselves."""
EXAMPLE = re.compile(r"^\s*Example: `(.+)`\s*$", re.M)


@dataclass(frozen=True)
class Helper:
    """One listed name: where it lives, its one-line summary and example."""

    module: str
    name: str
    summary: str
    example: str


def _path(module: str) -> Path:
    return ROOT / "src" / (module.replace(".", "/") + ".py")


def _all(tree: ast.Module) -> list[str]:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return [ast.literal_eval(e) for e in node.value.elts]  # type: ignore[attr-defined]
    return []


def _attribute_docs(body: list[ast.stmt]) -> dict[str, str]:
    """The string statement right after each assignment (how constants are documented)."""
    docs: dict[str, str] = {}
    for node, after in itertools.pairwise(body):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str):
            for t in targets:
                if isinstance(t, ast.Name):
                    docs[t.id] = after.value.value
    return docs


def _summary(doc: str) -> str:
    first = " ".join(doc.strip().split("\n\n")[0].split())
    match = re.match(r"(.+?\.)(\s|$)", first)
    return (match.group(1) if match else first).strip()


def helpers() -> tuple[list[Helper], list[str]]:
    """Every listed helper, and the problems (a missing docstring or example)."""
    found: list[Helper] = []
    problems: list[str] = []

    def add(module: str, name: str, doc: str | None, where: str) -> None:
        if not doc:
            problems.append(f"{where}: {name} has no docstring")
            return
        examples = EXAMPLE.findall(doc)
        if len(examples) != 1:
            problems.append(f"{where}: {name}'s docstring needs one line `Example: `...``, has {len(examples)}")
            return
        found.append(Helper(module, name, _summary(EXAMPLE.sub("", doc)), examples[0]))

    for module in MODULES:
        path = _path(module)
        tree = ast.parse(path.read_text())
        rel = str(path.relative_to(ROOT))
        defs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
        constants = _attribute_docs(tree.body)
        assigned = {
            t.id
            for n in tree.body
            if isinstance(n, ast.Assign | ast.AnnAssign)
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
            if isinstance(t, ast.Name)
        }
        for name in _all(tree):
            if f"{module}.{name}" in SKIP:
                continue
            node = defs.get(name)
            if node is not None:
                add(module, name, ast.get_docstring(node), f"{rel}:{node.lineno}")
                if isinstance(node, ast.ClassDef):
                    for item in node.body:
                        if (
                            isinstance(item, ast.FunctionDef)
                            and not item.name.startswith("_")
                            and item.name not in SKIP_METHODS
                        ):
                            add(module, f"{name}.{item.name}", ast.get_docstring(item), f"{rel}:{item.lineno}")
            elif name in assigned:
                add(module, name, constants.get(name), rel)
    return found, problems


def section(items: list[Helper]) -> str:
    """The README section: one list per module, one line per helper."""
    out = [BEGIN, ""]
    module = None
    for h in items:
        if h.module != module:
            if module is not None:
                out.append("")
            module = h.module
            out += [f"`{module}`", ""]
        out.append(f"- `{h.name}`: {h.summary} Example: `{h.example}`")
    out += ["", END]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 when README.md's section is stale")
    args = parser.parse_args()
    items, problems = helpers()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    text = README.read_text()
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < 0:
        print(f"README.md has no {BEGIN} ... {END} section", file=sys.stderr)
        return 1
    new = text[:start] + section(items) + text[end + len(END) :]
    if args.check:
        if new != text:
            print("README.md's helper list is stale: run tools/gen_helper_docs.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
