"""Claude usage dashboard: the organisation's Anthropic API cost and usage, as a web page.

One Deployment renders usage from the Anthropic admin API (35-day window, refreshed
every 6 h); exposed at claude-usage.landryzetam.net through traefik (DNS-01 cert).
Stores nothing (emptyDir /tmp). Reads the admin key (`aeonhq/anthropic-admin-key`) and
the Docker Hub pull secret from AWS; egress is limited to DNS and public HTTPS.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import empty_dir, env, env_from, http_probe, mount, pull_secrets, resources
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import RESTRICTED_CONTAINER
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.netpol import DNS, HTTPS, network_policy
from fako.patterns.workload import deployment, port, rolling, service
from fako.tree import AppConstruct

NAME = "claude-usage-dashboard"
HOST = "claude-usage.landryzetam.net"
SELECT = {"app.kubernetes.io/name": NAME}
SECRETS = "claude-usage-dashboard-secrets"
WEB = {"app.kubernetes.io/component": "web", **SELECT}
FLUX = {"app.kubernetes.io/managed-by": "flux", "app.kubernetes.io/part-of": NAME}


class ClaudeUsageDashboard(AppConstruct):
    """Deployment, Service, Ingress, two secrets and the egress policy."""

    name = NAME

    def build(self) -> None:
        AppNamespace(self, None, FLUX)
        store = AwsSecretStore(self)
        service(self, NAME, selector=SELECT, labels=SELECT, type=None, ports=[port("http", 80, "http", protocol=None)])
        dashboard = k8s.Container(
            name="dashboard", image="lzetam/claude-cost-dashboard:latest", image_pull_policy="Always",
            env=env({"WINDOW_DAYS": "35", "LOCAL_TZ": "America/Chicago", "ORG_NAME": "LZ Technology LLC",
                     "REFRESH_SECONDS": "21600", "HOME": "/tmp"}),
            env_from=env_from(SECRETS),
            ports=[k8s.ContainerPort(container_port=8080, name="http")],
            liveness_probe=http_probe("/healthz", "http", failures=4, delay=10, period=15, timeout=3),
            readiness_probe=http_probe("/readyz", "http", failures=12, delay=10, period=10, timeout=5),
            resources=resources(cpu=("25m", "300m"), memory=("96Mi", "256Mi")),
            security_context=RESTRICTED_CONTAINER, volume_mounts=[mount("tmp", "/tmp")])
        deployment(
            self, NAME, selector=SELECT, labels={**WEB, **FLUX}, pod_labels=WEB,
            pod_annotations={"kubectl.kubernetes.io/restartedAt": "2026-08-11T19:34:51Z"},
            strategy=rolling(1, 0),
            image_pull_secrets=pull_secrets("dockerhub-registry"), containers=[dashboard],
            security_context=k8s.PodSecurityContext(fs_group=1000, run_as_non_root=True, run_as_user=1000),
            volumes=[empty_dir("tmp")])
        store.secret(SECRETS, {"ANTHROPIC_ADMIN_KEY": "aeonhq/anthropic-admin-key#ANTHROPIC_ADMIN_KEY"})
        dockerhub_pull_secret(store)
        ingress(self, NAME, hosts=[HOST], service=NAME, port=80, issuer="letsencrypt-dns01",
                tls_secret="claude-usage-dashboard-tls",
                annotations={"traefik.ingress.kubernetes.io/router.entrypoints": "websecure",
                             "traefik.ingress.kubernetes.io/router.tls": "true"})
        network_policy(self, NAME, id="netpol", pod=SELECT, egress=[DNS, HTTPS])
