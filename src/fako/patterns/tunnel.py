"""A Cloudflare tunnel run inside an app's namespace (`cloudflared`), CLUSTER.md §7b.

Every tunnel of the cluster is the same three things: a Deployment `cloudflared`
(`cloudflare/cloudflared`, `tunnel --config /etc/cloudflared/config/config.yaml run`,
liveness on the metrics server's `/ready` at :2000), a ConfigMap `cloudflared` whose
`config.yaml` names the tunnel, its credentials file and the ingress routes (always ending
in the catch-all, `http_status:404` by default), and the Secret `tunnel-credentials` (key
`credentials.json`), committed with SOPS or read from AWS by an ExternalSecret
`<app>/cloudflare-tunnel`.

    CloudflareTunnel(self, CloudflareTunnelSpec(tunnel="blog", routes=(
        ("blog.example.org", "http://blog:80"),
        TunnelRoute(hostname="api.example.org", service="https://api:8443",
                    origin_request=OriginRequest(no_tls_verify=True), comment="self-signed origin"),
    )))

`config.yaml` is always rendered from typed data (`fako.patterns.tunnel_config`): routes,
their `originRequest` options, comments and blank lines; there is no free-text config.
The other options cover the variants the cluster's apps were written with (replicas,
resources profile and per-resource overrides, probes and their timings, labels, pull
secret, volume layout, image, credentials source).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from fako import k8s
from fako.constructs.base import DnsName, Spec
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.external_secrets import ExternalSecret, ExternalSecretSpec
from fako.constructs.pods import config_volume, http_probe, mount, pull_secrets, secret_volume
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.errors import FakoError
from fako.patterns.args import expect
from fako.patterns.aws import AwsSecretStore, remote
from fako.patterns.overrides import ProbeTimings, ResourceOverrides, with_overrides
from fako.patterns.tunnel_config import (
    CATCH_ALL_COMMENT,
    COMPACT,
    DOCS,
    HELLO_WORLD_COMMENT,
    CatchAll,
    OriginRequest,
    TunnelLayout,
    TunnelName,
    TunnelRoute,
    coerce_routes,
    duplicate_routes,
    render_config,
)
from fako.patterns.workload import deployment
from fako.tree import Group, Scope

__all__ = [
    "CATCH_ALL_COMMENT",
    "COMPACT",
    "DOCS",
    "HELLO_WORLD_COMMENT",
    "LIVENESS",
    "PROFILES",
    "READINESS",
    "CatchAll",
    "CloudflareTunnel",
    "CloudflareTunnelSpec",
    "OriginRequest",
    "ProbeTimings",
    "TunnelLayout",
    "TunnelRoute",
]

SELECTOR = {"app": "cloudflared"}

PROFILES: dict[str, tuple[dict[str, k8s.Quantity], dict[str, k8s.Quantity]]] = {
    "small": ({"cpu": "25m", "memory": "32Mi"}, {"cpu": "100m", "memory": "128Mi"}),
    "medium": ({"cpu": "100m", "memory": "128Mi"}, {"cpu": "300m", "memory": "256Mi"}),
    "large": ({"cpu": "250m", "memory": "128Mi"}, {"cpu": "500m", "memory": "256Mi"}),
}
"""The `resources` profiles: (requests, limits) of the `cloudflared` container.

