"""Short forms for the Deployment + Service pairs most apps are made of.

`deployment(...)` writes the selector, the pod template labels (the selector's, unless
`pod_labels` says otherwise) and the pod spec from keyword PodSpec fields; `service(...)`
a Service selecting the same labels. Nothing is added that the call does not say.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.checked import checked
from fako.constructs.service import Service, ServiceSpec
from fako.constructs.workloads import Deployment, DeploymentSpec, StatefulSet, StatefulSetSpec
from fako.errors import FakoError
from fako.tree import Scope

__all__ = ["deployment", "pod_template", "port", "rolling", "service", "spread_over_nodes", "statefulset"]


@checked(rest=k8s.PodSpec)
def pod_template(
    labels: dict[str, str] | None, annotations: dict[str, str] | None = None, **pod: Any
) -> k8s.PodTemplateSpec:
    """A pod template: metadata labels/annotations and the PodSpec fields in `pod`.

    Example: `pod_template({"app": "web"}, containers=[k8s.Container(name="web", image=IMAGE)])`
    """
    meta: dict[str, Any] = {}
    if labels is not None:
        meta["labels"] = labels
    if annotations is not None:
        meta["annotations"] = annotations
    return k8s.PodTemplateSpec(metadata=k8s.ObjectMeta(**meta), spec=k8s.PodSpec(**pod))


@checked
def rolling(max_surge: int | str, max_unavailable: int | str) -> k8s.DeploymentStrategy:
    """A RollingUpdate strategy: `rolling(0, 1)` replaces pods one at a time without a surge.

    Example: `deployment(self, "web", selector={"app": "web"}, strategy=rolling(0, 1), containers=[k8s.Container(name="web", image=IMAGE)])`
    """
    return k8s.DeploymentStrategy.model_validate(
        {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": max_surge, "maxUnavailable": max_unavailable}}
    )


@checked
def spread_over_nodes(
    app: str | None = None, *, labels: dict[str, str] | None = None, weight: int = 100
) -> k8s.Affinity:
    """A preferred pod anti-affinity on `kubernetes.io/hostname`: replicas go to different nodes when they can.

    The pods kept apart are those with label `app` in `[app]` (a `matchExpressions` selector)
    or, with `labels=`, those carrying `labels` (`matchLabels`); give exactly one of the two.

    Example: `deployment(self, "web", selector={"app": "web"}, replicas=2, affinity=spread_over_nodes("web"), containers=[k8s.Container(name="web", image=IMAGE)])`
    """
    if app is not None and labels is None:
        match = k8s.LabelSelectorRequirement(key="app", operator="In", values=[app])
        selector = k8s.LabelSelector(match_expressions=[match])
    elif labels is not None and app is None:
        selector = k8s.LabelSelector(match_labels=labels)
    else:
        raise FakoError(f"spread_over_nodes(): give exactly one of app= or labels=, got app={app!r}, labels={labels!r}")
    term = k8s.PodAffinityTerm(label_selector=selector, topology_key="kubernetes.io/hostname")
    return k8s.Affinity(
        pod_anti_affinity=k8s.PodAntiAffinity(
            preferred_during_scheduling_ignored_during_execution=[
                k8s.WeightedPodAffinityTerm(pod_affinity_term=term, weight=weight)
            ]
        )
    )


@checked(rest=k8s.PodSpec)
def deployment(
    scope: Scope,
    name: str,
    *,
    selector: dict[str, str],
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    pod_labels: dict[str, str] | None = None,
    pod_annotations: dict[str, str] | None = None,
    replicas: int | None = 1,
    strategy: str | k8s.DeploymentStrategy | None = None,
    revision_history_limit: int | None = None,
    id: str | None = None,
    **pod: Any,
) -> Deployment:
    """A Deployment `name` selecting `selector`; `pod` holds the PodSpec fields (containers, ...).

    `strategy` is a type name ("Recreate") or a full DeploymentStrategy; `replicas=None`
    leaves the field out.

    Example: `deployment(self, "web", selector={"app": "web"}, replicas=2, containers=[k8s.Container(name="web", image=IMAGE)])`
    """
    fields: dict[str, Any] = {
        "name": name,
        "selector": k8s.LabelSelector(match_labels=selector),
        "template": pod_template(pod_labels if pod_labels is not None else selector, pod_annotations, **pod),
    }
    if labels is not None:
        fields["labels"] = labels
    if annotations is not None:
        fields["annotations"] = annotations
    if replicas is not None:
        fields["replicas"] = replicas
    if strategy is not None:
        fields["strategy"] = k8s.DeploymentStrategy(type=strategy) if isinstance(strategy, str) else strategy
    if revision_history_limit is not None:
        fields["revision_history_limit"] = revision_history_limit
    return Deployment(scope, id or name, DeploymentSpec(**fields))


@checked(rest=k8s.PodSpec)
def statefulset(
    scope: Scope,
    name: str,
    *,
    selector: dict[str, str],
    service_name: str | None = None,
    labels: dict[str, str] | None = None,
    pod_labels: dict[str, str] | None = None,
    replicas: int | None = 1,
    volume_claim_templates: list[k8s.PersistentVolumeClaim] | None = None,
    id: str | None = None,
    **pod: Any,
) -> StatefulSet:
    """A StatefulSet `name` selecting `selector`; `pod` holds the PodSpec fields.

    Example: `statefulset(self, "db", selector={"app": "db"}, service_name="db", containers=[k8s.Container(name="db", image=IMAGE)])`
    """
    fields: dict[str, Any] = {
        "name": name,
        "selector": k8s.LabelSelector(match_labels=selector),
        "template": pod_template(pod_labels if pod_labels is not None else selector, **pod),
    }
    if service_name is not None:
        fields["service_name"] = service_name
    if labels is not None:
        fields["labels"] = labels
    if replicas is not None:
        fields["replicas"] = replicas
    if volume_claim_templates is not None:
        fields["volume_claim_templates"] = volume_claim_templates
    return StatefulSet(scope, id or name, StatefulSetSpec(**fields))


@checked(rest=k8s.ServicePort)
def port(
    name: str | None, port: int, target: int | str | None = None, protocol: str | None = "TCP", **fields: Any
) -> k8s.ServicePort:
    """A Service port; `target` defaults to `port`; `protocol=None` leaves it out.

    Example: `service(self, "web", selector={"app": "web"}, ports=[port("http", 80, 8080)])`
    """
    values: dict[str, Any] = {"port": port, "target_port": port if target is None else target, **fields}
    if name is not None:
        values["name"] = name
    if protocol is not None:
        values["protocol"] = protocol
    return k8s.ServicePort(**values)


@checked(rest=k8s.ServiceSpec)
def service(
    scope: Scope,
    name: str,
    *,
    selector: dict[str, str] | None,
    ports: list[k8s.ServicePort],
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    type: str | None = "ClusterIP",
    id: str | None = None,
    **fields: Any,
) -> Service:
    """A Service `name` over `selector` with `ports`; `fields` are other ServiceSpec fields.

    The construct id defaults to `<name>-service`, so a Deployment and its Service may share
    a name without passing `id=`.

    Example: `service(self, "web", selector={"app": "web"}, ports=[port("http", 80)])`
    """
    values: dict[str, Any] = {"name": name, "ports": ports, **fields}
    if selector is not None:
        values["selector"] = selector
    if labels is not None:
        values["labels"] = labels
    if annotations is not None:
        values["annotations"] = annotations
    if type is not None:
        values["type"] = type
    return Service(scope, id or f"{name}-service", ServiceSpec(**values))
