"""Strict schema validation of built-in kinds, with one cached validator per kind.

`kubernetes_validate.validate()` reads its schema files and builds a validator on every
call (12-17 ms per object); `SchemaSet` loads `_definitions.json` once per Kubernetes
version and builds each kind's validator once, so an object costs well under 1 ms.
Custom resources go to an injected callable, or are skipped without one.
"""

from __future__ import annotations

import difflib
import importlib.resources
import json
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from fako.errors import FakoError
from fako.rendered import RenderedObject
from fako.validation.findings import Finding, finding

if TYPE_CHECKING:  # jsonschema loads when a schema is first needed, not with the checks
    from jsonschema.exceptions import ValidationError

__all__ = ["CustomValidator", "SchemaSet", "check_schemas"]

CustomValidator = Callable[[dict[str, Any]], list[str]]
"""Validates one custom resource; returns one message per problem (empty when valid)."""

_MAX_ERRORS_PER_OBJECT = 10
_SCHEMA_SETS: dict[str, SchemaSet] = {}


def _shipped_versions() -> list[str]:
    root = importlib.resources.files("kubernetes_validate").joinpath("kubernetes-json-schema")
    names = (entry.name for entry in root.iterdir())
    found = {n[1:].removesuffix("-local-strict") for n in names if n.endswith("-local-strict")}
    return sorted(found, key=lambda v: tuple(int(x) for x in v.split(".") if x.isdigit()))


_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_ONE = frozenset(
    {
        "items",
        "additionalProperties",
        "additionalItems",
        "not",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedItems",
        "unevaluatedProperties",
    }
)


