"""The cluster's security floor: what no app may do without a reviewed reason.

Each rule is an error unless an allow-list entry (cluster facts) names the object and
the offending value with its reason. Sources: the Pod Security Standards
(kubernetes.io/docs/concepts/security/pod-security-standards: the Baseline profile's
host namespaces, privileged containers, capabilities, hostPath volumes, host ports) and
the RBAC good practices (kubernetes.io/docs/concepts/security/rbac-good-practices:
least privilege, no `cluster-admin` or wildcards for workloads).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from fako.rendered import RenderedObject
from fako.validation.findings import Finding, finding
from fako.validation.psa import BASELINE_CAPABILITIES
from fako.validation.rules import Rule, Violation, rule
from fako.validation.walk import PodSpec, at, containers, group_of, mapping, pod_specs, sequence

__all__ = [
    "BASELINE_CAPABILITIES",
    "RULES",
    "added_capabilities",
    "check_rbac",
    "host_namespaces",
    "host_path",
    "privilege_escalation",
    "privileged",
]

_GPU = "nvidia.com/gpu"
_PSS = "Pod Security Standards, Baseline profile (kubernetes.io/docs/concepts/security/pod-security-standards)"


@rule("security.privileged", _PSS + ": Privileged Containers")
def privileged(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A privileged container is root on the node."""
    for pod in pod_specs(manifest):
        for c in containers(pod, fields=("initContainers", "containers", "ephemeralContainers")):
            if mapping(c.body.get("securityContext")).get("privileged") is True:
                yield Violation(
                    at(c.path, "securityContext.privileged"),
                    f"container '{c.name}' is privileged: it can do anything root on the node can",
                    "drop privileged; add only the capabilities it needs",
                    value=c.name,
                )


def _requests_a_gpu(pod: PodSpec) -> bool:
    for c in containers(pod):
        resources = mapping(c.body.get("resources"))
        if any(_GPU in mapping(resources.get(part)) for part in ("limits", "requests")):
            return True
    return False


@rule("security.host-namespaces", _PSS + ": Host Namespaces")
def host_namespaces(manifest: dict[str, Any]) -> Iterator[Violation]:
    """hostNetwork, hostPID and hostIPC share the node's namespaces with the pod.

    hostIPC is accepted on a pod that requests an NVIDIA GPU: CUDA's inter-process
    memory needs the node's IPC namespace, and the GPU pools (fako.patterns.gpu) set it.
    """
    for pod in pod_specs(manifest):
        for field in ("hostNetwork", "hostPID", "hostIPC"):
            if field == "hostIPC" and _requests_a_gpu(pod):
                continue
            if pod.spec.get(field) is True:
                yield Violation(
                    at(pod.path, field),
                    f"the pod shares the node's {field[4:].lower()} namespace",
                    f"remove {field} (GPU pools that need hostIPC get it from fako.patterns.gpu, reviewed)",
                    value=field,
                )


