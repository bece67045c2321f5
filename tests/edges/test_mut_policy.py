"""fako.validation.policy, pinned (mutation tests): image tags, resources, probes, root,
exact messages, fixes and severities."""

from __future__ import annotations

from typing import Any

from fako.rendered import RenderedObject
from fako.validation.facts import ClusterFacts
from fako.validation.findings import Finding
from fako.validation.policy import check_policy, image_tag

RESOURCES = {"requests": {"cpu": "10m"}}
PROBES = {"livenessProbe": {"tcpSocket": {"port": 80}}, "readinessProbe": {"tcpSocket": {"port": 80}}}
NON_ROOT = {"runAsNonRoot": True}


def obj(kind: str, spec: dict[str, Any], api: str = "apps/v1") -> RenderedObject:
    body: dict[str, Any] = spec if kind == "Pod" else {"template": {"spec": spec}}
    manifest = {"apiVersion": api, "kind": kind, "metadata": {"name": "web", "namespace": "blog"}, "spec": body}
    return RenderedObject("apps", "blog", manifest, "apps/blog/web.yaml", "cluster/apps/blog", "Blog", "fako.apps:1")


def good(name: str = "web", image: str = "nginx:1.27", **extra: Any) -> dict[str, Any]:
    return {"name": name, "image": image, "resources": RESOURCES, **PROBES, **extra}


def run(o: RenderedObject, facts: ClusterFacts | None = None) -> list[Finding]:
    return list(check_policy([o], facts or ClusterFacts()))


def lines(o: RenderedObject, facts: ClusterFacts | None = None) -> list[str]:
    return [f"{f.severity} {f.check}: {f.message} | {f.fix}" for f in run(o, facts)]


def test_image_tag() -> None:
    assert image_tag("nginx") == ""
    assert image_tag("nginx:1.2") == "1.2"
    assert image_tag("nginx:latest") == "latest"
    assert image_tag("reg:5000/team/nginx") == ""
    assert image_tag("reg:5000/team/nginx:2") == "2"
    assert image_tag("a/b:c:d") == "c:d"
    assert image_tag("a/b:c/d") == ""  # only the last segment holds the tag
    assert image_tag("nginx@sha256:abc") is None
    assert image_tag("nginx:1@sha256:abc") is None


def test_a_good_deployment_has_no_findings() -> None:
    assert run(obj("Deployment", {"securityContext": NON_ROOT, "containers": [good()]})) == []


def test_image_findings_with_exact_messages() -> None:
    spec = {
        "securityContext": NON_ROOT,
        "containers": [good("a", "nginx"), good("b", "nginx:latest"), good("c", "nginx@sha256:1"), good("d", "")],
    }
    fix = "pin a version tag or a digest (image:1.2.3 or image@sha256:...)"
    assert lines(obj("Deployment", spec)) == [
        f"warning policy.image-tag: container 'a' image 'nginx' has no tag, so it pulls ':latest' | {fix}",
        f"warning policy.image-tag: container 'b' image 'nginx:latest' uses the moving tag ':latest' | {fix}",
    ]


def test_a_container_without_name_or_image_key() -> None:
    spec = {"securityContext": NON_ROOT, "containers": [{"resources": RESOURCES, **PROBES}]}
    assert run(obj("Deployment", spec)) == []
    spec = {"securityContext": NON_ROOT, "containers": [{"image": "x", "resources": RESOURCES, **PROBES}]}
    assert [f.message for f in run(obj("Deployment", spec))] == [
        "container '?' image 'x' has no tag, so it pulls ':latest'"
    ]


def test_resources_requests_or_limits_are_enough() -> None:
    fix = "set requests for cpu and memory, and a memory limit"
    none = {"name": "a", "image": "x:1", **PROBES}
    limits = {"name": "b", "image": "x:1", "resources": {"limits": {"memory": "1Gi"}}, **PROBES}
    empty = {"name": "c", "image": "x:1", "resources": {"requests": {}, "limits": None}, **PROBES}
    spec = {"securityContext": NON_ROOT, "containers": [none, limits, empty]}
    assert lines(obj("Deployment", spec)) == [
        f"warning policy.resources: container 'a' sets no resource requests or limits | {fix}",
        f"warning policy.resources: container 'c' sets no resource requests or limits | {fix}",
    ]


