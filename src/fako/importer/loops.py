"""Folding runs of look-alike statements into one `for` loop, as a person would write them.

Three or more consecutive statements that are the same call except for a few argument
values (the three claims of an app, the RoleBinding repeated in every namespace) become
`for name, size in (...): claim(self, name, size)`. Only direct call arguments may vary,
all of one plain type (str or int) and never where the parameter is a `Literal` (a loop
variable is a plain `str` to the type checker). A value that is another one with a fixed
prefix or suffix becomes an f-string of it (`f"{name}-service"`).
"""

from __future__ import annotations

import inspect
import keyword
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from fako.importer.code import Attr, Call, Const, DictOf, Expr, FString, ListOf, Local, Loop, Name, Star, Stmt, TupleOf

__all__ = ["fold_loops"]

MIN_RUN = 3
MAX_VARS = 3
_HOLE = "\x00hole"


def _holes(expr: Expr, leaves: list[tuple[Const, str, Any]]) -> Expr:
    """`expr` with every direct call argument that is a constant replaced by a numbered hole;
    `leaves` gets (constant, parameter name, annotation) for each."""
    if isinstance(expr, Call):
        func = _holes(expr.func, leaves)
        params = _parameters(expr.func)
        args: list[Expr] = []
        for i, a in enumerate(expr.args):
            if isinstance(a, Const) and a.text is None:
                name, annotation = params[i] if i < len(params) else ("value", None)
                leaves.append((a, name, annotation))
                args.append(Local(f"{_HOLE}{len(leaves) - 1}"))
            else:
                args.append(_holes(a, leaves))
        kwargs: list[tuple[str, Expr]] = []
        for k, v in expr.kwargs:
            if isinstance(v, Const) and v.text is None:
                leaves.append((v, k, _keyword_annotation(expr.func, k)))
                kwargs.append((k, Local(f"{_HOLE}{len(leaves) - 1}")))
            else:
                kwargs.append((k, _holes(v, leaves)))
        return Call(func, tuple(args), tuple(kwargs))
    if isinstance(expr, ListOf):
        return ListOf(tuple(_holes(i, leaves) for i in expr.items))
    if isinstance(expr, TupleOf):
        return TupleOf(tuple(_holes(i, leaves) for i in expr.items))
    if isinstance(expr, DictOf):
        return DictOf(tuple((k, _holes(v, leaves)) for k, v in expr.items))
    if isinstance(expr, Star):
        return Star(_holes(expr.value, leaves))
    if isinstance(expr, Attr):
        return Attr(_holes(expr.obj, leaves), expr.attr)
    return expr


def _callable(func: Expr) -> Any:
    return func.value if isinstance(func, Name) else None


