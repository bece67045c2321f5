"""fako.validation.psa, pinned check by check (mutation tests): each check function on a
hand-built pod with its exact detail and value, versions at their boundaries, the
namespace modes and labels. Expected values follow k8s.io/pod-security-admission/policy."""

from __future__ import annotations

from typing import Any

from fako.rendered import RenderedObject
from fako.validation.findings import Finding
from fako.validation.psa import (
    CHECKS,
    _applicable,
    _cluster_version,
    _containers,
    _names,
    _Pod,
    _policies,
    _Policy,
    _version,
    _Violation,
    allow_privilege_escalation,
    app_armor_profile,
    capabilities_baseline,
    capabilities_restricted,
    check_namespace_labels,
    check_pod_security,
    host_namespaces,
    host_path_volumes,
    host_ports,
    host_probes_and_host_lifecycle,
    privileged,
    proc_mount,
    restricted_volumes,
    run_as_non_root,
    run_as_user,
    se_linux_options,
    seccomp_profile_baseline,
    seccomp_profile_restricted,
    sysctls,
    windows_host_process,
)

V = (1, 34)


def pod(*containers: dict[str, Any], annotations: dict[str, Any] | None = None, **spec: Any) -> _Pod:
    return _Pod(annotations or {}, {"containers": list(containers), **spec})


def c(name: str, **context: Any) -> dict[str, Any]:
    return {"name": name, "securityContext": context}


def v(detail: str, value: str) -> _Violation:
    return _Violation(detail, value)


def test_pod_containers_visit_every_kind_in_psa_order() -> None:
    p = _Pod(
        {},
        {"initContainers": [{"name": "i"}], "ephemeralContainers": [{"name": "e"}, "x"], "containers": [{"name": "a"}]},
    )
    assert [x["name"] for x in p.containers()] == ["a", "i", "e"]
    assert list(_Pod({}, {"containers": None}).containers()) == []


def test_names_and_containers() -> None:
    assert _names(["a", "b"]) == '"a", "b"'
    assert _containers(["a"]) == 'container "a"'
    assert _containers(["a", "b"]) == 'containers "a", "b"'


def test_host_namespaces() -> None:
    assert host_namespaces(pod(), V) is None
    assert host_namespaces(pod(hostNetwork=False, hostPID="true"), V) is None
    assert host_namespaces(pod(hostNetwork=True, hostPID=True, hostIPC=True), V) == v(
        "the pod must not set hostNetwork=true, hostPID=true, hostIPC=true",
        "hostNetwork=true, hostPID=true, hostIPC=true",
    )
    assert host_namespaces(pod(hostIPC=True), V) == v("the pod must not set hostIPC=true", "hostIPC=true")


def test_privileged() -> None:
    assert privileged(pod(c("a", privileged=False), {"name": "b"}), V) is None
    assert privileged(pod(c("a", privileged=True), c("b", privileged=True)), V) == v(
        'containers "a", "b" must not set securityContext.privileged=true', "a, b"
    )
    assert privileged(pod({"securityContext": {"privileged": True}}), V) == v(
        'container "?" must not set securityContext.privileged=true', "?"
    )


def test_capabilities_baseline() -> None:
    ok = c("a", capabilities={"add": ["CHOWN", "NET_BIND_SERVICE", "SYS_CHROOT", "AUDIT_WRITE"]})
    assert capabilities_baseline(pod(ok, {"name": "b"}), V) is None
    bad = pod(
        c("a", capabilities={"add": ["SYS_ADMIN", "CHOWN", "NET_ADMIN"]}),
        c("b", capabilities={"add": ["NET_ADMIN", "CAP_CHOWN"]}),
        ok,
    )
    assert capabilities_baseline(bad, V) == v(
        'containers "a", "b" must not include "CAP_CHOWN", "NET_ADMIN", "SYS_ADMIN" in securityContext.capabilities.add',
        "CAP_CHOWN, NET_ADMIN, SYS_ADMIN",
    )


