"""Pod specs the API server refuses: names used twice, mounts of missing volumes, paths
that climb out of a volume, selectors that miss their own pods, probes without a handler.

Sources (Kubernetes v1.34, kubernetes/kubernetes):
- `pkg/apis/core/validation/validation.go`: `validateContainers` / `validateInitContainers`
  (container names unique across init, regular and ephemeral containers),
  `AccumulateUniqueHostPorts` (hostIP/protocol/hostPort once per pod),
  `ValidateVolumeMounts` (a mount names a volume; mountPath unique in a container;
  subPath and subPathExpr relative, without '..', not both), `validateKeyToPath` /
  `validateDownwardAPIVolumeFile` (`validateLocalNonReservedPath`), `validateProbe` /
  `validateHandler` / `validateLifecycle` (exactly one handler).
- `pkg/apis/apps/validation/validation.go`: `ValidateDeploymentSpec`,
  `ValidateStatefulSetSpec`, `ValidateDaemonSetSpec`, `ValidateReplicaSetSpec` (a
  non-empty selector) and `ValidatePodTemplateSpecForReplicaSet` ("`selector` does not
  match template `labels`"); `pkg/apis/batch/validation/validation.go: validateJob`
  (a manual Job selector must match too).
- `staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go:
  ValidateLabelSelectorRequirement` (operators and their values).
- Env vars: `pkg/kubelet/kubelet_pods.go: makeEnvironmentVariables` (a later entry of the
  same name replaces an earlier one); the API server accepts duplicates, so a duplicate
  is a warning (`pkg/api/pod/warnings.go` warns about it too).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from fako.text import value_of
from fako.validation.rules import Rule, Violation, rule
from fako.validation.walk import PodSpec, at, containers, group_of, mapping, pod_specs, sequence

__all__ = ["RULES"]

_ALL_CONTAINERS = ("initContainers", "containers", "ephemeralContainers")
_PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
_LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")
_SELECTOR_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"})


@rule("pod.container-unique", "pkg/apis/core/validation/validation.go: validateContainers / validateInitContainers")
def unique_container_names(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Container names are unique across init, regular and ephemeral containers."""
    for pod in pod_specs(manifest):
        first: dict[str, str] = {}
        for c in containers(pod, fields=_ALL_CONTAINERS):
            name = c.body.get("name")
            if not isinstance(name, str) or not name:
                continue
            if name in first:
                yield Violation(
                    at(c.path, "name"),
                    f"container name {value_of(name)} is already used by {first[name]}",
                    "give every container of the pod its own name",
                    value=name,
                )
            else:
                first[name] = c.path


