"""The code the importer writes, as data: expressions and statements it can both print and run.

Every value in a generated module is one of these nodes. `evaluate` runs a node with
fako's own functions and classes (the ones the module will import), so a candidate can be
checked against the input before it is written; `fako.importer.layout` prints it. Nothing
from the input is ever executed: input values only ever become `Const` leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = [
    "SPLAT",
    "Attr",
    "Call",
    "Const",
    "DictOf",
    "Expr",
    "FString",
    "FileText",
    "ListOf",
    "Local",
    "Loop",
    "Name",
    "Star",
    "Stmt",
    "Sum",
    "TupleOf",
    "evaluate",
    "lit",
    "rewrite",
    "walk",
]


@dataclass(frozen=True)
class Const:
    """A scalar literal: a string, number, boolean or None; `text` is how to write it when
    not the usual way (`0o755` for a file mode)."""

    value: str | int | float | bool | None
    text: str | None = None


@dataclass(frozen=True)
class Name:
    """A name the module imports: written `text`, imported as `from module import <import_name>`.

    `value` is the object it stands for; `text` may be dotted (`k8s.Container`) when the
    module imports the first part (`from fako import k8s`).
    """

    text: str
    module: str
    import_name: str
    value: Any = field(compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Local:
    """A local variable of `build()` (`self`, `store`, `tunnel`) or a module constant."""

    name: str


@dataclass(frozen=True)
class Attr:
    """`obj.attr`."""

    obj: Expr
    attr: str


SPLAT = "**"
"""The keyword of a `**mapping` argument in `Call.kwargs` (`**gpu.pod_fields()`)."""


@dataclass(frozen=True)
class Call:
    """`func(*args, **kwargs)`, keyword arguments in the order given (`SPLAT` for `**value`)."""

    func: Expr
    args: tuple[Expr, ...] = ()
    kwargs: tuple[tuple[str, Expr], ...] = ()


@dataclass(frozen=True)
class ListOf:
    """A list literal; items may be `Star` (`*ts.volumes`)."""

    items: tuple[Expr, ...]


@dataclass(frozen=True)
class TupleOf:
    """A tuple literal."""

    items: tuple[Expr, ...]


@dataclass(frozen=True)
class DictOf:
    """A dict literal; a `None` key is a `**splat` of its value."""

    items: tuple[tuple[Expr | None, Expr], ...]


@dataclass(frozen=True)
class Star:
    """`*value` inside a list literal."""

    value: Expr


@dataclass(frozen=True)
class Sum:
    """`a + b + ...`: lists joined (`env_from("app") + env_from(config_maps=["cfg"])`)."""

    items: tuple[Expr, ...]


@dataclass(frozen=True)
class FileText:
    """`read_file(__file__, key)`: a file written beside the module, holding `text` verbatim;
    with `values`, chart values read with `values_file(__file__, key)` (the parsed YAML)."""

    key: str
    text: str
    values: bool = False


@dataclass(frozen=True)
class FString:
    """An f-string: literal text, locals and imported names, e.g. `f"{name}-data"` as
    ("", Local("name"), "-data")."""

    parts: tuple[str | Local | Name, ...]


Expr = Const | Name | Local | Attr | Call | ListOf | TupleOf | DictOf | Star | Sum | FileText | FString


@dataclass(frozen=True)
class Stmt:
    """One statement of `build()`: `expr`, or `target = expr`, with comment lines above it."""

    expr: Expr
    target: str | None = None
    comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Loop:
    """`for names in rows: body`: statements that differ only in a few values, written once."""

    names: tuple[str, ...]
    rows: tuple[tuple[Const, ...], ...]
    body: Stmt


def lit(value: Any) -> Expr:
    """Plain data (as loaded from YAML) as literal nodes."""
    if isinstance(value, dict):
        return DictOf(tuple((Const(str(k)), lit(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return ListOf(tuple(lit(v) for v in value))
    if value is None or isinstance(value, (str, int, float, bool)):
        return Const(value)
    raise TypeError(f"not plain data: {type(value).__name__}")


def evaluate(expr: Expr, env: dict[str, Any]) -> Any:
    """Run `expr`: names are fako's objects, locals come from `env`."""
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, Name):
        return expr.value
    if isinstance(expr, Local):
        return env[expr.name]
    if isinstance(expr, Attr):
        return getattr(evaluate(expr.obj, env), expr.attr)
    if isinstance(expr, Call):
        func = evaluate(expr.func, env)
        args = [evaluate(a, env) for a in expr.args]
        kwargs: dict[str, Any] = {}
        for k, v in expr.kwargs:
            if k == SPLAT:
                kwargs.update(evaluate(v, env))
            else:
                kwargs[k] = evaluate(v, env)
        return func(*args, **kwargs)
    if isinstance(expr, ListOf):
        out: list[Any] = []
        for item in expr.items:
            if isinstance(item, Star):
                out.extend(evaluate(item.value, env))
            else:
                out.append(evaluate(item, env))
        return out
    if isinstance(expr, TupleOf):
        return tuple(evaluate(i, env) for i in expr.items)
    if isinstance(expr, DictOf):
        result: dict[Any, Any] = {}
        for key, value in expr.items:
            if key is None:
                result.update(evaluate(value, env))
            else:
                result[evaluate(key, env)] = evaluate(value, env)
        return result
    if isinstance(expr, Sum):
        total = evaluate(expr.items[0], env)
        for item in expr.items[1:]:
            total = total + evaluate(item, env)
        return total
    if isinstance(expr, FileText):
        return yaml.safe_load(expr.text) if expr.values else expr.text
    if isinstance(expr, FString):
        return "".join(
            p if isinstance(p, str) else str(p.value) if isinstance(p, Name) else str(env[p.name]) for p in expr.parts
        )
    raise TypeError(f"cannot evaluate {type(expr).__name__}")