def test_every_baseline_capability_is_allowed() -> None:
    caps = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE"]
    caps += ["SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]
    assert capabilities_baseline(pod(c("a", capabilities={"add": caps})), V) is None


def test_host_path_volumes() -> None:
    assert host_path_volumes(pod(volumes=[{"name": "d", "emptyDir": {}}]), V) is None
    vols = [{"name": "h", "hostPath": {"path": "/"}}, {"hostPath": {}}, {"name": "e", "emptyDir": {}}]
    assert host_path_volumes(pod(volumes=vols), V) == v('hostPath volumes "h", "?"', "h, ?")


def test_host_ports() -> None:
    assert host_ports(pod({"name": "a", "ports": [{"containerPort": 80}, {"hostPort": 0}]}), V) is None
    p = pod(
        {"name": "a", "ports": [{"hostPort": 80}, {"containerPort": 1}, {"hostPort": 443}]},
        {"name": "b", "ports": [{"hostPort": 8080}]},
        {"name": "c"},
    )
    assert host_ports(p, V) == v('containers "a", "b" use hostPorts 80, 443, 8080', "80, 443, 8080")
    assert host_ports(pod({"name": "a", "ports": [{"hostPort": 9}]}), V) == v('container "a" use hostPorts 9', "9")


def test_app_armor_profile() -> None:
    fine = {
        "container.apparmor.security.beta.kubernetes.io/a": "runtime/default",
        "container.apparmor.security.beta.kubernetes.io/b": "localhost/mine",
        "container.apparmor.security.beta.kubernetes.io/c": "",
        "other/x": "unconfined",
    }
    p = pod(
        c("a", appArmorProfile={"type": "RuntimeDefault"}),
        annotations=fine,
        securityContext={"appArmorProfile": {"type": "Localhost"}},
    )
    assert app_armor_profile(p, V) is None
    bad = pod(
        c("a", appArmorProfile={"type": "Unconfined"}),
        c("b"),
        annotations={
            "container.apparmor.security.beta.kubernetes.io/z": "unconfined",
            "container.apparmor.security.beta.kubernetes.io/a": "runtime/defaultx",
        },
        securityContext={"appArmorProfile": {"type": "Unconfined"}},
    )
    detail = (
        'container.apparmor.security.beta.kubernetes.io/a="runtime/defaultx", '
        'container.apparmor.security.beta.kubernetes.io/z="unconfined", '
        'pod appArmorProfile.type=Unconfined, container "a" appArmorProfile.type=Unconfined'
    )
    assert app_armor_profile(bad, V) == v(f"forbidden AppArmor profile: {detail}", detail)
    assert app_armor_profile(pod(annotations={"x/localhost/": "bad"}), V) is None


def test_se_linux_options() -> None:
    for t in ("", "container_t", "container_init_t", "container_kvm_t", None):
        assert se_linux_options(pod(c("a", seLinuxOptions={"type": t, "level": "s0"})), V) is None
    engine = pod(c("a", seLinuxOptions={"type": "container_engine_t"}))
    assert se_linux_options(engine, (1, 31)) is None
    assert se_linux_options(engine, (1, 30)) == v(
        'forbidden securityContext.seLinuxOptions: container "a" (type container_engine_t)',
        'container "a" (type container_engine_t)',
    )
    bad = pod(
        c("a", seLinuxOptions={"type": "spc_t", "user": "root", "role": "r"}),
        c("b", seLinuxOptions={"user": "u"}),
        securityContext={"seLinuxOptions": {"role": "sysadm"}},
    )
    detail = 'pod (role sysadm); container "a" (type spc_t, user root, role r); container "b" (user u)'
    assert se_linux_options(bad, V) == v(f"forbidden securityContext.seLinuxOptions: {detail}", detail)


def test_proc_mount() -> None:
    assert proc_mount(pod(c("a", procMount="Default"), c("b")), V) is None
    assert proc_mount(pod(c("a", procMount="Unmasked"), c("b", procMount="")), V) == v(
        'containers "a", "b" must not set securityContext.procMount', "a, b"
    )


def test_seccomp_profile_baseline() -> None:
    fine = pod(
        c("a", seccompProfile={"type": "RuntimeDefault"}), securityContext={"seccompProfile": {"type": "Localhost"}}
    )
    assert seccomp_profile_baseline(fine, V) is None
    assert seccomp_profile_baseline(
        pod(c("a", seccompProfile={"type": "Unconfined"}), c("b", seccompProfile={"type": "Unconfined"})), V
    ) == v(
        'container "a" and container "b" must not set securityContext.seccompProfile.type to Unconfined',
        'container "a", container "b"',
    )
    assert seccomp_profile_baseline(pod(c("a"), securityContext={"seccompProfile": {"type": "Unconfined"}}), V) == v(
        "pod must not set securityContext.seccompProfile.type to Unconfined", "pod"
    )


def sysctl_pod(*names: str) -> _Pod:
    return pod(securityContext={"sysctls": [{"name": n, "value": "1"} for n in names]})


def test_sysctls_by_version() -> None:
    base = ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies"]
    base += ["net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"]
    assert sysctls(sysctl_pod(*base), (1, 0)) is None
    assert sysctls(pod(), V) is None
    steps = [
        ((1, 27), ["net.ipv4.ip_local_reserved_ports"]),
        (
            (1, 29),
            [
                "net.ipv4.tcp_keepalive_time",
                "net.ipv4.tcp_fin_timeout",
                "net.ipv4.tcp_keepalive_intvl",
                "net.ipv4.tcp_keepalive_probes",
            ],
        ),
        ((1, 32), ["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"]),
    ]
    for (major, minor), names in steps:
        assert sysctls(sysctl_pod(*names), (major, minor)) is None
        listed = ", ".join(names)
        assert sysctls(sysctl_pod(*names), (major, minor - 1)) == v(f"forbidden sysctls {listed}", listed)
    assert sysctls(sysctl_pod("kernel.msgmax", "net.ipv4.tcp_syncookies", "vm.x"), V) == v(
        "forbidden sysctls kernel.msgmax, vm.x", "kernel.msgmax, vm.x"
    )
    assert sysctls(pod(securityContext={"sysctls": [{"value": "1"}]}), V) == v("forbidden sysctls None", "None")


def test_windows_host_process() -> None:
    assert windows_host_process(pod(c("a", windowsOptions={"hostProcess": False})), V) is None
    both = pod(c("a", windowsOptions={"hostProcess": True}), securityContext={"windowsOptions": {"hostProcess": True}})
    assert windows_host_process(both, V) == v(
        'pod and container "a" must not set securityContext.windowsOptions.hostProcess=true', 'pod, container "a"'
    )
    assert windows_host_process(pod(c("b", windowsOptions={"hostProcess": True}), c("c")), V) == v(
        'container "b" must not set securityContext.windowsOptions.hostProcess=true', 'container "b"'
    )


def test_host_probes_and_host_lifecycle() -> None:
    fine = {
        "name": "a",
        "livenessProbe": {"httpGet": {"port": 80, "host": ""}},
        "lifecycle": {"preStop": {"tcpSocket": {"port": 1}}},
    }
    assert host_probes_and_host_lifecycle(pod(fine), V) is None
    a = {
        "name": "a",
        "livenessProbe": {"httpGet": {"host": "h1"}},
        "readinessProbe": {"tcpSocket": {"host": "h2"}},
        "startupProbe": {"httpGet": {"host": "h6"}},
        "lifecycle": {"postStart": {"httpGet": {"host": "h3"}}, "preStop": {"tcpSocket": {"host": "h4"}}},
    }
    b = {"name": "b", "readinessProbe": {"httpGet": {"host": "h5"}, "tcpSocket": {"host": "h2"}}}
    assert host_probes_and_host_lifecycle(pod(a, b, fine), V) == v(
        'containers "a", "b" use probe or lifecycle hosts "h1", "h2", "h6", "h3", "h4", "h5"', "h1, h2, h6, h3, h4, h5"
    )


def test_restricted_volumes() -> None:
    kinds = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]
    assert restricted_volumes(pod(volumes=[{"name": k, k: {}} for k in kinds]), V) is None
    vols = [{"name": "h", "hostPath": {}, "nfs": {}}, {"name": "n"}, {"nfs": {}}, {"name": "ok", "secret": {}}]
    assert restricted_volumes(pod(volumes=vols), V) == v(
        "volumes h (hostPath, nfs), n (no source), ? (nfs) have restricted types",
        "h (hostPath, nfs), n (no source), ? (nfs)",
    )


