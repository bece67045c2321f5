"""Names, keys and sizes the API server refuses, per kind (and the ones controllers derive).

Sources (Kubernetes v1.34, kubernetes/kubernetes):
- `pkg/apis/core/validation/validation.go`: `ValidateNamespaceName` (DNS-1123 label),
  `ValidateServiceName` (DNS-1035 label; `RelaxedServiceNameValidation` is alpha and off
  in 1.34), most other kinds `NameIsDNSSubdomain`; `ValidateObjectMeta` (namespace a
  DNS label, labels, annotations); `ValidateConfigMap` / `ValidateSecret` (keys are
  `IsConfigMapKey`, at most `MaxSecretSize` = 1 MiB of data); `ValidateEnv`
  (`IsRelaxedEnvVarName`), `ValidateVolumes`, `validateContainers`,
  `validateContainerPorts` (`IsValidPortName`), `validateServicePort` (DNS labels).
- `pkg/apis/rbac/validation/validation.go`: `ValidateRBACName` (`IsValidPathSegmentName`).
- `staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go`: `ValidateAnnotations`,
  `ValidateAnnotationsSize` (`TotalAnnotationSizeLimitB` = 256 KiB).
- `pkg/apis/batch/validation/validation.go`: `ValidateCronJobCreate` (name at most 52
  characters: the controller appends `-<11 characters>` for its Jobs); a Job's name
  becomes the value of its pods' `batch.kubernetes.io/job-name` label (`generateSelector`
  in `pkg/registry/batch/job/strategy.go`), so at most 63 characters.
- `pkg/controller/statefulset/stateful_set_utils.go`: pods are `<name>-<ordinal>` with
  that name as their hostname (a DNS label), and carry the `controller-revision-hash`
  label `<name>-<hash of up to 10 characters>` (a label value), so a StatefulSet name
  must be a DNS label of at most 52 characters or its pods are refused.
- Deployments, DaemonSets and ReplicaSets: `pkg/apis/apps/validation/validation.go`
  enforces only `NameIsDNSSubdomain` (pod names are generated and truncated).
"""

from __future__ import annotations

import binascii
from collections.abc import Callable, Iterator
from typing import Any

from fako.text import value_of
from fako.validation import names
from fako.validation.rules import Rule, Violation, rule
from fako.validation.walk import at, containers, group_of, mapping, pod_specs, sequence

__all__ = [
    "RULES",
    "annotation_keys",
    "annotations_size",
    "container_names",
    "cronjob_name_length",
    "data_keys",
    "data_size",
    "env_names",
    "job_name_length",
    "label_keys_and_values",
    "metadata_name",
    "metadata_namespace",
    "port_names",
    "service_port_names",
    "statefulset_name",
    "volume_names",
]

MAX_ANNOTATIONS_BYTES = 256 * 1024
"""`TotalAnnotationSizeLimitB`: all annotation keys and values of one object together."""
MAX_DATA_BYTES = 1024 * 1024
"""`core.MaxSecretSize`: the data of one ConfigMap or Secret together."""
CRONJOB_NAME_MAX = 52
STATEFULSET_NAME_MAX = 52

_RBAC = "rbac.authorization.k8s.io"


def _shown(value: Any) -> str:
    """A name or key for a message: in full up to 300 characters (the length is the point)."""
    return value_of(value, limit=300)


_NameCheck = Callable[[str], list[str]]
_NAME_RULES: dict[tuple[str, str], tuple[_NameCheck, str]] = {
    ("", "Namespace"): (names.dns1123_label, "a DNS-1123 label"),
    ("", "Service"): (names.dns1035_label, "a DNS-1035 label"),
    **{(_RBAC, kind): (names.path_segment_name, "a path segment name") for kind in ("Role", "ClusterRole")},
    **{
        (_RBAC, kind): (names.path_segment_name, "a path segment name")
        for kind in ("RoleBinding", "ClusterRoleBinding")
    },
}
_SUBDOMAIN: tuple[_NameCheck, str] = (names.dns1123_subdomain, "a DNS-1123 subdomain")


def _meta(manifest: dict[str, Any]) -> dict[str, Any]:
    return mapping(manifest.get("metadata"))


