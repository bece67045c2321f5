"""A Cloudflare tunnel run inside an app's namespace (`cloudflared`), CLUSTER.md §7b.

Every tunnel of the cluster is the same three things: a Deployment `cloudflared`
(`cloudflare/cloudflared`, `tunnel --config /etc/cloudflared/config/config.yaml run`,
liveness on the metrics server's `/ready` at :2000), a ConfigMap `cloudflared` whose
`config.yaml` names the tunnel, its credentials file and the ingress routes (always ending
in `http_status:404`), and the Secret `tunnel-credentials` (key `credentials.json`),
committed with SOPS or read from AWS by an ExternalSecret `<app>/cloudflare-tunnel`.

`CloudflareTunnel(app, CloudflareTunnelSpec(tunnel="blog", routes=[("blog.example.org",
"http://blog:80")]))` renders the common form; the options cover the variants the
cluster's apps were written with (replicas, resources profile, readiness probe, labels,
pull secret, volume layout, credentials source). `config=` carries a hand-written
`config.yaml` verbatim (with its comments); `routes` are then checked against it.
"""

from __future__ import annotations

from typing import Any, Literal

from fako import k8s
from fako.constructs.base import DnsName, Spec
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.external_secrets import ExternalSecret, ExternalSecretSpec
from fako.constructs.pods import config_volume, http_probe, mount, pull_secrets, resources, secret_volume
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.errors import FakoError
from fako.patterns.aws import AwsSecretStore, remote
from fako.patterns.workload import deployment
from fako.tree import Group, Scope

__all__ = ["CloudflareTunnel", "CloudflareTunnelSpec", "TunnelRoute"]

CREDENTIALS_FILE = "/etc/cloudflared/creds/credentials.json"
SELECTOR = {"app": "cloudflared"}

_PROFILES: dict[str, tuple[dict[str, k8s.Quantity], dict[str, k8s.Quantity]]] = {
    "small": ({"cpu": "25m", "memory": "32Mi"}, {"cpu": "100m", "memory": "128Mi"}),
    "medium": ({"cpu": "100m", "memory": "128Mi"}, {"cpu": "300m", "memory": "256Mi"}),
    "large": ({"cpu": "250m", "memory": "128Mi"}, {"cpu": "500m", "memory": "256Mi"}),
}
_DOCS_HEAD = (
    "# Name of the tunnel you want to run\n\ntunnel: {tunnel}\n\ncredentials-file: {creds}\n\n"
    "# Serves the metrics server under /metrics and the readiness server under /ready\n"
    "metrics: 0.0.0.0:2000\nno-autoupdate: true\n\ningress:\n"
)
_COMPACT_HEAD = "tunnel: {tunnel}\ncredentials-file: {creds}\nmetrics: 0.0.0.0:2000\nno-autoupdate: true\ningress:\n"


class TunnelRoute(Spec):
    """One ingress rule: `hostname` to the origin `service` URL, with `originRequest` options.

    Where a spec takes routes, a `(hostname, service)` pair stands for a route without options.
    """

    hostname: str
    service: str
    origin_request: dict[str, str | bool] | None = None

    def render(self, indent: str) -> str:
        lines = [f"{indent}- hostname: {self.hostname}", f"{indent}  service: {self.service}"]
        if self.origin_request:
            lines.append(f"{indent}  originRequest:")
            for key, val in self.origin_request.items():
                shown = str(val).lower() if isinstance(val, bool) else val
                lines.append(f"{indent}    {key}: {shown}")
        return "".join(line + "\n" for line in lines)


