"""Turning a spec that fails validation into `Problem`s in the user's words.

A pydantic error becomes: the app, the dotted field path, the value, what is wrong, the
`file:line` in the app's module where the spec was written, and a fix (for an unknown
field, the closest real field name).
"""

from __future__ import annotations

import difflib
import sys
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from fako.errors import FakoError, Problem, SpecError
from fako.project import project_root
from fako.secretscan import secret_kinds
from fako.text import shown, value_of

__all__ = ["problems_from"]


def _subclasses(cls: type) -> list[type]:
    out: list[type] = []
    sub: type
    for sub in type.__subclasses__(cls):
        out.append(sub)
        out.extend(_subclasses(sub))
    return out


def _model_named(title: str) -> type[BaseModel] | None:
    for cls in _subclasses(BaseModel):
        if cls.__name__ == title:
            return cls
    return None


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        out.extend(_models_in(arg))
    return out


def _field_names(model: type[BaseModel]) -> list[str]:
    names = []
    for name, info in model.model_fields.items():
        names.append(name)
        if info.alias:
            names.append(info.alias)
    return names


def _suggest(root: type[BaseModel] | None, loc: tuple[int | str, ...]) -> str:
    """For an unknown field at `loc`, the closest field of the model that holds it."""
    if root is None:
        return ""
    models = [root]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for m in models:
            for name, info in m.model_fields.items():
                if part in (name, info.alias):
                    nxt.extend(_models_in(info.annotation))
        if not nxt:
            break
        models = nxt
    candidates = [n for m in models for n in _field_names(m)]
    close = difflib.get_close_matches(str(loc[-1]), candidates, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(sorted(set(candidates))[:12])}"


def _location(tb: types.TracebackType | None, module_file: str | None) -> str:
    """`file:line` of the deepest frame in the app's own module."""
    found = ""
    while tb is not None:
        frame_file = tb.tb_frame.f_code.co_filename
        if module_file and Path(frame_file).resolve() == Path(module_file).resolve():
            found = f"{_rel(frame_file)}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def _rel(file: str) -> str:
    try:
        return str(Path(file).resolve().relative_to(project_root()))
    except ValueError:
        return file


_SECRET_WORDS = ("value", "data", "password", "passwd", "token", "secret", "credential", "key", "auth", "cert")
"""Field names that may hold a secret: their values are shown masked in messages."""


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _may_hold_secret(loc: tuple[int | str, ...], value: Any) -> bool:
    path = ".".join(str(p) for p in loc).lower()
    return any(word in path for word in _SECRET_WORDS) or any(secret_kinds(s) for s in _strings(value))


def _short(value: Any, loc: tuple[int | str, ...] = (), *, unknown: bool = False) -> str:
    """A value for a message; masked when it may be a secret. An unknown field's value is
    shown only when it is a short, harmless scalar: a typo'd key says nothing of its value."""
    secret = _may_hold_secret(loc, value)
    if unknown and isinstance(value, str) and len(value) > 24:
        secret = True
    return value_of(value, secret=secret)


def problems_from(exc: BaseException, where: str, module_file: str | None) -> list[Problem]:
    """The problems an exception raised while building `where` stands for."""
    location = _location(exc.__traceback__, module_file)
    if isinstance(exc, ValidationError):
        root = _model_named(exc.title)
        out = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            path = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")
            path = f"{exc.title}.{path}" if path else exc.title
            kind = err["type"]
            if kind == "extra_forbidden":
                out.append(
                    Problem(
                        where,
                        f"unknown field (value {_short(err['input'], loc, unknown=True)})",
                        path,
                        location,
                        _suggest(root, loc),
                    )
                )
            elif kind == "missing":
                out.append(Problem(where, "is required", path, location, f"set {path}"))
            else:
                msg = err["msg"][0].lower() + err["msg"][1:]
                msg = msg.replace("value error, ", "")
                got = "" if ", got " in msg else f", got {_short(err['input'], loc)}"
                out.append(Problem(where, f"{msg}{got}", path, location))
        # A union reports once per member; keep the first line for each path and message.
        seen: set[tuple[str, str]] = set()
        unique = []
        for p in out:
            key = (p.field, p.message)
            if key not in seen:
                seen.add(key)
                unique.append(p)
        return unique
    if isinstance(exc, SpecError):
        return [p if p.location else Problem(p.where, p.message, p.field, location, p.fix) for p in exc.problems]
    if isinstance(exc, FakoError):
        return [Problem(where, str(exc), location=location)]
    if isinstance(exc, SystemExit):
        return [
            Problem(
                where,
                f"ended the process (sys.exit({shown(repr(exc.code))})) while fako was building it",
                location=location or _rel(_last_file(exc)),
                fix="raise an exception (or let fako report the problem) instead of exiting",
            )
        ]
    if isinstance(exc, SyntaxError) and exc.filename:
        return [
            Problem(
                where,
                f"SyntaxError: {shown(exc.msg)}",
                location=f"{_rel(exc.filename)}:{exc.lineno}",
                fix="fix the syntax of the module",
            )
        ]
    text = str(exc)
    if "There is already a Construct with name" in text:
        ident = text.split("name '", 1)[1].split("'", 1)[0] if "name '" in text else "?"
        return [
            Problem(
                where,
                f"two constructs share the id {ident!r} in the same scope",
                "id",
                location,
                "pass a distinct id= to one of them (ids name the construct path, not the object)",
            )
        ]
    return [
        Problem(
            where,
            f"{type(exc).__name__}: {shown(exc)}",
            location=location or _rel(_last_file(exc)),
            fix="fix the app module (run with --debug for the traceback)",
        )
    ]


def _last_file(exc: BaseException) -> str:
    tb = exc.__traceback__
    file = "?"
    while tb is not None:
        file = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return file


def module_file_of(cls: type) -> str | None:
    """The source file of the module a class is defined in."""
    module = sys.modules.get(cls.__module__)
    return getattr(module, "__file__", None)
