"""Withings collector: pulls Withings scale/health data (OAuth app) into Postgres.

Receives Withings notification webhooks at withings-webhook.landryzetam.net through its own
cloudflared tunnel and is reachable on the tailnet as `withings-collector` (Tailscale
userspace sidecar). Stores data in the `withings` database of the shared CNPG cluster;
CronJobs collect every 6 hours and write a daily Obsidian report. Reads withings/oauth-app,
postgres/app-user, obsidian/api, tailscale/withings-authkey and the Docker Hub pull
secret from AWS; the tunnel credentials are SOPS-encrypted.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.pods import env_from, http_probe, pull_secrets, resources
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import RESTRICTED_CONTAINER, cronjob
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.local_store import LocalSecretStore, LocalSecretStoreSpec
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import PG_HOST, obsidian_api, postgres_credentials
from fako.patterns.tailscale import TailscaleSidecar, TailscaleSpec
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec, TunnelLayout
from fako.patterns.workload import deployment, port, rolling, service
from fako.tree import AppConstruct

NAME = "withings-collector"
IMAGE = "lzetam/withings-collector:latest"
LABELS = {"app": NAME}
RES = resources(cpu=("50m", "300m"), memory=("128Mi", "256Mi"))
USER = {"runAsGroup": 1000, "runAsNonRoot": True, "runAsUser": 1000}
POD: dict[str, Any] = {"image_pull_secrets": pull_secrets("dockerhub-pull"), "service_account_name": NAME}
ROLLING = rolling(0, 1)
CONFIG = {
    "DATABASE_HOST": PG_HOST, "DATABASE_NAME": "withings",
    "DATABASE_PORT": "5432", "DAYS_TO_BACKFILL": "7", "LOG_LEVEL": "INFO",
    "OBSIDIAN_VAULT_FOLDER": "Health/Withings Daily", "OBSIDIAN_VERIFY_TLS": "false",
}
OAUTH_ENV = {"WITHINGS_CLIENT_ID": "client_id", "WITHINGS_CLIENT_SECRET": "client_secret",
             "WITHINGS_REDIRECT_URI": "callback_url"}
"""Env name in `withings-oauth-env` -> property of the AWS secret `withings/oauth-app`."""


def app_env(*secrets: str) -> list[k8s.EnvFromSource]:
    """`envFrom`: the app's ConfigMap, the Postgres credentials, then the named Secrets."""
    return env_from("postgres-credentials-env", *secrets, config_maps=(f"{NAME}-config",))


class WithingsCollector(AppConstruct):
    """The webhook Deployment (+ Tailscale sidecar), its tunnel, collect and report CronJobs."""

    name = NAME

    def build(self) -> None:
        AppNamespace(self, pss=None)
        LocalSecretStore(self, LocalSecretStoreSpec(aws_env=None))
        store = AwsSecretStore(self)
        ConfigMap(self, "config", ConfigMapSpec(name=f"{NAME}-config", data=CONFIG))
        CloudflareTunnel(self, CloudflareTunnelSpec(
            tunnel="withings-webhook", routes=(("withings-webhook.landryzetam.net", f"http://{NAME}:8080"),),
            style=TunnelLayout(blank_before_ingress=True), resources="medium"))
        service(self, NAME, selector=LABELS, ports=[port("http", 8080)])
        ts = TailscaleSidecar(self, store, TailscaleSpec(hostname=NAME, key="withings"))
        app = k8s.Container(
            name=NAME, image=IMAGE, image_pull_policy="Always", env_from=app_env("withings-oauth-env"),
            ports=[k8s.ContainerPort(container_port=8080, name="http", protocol="TCP")],
            liveness_probe=http_probe("/health", 8080, delay=15, period=30),
            readiness_probe=http_probe("/ready", 8080, delay=5, period=10),
            resources=RES, security_context=RESTRICTED_CONTAINER)
        deployment(self, NAME, selector=LABELS, strategy=ROLLING, containers=[app, ts.container],
                   security_context={"fsGroup": 1000, **USER}, volumes=ts.volumes, **POD)
        for job, script, schedule, secret in (
            ("collect", "collector.py", "0 */6 * * *", "withings-oauth-env"),
            ("report", "report.py", "45 5 * * *", "obsidian-api-env"),
        ):
            container = k8s.Container(name=f"withings-{job}", image=IMAGE, image_pull_policy="Always",
                                      command=["python", script], env_from=app_env(secret), resources=RES)
            cronjob(self, f"withings-{job}", schedule, ttl=None, restart_policy="OnFailure", containers=[container],
                    security_context=USER, **POD)
        dockerhub_pull_secret(store, "dockerhub-pull")
        obsidian_api(store, "obsidian-api-env", target="obsidian-api-env", style="env")
        postgres_credentials(store)
        oauth = {"data": {env: f"{{{{ .{prop} }}}}" for env, prop in OAUTH_ENV.items()}, "type": "Opaque"}
        store.secret("withings-oauth-env", {p: f"withings/oauth-app#{p}" for p in OAUTH_ENV.values()}, template=oauth)
