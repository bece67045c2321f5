"""Blog: the Hugo static site (`lzetam/hugo`, nginx inside) at blog.landryzetam.net.

Public through its own Cloudflare tunnel `blog-tunnel` (which also carries
umami.landryzetam.net for the umami app); an nginx Ingress on blog.fako-cluster.local
serves the LAN. Stateless. Pulls its image with the legacy kubectl pull-secret Job
(SOPS `dockerhub-credentials`); the tunnel credentials are SOPS too.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import http_probe, pull_secrets, resources
from fako.patterns.ingress import ingress
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.namespace import AppNamespace
from fako.patterns.tunnel import (
    CATCH_ALL_COMMENT,
    DOCS,
    CatchAll,
    CloudflareTunnel,
    CloudflareTunnelSpec,
    TunnelLayout,
    TunnelRoute,
)
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

LABELS = {
    "app.kubernetes.io/component": "documentation", "app.kubernetes.io/instance": "production",
    "app.kubernetes.io/name": "hugo-blog", "app.kubernetes.io/part-of": "blog",
}
SELECTOR = {"app.kubernetes.io/name": "hugo-blog"}
ROUTES = (
    TunnelRoute(hostname="blog.landryzetam.net", service="http://hugo-blog:80", comment="Main blog hostname"),
    TunnelRoute(hostname="umami.landryzetam.net", service="http://umami.umami.svc.cluster.local:3000",
                comment="Umami analytics for the blog", blank_before=True),
)
LAYOUT = TunnelLayout(header=DOCS.header, blank_before_credentials=True, blank_before_metrics=True,
                      metrics_comment=DOCS.metrics_comment, blank_before_ingress=True)
"""cloudflared's sample layout, without the blank line under the header."""


class Blog(AppConstruct):
    """The hugo Deployment, its Service and Ingress, the tunnel and the legacy pull secret."""

    name = "blog"
    external = (("Secret", "dockerhub-registry"),)  # made at runtime by the legacy pull-secret Job

    def build(self) -> None:
        AppNamespace(self, labels=LABELS)
        LegacyPullSecret(self)
        CloudflareTunnel(self, CloudflareTunnelSpec(tunnel="blog-tunnel", routes=ROUTES, style=LAYOUT,
                                                    catch_all=CatchAll(comment=CATCH_ALL_COMMENT, blank_before=True)))
        service(self, "hugo-blog", labels=LABELS, selector=SELECTOR, ports=[port("http", 80, "http")])
        hugo = k8s.Container(
            name="hugo", image="lzetam/hugo:3642afac47cbe222945b3a047448dc2517a61d58", image_pull_policy="IfNotPresent",
            ports=[k8s.ContainerPort(container_port=80, name="http")],
            liveness_probe=http_probe("/", "http", delay=30, period=10),
            readiness_probe=http_probe("/", "http", delay=20, period=5),
            resources=resources(cpu=("25m", "200m"), memory=("64Mi", "128Mi")))
        deployment(self, "hugo-blog", labels=LABELS, selector=SELECTOR, containers=[hugo],
                   image_pull_secrets=pull_secrets("dockerhub-registry"))
        ingress(self, "hugo-blog", hosts=["blog.fako-cluster.local"], service="hugo-blog", port=80, labels=LABELS,
                issuer="letsencrypt-staging", tls_secret="hugo-blog-tls", ingress_class="nginx",
                annotations={"nginx.ingress.kubernetes.io/proxy-body-size": "10m"})