def _name(manifest: dict[str, Any]) -> str | None:
    name = _meta(manifest).get("name")
    return name if isinstance(name, str) else None


def _kind(manifest: dict[str, Any]) -> tuple[str, str]:
    return group_of(manifest), str(manifest.get("kind", ""))


def _is(manifest: dict[str, Any], group: str, kind: str) -> bool:
    return manifest.get("kind") == kind and group_of(manifest) == group


def _problems(problems: list[str]) -> str:
    return "; ".join(problems)


@rule("name.metadata", "pkg/apis/core/validation/validation.go: ValidateObjectMeta with the kind's ValidateNameFunc")
def metadata_name(manifest: dict[str, Any]) -> Iterator[Violation]:
    """metadata.name is what the kind requires: a DNS label, a DNS-1035 label, a subdomain or a path segment."""
    meta = _meta(manifest)
    name = meta.get("name")
    if name is None or name == "":
        if not meta.get("generateName"):
            yield Violation("metadata.name", "is required", "give the object a name")
        return
    if not isinstance(name, str):
        return  # the schema reports a name that is not a string
    check, what = _NAME_RULES.get(_kind(manifest), _SUBDOMAIN)
    problems = check(name)
    if problems:
        yield Violation(
            "metadata.name",
            f"{_shown(name)} is not a valid {manifest.get('kind')} name ({what}): {_problems(problems)}",
            f"rename it to {what}",
            value=name,
        )


