"""Pod Security Admission (fako.validation.psa): every Baseline and Restricted check with a
passing and a failing pod, the enforce/warn modes, versions, overrides and bad labels."""

from __future__ import annotations

from typing import Any

import pytest

from fako.rendered import RenderedObject
from fako.validation import ClusterFacts, Finding, validate
from fako.validation.psa import CHECKS

# -- builders ------------------------------------------------------------------------------


def obj(manifest: dict[str, Any]) -> RenderedObject:
    return RenderedObject(
        layer="apps",
        app="shop",
        manifest=manifest,
        path="apps/shop/shop.yaml",
        construct_path="cluster/apps/shop",
        construct_class="Shop",
        source="fako.apps.shop:1",
    )


def namespace(**labels: str) -> RenderedObject:
    full = {f"pod-security.kubernetes.io/{k.replace('_', '-')}": v for k, v in labels.items()}
    return obj({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": full}})


RESTRICTED_CONTAINER: dict[str, Any] = {
    "name": "app",
    "image": "shop:1.0",
    "securityContext": {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
        "runAsNonRoot": True,
        "seccompProfile": {"type": "RuntimeDefault"},
    },
}


def deployment(
    container: dict[str, Any] | None = None, annotations: dict[str, str] | None = None, **pod: Any
) -> RenderedObject:
    spec = {"containers": [container or RESTRICTED_CONTAINER], **pod}
    template = {"metadata": {"labels": {"app": "shop"}, "annotations": annotations or {}}, "spec": spec}
    return obj(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "shop", "namespace": "shop"},
            "spec": {"selector": {"matchLabels": {"app": "shop"}}, "template": template},
        }
    )


def with_context(**context: Any) -> dict[str, Any]:
    """The restricted container with its securityContext changed (None removes a field)."""
    merged = {**RESTRICTED_CONTAINER["securityContext"], **context}
    return {**RESTRICTED_CONTAINER, "securityContext": {k: v for k, v in merged.items() if v is not None}}


def psa(workload: RenderedObject, level: str = "restricted", **labels: str) -> list[Finding]:
    ns = namespace(**(labels or {"enforce": level}))
    report = validate([ns, workload], ClusterFacts(), schemas=False)
    return [f for f in report.findings if f.check.startswith("psa.")]


def one(workload: RenderedObject, level: str = "restricted", **labels: str) -> Finding:
    [f] = psa(workload, level, **labels)
    return f


# -- the compliant pod and the modes ---------------------------------------------------------


def test_a_restricted_pod_passes_every_level() -> None:
    for level in ("baseline", "restricted", "privileged"):
        assert psa(deployment(), level) == []


def test_an_enforced_violation_is_an_error_naming_the_level_and_the_source() -> None:
    f = one(deployment(hostNetwork=True), "baseline")
    assert (f.check, f.severity, f.ref, f.field, f.value) == (
        "psa.host-namespaces",
        "error",
        "Deployment/shop/shop",
        "spec.template.spec",
        "hostNetwork=true",
    )
    assert f.message == (
        "namespace 'shop' enforces Pod Security 'baseline' (latest): the pod must not set hostNetwork=true; "
        "the API server refuses the pods, so the Deployment never runs one"
    )
    assert f.fix == "change the pod spec, or lower the namespace's enforce level (source: check_hostNamespaces.go)"


def test_warn_and_audit_are_warnings_and_enforce_wins() -> None:
    f = one(deployment(hostPID=True), warn="baseline", audit="baseline")
    assert f.severity == "warning"
    assert f.message == (
        "namespace 'shop' has Pod Security warn=baseline (latest): the pod must not set hostPID=true; the API "
        "server admits the pods but warns"
    )
    f = one(deployment(hostPID=True), enforce="baseline", warn="baseline")
    assert f.severity == "error"
    # warn at a stricter level than enforce reports the extra checks as warnings
    findings = psa(deployment(with_context(runAsNonRoot=None), hostPID=True), enforce="baseline", warn="restricted")
    assert [(f.check, f.severity) for f in findings] == [
        ("psa.host-namespaces", "error"),
        ("psa.run-as-non-root", "warning"),
    ]


def test_a_namespace_without_labels_or_privileged_checks_nothing() -> None:
    bad = deployment(hostNetwork=True, hostPID=True)
    report = validate(
        [obj({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}), bad],
        ClusterFacts(),
        schemas=False,
    )
    assert [f for f in report.findings if f.check.startswith("psa.")] == []
    assert psa(bad, "privileged") == []