WINDOWS = {"name": "windows"}


def test_allow_privilege_escalation_and_windows_from_1_25() -> None:
    assert allow_privilege_escalation(pod(c("a", allowPrivilegeEscalation=False)), V) is None
    bad = pod(c("a", allowPrivilegeEscalation=True), c("b"), c("c", allowPrivilegeEscalation=False))
    expected = v('containers "a", "b" must set securityContext.allowPrivilegeEscalation=false', "a, b")
    assert allow_privilege_escalation(bad, V) == expected
    win = pod(c("a"), c("b", allowPrivilegeEscalation=True), os=WINDOWS)
    assert allow_privilege_escalation(win, (1, 25)) is None
    assert allow_privilege_escalation(win, (1, 24)) == expected
    linux = pod(c("a"), c("b", allowPrivilegeEscalation=True), os={"name": "linux"})
    assert allow_privilege_escalation(linux, V) == expected


def test_run_as_non_root() -> None:
    assert run_as_non_root(pod(c("a"), securityContext={"runAsNonRoot": True}), V) is None
    assert run_as_non_root(pod(c("a", runAsNonRoot=True)), V) is None
    assert run_as_non_root(pod(c("a", runAsNonRoot=True), c("b")), V) == v(
        'pod or container "b" must set securityContext.runAsNonRoot=true', "b"
    )
    assert run_as_non_root(pod(c("a"), c("b")), V) == v(
        'pod or containers "a", "b" must set securityContext.runAsNonRoot=true', "a, b"
    )
    assert run_as_non_root(pod(c("a"), securityContext={"runAsNonRoot": "yes"}), V) == v(
        'pod or container "a" must set securityContext.runAsNonRoot=true', "a"
    )
    assert run_as_non_root(pod(c("a", runAsNonRoot=True), securityContext={"runAsNonRoot": False}), V) == v(
        "pod must not set securityContext.runAsNonRoot=false", "pod"
    )
    assert run_as_non_root(
        pod(c("a", runAsNonRoot=False), c("b", runAsNonRoot=False), c("x"), securityContext={"runAsNonRoot": False}), V
    ) == v('pod and containers "a", "b" must not set securityContext.runAsNonRoot=false', 'pod, containers "a", "b"')
    assert run_as_non_root(pod(c("a", runAsNonRoot=False), securityContext={"runAsNonRoot": True}), V) == v(
        'container "a" must not set securityContext.runAsNonRoot=false', 'container "a"'
    )


