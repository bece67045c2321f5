"""Mutation tests for `fako.validation.values`' helpers (`_is`, `_spec`, `_int`, `_one_of`,
`_at_least`, `_resource_name_problems`, `_is_extended`, `_overcommit_allowed`, `_parsed`,
`_resource_list`, `_pvc_storage`, `_exact`, `_all_containers`, `_port_range`, `_claim_specs`,
`_job_specs`), through the rules that call them. Expected violations are written out in full
(field, message, fix, value, severity) by hand from the Kubernetes 1.34 validation the module
cites (ValidateResourceRequirements, IsValidPortNum, the node port range 30000-32767, ...)."""

from __future__ import annotations

from typing import Any

import pytest

from fako.validation import values as rules
from fako.validation.rules import Violation
from ruletest import container, cronjob, obj, pod, service, workload

QUANTITY_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
QUANTITY_FIX = "write a number with an optional suffix: 100m, 0.5, 512Mi, 1Gi, 2G, 1e3 (not 1Gb, 1GB or 1K)"
NAME_FIX = "use cpu, memory, ephemeral-storage, hugepages-<size> or a domain-qualified extended resource"
STANDARD = "must be a standard resource for containers (cpu, memory, ephemeral-storage, hugepages-<size>)"
C0 = "spec.containers[0]"


def resources(**body: Any) -> dict[str, Any]:
    return pod(container(resources=body))


def not_quantity(path: str, what: str, value: str) -> Violation:
    return Violation(path, f"{what} {value!r} is not a quantity: {QUANTITY_ERROR}", QUANTITY_FIX, value)


# ------------------------------------------------------------------------------ _resource_name_problems, _resource_list


def bad_name(path: str, name: str, problems: str) -> Violation:
    return Violation(path, f"resource name {name!r} is not valid: {problems}", NAME_FIX, name)


def test_standard_and_hugepages_resource_names_are_valid() -> None:
    good = {"cpu": "1", "memory": "1Gi", "ephemeral-storage": "1Gi", "hugepages-2Mi": "2Mi"}
    assert list(rules.quantities(resources(requests=good, limits=good))) == []


def test_resource_names_outside_the_standard_set() -> None:
    limits = {
        "gpu": "1",
        "hugepages": "1",
        "example.com/gpu": "2",
        "requests.example.com/gpu": "0.5",
        "requests.kubernetes.io/x": "1",
        "example.kubernetes.io/x": "0.5",
        "bad/na me": "1",
        "a/b/c": "1",
    }
    where = f"{C0}.resources.limits"
    assert list(rules.quantities(resources(limits=limits))) == [
        bad_name(f"{where}.gpu", "gpu", STANDARD),
        bad_name(f"{where}.hugepages", "hugepages", STANDARD),
        bad_name(
            f"{where}.requests.example.com/gpu",
            "requests.example.com/gpu",
            "doesn't follow extended resource name standard",
        ),
        bad_name(
            f"{where}.bad/na me",
            "bad/na me",
            "name part must consist of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric",
        ),
        bad_name(
            f"{where}.a/b/c",
            "a/b/c",
            "prefix part must be a lowercase RFC 1123 subdomain: a-z, 0-9, '-' and '.', each dot-separated part "
            "starting and ending with a letter or digit; must have at most one '/'",
        ),
    ]


def test_quantities_are_parsed_not_negative_and_integer_for_extended_resources() -> None:
    requests = {
        "cpu": "0",
        "memory": "-1",
        "ephemeral-storage": "1Gb",
        "nvidia.com/gpu": "0.5",
        "example.com/dongle": 2,
        "example.com/half": "-0.5",
        5: "1",
    }
    where = f"{C0}.resources.requests"
    assert list(rules.quantities(resources(requests=requests, limits={"cpu": "0.5", "memory": "0"}))) == [
        Violation(f"{where}.memory", "request memory '-1' must be greater than or equal to 0", value="-1"),
        not_quantity(f"{where}.ephemeral-storage", "request ephemeral-storage", "1Gb"),
        Violation(f"{where}.nvidia.com/gpu", "request nvidia.com/gpu '0.5' must be an integer", value="0.5"),
        Violation(
            f"{where}.example.com/half",
            "request example.com/half '-0.5' must be greater than or equal to 0",
            value="-0.5",
        ),
        bad_name(f"{where}.5", "5", STANDARD),
    ]


