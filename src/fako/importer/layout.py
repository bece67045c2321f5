"""Printing code nodes as Python source laid out the way `ruff format` lays it out.

The rules are the formatter's (line length 120, no magic trailing comma): an expression
stays on one line when it fits; otherwise a call first tries all its arguments on one
indented line, then one argument per line; list and dict literals go straight to one item
per line. An exploded bracket with more than one item gets a trailing comma. Strings use
double quotes unless single quotes need fewer escapes. Comments and docstrings are
sanitised: text from the input can never close a string or start a new line of code.
"""

from __future__ import annotations

import math
import re
import textwrap

from fako.importer.code import (
    Attr,
    Call,
    Const,
    DictOf,
    Expr,
    FileText,
    FString,
    ListOf,
    Local,
    Loop,
    Name,
    Star,
    Stmt,
    TupleOf,
)

__all__ = ["WIDTH", "expr_lines", "flat", "import_lines", "safe_text", "statement_lines", "string_literal"]

WIDTH = 120
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


_PLAIN = re.compile(r"[\x20-\x7e]*")


def string_literal(value: str) -> str:
    """`value` as a Python string literal, quoted as ruff prefers."""
    quote = "'" if value.count('"') > value.count("'") else '"'
    if _PLAIN.fullmatch(value) and "\\" not in value and quote not in value:
        return quote + value + quote
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch == quote:
            out.append("\\" + ch)
        elif not ch.isprintable():
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return quote + "".join(out) + quote


def _number(value: int | float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    return repr(value)


_MEMO: dict[int, tuple[Expr, str]] = {}


def flat(expr: Expr) -> str:
    """`expr` on one line."""
    if isinstance(expr, (Call, ListOf, DictOf, TupleOf)):
        hit = _MEMO.get(id(expr))
        if hit is not None and hit[0] is expr:
            return hit[1]
        text = _flat(expr)
        if len(_MEMO) > 100_000:
            _MEMO.clear()
        _MEMO[id(expr)] = (expr, text)
        return text
    return _flat(expr)


def _flat(expr: Expr) -> str:
    if isinstance(expr, Const):
        if expr.text is not None:
            return expr.text
        v = expr.value
        if isinstance(v, str):
            return string_literal(v)
        if v is None or isinstance(v, bool):
            return repr(v)
        return _number(v)
    if isinstance(expr, Name):
        return expr.text
    if isinstance(expr, Local):
        return expr.name
    if isinstance(expr, Attr):
        return f"{flat(expr.obj)}.{expr.attr}"
    if isinstance(expr, Star):
        return "*" + flat(expr.value)
    if isinstance(expr, FileText):
        return f"read_file(__file__, {string_literal(expr.key)})"
    if isinstance(expr, FString):
        text = "".join(
            p.replace("{", "{{").replace("}", "}}") if isinstance(p, str) else "{" + p.name + "}" for p in expr.parts
        )
        return "f" + string_literal(text)
    if isinstance(expr, Call):
        return flat(expr.func) + "(" + ", ".join(p + flat(e) for p, e in _call_items(expr)) + ")"
    if isinstance(expr, ListOf):
        return "[" + ", ".join(flat(i) for i in expr.items) + "]"
    if isinstance(expr, TupleOf):
        inner = ", ".join(flat(i) for i in expr.items)
        return "(" + inner + ("," if len(expr.items) == 1 else "") + ")"
    if isinstance(expr, DictOf):
        return "{" + ", ".join(p + flat(e) for p, e in _dict_items(expr)) + "}"
    raise TypeError(f"cannot print {type(expr).__name__}")


def _call_items(expr: Call) -> list[tuple[str, Expr]]:
    return [("", a) for a in expr.args] + [(f"{k}=", v) for k, v in expr.kwargs]


def _dict_items(expr: DictOf) -> list[tuple[str, Expr]]:
    return [("**", v) if k is None else (flat(k) + ": ", v) for k, v in expr.items]


def expr_lines(expr: Expr, indent: int, prefix: str = "", suffix: str = "") -> list[str]:
    """`prefix + expr + suffix` at `indent`, broken over lines where it does not fit."""
    pad = " " * indent
    one = prefix + flat(expr) + suffix
    if indent + len(one) <= WIDTH:
        return [pad + one]
    if isinstance(expr, Call):
        opener, closer, items = flat(expr.func) + "(", ")", _call_items(expr)
        if len(items) > 1:
            body = ", ".join(p + flat(e) for p, e in items)
            if indent + 4 + len(body) <= WIDTH:
                return [pad + prefix + opener, " " * (indent + 4) + body, pad + closer + suffix]
    elif isinstance(expr, ListOf):
        opener, closer = "[", "]"
        items = [("", i) for i in expr.items]
    elif isinstance(expr, DictOf):
        opener, closer, items = "{", "}", _dict_items(expr)
    elif isinstance(expr, TupleOf):
        opener, closer = "(", ")"
        items = [("", i) for i in expr.items]
        lines = [pad + prefix + opener]
        for p, e in items:
            lines.extend(expr_lines(e, indent + 4, p, ","))
        return [*lines, pad + closer + suffix]
    else:
        return [pad + one]
    if not items:
        return [pad + one]
    comma = "," if len(items) > 1 else ""
    lines = [pad + prefix + opener]
    for p, e in items:
        lines.extend(expr_lines(e, indent + 4, p, comma))
    lines.append(pad + closer + suffix)
    return lines


_UNSAFE = re.compile(r'[^\x20-\x7e]|["\\]')


def safe_text(text: str) -> str:
    """Text from the input made safe for a comment or docstring: printable ASCII, no quotes or
    backslashes, one line."""
    return _UNSAFE.sub("?", text)


def statement_lines(stmt: Stmt | Loop, indent: int) -> list[str]:
    """One statement of `build()`, its comments first."""
    if isinstance(stmt, Loop):
        rows: list[Expr] = [r[0] if len(r) == 1 else TupleOf(r) for r in stmt.rows]
        header = expr_lines(TupleOf(tuple(rows)), indent, f"for {', '.join(stmt.names)} in ", ":")
        return header + statement_lines(stmt.body, indent + 4)
    pad = " " * indent
    lines = []
    for comment in stmt.comments:
        wrapped = textwrap.wrap(safe_text(comment), WIDTH - indent - 2, break_long_words=False, break_on_hyphens=False)
        lines += [f"{pad}# {line}" for line in wrapped] or [f"{pad}#"]
    prefix = f"{stmt.target} = " if stmt.target else ""
    return lines + expr_lines(stmt.expr, indent, prefix)


def _member_key(name: str) -> tuple[int, str]:
    if len(name) > 1 and name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def import_lines(imports: dict[str, set[str]]) -> list[str]:
    """`from module import names` lines, sorted and wrapped as ruff's isort does."""
    lines: list[str] = []
    for module in sorted(imports, key=lambda m: m.lower()):
        names = sorted(imports[module], key=_member_key)
        line = f"from {module} import {', '.join(names)}"
        if len(line) <= WIDTH:
            lines.append(line)
        else:
            lines.append(f"from {module} import (")
            lines.extend(f"    {n}," for n in names)
            lines.append(")")
    return lines