def test_run_as_user() -> None:
    assert run_as_user(pod(c("a", runAsUser=1), securityContext={"runAsUser": 1000}), V) is None
    assert run_as_user(pod(c("a", runAsUser=0), c("b", runAsUser=0), securityContext={"runAsUser": 0}), V) == v(
        'pod and container "a" and container "b" must not set runAsUser=0', 'pod, container "a", container "b"'
    )
    assert run_as_user(pod(c("a"), securityContext={"runAsUser": 0}), V) == v("pod must not set runAsUser=0", "pod")


def test_seccomp_profile_restricted() -> None:
    runtime = {"seccompProfile": {"type": "RuntimeDefault"}}
    assert seccomp_profile_restricted(pod(c("a"), securityContext=runtime), V) is None
    assert seccomp_profile_restricted(pod(c("a", seccompProfile={"type": "Localhost"})), V) is None
    need = 'must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"'
    assert seccomp_profile_restricted(pod(c("a", **runtime), c("b")), V) == v(f'pod or container "b" {need}', "b")
    assert seccomp_profile_restricted(pod(c("a"), c("b")), V) == v(f'pod or containers "a", "b" {need}', "a, b")
    assert seccomp_profile_restricted(pod(c("a", seccompProfile=None), securityContext=runtime), V) == v(
        'container "a" must not set securityContext.seccompProfile.type to Unconfined', 'container "a"'
    )
    unconfined = {"seccompProfile": {"type": "Unconfined"}}
    assert seccomp_profile_restricted(
        pod(c("a", **runtime), c("b", **unconfined), c("d", **unconfined), securityContext=unconfined), V
    ) == v(
        'pod and containers "b", "d" must not set securityContext.seccompProfile.type to Unconfined',
        'pod, containers "b", "d"',
    )
    win = pod(c("a"), os=WINDOWS)
    assert seccomp_profile_restricted(win, (1, 25)) is None
    assert seccomp_profile_restricted(win, (1, 24)) == v(f'pod or container "a" {need}', "a")