def test_probes_only_on_app_containers_of_controllers() -> None:
    fix = "add probes so Kubernetes restarts it when stuck and routes traffic only when ready"
    bare = {"name": "a", "image": "x:1", "resources": RESOURCES}
    ready = {**bare, "name": "b", "readinessProbe": {"exec": {}}}
    live = {**bare, "name": "c", "livenessProbe": {"exec": {}}}
    init = {**bare, "name": "i"}
    spec = {"securityContext": NON_ROOT, "containers": [bare, ready, live], "initContainers": [init]}
    for kind in ("Deployment", "StatefulSet", "DaemonSet"):
        assert lines(obj(kind, spec)) == [
            f"warning policy.probes: container 'a' has no livenessProbe and no readinessProbe | {fix}",
            f"warning policy.probes: container 'b' has no livenessProbe | {fix}",
            f"warning policy.probes: container 'c' has no readinessProbe | {fix}",
        ]
    assert run(obj("Job", spec, "batch/v1")) == []
    assert run(obj("ReplicaSet", spec)) == []


def test_ephemeral_containers_are_skipped() -> None:
    spec = {"securityContext": NON_ROOT, "containers": [good()], "ephemeralContainers": [{"name": "dbg"}]}
    assert run(obj("Pod", spec, "v1")) == []


def test_run_as_root_lists_every_container_that_may() -> None:
    fix = "set securityContext.runAsNonRoot: true and a runAsUser > 0 on the pod"
    spec = {
        "containers": [
            good("a"),
            good("b", securityContext={"runAsUser": 1000}),
            good("c", securityContext={"runAsUser": 0}),
            good("d", securityContext={"runAsNonRoot": True}),
            good("e", securityContext={"runAsNonRoot": "true"}),
        ],
        "initContainers": [good("i", securityContext={"runAsNonRoot": False})],
    }
    assert lines(obj("Deployment", spec)) == [
        "warning policy.run-as-root: spec.template.spec: container 'i', container 'a', container 'c', "
        "container 'e' may run as root (no runAsNonRoot: true and no runAsUser > 0 at pod or container level) "
        f"| {fix}"
    ]


def test_pod_level_user_and_container_overrides() -> None:
    assert run(obj("Pod", {"securityContext": {"runAsUser": 1}, "containers": [good()]}, "v1")) == []
    one = obj(
        "Pod", {"securityContext": {"runAsUser": 1}, "containers": [good(securityContext={"runAsUser": 0})]}, "v1"
    )
    assert [f.message.split(":")[0] for f in run(one)] == ["spec"]
    root_pod = {"securityContext": {"runAsUser": 0, "runAsNonRoot": True}, "containers": [good()]}
    assert len(run(obj("Pod", root_pod, "v1"))) == 1
    # a user on the container wins over runAsNonRoot on the pod, a non-int user falls to runAsNonRoot
    user = {"securityContext": {"runAsNonRoot": True}, "containers": [good(securityContext={"runAsUser": "1000"})]}
    assert run(obj("Pod", user, "v1")) == []
    pod_nonroot_container_false = {
        "securityContext": {"runAsNonRoot": True},
        "containers": [good(securityContext={"runAsNonRoot": False})],
    }
    assert len(run(obj("Pod", pod_nonroot_container_false, "v1"))) == 1


def test_facts_promote_each_check_and_findings_carry_the_object() -> None:
    spec = {"containers": [{"name": "a", "image": "x"}]}
    facts = ClusterFacts(
        policy={"policy.image-tag": "error", "policy.resources": "error", "policy.run-as-root": "error"}
    )
    found = run(obj("Deployment", spec), facts)
    assert [(f.check, f.severity) for f in found] == [
        ("policy.image-tag", "error"),
        ("policy.resources", "error"),
        ("policy.probes", "warning"),
        ("policy.run-as-root", "error"),
    ]
    assert {f.ref for f in found} == {"Deployment/blog/web"}
    assert {f.source for f in found} == {"fako.apps:1"}


def test_objects_without_pod_templates_are_skipped() -> None:
    svc = RenderedObject("apps", "b", {"apiVersion": "v1", "kind": "Service"}, "p", "c", "X", "s")
    assert list(check_policy([svc], ClusterFacts())) == []
