"""Pod Security Admission: a namespace's Pod Security level, applied to the pods in it.

A Namespace labelled `pod-security.kubernetes.io/enforce: baseline|restricted` (at
`pod-security.kubernetes.io/enforce-version`, default `latest`) makes the API server
refuse every pod that violates the level. For a Deployment, StatefulSet, DaemonSet, Job
or CronJob the object itself is admitted, but the pods its controller makes are refused,
so the app never starts: an error. The `warn` and `audit` labels make the API server
warn or record instead: a warning. Docs:
kubernetes.io/docs/concepts/security/pod-security-admission and
kubernetes.io/docs/concepts/security/pod-security-standards.

The checks follow the reference implementation, k8s.io/pod-security-admission/policy
(`check_*.go`, Kubernetes v1.34), one function per check, each citing its file, with
the versions at which a check changed. Not modelled: exemptions in the API server's
AdmissionConfiguration (K3s sets none by default) and the relaxations for pods in a
user namespace (`hostUsers: false`), feature-gated in v1.34.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from fako.rendered import RenderedObject
from fako.validation.findings import Finding, finding
from fako.validation.inventory import group_of
from fako.validation.pods import PodTemplate, mapping, pod_templates, sequence

__all__ = ["CHECKS", "LEVELS", "PodCheck", "check_namespace_labels", "check_pod_security"]

LEVELS = ("privileged", "baseline", "restricted")
"""The Pod Security levels, least to most restrictive."""
_PREFIX = "pod-security.kubernetes.io/"
_MODES = ("enforce", "warn", "audit")
_VERSION = re.compile(r"^v1\.(0|[1-9][0-9]*)$")

Version = tuple[int, int]


@dataclass(frozen=True)
class _Pod:
    """What a check sees: the pod template's annotations and spec."""

    annotations: dict[str, Any]
    spec: dict[str, Any]

    def containers(self) -> Iterator[dict[str, Any]]:
        """Containers, init containers and ephemeral containers (PSA's `visitContainers`)."""
        for field in ("containers", "initContainers", "ephemeralContainers"):
            for c in sequence(self.spec.get(field)):
                if isinstance(c, dict):
                    yield c

    @property
    def context(self) -> dict[str, Any]:
        return mapping(self.spec.get("securityContext"))

    @property
    def windows(self) -> bool:
        return mapping(self.spec.get("os")).get("name") == "windows"


@dataclass(frozen=True)
class _Violation:
    detail: str
    value: str


def _names(items: Sequence[str]) -> str:
    return ", ".join(f'"{n}"' for n in items)


def _containers(names: Sequence[str]) -> str:
    return f"{'container' if len(names) == 1 else 'containers'} {_names(names)}"


def _ctx(container: dict[str, Any]) -> dict[str, Any]:
    return mapping(container.get("securityContext"))


def _cname(container: dict[str, Any]) -> str:
    return str(container.get("name", "?"))


CheckFunc = Callable[[_Pod, Version], "_Violation | None"]


@dataclass(frozen=True)
class PodCheck:
    """One PSA check: its id (as PSA names it), level, source file, first version, and the
    baseline checks it replaces at the restricted level."""

    id: str
    level: Literal["baseline", "restricted"]
    source: str
    func: CheckFunc
    since: Version = (1, 0)
    overrides: tuple[str, ...] = ()

    @property
    def check(self) -> str:
        """The finding's check id: `psa.` and the PSA id in kebab case."""
        return "psa." + re.sub(r"(?<=[a-z])([A-Z])", r"-\1", self.id).replace("_", "-").lower()


# -- baseline ---------------------------------------------------------------------------------


def host_namespaces(pod: _Pod, version: Version) -> _Violation | None:
    """hostNetwork, hostPID and hostIPC must be unset or false (check_hostNamespaces.go)."""
    used = [f"{f}=true" for f in ("hostNetwork", "hostPID", "hostIPC") if pod.spec.get(f) is True]
    return _Violation(f"the pod must not set {', '.join(used)}", ", ".join(used)) if used else None


def privileged(pod: _Pod, version: Version) -> _Violation | None:
    """securityContext.privileged must be unset or false (check_privileged.go)."""
    bad = [_cname(c) for c in pod.containers() if _ctx(c).get("privileged") is True]
    return (
        _Violation(f"{_containers(bad)} must not set securityContext.privileged=true", ", ".join(bad)) if bad else None
    )