def test_capabilities_restricted() -> None:
    drop = {"drop": ["ALL"]}
    assert capabilities_restricted(pod(c("a", capabilities={**drop, "add": ["NET_BIND_SERVICE"]})), V) is None
    p = pod(
        c("a", capabilities={"drop": ["all", "NET_RAW"]}),
        c("b", capabilities={**drop, "add": ["SYS_ADMIN", "NET_BIND_SERVICE", "CHOWN"]}),
        c("c", capabilities={"add": ["CHOWN"]}),
        c("d", capabilities=drop),
    )
    assert capabilities_restricted(p, V) == v(
        'containers "a", "c" must set securityContext.capabilities.drop=["ALL"]; '
        'containers "b", "c" must not include "CHOWN", "SYS_ADMIN" in securityContext.capabilities.add',
        "a, c, SYS_ADMIN, CHOWN",
    )
    assert capabilities_restricted(pod(c("a", capabilities={**drop, "add": ["KILL"]})), V) == v(
        'container "a" must not include "KILL" in securityContext.capabilities.add', "KILL"
    )
    win = pod(c("a"), os=WINDOWS)
    assert capabilities_restricted(win, (1, 25)) is None
    assert capabilities_restricted(win, (1, 24)) == v(
        'container "a" must set securityContext.capabilities.drop=["ALL"]', "a"
    )


def test_checks_and_their_ids() -> None:
    assert [(x.check, x.level, x.since, x.overrides) for x in CHECKS] == [
        ("psa.host-namespaces", "baseline", (1, 0), ()),
        ("psa.privileged", "baseline", (1, 0), ()),
        ("psa.capabilities-baseline", "baseline", (1, 0), ()),
        ("psa.host-path-volumes", "baseline", (1, 0), ()),
        ("psa.host-ports", "baseline", (1, 0), ()),
        ("psa.app-armor-profile", "baseline", (1, 0), ()),
        ("psa.se-linux-options", "baseline", (1, 0), ()),
        ("psa.proc-mount", "baseline", (1, 0), ()),
        ("psa.seccomp-profile-baseline", "baseline", (1, 0), ()),
        ("psa.sysctls", "baseline", (1, 0), ()),
        ("psa.windows-host-process", "baseline", (1, 0), ()),
        ("psa.host-probes-and-host-lifecycle", "baseline", (1, 34), ()),
        ("psa.restricted-volumes", "restricted", (1, 0), ("hostPathVolumes",)),
        ("psa.allow-privilege-escalation", "restricted", (1, 8), ()),
        ("psa.run-as-non-root", "restricted", (1, 0), ()),
        ("psa.run-as-user", "restricted", (1, 23), ()),
        ("psa.seccomp-profile-restricted", "restricted", (1, 19), ("seccompProfile_baseline",)),
        ("psa.capabilities-restricted", "restricted", (1, 22), ("capabilities_baseline",)),
    ]


def test_version() -> None:
    assert _version("", (1, 30)) == (1, 30)
    assert _version("latest", (1, 30)) == (1, 30)
    assert _version("v1.25", (1, 30)) == (1, 25)
    assert _version("v1.30", (1, 30)) == (1, 30)
    assert _version("v1.31", (1, 30)) == (1, 30)
    assert _version("v1.0", (1, 30)) == (1, 0)
    for bad in ("1.25", "v1.025", "v2.1", "v1.", "v1.2x", "xv1.2", "Latest"):
        assert _version(bad, (1, 30)) is None
    assert _cluster_version("1.34") == (1, 34)
    assert _cluster_version("1.29.3") == (1, 29)