Example: `PROFILES["medium"]  # (requests, limits) of cloudflared`
"""
HELLO_WORLD = TunnelRoute(hostname="hello.example.com", service="hello_world", blank_before=True)


class CloudflareTunnelSpec(Spec):
    """A `cloudflared` tunnel: what it routes, and how its Deployment and credentials look.

    Config (`config.yaml`, rendered from these fields only):
    `tunnel` is the tunnel's name or UUID. `routes` are `TunnelRoute`s or
    `(hostname, service)` pairs, in order; a hostname (+ path) may appear once. `catch_all`
    is the last rule, always written after the routes (default `http_status:404`).
    `hello_world` adds cloudflared's sample `hello.example.com` route (after a blank line)
    before the catch-all. `style` lays out the settings above the routes: "compact" (bare
    keys, the default), "docs" (cloudflared's commented sample) or a `TunnelLayout` for
    any other arrangement of comments and blank lines. `indent` indents the list items
    (default 0).
    Deployment: `replicas` (default 2); `strategy` (a type name or `rolling(0, 1)`) and
    `revision_history_limit` (both left out by default); `resources` profile (small
    25m/32Mi-100m/128Mi, the default; medium 100m/128Mi-300m/256Mi; large
    250m/128Mi-500m/256Mi) with `requests`/`limits` replacing single resources of it
    (`limits={"memory": "256Mi"}` raises only the memory limit);
    `probes` ("liveness", the default: fail once; "readiness": liveness failing 3 times
    plus a readiness probe; "relaxed": liveness every 30 s, default threshold), with
    `liveness`/`readiness` (`ProbeTimings`) replacing single timings of those probes
    (`readiness` needs probes="readiness"); `image` (default cloudflare/cloudflared:2025.11.1);
    `pull_secret`; `volumes` ("items", the default: creds then the config key; "plain":
    creds then the whole ConfigMap; "config-first": ConfigMap then creds).
    Labels: `labels` go on every object of the tunnel; `deployment_labels` on the
    Deployment and its pods (they replace the pods' `app: cloudflared`, so include it).
    Credentials into Secret `secret_name` (default tunnel-credentials): "sops" (committed,
    encrypted; the default), "aws" (ES `tunnel-credentials-secret`, property
    `credentials.json`, template engine v2), "aws-string" (ES named like the Secret, whole
    AWS secret `| toString`, daily), "aws-raw" (ES named like the Secret, `remote_key`
    copied to `credentials.json`), "external" (made elsewhere). `remote_key` defaults to
    `<namespace>/cloudflare-tunnel`.

    Example: `CloudflareTunnelSpec(tunnel="blog", routes=(("blog.example.org", "http://blog:80"),), replicas=1, resources="medium")`
    """

    tunnel: TunnelName
    routes: tuple[TunnelRoute | tuple[str, str], ...] = ()
    catch_all: CatchAll = CatchAll()
    hello_world: bool = False
    style: Literal["compact", "docs"] | TunnelLayout = "compact"
    indent: int = Field(0, ge=0, le=8)
    replicas: int = Field(2, ge=0)
    strategy: Literal["Recreate", "RollingUpdate"] | k8s.DeploymentStrategy | None = None
    revision_history_limit: int | None = Field(None, ge=0)
    resources: Literal["small", "medium", "large"] = "small"
    requests: ResourceOverrides | None = None
    limits: ResourceOverrides | None = None
    probes: Literal["liveness", "readiness", "relaxed"] = "liveness"
    liveness: ProbeTimings | None = None
    readiness: ProbeTimings | None = None
    pull_secret: str | None = None
    volumes: Literal["items", "plain", "config-first"] = "items"
    labels: dict[str, str] | None = None
    deployment_labels: dict[str, str] | None = None
    image: str = "cloudflare/cloudflared:2025.11.1"
    credentials: Literal["sops", "aws", "aws-string", "aws-raw", "external"] = "sops"
    secret_name: DnsName = "tunnel-credentials"
    remote_key: str | None = None

    @field_validator("routes", mode="before")
    @classmethod
    def _routes_are_a_tuple_of_routes(cls, value: Any) -> Any:
        return coerce_routes(value)

    @model_validator(mode="after")
    def _routes_unique_and_probes_set(self) -> CloudflareTunnelSpec:
        problems = duplicate_routes(self.rules)
        if problems:
            raise ValueError("routes: " + "; ".join(problems))
        if self.readiness is not None and self.probes != "readiness":
            raise ValueError(
                f"readiness timings need a readiness probe: set probes='readiness' (got probes={self.probes!r})"
            )
        return self

    @property
    def rules(self) -> tuple[TunnelRoute, ...]:
        """The routes in config order: `routes`, then the hello-world sample if asked for."""
        # the routes validator has made every pair a TunnelRoute
        routes = tuple(r for r in self.routes if isinstance(r, TunnelRoute))
        return (*routes, HELLO_WORLD) if self.hello_world else routes

    @property
    def layout(self) -> TunnelLayout:
        """The `TunnelLayout` that `style` names or is."""
        if isinstance(self.style, TunnelLayout):
            return self.style
        return DOCS if self.style == "docs" else COMPACT

    def render_config(self) -> str:
        """The `config.yaml` text."""
        return render_config(self.tunnel, self.rules, self.layout, self.indent, self.catch_all)


LIVENESS: dict[str, dict[str, Any]] = {
    "liveness": {"failure_threshold": 1, "initial_delay_seconds": 10, "period_seconds": 10},
    "readiness": {"failure_threshold": 3, "initial_delay_seconds": 10, "period_seconds": 10},
    "relaxed": {"initial_delay_seconds": 10, "period_seconds": 30},
}
"""The liveness probe (on `/ready` at :2000) of each `probes` preset, as `http_probe` fields.

Example: `http_probe("/ready", 2000, **LIVENESS["liveness"])`
"""
READINESS: dict[str, Any] = {"failure_threshold": 2, "initial_delay_seconds": 5, "period_seconds": 5}
"""The readiness probe of the "readiness" preset, as `http_probe` fields.

Example: `http_probe("/ready", 2000, **READINESS)`
"""


class CloudflareTunnel(Group):
    """The `cloudflared` Deployment, its ConfigMap and its credentials, in the app's namespace.

    `store` is the app's `AwsSecretStore`, needed by the "aws*" credentials; `id` names
    the construct (default "tunnel"; give a second tunnel of one app another).

    Example: `CloudflareTunnel(self, CloudflareTunnelSpec(tunnel="blog", routes=(("blog.example.org", "http://blog:80"),)))`
    """

    def __init__(
        self, scope: Scope, spec: CloudflareTunnelSpec, *, store: AwsSecretStore | None = None, id: str = "tunnel"
    ) -> None:
        expect("CloudflareTunnel", "spec", spec, CloudflareTunnelSpec, "a CloudflareTunnelSpec(tunnel=..., routes=...)")
        expect("CloudflareTunnel", "store", store, (AwsSecretStore, type(None)), "the app's AwsSecretStore or None")
        expect("CloudflareTunnel", "id", id, str, "a str naming the construct")
        super().__init__(scope, id)
        self.spec = spec
        ConfigMap(
            self,
            "config",
            ConfigMapSpec(name="cloudflared", labels=spec.labels, data={"config.yaml": spec.render_config()}),
        )
        self._credentials(store)
        requests, limits = PROFILES[spec.resources]
        creds = secret_volume("creds", spec.secret_name)
        items = [k8s.KeyToPath(key="config.yaml", path="config.yaml")] if spec.volumes == "items" else None
        config = config_volume("config", "cloudflared", items=items)
        live = LIVENESS[spec.probes]
        live = spec.liveness.apply(live) if spec.liveness else live
        ready = None
        if spec.probes == "readiness":
            ready = http_probe("/ready", 2000, **(spec.readiness.apply(READINESS) if spec.readiness else READINESS))
        meta_labels = {**(spec.labels or {}), **(spec.deployment_labels or {})}
        deployment(
            self,
            "cloudflared",
            selector=SELECTOR,
            labels=meta_labels or None,
            pod_labels=spec.deployment_labels,
            replicas=spec.replicas,
            strategy=spec.strategy,
            revision_history_limit=spec.revision_history_limit,
            id="deployment",
            containers=[
                k8s.Container(
                    name="cloudflared",
                    image=spec.image,
                    args=["tunnel", "--config", "/etc/cloudflared/config/config.yaml", "run"],
                    liveness_probe=http_probe("/ready", 2000, **live),
                    readiness_probe=ready,
                    resources=with_overrides(requests, limits, spec.requests, spec.limits),
                    volume_mounts=[
                        mount("config", "/etc/cloudflared/config", read_only=True),
                        mount("creds", "/etc/cloudflared/creds", read_only=True),
                    ],
                )
            ],
            image_pull_secrets=pull_secrets(spec.pull_secret) if spec.pull_secret else None,
            volumes=[config, creds] if spec.volumes == "config-first" else [creds, config],
        )

    def _credentials(self, store: AwsSecretStore | None) -> None:
        spec = self.spec
        if spec.credentials == "sops":
            SopsSecret(self, "credentials", SopsSecretSpec(name=spec.secret_name))
            return
        if spec.credentials == "external":
            return
        if store is None:
            raise FakoError(f"tunnel {spec.tunnel!r}: credentials={spec.credentials!r} needs store=")
        key = spec.remote_key or f"{self.default_namespace}/cloudflare-tunnel"
        target: dict[str, Any] = {"creationPolicy": "Owner", "name": spec.secret_name}
        name, refresh = spec.secret_name, "1h"
        if spec.credentials == "aws":
            name, secret_key, ref = "tunnel-credentials-secret", "credentials_json", f"{key}#credentials.json"
            target["template"] = {"data": {"credentials.json": "{{ .credentials_json }}"}, "engineVersion": "v2"}
        elif spec.credentials == "aws-string":
            secret_key, ref, refresh = "credentials", key, "24h"
            target["template"] = {"data": {"credentials.json": "{{ .credentials | toString }}"}}
        else:
            secret_key, ref = "credentials.json", key
        ExternalSecret(
            self,
            "credentials",
            ExternalSecretSpec.model_validate(
                {
                    "name": name,
                    "labels": spec.labels,
                    "refreshInterval": refresh,
                    "secretStoreRef": store.ref,
                    "target": target,
                    "data": [{"remoteRef": remote(ref), "secretKey": secret_key}],
                }
            ),
        )