# -- baseline checks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "check", "detail"),
    [
        (deployment(hostIPC=True), "psa.host-namespaces", "the pod must not set hostIPC=true"),
        (
            deployment(with_context(privileged=True)),
            "psa.privileged",
            'container "app" must not set securityContext.privileged=true',
        ),
        (
            deployment(
                {"name": "app", "image": "x:1", "securityContext": {"capabilities": {"add": ["NET_ADMIN", "CHOWN"]}}}
            ),
            "psa.capabilities-baseline",
            'container "app" must not include "NET_ADMIN" in securityContext.capabilities.add',
        ),
        (
            deployment(volumes=[{"name": "root", "hostPath": {"path": "/"}}]),
            "psa.host-path-volumes",
            'hostPath volumes "root"',
        ),
        (
            deployment({"name": "app", "image": "x:1", "ports": [{"containerPort": 80, "hostPort": 8080}]}),
            "psa.host-ports",
            'container "app" use hostPorts 8080',
        ),
        (
            deployment(annotations={"container.apparmor.security.beta.kubernetes.io/app": "unconfined"}),
            "psa.app-armor-profile",
            'forbidden AppArmor profile: container.apparmor.security.beta.kubernetes.io/app="unconfined"',
        ),
        (
            deployment(securityContext={"appArmorProfile": {"type": "Unconfined"}}),
            "psa.app-armor-profile",
            "forbidden AppArmor profile: pod appArmorProfile.type=Unconfined",
        ),
        (
            deployment(with_context(seLinuxOptions={"type": "spc_t", "user": "root"})),
            "psa.se-linux-options",
            'forbidden securityContext.seLinuxOptions: container "app" (type spc_t, user root)',
        ),
        (
            deployment(with_context(procMount="Unmasked")),
            "psa.proc-mount",
            'container "app" must not set securityContext.procMount',
        ),
        (
            deployment({"name": "app", "image": "x:1", "securityContext": {"seccompProfile": {"type": "Unconfined"}}}),
            "psa.seccomp-profile-baseline",
            'container "app" must not set securityContext.seccompProfile.type to Unconfined',
        ),
        (
            deployment(securityContext={"sysctls": [{"name": "kernel.msgmax", "value": "1"}]}),
            "psa.sysctls",
            "forbidden sysctls kernel.msgmax",
        ),
        (
            deployment(securityContext={"windowsOptions": {"hostProcess": True}}),
            "psa.windows-host-process",
            "pod must not set securityContext.windowsOptions.hostProcess=true",
        ),
        (
            deployment({"name": "app", "image": "x:1", "livenessProbe": {"httpGet": {"port": 80, "host": "10.0.0.1"}}}),
            "psa.host-probes-and-host-lifecycle",
            'container "app" use probe or lifecycle hosts "10.0.0.1"',
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and v.startswith("psa.") else "",
)
def test_each_baseline_check_refuses_its_field(bad: RenderedObject, check: str, detail: str) -> None:
    f = one(bad, "baseline")
    assert f.check == check
    assert f.message == (
        f"namespace 'shop' enforces Pod Security 'baseline' (latest): {detail}; the API server refuses the pods, "
        "so the Deployment never runs one"
    )


@pytest.mark.parametrize(
    "fine",
    [
        deployment(
            {"name": "app", "image": "x:1", "securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE", "CHOWN"]}}}
        ),
        deployment({"name": "app", "image": "x:1", "ports": [{"containerPort": 80, "hostPort": 0}]}),
        deployment(annotations={"container.apparmor.security.beta.kubernetes.io/app": "localhost/shop"}),
        deployment(securityContext={"appArmorProfile": {"type": "RuntimeDefault"}}),
        deployment(securityContext={"seLinuxOptions": {"type": "container_engine_t", "level": "s0:c1"}}),
        deployment(with_context(procMount="Default")),
        deployment(securityContext={"sysctls": [{"name": "net.ipv4.tcp_rmem", "value": "4096 87380 6291456"}]}),
        deployment({"name": "app", "image": "x:1", "readinessProbe": {"tcpSocket": {"port": 80, "host": ""}}}),
    ],
)
def test_baseline_allows_the_documented_values(fine: RenderedObject) -> None:
    assert psa(fine, "baseline") == []


def test_versioned_checks_follow_the_namespace_version() -> None:
    probe_host = deployment({"name": "app", "image": "x:1", "livenessProbe": {"httpGet": {"port": 80, "host": "h"}}})
    assert psa(probe_host, enforce="baseline", enforce_version="v1.33") == []  # the check is new in v1.34
    rmem = deployment(securityContext={"sysctls": [{"name": "net.ipv4.tcp_rmem", "value": "4096"}]})
    f = one(rmem, enforce="baseline", enforce_version="v1.31")
    assert f.check == "psa.sysctls" and "Pod Security 'baseline' (v1.31)" in f.message
    engine = deployment(securityContext={"seLinuxOptions": {"type": "container_engine_t"}})
    assert one(engine, enforce="baseline", enforce_version="v1.30").check == "psa.se-linux-options"


