"""In-process tests aimed at mutants of `fako.validation.schemas`.

Most run against a hand-made `kubernetes_validate` folder (a few versions, a small
`_definitions.json`), so every expectation is worked out from the files the test writes;
a few run against the schemas kubernetes-validate ships.
"""

from __future__ import annotations

import importlib.resources
import json
from collections import deque
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from jsonschema.exceptions import ValidationError

from fako.errors import FakoError
from fako.rendered import RenderedObject
from fako.validation import schemas
from fako.validation.schemas import SchemaSet, _describe, _Inliner, _shipped_versions, _unknown_kind, _where

DEFINITIONS: dict[str, Any] = {
    "io.k8s.api.core.v1.Pod": {
        "description": "a Pod",
        "type": "object",
        "x-kubernetes-group-version-kind": [{"group": "", "kind": "Pod", "version": "v1"}],
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"$ref": "#/$defs/meta", "description": "standard metadata"},
            "spec": {"$ref": "#/$defs/spec"},
        },
        "additionalProperties": False,
    },
    "meta": {"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": False},
    "spec": {
        "type": "object",
        "properties": {
            "restartPolicy": {"type": "string", "enum": ["Always", "Never"]},
            "port": {"type": "integer"},
            "image": {"type": "string"},
            "images": {"type": "array"},
        },
        "required": ["port"],
        "additionalProperties": False,
    },
    "io.k8s.api.apps.v1.Deployment": {
        "title": "the first Deployment",
        "type": "object",
        "x-kubernetes-group-version-kind": [
            {"group": "apps", "kind": "Deployment", "version": "v1"},
            {"group": "apps", "kind": "Deployment", "version": "v1beta2"},
        ],
    },
    "io.k8s.api.apps.v1.DeploymentAgain": {
        "title": "the second Deployment",
        "x-kubernetes-group-version-kind": [{"group": "apps", "kind": "Deployment", "version": "v1"}],
    },
    "no.group": {"x-kubernetes-group-version-kind": [{"kind": "Lone", "version": "v2"}]},
    "no.version": {"x-kubernetes-group-version-kind": [{"group": "x.io", "kind": "Thing"}]},
    "no.kind": {"x-kubernetes-group-version-kind": [{"group": "", "version": "v3"}]},
}

VERSIONS = ["1.9.0", "1.10.0", "1.10.2", "1.10.10"]


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for kubernetes_validate's package folder: VERSIONS, each with DEFINITIONS."""
    root = tmp_path / "kubernetes-json-schema"
    for version in VERSIONS:
        (root / f"v{version}-local").mkdir(parents=True)
        strict = root / f"v{version}-local-strict"
        strict.mkdir()
        defs = {name: {**schema, "$comment": version} for name, schema in DEFINITIONS.items()}
        (strict / "_definitions.json").write_text(json.dumps({"$defs": defs}))
    (root / "README.md").write_text("not a version")
    real = importlib.resources.files

    def files(package: str) -> Any:
        return tmp_path if package == "kubernetes_validate" else real(package)

    monkeypatch.setattr(importlib.resources, "files", files)
    return tmp_path


def rendered(manifest: dict[str, Any]) -> RenderedObject:
    return RenderedObject("apps", "blog", manifest, "apps/blog/x.yaml", "cluster/blog", "Blog", "fako.apps.blog:3")


# -- _shipped_versions and SchemaSet ---------------------------------------------------------------


def test_shipped_versions_are_the_strict_folders_in_numeric_order(shipped: Path) -> None:
    assert _shipped_versions() == ["1.9.0", "1.10.0", "1.10.2", "1.10.10"]


def test_the_real_shipped_versions() -> None:
    versions = _shipped_versions()
    assert "1.34.0" in versions
    assert versions.index("1.33.0") + 1 == versions.index("1.34.0")
    assert all(not v.endswith("-local-strict") and v[0].isdigit() for v in versions)


def test_schema_set_takes_the_newest_patch_of_its_version(shipped: Path) -> None:
    s = SchemaSet("1.10")
    assert (s.kubernetes_version, s.schema_version) == ("1.10", "1.10.10")
    v = s.validator("v1", "Pod")
    assert v.schema["$comment"] == "1.10.10"  # read from that version's folder
    assert SchemaSet("1.9").schema_version == "1.9.0"


