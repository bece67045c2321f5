"""Finding the pod templates inside workloads, and the containers inside a pod spec."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fako.rendered import RenderedObject

__all__ = ["CONTROLLERS", "PodTemplate", "containers", "mapping", "pod_templates", "sequence"]

CONTROLLERS = frozenset({"Deployment", "StatefulSet", "DaemonSet"})
"""Long-running workloads: the ones probes are expected on."""

_TEMPLATE_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"})
_WORKLOAD_GROUPS = frozenset({"", "apps", "batch"})


def mapping(value: Any) -> dict[str, Any]:
    """`value` if it is a mapping, else an empty one (rendered data may hold nulls)."""
    return value if isinstance(value, dict) else {}


def sequence(value: Any) -> list[Any]:
    """`value` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class PodTemplate:
    """A pod spec found in an object: `labels` are the pod's labels, `at` its field path."""

    obj: RenderedObject
    spec: dict[str, Any]
    labels: dict[str, Any]
    at: str


def pod_templates(obj: RenderedObject) -> Iterator[PodTemplate]:
    """The pod templates of a built-in workload (Pod, Deployment, ..., CronJob)."""
    group = str(obj.manifest.get("apiVersion", "")).rpartition("/")[0]
    if group not in _WORKLOAD_GROUPS:
        return
    spec = mapping(obj.manifest.get("spec"))
    kind = obj.kind
    if kind == "Pod":
        yield PodTemplate(obj, spec, mapping(mapping(obj.manifest.get("metadata")).get("labels")), "spec")
        return
    if kind == "CronJob":
        template = mapping(mapping(mapping(spec.get("jobTemplate")).get("spec")).get("template"))
        at = "spec.jobTemplate.spec.template.spec"
    elif kind in _TEMPLATE_KINDS:
        template = mapping(spec.get("template"))
        at = "spec.template.spec"
    else:
        return
    if template:
        labels = mapping(mapping(template.get("metadata")).get("labels"))
        yield PodTemplate(obj, mapping(template.get("spec")), labels, at)


def containers(spec: dict[str, Any], *, init: bool = True) -> Iterator[tuple[str, dict[str, Any]]]:
    """(field, container) for the containers (and init/ephemeral containers) of a pod spec."""
    fields = ("initContainers", "containers", "ephemeralContainers") if init else ("containers",)
    for field in fields:
        for container in sequence(spec.get(field)):
            if isinstance(container, dict):
                yield field, container