def _parameters(func: Expr) -> list[tuple[str, Any]]:
    target = _callable(func)
    if target is None:
        return []
    function = vars(target).get("__init__", getattr(target, "__init__", None)) if isinstance(target, type) else target
    try:
        signature = inspect.signature(function)
        hints = typing.get_type_hints(function)
    except Exception:  # no signature to read: the values stay as they are
        return []
    params = [p for p in signature.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if isinstance(target, type):
        params = params[1:]
    return [(p.name, hints.get(p.name, p.annotation)) for p in params]


def _keyword_annotation(func: Expr, key: str) -> Any:
    target = _callable(func)
    if isinstance(target, type) and issubclass(target, BaseModel):
        info = target.model_fields.get(key)
        return info.annotation if info is not None else None
    return dict(_parameters(func)).get(key)


def _literal(annotation: Any) -> bool:
    if annotation is None or annotation is inspect.Parameter.empty:
        return False
    if isinstance(annotation, str):
        return "Literal" in annotation
    return typing.get_origin(annotation) is typing.Literal or any(_literal(a) for a in typing.get_args(annotation))


def _fill(expr: Expr, values: dict[str, Expr]) -> Expr:
    if isinstance(expr, Local) and expr.name in values:
        return values[expr.name]
    if isinstance(expr, Call):
        return Call(
            _fill(expr.func, values),
            tuple(_fill(a, values) for a in expr.args),
            tuple((k, _fill(v, values)) for k, v in expr.kwargs),
        )
    if isinstance(expr, ListOf):
        return ListOf(tuple(_fill(i, values) for i in expr.items))
    if isinstance(expr, TupleOf):
        return TupleOf(tuple(_fill(i, values) for i in expr.items))
    if isinstance(expr, DictOf):
        return DictOf(tuple((k, _fill(v, values)) for k, v in expr.items))
    if isinstance(expr, Star):
        return Star(_fill(expr.value, values))
    if isinstance(expr, Attr):
        return Attr(_fill(expr.obj, values), expr.attr)
    return expr


def _plain(text: str) -> bool:
    return text.isprintable() and not set(text) & set("{}\\\"'")


def _derived(column: list[Any], base: list[Any]) -> tuple[str, str] | None:
    """(prefix, suffix) when every value of `column` is prefix + base value + suffix."""
    if not all(isinstance(v, str) for v in column + base):
        return None
    first, b = column[0], base[0]
    at = first.find(b)
    while at >= 0:
        prefix, suffix = first[:at], first[at + len(b) :]
        if all(v == prefix + w + suffix for v, w in zip(column, base, strict=True)) and _plain(prefix + suffix):
            return prefix, suffix
        at = first.find(b, at + 1)
    return None


class _Names:
    """Loop variable names: never an imported name, a constant, a local, or a keyword; one type each."""

    def __init__(self, reserved: set[str]) -> None:
        self.reserved = set(reserved)
        self.types: dict[str, type] = {}

    def pick(self, wanted: str, kind: type, taken: set[str]) -> str:
        base = "".join(c if c.isalnum() or c == "_" else "_" for c in wanted).strip("_").lower() or "value"
        if base[0].isdigit() or keyword.iskeyword(base) or base in ("id", "type", "self"):
            base = f"{base}_"
        name, n = base, 2
        while name in self.reserved or name in taken or self.types.get(name, kind) is not kind:
            name = f"{base}{n}"
            n += 1
        self.types[name] = kind
        return name


def _fold(template: Expr, leaves: list[list[tuple[Const, str, Any]]], names: _Names) -> Loop | None:
    count = len(leaves[0])
    columns = [[row[i][0].value for row in leaves] for i in range(count)]
    varying = [i for i in range(count) if len(set(map(repr, columns[i]))) > 1]
    if not varying:
        return None
    for i in varying:
        kinds = {type(v) for v in columns[i]}
        if len(kinds) != 1 or kinds.pop() not in (str, int) or _literal(leaves[0][i][2]):
            return None
    free: list[int] = []
    derived: dict[int, tuple[int, str, str]] = {}
    for i in sorted(varying, key=lambda i: sum(len(str(v)) for v in columns[i])):
        base = next(((j, *got) for j in free if (got := _derived(columns[i], columns[j])) is not None), None)
        if base is not None:
            derived[i] = base
        else:
            free.append(i)
    if len(free) > MAX_VARS:
        return None
    free.sort()
    taken: set[str] = set()
    variables = {i: names.pick(leaves[0][i][1], type(columns[i][0]), taken) for i in free}
    taken.update(variables.values())
    values: dict[str, Expr] = {}
    for i in range(count):
        hole = f"{_HOLE}{i}"
        if i in variables:
            values[hole] = Local(variables[i])
        elif i in derived:
            j, prefix, suffix = derived[i]
            parts = tuple(p for p in (prefix, Local(variables[j]), suffix) if p != "")
            values[hole] = parts[0] if len(parts) == 1 and isinstance(parts[0], Local) else FString(parts)
        else:
            values[hole] = leaves[0][i][0]
    rows = tuple(tuple(row[i][0] for i in free) for row in leaves)
    return Loop(tuple(variables[i] for i in free), rows, Stmt(_fill(template, values)))


def fold_loops(stmts: Sequence[Stmt], reserved: set[str]) -> list[Stmt | Loop]:
    """`stmts` with every foldable run of look-alike statements written as a loop."""
    names = _Names(reserved)
    shapes: list[tuple[Expr, list[tuple[Const, str, Any]]] | None] = []
    for stmt in stmts:
        if stmt.target or stmt.comments:
            shapes.append(None)
            continue
        leaves: list[tuple[Const, str, Any]] = []
        shapes.append((_holes(stmt.expr, leaves), leaves))
    out: list[Stmt | Loop] = []
    i = 0
    while i < len(stmts):
        shape = shapes[i]
        j = i + 1
        while shape is not None and j < len(stmts) and (other := shapes[j]) is not None and other[0] == shape[0]:
            j += 1
        if shape is not None and j - i >= MIN_RUN:
            group = [s for s in shapes[i:j] if s is not None]
            loop = _fold(shape[0], [g[1] for g in group], names)
            if loop is not None:
                out.append(loop)
                i = j
                continue
        out.append(stmts[i])
        i += 1
    return out