@rule("security.host-path", _PSS + ": HostPath Volumes")
def host_path(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A hostPath volume reaches into the node's filesystem (the value is the path)."""
    for pod in pod_specs(manifest):
        for i, volume in enumerate(sequence(pod.spec.get("volumes"))):
            path = mapping(mapping(volume).get("hostPath")).get("path")
            if isinstance(path, str):
                root = " (the node's whole filesystem)" if path.rstrip("/") == "" else ""
                yield Violation(
                    at(at(at(pod.path, "volumes"), i), "hostPath.path"),
                    f"volume '{mapping(volume).get('name', '?')}' mounts the node's {path}{root}",
                    "use a PersistentVolumeClaim; a reviewed allow-list entry names each host path that is needed",
                    value=path,
                )


@rule("security.capabilities", _PSS + ": Capabilities")
def added_capabilities(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Capabilities beyond the Baseline set (SYS_ADMIN, NET_ADMIN, ALL, ...)."""
    for pod in pod_specs(manifest):
        for c in containers(pod, fields=("initContainers", "containers", "ephemeralContainers")):
            added = sequence(mapping(mapping(c.body.get("securityContext")).get("capabilities")).get("add"))
            for i, cap in enumerate(added):
                name = str(cap).upper().removeprefix("CAP_")
                if name not in BASELINE_CAPABILITIES:
                    yield Violation(
                        at(c.path, f"securityContext.capabilities.add[{i}]"),
                        f"container '{c.name}' adds capability {cap}, beyond the Baseline set",
                        f"drop it, or keep to {', '.join(sorted(BASELINE_CAPABILITIES))}",
                        value=str(cap),
                    )


def _runs_as_root(pod: dict[str, Any], container: dict[str, Any]) -> bool:
    user = container.get("runAsUser", pod.get("runAsUser"))
    if isinstance(user, int):
        return user == 0
    return container.get("runAsNonRoot", pod.get("runAsNonRoot")) is not True


@rule("security.privilege-escalation", _PSS + ", Restricted profile: Privilege Escalation")
def privilege_escalation(manifest: dict[str, Any]) -> Iterator[Violation]:
    """allowPrivilegeEscalation: true in a container that may run as root."""
    for pod in pod_specs(manifest):
        pod_context = mapping(pod.spec.get("securityContext"))
        for c in containers(pod):
            context = mapping(c.body.get("securityContext"))
            if context.get("allowPrivilegeEscalation") is True and _runs_as_root(pod_context, context):
                yield Violation(
                    at(c.path, "securityContext.allowPrivilegeEscalation"),
                    f"container '{c.name}' may run as root and allows privilege escalation",
                    "set allowPrivilegeEscalation: false (and runAsNonRoot: true)",
                    value=c.name,
                )


RULES: tuple[Rule, ...] = (privileged, host_namespaces, host_path, added_capabilities, privilege_escalation)

_RBAC = "rbac.authorization.k8s.io"


def _wildcards(rules: Any) -> list[str]:
    found = []
    for r in sequence(rules):
        r = mapping(r)
        for field in ("verbs", "resources", "apiGroups"):
            if "*" in sequence(r.get(field)):
                found.append(field)
    return sorted(set(found))


def check_rbac(objects: Sequence[RenderedObject]) -> Iterator[Finding]:
    """Bindings that give a ServiceAccount `cluster-admin` or a role with wildcards
    (source: the RBAC good practices, "least privilege" and "avoid wildcards")."""
    roles: dict[tuple[str, str, str], dict[str, Any]] = {}
    for obj in objects:
        if group_of(obj.manifest) == _RBAC and obj.kind in ("Role", "ClusterRole"):
            roles[(obj.kind, obj.namespace, obj.name)] = obj.manifest
    for obj in objects:
        if group_of(obj.manifest) != _RBAC or obj.kind not in ("RoleBinding", "ClusterRoleBinding"):
            continue
        accounts = [
            f"{mapping(s).get('namespace') or obj.namespace}/{mapping(s).get('name')}"
            for s in sequence(obj.manifest.get("subjects"))
            if mapping(s).get("kind") == "ServiceAccount"
        ]
        if not accounts:
            continue
        ref = mapping(obj.manifest.get("roleRef"))
        kind, name = str(ref.get("kind", "")), str(ref.get("name", ""))
        who = ", ".join(accounts)
        if name == "cluster-admin" and kind == "ClusterRole":
            yield finding(
                obj,
                "security.cluster-admin",
                f"gives ServiceAccount {who} cluster-admin: full control of the whole cluster",
                "bind a role with only the verbs and resources the app uses",
                field="roleRef.name",
                value=name,
            )
            continue
        role = roles.get((kind, obj.namespace if kind == "Role" else "", name))
        wild = _wildcards(role.get("rules")) if role is not None else []
        if wild:
            yield finding(
                obj,
                "security.wildcard-role",
                f"gives ServiceAccount {who} {kind} {name}, whose rules use '*' in {', '.join(wild)}",
                "list the verbs, resources and API groups the app uses",
                field="roleRef.name",
                value=name,
            )