BASELINE_CAPABILITIES = frozenset(
    {
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    }
)
"""What check_capabilities_baseline.go lets a container add (compared exactly: `CAP_CHOWN` is not `CHOWN`)."""


def capabilities_baseline(pod: _Pod, version: Version) -> _Violation | None:
    """capabilities.add only from the runtime's default set (check_capabilities_baseline.go)."""
    bad: list[str] = []
    caps: list[str] = []
    for c in pod.containers():
        added = [str(a) for a in sequence(mapping(_ctx(c).get("capabilities")).get("add"))]
        extra = [a for a in added if a not in BASELINE_CAPABILITIES]
        if extra:
            bad.append(_cname(c))
            caps.extend(a for a in extra if a not in caps)
    if not bad:
        return None
    return _Violation(
        f"{_containers(bad)} must not include {_names(sorted(caps))} in securityContext.capabilities.add",
        ", ".join(sorted(caps)),
    )


def host_path_volumes(pod: _Pod, version: Version) -> _Violation | None:
    """No hostPath volumes (check_hostPathVolumes.go)."""
    bad = [str(mapping(v).get("name", "?")) for v in sequence(pod.spec.get("volumes")) if "hostPath" in mapping(v)]
    return _Violation(f"hostPath volumes {_names(bad)}", ", ".join(bad)) if bad else None


def host_ports(pod: _Pod, version: Version) -> _Violation | None:
    """No non-zero hostPort (check_hostPorts.go)."""
    bad: list[str] = []
    ports: list[str] = []
    for c in pod.containers():
        used = [str(mapping(p)["hostPort"]) for p in sequence(c.get("ports")) if mapping(p).get("hostPort")]
        if used:
            bad.append(_cname(c))
            ports.extend(used)
    return _Violation(f"{_containers(bad)} use hostPorts {', '.join(ports)}", ", ".join(ports)) if bad else None


_APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"


def app_armor_profile(pod: _Pod, version: Version) -> _Violation | None:
    """AppArmor: annotations `runtime/default`, `localhost/*` or empty; the
    `appArmorProfile.type` fields RuntimeDefault or Localhost, never Unconfined
    (check_appArmorProfile.go)."""
    bad: list[str] = []
    for key, value in sorted(pod.annotations.items()):
        text = str(value)
        allowed = text in ("", "runtime/default") or text.startswith("localhost/")
        if str(key).startswith(_APPARMOR_ANNOTATION) and not allowed:
            bad.append(f'{key}="{text}"')
    contexts = [("pod", pod.context)] + [(f'container "{_cname(c)}"', _ctx(c)) for c in pod.containers()]
    for who, context in contexts:
        if mapping(context.get("appArmorProfile")).get("type") == "Unconfined":
            bad.append(f"{who} appArmorProfile.type=Unconfined")
    return _Violation(f"forbidden AppArmor profile: {', '.join(bad)}", ", ".join(bad)) if bad else None


def se_linux_options(pod: _Pod, version: Version) -> _Violation | None:
    """seLinuxOptions: type empty, container_t, container_init_t, container_kvm_t (and
    container_engine_t from v1.31); user and role unset (check_seLinuxOptions.go)."""
    allowed = {"", "container_t", "container_init_t", "container_kvm_t"}
    if version >= (1, 31):
        allowed.add("container_engine_t")
    bad: list[str] = []
    contexts = [("pod", pod.context)] + [(f'container "{_cname(c)}"', _ctx(c)) for c in pod.containers()]
    for who, context in contexts:
        options = mapping(context.get("seLinuxOptions"))
        wrong = []
        if str(options.get("type") or "") not in allowed:
            wrong.append(f"type {options['type']}")
        wrong.extend(f"{f} {options[f]}" for f in ("user", "role") if options.get(f))
        if wrong:
            bad.append(f"{who} ({', '.join(wrong)})")
    return _Violation(f"forbidden securityContext.seLinuxOptions: {'; '.join(bad)}", "; ".join(bad)) if bad else None


def proc_mount(pod: _Pod, version: Version) -> _Violation | None:
    """securityContext.procMount unset or Default (check_procMount.go; v1.35 relaxes it
    for pods in a user namespace, check_procMount_baseline.go)."""
    bad = [_cname(c) for c in pod.containers() if _ctx(c).get("procMount") not in (None, "Default")]
    return _Violation(f"{_containers(bad)} must not set securityContext.procMount", ", ".join(bad)) if bad else None


