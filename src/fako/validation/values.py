"""Values the API server refuses: quantities, enumerations, ranges, schedules.

The strict JSON schemas check types, not these: a quantity is any string to them, an
enumeration any string, a count any integer. Sources (Kubernetes v1.34,
kubernetes/kubernetes unless said otherwise):
- `pkg/apis/core/validation/validation.go`: `ValidateResourceRequirements` /
  `validateContainerResourceName` / `ValidateResourceQuantityValue` (quantities,
  requests <= limits, extended resources integer and requests == limits),
  `validateContainerCommon` (image required, terminationMessagePolicy),
  `validatePullPolicy`, `validateRestartPolicy`, `validateDNSPolicy`,
  `validateContainerPorts` / `validateServicePort` (`IsValidPortNum`, protocols),
  `validateProbe` / `validateLivenessProbe` / `validateStartupProbe`,
  `ValidatePersistentVolumeClaimSpec`, `ValidatePersistentVolumeSpec`,
  `ValidateService` (types, traffic policies, node ports), `ValidateTolerations`.
- `pkg/apis/apps/validation/validation.go`: `ValidateDeploymentSpec`,
  `ValidateStatefulSetSpec`, `ValidateDaemonSetSpec`, `ValidateReplicaSetSpec`.
- `pkg/apis/batch/validation/validation.go`: `validateJobSpec`, `ValidateCronJobSpec`,
  `validateScheduleFormat`, `validateTimeZone` (`fako.validation.schedule`).
- `pkg/apis/storage/validation/validation.go`: `ValidateStorageClass`.
- `pkg/apis/networking/validation/validation.go`: `validateHTTPIngressPath`.
- Quantities: `staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go`
  (`fako.validation.quantity`). Node ports: the default `--service-node-port-range`
  30000-32767 (K3s keeps it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fractions import Fraction
from typing import Any, TypeGuard

from fako.text import value_of
from fako.validation import names
from fako.validation.quantity import QuantityError, parse_quantity
from fako.validation.rules import Rule, Violation, rule
from fako.validation.schedule import schedule_problems, time_zone_problems
from fako.validation.walk import Container, PodSpec, at, containers, group_of, mapping, pod_specs, sequence

__all__ = ["RULES"]

_ALL_CONTAINERS = ("initContainers", "containers", "ephemeralContainers")
_STANDARD_RESOURCES = frozenset({"cpu", "memory", "ephemeral-storage"})
_PORTS = range(1, 65536)
NODE_PORTS = range(30000, 32768)
"""The default `--service-node-port-range` (the cluster's K3s keeps it)."""


def _is(manifest: dict[str, Any], group: str, *kinds: str) -> bool:
    return manifest.get("kind") in kinds and group_of(manifest) == group


def _spec(manifest: dict[str, Any]) -> dict[str, Any]:
    return mapping(manifest.get("spec"))


def _int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _one_of(path: str, value: Any, allowed: Iterable[str], what: str) -> Iterator[Violation]:
    """A violation when `value` is set and not one of `allowed` (the API server's NotSupported)."""
    if value is None:
        return
    options = tuple(allowed)
    if value not in options:
        listed = ", ".join(f'"{o}"' for o in options)
        yield Violation(
            path,
            f"{what} {value_of(value)} is not supported; supported values: {listed}",
            f"use one of {listed}",
            value=str(value),
        )


def _at_least(path: str, value: Any, low: int, what: str = "") -> Iterator[Violation]:
    if _int(value) and value < low:
        label = f"{what} " if what else ""
        must = "must be greater than or equal to 0" if low == 0 else f"must be at least {low}"
        yield Violation(path, f"{label}is {value}; {must}", f"set it to {low} or more", value=str(value))


# ---------------------------------------------------------------------------------------- quantities


def _resource_name_problems(name: str) -> list[str]:
    if "/" not in name:
        if name in _STANDARD_RESOURCES or name.startswith("hugepages-"):
            return []
        return ["must be a standard resource for containers (cpu, memory, ephemeral-storage, hugepages-<size>)"]
    problems = names.qualified_name(name)
    if problems:
        return problems
    if "kubernetes.io/" not in name and name.startswith("requests."):
        return ["doesn't follow extended resource name standard"]
    return []


def _is_extended(name: str) -> bool:
    return "/" in name and "kubernetes.io/" not in name


def _overcommit_allowed(name: str) -> bool:
    return not _is_extended(name) and not name.startswith("hugepages-")


_QUANTITY_FIX = "write a number with an optional suffix: 100m, 0.5, 512Mi, 1Gi, 2G, 1e3 (not 1Gb, 1GB or 1K)"


def _parsed(path: str, value: Any, what: str) -> Violation | Fraction:
    """The exact value of a quantity, or the violation that it is not one."""
    try:
        return parse_quantity(value)
    except QuantityError as exc:
        return Violation(path, f"{what} {value_of(value)} is not a quantity: {exc}", _QUANTITY_FIX, value=str(value))


def _resource_list(path: str, values: Any, kind: str) -> Iterator[Violation]:
    for key, value in mapping(values).items():
        name = str(key)
        where = at(path, name)
        problems = _resource_name_problems(name)
        if problems:
            yield Violation(
                where,
                f"resource name {value_of(name)} is not valid: {'; '.join(problems)}",
                "use cpu, memory, ephemeral-storage, hugepages-<size> or a domain-qualified extended resource",
                value=name,
            )
        parsed = _parsed(where, value, f"{kind} {name}")
        if isinstance(parsed, Violation):
            yield parsed
        elif parsed < 0:
            yield Violation(
                where, f"{kind} {name} {value_of(value)} must be greater than or equal to 0", value=str(value)
            )
        elif _is_extended(name) and not problems and parsed.denominator != 1:
            yield Violation(where, f"{kind} {name} {value_of(value)} must be an integer", value=str(value))


def _pvc_storage(path: str, spec: dict[str, Any]) -> Iterator[Violation]:
    resources = mapping(spec.get("resources"))
    for field in ("requests", "limits"):
        for key, value in mapping(resources.get(field)).items():
            where = at(at(at(path, "resources"), field), str(key))
            parsed = _parsed(where, value, f"{field[:-1]} {key}")
            if isinstance(parsed, Violation):
                yield parsed
            elif key == "storage" and field == "requests" and parsed <= 0:
                yield Violation(where, f"storage request {value_of(value)} must be greater than zero", value=str(value))


@rule(
    "value.quantity",
    "apimachinery pkg/api/resource/quantity.go: ParseQuantity; core validation: ValidateResourceQuantityValue",
)
def quantities(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Resource quantities (containers, pods, PVC and PV storage, emptyDir sizeLimit) are valid quantities."""
    for pod in pod_specs(manifest):
        for c in containers(pod, fields=_ALL_CONTAINERS):
            resources = mapping(c.body.get("resources"))
            for field in ("requests", "limits"):
                yield from _resource_list(at(at(c.path, "resources"), field), resources.get(field), field[:-1])
        pod_resources = mapping(pod.spec.get("resources"))
        for field in ("requests", "limits"):
            yield from _resource_list(at(at(pod.path, "resources"), field), pod_resources.get(field), field[:-1])
        for i, volume in enumerate(sequence(pod.spec.get("volumes"))):
            empty_dir = mapping(volume).get("emptyDir")
            limit = mapping(empty_dir).get("sizeLimit")
            if limit is not None:
                where = at(at(at(pod.path, "volumes"), i), "emptyDir.sizeLimit")
                parsed = _parsed(where, limit, "emptyDir sizeLimit")
                if isinstance(parsed, Violation):
                    yield parsed
                elif parsed < 0:
                    yield Violation(where, f"sizeLimit {value_of(limit)} must not be negative", value=str(limit))
    if _is(manifest, "", "PersistentVolumeClaim"):
        yield from _pvc_storage("spec", _spec(manifest))
    elif _is(manifest, "apps", "StatefulSet"):
        for i, claim in enumerate(sequence(_spec(manifest).get("volumeClaimTemplates"))):
            yield from _pvc_storage(f"spec.volumeClaimTemplates[{i}].spec", mapping(mapping(claim).get("spec")))
    elif _is(manifest, "", "PersistentVolume"):
        for key, value in mapping(_spec(manifest).get("capacity")).items():
            parsed = _parsed(at("spec.capacity", str(key)), value, f"capacity {key}")
            if isinstance(parsed, Violation):
                yield parsed


def _exact(value: Any) -> Fraction | None:
    parsed = _parsed("", value, "")
    return parsed if isinstance(parsed, Fraction) else None


@rule("value.requests-limits", "pkg/apis/core/validation/validation.go: ValidateResourceRequirements")
def requests_within_limits(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A request is at most its limit; an extended resource (a GPU) has a limit equal to its request."""
    for pod in pod_specs(manifest):
        for c in containers(pod, fields=_ALL_CONTAINERS):
            resources = mapping(c.body.get("resources"))
            requests, limits = mapping(resources.get("requests")), mapping(resources.get("limits"))
            for name, request in requests.items():
                where = at(at(at(c.path, "resources"), "requests"), str(name))
                wanted = _exact(request)
                if str(name) not in limits:
                    if not _overcommit_allowed(str(name)):
                        yield Violation(
                            at(at(c.path, "resources"), "limits"),
                            f"{name} is requested ({value_of(request)}) without a limit; "
                            "a limit must be set for resources that cannot be overcommitted",
                            f"set limits.{name} equal to the request",
                            value=str(name),
                        )
                    continue
                limit = limits[name]
                allowed = _exact(limit)
                if wanted is None or allowed is None:
                    continue  # value.quantity reports it
                if wanted != allowed and not _overcommit_allowed(str(name)):
                    yield Violation(
                        where,
                        f"{name} request {value_of(request)} must be equal to the {name} limit of {value_of(limit)}",
                        "set the request and the limit to the same value",
                        value=str(request),
                    )
                elif wanted > allowed:
                    yield Violation(
                        where,
                        f"{name} request {value_of(request)} must be less than or equal to the {name} limit of "
                        f"{value_of(limit)}",
                        "raise the limit or lower the request",
                        value=str(request),
                    )


# ------------------------------------------------------------------------------------ containers


def _all_containers(manifest: dict[str, Any]) -> Iterator[tuple[PodSpec, Container]]:
    for pod in pod_specs(manifest):
        for c in containers(pod, fields=_ALL_CONTAINERS):
            yield pod, c


@rule("value.image", "pkg/apis/core/validation/validation.go: validateContainerCommon, validateContainersOnlyForPod")
def image_required(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Every container names an image (a Pod's without surrounding whitespace)."""
    for pod, c in _all_containers(manifest):
        image = c.body.get("image")
        if image is None or image == "":
            yield Violation(
                at(c.path, "image"),
                f"image: required (container {value_of(c.name)} has no image)",
                "give the container an image (repository, name and tag)",
            )
        elif isinstance(image, str) and pod.kind == "Pod" and image != image.strip():
            yield Violation(
                at(c.path, "image"),
                f"image {value_of(image)} must not have leading or trailing whitespace",
                "remove the whitespace",
                value=image,
            )


@rule("value.image-pull-policy", "pkg/apis/core/validation/validation.go: validatePullPolicy")
def image_pull_policy(manifest: dict[str, Any]) -> Iterator[Violation]:
    """imagePullPolicy is Always, IfNotPresent or Never."""
    for _, c in _all_containers(manifest):
        yield from _one_of(
            at(c.path, "imagePullPolicy"),
            c.body.get("imagePullPolicy"),
            ("Always", "IfNotPresent", "Never"),
            "imagePullPolicy",
        )


@rule("value.termination-message-policy", "pkg/apis/core/validation/validation.go: validateContainerCommon")
def termination_message_policy(manifest: dict[str, Any]) -> Iterator[Violation]:
    """terminationMessagePolicy is File or FallbackToLogsOnError."""
    for _, c in _all_containers(manifest):
        yield from _one_of(
            at(c.path, "terminationMessagePolicy"),
            c.body.get("terminationMessagePolicy"),
            ("File", "FallbackToLogsOnError"),
            "terminationMessagePolicy",
        )


_RESTART_POLICIES = {
    "Pod": ("Always", "OnFailure", "Never"),
    "Deployment": ("Always",),
    "StatefulSet": ("Always",),
    "DaemonSet": ("Always",),
    "ReplicaSet": ("Always",),
    "Job": ("OnFailure", "Never"),
    "CronJob": ("OnFailure", "Never"),
}


@rule(
    "value.restart-policy",
    "core validation: validateRestartPolicy; apps validation: ValidatePodTemplateSpecForReplicaSet "
    "(Always only); batch validation: validateJobSpec (OnFailure or Never)",
)
def restart_policy(manifest: dict[str, Any]) -> Iterator[Violation]:
    """restartPolicy fits the kind (Jobs must set OnFailure or Never); a container's restartPolicy is Always on an init container."""
    for pod in pod_specs(manifest):
        allowed = _RESTART_POLICIES[pod.kind]
        value = pod.spec.get("restartPolicy")
        path = at(pod.path, "restartPolicy")
        if value is None and "Always" not in allowed:
            yield Violation(
                path,
                f"is required in a {pod.kind}'s pod template: it defaults to Always, which a {pod.kind} refuses",
                'set restartPolicy="OnFailure" or "Never"',
            )
        yield from _one_of(path, value, allowed, f"restartPolicy in a {pod.kind}")
        for c in containers(pod, fields=_ALL_CONTAINERS):
            own = c.body.get("restartPolicy")
            if own is None:
                continue
            if c.field != "initContainers":
                yield Violation(
                    at(c.path, "restartPolicy"),
                    f"may only be set on init containers (a sidecar), not in {c.field}",
                    "remove it",
                    value=str(own),
                )
            else:
                yield from _one_of(at(c.path, "restartPolicy"), own, ("Always",), "an init container's restartPolicy")


@rule("value.dns-policy", "pkg/apis/core/validation/validation.go: validateDNSPolicy / validatePodDNSConfig")
def dns_policy(manifest: dict[str, Any]) -> Iterator[Violation]:
    """dnsPolicy is ClusterFirstWithHostNet, ClusterFirst, Default or None (None needs dnsConfig nameservers)."""
    for pod in pod_specs(manifest):
        policy = pod.spec.get("dnsPolicy")
        yield from _one_of(
            at(pod.path, "dnsPolicy"),
            policy,
            ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"),
            "dnsPolicy",
        )
        if policy == "None" and not sequence(mapping(pod.spec.get("dnsConfig")).get("nameservers")):
            yield Violation(
                at(pod.path, "dnsConfig.nameservers"),
                "must have at least one nameserver when dnsPolicy is None",
                "add dnsConfig.nameservers or choose another dnsPolicy",
            )


@rule("value.toleration", "pkg/apis/core/validation/validation.go: ValidateTolerations")
def tolerations(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A toleration's operator is Exists or Equal, its effect NoSchedule, PreferNoSchedule or NoExecute."""
    for pod in pod_specs(manifest):
        for i, item in enumerate(sequence(pod.spec.get("tolerations"))):
            toleration, path = mapping(item), at(at(pod.path, "tolerations"), i)
            operator = toleration.get("operator")
            yield from _one_of(at(path, "operator"), operator, ("Exists", "Equal"), "toleration operator")
            yield from _one_of(
                at(path, "effect"),
                toleration.get("effect") or None,
                ("NoSchedule", "PreferNoSchedule", "NoExecute"),
                "toleration effect",
            )
            if operator == "Exists" and toleration.get("value"):
                yield Violation(
                    at(path, "value"),
                    f"must be empty when operator is Exists, got {value_of(toleration.get('value'))}",
                    "remove the value or use operator Equal",
                )
            if not toleration.get("key") and toleration.get("operator", "Equal") != "Exists":
                yield Violation(at(path, "operator"), "must be Exists when key is empty", 'set operator="Exists"')


# ------------------------------------------------------------------------------------ ports


def _port_range(path: str, value: Any, what: str, allowed: range = _PORTS) -> Iterator[Violation]:
    if _int(value) and value not in allowed:
        yield Violation(
            path,
            f"{what} {value} must be between {allowed.start} and {allowed.stop - 1}, inclusive",
            f"use a port between {allowed.start} and {allowed.stop - 1}",
            value=str(value),
        )


@rule(
    "value.port",
    "pkg/apis/core/validation/validation.go: validateContainerPorts / validateServicePort (IsValidPortNum)",
)
def port_numbers(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Container, host, Service and target ports are 1-65535; a named targetPort is an IANA service name."""
    for pod in pod_specs(manifest):
        for c in containers(pod):
            for i, item in enumerate(sequence(c.body.get("ports"))):
                port, path = mapping(item), at(at(c.path, "ports"), i)
                if port.get("containerPort") is None:
                    yield Violation(at(path, "containerPort"), "is required", "set the port the container listens on")
                yield from _port_range(at(path, "containerPort"), port.get("containerPort"), "containerPort")
                if port.get("hostPort") != 0:
                    yield from _port_range(at(path, "hostPort"), port.get("hostPort"), "hostPort")
    if _is(manifest, "", "Service"):
        for i, item in enumerate(sequence(_spec(manifest).get("ports"))):
            port, path = mapping(item), f"spec.ports[{i}]"
            yield from _port_range(at(path, "port"), port.get("port"), "port")
            target = port.get("targetPort")
            if _int(target):
                yield from _port_range(at(path, "targetPort"), target, "targetPort")
            elif isinstance(target, str):
                problems = names.port_name(target)
                if problems:
                    yield Violation(
                        at(path, "targetPort"),
                        f"targetPort {value_of(target)} is neither a port number nor a valid port name: "
                        + "; ".join(problems),
                        "use the container port's number or its name",
                        value=target,
                    )


@rule("value.node-port", "pkg/registry/core/service/portallocator (the --service-node-port-range, 30000-32767)")
def node_ports(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A Service nodePort lies in the node port range 30000-32767, and only on NodePort or LoadBalancer Services."""
    if not _is(manifest, "", "Service"):
        return
    spec = _spec(manifest)
    for i, item in enumerate(sequence(spec.get("ports"))):
        value = mapping(item).get("nodePort")
        if value is None:
            continue
        path = f"spec.ports[{i}].nodePort"
        if spec.get("type", "ClusterIP") not in ("NodePort", "LoadBalancer"):
            yield Violation(
                path,
                f"may not be used when the Service type is {spec.get('type', 'ClusterIP')}",
                'remove it or set type="NodePort"',
                value=str(value),
            )
        yield from _port_range(path, value, "nodePort", NODE_PORTS)


@rule("value.protocol", "pkg/apis/core/validation/validation.go: validateContainerPorts / validateServicePort")
def protocols(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Port protocols are TCP, UDP or SCTP (containers, Services, NetworkPolicies)."""
    allowed = ("TCP", "UDP", "SCTP")
    for pod in pod_specs(manifest):
        for c in containers(pod):
            for i, port in enumerate(sequence(c.body.get("ports"))):
                yield from _one_of(
                    at(at(at(c.path, "ports"), i), "protocol"), mapping(port).get("protocol"), allowed, "protocol"
                )
    if _is(manifest, "", "Service"):
        for i, port in enumerate(sequence(_spec(manifest).get("ports"))):
            yield from _one_of(f"spec.ports[{i}].protocol", mapping(port).get("protocol"), allowed, "protocol")
    elif _is(manifest, "networking.k8s.io", "NetworkPolicy"):
        spec = _spec(manifest)
        for direction in ("ingress", "egress"):
            for i, item in enumerate(sequence(spec.get(direction))):
                for j, port in enumerate(sequence(mapping(item).get("ports"))):
                    path = f"spec.{direction}[{i}].ports[{j}].protocol"
                    yield from _one_of(path, mapping(port).get("protocol"), allowed, "protocol")


# ------------------------------------------------------------------------------------ services


@rule("value.service-type", "pkg/apis/core/validation/validation.go: ValidateService (supportedServiceType)")
def service_type(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A Service type is ClusterIP, NodePort, LoadBalancer or ExternalName (which needs externalName)."""
    if not _is(manifest, "", "Service"):
        return
    spec = _spec(manifest)
    kind = spec.get("type")
    yield from _one_of("spec.type", kind, ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName"), "Service type")
    if kind == "ExternalName" and not spec.get("externalName"):
        yield Violation("spec.externalName", "is required for an ExternalName Service", "set externalName")


@rule("value.service-policy", "pkg/apis/core/validation/validation.go: ValidateService")
def service_policies(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Service sessionAffinity, traffic policies and ipFamilyPolicy are supported values."""
    if not _is(manifest, "", "Service"):
        return
    spec = _spec(manifest)
    yield from _one_of("spec.sessionAffinity", spec.get("sessionAffinity"), ("ClientIP", "None"), "sessionAffinity")
    yield from _one_of(
        "spec.externalTrafficPolicy", spec.get("externalTrafficPolicy"), ("Cluster", "Local"), "externalTrafficPolicy"
    )
    yield from _one_of(
        "spec.internalTrafficPolicy", spec.get("internalTrafficPolicy"), ("Cluster", "Local"), "internalTrafficPolicy"
    )
    yield from _one_of(
        "spec.ipFamilyPolicy",
        spec.get("ipFamilyPolicy"),
        ("SingleStack", "PreferDualStack", "RequireDualStack"),
        "ipFamilyPolicy",
    )
    if spec.get("externalTrafficPolicy") and spec.get("type", "ClusterIP") not in ("NodePort", "LoadBalancer"):
        yield Violation(
            "spec.externalTrafficPolicy",
            f"may only be set on NodePort and LoadBalancer Services, not {spec.get('type', 'ClusterIP')}",
            "remove it",
        )


# ------------------------------------------------------------------------------------ storage


def _claim_specs(manifest: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    if _is(manifest, "", "PersistentVolumeClaim", "PersistentVolume"):
        yield "spec", _spec(manifest)
    elif _is(manifest, "apps", "StatefulSet"):
        for i, claim in enumerate(sequence(_spec(manifest).get("volumeClaimTemplates"))):
            yield f"spec.volumeClaimTemplates[{i}].spec", mapping(mapping(claim).get("spec"))


_ACCESS_MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")


@rule(
    "value.access-modes",
    "pkg/apis/core/validation/validation.go: ValidatePersistentVolumeClaimSpec / ValidatePersistentVolumeSpec",
)
def access_modes(manifest: dict[str, Any]) -> Iterator[Violation]:
    """PVC and PV accessModes: at least one of ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod (alone)."""
    for path, spec in _claim_specs(manifest):
        modes = spec.get("accessModes")
        if not sequence(modes) and not spec.get("dataSourceRef"):
            yield Violation(
                at(path, "accessModes"), "at least 1 access mode is required", 'add accessModes: ["ReadWriteOnce"]'
            )
            continue
        for i, mode in enumerate(sequence(modes)):
            yield from _one_of(at(at(path, "accessModes"), i), mode, _ACCESS_MODES, "access mode")
        if "ReadWriteOncePod" in sequence(modes) and len(sequence(modes)) > 1:
            yield Violation(
                at(path, "accessModes"),
                "may not use ReadWriteOncePod with other access modes",
                "keep ReadWriteOncePod alone",
            )


@rule(
    "value.volume-mode",
    "pkg/apis/core/validation/validation.go: ValidatePersistentVolumeClaimSpec (supportedVolumeModes)",
)
def volume_mode(manifest: dict[str, Any]) -> Iterator[Violation]:
    """PVC and PV volumeMode is Filesystem or Block."""
    for path, spec in _claim_specs(manifest):
        yield from _one_of(at(path, "volumeMode"), spec.get("volumeMode"), ("Block", "Filesystem"), "volumeMode")


@rule("value.reclaim-policy", "core validation: ValidatePersistentVolumeSpec; storage validation: ValidateStorageClass")
def reclaim_policy(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A PV's persistentVolumeReclaimPolicy is Retain, Delete or Recycle; a StorageClass's reclaimPolicy Retain or Delete."""
    if _is(manifest, "", "PersistentVolume"):
        value = _spec(manifest).get("persistentVolumeReclaimPolicy")
        yield from _one_of(
            "spec.persistentVolumeReclaimPolicy",
            value,
            ("Delete", "Recycle", "Retain"),
            "persistentVolumeReclaimPolicy",
        )
    elif _is(manifest, "storage.k8s.io", "StorageClass"):
        yield from _one_of("reclaimPolicy", manifest.get("reclaimPolicy"), ("Delete", "Retain"), "reclaimPolicy")
        yield from _one_of(
            "volumeBindingMode",
            manifest.get("volumeBindingMode"),
            ("Immediate", "WaitForFirstConsumer"),
            "volumeBindingMode",
        )


# ------------------------------------------------------------------------------------ workloads


@rule("value.replicas", "apps validation: ValidateDeploymentSpec / ValidateStatefulSetSpec / ValidateReplicaSetSpec")
def replicas(manifest: dict[str, Any]) -> Iterator[Violation]:
    """replicas is 0 or more."""
    if _is(manifest, "apps", "Deployment", "StatefulSet", "ReplicaSet"):
        yield from _at_least("spec.replicas", _spec(manifest).get("replicas"), 0, "replicas")


_COUNTS: dict[str, tuple[str, ...]] = {
    "Deployment": ("minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"),
    "StatefulSet": ("minReadySeconds", "revisionHistoryLimit"),
    "DaemonSet": ("minReadySeconds", "revisionHistoryLimit"),
    "ReplicaSet": ("minReadySeconds",),
    "Job": (
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "backoffLimitPerIndex",
        "maxFailedIndexes",
        "ttlSecondsAfterFinished",
    ),
    "CronJob": ("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"),
}


@rule(
    "value.count",
    "apps validation: ValidateDeploymentSpec and siblings; batch validation: validateJobSpec, ValidateCronJobSpec; core: ValidatePodSpec",
)
def counts(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Counts and durations (history limits, backoffLimit, ttlSecondsAfterFinished, grace periods, ...) are not negative."""
    kind = str(manifest.get("kind", ""))
    if kind in _COUNTS and _is(manifest, "batch" if kind in ("Job", "CronJob") else "apps", kind):
        spec = _spec(manifest)
        for field in _COUNTS[kind]:
            yield from _at_least(at("spec", field), spec.get(field), 0, field)
        if kind == "Deployment":
            deadline, ready = spec.get("progressDeadlineSeconds"), spec.get("minReadySeconds", 0)
            if _int(deadline) and _int(ready) and deadline <= ready:
                yield Violation(
                    "spec.progressDeadlineSeconds",
                    f"progressDeadlineSeconds {deadline} must be greater than minReadySeconds {ready}",
                    "raise progressDeadlineSeconds",
                    value=str(deadline),
                )
        if kind == "StatefulSet":
            partition = mapping(mapping(spec.get("updateStrategy")).get("rollingUpdate")).get("partition")
            yield from _at_least("spec.updateStrategy.rollingUpdate.partition", partition, 0, "partition")
        if kind == "CronJob":
            job = mapping(mapping(spec.get("jobTemplate")).get("spec"))
            for field in _COUNTS["Job"]:
                yield from _at_least(at("spec.jobTemplate.spec", field), job.get(field), 0, field)
    for pod in pod_specs(manifest):
        grace = pod.spec.get("terminationGracePeriodSeconds")
        yield from _at_least(at(pod.path, "terminationGracePeriodSeconds"), grace, 0, "terminationGracePeriodSeconds")
        yield from _at_least(
            at(pod.path, "activeDeadlineSeconds"), pod.spec.get("activeDeadlineSeconds"), 1, "activeDeadlineSeconds"
        )


_STRATEGIES = {
    "Deployment": ("strategy", ("Recreate", "RollingUpdate")),
    "StatefulSet": ("updateStrategy", ("RollingUpdate", "OnDelete")),
    "DaemonSet": ("updateStrategy", ("RollingUpdate", "OnDelete")),
}


@rule(
    "value.strategy",
    "apps validation: ValidateDeploymentStrategy, ValidateStatefulSetUpdateStrategy, ValidateDaemonSetUpdateStrategy",
)
def strategy(manifest: dict[str, Any]) -> Iterator[Violation]:
    """The update strategy type is supported (Deployment: Recreate or RollingUpdate; StatefulSet, DaemonSet: RollingUpdate or OnDelete)."""
    kind = str(manifest.get("kind", ""))
    if kind not in _STRATEGIES or not _is(manifest, "apps", kind):
        return
    field, allowed = _STRATEGIES[kind]
    value = mapping(_spec(manifest).get(field))
    yield from _one_of(f"spec.{field}.type", value.get("type"), allowed, f"{field} type")
    if value.get("rollingUpdate") and value.get("type") in ("Recreate", "OnDelete"):
        yield Violation(
            f"spec.{field}.rollingUpdate",
            f"may not be specified when the {field} type is {value.get('type')}",
            "remove rollingUpdate or use type RollingUpdate",
        )


@rule("value.statefulset-policy", "pkg/apis/apps/validation/validation.go: ValidateStatefulSetSpec")
def statefulset_policies(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A StatefulSet's podManagementPolicy is OrderedReady or Parallel; PVC retention is Retain or Delete."""
    if not _is(manifest, "apps", "StatefulSet"):
        return
    spec = _spec(manifest)
    yield from _one_of(
        "spec.podManagementPolicy", spec.get("podManagementPolicy"), ("OrderedReady", "Parallel"), "podManagementPolicy"
    )
    retention = mapping(spec.get("persistentVolumeClaimRetentionPolicy"))
    for field in ("whenDeleted", "whenScaled"):
        yield from _one_of(
            f"spec.persistentVolumeClaimRetentionPolicy.{field}", retention.get(field), ("Retain", "Delete"), field
        )


def _job_specs(manifest: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    if _is(manifest, "batch", "Job"):
        yield "spec", _spec(manifest)
    elif _is(manifest, "batch", "CronJob"):
        yield "spec.jobTemplate.spec", mapping(mapping(_spec(manifest).get("jobTemplate")).get("spec"))


@rule(
    "value.job-policy",
    "pkg/apis/batch/validation/validation.go: validateJobSpec, ValidateCronJobSpec (validateConcurrencyPolicy)",
)
def job_policies(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A CronJob's concurrencyPolicy is Allow, Forbid or Replace; a Job's completionMode and podReplacementPolicy are supported."""
    if _is(manifest, "batch", "CronJob"):
        yield from _one_of(
            "spec.concurrencyPolicy",
            _spec(manifest).get("concurrencyPolicy"),
            ("Allow", "Forbid", "Replace"),
            "concurrencyPolicy",
        )
    for path, spec in _job_specs(manifest):
        yield from _one_of(
            at(path, "completionMode"), spec.get("completionMode"), ("NonIndexed", "Indexed"), "completionMode"
        )
        yield from _one_of(
            at(path, "podReplacementPolicy"),
            spec.get("podReplacementPolicy"),
            ("TerminatingOrFailed", "Failed"),
            "podReplacementPolicy",
        )


@rule(
    "value.schedule", "pkg/apis/batch/validation/validation.go: validateScheduleFormat (robfig/cron/v3 ParseStandard)"
)
def schedule(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A CronJob schedule parses as the controller parses it: five fields or a descriptor, no TZ= in it."""
    if not _is(manifest, "batch", "CronJob"):
        return
    value = _spec(manifest).get("schedule")
    if not isinstance(value, str):
        return  # the schema requires a string
    problems = schedule_problems(value)
    if problems:
        yield Violation(
            "spec.schedule",
            f"schedule {value_of(value)} is not valid: {'; '.join(problems)}",
            "write five fields (minute hour day-of-month month day-of-week, e.g. '30 2 * * 0') or "
            "@hourly/@daily/@weekly/@monthly/@yearly; put the zone in spec.timeZone",
            value=value,
        )


@rule("value.time-zone", "pkg/apis/batch/validation/validation.go: validateTimeZone")
def time_zone(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A CronJob timeZone is an IANA time zone name (not Local)."""
    if not _is(manifest, "batch", "CronJob"):
        return
    zone = _spec(manifest).get("timeZone")
    if isinstance(zone, str):
        problems = time_zone_problems(zone)
        if problems:
            yield Violation(
                "spec.timeZone",
                f"timeZone {value_of(zone)} is not valid: {'; '.join(problems)}",
                "use an IANA zone name such as 'Europe/Berlin' or 'Etc/UTC'",
                value=zone,
            )


@rule("value.path-type", "pkg/apis/networking/validation/validation.go: validateHTTPIngressPath")
def ingress_path_type(manifest: dict[str, Any]) -> Iterator[Violation]:
    """An Ingress path's pathType is set to Exact, Prefix or ImplementationSpecific."""
    if not _is(manifest, "networking.k8s.io", "Ingress"):
        return
    for i, item in enumerate(sequence(_spec(manifest).get("rules"))):
        paths = sequence(mapping(mapping(item).get("http")).get("paths"))
        for j, entry in enumerate(paths):
            where = f"spec.rules[{i}].http.paths[{j}].pathType"
            value = mapping(entry).get("pathType")
            if value is None:
                yield Violation(where, "pathType must be specified", 'set pathType="Prefix" (or Exact)')
            yield from _one_of(where, value, ("Exact", "Prefix", "ImplementationSpecific"), "pathType")


# ------------------------------------------------------------------------------------ probes

_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_PROBE_DEFAULTS = {"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}


@rule(
    "value.probe",
    "pkg/apis/core/validation/validation.go: validateProbe, validateLivenessProbe, validateStartupProbe, validateReadinessProbe",
)
def probes(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Probe timings are not negative (0 takes the default); liveness and startup probes have successThreshold 1."""
    for _, c in _all_containers(manifest):
        for probe_name in _PROBES:
            probe = c.body.get(probe_name)
            if not isinstance(probe, dict):
                continue
            path = at(c.path, probe_name)
            if c.field == "initContainers" and c.body.get("restartPolicy") != "Always":
                yield Violation(
                    path,
                    f"may not be set on an init container (container {value_of(c.name)}) unless it is a "
                    "sidecar (restartPolicy: Always)",
                    "remove the probe or make the init container a sidecar",
                )
            for field in ("initialDelaySeconds", *_PROBE_DEFAULTS):
                value = probe.get(field)
                yield from _at_least(at(path, field), value, 0, field)
                if value == 0 and field in _PROBE_DEFAULTS and not isinstance(value, bool):
                    yield Violation(
                        at(path, field),
                        f"{field} is 0, which the API server replaces with the default {_PROBE_DEFAULTS[field]}",
                        "leave it out or set it to the value you mean (at least 1)",
                        value="0",
                        severity="warning",
                    )
            threshold = probe.get("successThreshold")
            if probe_name != "readinessProbe" and _int(threshold) and threshold not in (0, 1):
                yield Violation(
                    at(path, "successThreshold"),
                    f"successThreshold {threshold} must be 1 for a {probe_name}",
                    "set successThreshold to 1 (or leave it out)",
                    value=str(threshold),
                )
            grace = probe.get("terminationGracePeriodSeconds")
            if grace is not None and probe_name == "readinessProbe":
                yield Violation(
                    at(path, "terminationGracePeriodSeconds"), "must not be set for readinessProbes", "remove it"
                )
            elif _int(grace) and grace <= 0:
                yield Violation(
                    at(path, "terminationGracePeriodSeconds"), f"is {grace}; must be greater than 0", value=str(grace)
                )


RULES: tuple[Rule, ...] = (
    quantities,
    requests_within_limits,
    image_required,
    image_pull_policy,
    termination_message_policy,
    restart_policy,
    dns_policy,
    tolerations,
    port_numbers,
    node_ports,
    protocols,
    service_type,
    service_policies,
    access_modes,
    volume_mode,
    reclaim_policy,
    replicas,
    counts,
    strategy,
    statefulset_policies,
    job_policies,
    schedule,
    time_zone,
    ingress_path_type,
    probes,
)
