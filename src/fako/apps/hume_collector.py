"""Hume collector: receives Hume Health body-composition pushes and writes them to Postgres.

Exposed at hume-health.landryzetam.net through traefik (plain HTTP, no TLS) and on the
tailnet as `hume-collector` (Tailscale userspace sidecar). Stores measurements in the
`hume` database of the shared CNPG cluster; a daily CronJob writes an Obsidian report
through vault-gateway. Reads postgres/app-user, obsidian/api, hume/ingest-token,
tailscale/hume-authkey and the Docker Hub pull secret from AWS; egress is limited to DNS,
Postgres, vault-gateway and HTTPS.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.pods import env, env_from, http_probe, pull_secrets, resources
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import RESTRICTED_CONTAINER, cronjob
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.ingress import ingress
from fako.patterns.local_store import LocalSecretStore, LocalSecretStoreSpec
from fako.patterns.namespace import AppNamespace
from fako.patterns.netpol import DNS, POSTGRES, VAULT_GATEWAY, network_policy, to_cidr
from fako.patterns.shared_secrets import PG_HOST, obsidian_api, postgres_credentials
from fako.patterns.tailscale import TailscaleSidecar, TailscaleSpec
from fako.patterns.workload import deployment, port, rolling, service
from fako.tree import AppConstruct

NAME = "hume-collector"
IMAGE = "lzetam/hume-collector:latest"
LABELS = {"app": NAME}
RES = resources(cpu=("50m", "300m"), memory=("128Mi", "256Mi"))
USER = {"runAsGroup": 1000, "runAsNonRoot": True, "runAsUser": 1000}
POD: dict[str, Any] = {"image_pull_secrets": pull_secrets("dockerhub-pull"), "service_account_name": NAME}
ROLLING = rolling(0, 1)
VAULT_URL = "http://vault-gateway.vault-gateway.svc.cluster.local:8080"
CONFIG = {
    "DATABASE_HOST": PG_HOST, "DATABASE_NAME": "hume", "DATABASE_PORT": "5432",
    "OBSIDIAN_VAULT_FOLDER": "Health/Hume Daily", "OBSIDIAN_VERIFY_TLS": "false",
}


def app_env(*secrets: str) -> list[k8s.EnvFromSource]:
    """`envFrom`: the app's ConfigMap, the Postgres credentials, then the named Secrets."""
    return env_from("postgres-credentials-env", *secrets, config_maps=(f"{NAME}-config",))


class HumeCollector(AppConstruct):
    """The collector Deployment (+ Tailscale sidecar) and its daily report CronJob."""

    name = NAME

    def build(self) -> None:
        AppNamespace(self, pss=None, labels={"vault-access": "true"})
        LocalSecretStore(self, LocalSecretStoreSpec(aws_env=None))
        store = AwsSecretStore(self)
        ConfigMap(self, "config", ConfigMapSpec(name=f"{NAME}-config", data=CONFIG))
        service(self, NAME, selector=LABELS, ports=[port("http", 8080)])
        ts = TailscaleSidecar(self, store, TailscaleSpec(hostname=NAME, key="hume"))
        app = k8s.Container(
            name=NAME, image=IMAGE, image_pull_policy="Always", env_from=app_env(),
            ports=[k8s.ContainerPort(container_port=8080, name="http", protocol="TCP")],
            liveness_probe=http_probe("/health", 8080, delay=15, period=30),
            readiness_probe=http_probe("/health", 8080, delay=5, period=10),
            resources=RES, security_context=RESTRICTED_CONTAINER)
        deployment(self, NAME, selector=LABELS, strategy=ROLLING, containers=[app, ts.container],
                   security_context={"fsGroup": 1000, **USER}, volumes=ts.volumes, **POD)
        report = k8s.Container(name="hume-report", image=IMAGE, image_pull_policy="Always",
                               command=["python", "report.py"], env=env({"OBSIDIAN_API_URL": VAULT_URL}),
                               env_from=app_env("obsidian-api-env"), resources=RES)
        cronjob(self, "hume-report", "30 5 * * *", ttl=None, restart_policy="OnFailure", containers=[report],
                security_context=USER, **POD)
        dockerhub_pull_secret(store, "dockerhub-pull")
        token = {"data": {"HUME_INGEST_TOKEN": "{{ .token }}"}, "type": "Opaque"}
        store.secret("hume-ingest-token", {"token": "hume/ingest-token"}, target="hume-ingest-token-env",
                     template=token)
        obsidian_api(store, "obsidian-api-env", target="obsidian-api-env", style="env")
        postgres_credentials(store)
        ingress(self, NAME, hosts=["hume-health.landryzetam.net"], service=NAME, port=8080, issuer=None)
        network_policy(self, f"{NAME}-egress", egress=[DNS, POSTGRES, VAULT_GATEWAY, to_cidr("0.0.0.0/0", 443)])