def test_an_unshipped_version_lists_the_shipped_ones(shipped: Path) -> None:
    with pytest.raises(FakoError) as info:
        SchemaSet("1.1")
    assert str(info.value) == (
        "kubernetes-validate ships no schemas for Kubernetes 1.1; it has 1.9, 1.10 "
        "(set kubernetes_version in the cluster facts to one of them)"
    )
    with pytest.raises(FakoError):
        SchemaSet("1.10.2")


def test_kinds_come_from_the_group_version_kinds(shipped: Path) -> None:
    s = SchemaSet("1.10")
    assert s.kinds("v1") == ["Pod"]
    assert s.kinds("apps/v1") == ["Deployment"]
    assert s.kinds("apps/v1beta2") == ["Deployment"]
    assert s.kinds("v2") == ["Lone"]  # no group: the apiVersion is the version alone
    assert s.kinds("x.io/") == ["Thing"]  # no version
    assert s.kinds("v3") == [""]  # no kind
    assert s.kinds("example.com/v1") == []
    assert s.api_versions("Deployment") == ["apps/v1", "apps/v1beta2"]
    assert s.api_versions("Pod") == ["v1"]
    assert s.api_versions("Nothing") == []
    assert s.groups == frozenset({"", "apps", "x.io"})
    assert s.is_builtin("v1") and s.is_builtin("apps/v1") and s.is_builtin("x.io/v9")
    assert not s.is_builtin("example.com/v1")


def test_the_first_definition_of_a_kind_wins(shipped: Path) -> None:
    s = SchemaSet("1.10")
    v = s.validator("apps/v1", "Deployment")
    assert v.schema == {"title": "the first Deployment", "type": "object", "$comment": "1.10.10"}
    assert s.validator("apps/v1", "Deployment") is v  # built once
    assert s.validator("apps/v1", "Nothing") is None
    assert s.validator("v2", "Lone").schema == {"$comment": "1.10.10"}


def test_validators_are_inlined_without_descriptions(shipped: Path) -> None:
    s = SchemaSet("1.10")
    schema = s.validator("v1", "Pod").schema
    assert "description" not in schema and "x-kubernetes-group-version-kind" not in schema
    assert schema["properties"]["metadata"] == {
        "type": "object",
        "properties": {"name": {"type": "string"}},
        "additionalProperties": False,
        "$comment": "1.10.10",
    }
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": {"port": 80}, "sops": {"mac": "x"}}
    assert s.errors(pod) == []  # the sops block is not part of the object
    with pytest.raises(KeyError):
        s.errors({"apiVersion": "v1", "kind": "Nothing"})


def test_a_real_schema_set_built_afresh() -> None:
    s = SchemaSet("1.34")
    assert (s.kubernetes_version, s.schema_version) == ("1.34", "1.34.0")
    assert {"", "apps", "batch", "networking.k8s.io"} <= s.groups
    assert "v1" not in s.groups and "apps/v1" not in s.groups
    assert s.api_versions("HorizontalPodAutoscaler") == ["autoscaling/v1", "autoscaling/v2"]
    assert "Deployment" in s.kinds("apps/v1")
    assert s.kinds("example.com/v1") == []
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": "x"}}
    messages = [e.message for e in s.errors(deployment)]
    assert messages == [
        "'selector' is a required property",
        "'template' is a required property",
        "'x' is not of type 'integer', 'null'",
    ]


# -- _Inliner ---------------------------------------------------------------------------------


def test_inliner_replaces_refs_by_their_targets() -> None:
    definitions = {
        "A": {
            "description": "an A",
            "type": "object",
            "properties": {"b": {"$ref": "#/$defs/B", "description": "the b"}, "n": {"type": "integer"}},
        },
        "B": {"type": "string", "description": "a B", "x-kubernetes-list-type": "atomic"},
    }
    inliner = _Inliner(definitions)
    a = inliner.definition("A")
    assert a == {"type": "object", "properties": {"b": {"type": "string"}, "n": {"type": "integer"}}}
    assert a["properties"]["b"] is inliner.definition("B")
    assert inliner.definition("A") is a
    assert definitions["A"]["description"] == "an A"  # the definitions are left as they are