# -- restricted checks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "check", "detail"),
    [
        (
            deployment(volumes=[{"name": "data", "nfs": {"server": "nas", "path": "/x"}}]),
            "psa.restricted-volumes",
            "volumes data (nfs) have restricted types",
        ),
        (
            deployment(with_context(allowPrivilegeEscalation=None)),
            "psa.allow-privilege-escalation",
            'container "app" must set securityContext.allowPrivilegeEscalation=false',
        ),
        (
            deployment(with_context(runAsNonRoot=None)),
            "psa.run-as-non-root",
            'pod or container "app" must set securityContext.runAsNonRoot=true',
        ),
        (
            deployment(with_context(runAsNonRoot=None), securityContext={"runAsNonRoot": False}),
            "psa.run-as-non-root",
            "pod must not set securityContext.runAsNonRoot=false",
        ),
        (deployment(with_context(runAsUser=0)), "psa.run-as-user", 'container "app" must not set runAsUser=0'),
        (
            deployment(with_context(seccompProfile=None)),
            "psa.seccomp-profile-restricted",
            'pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
        ),
        (
            deployment(with_context(capabilities={"drop": ["NET_RAW"], "add": ["CHOWN"]})),
            "psa.capabilities-restricted",
            'container "app" must set securityContext.capabilities.drop=["ALL"]; container "app" must not '
            'include "CHOWN" in securityContext.capabilities.add',
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and v.startswith("psa.") else "",
)
def test_each_restricted_check_refuses_its_field(bad: RenderedObject, check: str, detail: str) -> None:
    f = one(bad, "restricted")
    assert f.check == check
    assert f.message == (
        f"namespace 'shop' enforces Pod Security 'restricted' (latest): {detail}; the API server refuses the "
        "pods, so the Deployment never runs one"
    )
    assert psa(bad, "baseline") == []  # none of these is a baseline violation


def test_restricted_allows_pod_level_settings_and_net_bind_service() -> None:
    container = {
        "name": "app",
        "image": "x:1",
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]},
        },
    }
    pod = deployment(
        container,
        securityContext={
            "runAsNonRoot": True,
            "runAsUser": 1000,
            "seccompProfile": {"type": "Localhost", "localhostProfile": "x.json"},
        },
        volumes=[{"name": "tmp", "emptyDir": {}}, {"name": "cfg", "configMap": {"name": "shop"}}],
    )
    assert psa(pod, "restricted") == []


def test_restricted_replaces_the_baseline_checks_it_tightens() -> None:
    host = deployment(volumes=[{"name": "root", "hostPath": {"path": "/"}}])
    assert one(host, "restricted").check == "psa.restricted-volumes"  # not also psa.host-path-volumes


def test_windows_pods_are_exempt_from_the_linux_only_restricted_checks() -> None:
    bare = deployment(
        {"name": "app", "image": "x:1", "securityContext": {"runAsNonRoot": True}}, os={"name": "windows"}
    )
    assert psa(bare, "restricted") == []


def test_every_check_cites_its_reference_file() -> None:
    assert len(CHECKS) == 18
    assert all(c.source.startswith("check_") and c.source.endswith(".go") for c in CHECKS)
    assert all(c.func.__doc__ and c.source in c.func.__doc__ for c in CHECKS)


# -- namespace labels ----------------------------------------------------------------------


def test_a_label_the_api_server_refuses() -> None:
    findings = psa(deployment(), enforce="Restricted", enforce_version="1.34")
    assert [(f.check, f.ref, f.value) for f in findings] == [
        ("psa.label", "Namespace/shop", "Restricted"),
        ("psa.label", "Namespace/shop", "1.34"),
    ]
    assert findings[0].message == (
        "label pod-security.kubernetes.io/enforce is 'Restricted', not a Pod Security level; the API server "
        "refuses the Namespace"
    )
    assert findings[1].fix == "use 'latest' or a Kubernetes minor version such as 'v1.34'"


def test_a_bare_pod_is_refused_itself() -> None:
    pod = obj(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "debug", "namespace": "shop"},
            "spec": {"hostPID": True, "containers": [RESTRICTED_CONTAINER]},
        }
    )
    f = one(pod, "baseline")
    assert (f.ref, f.field) == ("Pod/shop/debug", "spec")
    assert f.message == (
        "namespace 'shop' enforces Pod Security 'baseline' (latest): the pod must not set hostPID=true; the API "
        "server refuses the Pod"
    )