@rule("pod.host-port", "pkg/apis/core/validation/validation.go: AccumulateUniqueHostPorts")
def unique_host_ports(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A hostPort (with its hostIP and protocol) is used once per pod."""
    for pod in pod_specs(manifest):
        for fields in (("containers",), ("initContainers",)):
            seen: dict[str, str] = {}
            for c in containers(pod, fields=fields):
                for i, item in enumerate(sequence(c.body.get("ports"))):
                    port = mapping(item)
                    host_port = port.get("hostPort")
                    if not host_port:
                        continue
                    key = f"{port.get('hostIP', '')}/{port.get('protocol') or 'TCP'}/{host_port}"
                    path = at(at(at(c.path, "ports"), i), "hostPort")
                    if key in seen:
                        yield Violation(
                            path,
                            f"hostPort {host_port}/{port.get('protocol') or 'TCP'} is already used by {seen[key]}",
                            "use another hostPort",
                            value=key,
                        )
                    else:
                        seen[key] = path


def _backsteps(path: str) -> bool:
    return ".." in path.replace("\\", "/").split("/")


def _local_path_problems(path: str, *, reserved: bool) -> list[str]:
    """validateLocalDescendingPath (and, when `reserved`, validateLocalNonReservedPath)."""
    problems = []
    if posixpath.isabs(path):
        problems.append("must be a relative path")
    if _backsteps(path):
        problems.append("must not contain '..'")
    elif reserved and path.startswith(".."):
        problems.append("must not start with '..'")
    return problems


def _volume_names(manifest: dict[str, Any], pod: PodSpec) -> set[str]:
    """The pod's volumes, and for a StatefulSet the claims its volumeClaimTemplates add."""
    found = {str(mapping(v).get("name")) for v in sequence(pod.spec.get("volumes"))}
    if pod.kind == "StatefulSet":
        claims = sequence(mapping(manifest.get("spec")).get("volumeClaimTemplates"))
        found.update(str(mapping(mapping(c).get("metadata")).get("name")) for c in claims)
    return found


@rule("pod.volume-mount", "pkg/apis/core/validation/validation.go: ValidateVolumeMounts")
def volume_mounts(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A volumeMount names a volume of the pod, its mountPath is unique in the container, its subPath stays inside."""
    for pod in pod_specs(manifest):
        volumes = _volume_names(manifest, pod)
        for c in containers(pod, fields=_ALL_CONTAINERS):
            mount_paths: dict[str, int] = {}
            for i, item in enumerate(sequence(c.body.get("volumeMounts"))):
                mount, path = mapping(item), at(at(c.path, "volumeMounts"), i)
                name, mount_path = mount.get("name"), mount.get("mountPath")
                if isinstance(name, str) and name not in volumes:
                    listed = ", ".join(sorted(volumes)) or "none"
                    yield Violation(
                        at(path, "name"),
                        f"mounts volume {value_of(name)}, which the pod does not have (its volumes: {listed})",
                        "add the volume to the pod or mount one it has",
                        value=name,
                    )
                if not mount_path:
                    yield Violation(at(path, "mountPath"), "is required", "set where the volume is mounted")
                elif isinstance(mount_path, str):
                    if mount_path in mount_paths:
                        yield Violation(
                            at(path, "mountPath"),
                            f"mountPath {value_of(mount_path)} must be unique: volumeMounts[{mount_paths[mount_path]}] "
                            f"of container {value_of(c.name)} mounts there too",
                            "mount each volume at its own path",
                            value=mount_path,
                        )
                    else:
                        mount_paths[mount_path] = i
                for field in ("subPath", "subPathExpr"):
                    sub = mount.get(field)
                    if isinstance(sub, str) and sub:
                        problems = _local_path_problems(sub, reserved=False)
                        if problems:
                            yield Violation(
                                at(path, field),
                                f"{field} {value_of(sub)} {'; '.join(problems)}",
                                "use a path inside the volume",
                                value=sub,
                            )
                if mount.get("subPath") and mount.get("subPathExpr"):
                    yield Violation(
                        at(path, "subPathExpr"), "subPathExpr and subPath are mutually exclusive", "keep one of them"
                    )


def _item_lists(pod: PodSpec) -> Iterator[tuple[str, list[Any]]]:
    """(path, items) of every configMap, secret, downwardAPI and projected source in the pod's volumes."""
    for i, item in enumerate(sequence(pod.spec.get("volumes"))):
        volume, path = mapping(item), at(at(pod.path, "volumes"), i)
        for source in ("configMap", "secret", "downwardAPI"):
            if source in volume:
                yield at(at(path, source), "items"), sequence(mapping(volume[source]).get("items"))
        for j, projection in enumerate(sequence(mapping(volume.get("projected")).get("sources"))):
            for source in ("configMap", "secret", "downwardAPI"):
                if source in mapping(projection):
                    where = at(at(at(path, "projected.sources"), j), source)
                    yield at(where, "items"), sequence(mapping(projection[source]).get("items"))


@rule("pod.item-path", "pkg/apis/core/validation/validation.go: validateKeyToPath / validateLocalNonReservedPath")
def item_paths(manifest: dict[str, Any]) -> Iterator[Violation]:
    """configMap, secret and downwardAPI volume items have a relative path without '..'."""
    for pod in pod_specs(manifest):
        for path, items in _item_lists(pod):
            for i, item in enumerate(items):
                target = mapping(item).get("path")
                where = at(at(path, i), "path")
                if not target:
                    yield Violation(where, "is required", "set the file name the item is written to")
                    continue
                if not isinstance(target, str):
                    continue
                problems = _local_path_problems(target, reserved=True)
                if problems:
                    yield Violation(
                        where,
                        f"path {value_of(target)} {'; '.join(problems)}",
                        "use a path inside the volume",
                        value=target,
                    )


@rule("pod.env-duplicate", "pkg/kubelet/kubelet_pods.go: makeEnvironmentVariables (the last entry wins)")
def duplicate_env(manifest: dict[str, Any]) -> Iterator[Violation]:
    """An env var set twice in one container: the last entry wins (a warning naming the winner)."""
    for pod in pod_specs(manifest):
        for c in containers(pod, fields=_ALL_CONTAINERS):
            env = [mapping(e) for e in sequence(c.body.get("env"))]
            last: dict[str, int] = {}
            for i, item in enumerate(env):
                name = item.get("name")
                if isinstance(name, str):
                    last[name] = i
            for i, item in enumerate(env):
                name = item.get("name")
                if not isinstance(name, str) or last[name] == i:
                    continue
                winner = env[last[name]]
                shown = (
                    f"value {value_of(winner['value'])}"
                    if "value" in winner
                    else "valueFrom " + ", ".join(sorted(mapping(winner.get("valueFrom"))))
                )
                yield Violation(
                    at(at(at(c.path, "env"), i), "name"),
                    f"env {value_of(name)} is set again at env[{last[name]}]; the last one wins ({shown})",
                    "remove the duplicate entry",
                    value=name,
                    severity="warning",
                )


def _matches(selector: dict[str, Any], labels: dict[str, Any]) -> bool:
    """metav1.LabelSelectorAsSelector(selector).Matches(labels)."""
    for key, value in mapping(selector.get("matchLabels")).items():
        if key not in labels or labels[key] != value:
            return False
    for item in sequence(selector.get("matchExpressions")):
        expr = mapping(item)
        label, operator, values = str(expr.get("key")), expr.get("operator"), sequence(expr.get("values"))
        present = label in labels
        if operator == "In" and not (present and labels[label] in values):
            return False
        if operator == "NotIn" and present and labels[label] in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True


def _expression_problems(path: str, selector: dict[str, Any]) -> Iterator[Violation]:
    for i, item in enumerate(sequence(selector.get("matchExpressions"))):
        expr, where = mapping(item), at(at(path, "matchExpressions"), i)
        operator, values = expr.get("operator"), sequence(expr.get("values"))
        if operator in ("In", "NotIn") and not values:
            yield Violation(
                at(where, "values"), f"must be specified when operator is {operator}", "list the label values"
            )
        elif operator in ("Exists", "DoesNotExist") and values:
            yield Violation(at(where, "values"), f"may not be specified when operator is {operator}", "remove values")
        elif operator not in ("In", "NotIn", "Exists", "DoesNotExist"):
            yield Violation(
                at(where, "operator"),
                f"operator {value_of(operator)} is not a valid label selector operator",
                'use "In", "NotIn", "Exists" or "DoesNotExist"',
                value=str(operator),
            )


@rule(
    "pod.selector",
    "pkg/apis/apps/validation/validation.go: ValidatePodTemplateSpecForReplicaSet; batch validation: validateJob",
)
def selector_matches_template(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A Deployment's, StatefulSet's, DaemonSet's, ReplicaSet's (or a manual Job's) selector is set and matches its pod template's labels."""
    kind = str(manifest.get("kind", ""))
    group = group_of(manifest)
    manual_job = kind == "Job" and group == "batch" and mapping(manifest.get("spec")).get("selector") is not None
    if not ((kind in _SELECTOR_KINDS and group == "apps") or manual_job):
        return
    selector = mapping(manifest.get("spec")).get("selector")
    if not isinstance(selector, dict) or not (selector.get("matchLabels") or selector.get("matchExpressions")):
        yield Violation(
            "spec.selector",
            f"is required and must not be empty in a {kind}",
            "select the pods by the labels of the pod template (matchLabels)",
        )
        return
    yield from _expression_problems("spec.selector", selector)
    for pod in pod_specs(manifest):
        if not _matches(selector, pod.labels):
            shown = ", ".join(f"{k}={v}" for k, v in sorted(pod.labels.items(), key=str)) or "no labels"
            yield Violation(
                "spec.template.metadata.labels",
                f"`selector` does not match template `labels` (the template has {shown})",
                "give the pod template every label the selector asks for",
            )


def _handler_problem(path: str, handler: dict[str, Any], kinds: tuple[str, ...], what: str) -> Iterator[Violation]:
    found = [k for k in kinds if handler.get(k) is not None]
    if len(found) == 1:
        return
    if not found:
        message = f"{what} must specify a handler type (one of {', '.join(kinds)})"
    else:
        message = f"{what} may not specify more than 1 handler type (it has {', '.join(found)})"
    yield Violation(path, message, f"keep exactly one of {', '.join(kinds)}")


@rule("pod.handler", "pkg/apis/core/validation/validation.go: validateProbe / validateLifecycle (validateHandler)")
def one_handler(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A probe and a lifecycle hook have exactly one handler (exec, httpGet, tcpSocket, grpc or sleep)."""
    for pod in pod_specs(manifest):
        for c in containers(pod, fields=_ALL_CONTAINERS):
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                body = c.body.get(probe)
                if isinstance(body, dict):
                    yield from _handler_problem(at(c.path, probe), body, _PROBE_HANDLERS, probe)
            lifecycle = mapping(c.body.get("lifecycle"))
            for hook in ("postStart", "preStop"):
                body = lifecycle.get(hook)
                if isinstance(body, dict):
                    yield from _handler_problem(at(at(c.path, "lifecycle"), hook), body, _LIFECYCLE_HANDLERS, hook)


RULES: tuple[Rule, ...] = (
    unique_container_names,
    unique_host_ports,
    volume_mounts,
    item_paths,
    duplicate_env,
    selector_matches_template,
    one_handler,
)