def walk(expr: Expr) -> Iterator[Expr]:
    """`expr` and every node inside it, parents first."""
    yield expr
    if isinstance(expr, Attr):
        yield from walk(expr.obj)
    elif isinstance(expr, Call):
        yield from walk(expr.func)
        for a in expr.args:
            yield from walk(a)
        for _, v in expr.kwargs:
            yield from walk(v)
    elif isinstance(expr, (ListOf, TupleOf, Sum)):
        for item in expr.items:
            yield from walk(item)
    elif isinstance(expr, DictOf):
        for key, value in expr.items:
            if key is not None:
                yield from walk(key)
            yield from walk(value)
    elif isinstance(expr, Star):
        yield from walk(expr.value)
    elif isinstance(expr, FString):
        yield from (p for p in expr.parts if not isinstance(p, str))


def rewrite(expr: Expr, fn: Callable[[Expr, str | None], Expr | None], arg: str | None = None) -> Expr:
    """`expr` with nodes replaced wherever `fn(node, keyword it is passed as)` returns one
    (the replacement is not visited again)."""
    got = fn(expr, arg)
    if got is not None:
        return got
    if isinstance(expr, Call):
        return Call(
            rewrite(expr.func, fn),
            tuple(rewrite(a, fn) for a in expr.args),
            tuple((k, rewrite(v, fn, k)) for k, v in expr.kwargs),
        )
    if isinstance(expr, ListOf):
        return ListOf(tuple(rewrite(i, fn) for i in expr.items))
    if isinstance(expr, TupleOf):
        return TupleOf(tuple(rewrite(i, fn) for i in expr.items))
    if isinstance(expr, DictOf):
        return DictOf(tuple((k, rewrite(v, fn)) for k, v in expr.items))
    if isinstance(expr, Star):
        return Star(rewrite(expr.value, fn))
    if isinstance(expr, Sum):
        return Sum(tuple(rewrite(i, fn) for i in expr.items))
    if isinstance(expr, Attr):
        return Attr(rewrite(expr.obj, fn), expr.attr)
    return expr