def test_policies() -> None:
    prefix = "pod-security.kubernetes.io/"
    labels = {
        prefix + "enforce": "baseline",
        prefix + "enforce-version": "v1.30",
        prefix + "warn": "restricted",
        prefix + "warn-version": "",
        prefix + "audit": "restricted",
        prefix + "audit-version": "bogus",
    }
    assert _policies(labels, (1, 34)) == [
        _Policy("enforce", "baseline", (1, 30), "v1.30"),
        _Policy("warn", "restricted", (1, 34), "latest"),
    ]
    assert _policies({prefix + "audit": "restricted"}, (1, 33)) == [_Policy("audit", "restricted", (1, 33), "latest")]
    assert _policies({prefix + "enforce": "privileged", prefix + "warn": "nope"}, V) == []
    assert _policies({prefix + "enforce": "privileged", prefix + "warn": "baseline"}, V) == [
        _Policy("warn", "baseline", V, "latest")
    ]
    assert _policies(
        {prefix + "enforce": "baseline", prefix + "enforce-version": "v1.x", prefix + "warn": "baseline"}, V
    ) == [_Policy("warn", "baseline", V, "latest")]


def test_applicable_checks_per_level_and_version() -> None:
    assert [x.id for x in _applicable("baseline", (1, 34))] == [
        "hostNamespaces", "privileged", "capabilities_baseline", "hostPathVolumes", "hostPorts", "appArmorProfile",
        "seLinuxOptions", "procMount", "seccompProfile_baseline", "sysctls", "windowsHostProcess",
        "hostProbesAndHostLifecycle",
    ]  # fmt: skip
    assert "hostProbesAndHostLifecycle" not in [x.id for x in _applicable("baseline", (1, 33))]
    assert [x.id for x in _applicable("restricted", (1, 34))] == [
        "hostNamespaces", "privileged", "hostPorts", "appArmorProfile", "seLinuxOptions", "procMount", "sysctls",
        "windowsHostProcess", "hostProbesAndHostLifecycle", "restrictedVolumes", "allowPrivilegeEscalation",
        "runAsNonRoot", "runAsUser", "seccompProfile_restricted", "capabilities_restricted",
    ]  # fmt: skip
    old = [x.id for x in _applicable("restricted", (1, 18))]
    assert "seccompProfile_baseline" in old and "capabilities_baseline" in old
    assert "runAsUser" not in old and "allowPrivilegeEscalation" in old
    assert "allowPrivilegeEscalation" not in [x.id for x in _applicable("restricted", (1, 7))]
    assert "runAsUser" in [x.id for x in _applicable("restricted", (1, 23))]
    assert "runAsUser" not in [x.id for x in _applicable("restricted", (1, 22))]
    assert "capabilities_restricted" in [x.id for x in _applicable("restricted", (1, 22))]
    assert "capabilities_restricted" not in [x.id for x in _applicable("restricted", (1, 21))]
    assert "seccompProfile_restricted" in [x.id for x in _applicable("restricted", (1, 19))]
    assert "allowPrivilegeEscalation" in [x.id for x in _applicable("restricted", (1, 8))]


# -- through check_pod_security -----------------------------------------------------------


def rendered(manifest: dict[str, Any]) -> RenderedObject:
    return RenderedObject("apps", "shop", manifest, "apps/shop/x.yaml", "cluster/apps/shop", "Shop", "fako.apps.shop:1")


def namespace(name: str = "shop", **labels: str) -> RenderedObject:
    full = {f"pod-security.kubernetes.io/{k.replace('_', '-')}": val for k, val in labels.items()}
    return rendered({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": full}})


ROOTY = {"name": "app", "image": "x:1", "securityContext": {"runAsUser": 0}}


def workload(
    kind: str, spec: dict[str, Any], annotations: dict[str, str] | None = None, ns: str = "shop"
) -> RenderedObject:
    meta: dict[str, Any] = {"annotations": annotations} if annotations is not None else {}
    if kind == "Pod":
        return rendered(
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "w", "namespace": ns, **meta}, "spec": spec}
        )
    template = {"metadata": meta, "spec": spec}
    body = {"jobTemplate": {"spec": {"template": template}}} if kind == "CronJob" else {"template": template}
    api = "batch/v1" if kind in ("Job", "CronJob") else "apps/v1"
    return rendered({"apiVersion": api, "kind": kind, "metadata": {"name": "w", "namespace": ns}, "spec": body})


def run(*objects: RenderedObject, version: str = "1.34") -> list[Finding]:
    return list(check_pod_security(list(objects), version))