def seccomp_profile_baseline(pod: _Pod, version: Version) -> _Violation | None:
    """seccompProfile.type must not be Unconfined (check_seccompProfile_baseline.go)."""
    bad = ["pod"] if mapping(pod.context.get("seccompProfile")).get("type") == "Unconfined" else []
    bad.extend(
        f'container "{_cname(c)}"'
        for c in pod.containers()
        if mapping(_ctx(c).get("seccompProfile")).get("type") == "Unconfined"
    )
    if not bad:
        return None
    return _Violation(
        f"{' and '.join(bad)} must not set securityContext.seccompProfile.type to Unconfined", ", ".join(bad)
    )


_SYSCTLS: tuple[tuple[Version, frozenset[str]], ...] = (
    (
        (1, 0),
        frozenset(
            {
                "kernel.shm_rmid_forced",
                "net.ipv4.ip_local_port_range",
                "net.ipv4.tcp_syncookies",
                "net.ipv4.ping_group_range",
                "net.ipv4.ip_unprivileged_port_start",
            }
        ),
    ),
    ((1, 27), frozenset({"net.ipv4.ip_local_reserved_ports"})),
    (
        (1, 29),
        frozenset(
            {
                "net.ipv4.tcp_keepalive_time",
                "net.ipv4.tcp_fin_timeout",
                "net.ipv4.tcp_keepalive_intvl",
                "net.ipv4.tcp_keepalive_probes",
            }
        ),
    ),
    ((1, 32), frozenset({"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"})),
)
"""The safe sysctls of check_sysctls.go, by the version that added them."""


def sysctls(pod: _Pod, version: Version) -> _Violation | None:
    """Only the safe, namespaced sysctls (check_sysctls.go; the set grew in 1.27, 1.29, 1.32)."""
    allowed = {name for since, names in _SYSCTLS if version >= since for name in names}
    bad = [str(mapping(s).get("name")) for s in sequence(pod.context.get("sysctls"))]
    bad = [name for name in bad if name not in allowed]
    return _Violation(f"forbidden sysctls {', '.join(bad)}", ", ".join(bad)) if bad else None


def windows_host_process(pod: _Pod, version: Version) -> _Violation | None:
    """windowsOptions.hostProcess must not be true (check_windowsHostProcess.go)."""
    bad = ["pod"] if mapping(pod.context.get("windowsOptions")).get("hostProcess") is True else []
    bad.extend(
        f'container "{_cname(c)}"'
        for c in pod.containers()
        if mapping(_ctx(c).get("windowsOptions")).get("hostProcess") is True
    )
    if not bad:
        return None
    return _Violation(
        f"{' and '.join(bad)} must not set securityContext.windowsOptions.hostProcess=true", ", ".join(bad)
    )


def host_probes_and_host_lifecycle(pod: _Pod, version: Version) -> _Violation | None:
    """Probes and lifecycle handlers must not set `host` (check_hostProbesAndhostLifecycle.go, v1.34+)."""
    bad: list[str] = []
    hosts: list[str] = []
    for c in pod.containers():
        handlers = [mapping(c.get(p)) for p in ("livenessProbe", "readinessProbe", "startupProbe")]
        lifecycle = mapping(c.get("lifecycle"))
        handlers.extend(mapping(lifecycle.get(h)) for h in ("postStart", "preStop"))
        used = [
            str(mapping(h.get(k))["host"])
            for h in handlers
            for k in ("httpGet", "tcpSocket")
            if mapping(h.get(k)).get("host")
        ]
        if used:
            bad.append(_cname(c))
            hosts.extend(u for u in used if u not in hosts)
    if not bad:
        return None
    return _Violation(f"{_containers(bad)} use probe or lifecycle hosts {_names(hosts)}", ", ".join(hosts))


# -- restricted -------------------------------------------------------------------------------

