"""Writing the module: docstring, imports, constants, the `AppConstruct` subclass.

The statements are tidied the way a person would (`constants`: repeated labels and values
as module constants; `loops`: look-alike statements as one loop; long container scripts
as files beside the module), imports are collected from the code itself and sorted as
ruff's isort sorts them, and the docstring says where the module came from and what the
app is (its kinds, images and hosts).
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fako.constructs.config import read_file
from fako.importer.code import Call, Const, Expr, FileText, ListOf, Local, Loop, Name, Stmt, TupleOf, rewrite, walk
from fako.importer.constants import hoist_calls, hoist_labels, use_shared_values
from fako.importer.context import Context, Piece
from fako.importer.layout import expr_lines, import_lines, safe_text, statement_lines, string_literal
from fako.importer.loading import Manifest, source_label
from fako.importer.loops import fold_loops
from fako.patterns.helm import values_file
from fako.tree import AppConstruct

__all__ = ["ModuleText", "class_name", "module_name", "module_source"]

_DOC_WIDTH = 96


def module_name(app: str) -> str:
    """`hume-collector` -> `hume_collector`."""
    return app.replace("-", "_")


def class_name(app: str) -> str:
    """`hume-collector` -> `HumeCollector`."""
    name = "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_.]", app) if part)
    return name if name[:1].isalpha() else f"App{name}"


@dataclass
class ModuleText:
    """The generated source, its class name and the verbatim files it reads."""

    source: str
    class_name: str
    files: dict[str, str]


_SCRIPT_LINES = 5


def _script_key(container: Call, files: dict[str, str]) -> str:
    name = next((v.value for k, v in container.kwargs if k == "name" and isinstance(v, Const)), "script")
    words = [
        v.value
        for k, v in container.kwargs
        if k in ("command", "args") and isinstance(v, ListOf)
        for v in v.items
        if isinstance(v, Const)
    ]
    first = str(words[0]) if words else ""
    ext = ".py" if "python" in first else ".sh"
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", str(name)).strip("-.") or "script"
    key, n = f"{base}{ext}", 2
    while key in files:
        key = f"{base}-{n}{ext}"
        n += 1
    return key


def scripts_to_files(stmts: list[Stmt], files: dict[str, str]) -> list[Stmt]:
    """Container `command`/`args` strings longer than five lines as files read with `read_file`."""

    def swap(node: Expr, arg: str | None) -> Expr | None:
        if not (isinstance(node, Call) and isinstance(node.func, Name) and node.func.text == "k8s.Container"):
            return None
        kwargs = []
        for key, value in node.kwargs:
            if key in ("command", "args") and isinstance(value, ListOf):
                items: list[Expr] = []
                for item in value.items:
                    text = item.value if isinstance(item, Const) else None
                    if isinstance(text, str) and len(text.splitlines()) > _SCRIPT_LINES and "\r" not in text:
                        fkey = _script_key(node, files)
                        files[fkey] = text
                        items.append(FileText(fkey, text))
                    else:
                        items.append(item)
                value = ListOf(tuple(items))
            kwargs.append((key, rewrite(value, swap, key)))
        return Call(node.func, tuple(rewrite(a, swap) for a in node.args), tuple(kwargs))

    return [Stmt(rewrite(s.expr, swap), s.target, s.comments) for s in stmts]


def _expr_of(stmt: Stmt | Loop) -> Expr:
    return stmt.body.expr if isinstance(stmt, Loop) else stmt.expr


def _locals_in(expr: Expr) -> set[str]:
    return {n.name for n in walk(expr) if isinstance(n, Local)}


def drop_unused_targets(body: list[Stmt | Loop], constants: Sequence[tuple[str, Expr]]) -> list[Stmt | Loop]:
    """`store = AwsSecretStore(self)` as `AwsSecretStore(self)` when nothing reads `store`
    (an unused local is a lint error, and a person would not name it)."""
    used: set[str] = set()
    for _, value in constants:
        used |= _locals_in(value)
    out: list[Stmt | Loop] = []
    for stmt in reversed(body):
        if isinstance(stmt, Stmt) and stmt.target is not None and stmt.target not in used:
            stmt = Stmt(stmt.expr, None, stmt.comments)
        used |= _locals_in(_expr_of(stmt))
        out.append(stmt)
    return out[::-1]


def _imports(stmts: Sequence[Stmt | Loop]) -> dict[str, set[str]]:
    imports: dict[str, set[str]] = {"fako.tree": {AppConstruct.__name__}}
    for stmt in stmts:
        for node in walk(_expr_of(stmt)):
            if isinstance(node, Name):
                imports.setdefault(node.module, set()).add(node.import_name)
            elif isinstance(node, FileText):
                reader = values_file if node.values else read_file
                imports.setdefault(reader.__module__, set()).add(reader.__name__)
    return imports


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(safe_text(text), _DOC_WIDTH, break_on_hyphens=False, break_long_words=False) or [""]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}es" if word.endswith(("s", "x")) else f"{n} {word}s"


def _images(value: Any, found: list[str]) -> None:
    if isinstance(value, dict):
        for key in ("containers", "initContainers"):
            items = value.get(key)
            if isinstance(items, list):
                for c in items:
                    if isinstance(c, dict) and isinstance(c.get("image"), str) and c["image"] not in found:
                        found.append(c["image"])
        for v in value.values():
            _images(v, found)
    elif isinstance(value, list):
        for v in value:
            _images(v, found)


def _hosts(manifests: Sequence[Manifest]) -> list[str]:
    hosts: list[str] = []
    for m in manifests:
        if m.kind == "Ingress":
            for rule in (m.body.get("spec") or {}).get("rules") or []:
                if isinstance(rule, dict) and isinstance(rule.get("host"), str) and rule["host"] not in hosts:
                    hosts.append(rule["host"])
        elif m.kind == "ConfigMap" and not m.encrypted:
            for value in (m.body.get("data") or {}).values():
                if isinstance(value, str) and "ingress:" in value:
                    for host in re.findall(r"hostname:\s*([A-Za-z0-9.*-]+)", value):
                        if host not in hosts:
                            hosts.append(host)
    return hosts


def describe(ctx: Context, sources: Sequence[Path], raw: Sequence[Manifest]) -> list[str]:
    """The module docstring's lines."""
    title = ctx.app.replace("-", " ").capitalize()
    names = ", ".join(source_label(p) for p in sources)
    lines = _wrap(f"{title}: imported by `fako import` from {names}.")
    kinds = Counter(m.kind for m in ctx.manifests)
    parts = [_plural(n, k) for k, n in kinds.items()]
    body = [f"{len(ctx.manifests)} objects: {', '.join(parts)}."]
    images: list[str] = []
    for m in ctx.manifests:
        _images(m.body.get("spec"), images)
    if images:
        body.append(f"Images: {', '.join(images)}.")
    hosts = _hosts(ctx.manifests)
    if hosts:
        body.append(f"Hosts: {', '.join(hosts)}.")
    encrypted = [m.name for m in ctx.manifests if m.encrypted or (m.kind == "Secret" and _has_values(m))]
    if encrypted:
        body.append(f"Encrypted files the owner keeps under secrets/{ctx.app}/: {', '.join(encrypted)}.")
    if raw:
        body.append(f"Left untyped (Raw): {', '.join(f'{m.kind} {m.name}' for m in raw)}.")
    lines.append("")
    for paragraph in body:
        lines.extend(_wrap(paragraph))
    return lines