@rule("name.cronjob-length", "pkg/apis/batch/validation/validation.go: ValidateCronJobCreate")
def cronjob_name_length(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A CronJob name has at most 52 characters: its Jobs are named `<name>-<11 characters>`."""
    name = _name(manifest)
    if name and _is(manifest, "batch", "CronJob") and len(name) > CRONJOB_NAME_MAX:
        yield Violation(
            "metadata.name",
            f"{_shown(name)} has {len(name)} characters; a CronJob name must be no more than "
            f"{CRONJOB_NAME_MAX} (the controller names its Jobs <name>-<11 characters>)",
            f"shorten it to at most {CRONJOB_NAME_MAX} characters",
            value=name,
        )


@rule("name.job-length", "pkg/registry/batch/job/strategy.go: generateSelector (the job-name pod label)")
def job_name_length(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A Job name has at most 63 characters: it is the value of its pods' job-name label."""
    name = _name(manifest)
    if name and _is(manifest, "batch", "Job") and len(name) > names.LABEL_VALUE_MAX:
        yield Violation(
            "metadata.name",
            f"{_shown(name)} has {len(name)} characters; a Job name must be no more than "
            f"{names.LABEL_VALUE_MAX} (it becomes the value of the pods' batch.kubernetes.io/job-name label)",
            f"shorten it to at most {names.LABEL_VALUE_MAX} characters",
            value=name,
        )


@rule(
    "name.statefulset-pods",
    "pkg/controller/statefulset/stateful_set_utils.go: newStatefulSetPod (hostname <name>-<ordinal>) "
    "and setPodRevision (controller-revision-hash label <name>-<hash>)",
)
def statefulset_name(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A StatefulSet name is a DNS label of at most 52 characters, or its pods are refused."""
    name = _name(manifest)
    if not name or not _is(manifest, "apps", "StatefulSet"):
        return
    problems = names.dns1123_label(name, STATEFULSET_NAME_MAX)
    if problems:
        yield Violation(
            "metadata.name",
            f"{_shown(name)} cannot name StatefulSet pods: {_problems(problems)} (each pod's hostname is "
            "<name>-<ordinal> and its controller-revision-hash label is <name>-<hash of up to 10 characters>)",
            f"rename it to a DNS label of at most {STATEFULSET_NAME_MAX} characters (no dots)",
            value=name,
        )


@rule("name.namespace", "pkg/apis/core/validation/validation.go: ValidateObjectMeta (ValidateNamespaceName)")
def metadata_namespace(manifest: dict[str, Any]) -> Iterator[Violation]:
    """metadata.namespace, when set, is a DNS-1123 label."""
    ns = _meta(manifest).get("namespace")
    if isinstance(ns, str) and ns:
        problems = names.dns1123_label(ns)
        if problems:
            yield Violation(
                "metadata.namespace",
                f"{_shown(ns)} is not a valid namespace name (a DNS-1123 label): {_problems(problems)}",
                "use a DNS-1123 label",
                value=ns,
            )


def _metadatas(manifest: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, metadata) of the object and of the templates inside it the API server validates."""
    yield "metadata", _meta(manifest)
    for pod in pod_specs(manifest):
        template = pod.path.removesuffix(".spec")
        if pod.kind == "CronJob":
            job = mapping(mapping(manifest.get("spec")).get("jobTemplate"))
            yield "spec.jobTemplate.metadata", mapping(job.get("metadata"))
        if pod.kind != "Pod":
            yield f"{template}.metadata", _template_meta(manifest, pod.kind)
    if _is(manifest, "apps", "StatefulSet"):
        claims = sequence(mapping(manifest.get("spec")).get("volumeClaimTemplates"))
        for i, claim in enumerate(claims):
            yield f"spec.volumeClaimTemplates[{i}].metadata", mapping(mapping(claim).get("metadata"))


def _template_meta(manifest: dict[str, Any], kind: str) -> dict[str, Any]:
    spec = mapping(manifest.get("spec"))
    if kind == "CronJob":
        spec = mapping(mapping(spec.get("jobTemplate")).get("spec"))
    return mapping(mapping(spec.get("template")).get("metadata"))


def _label_map(path: str, labels: Any) -> Iterator[Violation]:
    for key, value in mapping(labels).items():
        key_problems = names.qualified_name(str(key))
        if key_problems:
            yield Violation(
                at(path, str(key)),
                f"label key {_shown(key)} is not a qualified name: {_problems(key_problems)}",
                "use [prefix/]name with a DNS subdomain prefix and a name of at most 63 alphanumerics, '-', '_', '.'",
                value=str(key),
            )
        if not isinstance(value, str):
            continue  # the schema reports a value that is not a string
        value_problems = names.label_value(value)
        if value_problems:
            yield Violation(
                at(path, str(key)),
                f"label value {_shown(value)} is not valid: {_problems(value_problems)}",
                "use at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric",
                value=value,
            )


def _selector_maps(manifest: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    spec = mapping(manifest.get("spec"))
    selector = spec.get("selector")
    if _is(manifest, "", "Service"):
        yield "spec.selector", selector
    elif isinstance(selector, dict):
        yield "spec.selector.matchLabels", selector.get("matchLabels")


@rule("name.label", "staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go: ValidateLabels")
def label_keys_and_values(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Label keys are qualified names and values valid label values (objects, templates, selectors)."""
    for path, meta in _metadatas(manifest):
        yield from _label_map(at(path, "labels"), meta.get("labels"))
    for path, labels in _selector_maps(manifest):
        yield from _label_map(path, labels)


@rule("name.annotation", "staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go: ValidateAnnotations")
def annotation_keys(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Annotation keys are qualified names (checked lowercased, as the API server does)."""
    for path, meta in _metadatas(manifest):
        for key in mapping(meta.get("annotations")):
            problems = names.qualified_name(str(key).lower())
            if problems:
                yield Violation(
                    at(at(path, "annotations"), str(key)),
                    f"annotation key {_shown(key)} is not a qualified name: {_problems(problems)}",
                    "use [prefix/]name with a DNS subdomain prefix and a name of at most 63 alphanumerics, "
                    "'-', '_', '.'",
                    value=str(key),
                )


def _utf8_len(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


@rule("size.annotations", "staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go: ValidateAnnotationsSize")
def annotations_size(manifest: dict[str, Any]) -> Iterator[Violation]:
    """All annotations of an object (keys and values) together are at most 256 KiB."""
    for path, meta in _metadatas(manifest):
        annotations = mapping(meta.get("annotations"))
        size = sum(_utf8_len(str(k)) + _utf8_len(v if isinstance(v, str) else "") for k, v in annotations.items())
        if size > MAX_ANNOTATIONS_BYTES:
            yield Violation(
                at(path, "annotations"),
                f"annotations total {size:,} bytes; the limit is {MAX_ANNOTATIONS_BYTES:,} (256 KiB)",
                "move large values into a ConfigMap",
                value=str(size),
            )


def _data_maps(manifest: dict[str, Any]) -> tuple[str, ...]:
    if _is(manifest, "", "ConfigMap"):
        return ("data", "binaryData")
    if _is(manifest, "", "Secret"):
        return ("data", "stringData")
    return ()


@rule("name.data-key", "pkg/apis/core/validation/validation.go: ValidateConfigMap / ValidateSecret (IsConfigMapKey)")
def data_keys(manifest: dict[str, Any]) -> Iterator[Violation]:
    """ConfigMap and Secret keys are alphanumerics, '-', '_' and '.'; a ConfigMap key is in data or binaryData."""
    fields = _data_maps(manifest)
    for field in fields:
        for key in mapping(manifest.get(field)):
            problems = names.config_map_key(str(key))
            if problems:
                yield Violation(
                    at(field, str(key)),
                    f"key {_shown(key)} is not a valid {manifest.get('kind')} key: {_problems(problems)}",
                    "use only alphanumerics, '-', '_' and '.' (a file name without directories)",
                    value=str(key),
                )
    if fields and fields[1] == "binaryData":
        for key in mapping(manifest.get("data")):
            if key in mapping(manifest.get("binaryData")):
                yield Violation(
                    at("binaryData", str(key)),
                    f"key {_shown(key)} is in both data and binaryData",
                    "keep the key in one of them",
                    value=str(key),
                )


def _base64_len(text: str) -> int:
    """The decoded length of base64 text (what the API server counts for a Secret's data)."""
    try:
        return len(binascii.a2b_base64(text))
    except binascii.Error:
        return len(text) * 3 // 4  # the schema's format check reports bad base64


def _data_sizes(manifest: dict[str, Any]) -> dict[str, int]:
    """Bytes per key as the API server counts them: base64 values decoded, text as UTF-8;
    a Secret's stringData is merged into data (a key in both takes the stringData value)."""
    sizes: dict[str, int] = {}
    encoded = "data" if _is(manifest, "", "Secret") else "binaryData"
    for field in _data_maps(manifest):
        for key, value in mapping(manifest.get(field)).items():
            if isinstance(value, str):
                sizes[str(key)] = _base64_len(value) if field == encoded else _utf8_len(value)
    return sizes


@rule("size.data", "pkg/apis/core/validation/validation.go: ValidateConfigMap / ValidateSecret (MaxSecretSize)")
def data_size(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A ConfigMap's or a Secret's data together is at most 1 MiB."""
    if not _data_maps(manifest) or "sops" in manifest:
        return  # SOPS ciphertext is larger than the data it decrypts to
    size = sum(_data_sizes(manifest).values())
    if size > MAX_DATA_BYTES:
        yield Violation(
            "data",
            f"holds {size:,} bytes of data; a {manifest.get('kind')} holds at most {MAX_DATA_BYTES:,} (1 MiB)",
            "split the data over several objects, or mount large files from a volume",
            value=str(size),
        )


@rule("name.env", "pkg/apis/core/validation/validation.go: ValidateEnv / ValidateEnvFrom (IsRelaxedEnvVarName)")
def env_names(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Env var names (and envFrom prefixes) are printable ASCII without '='."""
    for pod in pod_specs(manifest):
        for c in containers(pod, fields=("initContainers", "containers", "ephemeralContainers")):
            for i, item in enumerate(sequence(c.body.get("env"))):
                name = mapping(item).get("name")
                if isinstance(name, str):
                    problems = names.env_var_name(name)
                    if problems:
                        yield Violation(
                            at(at(at(c.path, "env"), i), "name"),
                            f"env var name {_shown(name)} {_problems(problems)}",
                            "rename the variable",
                            value=name,
                        )
            for i, item in enumerate(sequence(c.body.get("envFrom"))):
                prefix = mapping(item).get("prefix")
                if isinstance(prefix, str) and prefix:
                    problems = names.env_var_name(prefix)
                    if problems:
                        yield Violation(
                            at(at(at(c.path, "envFrom"), i), "prefix"),
                            f"envFrom prefix {_shown(prefix)} {_problems(problems)}",
                            "change the prefix",
                            value=prefix,
                        )


@rule("name.container", "pkg/apis/core/validation/validation.go: validateContainerCommon (ValidateDNS1123Label)")
def container_names(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Container names are DNS-1123 labels."""
    for pod in pod_specs(manifest):
        for c in containers(pod, fields=("initContainers", "containers", "ephemeralContainers")):
            name = c.body.get("name")
            if not isinstance(name, str):
                continue  # the schema requires a string name
            problems = names.dns1123_label(name)
            if problems:
                yield Violation(
                    at(c.path, "name"),
                    f"container name {_shown(name)} is not a DNS-1123 label: {_problems(problems)}",
                    "use lowercase letters, digits and '-', at most 63 characters",
                    value=name,
                )


@rule("name.port", "pkg/apis/core/validation/validation.go: validateContainerPorts (IsValidPortName)")
def port_names(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Container port names are IANA service names (at most 15 characters), unique in a container."""
    for pod in pod_specs(manifest):
        for c in containers(pod):
            seen: set[str] = set()
            for i, port in enumerate(sequence(c.body.get("ports"))):
                name = mapping(port).get("name")
                if not isinstance(name, str) or not name:
                    continue
                path = at(at(at(c.path, "ports"), i), "name")
                problems = names.port_name(name)
                if problems:
                    yield Violation(
                        path,
                        f"port name {_shown(name)} is not an IANA service name: {_problems(problems)}",
                        "use at most 15 lowercase letters, digits and '-', with at least one letter",
                        value=name,
                    )
                elif name in seen:
                    yield Violation(
                        path,
                        f"port name {_shown(name)} is used twice in container {_shown(c.name)}",
                        "give each port of a container its own name",
                        value=name,
                    )
                seen.add(name)


@rule("name.service-port", "pkg/apis/core/validation/validation.go: ValidateService / validateServicePort")
def service_port_names(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Service port names are DNS-1123 labels, required when there are several ports, and unique."""
    if not _is(manifest, "", "Service"):
        return
    ports = sequence(mapping(manifest.get("spec")).get("ports"))
    seen: set[str] = set()
    for i, port in enumerate(ports):
        name = mapping(port).get("name")
        path = f"spec.ports[{i}].name"
        if not name:
            if len(ports) > 1:
                yield Violation(path, "is required when a Service has more than one port", "name every port")
            continue
        if not isinstance(name, str):
            continue
        problems = names.dns1123_label(name)
        if problems:
            yield Violation(
                path,
                f"port name {_shown(name)} is not a DNS-1123 label: {_problems(problems)}",
                "use lowercase letters, digits and '-'",
                value=name,
            )
        elif name in seen:
            yield Violation(path, f"port name {_shown(name)} is used twice", "give each port its own name", value=name)
        seen.add(name)


@rule("name.volume", "pkg/apis/core/validation/validation.go: ValidateVolumes (ValidateDNS1123Label, Duplicate)")
def volume_names(manifest: dict[str, Any]) -> Iterator[Violation]:
    """Pod volume names are DNS-1123 labels, each used once."""
    for pod in pod_specs(manifest):
        seen: set[str] = set()
        for i, volume in enumerate(sequence(pod.spec.get("volumes"))):
            name = mapping(volume).get("name")
            if not isinstance(name, str):
                continue
            path = at(at(at(pod.path, "volumes"), i), "name")
            problems = names.dns1123_label(name)
            if problems:
                yield Violation(
                    path,
                    f"volume name {_shown(name)} is not a DNS-1123 label: {_problems(problems)}",
                    "use lowercase letters, digits and '-', at most 63 characters",
                    value=name,
                )
            elif name in seen:
                yield Violation(
                    path, f"volume name {_shown(name)} is used twice", "give each volume its own name", value=name
                )
            seen.add(name)


RULES: tuple[Rule, ...] = (
    metadata_name,
    cronjob_name_length,
    job_name_length,
    statefulset_name,
    metadata_namespace,
    label_keys_and_values,
    annotation_keys,
    annotations_size,
    data_keys,
    data_size,
    env_names,
    container_names,
    port_names,
    service_port_names,
    volume_names,
)
