"""Object rules: small functions, each one thing the API server or the cluster refuses.

A rule takes one manifest and yields `Violation`s (field path, message, fix). Rules are
written with `@rule(check, source)`, naming the check id findings carry and the source
of the rule (the Kubernetes code or document it follows), and are listed by topic in
each module's `RULES` tuple, so the modules read as a catalogue.

The same rules run in two places: over a typed render in `fako synth` (an error names
the app, the spec field, the value, the `file:line` of the construct call, and the fix)
and over any rendered tree in `fako validate DIR` (Raw objects, imported YAML).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["ObjectRule", "Rule", "Violation", "rule"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Violation:
    """One problem a rule found: `field` is the path in the manifest, `value` the offending
    value as shown (also what an allow-list entry must match), `message` what is wrong."""

    field: str
    message: str
    fix: str = ""
    value: str = ""
    severity: Severity = "error"


ObjectRule = Callable[[dict[str, Any]], Iterable[Violation]]


@dataclass(frozen=True)
class Rule:
    """A named, sourced object rule: `check` is the finding id, `source` where it comes from."""

    check: str
    source: str
    func: ObjectRule

    def __call__(self, manifest: dict[str, Any]) -> Iterator[Violation]:
        yield from self.func(manifest)

    @property
    def doc(self) -> str:
        """The rule's one-line description (its docstring's first line)."""
        return (self.func.__doc__ or "").strip().split("\n")[0]


def rule(check: str, source: str) -> Callable[[ObjectRule], Rule]:
    """Make a function a `Rule` with a check id and the source of the rule it enforces."""

    def wrap(func: ObjectRule) -> Rule:
        return Rule(check, source, func)

    return wrap
