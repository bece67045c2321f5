"""`@checked`: a public helper checks its arguments at run time, in the app author's words.

App authors do not all run mypy, and a helper that trusts its argument types renders
nonsense silently (`resources(cpu="10m")` used to render `cpu: '1'`). `@checked`
validates every call against the helper's annotations with pydantic (strict: no
coercion, so a string is never taken for a pair), and turns a failure into one
`HelperError` naming the helper, the argument, the expected form and what it got; an
unknown keyword gets "did you mean" among the helper's own parameters and, for helpers
that pass extra keywords on to a Kubernetes model (`**pod`, `**fields`), that model's
fields and the helper's short names.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import typing
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar, overload

from pydantic import BaseModel, ConfigDict, ValidationError, validate_call

from fako.errors import FakoError
from fako.text import shown, value_of

__all__ = ["HelperError", "checked"]

P = ParamSpec("P")
R = TypeVar("R")

_CONFIG = ConfigDict(strict=True, arbitrary_types_allowed=True)


class HelperError(FakoError, TypeError):
    """A public helper was called with arguments it cannot take."""


def _model_names(model: type[BaseModel]) -> list[str]:
    names: list[str] = []
    for name, info in model.model_fields.items():
        names.append(name)
        if info.alias:
            names.append(info.alias)
    return names


def _describe(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) or str(annotation)
    return text.replace("typing.", "").replace("fako.k8s.core.", "k8s.").replace("NoneType", "None")


_BUILTIN_TAGS = frozenset({"str", "int", "float", "bool", "none", "dict", "list", "tuple", "bytes"})


def _type_names(annotation: Any) -> set[str]:
    """Names of the classes in an annotation: pydantic puts a union member's in error locations."""
    names = {getattr(annotation, "__name__", "")}
    for arg in typing.get_args(annotation):
        names |= _type_names(arg)
    return names - {""}


def _is_type_name(part: str, names: set[str]) -> bool:
    return part in _BUILTIN_TAGS or part in names or "[" in part or part.startswith("function-")


@overload
def checked(func: Callable[P, R]) -> Callable[P, R]: ...


@overload
def checked(
    *,
    rest: type[BaseModel] | None = None,
    aliases: Mapping[str, str] | None = None,
    forms: Mapping[str, str] | None = None,
    suggest: Mapping[str, Callable[[Any], str | None]] | None = None,
) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def checked(
    func: Callable[P, R] | None = None,
    *,
    rest: type[BaseModel] | None = None,
    aliases: Mapping[str, str] | None = None,
    forms: Mapping[str, str] | None = None,
    suggest: Mapping[str, Callable[[Any], str | None]] | None = None,
) -> Callable[P, R] | Callable[[Callable[P, R]], Callable[P, R]]:
    """Check a helper's arguments on every call (see module docstring).

    `rest` is the model a `**kwargs` parameter feeds (its field names are accepted);
    `aliases` are the helper's short names for some of them (`delay`); `forms` shows the
    expected form of an argument in errors (`{"cpu": '("100m", "500m")'}`); `suggest`
    maps an argument to a function of the refused value giving a hint ("did you mean
    RESTRICTED?") or None.
    """

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        name = fn.__name__
        signature = inspect.signature(fn)
        positional = list(signature.parameters)  # pydantic's error locations index these, self included
        params = [p for p in positional if p not in ("self", "cls")]
        has_rest = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values())
        accepted = set(params) | set(aliases or {}) | set(_model_names(rest) if rest else [])
        validated = validate_call(config=_CONFIG)(fn)
        hints = fn.__annotations__

        def unknown(keyword: str) -> HelperError:
            candidates = sorted(accepted - {p for p in params if signature.parameters[p].kind.name.startswith("VAR")})
            close = difflib.get_close_matches(keyword, candidates, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; it takes {', '.join(repr(p) for p in params)}"
            return HelperError(f"{name}(): unknown argument {shown(repr(keyword))}{hint}")

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if has_rest:
                for keyword in kwargs:
                    if keyword not in accepted:
                        raise unknown(keyword)
            try:
                return validated(*args, **kwargs)
            except ValidationError as exc:
                if exc.title not in (name, fn.__qualname__):
                    raise  # from a model the helper built: reported with that model's fields
                lines = []
                seen: set[str] = set()
                for err in exc.errors(include_url=False):
                    loc = err["loc"]
                    first = loc[0] if loc else "?"
                    arg = positional[first] if isinstance(first, int) and first < len(positional) else str(first)
                    if arg in seen:
                        continue  # one line per argument (a union reports once per member)
                    seen.add(arg)
                    if err["type"] == "unexpected_keyword_argument":
                        raise unknown(arg) from None
                    if err["type"] in ("missing_argument", "missing_keyword_only_argument"):
                        lines.append(f"argument {arg!r} is required")
                        continue
                    form = (forms or {}).get(arg) or _describe(hints.get(arg, "?"))
                    got = err.get("input")
                    tags = _type_names(hints.get(arg))
                    inner = [str(part) for part in loc[1:] if not _is_type_name(str(part), tags)]
                    line = (
                        f"argument {arg!r} must be {form}, got {type(got).__name__} {value_of(got)}"
                        if not inner
                        else f"argument {arg!r} must be {form}; at [{']['.join(map(repr, inner))}] got "
                        f"{type(got).__name__} {value_of(got)}"
                    )
                    hint = (suggest or {}).get(arg)
                    extra = hint(got) if hint and not inner else None
                    lines.append(f"{line}; {extra}" if extra else line)
                unique = list(dict.fromkeys(lines))
                raise HelperError(f"{name}(): {'; '.join(unique)}") from None

        return wrapper

    if func is not None:
        return wrap(func)
    return wrap
