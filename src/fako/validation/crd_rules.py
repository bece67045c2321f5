"""The CEL rules of custom resource definitions (`x-kubernetes-validations`), evaluated.

An operator's CRD can carry rules the API server checks on every create, e.g. Flux's
"either chart or chartRef must be set" on a HelmRelease or CloudNativePG's "imageName and
imageCatalogRef are mutually exclusive" on a Cluster. JSON schemas cannot express them,
so `fako.crdcheck` (the generated models) does not see them either.

The rules come from the CRD schemas under `../shared/schemas/crds`, extracted with their
schema paths and defaults by `tools/extract_crd_rules.py` into `files/crd_rules.json`
(shipped with fako, so the check works without ../shared; a test checks the file is
current). As the API server does (`staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/
schema/cel/validation.go`), each rule is evaluated with `self` bound to every value at its
schema path (each item for `[]`, each map value for `{}`) after the schema's defaults are
applied; false fails with the rule's `message` (or `messageExpression`); an evaluation
error (a missing field, a wrong type) fails too. Transition rules (`oldSelf`) only apply
to updates and are skipped (listed by `skipped_rules()`).

CEL: `common-expression-language` (Python bindings of the cel-rust interpreter): about
14 µs an evaluation against ~340 µs for the pure-Python `cel-python`, and it compares
values of different types the way cel-go (the API server's CEL) does (`{} != ''` is
true, where cel-python raises). It is imported on first use, without the CLI its
package import would load (`_cel`).
"""

from __future__ import annotations

import copy
import json
import sys
import types
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from fako.text import value_of
from fako.validation.rules import Rule, Violation, rule
from fako.validation.walk import at

__all__ = ["RULES", "crd_rules", "rule_count", "skipped_rules"]


@cache
def _data() -> dict[str, Any]:
    text = resources.files("fako.validation").joinpath("files/crd_rules.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def rule_count() -> int:
    """How many CEL rules fako evaluates (transition rules not counted)."""
    return sum(len(v) for v in _data()["kinds"].values())


def skipped_rules() -> list[dict[str, Any]]:
    """The transition rules (`oldSelf`) fako does not evaluate, with the reason."""
    skipped: list[dict[str, Any]] = _data()["skipped"]
    return skipped


def _cel() -> Any:
    """The CEL bindings, imported without their command-line interface.

    The package's `__init__` imports its CLI (typer, rich, prompt_toolkit: some 400
    modules, about a quarter of a second); fako only compiles and runs expressions, so an
    empty module stands in for the CLI before the package is first imported.
    """
    if "cel" not in sys.modules:
        sys.modules.setdefault("cel.cli", types.ModuleType("cel.cli"))
    import cel

    return cel


class _Compiled:
    """One rule with its compiled program (and messageExpression program)."""

    def __init__(self, entry: dict[str, Any]) -> None:
        cel = _cel()

        self.path: list[str] = entry["path"]
        self.rule: str = entry["rule"]
        self.message: str = entry.get("message") or f"failed rule: {self.rule}"
        self.field_path: str = entry.get("fieldPath", "")
        self.defaults: dict[str, Any] = entry.get("defaults", {})
        self.program = cel.compile(self.rule)
        expression = entry.get("messageExpression")
        self.message_program = cel.compile(expression) if expression else None


@cache
def crd_rules(api_version: str, kind: str) -> tuple[_Compiled, ...]:
    """The compiled rules of a custom resource kind (empty for kinds without rules)."""
    entries = _data()["kinds"].get(f"{api_version} {kind}", [])
    return tuple(_Compiled(e) for e in entries)


def _defaulted(value: Any, schema: dict[str, Any]) -> Any:
    """`value` with the schema's defaults filled in where fields are absent."""
    if isinstance(value, dict):
        out = dict(value)
        for name, sub in schema.get("properties", {}).items():
            if name not in out and "default" in sub:
                out[name] = copy.deepcopy(sub["default"])
            if name in out:
                out[name] = _defaulted(out[name], sub)
        extra = schema.get("additionalProperties")
        if extra:
            known = schema.get("properties", {})
            for name in out:
                if name not in known:
                    out[name] = _defaulted(out[name], extra)
        return out
    if isinstance(value, list) and "items" in schema:
        return [_defaulted(item, schema["items"]) for item in value]
    return value


def _values_at(value: Any, path: list[str], where: str) -> Iterator[tuple[str, Any]]:
    """(field path, value) of every value at a schema path (lists and maps expanded)."""
    if not path:
        yield where, value
        return
    head, rest = path[0], path[1:]
    if head == "[]":
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from _values_at(item, rest, at(where, i))
    elif head == "{}":
        if isinstance(value, dict):
            for key, item in value.items():
                yield from _values_at(item, rest, at(where, str(key)))
    elif isinstance(value, dict) and value.get(head) is not None:
        yield from _values_at(value[head], rest, at(where, head))


@rule(
    "cel.rule",
    "the CRD's x-kubernetes-validations, evaluated as apiextensions-apiserver "
    "pkg/apiserver/schema/cel/validation.go does",
)
def crd_cel_rules(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A custom resource satisfies the CEL rules of its CRD (creation rules; oldSelf rules skipped)."""
    compiled = crd_rules(str(manifest.get("apiVersion", "")), str(manifest.get("kind", "")))
    for r in compiled:
        for where, value in _values_at(manifest, r.path, ""):
            bound = _defaulted(value, r.defaults) if r.defaults else value
            try:
                result = r.program.execute({"self": bound})
            except Exception as exc:  # the interpreter's error is the API server's refusal
                yield Violation(
                    at(where, r.field_path.lstrip(".")) if r.field_path else where or "(root)",
                    f"rule {value_of(r.rule, limit=200)} could not be evaluated: {exc}",
                    "set the fields the rule reads",
                    value=r.rule,
                )
                continue
            if result is True:
                continue
            message = r.message
            if r.message_program is not None:
                try:
                    message = str(r.message_program.execute({"self": bound}))
                except Exception:  # the API server falls back to the message too
                    message = r.message
            if result is not False:
                message = f"rule {value_of(r.rule, limit=200)} returned {value_of(result)}, not a bool"
            yield Violation(
                at(where, r.field_path.lstrip(".")) if r.field_path else where or "(root)",
                message,
                f"satisfy the CRD rule: {r.rule}",
                value=r.rule,
            )


RULES: tuple[Rule, ...] = (crd_cel_rules,)
