"""Meal tracker: a Discord bot logging meals (FatSecret + Claude) with a small web dashboard.

The dashboard UI and API are exposed at diet.landryzetam.net and diet-api.landryzetam.net
through traefik (legacy ingress-class annotation, no TLS). Meals live in the `meals`
database of the shared CNPG cluster (as the postgres admin user). Reads
discord/bots/meal-tracker, family-manager-bot/anthropic, postgres/admin-credentials,
fatsecret/api-credentials and the Docker Hub pull secret from AWS. Every object but the
SOPS secret carries the kustomize `managed-by`/`part-of` labels.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.network import Ingress, IngressSpec
from fako.constructs.pods import env, env_from, http_probe, pull_secrets, resources, secret_key
from fako.constructs.rbac import ServiceAccount, ServiceAccountSpec
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.cron import RESTRICTED_CONTAINER
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.ingress import path
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import PG_HOST
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

NAME = "meal-tracker"
BASE = {"app.kubernetes.io/managed-by": "kustomize", "app.kubernetes.io/part-of": NAME}
CONFIG = {
    "AWS_REGION": "us-east-1", "DISCORD_CHANNEL_ID": "1464232388711284844", "DISCORD_GUILD_ID": "1459945937349771276",
    "ENVIRONMENT": "production", "LOG_LEVEL": "INFO", "POSTGRES_DATABASE": "meals",
    "POSTGRES_HOST": PG_HOST, "POSTGRES_PORT": "5432",
    "POSTGRES_USER": "postgres",
}
CREDENTIALS = {  # meal-tracker-credentials, read whole by the bot
    "DISCORD_TOKEN": "discord/bots/meal-tracker#token", "ANTHROPIC_API_KEY": "family-manager-bot/anthropic#api_key",
    "POSTGRES_PASSWORD": "postgres/admin-credentials#password",
    "FATSECRET_CONSUMER_KEY": "fatsecret/api-credentials#consumer_key",
    "FATSECRET_CONSUMER_SECRET": "fatsecret/api-credentials#consumer_secret",
}
DB_URL = "postgresql://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@$(POSTGRES_HOST):$(POSTGRES_PORT)/$(POSTGRES_DATABASE)"
CONFIG_MAPS = [f"{NAME}-config"]
"""`envFrom` ConfigMaps of the API and the bot, before their Secrets."""
WRITABLE = RESTRICTED_CONTAINER.model_copy(update={"read_only_root_filesystem": False})
"""The UI's container securityContext: restricted, but with a writable root filesystem."""
POD: dict[str, Any] = {
    "image_pull_secrets": pull_secrets("dockerhub-registry"), "restart_policy": "Always",
    "security_context": {"fsGroup": 1000, "runAsGroup": 1000, "runAsNonRoot": True, "runAsUser": 1000},
}
"""Pod fields every Deployment shares."""


def web(target: int, health: str) -> dict[str, Any]:
    """Container fields of a dashboard half: port `http` = `target`, probes on `health`, small resources."""
    return {"ports": [k8s.ContainerPort(container_port=target, name="http")],
            "liveness_probe": http_probe(health, "http", delay=10, period=30),
            "readiness_probe": http_probe(health, "http", delay=5, period=10),
            "resources": resources(cpu=("25m", "100m"), memory=("64Mi", "128Mi"))}


class MealTracker(AppConstruct):
    """The bot, the dashboard API and UI (Deployment + Service each), and their Ingress."""

    name = NAME

    def build(self) -> None:
        AppNamespace(self, labels={"app.kubernetes.io/component": "namespace", "app.kubernetes.io/name": NAME, **BASE})
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(labels=BASE))
        ServiceAccount(self, "sa", ServiceAccountSpec(name=NAME, labels=BASE))
        ConfigMap(self, "config", ConfigMapSpec(name=f"{NAME}-config", labels=BASE, data=CONFIG))
        creds = f"{NAME}-credentials"
        api = k8s.Container(
            name="dashboard-api", image="lzetam/meal-tracker-dashboard-api:latest", image_pull_policy="Always",
            env=env({"POSTGRES_PASSWORD": secret_key(creds, "POSTGRES_PASSWORD"), "DATABASE_URL": DB_URL}),
            env_from=env_from(config_maps=CONFIG_MAPS), security_context=RESTRICTED_CONTAINER,
            **web(8080, "/api/health"))
        ui = k8s.Container(name="dashboard-ui", image="lzetam/meal-tracker-dashboard-ui:latest",
                           image_pull_policy="Always", security_context=WRITABLE, **web(3000, "/"))
        bot = k8s.Container(
            name=NAME, image="lzetam/meal-tracker:latest", image_pull_policy="Always",
            env_from=env_from(creds, config_maps=CONFIG_MAPS),
            resources=resources(cpu=("50m", "300m"), memory=("128Mi", "256Mi")), security_context=RESTRICTED_CONTAINER)
        for component, container, target in (("api", api, 8080), ("ui", ui, 3000), ("bot", bot, None)):
            labels = {**BASE, "app.kubernetes.io/name": container.name}
            if target:  # the dashboard halves have a Service on port 80
                service(self, container.name, labels=labels, selector=labels, ports=[port("http", 80, target)])
            full = {"app.kubernetes.io/component": component, **labels}
            deployment(self, container.name, labels=full, selector=labels, pod_labels=full, containers=[container],
                       service_account_name=NAME if component == "bot" else None, **POD)
        dockerhub_pull_secret(store, "dockerhub-secret", target="dockerhub-registry", style="pretty", labels=BASE)
        store.secret(creds, CREDENTIALS, labels=BASE)
        rules = [k8s.IngressRule(host=h, http=k8s.HTTPIngressRuleValue(paths=[path(s, 80)]))
                 for h, s in (("diet.landryzetam.net", "dashboard-ui"), ("diet-api.landryzetam.net", "dashboard-api"))]
        Ingress(self, "ingress", IngressSpec(name="dashboard-ingress", labels=BASE, rules=rules,
                                             annotations={"kubernetes.io/ingress.class": "traefik"}))