def _has_values(m: Manifest) -> bool:
    return any(m.body.get(k) for k in ("data", "stringData"))


def _docstring(lines: list[str], indent: str) -> list[str]:
    if len(lines) == 1:
        return [f'{indent}"""{lines[0]}"""']
    out = [f'{indent}"""{lines[0]}']
    out += [f"{indent}{line}" if line else "" for line in lines[1:]]
    out.append(f'{indent}"""')
    return out


def module_source(
    ctx: Context, pieces: Sequence[Piece], sources: Sequence[Path], raw: Sequence[Manifest]
) -> ModuleText:
    """The whole module text."""
    stmts = [s for p in pieces for s in p.stmts]
    stmts, constants = hoist_labels(stmts, set(ctx.variables))
    stmts = scripts_to_files(stmts, ctx.files)
    imported = {n for names in _imports(stmts).values() for n in names}
    reserved = imported | {c for c, _ in constants} | set(ctx.variables)
    body = fold_loops(stmts, reserved)
    reserved |= {n for s in body if isinstance(s, Loop) for n in s.names}
    body, values = hoist_calls(body, reserved)
    constants += values
    body, constants = use_shared_values(body, constants)
    body = drop_unused_targets(body, constants)
    imports = _imports(body)
    for _, value in constants:
        for module, names in _imports([Stmt(value)]).items():
            imports.setdefault(module, set()).update(names)
    lines = _docstring(describe(ctx, sources, raw), "")
    lines += ["", "from __future__ import annotations", ""]
    lines += import_lines(imports)
    lines += [""] if constants else ["", ""]
    if constants:
        for name, value in constants:
            lines += expr_lines(value, 0, f"{name} = ")
        lines += ["", ""]
    cls = class_name(ctx.app)
    used = {n for names in imports.values() for n in names} | {c for c, _ in constants}
    while cls in used:
        cls += "App"
    lines.append(f"class {cls}(AppConstruct):")
    doc = f"The {ctx.app} app as imported: {', '.join(_workloads(ctx)) or 'its objects'}."
    lines += _docstring(_wrap(doc), "    ")
    lines.append("")
    lines.append(f"    name = {string_literal(ctx.app)}")
    if ctx.namespace != ctx.app:
        lines.append(f"    namespace = {string_literal(ctx.namespace)}")
    if ctx.external:
        pairs = TupleOf(tuple(TupleOf((Const(k), Const(n))) for k, n in ctx.external))
        lines += expr_lines(pairs, 4, "external = ")
    lines += ["", "    def build(self) -> None:"]
    if not body:
        lines.append("        pass")
    for stmt in body:
        lines += statement_lines(stmt, 8)
    files = {f.key: f.text for s in body for f in walk(_expr_of(s)) if isinstance(f, FileText)}
    return ModuleText("\n".join(lines) + "\n", cls, files)


def _workloads(ctx: Context) -> list[str]:
    return [
        f"{m.kind} {m.name}"
        for m in ctx.manifests
        if m.kind in ("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job", "HelmRelease")
    ][:6]
