"""Cloudflare Tunnel: the shared `fakocluster` tunnel that fronts apps without their own.

Routes n8n, the family-manager webhook and market-replay's gateway from
*.landryzetam.net to their in-cluster Services (config in `files/.../cloudflared.yaml`).
Stores nothing; reads only its SOPS-committed tunnel credentials.
"""

from __future__ import annotations

from fako.constructs.config import read_file
from fako.patterns import tunnel
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct

KUSTOMIZE = {"app.kubernetes.io/managed-by": "kustomize", "app.kubernetes.io/part-of": "cloudflare-tunnel"}
ROUTES = (
    ("n8n.landryzetam.net", "http://n8n.n8n.svc.cluster.local:5678"),
    ("family-webhook.landryzetam.net", "http://family-manager-webhook.family-manager.svc.cluster.local:80"),
    ("market-replay.landryzetam.net", "http://market-replay-gateway.market-replay.svc.cluster.local:8000"),
)


class CloudflareTunnel(AppConstruct):
    """Namespace + the tunnel (kustomize labels on every object)."""

    name = "cloudflare-tunnel"

    def build(self) -> None:
        AppNamespace(self, labels={**KUSTOMIZE, "app.kubernetes.io/component": "ingress",
                                   "app.kubernetes.io/name": "cloudflare-tunnel"})
        tunnel.CloudflareTunnel(self, tunnel.CloudflareTunnelSpec(
            tunnel="fakocluster", routes=ROUTES, config=read_file(__file__, "cloudflared.yaml"), labels=KUSTOMIZE))
