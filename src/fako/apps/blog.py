"""Blog: the Hugo static site (`lzetam/hugo`, nginx inside) at blog.landryzetam.net.

Public through its own Cloudflare tunnel `blog-tunnel` (which also carries
umami.landryzetam.net for the umami app); an nginx Ingress on blog.fako-cluster.local
serves the LAN. Stateless. Pulls its image with the legacy kubectl pull-secret Job
(SOPS `dockerhub-credentials`); the tunnel credentials are SOPS too.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import read_file
from fako.constructs.pods import http_probe, pull_secrets, resources
from fako.patterns.ingress import ingress
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.namespace import AppNamespace
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

LABELS = {
    "app.kubernetes.io/component": "documentation", "app.kubernetes.io/instance": "production",
    "app.kubernetes.io/name": "hugo-blog", "app.kubernetes.io/part-of": "blog",
}
SELECTOR = {"app.kubernetes.io/name": "hugo-blog"}
ROUTES = (
    ("blog.landryzetam.net", "http://hugo-blog:80"),
    ("umami.landryzetam.net", "http://umami.umami.svc.cluster.local:3000"),
)


class Blog(AppConstruct):
    """The hugo Deployment, its Service and Ingress, the tunnel and the legacy pull secret."""

    name = "blog"
    external = (("Secret", "dockerhub-registry"),)  # made at runtime by the legacy pull-secret Job

    def build(self) -> None:
        AppNamespace(self, labels=LABELS)
        LegacyPullSecret(self)
        config = read_file(__file__, "cloudflared.yaml")
        CloudflareTunnel(self, CloudflareTunnelSpec(tunnel="blog-tunnel", routes=ROUTES, config=config))
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
