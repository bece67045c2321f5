"""Mutation tests for `fako.validation.podspec`'s helpers (`_backsteps`, `_local_path_problems`,
`_volume_names`, `_item_lists`, `_matches`, `_expression_problems`, `_handler_problem`),
through the rules that call them. Expected violations written out in full by hand from the
Kubernetes 1.34 sources the module cites (ValidateVolumeMounts, validateLocalNonReservedPath,
LabelSelectorAsSelector, ValidateLabelSelectorRequirement, validateHandler)."""

from __future__ import annotations

from typing import Any

import pytest

from fako.validation import podspec as rules
from fako.validation.rules import Violation
from ruletest import container, pod, workload

INSIDE = "use a path inside the volume"
MISSING_FIX = "add the volume to the pod or mount one it has"

# ------------------------------------------------------------------------------ _backsteps, _local_path_problems


def sub_path(value: str, field: str = "subPath") -> list[Violation]:
    mount = {"name": "data", "mountPath": "/data", field: value}
    return list(rules.volume_mounts(pod(container(volumeMounts=[mount]), volumes=[{"name": "data"}])))


def sub_violation(value: str, problems: str, field: str = "subPath") -> Violation:
    return Violation(f"spec.containers[0].volumeMounts[0].{field}", f"{field} {value!r} {problems}", INSIDE, value)


@pytest.mark.parametrize("value", ["a/b", "..data", "a..", "a/..b/c", "./a", "a\\b"])
def test_sub_paths_that_stay_inside(value: str) -> None:
    assert sub_path(value) == []
    assert sub_path(value, "subPathExpr") == []


@pytest.mark.parametrize(
    ("value", "problems"),
    [
        ("..", "must not contain '..'"),
        ("a/../b", "must not contain '..'"),
        ("a/..", "must not contain '..'"),
        ("a\\..\\b", "must not contain '..'"),
        ("..\\b", "must not contain '..'"),
        ("/abs", "must be a relative path"),
        ("/../x", "must be a relative path; must not contain '..'"),
    ],
)
def test_sub_paths_that_climb_out(value: str, problems: str) -> None:
    assert sub_path(value) == [sub_violation(value, problems)]
    assert sub_path(value, "subPathExpr") == [sub_violation(value, problems, "subPathExpr")]


def item_path(value: str) -> list[Violation]:
    volume = {"name": "cfg", "configMap": {"name": "cfg", "items": [{"key": "k", "path": value}]}}
    return list(rules.item_paths(pod(volumes=[volume])))


@pytest.mark.parametrize(
    ("value", "problems"),
    [
        ("..data", ["must not start with '..'"]),
        ("..", ["must not contain '..'"]),
        ("a/../b", ["must not contain '..'"]),
        ("/etc/x", ["must be a relative path"]),
        ("/..", ["must be a relative path", "must not contain '..'"]),
        ("a/..b", []),
        ("a..", []),
        (".a", []),
    ],
)
def test_item_paths_are_local_and_not_reserved(value: str, problems: list[str]) -> None:
    expected = (
        [Violation("spec.volumes[0].configMap.items[0].path", f"path {value!r} {'; '.join(problems)}", INSIDE, value)]
        if problems
        else []
    )
    assert item_path(value) == expected


# ------------------------------------------------------------------------------ _volume_names


def missing(index: int, name: str, listed: str, path: str = "spec.containers[0]") -> Violation:
    return Violation(
        f"{path}.volumeMounts[{index}].name",
        f"mounts volume {name!r}, which the pod does not have (its volumes: {listed})",
        MISSING_FIX,
        name,
    )


def test_mounts_name_the_pod_volumes() -> None:
    mounts = [{"name": "b", "mountPath": "/b"}, {"name": "a", "mountPath": "/a"}, {"name": "x", "mountPath": "/x"}]
    manifest = pod(container(volumeMounts=mounts), volumes=[{"name": "b"}, {"name": "a"}])
    assert list(rules.volume_mounts(manifest)) == [missing(2, "x", "a, b")]
    assert list(rules.volume_mounts(pod(container(volumeMounts=mounts[:1])))) == [missing(0, "b", "none")]


def test_statefulset_claim_templates_are_volumes() -> None:
    mounts = [
        {"name": "data", "mountPath": "/d"},
        {"name": "logs", "mountPath": "/l"},
        {"name": "x", "mountPath": "/x"},
    ]
    claims = [{"metadata": {"name": "data"}}, {"metadata": {"name": "logs"}}]
    sts = workload(
        "StatefulSet",
        container(volumeMounts=mounts),
        volumeClaimTemplates=claims,
        template_spec={"volumes": [{"name": "v"}]},
    )
    assert list(rules.volume_mounts(sts)) == [missing(2, "x", "data, logs, v", "spec.template.spec.containers[0]")]
    deployment = workload("Deployment", container(volumeMounts=mounts), volumeClaimTemplates=claims)
    assert list(rules.volume_mounts(deployment)) == [
        missing(0, "data", "none", "spec.template.spec.containers[0]"),
        missing(1, "logs", "none", "spec.template.spec.containers[0]"),
        missing(2, "x", "none", "spec.template.spec.containers[0]"),
    ]