HOSTNET = {"hostNetwork": True, "containers": [{"name": "a"}]}


def test_an_enforced_violation_names_level_source_and_field() -> None:
    (f,) = run(namespace(enforce="baseline"), workload("Deployment", HOSTNET))
    assert f.severity == "error"
    assert f.check == "psa.host-namespaces"
    assert f.ref == "Deployment/shop/w"
    assert f.field == "spec.template.spec"
    assert f.value == "hostNetwork=true"
    assert f.message == (
        "namespace 'shop' enforces Pod Security 'baseline' (latest): the pod must not set hostNetwork=true; "
        "the API server refuses the pods, so the Deployment never runs one"
    )
    assert f.fix == "change the pod spec, or lower the namespace's enforce level (source: check_hostNamespaces.go)"
    (p,) = run(namespace(enforce="baseline", enforce_version="v1.20"), workload("Pod", HOSTNET))
    assert p.message == (
        "namespace 'shop' enforces Pod Security 'baseline' (v1.20): the pod must not set hostNetwork=true; "
        "the API server refuses the Pod"
    )
    assert p.field == "spec"


def test_warn_and_audit_are_warnings_once_and_enforce_wins() -> None:
    (w,) = run(namespace(warn="baseline", audit="baseline"), workload("StatefulSet", HOSTNET))
    assert w.severity == "warning"
    assert w.check == "psa.host-namespaces"
    assert w.message == (
        "namespace 'shop' has Pod Security warn=baseline (latest): the pod must not set hostNetwork=true; "
        "the API server admits the pods but warns"
    )
    assert w.fix == "change the pod spec before enforcing the level (source: check_hostNamespaces.go)"
    assert w.field == "spec.template.spec" and w.value == "hostNetwork=true" and w.ref == "StatefulSet/shop/w"
    (a,) = run(namespace(audit="baseline", audit_version="v1.30"), workload("Job", HOSTNET))
    assert a.message == (
        "namespace 'shop' has Pod Security audit=baseline (v1.30): the pod must not set hostNetwork=true; "
        "the API server admits the pods but records it in the audit log"
    )
    both = run(namespace(enforce="baseline", warn="baseline"), workload("DaemonSet", HOSTNET))
    assert [x.severity for x in both] == ["error"]
    # audit and warn at different versions with different details are both reported
    caps = {
        "containers": [{"name": "a", "securityContext": {"sysctls": []}}],
        "securityContext": {"sysctls": [{"name": "net.ipv4.tcp_rmem"}, {"name": "net.ipv4.tcp_fin_timeout"}]},
    }
    two = run(
        namespace(warn="baseline", warn_version="v1.31", audit="baseline", audit_version="v1.28"),
        workload("Deployment", caps),
    )
    assert [x.message.split(":")[0] for x in two] == [
        "namespace 'shop' has Pod Security warn=baseline (v1.31)",
        "namespace 'shop' has Pod Security audit=baseline (v1.28)",
    ]
    assert [x.value for x in two] == ["net.ipv4.tcp_rmem", "net.ipv4.tcp_rmem, net.ipv4.tcp_fin_timeout"]


def test_a_check_enforce_refuses_is_not_warned_again_but_the_others_are() -> None:
    spec = {"hostNetwork": True, "containers": [{"name": "a", "securityContext": {"runAsUser": 0}}]}
    got = [
        (x.severity, x.check)
        for x in run(namespace(enforce="baseline", warn="restricted"), workload("Deployment", spec))
    ]
    assert got == [
        ("error", "psa.host-namespaces"),
        ("warning", "psa.allow-privilege-escalation"),
        ("warning", "psa.run-as-non-root"),
        ("warning", "psa.run-as-user"),
        ("warning", "psa.seccomp-profile-restricted"),
        ("warning", "psa.capabilities-restricted"),
    ]


def test_the_default_cluster_version_is_1_34() -> None:
    probes = {"containers": [{"name": "a", "livenessProbe": {"httpGet": {"host": "h"}}}]}
    found = list(check_pod_security([namespace(enforce="baseline"), workload("Deployment", probes)]))
    assert [x.check for x in found] == ["psa.host-probes-and-host-lifecycle"]