def test_a_bad_quantity_is_reported_with_its_path_and_kind() -> None:
    assert list(rules.quantities(resources(limits={"memory": "1 Gi"}))) == [
        not_quantity(f"{C0}.resources.limits.memory", "limit memory", "1 Gi")
    ]
    assert list(rules.quantities(resources(limits={"cpu": 1.5, "memory": 0}))) == []


# ------------------------------------------------------------------------------ _pvc_storage


def pvc(**resources_: Any) -> dict[str, Any]:
    return obj("v1", "PersistentVolumeClaim", "data", spec={"resources": resources_})


def test_pvc_storage_request_must_be_positive() -> None:
    zero = Violation("spec.resources.requests.storage", "storage request '0' must be greater than zero", value="0")
    assert list(rules.quantities(pvc(requests={"storage": "0"}))) == [zero]
    assert list(rules.quantities(pvc(requests={"storage": "-1Gi"}))) == [
        Violation("spec.resources.requests.storage", "storage request '-1Gi' must be greater than zero", value="-1Gi")
    ]
    assert list(rules.quantities(pvc(requests={"storage": "1"}))) == []
    assert list(rules.quantities(pvc(requests={"storage": "100m"}))) == []
    assert list(rules.quantities(pvc(limits={"storage": "0"}, requests={"other": "0"}))) == []
    assert list(rules.quantities(pvc(limits={"storage": "5Gi"}))) == []


def test_pvc_quantities_are_parsed() -> None:
    assert list(rules.quantities(pvc(requests={"storage": "1GB"}, limits={"storage": "2GB", 3: "x"}))) == [
        not_quantity("spec.resources.requests.storage", "request storage", "1GB"),
        not_quantity("spec.resources.limits.storage", "limit storage", "2GB"),
        not_quantity("spec.resources.limits.3", "limit 3", "x"),
    ]


def test_statefulset_claim_templates_are_checked_like_pvcs() -> None:
    claims = [
        {"metadata": {"name": "a"}, "spec": {"resources": {"requests": {"storage": "1Gi"}}}},
        {"metadata": {"name": "b"}, "spec": {"resources": {"requests": {"storage": "0"}, "limits": {"storage": "x"}}}},
    ]
    assert list(rules.quantities(workload("StatefulSet", volumeClaimTemplates=claims))) == [
        Violation(
            "spec.volumeClaimTemplates[1].spec.resources.requests.storage",
            "storage request '0' must be greater than zero",
            value="0",
        ),
        not_quantity("spec.volumeClaimTemplates[1].spec.resources.limits.storage", "limit storage", "x"),
    ]


def test_pvc_storage_only_for_core_claims() -> None:
    foreign = obj("example.com/v1", "PersistentVolumeClaim", "d", spec={"resources": {"requests": {"storage": "0"}}})
    assert list(rules.quantities(foreign)) == []
    claims = [{"spec": {"resources": {"requests": {"storage": "0"}}}}]
    assert list(rules.quantities(workload("Deployment", volumeClaimTemplates=claims))) == []


# ------------------------------------------------------------------------------ _exact, _overcommit_allowed, _is_extended


def request_limit(requests: dict[str, Any], limits: dict[str, Any] | None = None) -> list[Violation]:
    body: dict[str, Any] = {"requests": requests}
    if limits is not None:
        body["limits"] = limits
    return list(rules.requests_within_limits(resources(**body)))


def without_limit(name: str, shown: str) -> Violation:
    return Violation(
        f"{C0}.resources.limits",
        f"{name} is requested ({shown}) without a limit; a limit must be set for resources that cannot be overcommitted",
        f"set limits.{name} equal to the request",
        name,
    )


