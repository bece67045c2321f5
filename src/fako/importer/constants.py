"""Module constants for what a module repeats: label dicts and whole values.

Label dicts passed twice or more (`selector=`, `labels=`, `pod_labels=`, ...) become
`LABELS`, or `<APP>_LABELS` / `<APP>_SELECTOR` / `<NS>_NAMESPACE` when there are several,
told apart by their other values. Larger values built the same way in several places (a
container's `resources(...)`, a pod's `k8s.PodSecurityContext(...)`, a probe) become a
constant named after the argument they are passed as (`RESOURCES`, `SECURITY_CONTEXT`).
Constants only ever replace equal code, so the module renders the same objects.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from collections.abc import Sequence

from fako.importer.code import Call, Const, DictOf, Expr, FileText, FString, Local, Loop, Name, Stmt, Sum, rewrite, walk
from fako.importer.layout import flat

__all__ = ["hoist_calls", "hoist_labels", "use_shared_values"]

LABEL_ARGS = {"labels", "selector", "pod_labels", "match_labels", "job_labels", "deployment_labels"}
_SELECTOR_ARGS = {"selector", "match_labels"}


def _is_labels(expr: Expr) -> bool:
    return (
        isinstance(expr, DictOf)
        and bool(expr.items)
        and all(isinstance(k, Const) and isinstance(v, Const) and isinstance(v.value, str) for k, v in expr.items)
    )


def _label_uses(stmts: Sequence[Stmt]) -> tuple[Counter[Expr], Counter[Expr]]:
    """How often each label dict is passed, and how often as a selector."""
    counts: Counter[Expr] = Counter()
    selectors: Counter[Expr] = Counter()

    def count(node: Expr, arg: str | None) -> Expr | None:
        if arg in LABEL_ARGS and _is_labels(node):
            counts[node] += 1
            if arg in _SELECTOR_ARGS:
                selectors[node] += 1
        return None

    for stmt in stmts:
        rewrite(stmt.expr, count)
    return counts, selectors


def _word(value: object) -> str:
    word = re.sub(r"[^A-Za-z0-9]+", "_", str(value)).strip("_").upper()
    return f"L{word}" if word[:1].isdigit() else word


def _label_name(labels: DictOf, selector: bool, taken: set[str]) -> str:
    """`<APP>_LABELS` / `<APP>_SELECTOR` / `<NS>_NAMESPACE`, told apart by the other label values."""
    values = {str(k.value): v.value for k, v in labels.items if isinstance(k, Const) and isinstance(v, Const)}
    suffix = "SELECTOR" if selector else "LABELS"
    if list(values) == ["kubernetes.io/metadata.name"]:
        suffix = "NAMESPACE"
    words: list[str] = []
    for key in (
        "app",
        "app.kubernetes.io/name",
        "app.kubernetes.io/component",
        "component",
        "name",
        "kubernetes.io/metadata.name",
    ):
        if key in values and _word(values[key]):
            words.append(_word(values[key]))
            break
    others = [_word(v) for v in values.values() if _word(v) and _word(v) not in words]
    candidates = ["_".join([*words, *others[:n], suffix]) for n in range(len(others) + 1)]
    return _free(candidates, taken)


def _free(candidates: list[str], taken: set[str]) -> str:
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
    """Label dicts passed twice or more, as module constants."""
    counts, selectors = _label_uses(stmts)
    repeated = [d for d, n in counts.items() if n >= 2]
    if not repeated:
        return stmts, []
    taken = set(reserved)
    names: dict[Expr, str] = {}
    if len(repeated) == 1:
        names[repeated[0]] = "LABELS"
        taken.add("LABELS")
    else:
        for d in sorted(repeated, key=lambda d: len(d.items) if isinstance(d, DictOf) else 0):
            assert isinstance(d, DictOf)
            names[d] = _label_name(d, 2 * selectors[d] > counts[d], taken)

    def swap(node: Expr, arg: str | None) -> Expr | None:
        if arg in LABEL_ARGS and node in names:
            return Local(names[node])
        return None

    out = [Stmt(rewrite(s.expr, swap), s.target, s.comments) for s in stmts]
    return out, [(names[d], d) for d in repeated]


MIN_SIZE = 50
"""Shortest value (as written on one line) worth a constant."""
WORTH_NAMING = {
    "affinity",
    "dns_config",
    "env",
    "env_from",
    "lifecycle",
    "liveness_probe",
    "node_selector",
    "readiness_probe",
    "resources",
    "role_ref",
    "security_context",
    "startup_probe",
    "strategy",
    "tolerations",
}
"""Arguments whose repeated values become constants (named after the argument)."""


def _hoistable(expr: Expr) -> bool:
    """A value that means the same at module level: a call of fako's functions and classes on
    literals (no `self`, store or loop variable, no file read)."""
    if isinstance(expr, Sum):
        return all(_hoistable(i) for i in expr.items)
    if not isinstance(expr, Call) or not isinstance(expr.func, Name):
        return False
    for node in walk(expr):
        if isinstance(node, FileText) or (isinstance(node, Local) and not node.name.isupper()):
            return False
    return True


def _common_name(args: set[str]) -> str | None:
    """What the arguments a value is passed as share: `liveness_probe`, `readiness_probe` -> `PROBE`."""
    if len(args) < 2:
        return None
    tails = {a.rpartition("_")[2] for a in args}
    return tails.pop().upper() if len(tails) == 1 and "" not in tails else None


def _body(stmt: Stmt | Loop) -> Stmt:
    return stmt.body if isinstance(stmt, Loop) else stmt


def _with_body(stmt: Stmt | Loop, body: Stmt) -> Stmt | Loop:
    return Loop(stmt.names, stmt.rows, body) if isinstance(stmt, Loop) else body


def hoist_calls(stmts: list[Stmt | Loop], reserved: set[str]) -> tuple[list[Stmt | Loop], list[tuple[str, Expr]]]:
    """Values written the same way in several places, largest first, as module constants
    (returned in the order they must be defined)."""
    taken = set(reserved)
    constants: list[tuple[str, Expr]] = []
    while True:
        counts: Counter[Expr] = Counter()
        where: dict[Expr, str] = {}
        args: dict[Expr, set[str]] = {}

        def count(
            node: Expr,
            arg: str | None,
            counts: Counter[Expr] = counts,
            where: dict[Expr, str] = where,
            args: dict[Expr, set[str]] = args,
        ) -> Expr | None:
            if _hoistable(node):
                counts[node] += 1
                where.setdefault(node, arg or "")
                args.setdefault(node, set()).add(arg or "")
            return None

        tops = {id(_body(s).expr) for s in stmts}
        for stmt in stmts:
            rewrite(_body(stmt).expr, count)
        for _, value in constants:
            rewrite(value, count)
        candidates = [
            e
            for e, n in counts.items()
            if n >= 2 and id(e) not in tops and len(flat(e)) >= MIN_SIZE and where[e] in WORTH_NAMING
        ]
        if not candidates:
            break
        best = max(candidates, key=lambda e: (len(flat(e)) * (counts[e] - 1), flat(e)))
        by_arg = _common_name(args[best]) or where[best].upper()
        by_class = ""
        if isinstance(best, Call) and isinstance(best.func, Name):
            by_class = re.sub(r"(?<!^)(?=[A-Z])", "_", best.func.text.rpartition(".")[2]).upper()
        name = _free([by_class if by_class.endswith(by_arg) else by_arg], taken)

        def swap(node: Expr, arg: str | None, best: Expr = best, name: str = name) -> Expr | None:
            return Local(name) if node == best else None

        stmts = [_with_body(s, Stmt(rewrite(_body(s).expr, swap), _body(s).target, _body(s).comments)) for s in stmts]
        constants = [(n, rewrite(v, swap)) for n, v in constants]
        constants.append((name, best))
    return stmts, constants[::-1]


SHARED: tuple[tuple[str, str], ...] = (("PG_HOST", "fako.patterns.shared_secrets"),)
"""Values of the shared patterns a module names instead of spelling out (the Postgres host)."""


def _shared(name: str, module: str) -> Name:
    value = getattr(importlib.import_module(module), name)
    return Name(name, module, name, value)


def _with_shared(value: str, names: list[Name]) -> Expr | None:
    for name in names:
        text = name.value
        if value == text:
            return name
        if text in value:
            before, _, after = value.partition(text)
            rest = _with_shared(after, names) if after else None
            tail: tuple[str | Local | Name, ...]
            if isinstance(rest, FString):
                tail = rest.parts
            elif isinstance(rest, Name):
                tail = (rest,)
            else:
                tail = (after,) if after else ()
            return FString(tuple(p for p in (before, name, *tail) if p != ""))
    return None


def use_shared_values(
    stmts: list[Stmt | Loop], constants: list[tuple[str, Expr]]
) -> tuple[list[Stmt | Loop], list[tuple[str, Expr]]]:
    """Strings holding a shared value (`PG_HOST`) as that name, or an f-string around it."""
    names = [_shared(n, m) for n, m in SHARED]

    def swap(node: Expr, arg: str | None) -> Expr | None:
        if isinstance(node, Const) and node.text is None and isinstance(node.value, str):
            return _with_shared(node.value, names)
        return None

    out: list[Stmt | Loop] = []
    for stmt in stmts:
        body = _body(stmt)
        out.append(_with_body(stmt, Stmt(rewrite(body.expr, swap), body.target, body.comments)))
    return out, [(n, rewrite(v, swap)) for n, v in constants]