def test_modes_are_evaluated_enforce_first_whatever_the_label_order() -> None:
    ns = rendered(
        {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {
                "name": "shop",
                "labels": {
                    "pod-security.kubernetes.io/audit": "baseline",
                    "pod-security.kubernetes.io/enforce": "baseline",
                },
            },
        }
    )
    assert [x.severity for x in run(ns, workload("Deployment", HOSTNET))] == ["error"]


def test_cronjob_annotations_and_cluster_version() -> None:
    ann = {"container.apparmor.security.beta.kubernetes.io/a": "unconfined"}
    spec = {"containers": [{"name": "a"}]}
    (f,) = run(namespace(enforce="baseline"), workload("CronJob", spec, ann))
    assert f.check == "psa.app-armor-profile"
    assert f.field == "spec.jobTemplate.spec.template.spec"
    assert f.message.endswith("refuses the pods, so the CronJob never runs one")
    (d,) = run(namespace(enforce="baseline"), workload("Deployment", spec, ann))
    assert d.check == "psa.app-armor-profile"
    (p,) = run(namespace(enforce="baseline"), workload("Pod", spec, ann))
    assert p.value == 'container.apparmor.security.beta.kubernetes.io/a="unconfined"'
    probes = {"containers": [{"name": "a", "livenessProbe": {"httpGet": {"host": "h"}}}]}
    assert [x.check for x in run(namespace(enforce="baseline"), workload("Deployment", probes))] == [
        "psa.host-probes-and-host-lifecycle"
    ]
    assert run(namespace(enforce="baseline"), workload("Deployment", probes), version="1.33") == []
    # the cluster version caps the namespace's
    assert (
        run(namespace(enforce="baseline", enforce_version="v1.34"), workload("Deployment", probes), version="1.33")
        == []
    )


def test_only_namespaces_with_policies_and_core_namespaces_count() -> None:
    assert run(workload("Deployment", HOSTNET)) == []
    assert run(namespace(enforce="privileged"), workload("Deployment", HOSTNET)) == []
    assert run(namespace("other", enforce="baseline"), workload("Deployment", HOSTNET)) == []
    fake = rendered(
        {
            "apiVersion": "example.com/v1",
            "kind": "Namespace",
            "metadata": {"name": "shop", "labels": {"pod-security.kubernetes.io/enforce": "baseline"}},
        }
    )
    assert run(fake, workload("Deployment", HOSTNET)) == []
    svc = rendered({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "shop"}})
    assert run(namespace(enforce="baseline"), svc) == []


def test_namespace_labels() -> None:
    ns = namespace(
        enforce="strict", enforce_version="1.30", warn="baseline", warn_version="latest", audit_version="v1.99"
    )
    got = [(f.check, f.field, f.message, f.fix, f.value, f.ref) for f in check_namespace_labels([ns])]
    assert got == [
        (
            "psa.label",
            "metadata.labels.pod-security.kubernetes.io/enforce",
            "label pod-security.kubernetes.io/enforce is 'strict', not a Pod Security level; the API server refuses the Namespace",
            "use one of privileged, baseline, restricted",
            "strict",
            "Namespace/shop",
        ),
        (
            "psa.label",
            "metadata.labels.pod-security.kubernetes.io/enforce-version",
            "label pod-security.kubernetes.io/enforce-version is '1.30', not 'latest' or 'v1.N'; the API server refuses the Namespace",
            "use 'latest' or a Kubernetes minor version such as 'v1.34'",
            "1.30",
            "Namespace/shop",
        ),
    ]
    for level in ("privileged", "baseline", "restricted"):
        assert list(check_namespace_labels([namespace(audit=level, audit_version="v1.1000")])) == []
    assert [f.value for f in check_namespace_labels([namespace(warn="x", audit="y")])] == ["x", "y"]
    fake = rendered(
        {
            "apiVersion": "x.io/v1",
            "kind": "Namespace",
            "metadata": {"name": "n", "labels": {"pod-security.kubernetes.io/enforce": "bad"}},
        }
    )
    assert list(check_namespace_labels([fake, workload("Pod", HOSTNET)])) == []
    after = [workload("Pod", HOSTNET), fake, namespace(enforce="nope")]
    assert [x.value for x in check_namespace_labels(after)] == ["nope"]