def not_equal(name: str, request: str, limit: str, value: str) -> Violation:
    return Violation(
        f"{C0}.resources.requests.{name}",
        f"{name} request {request} must be equal to the {name} limit of {limit}",
        "set the request and the limit to the same value",
        value,
    )


def test_resources_that_cannot_be_overcommitted_need_a_limit() -> None:
    assert request_limit({"nvidia.com/gpu": 1, "hugepages-2Mi": "2Mi", "cpu": "1", "example.kubernetes.io/x": 1}) == [
        without_limit("nvidia.com/gpu", "1"),
        without_limit("hugepages-2Mi", "'2Mi'"),
    ]


def test_resources_that_cannot_be_overcommitted_need_an_equal_limit() -> None:
    requests = {"nvidia.com/gpu": 2, "hugepages-1Gi": "1Gi", "example.com/x": "1"}
    limits = {"nvidia.com/gpu": 1, "hugepages-1Gi": "2Gi", "example.com/x": 1}
    assert request_limit(requests, limits) == [
        not_equal("nvidia.com/gpu", "2", "1", "2"),
        not_equal("hugepages-1Gi", "'1Gi'", "'2Gi'", "1Gi"),
    ]


def test_other_requests_are_at_most_their_limits() -> None:
    requests = {"cpu": "1001m", "memory": "1Gi", "example.kubernetes.io/x": "3", "ephemeral-storage": "1"}
    limits = {"cpu": "1", "memory": "1Gi", "example.kubernetes.io/x": "2", "ephemeral-storage": "2"}
    assert request_limit(requests, limits) == [
        Violation(
            f"{C0}.resources.requests.cpu",
            "cpu request '1001m' must be less than or equal to the cpu limit of '1'",
            "raise the limit or lower the request",
            "1001m",
        ),
        Violation(
            f"{C0}.resources.requests.example.kubernetes.io/x",
            "example.kubernetes.io/x request '3' must be less than or equal to the example.kubernetes.io/x limit of '2'",
            "raise the limit or lower the request",
            "3",
        ),
    ]


def test_unparsable_requests_or_limits_are_left_to_the_quantity_rule() -> None:
    assert request_limit({"cpu": "abc", "memory": "1Gi"}, {"cpu": "1", "memory": "1 Gi"}) == []
    assert request_limit({"nvidia.com/gpu": "x"}, {"nvidia.com/gpu": 1}) == []


# ------------------------------------------------------------------------------ _all_containers, _one_of


def test_every_kind_of_container_is_checked() -> None:
    manifest = workload(
        "Deployment",
        container("a", imagePullPolicy="Sometimes"),
        template_spec={
            "initContainers": [container("i", imagePullPolicy=5)],
            "ephemeralContainers": [container("e", imagePullPolicy="Never")],
        },
    )
    listed = '"Always", "IfNotPresent", "Never"'
    assert list(rules.image_pull_policy(manifest)) == [
        Violation(
            "spec.template.spec.initContainers[0].imagePullPolicy",
            f"imagePullPolicy 5 is not supported; supported values: {listed}",
            f"use one of {listed}",
            "5",
        ),
        Violation(
            "spec.template.spec.containers[0].imagePullPolicy",
            f"imagePullPolicy 'Sometimes' is not supported; supported values: {listed}",
            f"use one of {listed}",
            "Sometimes",
        ),
    ]
    assert list(rules.image_pull_policy(pod(container(imagePullPolicy=None)))) == []
    assert list(
        rules.image_required(workload("Deployment", template_spec={"ephemeralContainers": [{"name": "e"}]}))
    ) == [
        Violation(
            "spec.template.spec.ephemeralContainers[0].image",
            "image: required (container 'e' has no image)",
            "give the container an image (repository, name and tag)",
        )
    ]