# ------------------------------------------------------------------------------ _item_lists


def required(path: str) -> Violation:
    return Violation(path, "is required", "set the file name the item is written to")


def bad(path: str, value: str = "../x") -> Violation:
    return Violation(path, f"path {value!r} must not contain '..'", INSIDE, value)


def test_items_of_every_volume_source() -> None:
    volumes: list[Any] = [
        {"name": "plain", "emptyDir": {}},
        {
            "name": "cm",
            "configMap": {"items": [{"key": "a", "path": "ok"}, {"key": "b", "path": "../x"}]},
            "secret": {"items": [{"key": "c"}]},
        },
        {"name": "dw", "downwardAPI": {"items": [{"path": "../x", "fieldRef": {}}]}},
        {"name": "none", "configMap": None},
        {
            "name": "proj",
            "projected": {
                "sources": [
                    {"serviceAccountToken": {"path": "../x"}},
                    {"secret": {"items": [{"key": "a", "path": "../x"}]}, "configMap": {"items": [{"key": "b"}]}},
                    {"downwardAPI": {"items": [{"path": "", "fieldRef": {}}]}},
                    "junk",
                ]
            },
        },
    ]
    assert list(rules.item_paths(workload("Deployment", template_spec={"volumes": volumes}))) == [
        bad("spec.template.spec.volumes[1].configMap.items[1].path"),
        required("spec.template.spec.volumes[1].secret.items[0].path"),
        bad("spec.template.spec.volumes[2].downwardAPI.items[0].path"),
        required("spec.template.spec.volumes[4].projected.sources[1].configMap.items[0].path"),
        bad("spec.template.spec.volumes[4].projected.sources[1].secret.items[0].path"),
        required("spec.template.spec.volumes[4].projected.sources[2].downwardAPI.items[0].path"),
    ]


# ------------------------------------------------------------------------------ _matches, _expression_problems

LABELS = {"app": "web", "tier": "front"}


def mismatches(selector: dict[str, Any], labels: dict[str, Any] | None = None) -> bool:
    manifest = workload("Deployment", selector=selector)
    manifest["spec"]["template"]["metadata"]["labels"] = LABELS if labels is None else labels
    found = [v for v in rules.selector_matches_template(manifest) if v.field == "spec.template.metadata.labels"]
    return bool(found)


def expr(key: str, operator: str, *values: str) -> dict[str, Any]:
    return {"matchExpressions": [{"key": key, "operator": operator, **({"values": list(values)} if values else {})}]}


@pytest.mark.parametrize(
    ("selector", "matches"),
    [
        ({"matchLabels": {"app": "web"}}, True),
        ({"matchLabels": {"app": "web", "tier": "front"}}, True),
        ({"matchLabels": {"app": "api"}}, False),
        ({"matchLabels": {"zone": "a"}}, False),
        ({"matchLabels": {"app": "web", "zone": "a"}}, False),
        (expr("app", "In", "api", "web"), True),
        (expr("app", "In", "api"), False),
        (expr("zone", "In", "a"), False),
        (expr("app", "NotIn", "api"), True),
        (expr("app", "NotIn", "web"), False),
        (expr("zone", "NotIn", "a"), True),
        (expr("app", "Exists"), True),
        (expr("zone", "Exists"), False),
        (expr("zone", "DoesNotExist"), True),
        (expr("app", "DoesNotExist"), False),
        ({"matchLabels": {"app": "web"}, **expr("tier", "In", "back")}, False),
        ({"matchLabels": {"app": "api"}, **expr("tier", "In", "front")}, False),
        (
            {
                "matchExpressions": [
                    {"key": "app", "operator": "In", "values": ["web"]},
                    {"key": "tier", "operator": "Exists"},
                ]
            },
            True,
        ),
        (
            {
                "matchExpressions": [
                    {"key": "app", "operator": "Exists"},
                    {"key": "tier", "operator": "NotIn", "values": ["front"]},
                ]
            },
            False,
        ),
        (
            {"matchExpressions": [{"key": "app", "operator": "Exists"}, {"key": "tier", "operator": "DoesNotExist"}]},
            False,
        ),
        (
            {
                "matchExpressions": [
                    {"key": "zone", "operator": "DoesNotExist"},
                    {"key": "region", "operator": "Exists"},
                ]
            },
            False,
        ),
    ],
)
def test_selector_matching(selector: dict[str, Any], matches: bool) -> None:
    assert mismatches(selector) is not matches


def test_a_mismatch_message_lists_the_template_labels() -> None:
    manifest = workload("Deployment", selector={"matchLabels": {"app": "api"}})
    assert list(rules.selector_matches_template(manifest)) == [
        Violation(
            "spec.template.metadata.labels",
            "`selector` does not match template `labels` (the template has app=web)",
            "give the pod template every label the selector asks for",
        )
    ]