class CloudflareTunnelSpec(Spec):
    """A `cloudflared` tunnel: what it routes, and how its Deployment and credentials look.

    Config: `tunnel` (name or UUID) and `routes` render `config.yaml` in `style` "compact"
    (bare keys) or "docs" (cloudflared's commented sample layout), list items indented by
    `indent`; `hello_world` adds the sample `hello.example.com` route before the 404.
    `config` replaces the rendering with a verbatim file (routes must then appear in it).
    Deployment: `replicas`, `resources` profile (small 25m/32Mi-100m/128Mi, medium
    100m/128Mi-300m/256Mi, large 250m/128Mi-500m/256Mi), `probes` ("liveness": fail once;
    "readiness": liveness failing 3 times plus a readiness probe; "relaxed": liveness every
    30 s, default threshold), `pull_secret`, `volumes` ("items": creds then the config
    key; "plain": creds then the whole ConfigMap; "config-first": ConfigMap then creds).
    Labels: `labels` go on every object of the tunnel; `deployment_labels` on the
    Deployment and its pods (they replace the pods' `app: cloudflared`, so include it).
    Credentials into Secret `secret_name`: "sops" (committed, encrypted), "aws" (ES
    `tunnel-credentials-secret`, property `credentials.json`, template engine v2),
    "aws-string" (ES named like the Secret, whole AWS secret `| toString`, daily), "aws-raw"
    (ES named like the Secret, `remote_key` copied to `credentials.json`), "external".
    `remote_key` defaults to `<namespace>/cloudflare-tunnel`.
    """

    tunnel: str
    routes: tuple[TunnelRoute | tuple[str, str], ...] = ()
    style: Literal["compact", "docs"] = "compact"
    indent: int = 0
    hello_world: bool = False
    config: str | None = None
    replicas: int = 2
    resources: Literal["small", "medium", "large"] = "small"
    probes: Literal["liveness", "readiness", "relaxed"] = "liveness"
    pull_secret: str | None = None
    volumes: Literal["items", "plain", "config-first"] = "items"
    labels: dict[str, str] | None = None
    deployment_labels: dict[str, str] | None = None
    image: str = "cloudflare/cloudflared:2025.11.1"
    credentials: Literal["sops", "aws", "aws-string", "aws-raw", "external"] = "sops"
    secret_name: DnsName = "tunnel-credentials"
    remote_key: str | None = None

    @property
    def rules(self) -> list[TunnelRoute]:
        """The routes, pairs made into `TunnelRoute`s."""
        return [r if isinstance(r, TunnelRoute) else TunnelRoute(hostname=r[0], service=r[1]) for r in self.routes]

    def render_config(self) -> str:
        """The `config.yaml` text: `config` verbatim, or rendered from the routes."""
        if self.config is not None:
            for route in self.rules:
                if f"hostname: {route.hostname}" not in self.config or route.service not in self.config:
                    raise FakoError(
                        f"tunnel {self.tunnel!r}: route {route.hostname} -> {route.service} "
                        "is not in the verbatim config"
                    )
            return self.config
        head = _DOCS_HEAD if self.style == "docs" else _COMPACT_HEAD
        pad = " " * self.indent
        text = head.format(tunnel=self.tunnel, creds=CREDENTIALS_FILE)
        text += "".join(route.render(pad) for route in self.rules)
        if self.hello_world:
            text += "\n" + TunnelRoute(hostname="hello.example.com", service="hello_world").render(pad)
        return text + f"{pad}- service: http_status:404\n"


class CloudflareTunnel(Group):
    """The `cloudflared` Deployment, its ConfigMap and its credentials, in the app's namespace."""

    def __init__(
        self, scope: Scope, spec: CloudflareTunnelSpec, *, store: AwsSecretStore | None = None, id: str = "tunnel"
    ) -> None:
        super().__init__(scope, id)
        self.spec = spec
        ConfigMap(
            self,
            "config",
            ConfigMapSpec(name="cloudflared", labels=spec.labels, data={"config.yaml": spec.render_config()}),
        )
        self._credentials(store)
        requests, limits = _PROFILES[spec.resources]
        creds = secret_volume("creds", spec.secret_name)
        items = [k8s.KeyToPath(key="config.yaml", path="config.yaml")] if spec.volumes == "items" else None
        config = config_volume("config", "cloudflared", items=items)
        probes: dict[str, k8s.Probe] = {
            "liveness": http_probe("/ready", 2000, failure_threshold=1, initial_delay_seconds=10, period_seconds=10),
            "readiness": http_probe("/ready", 2000, failure_threshold=3, initial_delay_seconds=10, period_seconds=10),
            "relaxed": http_probe("/ready", 2000, initial_delay_seconds=10, period_seconds=30),
        }
        ready = None
        if spec.probes == "readiness":
            ready = http_probe("/ready", 2000, failure_threshold=2, initial_delay_seconds=5, period_seconds=5)
        meta_labels = {**(spec.labels or {}), **(spec.deployment_labels or {})}
        deployment(
            self,
            "cloudflared",
            selector=SELECTOR,
            labels=meta_labels or None,
            pod_labels=spec.deployment_labels,
            replicas=spec.replicas,
            id="deployment",
            containers=[
                k8s.Container(
                    name="cloudflared",
                    image=spec.image,
                    args=["tunnel", "--config", "/etc/cloudflared/config/config.yaml", "run"],
                    liveness_probe=probes[spec.probes],
                    readiness_probe=ready,
                    resources=resources(requests=requests, limits=limits),
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