def test_one_of_a_single_value() -> None:
    listed = '"Always"'
    assert list(rules.restart_policy(workload("DaemonSet", template_spec={"restartPolicy": "Never"}))) == [
        Violation(
            "spec.template.spec.restartPolicy",
            f"restartPolicy in a DaemonSet 'Never' is not supported; supported values: {listed}",
            f"use one of {listed}",
            "Never",
        )
    ]


# ------------------------------------------------------------------------------ _is, _spec, _int, _at_least


def replicas(value: Any, kind: str = "Deployment", api: str = "apps/v1") -> list[Violation]:
    return list(
        rules.replicas({"apiVersion": api, "kind": kind, "metadata": {"name": "x"}, "spec": {"replicas": value}})
    )


def test_replicas_at_least_zero() -> None:
    expected = [
        Violation("spec.replicas", "replicas is -1; must be greater than or equal to 0", "set it to 0 or more", "-1")
    ]
    assert replicas(-1) == expected
    assert replicas(-1, "StatefulSet") == expected
    assert replicas(-1, "ReplicaSet") == expected
    assert replicas(0) == []
    assert replicas(3) == []


@pytest.mark.parametrize("value", ["-1", -1.5, None, [], True, False])
def test_only_integers_are_compared(value: Any) -> None:
    assert replicas(value) == []


def test_replicas_only_for_apps_workloads() -> None:
    assert replicas(-1, "DaemonSet") == []
    assert replicas(-1, "Deployment", "example.com/v1") == []
    assert replicas(-1, "Pod", "apps/v1") == []
    assert list(rules.replicas({"apiVersion": "apps/v1", "kind": "Deployment", "spec": None})) == []


def test_at_least_one() -> None:
    def deadline(value: Any) -> list[Violation]:
        return list(rules.counts(pod(activeDeadlineSeconds=value)))

    assert deadline(0) == [
        Violation(
            "spec.activeDeadlineSeconds", "activeDeadlineSeconds is 0; must be at least 1", "set it to 1 or more", "0"
        )
    ]
    assert deadline(-5) == [
        Violation(
            "spec.activeDeadlineSeconds", "activeDeadlineSeconds is -5; must be at least 1", "set it to 1 or more", "-5"
        )
    ]
    assert deadline(1) == []
    assert deadline(False) == []
    assert deadline("0") == []


def test_a_job_count_and_a_statefulset_partition() -> None:
    job = workload("Job", backoffLimit=-1)
    assert list(rules.counts(job)) == [
        Violation(
            "spec.backoffLimit", "backoffLimit is -1; must be greater than or equal to 0", "set it to 0 or more", "-1"
        )
    ]
    sts = workload("StatefulSet", updateStrategy={"rollingUpdate": {"partition": -2}})
    assert [v.message for v in rules.counts(sts)] == ["partition is -2; must be greater than or equal to 0"]


# ------------------------------------------------------------------------------ _port_range


def port_violation(path: str, what: str, value: int, low: int = 1, high: int = 65535) -> Violation:
    return Violation(
        path,
        f"{what} {value} must be between {low} and {high}, inclusive",
        f"use a port between {low} and {high}",
        str(value),
    )


def test_container_and_host_ports_between_1_and_65535() -> None:
    ports = [
        {"containerPort": 0},
        {"containerPort": 1, "hostPort": 65535},
        {"containerPort": 65536, "hostPort": 65536},
        {"containerPort": "80", "hostPort": True},
        {"containerPort": 80, "hostPort": -1},
    ]
    path = f"{C0}.ports"
    assert list(rules.port_numbers(pod(container(ports=ports)))) == [
        port_violation(f"{path}[0].containerPort", "containerPort", 0),
        port_violation(f"{path}[2].containerPort", "containerPort", 65536),
        port_violation(f"{path}[2].hostPort", "hostPort", 65536),
        port_violation(f"{path}[4].hostPort", "hostPort", -1),
    ]


def test_service_ports() -> None:
    manifest = service(
        "web",
        {"name": "a", "port": 65536, "targetPort": 0},
        {"name": "b", "port": 80, "targetPort": "http"},
        {"name": "c", "port": 1, "targetPort": 65535},
    )
    assert list(rules.port_numbers(manifest)) == [
        port_violation("spec.ports[0].port", "port", 65536),
        port_violation("spec.ports[0].targetPort", "targetPort", 0),
    ]