def test_inliner_keeps_recursive_types_as_cycles() -> None:
    inliner = _Inliner({"Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}}}})
    node = inliner.definition("Node")
    assert node["properties"]["next"] is node


def test_inliner_drops_annotations_wherever_they_are() -> None:
    inliner = _Inliner({})
    node = {
        "description": "first",
        "$schema": "x",
        "$id": "y",
        "x-kubernetes-preserve-unknown-fields": True,
        "type": "object",
        "properties": {"description": {"type": "string", "description": "a field named description"}},
        "allOf": [{"description": "d", "minProperties": 1}],
        "items": [{"description": "d", "type": "string"}],
        "not": {"description": "d", "type": "null"},
        "enum": [{"description": "kept: plain data"}],
    }
    assert inliner.schema(node) == {
        "type": "object",
        "properties": {"description": {"type": "string"}},
        "allOf": [{"minProperties": 1}],
        "items": [{"type": "string"}],
        "not": {"type": "null"},
        "enum": [{"description": "kept: plain data"}],
    }
    assert inliner.schema("plain") == "plain"
    assert inliner.schema(True) is True


def test_inliner_refs_outside_defs_are_left_alone() -> None:
    inliner = _Inliner({"B": {"type": "string"}, "A#/$defs/B": {"type": "integer"}})
    assert inliner.schema({"$ref": "other.json#/definitions/B"}) == {"$ref": "other.json#/definitions/B"}
    assert inliner.schema({"$ref": 3, "type": "object"}) == {"$ref": 3, "type": "object"}
    assert inliner.schema({"type": "object"}) == {"type": "object"}
    # the name is what follows the last "#/$defs/"
    assert inliner.schema({"$ref": "x.json#/$defs/A#/$defs/B"}) == {"type": "string"}


# -- _where and _describe ----------------------------------------------------------------------


def test_where_names_the_field_path() -> None:
    assert _where(ValidationError("m", path=deque(["spec", "ports", 1, "port"]))) == "spec.ports[1].port"
    assert _where(ValidationError("m", path=deque(["XPort", 0]))) == "XPort[0]"
    assert _where(ValidationError("m", path=deque([0, "a"]))) == "[0].a"
    assert _where(ValidationError("m")) == "the object"


CONTAINER = {
    "type": "object",
    "properties": {"image": {}, "images": {}, "name": {}, "policy": {"enum": ["Always", "Never", 1, None]}},
    "additionalProperties": False,
    "required": ["name"],
}


def described(schema: dict[str, Any], instance: Any) -> list[tuple[str, str]]:
    errors = jsonschema.Draft202012Validator(schema).iter_errors(instance)
    return [_describe(e) for e in sorted(errors, key=lambda e: e.validator)]


def test_unknown_field_with_one_close_allowed_name() -> None:
    assert described(CONTAINER, {"name": "a", "imagez": 1}) == [
        ("the object: unknown field 'imagez'", "did you mean 'image'? (allowed: image, images, name, policy)")
    ]


def test_unknown_fields_without_a_single_hint_are_removed() -> None:
    allowed = "(allowed: image, images, name, policy)"
    assert described(CONTAINER, {"name": "a", "imagez": 1, "nam": 2}) == [
        ("the object: unknown field 'imagez', 'nam'", f"remove it {allowed}")
    ]
    assert described(CONTAINER, {"name": "a", "imagez": 1, "zzzz": 2}) == [
        ("the object: unknown field 'imagez', 'zzzz'", f"remove it {allowed}")
    ]
    assert described(CONTAINER, {"name": "a", "zzzz": 2}) == [
        ("the object: unknown field 'zzzz'", f"remove it {allowed}")
    ]


def test_unknown_field_of_a_schema_without_properties() -> None:
    error = ValidationError("m", validator="additionalProperties", instance={"a": 1}, schema=True)
    assert _describe(error) == ("the object: unknown field 'a'", "remove it (allowed: )")
    error = ValidationError("m", validator="additionalProperties", instance={"a": 1}, schema={"properties": None})
    assert _describe(error) == ("the object: unknown field 'a'", "remove it (allowed: )")


def test_required_enum_and_other_errors() -> None:
    assert described(CONTAINER, {}) == [("the object: 'name' is a required property", "set it")]
    assert described(CONTAINER, {"name": "a", "policy": "Sometimes"}) == [
        ("policy: 'Sometimes' is not allowed", "use one of Always, Never, 1, None")
    ]
    assert described(
        {"properties": {"spec": {"properties": {"ports": {"items": {"type": "integer"}}}}}},
        {"spec": {"ports": [1, "x"]}},
    ) == [("spec.ports[1]: 'x' is not of type 'integer'", "")]
    # a type error on a dict is not an unknown field
    assert described({"type": "array"}, {"a": 1}) == [("the object: {'a': 1} is not of type 'array'", "")]


# -- _unknown_kind and check_schemas ---------------------------------------------------------


def test_unknown_kinds_are_named_with_a_fix(shipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = SchemaSet("1.10")
    monkeypatch.setitem(schemas._SCHEMA_SETS, "1.10", s)

    def meta(kind: str, api_version: str | None = "v1") -> RenderedObject:
        manifest: dict[str, Any] = {"kind": kind, "metadata": {"name": "x", "namespace": "blog"}}
        if api_version is not None:
            manifest["apiVersion"] = api_version
        return rendered(manifest)

    def found(o: RenderedObject) -> tuple[str, str, str, str, str]:
        f = _unknown_kind(o, s)
        return (f.check, f.ref, f.message, f.fix, f.source)

    assert found(meta("Deployment")) == (
        "schema.unknown-kind",
        "Deployment/blog/x",
        "v1 Deployment is not a kind Kubernetes 1.10 serves",
        "use apiVersion apps/v1 or apps/v1beta2",
        "fako.apps.blog:3",
    )
    assert found(meta("Pod2"))[2:4] == ("v1 Pod2 is not a kind Kubernetes 1.10 serves", "did you mean kind 'Pod'?")
    assert found(meta("Zebra"))[2:4] == (
        "v1 Zebra is not a kind Kubernetes 1.10 serves",
        "use a kind and apiVersion this Kubernetes version serves",
    )
    assert found(meta("Zebra", None))[2] == " Zebra is not a kind Kubernetes 1.10 serves"
    [f] = schemas.check_schemas([meta("Deployment", "apps/v2")], "1.10")
    assert (f.check, f.message, f.fix) == (
        "schema.unknown-kind",
        "apps/v2 Deployment is not a kind Kubernetes 1.10 serves",
        "use apiVersion apps/v1 or apps/v1beta2",
    )


def test_an_object_without_a_kind() -> None:
    s = SchemaSet.for_version("1.34")
    f = _unknown_kind(rendered({"apiVersion": "v1", "metadata": {"name": "x"}}), s)
    assert (f.message, f.fix) == (
        "v1 (no kind) is not a kind Kubernetes 1.34 serves",
        "use a kind and apiVersion this Kubernetes version serves",
    )


def test_check_schemas_over_the_small_set(shipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(schemas._SCHEMA_SETS, "1.10", SchemaSet("1.10"))
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": {"port": "80", "imagez": "a"}}
    found = [(f.check, f.message, f.fix) for f in schemas.check_schemas([rendered(pod)], "1.10")]
    assert found == [
        (
            "schema",
            "spec: unknown field 'imagez'",
            "did you mean 'image'? (allowed: image, images, port, restartPolicy)",
        ),
        ("schema", "spec.port: '80' is not of type 'integer'", ""),
    ]
    custom = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
    got = schemas.check_schemas([rendered(custom)], "1.10", lambda m: [f"bad {m['kind']}"])
    assert [(f.check, f.message) for f in got] == [("schema.custom", "bad Widget")]
    assert list(schemas.check_schemas([rendered(custom)], "1.10")) == []


def test_objects_missing_an_api_version_or_kind_are_named_and_the_rest_still_checked() -> None:
    no_version = {"kind": "ConfigMap", "metadata": {"name": "a"}}
    no_kind = {"apiVersion": "v1", "metadata": {"name": "b"}}
    bad = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": 1}}
    found = list(schemas.check_schemas([rendered(no_version), rendered(no_kind), rendered(bad)], "1.34"))
    assert [(f.ref, f.check, f.message, f.fix) for f in found] == [
        ("ConfigMap/a", "schema", "has no apiVersion or kind", "set both"),
        ("/b", "schema", "has no apiVersion or kind", "set both"),
        ("ConfigMap/c", "schema", "data.k: 1 is not of type 'string', 'null'", ""),
    ]


def test_at_most_ten_schema_errors_an_object_and_a_count_of_the_rest() -> None:
    many = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "m"},
        "data": {f"k{i:02}": i for i in range(13)},
    }
    found = list(schemas.check_schemas([rendered(many)], "1.34"))
    assert len(found) == 11
    assert [f.message for f in found[:2]] == [
        "data.k00: 0 is not of type 'string', 'null'",
        "data.k01: 1 is not of type 'string', 'null'",
    ]
    last = found[-1]
    assert (last.ref, last.check, last.message, last.fix) == (
        "ConfigMap/m",
        "schema",
        "3 more schema errors not shown",
        "",
    )


def test_errors_of_a_kind_the_schemas_do_not_know_raise_its_kind() -> None:
    with pytest.raises(KeyError) as err:
        SchemaSet.for_version("1.34").errors({"apiVersion": "v1", "kind": "Widget"})
    assert err.value.args == ("Widget",)
