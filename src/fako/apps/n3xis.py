"""n3xis: the shop-floor web app of N3xis (`lzetam/n3xis`, Node.js on port 3333).

Would be public at shopflor.n3xis.com through traefik (older annotation style, TLS from the
non-existent issuer `letsencrypt-prod`). Stateless, reads no secrets; pulls its image with the
legacy kubectl pull-secret Job (SOPS `dockerhub-credentials`). Switched off in the cluster.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import env, http_probe, pull_secrets, resources
from fako.patterns.ingress import LEGACY_TRAEFIK, ingress
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.namespace import AppNamespace
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

APP = {"app": "n3xis"}


class N3xis(AppConstruct):
    """Two replicas as uid 1001 behind a Service on port 80, the Ingress and the legacy pull secret."""

    name = "n3xis"
    external = (("Secret", "dockerhub-registry"),)  # made at runtime by the legacy pull-secret Job

    def build(self) -> None:
        AppNamespace(self, pss=None)
        LegacyPullSecret(self)
        service(self, "n3xis", selector=APP, ports=[port(None, 80, 3333, protocol=None)])
        n3xis = k8s.Container(
            name="n3xis", image="lzetam/n3xis:latest", image_pull_policy="Always", env=env({"NODE_ENV": "production"}),
            ports=[k8s.ContainerPort(container_port=3333)],
            liveness_probe=http_probe("/api/health", 3333, delay=30, period=10),
            readiness_probe=http_probe("/api/health", 3333, delay=5, period=5),
            resources=resources(cpu=("100m", "250m"), memory=("128Mi", "256Mi")))
        deployment(self, "n3xis", labels=APP, selector=APP, replicas=2, containers=[n3xis],
                   image_pull_secrets=pull_secrets("dockerhub-registry"),
                   security_context=k8s.PodSecurityContext(run_as_non_root=True, run_as_user=1001))
        ingress(self, "n3xis", hosts=["shopflor.n3xis.com"], service="n3xis", port=80, labels=APP,
                issuer="letsencrypt-prod", tls_secret="n3xis-tls", ingress_class=None, annotations=LEGACY_TRAEFIK)