def test_node_ports_between_30000_and_32767() -> None:
    manifest = service(
        "web",
        {"name": "a", "port": 80, "nodePort": 29999},
        {"name": "b", "port": 81, "nodePort": 30000},
        {"name": "c", "port": 82, "nodePort": 32767},
        {"name": "d", "port": 83, "nodePort": 32768},
        {"name": "e", "port": 84, "nodePort": "30001"},
        type="NodePort",
    )
    assert list(rules.node_ports(manifest)) == [
        port_violation("spec.ports[0].nodePort", "nodePort", 29999, 30000, 32767),
        port_violation("spec.ports[3].nodePort", "nodePort", 32768, 30000, 32767),
    ]


# ------------------------------------------------------------------------------ _claim_specs


def modes(kind: str, spec: dict[str, Any], api: str = "v1") -> list[Violation]:
    return list(rules.access_modes(obj(api, kind, "d", spec=spec)))


def test_access_modes_of_claims_and_volumes() -> None:
    listed = '"ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"'
    for kind in ("PersistentVolumeClaim", "PersistentVolume"):
        assert modes(kind, {"accessModes": ["ReadWriteOnce"]}) == []
        assert modes(kind, {"accessModes": ["Sometimes"]}) == [
            Violation(
                "spec.accessModes[0]",
                f"access mode 'Sometimes' is not supported; supported values: {listed}",
                f"use one of {listed}",
                "Sometimes",
            )
        ]
    assert modes("PersistentVolumeClaim", {"accessModes": ["Sometimes"]}, "example.com/v1") == []
    assert modes("ConfigMap", {"accessModes": ["Sometimes"]}) == []


def test_volume_mode_of_statefulset_claim_templates() -> None:
    claims = [{"spec": {"volumeMode": "Block"}}, {"spec": {"volumeMode": "Raw"}}, {"metadata": {}}]
    listed = '"Block", "Filesystem"'
    expected = [
        Violation(
            "spec.volumeClaimTemplates[1].spec.volumeMode",
            f"volumeMode 'Raw' is not supported; supported values: {listed}",
            f"use one of {listed}",
            "Raw",
        )
    ]
    assert list(rules.volume_mode(workload("StatefulSet", volumeClaimTemplates=claims))) == expected
    assert list(rules.volume_mode(workload("Deployment", volumeClaimTemplates=claims))) == []
    assert list(rules.volume_mode(obj("v1", "PersistentVolumeClaim", "d", spec={"volumeMode": "Raw"}))) == [
        Violation(
            "spec.volumeMode",
            f"volumeMode 'Raw' is not supported; supported values: {listed}",
            f"use one of {listed}",
            "Raw",
        )
    ]


# ------------------------------------------------------------------------------ _job_specs


def test_job_policies_of_jobs_and_cronjob_templates() -> None:
    listed = '"NonIndexed", "Indexed"'

    def mode(path: str) -> Violation:
        return Violation(
            f"{path}.completionMode",
            f"completionMode 'Sometimes' is not supported; supported values: {listed}",
            f"use one of {listed}",
            "Sometimes",
        )

    assert list(rules.job_policies(workload("Job", completionMode="Sometimes"))) == [mode("spec")]
    job = cronjob()
    job["spec"]["jobTemplate"]["spec"]["completionMode"] = "Sometimes"
    assert list(rules.job_policies(job)) == [mode("spec.jobTemplate.spec")]
    foreign = workload("Job", completionMode="Sometimes")
    foreign["apiVersion"] = "example.com/v1"
    assert list(rules.job_policies(foreign)) == []
    foreign_cron = {**job, "apiVersion": "example.com/v1"}
    assert list(rules.job_policies(foreign_cron)) == []
    assert list(rules.job_policies(workload("Deployment", completionMode="Sometimes"))) == []
