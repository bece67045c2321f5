"""Oura collector: polls the Oura Ring API hourly into Postgres and writes Obsidian notes.

Internal only (ClusterIP health endpoint). Stores data in the `oura` database of the
shared CNPG cluster (plus a 10Gi NFS claim), writes daily notes through vault-gateway and
alerts Discord / the oura-agent. Reads oura/api-credentials, oura/discord-webhook,
oura-agent/webhook-token, obsidian/api and postgres/app-user from AWS; the namespace's
AWS credentials reach it as env through the local secret store. Egress: DNS, Postgres,
oura-agent, vault-gateway and public HTTPS.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.pods import empty_dir, env, env_from, http_probe, mount, pvc_volume, resources
from fako.patterns.aws import AwsSecretStore
from fako.patterns.local_store import LocalSecretStore
from fako.patterns.namespace import AppNamespace
from fako.patterns.netpol import DNS, HTTPS, POSTGRES, VAULT_GATEWAY, network_policy, to_namespace
from fako.patterns.shared_secrets import PG_HOST, obsidian_api, postgres_credentials
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

NAME = "oura-collector"
LABELS = {"app": NAME}
CONFIG = {
    "ALERT_ON_STALE_DATA": "false", "API_TIMEOUT": "30", "AWS_DEFAULT_REGION": "us-east-1",
    "COLLECTION_INTERVAL": "3600", "DATABASE_HOST": PG_HOST,
    "DATABASE_NAME": "oura", "DATABASE_PORT": "5432", "DAYS_TO_BACKFILL": "30", "LOG_LEVEL": "INFO",
    "MAX_RETRIES": "3", "OBSIDIAN_CA_CERT": "/etc/obsidian-ca/ca.pem", "OBSIDIAN_VAULT_FOLDER": "Health/Oura Daily",
    "OURA_SECRETS_NAME": "oura/api-credentials", "POSTGRES_SECRETS_NAME": "postgres/app-user", "RETRY_DELAY": "5",
    "RUN_ONCE": "false", "STALE_DATA_THRESHOLD_DAYS": "3", "STORAGE_BACKEND": "postgres",
}
SECRETS = (  # (ExternalSecret = target, secret key, AWS key#property, env var)
    ("discord-webhook-env", "webhook_url", "oura/discord-webhook#webhook_url", "DISCORD_HEALTH_WEBHOOK_URL"),
    ("dr-agent-token-env", "token", "oura-agent/webhook-token#token", "DR_AGENT_TOKEN"),
    ("oura-api-env", "token", "oura/api-credentials#oura_personal_access_token", "OURA_PERSONAL_ACCESS_TOKEN"),
)
PG_ENV = {f"{p}_{k}": f"{{{{ .{k.lower().replace('user', 'username')} }}}}"
          for p in ("DATABASE", "DB", "POSTGRES") for k in ("USER", "PASSWORD")}
ENV_SECRETS = ["oura-api-env", "postgres-credentials-env", "discord-webhook-env", "obsidian-api-env",
               "dr-agent-token-env"]


class OuraCollector(AppConstruct):
    """The collector Deployment, its Service, data claim and egress policy."""

    name = NAME
    databases = ("oura",)

    def build(self) -> None:
        AppNamespace(self, labels={"vault-access": "true"})
        LocalSecretStore(self)
        store = AwsSecretStore(self)
        ConfigMap(self, "config", ConfigMapSpec(name=f"{NAME}-config", data=CONFIG))
        service(self, NAME, selector=LABELS, ports=[port("health", 8080)])
        claim(self, f"{NAME}-data", "10Gi", access="ReadWriteOnce")
        collector = k8s.Container(
            name=NAME, image="lzetam/oura-collector:latest",
            env=env({"OBSIDIAN_API_URL": "http://vault-gateway.vault-gateway.svc.cluster.local:8080"}),
            env_from=env_from(*ENV_SECRETS, config_maps=[f"{NAME}-config"]),
            liveness_probe=http_probe("/health", 8080, failures=3, delay=30, period=30, timeout=10),
            readiness_probe=http_probe("/ready", 8080, failures=3, delay=30, period=10, timeout=5),
            ports=[k8s.ContainerPort(container_port=8080, name="health", protocol="TCP")],
            resources=resources(cpu=("50m", "300m"), memory=("128Mi", "256Mi")),
            security_context=k8s.SecurityContext(
                allow_privilege_escalation=False, capabilities=k8s.Capabilities(drop=["ALL"]),
                read_only_root_filesystem=True, seccomp_profile=k8s.SeccompProfile(type="RuntimeDefault")),
            volume_mounts=[mount("data", "/data"), mount("tmp", "/tmp", read_only=True)],
        )
        deployment(
            self, NAME, selector=LABELS, containers=[collector], service_account_name=NAME,
            security_context={"fsGroup": 1000, "runAsGroup": 1000, "runAsNonRoot": True, "runAsUser": 1000},
            volumes=[pvc_volume("data", f"{NAME}-data"), empty_dir("tmp")],
        )
        for name, key, ref, var in SECRETS:
            store.secret(name, {key: ref}, template={"data": {var: f"{{{{ .{key} }}}}"}, "type": "Opaque"})
        obsidian_api(store, "obsidian-api-env", target="obsidian-api-env", style="env")
        postgres_credentials(store, env=PG_ENV)
        oura_agent = to_namespace("oura-agent", 8080)
        network_policy(self, f"{NAME}-egress", egress=[DNS, POSTGRES, oura_agent, VAULT_GATEWAY, HTTPS])
