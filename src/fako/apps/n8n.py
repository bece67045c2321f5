"""n8n: workflow automation (`n8nio/n8n`) at n8n.landryzetam.net.

Public through its own Cloudflare tunnel (and, for the same host, the shared
cloudflare-tunnel). Keeps workflows in the shared CNPG cluster (database `n8n`, user
`app` from AWS `postgres/app-user`) and its settings on a 10Gi NFS claim. Pulls its
image with the legacy kubectl pull-secret Job (SOPS `dockerhub-credentials`); the tunnel
credentials are SOPS too.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import env, http_probe, mount, pull_secrets, pvc_volume, resources, secret_key
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import PG_HOST
from fako.patterns.storage import claim
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec, OriginRequest, TunnelRoute
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

APP, HOST = {"app": "n8n"}, "n8n.landryzetam.net"
ORIGIN = OriginRequest(connect_timeout="30s", no_tls_verify=False, keep_alive_timeout="90s", http_host_header=HOST)
T, F = "true", "false"
ENV: dict[str, str | k8s.EnvVarSource] = {
    "DB_TYPE": "postgresdb", "DB_POSTGRESDB_HOST": PG_HOST,
    "DB_POSTGRESDB_PORT": "5432", "DB_POSTGRESDB_DATABASE": "n8n", "DB_POSTGRESDB_USER": "app",
    "DB_POSTGRESDB_PASSWORD": secret_key("app-user-secret", "password"),
    "N8N_HOST": HOST, "N8N_PORT": "5678", "N8N_PROTOCOL": "https", "WEBHOOK_URL": f"https://{HOST}/",
    "GENERIC_TIMEZONE": "America/New_York", "N8N_LOG_LEVEL": "info", "N8N_METRICS": T,
    "N8N_DIAGNOSTICS_ENABLED": F, "N8N_VERSION_NOTIFICATIONS_ENABLED": F, "N8N_TEMPLATES_ENABLED": T,
    "N8N_ONBOARDING_FLOW_DISABLED": T, "N8N_DISABLE_UI": F, "N8N_TRUST_PROXY": T,
    "N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS": T, "N8N_RUNNERS_ENABLED": T, "N8N_RUNNERS_TASK_TIMEOUT": "900",
    "N8N_RUNNERS_MAX_OLD_SPACE_SIZE": "2048", "N8N_BLOCK_ENV_ACCESS_IN_NODE": F, "N8N_GIT_NODE_DISABLE_BARE_REPOS": T,
}


class N8n(AppConstruct):
    """n8n on its data claim, its Service, the tunnel, the database secret and the legacy pull secret."""

    name = "n8n"
    databases = ("n8n",)
    external = (("Secret", "dockerhub-registry"),)  # made at runtime by the legacy pull-secret Job

    def build(self) -> None:
        AppNamespace(self, labels={"name": "n8n"})
        LegacyPullSecret(self)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store"))
        store.secret("postgres-credentials-external-secret",
                     {k: f"postgres/app-user#{k}" for k in ("username", "password")},
                     target="app-user-secret", template={"type": "kubernetes.io/basic-auth"})
        route = TunnelRoute(hostname=HOST, service="http://n8n:5678", origin_request=ORIGIN)
        CloudflareTunnel(self, CloudflareTunnelSpec(tunnel="fakocluster", routes=(route,), style="docs",
                                                    hello_world=True))
        service(self, "n8n", selector=APP, ports=[port("http", 5678)])
        claim(self, "n8n-data", "10Gi", access="ReadWriteOnce")
        n8n = k8s.Container(
            name="n8n", image="n8nio/n8n:1.123.64", env=env(ENV),
            ports=[k8s.ContainerPort(container_port=5678, protocol="TCP")],
            liveness_probe=http_probe("/healthz", 5678, failures=3, delay=30, period=10, timeout=5),
            readiness_probe=http_probe("/healthz", 5678, failures=3, delay=10, period=5, timeout=3),
            resources=resources(cpu=("100m", "1000m"), memory=("512Mi", "2Gi")),
            volume_mounts=[mount("n8n-data", "/home/node/.n8n")])
        deployment(self, "n8n", selector=APP, containers=[n8n], image_pull_secrets=pull_secrets("dockerhub-registry"),
                   security_context=k8s.PodSecurityContext(fs_group=1000, run_as_group=1000, run_as_non_root=True,
                                                           run_as_user=1000),
                   volumes=[pvc_volume("n8n-data", "n8n-data")])
