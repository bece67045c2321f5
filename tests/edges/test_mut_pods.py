"""fako.validation.pods, pinned helper by helper (mutation tests: every kind, exact paths)."""

from __future__ import annotations

from typing import Any

from fako.rendered import RenderedObject
from fako.validation.pods import CONTROLLERS, PodTemplate, containers, mapping, pod_templates, sequence


def obj(kind: str, api: str = "apps/v1", **spec: Any) -> RenderedObject:
    manifest = {"apiVersion": api, "kind": kind, "metadata": {"name": "x", "labels": {"m": "1"}}, "spec": spec}
    return RenderedObject("apps", "x", manifest, "apps/x/x.yaml", "cluster/apps/x", "X", "fako.apps.x:1")


TEMPLATE: dict[str, Any] = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "a"}]}}


def test_mapping_and_sequence() -> None:
    d = {"a": 1}
    assert mapping(d) is d
    assert mapping([]) == {}
    assert mapping(None) == {}
    items = [1]
    assert sequence(items) is items
    assert sequence({}) == []
    assert sequence(None) == []


def test_controllers_are_the_long_running_workloads() -> None:
    assert frozenset({"Deployment", "StatefulSet", "DaemonSet"}) == CONTROLLERS


def test_a_pod_is_its_own_template() -> None:
    pod = obj("Pod", "v1", containers=[{"name": "a"}])
    assert list(pod_templates(pod)) == [PodTemplate(pod, {"containers": [{"name": "a"}]}, {"m": "1"}, "spec")]
    bare = RenderedObject("apps", "x", {"apiVersion": "v1", "kind": "Pod"}, "p", "c", "X", "s")
    assert list(pod_templates(bare)) == [PodTemplate(bare, {}, {}, "spec")]


def test_workload_and_cronjob_templates() -> None:
    for kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"):
        o = obj(kind, template=TEMPLATE)
        assert list(pod_templates(o)) == [PodTemplate(o, TEMPLATE["spec"], {"app": "web"}, "spec.template.spec")]
    job = obj("Job", "batch/v1", template=TEMPLATE)
    assert list(pod_templates(job)) == [PodTemplate(job, TEMPLATE["spec"], {"app": "web"}, "spec.template.spec")]
    cron = obj("CronJob", "batch/v1", jobTemplate={"spec": {"template": TEMPLATE}})
    assert list(pod_templates(cron)) == [
        PodTemplate(cron, TEMPLATE["spec"], {"app": "web"}, "spec.jobTemplate.spec.template.spec")
    ]
    bare = obj("Deployment", template={"spec": None, "x": 1})
    assert list(pod_templates(bare)) == [PodTemplate(bare, {}, {}, "spec.template.spec")]


def test_no_template_for_other_kinds_groups_or_empty_templates() -> None:
    assert list(pod_templates(obj("Deployment", "example.com/v1", template=TEMPLATE))) == []
    assert list(pod_templates(obj("Pod", "example.com/v1", containers=[]))) == []
    assert list(pod_templates(obj("Service", "v1", template=TEMPLATE))) == []
    assert list(pod_templates(obj("Deployment", template={}))) == []
    assert list(pod_templates(obj("CronJob", "batch/v1"))) == []
    no_api = RenderedObject("apps", "x", {"kind": "Deployment", "spec": {"template": TEMPLATE}}, "p", "c", "X", "s")
    assert [t.at for t in pod_templates(no_api)] == ["spec.template.spec"]


def test_containers_with_and_without_init_and_ephemeral() -> None:
    spec = {
        "containers": [{"name": "a"}, "junk"],
        "initContainers": [{"name": "i"}],
        "ephemeralContainers": [{"name": "e"}],
    }
    assert list(containers(spec)) == [
        ("initContainers", {"name": "i"}),
        ("containers", {"name": "a"}),
        ("ephemeralContainers", {"name": "e"}),
    ]
    assert list(containers(spec, init=False)) == [("containers", {"name": "a"})]
    assert list(containers({"containers": None})) == []
