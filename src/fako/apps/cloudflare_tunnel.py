"""Cloudflare Tunnel: the shared `fakocluster` tunnel that fronts apps without their own.

Routes n8n, the family-manager webhook and market-replay's gateway from
*.landryzetam.net to their in-cluster Services (config in `files/.../cloudflared.yaml`).
Stores nothing; reads only its SOPS-committed tunnel credentials.
"""

from __future__ import annotations

from fako.patterns import tunnel
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct

KUSTOMIZE = {"app.kubernetes.io/managed-by": "kustomize", "app.kubernetes.io/part-of": "cloudflare-tunnel"}
TIMEOUTS = tunnel.OriginRequest(connect_timeout="30s", keep_alive_timeout="90s")
ROUTES = (
    tunnel.TunnelRoute(hostname="n8n.landryzetam.net", service="http://n8n.n8n.svc.cluster.local:5678",
                       origin_request=TIMEOUTS, comment="n8n - route to n8n namespace service"),
    tunnel.TunnelRoute(hostname="family-webhook.landryzetam.net",
                       service="http://family-manager-webhook.family-manager.svc.cluster.local:80",
                       origin_request=TIMEOUTS, comment="Family Manager Webhook - ElevenLabs voice assistant",
                       blank_before=True),
    tunnel.TunnelRoute(hostname="market-replay.landryzetam.net",
                       service="http://market-replay-gateway.market-replay.svc.cluster.local:8000",
                       origin_request=TIMEOUTS, comment="Market Replay Gateway - Options data recording and replay",
                       blank_before=True),
)
LAYOUT = tunnel.TunnelLayout(header="Reusing existing fakocluster tunnel", blank_before_metrics=True,
                             metrics_comment=tunnel.DOCS.metrics_comment, blank_before_ingress=True)


class CloudflareTunnel(AppConstruct):
    """Namespace + the tunnel (kustomize labels on every object)."""

    name = "cloudflare-tunnel"

    def build(self) -> None:
        AppNamespace(self, labels={**KUSTOMIZE, "app.kubernetes.io/component": "ingress",
                                   "app.kubernetes.io/name": "cloudflare-tunnel"})
        tunnel.CloudflareTunnel(self, tunnel.CloudflareTunnelSpec(
            tunnel="fakocluster", routes=ROUTES, style=LAYOUT, labels=KUSTOMIZE,
            catch_all=tunnel.CatchAll(comment="Catch-all rule", blank_before=True)))
