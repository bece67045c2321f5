"""Short forms for the parts of pod templates every app writes.

Each returns the typed Kubernetes model, so the result is checked like any other spec:
`env({"A": "1", "TOKEN": secret_key("api", "token")})`, `http_probe("/health", 8000, ...)`,
`pvc_volume("data", "app-data")`, `mount("data", "/data")`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from fako import k8s
from fako.checked import checked

__all__ = [
    "config_key",
    "config_keys",
    "config_volume",
    "empty_dir",
    "env",
    "env_from",
    "exec_probe",
    "field_ref",
    "http_probe",
    "mount",
    "pull_secrets",
    "pvc_volume",
    "resources",
    "secret_key",
    "secret_keys",
    "secret_volume",
    "tcp_probe",
]


@checked
def secret_key(name: str, key: str, optional: bool | None = None) -> k8s.EnvVarSource:
    """An env value read from key `key` of Secret `name`.

    Example: `env({"API_TOKEN": secret_key("app-secrets", "token")})`
    """
    ref: dict[str, Any] = {"key": key, "name": name}
    if optional is not None:
        ref["optional"] = optional
    return k8s.EnvVarSource(secret_key_ref=k8s.SecretKeySelector.model_validate(ref))


@checked
def config_key(name: str, key: str, optional: bool | None = None) -> k8s.EnvVarSource:
    """An env value read from key `key` of ConfigMap `name`.

    Example: `env({"LOG_LEVEL": config_key("app-config", "log-level")})`
    """
    ref: dict[str, Any] = {"key": key, "name": name}
    if optional is not None:
        ref["optional"] = optional
    return k8s.EnvVarSource(config_map_key_ref=k8s.ConfigMapKeySelector.model_validate(ref))


@checked
def secret_keys(name: str, *keys: str, optional: bool | None = None) -> dict[str, k8s.EnvVarSource]:
    """Env entries, in the order given, each read from the same-named key of Secret `name`.

    Example: `env(secret_keys("app-secrets", "API_TOKEN", "DB_PASSWORD"))`
    """
    return {k: secret_key(name, k, optional) for k in keys}


@checked
def config_keys(name: str, *keys: str, optional: bool | None = None) -> dict[str, k8s.EnvVarSource]:
    """Env entries, in the order given, each read from the same-named key of ConfigMap `name`.

    Example: `env(config_keys("app-config", "LOG_LEVEL", "REGION"))`
    """
    return {k: config_key(name, k, optional) for k in keys}


@checked
def field_ref(path: str) -> k8s.EnvVarSource:
    """An env value from the pod's own fields (`metadata.name`, `status.podIP`, ...).

    Example: `env({"POD_IP": field_ref("status.podIP")})`
    """
    return k8s.EnvVarSource(field_ref=k8s.ObjectFieldSelector(field_path=path))


@checked
def env(values: dict[str, str | k8s.EnvVarSource]) -> list[k8s.EnvVar]:
    """Environment variables in the order given; values are strings or `*_key` sources.

    Example: `env({"MODE": "prod", "TOKEN": secret_key("api", "token")})`
    """
    return [
        k8s.EnvVar(name=n, value=v) if isinstance(v, str) else k8s.EnvVar(name=n, value_from=v)
        for n, v in values.items()
    ]


_PROBE_ALIASES = {
    "delay": "initial_delay_seconds",
    "period": "period_seconds",
    "timeout": "timeout_seconds",
    "failures": "failure_threshold",
    "successes": "success_threshold",
}


def _probe_fields(fields: dict[str, Any]) -> dict[str, Any]:
    return {_PROBE_ALIASES.get(k, k): v for k, v in fields.items()}


@checked(rest=k8s.Probe, aliases=_PROBE_ALIASES)
def http_probe(
    path: str, port: int | str, *, scheme: Literal["HTTP", "HTTPS"] | None = None, **fields: Any
) -> k8s.Probe:
    """An HTTP GET probe; `fields` are the other Probe fields, with the short names
    `delay`, `period`, `timeout`, `failures`, `successes` for the timing ones.

    `scheme="HTTP"` (or "HTTPS") is written on the GET action; default: left out (HTTP).

    Example: `http_probe("/health", 8000, delay=30, period=10, timeout=5)`
    """
    action = k8s.HTTPGetAction(path=path, port=port, scheme=scheme)
    return k8s.Probe(http_get=action, **_probe_fields(fields))


@checked(rest=k8s.Probe, aliases=_PROBE_ALIASES)
def tcp_probe(port: int | str, **fields: Any) -> k8s.Probe:
    """A TCP socket probe; `fields` as for `http_probe`.

    Example: `tcp_probe(5432, delay=5, period=10)`
    """
    return k8s.Probe(tcp_socket=k8s.TCPSocketAction(port=port), **_probe_fields(fields))


@checked(rest=k8s.Probe, aliases=_PROBE_ALIASES)
def exec_probe(command: list[str], **fields: Any) -> k8s.Probe:
    """A probe running `command` in the container; `fields` as for `http_probe`.

    Example: `exec_probe(["pg_isready"], period=10)`
    """
    return k8s.Probe(exec=k8s.ExecAction(command=command), **_probe_fields(fields))


@checked(forms={"cpu": "a (request, limit) pair such as (\"100m\", \"500m\") (None for either side)", "memory": "a (request, limit) pair such as (\"128Mi\", \"256Mi\")", "requests": "a dict such as {\"cpu\": \"100m\"}", "limits": "a dict such as {\"memory\": \"256Mi\"}"})
def resources(
    requests: dict[str, k8s.Quantity] | None = None,
    limits: dict[str, k8s.Quantity] | None = None,
    *,
    cpu: tuple[k8s.Quantity | None, k8s.Quantity | None] | None = None,
    memory: tuple[k8s.Quantity | None, k8s.Quantity | None] | None = None,
) -> k8s.ResourceRequirements:
    """Requests and limits as written (`{"cpu": "500m", "memory": "1Gi"}`), or per resource
    as (request, limit) pairs: `resources(cpu=("100m", "500m"), memory=("256Mi", None))`.

    Example: `resources(cpu=("100m", "500m"), memory=("128Mi", "256Mi"))`
    """
    req = dict(requests or {})
    lim = dict(limits or {})
    for name, pair in (("cpu", cpu), ("memory", memory)):
        if pair is not None:
            if pair[0] is not None:
                req[name] = pair[0]
            if pair[1] is not None:
                lim[name] = pair[1]
    fields: dict[str, Any] = {}
    if limits is not None or lim:
        fields["limits"] = lim
    if requests is not None or req:
        fields["requests"] = req
    return k8s.ResourceRequirements(**fields)


@checked
def pvc_volume(name: str, claim: str, read_only: bool | None = None) -> k8s.Volume:
    """A pod volume backed by PersistentVolumeClaim `claim`.

    Example: `pvc_volume("data", "app-data")`
    """
    source: dict[str, Any] = {"claimName": claim}
    if read_only is not None:
        source["readOnly"] = read_only
    return k8s.Volume(name=name, persistent_volume_claim=k8s.PersistentVolumeClaimVolumeSource.model_validate(source))


@checked(rest=k8s.VolumeMount)
def mount(name: str, path: str, **fields: Any) -> k8s.VolumeMount:
    """A volume mount; `fields` are the other VolumeMount fields (`sub_path`, `read_only`).

    Example: `mount("data", "/data", read_only=True)`
    """
    return k8s.VolumeMount(name=name, mount_path=path, **fields)


@checked
def env_from(*secrets: str, config_maps: Sequence[str] = (), optional: bool | None = None) -> list[k8s.EnvFromSource]:
    """`envFrom` entries: every key of the ConfigMaps, then of the Secrets, in the order given.

    `optional=True` lets the pod start without them (every entry of the call); default: the
    field is left out, so each one must exist.

    Example: `env_from("app-secrets", config_maps=["app-config"])`
    """
    extra: dict[str, Any] = {} if optional is None else {"optional": optional}
    maps = [k8s.EnvFromSource(config_map_ref=k8s.ConfigMapEnvSource(name=n, **extra)) for n in config_maps]
    return maps + [k8s.EnvFromSource(secret_ref=k8s.SecretEnvSource(name=n, **extra)) for n in secrets]


@checked(rest=k8s.EmptyDirVolumeSource)
def empty_dir(name: str, **fields: Any) -> k8s.Volume:
    """A scratch volume; `fields` are EmptyDirVolumeSource fields (`medium`, `size_limit`).

    Example: `empty_dir("cache", medium="Memory", size_limit="64Mi")`
    """
    return k8s.Volume(name=name, empty_dir=k8s.EmptyDirVolumeSource(**fields))


@checked(rest=k8s.ConfigMapVolumeSource)
def config_volume(name: str, config_map: str, **fields: Any) -> k8s.Volume:
    """A volume of ConfigMap `config_map`'s keys; `fields` as ConfigMapVolumeSource (`items`, `default_mode`).

    Example: `config_volume("config", "app-config", items=[k8s.KeyToPath(key="app.yaml", path="app.yaml")])`
    """
    return k8s.Volume(name=name, config_map=k8s.ConfigMapVolumeSource(name=config_map, **fields))


@checked(rest=k8s.SecretVolumeSource)
def secret_volume(name: str, secret: str, **fields: Any) -> k8s.Volume:
    """A volume of Secret `secret`'s keys; `fields` as SecretVolumeSource (`items`, `default_mode`).

    Example: `secret_volume("creds", "tunnel-credentials", default_mode=0o400)`
    """
    return k8s.Volume(name=name, secret=k8s.SecretVolumeSource(secret_name=secret, **fields))


@checked
def pull_secrets(*names: str) -> list[k8s.LocalObjectReference]:
    """`imagePullSecrets` entries.

    Example: `pull_secrets("dockerhub-registry")`
    """
    return [k8s.LocalObjectReference(name=n) for n in names]
