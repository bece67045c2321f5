"""Writing the module: docstring, imports, label constants, the `AppConstruct` subclass.

Label dicts used more than once (selectors and the labels that repeat them) become module
constants named after the app they label; imports are collected from the code itself and
sorted as ruff's isort sorts them; the docstring says where the module came from and what
the app is (its kinds, images and hosts).
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fako.constructs.config import read_file
from fako.importer.code import Attr, Call, Const, DictOf, Expr, FileText, ListOf, Local, Name, Star, Stmt, TupleOf, walk
from fako.importer.context import Context, Piece
from fako.importer.layout import expr_lines, import_lines, safe_text, statement_lines, string_literal
from fako.importer.loading import Manifest
from fako.tree import AppConstruct

__all__ = ["ModuleText", "class_name", "module_name", "module_source"]

_LABEL_ARGS = {"labels", "selector", "pod_labels", "match_labels", "job_labels", "deployment_labels"}
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


def _map(expr: Expr, fn: Callable[[Expr, str | None], Expr | None], arg: str | None = None) -> Expr:
    """`expr` with nodes replaced where `fn(node, keyword it is passed as)` returns one."""
    got = fn(expr, arg)
    if got is not None:
        return got
    if isinstance(expr, Call):
        return Call(
            _map(expr.func, fn),
            tuple(_map(a, fn) for a in expr.args),
            tuple((k, _map(v, fn, k)) for k, v in expr.kwargs),
        )
    if isinstance(expr, ListOf):
        return ListOf(tuple(_map(i, fn) for i in expr.items))
    if isinstance(expr, TupleOf):
        return TupleOf(tuple(_map(i, fn) for i in expr.items))
    if isinstance(expr, DictOf):
        return DictOf(tuple((k, _map(v, fn)) for k, v in expr.items))
    if isinstance(expr, Star):
        return Star(_map(expr.value, fn))
    if isinstance(expr, Attr):
        return Attr(_map(expr.obj, fn), expr.attr)
    return expr


def _is_labels(expr: Expr) -> bool:
    return (
        isinstance(expr, DictOf)
        and bool(expr.items)
        and all(isinstance(k, Const) and isinstance(v, Const) and isinstance(v.value, str) for k, v in expr.items)
    )


_SELECTOR_ARGS = {"selector", "match_labels"}


def _label_uses(stmts: Sequence[Stmt]) -> tuple[Counter[Expr], Counter[Expr]]:
    """How often each label dict is passed, and how often as a selector."""
    counts: Counter[Expr] = Counter()
    selectors: Counter[Expr] = Counter()

    def count(node: Expr, arg: str | None) -> Expr | None:
        if arg in _LABEL_ARGS and _is_labels(node):
            counts[node] += 1
            if arg in _SELECTOR_ARGS:
                selectors[node] += 1
        return None

    for stmt in stmts:
        _map(stmt.expr, count)
    return counts, selectors


def _word(value: object) -> str:
    word = re.sub(r"[^A-Za-z0-9]+", "_", str(value)).strip("_").upper()
    return f"L{word}" if word[:1].isdigit() else word


def _constant_name(labels: DictOf, selector: bool, taken: set[str]) -> str:
    """`<APP>_LABELS` / `<APP>_SELECTOR` / `<NS>_NAMESPACE`, told apart by the other label values."""
    values = {str(k.value): v.value for k, v in labels.items if isinstance(k, Const) and isinstance(v, Const)}
    suffix = "SELECTOR" if selector else "LABELS"
    if list(values) == ["kubernetes.io/metadata.name"]:
        suffix = "NAMESPACE"
    words: list[str] = []
    for key in ("app", "app.kubernetes.io/name", "app.kubernetes.io/component", "component", "name",
                "kubernetes.io/metadata.name"):
        if key in values and _word(values[key]):
            words.append(_word(values[key]))
            break
    others = [_word(v) for k, v in values.items() if _word(v) and _word(v) not in words]
    candidates = ["_".join([*words, *others[:n], suffix]) for n in range(len(others) + 1)]
    for name in candidates:
        if name not in taken:
            taken.add(name)
            return name
    base, n = candidates[0], 2
    while f"{base}_{n}" in taken:
        n += 1
    taken.add(f"{base}_{n}")
    return f"{base}_{n}"


def hoist_labels(stmts: list[Stmt], reserved: set[str]) -> tuple[list[Stmt], list[tuple[str, Expr]]]:
    """Label dicts passed twice or more, as module constants (`LABELS`, `<APP>_SELECTOR`, ...)."""
    counts, selectors = _label_uses(stmts)
    repeated = [d for d, n in counts.items() if n >= 2]
    if not repeated:
        return stmts, []
    taken = set(reserved)
    names: dict[Expr, str] = {}
    if len(repeated) == 1:
        names[repeated[0]] = "LABELS"
    else:
        for d in sorted(repeated, key=lambda d: len(d.items) if isinstance(d, DictOf) else 0):
            assert isinstance(d, DictOf)
            names[d] = _constant_name(d, 2 * selectors[d] > counts[d], taken)

    def swap(node: Expr, arg: str | None) -> Expr | None:
        if arg in _LABEL_ARGS and node in names:
            return Local(names[node])
        return None

    out = [Stmt(_map(s.expr, swap), s.target, s.comments) for s in stmts]
    return out, [(names[d], d) for d in repeated]


def _imports(stmts: Sequence[Stmt]) -> dict[str, set[str]]:
    imports: dict[str, set[str]] = {"fako.tree": {AppConstruct.__name__}}
    for stmt in stmts:
        for node in walk(stmt.expr):
            if isinstance(node, Name):
                imports.setdefault(node.module, set()).add(node.import_name)
            elif isinstance(node, FileText):
                imports.setdefault(read_file.__module__, set()).add(read_file.__name__)
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
    names = ", ".join(p.name for p in sources)
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


def module_source(ctx: Context, pieces: Sequence[Piece], sources: Sequence[Path], raw: Sequence[Manifest]) -> ModuleText:
    """The whole module text."""
    stmts = [s for p in pieces for s in p.stmts]
    stmts, constants = hoist_labels(stmts, set(ctx.variables))
    imports = _imports(stmts)
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
        pairs = ", ".join(f"({string_literal(k)}, {string_literal(n)})" for k, n in ctx.external)
        lines.append(f"    external = ({pairs},)")
    lines += ["", "    def build(self) -> None:"]
    if not stmts:
        lines.append("        pass")
    for stmt in stmts:
        lines += statement_lines(stmt, 8)
    files = {f.key: f.text for s in stmts for f in walk(s.expr) if isinstance(f, FileText)}
    return ModuleText("\n".join(lines) + "\n", cls, files)


def _workloads(ctx: Context) -> list[str]:
    return [
        f"{m.kind} {m.name}"
        for m in ctx.manifests
        if m.kind in ("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job", "HelmRelease")
    ][:6]
