"""Run-time argument checks for pattern helpers (mypy does not run on every app edit).

`expect("CloudflareTunnel", "spec", spec, CloudflareTunnelSpec, "CloudflareTunnelSpec(tunnel=..., routes=...)")`
raises `FakoError` naming the helper, the argument, the expected form and what it got.
"""

from __future__ import annotations

from fako.errors import FakoError

__all__ = ["expect"]


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def expect(helper: str, name: str, value: object, expected: type | tuple[type, ...], form: str) -> None:
    """Refuse `value` for argument `name` of `helper` unless it is an instance of `expected`.

    Example: `expect("claim", "size", "10Gi", str, "a size such as '10Gi'")`
    """
    # bool is an int subclass: a flag passed where a number belongs is refused too
    wants_int = expected is int or (isinstance(expected, tuple) and int in expected)
    if isinstance(value, expected) and not (wants_int and isinstance(value, bool)):
        return
    raise FakoError(f"{helper}: {name} must be {form}, got {type(value).__name__} {_shown(value)}")