class _Inliner:
    """Turns `$ref`s into the referenced dicts themselves, and drops descriptions.

    Resolving a `$ref` through the registry on every object is most of the cost of
    validating; shared (and, for recursive types, cyclic) dicts cost nothing. The
    Kubernetes schemas put only annotations (description, x-kubernetes-*) next to a
    `$ref`, so replacing the node by its target keeps the meaning.
    """

    def __init__(self, definitions: dict[str, Any]) -> None:
        self._definitions = definitions
        self._done: dict[str, dict[str, Any]] = {}

    def definition(self, name: str) -> dict[str, Any]:
        if name not in self._done:
            result: dict[str, Any] = {}
            self._done[name] = result  # before filling it: recursive types refer back to it
            result.update(self.schema(self._definitions[name]))
        return self._done[name]

    def schema(self, node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and "#/$defs/" in ref:
            return self.definition(ref.rsplit("#/$defs/", 1)[1])
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("description", "$schema", "$id") or key.startswith("x-kubernetes-"):
                continue
            if key in _SCHEMA_MAPS and isinstance(value, dict):
                out[key] = {name: self.schema(sub) for name, sub in value.items()}
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                out[key] = [self.schema(sub) for sub in value]
            elif key in _SCHEMA_ONE:
                out[key] = [self.schema(sub) for sub in value] if isinstance(value, list) else self.schema(value)
            else:
                out[key] = value
        return out


class SchemaSet:
    """The strict built-in schemas of one Kubernetes version, validators built on demand.

    Get one with `SchemaSet.for_version("1.34")`: instances are cached per version, and
    `validator(api_version, kind)` per kind, so repeated runs reuse both.
    """

    def __init__(self, kubernetes_version: str) -> None:
        shipped = _shipped_versions()
        matching = [v for v in shipped if v.rsplit(".", 1)[0] == kubernetes_version]
        if not matching:
            have = ", ".join(dict.fromkeys(v.rsplit(".", 1)[0] for v in shipped))
            raise FakoError(
                f"kubernetes-validate ships no schemas for Kubernetes {kubernetes_version}; "
                f"it has {have} (set kubernetes_version in the cluster facts to one of them)"
            )
        self.kubernetes_version = kubernetes_version
        self.schema_version = matching[-1]
        folder = (
            importlib.resources.files("kubernetes_validate")
            .joinpath("kubernetes-json-schema")
            .joinpath(f"v{self.schema_version}-local-strict")
        )
        definitions = json.loads(folder.joinpath("_definitions.json").read_text())["$defs"]
        self._inliner = _Inliner(definitions)
        self._kinds: dict[str, dict[str, str]] = {}
        for name, schema in definitions.items():
            for gvk in schema.get("x-kubernetes-group-version-kind", ()):
                group, version = gvk.get("group", ""), gvk.get("version", "")
                api_version = f"{group}/{version}" if group else version
                self._kinds.setdefault(api_version, {}).setdefault(gvk.get("kind", ""), name)
        self.groups: frozenset[str] = frozenset(v.rpartition("/")[0] for v in self._kinds)
        self._validators: dict[tuple[str, str], Any] = {}

    @classmethod
    def for_version(cls, kubernetes_version: str) -> SchemaSet:
        """The shared instance for a Kubernetes version (built on first use)."""
        if kubernetes_version not in _SCHEMA_SETS:
            _SCHEMA_SETS[kubernetes_version] = cls(kubernetes_version)
        return _SCHEMA_SETS[kubernetes_version]

    def is_builtin(self, api_version: str) -> bool:
        """True when `api_version` belongs to a group Kubernetes itself serves."""
        group = api_version.rpartition("/")[0]
        return group in self.groups

    def validator(self, api_version: str, kind: str) -> Any:
        """The cached validator for a built-in kind, or None when the kind is unknown."""
        key = (api_version, kind)
        if key not in self._validators:
            name = self._kinds.get(api_version, {}).get(kind)
            schema = None if name is None else self._inliner.definition(name)
            if schema is None:
                self._validators[key] = None
            else:
                import jsonschema

                self._validators[key] = jsonschema.Draft202012Validator(schema)
        return self._validators[key]

    def api_versions(self, kind: str) -> list[str]:
        """The apiVersions that serve `kind` (for suggestions)."""
        return sorted(v for v, kinds in self._kinds.items() if kind in kinds)

    def kinds(self, api_version: str) -> list[str]:
        """Kinds the schemas know for `api_version` (for suggestions)."""
        return sorted(self._kinds.get(api_version, {}))

    def errors(self, manifest: dict[str, Any]) -> list[ValidationError]:
        """Schema errors of one built-in object (a SOPS `sops` block is ignored)."""
        validator = self.validator(str(manifest.get("apiVersion", "")), str(manifest.get("kind", "")))
        if validator is None:
            raise KeyError(manifest.get("kind"))
        if "sops" in manifest:
            manifest = {k: v for k, v in manifest.items() if k != "sops"}
        return sorted(validator.iter_errors(manifest), key=lambda e: list(map(str, e.absolute_path)))


def _where(error: ValidationError) -> str:
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path.lstrip(".") or "the object"


def _describe(error: ValidationError) -> tuple[str, str]:
    """(message, fix) for one schema error, naming the field and the allowed values."""
    where = _where(error)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted((error.schema.get("properties") or {}) if isinstance(error.schema, dict) else {})
        unknown = sorted(k for k in error.instance if k not in allowed)
        name = ", ".join(f"'{k}'" for k in unknown)
        hints = [m for k in unknown for m in difflib.get_close_matches(str(k), allowed, n=1)]
        fix = f"did you mean '{hints[0]}'?" if len(hints) == 1 and len(unknown) == 1 else "remove it"
        return f"{where}: unknown field {name}", f"{fix} (allowed: {', '.join(allowed)})"
    if error.validator == "required":
        return f"{where}: {error.message}", "set it"
    if error.validator == "enum":
        allowed_values = ", ".join(map(str, error.validator_value))
        return f"{where}: {error.instance!r} is not allowed", f"use one of {allowed_values}"
    return f"{where}: {error.message}", ""


def _unknown_kind(obj: RenderedObject, schemas: SchemaSet) -> Finding:
    api_version = str(obj.manifest.get("apiVersion", ""))
    known = schemas.kinds(api_version)
    by_lower = {k.lower(): k for k in known}
    close = [by_lower[c] for c in difflib.get_close_matches(obj.kind.lower(), list(by_lower), n=1)]
    served_by = schemas.api_versions(obj.kind)
    if served_by:
        fix = f"use apiVersion {' or '.join(served_by)}"
    elif close:
        fix = f"did you mean kind '{close[0]}'?"
    else:
        fix = "use a kind and apiVersion this Kubernetes version serves"
    return finding(
        obj,
        "schema.unknown-kind",
        f"{api_version} {obj.kind or '(no kind)'} is not a kind Kubernetes {schemas.kubernetes_version} serves",
        fix,
    )


def check_schemas(
    objects: Iterable[RenderedObject],
    kubernetes_version: str,
    custom: CustomValidator | None = None,
    *,
    skip_typed: bool = False,
) -> Iterator[Finding]:
    """Validate built-in kinds strictly, custom resources through `custom` (skipped if None).

    `skip_typed` leaves out objects a typed construct made: their specs were validated
    when they were built, by models generated from these same schemas (tests/test_models.py
    proves the equivalence). Raw objects and files copied verbatim are always checked.
    """
    schemas: SchemaSet | None = None  # loaded (kubernetes-validate, jsonschema) for the first object checked
    for obj in objects:
        if skip_typed and obj.typed and obj.raw is None:
            continue
        if schemas is None:
            schemas = SchemaSet.for_version(kubernetes_version)
        api_version = str(obj.manifest.get("apiVersion", ""))
        if not api_version or not obj.kind:
            yield finding(obj, "schema", "has no apiVersion or kind", "set both")
            continue
        if not schemas.is_builtin(api_version):
            if custom is not None:
                for message in custom(obj.manifest):
                    yield finding(obj, "schema.custom", message)
            continue
        if schemas.validator(api_version, obj.kind) is None:
            yield _unknown_kind(obj, schemas)
            continue
        errors = schemas.errors(obj.manifest)
        for error in errors[:_MAX_ERRORS_PER_OBJECT]:
            message, fix = _describe(error)
            yield finding(obj, "schema", message, fix)
        if len(errors) > _MAX_ERRORS_PER_OBJECT:
            more = len(errors) - _MAX_ERRORS_PER_OBJECT
            yield finding(obj, "schema", f"{more} more schema errors not shown")
