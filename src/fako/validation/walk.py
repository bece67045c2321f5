"""Walking a manifest with field paths: pod specs, containers, strings.

Rules report *where* in an object a value is wrong as a field path in the manifest's
own words (`spec.template.spec.containers[0].imagePullPolicy`), so the same rule can
name the field of a rendered file and, for a typed construct, the spec field that set it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = [
    "POD_KINDS",
    "Container",
    "PodSpec",
    "at",
    "containers",
    "group_of",
    "mapping",
    "pod_specs",
    "sequence",
    "strings",
    "texts",
]

POD_KINDS = frozenset({"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"})
"""Built-in kinds that hold a pod spec."""
_WORKLOAD_GROUPS = frozenset({"", "apps", "batch"})


def mapping(value: Any) -> dict[str, Any]:
    """`value` if it is a mapping, else an empty one (rendered data may hold nulls)."""
    return value if isinstance(value, dict) else {}


def sequence(value: Any) -> list[Any]:
    """`value` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def at(path: str, key: str | int) -> str:
    """`path` extended by a key (`a.b`) or an index (`a[0]`)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def group_of(manifest: dict[str, Any]) -> str:
    """The API group of a manifest ("" for the core group)."""
    api = str(manifest.get("apiVersion", ""))
    return api.rpartition("/")[0]


@dataclass(frozen=True)
class PodSpec:
    """A pod spec inside an object: `path` of the spec, the pod's `labels`, the workload `kind`."""

    path: str
    spec: dict[str, Any]
    labels: dict[str, Any]
    kind: str


@dataclass(frozen=True)
class Container:
    """A container of a pod spec: `field` is containers, initContainers or ephemeralContainers."""

    path: str
    field: str
    body: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.body.get("name", "?"))


def pod_specs(manifest: dict[str, Any]) -> Iterator[PodSpec]:
    """The pod spec of a built-in workload (Pod, Deployment, ..., CronJob), if it has one."""
    kind = str(manifest.get("kind", ""))
    if kind not in POD_KINDS or group_of(manifest) not in _WORKLOAD_GROUPS:
        return
    spec = mapping(manifest.get("spec"))
    if kind == "Pod":
        yield PodSpec("spec", spec, mapping(mapping(manifest.get("metadata")).get("labels")), kind)
        return
    if kind == "CronJob":
        template = mapping(mapping(mapping(spec.get("jobTemplate")).get("spec")).get("template"))
        path = "spec.jobTemplate.spec.template"
    else:
        template = mapping(spec.get("template"))
        path = "spec.template"
    if template:
        labels = mapping(mapping(template.get("metadata")).get("labels"))
        yield PodSpec(f"{path}.spec", mapping(template.get("spec")), labels, kind)


def containers(pod: PodSpec, *, fields: tuple[str, ...] = ("initContainers", "containers")) -> Iterator[Container]:
    """The containers of a pod spec, init containers first (ephemeral ones when asked)."""
    for field in fields:
        for i, body in enumerate(sequence(pod.spec.get(field))):
            if isinstance(body, dict):
                yield Container(at(at(pod.path, field), i), field, body)


def strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, string) for every string in `value`, keys included (a key's path ends in `{}`)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield at(path, key) + "{}", key
            yield from strings(item, at(path, str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings(item, at(path, i))


def _collect(value: Any, out: list[str]) -> None:
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is str:
                out.append(key)
            if type(item) is str:
                out.append(item)
            elif type(item) is dict or type(item) is list:
                _collect(item, out)
    elif kind is list:
        for item in value:
            if type(item) is str:
                out.append(item)
            elif type(item) is dict or type(item) is list:
                _collect(item, out)
    elif kind is str:
        out.append(value)


class _LastTexts:
    """The strings of the manifest seen last: the object rules run one after another over
    one manifest, so the rules that look at every string share one walk."""

    manifest: Any = None
    found: tuple[str, ...] = ()


def texts(manifest: dict[str, Any]) -> tuple[str, ...]:
    """Every string in `manifest`, keys included, without paths: a fast first pass for
    rules that look at every string (`strings` then finds the path of a hit)."""
    if _LastTexts.manifest is not manifest:
        out: list[str] = []
        _collect(manifest, out)
        _LastTexts.manifest, _LastTexts.found = manifest, tuple(out)
    return _LastTexts.found