def operator_problem(i: int, operator: Any) -> Violation:
    return Violation(
        f"spec.selector.matchExpressions[{i}].operator",
        f"operator {operator!r} is not a valid label selector operator",
        'use "In", "NotIn", "Exists" or "DoesNotExist"',
        str(operator),
    )


def test_selector_requirement_problems() -> None:
    expressions = [
        {"key": "app", "operator": "In"},
        {"key": "app", "operator": "NotIn", "values": []},
        {"key": "app", "operator": "Exists", "values": ["web"]},
        {"key": "zone", "operator": "DoesNotExist", "values": ["a"]},
        {"key": "app", "operator": "Foo", "values": ["web"]},
        {"key": "app"},
        {"key": "app", "operator": "In", "values": ["web"]},
        {"key": "app", "operator": "Exists"},
        {"key": "zone", "operator": "DoesNotExist", "values": []},
        {"key": "app", "operator": "in", "values": ["web"]},
    ]
    manifest = workload("Deployment", selector={"matchLabels": {"app": "web"}, "matchExpressions": expressions})
    assert list(rules.selector_matches_template(manifest)) == [
        Violation(
            "spec.selector.matchExpressions[0].values", "must be specified when operator is In", "list the label values"
        ),
        Violation(
            "spec.selector.matchExpressions[1].values",
            "must be specified when operator is NotIn",
            "list the label values",
        ),
        Violation(
            "spec.selector.matchExpressions[2].values", "may not be specified when operator is Exists", "remove values"
        ),
        Violation(
            "spec.selector.matchExpressions[3].values",
            "may not be specified when operator is DoesNotExist",
            "remove values",
        ),
        operator_problem(4, "Foo"),
        operator_problem(5, None),
        operator_problem(9, "in"),
        Violation(
            "spec.template.metadata.labels",
            "`selector` does not match template `labels` (the template has app=web)",
            "give the pod template every label the selector asks for",
        ),
    ]


def test_a_selector_with_valid_expressions_only() -> None:
    expressions = [
        {"key": "app", "operator": "NotIn", "values": ["api"]},
        {"key": "zone", "operator": "DoesNotExist"},
        {"key": "tier", "operator": "Exists"},
    ]
    manifest = workload("Deployment", selector={"matchExpressions": expressions})
    manifest["spec"]["template"]["metadata"]["labels"] = LABELS
    assert list(rules.selector_matches_template(manifest)) == []


# ------------------------------------------------------------------------------ _handler_problem

PROBE_KINDS = "exec, httpGet, tcpSocket, grpc"
HOOK_KINDS = "exec, httpGet, tcpSocket, sleep"


def test_probe_and_hook_handlers() -> None:
    web = container(
        livenessProbe={},
        readinessProbe={"exec": {"command": ["true"]}, "httpGet": {"port": 80}, "periodSeconds": 5},
        startupProbe={"tcpSocket": {"port": 80}, "exec": None, "grpc": None},
        lifecycle={"postStart": {"sleep": {"seconds": 1}}, "preStop": {"exec": None, "httpGet": None}},
    )
    side = container(
        "side",
        livenessProbe={"grpc": {"port": 9}, "tcpSocket": {"port": 9}, "exec": {}},
        lifecycle={"preStop": {"grpc": {"port": 1}}},
    )
    assert list(rules.one_handler(pod(web, side))) == [
        Violation(
            "spec.containers[0].livenessProbe",
            f"livenessProbe must specify a handler type (one of {PROBE_KINDS})",
            f"keep exactly one of {PROBE_KINDS}",
        ),
        Violation(
            "spec.containers[0].readinessProbe",
            "readinessProbe may not specify more than 1 handler type (it has exec, httpGet)",
            f"keep exactly one of {PROBE_KINDS}",
        ),
        Violation(
            "spec.containers[0].lifecycle.preStop",
            f"preStop must specify a handler type (one of {HOOK_KINDS})",
            f"keep exactly one of {HOOK_KINDS}",
        ),
        Violation(
            "spec.containers[1].livenessProbe",
            "livenessProbe may not specify more than 1 handler type (it has exec, tcpSocket, grpc)",
            f"keep exactly one of {PROBE_KINDS}",
        ),
        Violation(
            "spec.containers[1].lifecycle.preStop",
            f"preStop must specify a handler type (one of {HOOK_KINDS})",
            f"keep exactly one of {HOOK_KINDS}",
        ),
    ]


def test_one_handler_each_passes() -> None:
    web = container(
        livenessProbe={"httpGet": {"port": 80}},
        readinessProbe={"grpc": {"port": 9}},
        lifecycle={"postStart": {"exec": {"command": ["x"]}}, "preStop": {"tcpSocket": {"port": 1}}},
    )
    assert list(rules.one_handler(pod(web))) == []