_RESTRICTED_VOLUMES = frozenset(
    {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"}
)


def restricted_volumes(pod: _Pod, version: Version) -> _Violation | None:
    """Only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim,
    projected and secret volumes (check_restrictedVolumes.go)."""
    bad: list[str] = []
    for v in sequence(pod.spec.get("volumes")):
        kinds = set(mapping(v)) - {"name"}
        if not kinds & _RESTRICTED_VOLUMES:
            bad.append(f"{mapping(v).get('name', '?')} ({', '.join(sorted(kinds)) or 'no source'})")
    return _Violation(f"volumes {', '.join(bad)} have restricted types", ", ".join(bad)) if bad else None


def allow_privilege_escalation(pod: _Pod, version: Version) -> _Violation | None:
    """Every container sets allowPrivilegeEscalation=false (check_allowPrivilegeEscalation.go;
    Windows pods exempt from v1.25)."""
    if version >= (1, 25) and pod.windows:
        return None
    bad = [_cname(c) for c in pod.containers() if _ctx(c).get("allowPrivilegeEscalation") is not False]
    if not bad:
        return None
    return _Violation(f"{_containers(bad)} must set securityContext.allowPrivilegeEscalation=false", ", ".join(bad))


def run_as_non_root(pod: _Pod, version: Version) -> _Violation | None:
    """runAsNonRoot=true on the pod (not overridden with false) or on every container
    (check_runAsNonRoot.go)."""
    setters: list[str] = []
    pod_true = False
    if "runAsNonRoot" in pod.context:
        if pod.context["runAsNonRoot"] is False:
            setters.append("pod")
        else:
            pod_true = pod.context["runAsNonRoot"] is True
    explicit = [_cname(c) for c in pod.containers() if _ctx(c).get("runAsNonRoot") is False]
    implicit = [_cname(c) for c in pod.containers() if "runAsNonRoot" not in _ctx(c) and not pod_true]
    if explicit:
        setters.append(_containers(explicit))
    if setters:
        return _Violation(
            f"{' and '.join(setters)} must not set securityContext.runAsNonRoot=false", ", ".join(setters)
        )
    if implicit:
        return _Violation(
            f"pod or {_containers(implicit)} must set securityContext.runAsNonRoot=true", ", ".join(implicit)
        )
    return None


def run_as_user(pod: _Pod, version: Version) -> _Violation | None:
    """runAsUser must not be 0 on the pod or any container (check_runAsUser.go, v1.23+)."""
    bad = ["pod"] if pod.context.get("runAsUser") == 0 else []
    bad.extend(f'container "{_cname(c)}"' for c in pod.containers() if _ctx(c).get("runAsUser") == 0)
    return _Violation(f"{' and '.join(bad)} must not set runAsUser=0", ", ".join(bad)) if bad else None


def _seccomp_ok(context: dict[str, Any]) -> bool | None:
    """True/False when a seccompProfile is set (allowed or not), None when unset."""
    if "seccompProfile" not in context:
        return None
    return mapping(context["seccompProfile"]).get("type") in ("RuntimeDefault", "Localhost")


def seccomp_profile_restricted(pod: _Pod, version: Version) -> _Violation | None:
    """seccompProfile.type RuntimeDefault or Localhost on the pod or every container
    (check_seccompProfile_restricted.go, v1.19+; Windows pods exempt from v1.25)."""
    if version >= (1, 25) and pod.windows:
        return None
    pod_ok = _seccomp_ok(pod.context)
    setters = ["pod"] if pod_ok is False else []
    explicit = [_cname(c) for c in pod.containers() if _seccomp_ok(_ctx(c)) is False]
    implicit = [_cname(c) for c in pod.containers() if _seccomp_ok(_ctx(c)) is None and not pod_ok]
    if explicit:
        setters.append(_containers(explicit))
    if setters:
        return _Violation(
            f"{' and '.join(setters)} must not set securityContext.seccompProfile.type to Unconfined",
            ", ".join(setters),
        )
    if implicit:
        return _Violation(
            f'pod or {_containers(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
            ", ".join(implicit),
        )
    return None


def capabilities_restricted(pod: _Pod, version: Version) -> _Violation | None:
    """Every container drops ALL and adds at most NET_BIND_SERVICE
    (check_capabilities_restricted.go, v1.22+; Windows pods exempt from v1.25)."""
    if version >= (1, 25) and pod.windows:
        return None
    no_drop: list[str] = []
    adding: list[str] = []
    caps: list[str] = []
    for c in pod.containers():
        capabilities = mapping(_ctx(c).get("capabilities"))
        if "ALL" not in [str(d) for d in sequence(capabilities.get("drop"))]:
            no_drop.append(_cname(c))
        extra = [str(a) for a in sequence(capabilities.get("add")) if a != "NET_BIND_SERVICE"]
        if extra:
            adding.append(_cname(c))
            caps.extend(a for a in extra if a not in caps)
    details = []
    if no_drop:
        details.append(f'{_containers(no_drop)} must set securityContext.capabilities.drop=["ALL"]')
    if adding:
        details.append(
            f"{_containers(adding)} must not include {_names(sorted(caps))} in securityContext.capabilities.add"
        )
    return _Violation("; ".join(details), ", ".join([*no_drop, *caps])) if details else None


CHECKS: tuple[PodCheck, ...] = (
    PodCheck("hostNamespaces", "baseline", "check_hostNamespaces.go", host_namespaces),
    PodCheck("privileged", "baseline", "check_privileged.go", privileged),
    PodCheck("capabilities_baseline", "baseline", "check_capabilities_baseline.go", capabilities_baseline),
    PodCheck("hostPathVolumes", "baseline", "check_hostPathVolumes.go", host_path_volumes),
    PodCheck("hostPorts", "baseline", "check_hostPorts.go", host_ports),
    PodCheck("appArmorProfile", "baseline", "check_appArmorProfile.go", app_armor_profile),
    PodCheck("seLinuxOptions", "baseline", "check_seLinuxOptions.go", se_linux_options),
    PodCheck("procMount", "baseline", "check_procMount.go", proc_mount),
    PodCheck("seccompProfile_baseline", "baseline", "check_seccompProfile_baseline.go", seccomp_profile_baseline),
    PodCheck("sysctls", "baseline", "check_sysctls.go", sysctls),
    PodCheck("windowsHostProcess", "baseline", "check_windowsHostProcess.go", windows_host_process),
    PodCheck(
        "hostProbesAndHostLifecycle",
        "baseline",
        "check_hostProbesAndhostLifecycle.go",
        host_probes_and_host_lifecycle,
        since=(1, 34),
    ),
    PodCheck(
        "restrictedVolumes",
        "restricted",
        "check_restrictedVolumes.go",
        restricted_volumes,
        overrides=("hostPathVolumes",),
    ),
    PodCheck(
        "allowPrivilegeEscalation",
        "restricted",
        "check_allowPrivilegeEscalation.go",
        allow_privilege_escalation,
        since=(1, 8),
    ),
    PodCheck("runAsNonRoot", "restricted", "check_runAsNonRoot.go", run_as_non_root),
    PodCheck("runAsUser", "restricted", "check_runAsUser.go", run_as_user, since=(1, 23)),
    PodCheck(
        "seccompProfile_restricted",
        "restricted",
        "check_seccompProfile_restricted.go",
        seccomp_profile_restricted,
        since=(1, 19),
        overrides=("seccompProfile_baseline",),
    ),
    PodCheck(
        "capabilities_restricted",
        "restricted",
        "check_capabilities_restricted.go",
        capabilities_restricted,
        since=(1, 22),
        overrides=("capabilities_baseline",),
    ),
)
"""Every check of the Baseline and Restricted levels, in the reference implementation's words."""


# -- namespaces and levels --------------------------------------------------------------------


@dataclass(frozen=True)
class _Policy:
    """One mode of a namespace: its level and the version its checks are evaluated at."""

    mode: str
    level: str
    version: Version
    label: str


def _version(text: str, cluster: Version) -> Version | None:
    """`latest` or `v1.N` (capped at the cluster's version); None when malformed."""
    if text in ("", "latest"):
        return cluster
    match = _VERSION.match(text)
    if not match:
        return None
    return min((1, int(match.group(1))), cluster)


def _cluster_version(kubernetes: str) -> Version:
    major, minor = kubernetes.split(".")[:2]
    return int(major), int(minor)


def _policies(labels: dict[str, Any], cluster: Version) -> list[_Policy]:
    found: list[_Policy] = []
    for mode in _MODES:
        level = labels.get(_PREFIX + mode)
        if level not in ("baseline", "restricted"):
            continue
        raw = str(labels.get(f"{_PREFIX}{mode}-version", "latest"))
        version = _version(raw, cluster)
        if version is None:
            continue
        label = "latest" if raw in ("", "latest") else raw
        found.append(_Policy(mode, str(level), version, label))
    return found


def _applicable(level: str, version: Version) -> list[PodCheck]:
    wanted = ("baseline",) if level == "baseline" else ("baseline", "restricted")
    chosen = [c for c in CHECKS if c.level in wanted and version >= c.since]
    overridden = {o for c in chosen for o in c.overrides}
    return [c for c in chosen if c.id not in overridden]


def _pod_annotations(obj: RenderedObject) -> dict[str, Any]:
    spec = mapping(obj.manifest.get("spec"))
    if obj.kind == "Pod":
        return mapping(mapping(obj.manifest.get("metadata")).get("annotations"))
    if obj.kind == "CronJob":
        template = mapping(mapping(mapping(spec.get("jobTemplate")).get("spec")).get("template"))
    else:
        template = mapping(spec.get("template"))
    return mapping(mapping(template.get("metadata")).get("annotations"))


def _namespace_labels(objects: Sequence[RenderedObject]) -> dict[str, dict[str, Any]]:
    return {
        o.name: mapping(mapping(o.manifest.get("metadata")).get("labels"))
        for o in objects
        if o.kind == "Namespace" and group_of(o.manifest) == ""
    }


def check_pod_security(objects: Sequence[RenderedObject], kubernetes_version: str = "1.34") -> Iterator[Finding]:
    """Pod templates that the Pod Security level of their namespace refuses (enforce:
    error) or warns about (warn, audit: warning); one finding per check, naming the level,
    its version and the reference check file.

    Source: staging/src/k8s.io/pod-security-admission/admission/admission.go
    (`EvaluatePod`; workload resources are only warned about, their pods are refused)
    and policy/check_*.go, Kubernetes v1.34.
    """
    cluster = _cluster_version(kubernetes_version)
    namespaces = {ns: _policies(labels, cluster) for ns, labels in _namespace_labels(objects).items()}
    for obj in objects:
        policies = namespaces.get(obj.namespace)
        if not policies:
            continue
        for template in pod_templates(obj):
            yield from _evaluate(obj, template, policies)


def _evaluate(obj: RenderedObject, template: PodTemplate, policies: list[_Policy]) -> Iterator[Finding]:
    pod = _Pod(_pod_annotations(obj), template.spec)
    refused: set[str] = set()
    warned: dict[tuple[str, str], list[str]] = {}
    ns = obj.namespace
    for policy in sorted(policies, key=lambda p: _MODES.index(p.mode)):
        for check in _applicable(policy.level, policy.version):
            if check.id in refused:
                continue
            violation = check.func(pod, policy.version)
            if violation is None:
                continue
            level = f"'{policy.level}' ({policy.label})"
            if policy.mode == "enforce":
                refused.add(check.id)
                yield finding(
                    obj,
                    check.check,
                    f"namespace '{ns}' enforces Pod Security {level}: {violation.detail}; the API server "
                    + (
                        "refuses the Pod"
                        if obj.kind == "Pod"
                        else f"refuses the pods, so the {obj.kind} never runs one"
                    ),
                    f"change the pod spec, or lower the namespace's enforce level (source: {check.source})",
                    field=template.at,
                    value=violation.value,
                )
            else:
                modes = warned.setdefault((check.id, violation.detail), [])
                if not modes:
                    yield finding(
                        obj,
                        check.check,
                        f"namespace '{ns}' has Pod Security {policy.mode}={policy.level} ({policy.label}): "
                        f"{violation.detail}; the API server admits the pods but "
                        + ("warns" if policy.mode == "warn" else "records it in the audit log"),
                        f"change the pod spec before enforcing the level (source: {check.source})",
                        severity="warning",
                        field=template.at,
                        value=violation.value,
                    )
                modes.append(policy.mode)


def check_namespace_labels(objects: Sequence[RenderedObject]) -> Iterator[Finding]:
    """Pod Security labels with a value the API server refuses on the Namespace: a level
    other than privileged, baseline, restricted; a version other than `latest` or `v1.N`
    (staging/src/k8s.io/pod-security-admission/admission/admission.go `ValidateNamespace`,
    api/helpers.go `ParseLevel`/`ParseVersion`, Kubernetes v1.34)."""
    for obj in objects:
        if obj.kind != "Namespace" or group_of(obj.manifest) != "":
            continue
        labels = mapping(mapping(obj.manifest.get("metadata")).get("labels"))
        for mode in _MODES:
            key = _PREFIX + mode
            if key in labels and labels[key] not in LEVELS:
                yield finding(
                    obj,
                    "psa.label",
                    f"label {key} is {labels[key]!r}, not a Pod Security level; the API server refuses the Namespace",
                    f"use one of {', '.join(LEVELS)}",
                    field=f"metadata.labels.{key}",
                    value=str(labels[key]),
                )
            version_key = f"{key}-version"
            if version_key in labels and _version(str(labels[version_key]), (1, 10_000)) is None:
                yield finding(
                    obj,
                    "psa.label",
                    f"label {version_key} is {labels[version_key]!r}, not 'latest' or 'v1.N'; the API server "
                    "refuses the Namespace",
                    "use 'latest' or a Kubernetes minor version such as 'v1.34'",
                    field=f"metadata.labels.{version_key}",
                    value=str(labels[version_key]),
                )
