"""Printing code nodes as Python source in the dense layout of the hand-written app modules.

App modules are excluded from `ruff format` (pyproject: one argument per line would triple
them); they are written as dense declarations instead. An expression stays on one line when
it fits in 120 columns; otherwise its arguments (or items) are filled into lines, aligned
after the opening bracket or hung one level deeper, whichever takes fewer lines, and the
closing bracket ends the last line. Strings use double quotes unless single quotes need
fewer escapes. Imports are sorted and wrapped as ruff's isort does. Comments and docstrings
are sanitised: text from the input can never close a string or start a new line of code.
"""

from __future__ import annotations

import math
import re
import textwrap

from fako.importer.code import (
    SPLAT,
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
    Sum,
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
    if isinstance(expr, Sum):
        return " + ".join(flat(i) for i in expr.items)
    if isinstance(expr, FileText):
        if expr.values:
            return (
                "values_file(__file__)"
                if expr.key == "values.yaml"
                else f"values_file(__file__, {string_literal(expr.key)})"
            )
        return f"read_file(__file__, {string_literal(expr.key)})"
    if isinstance(expr, FString):
        text = "".join(
            p.replace("{", "{{").replace("}", "}}")
            if isinstance(p, str)
            else "{" + (p.text if isinstance(p, Name) else p.name) + "}"
            for p in expr.parts
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
    return [("", a) for a in expr.args] + [("**" if k == SPLAT else f"{k}=", v) for k, v in expr.kwargs]


def _dict_items(expr: DictOf) -> list[tuple[str, Expr]]:
    return [("**", v) if k is None else (flat(k) + ": ", v) for k, v in expr.items]


def _parts(expr: Expr) -> tuple[str, str, list[tuple[str, Expr]]] | None:
    """(opener, closer, items) of a bracketed expression that can be broken over lines."""
    if isinstance(expr, Call):
        items = _call_items(expr)
        return (flat(expr.func) + "(", ")", items) if items else None
    if isinstance(expr, ListOf) and expr.items:
        return "[", "]", [("", i) for i in expr.items]
    if isinstance(expr, DictOf) and expr.items:
        return "{", "}", _dict_items(expr)
    if isinstance(expr, TupleOf) and expr.items:
        return "(", ",)" if len(expr.items) == 1 else ")", [("", i) for i in expr.items]
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _pack(items: list[tuple[str, Expr]], first: str, align: str, end: str) -> list[str]:
    """Items filled into lines: the first line starts with `first`, the others with `align`;
    `end` closes the last item."""
    lines: list[str] = []
    line, empty = first, True
    for i, (prefix, node) in enumerate(items):
        after = end if i == len(items) - 1 else ","
        text = prefix + flat(node) + after
        sep = "" if empty else " "
        if len(line) + len(sep) + len(text) <= WIDTH:
            line, empty = line + sep + text, False
            continue
        if not empty:
            lines.append(line)
            line, empty = align, True
        if len(line) + len(text) <= WIDTH:
            line, empty = line + text, False
            continue
        sub = _lay(node, line + prefix, after)
        if len(sub) > 1 and i < len(items) - 1:  # what follows a block starts on a line of its own
            lines.extend(sub)
            line, empty = align, True
        else:
            lines.extend(sub[:-1])
            line, empty = sub[-1], False
    lines.append(line)
    return lines


def _lay(expr: Expr, head: str, tail: str) -> list[str]:
    """`head + expr + tail`, broken densely where it does not fit: arguments filled into lines,
    aligned after the opening bracket or hung one level deeper, whichever takes fewer lines."""
    one = head + flat(expr) + tail
    parts = _parts(expr) if len(one) > WIDTH else None
    if parts is None:
        return [one]
    opener, closer, items = parts
    base = " " * (_indent(head) + 4)
    options = []
    visual = head + opener
    first = items[0][0] + flat(items[0][1]) + ("," if len(items) > 1 else closer + tail)
    if len(visual) <= WIDTH // 2 and len(visual) + len(first) <= WIDTH:
        # aligned after the bracket only when the first item fits beside it: a block under
        # the opener with its siblings further right reads as misplaced
        options.append(_pack(items, visual, " " * len(visual), closer + tail))
    options.append([visual, *_pack(items, base, base, closer + tail)])
    if len(items) == 1 and _parts(items[0][1]) is not None:
        # one bracketed item hugs its brackets when that saves a line: `containers=[k8s.Container(`
        options.append(_lay(items[0][1], visual + items[0][0], closer + tail))
    return min(options, key=lambda lines: (sum(len(line) > WIDTH for line in lines), len(lines)))


def expr_lines(expr: Expr, indent: int, prefix: str = "", suffix: str = "") -> list[str]:
    """`prefix + expr + suffix` at `indent`, broken over lines where it does not fit (the dense
    layout of the hand-written app modules: arguments filled up to the line length)."""
    return _lay(expr, " " * indent + prefix, suffix)


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
