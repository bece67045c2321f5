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
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.external_secrets import ExternalSecret, ExternalSecretSpec, SecretStore, SecretStoreSpec
from fako.constructs.network import Ingress, IngressSpec
from fako.constructs.pods import env, http_probe, resources, secret_key
from fako.constructs.rbac import ServiceAccount, ServiceAccountSpec
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.patterns.ingress import path
from fako.patterns.namespace import AppNamespace
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

NAME = "meal-tracker"
BASE = {"app.kubernetes.io/managed-by": "kustomize", "app.kubernetes.io/part-of": NAME}
CONFIG = {
    "AWS_REGION": "us-east-1",
    "DISCORD_CHANNEL_ID": "1464232388711284844",
    "DISCORD_GUILD_ID": "1459945937349771276",
    "ENVIRONMENT": "production",
    "LOG_LEVEL": "INFO",
    "POSTGRES_DATABASE": "meals",
    "POSTGRES_HOST": "postgres-cluster-rw.postgres.svc.cluster.local",
    "POSTGRES_PORT": "5432",
    "POSTGRES_USER": "postgres",
}
CREDENTIALS = {
    "DISCORD_TOKEN": "discord/bots/meal-tracker#token",
    "ANTHROPIC_API_KEY": "family-manager-bot/anthropic#api_key",
    "POSTGRES_PASSWORD": "postgres/admin-credentials#password",
    "FATSECRET_CONSUMER_KEY": "fatsecret/api-credentials#consumer_key",
    "FATSECRET_CONSUMER_SECRET": "fatsecret/api-credentials#consumer_secret",
}
DB_URL = "postgresql://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@$(POSTGRES_HOST):$(POSTGRES_PORT)/$(POSTGRES_DATABASE)"
RES: dict[str, Any] = {"requests": {"cpu": "25m", "memory": "64Mi"}, "limits": {"cpu": "100m", "memory": "128Mi"}}
CONFIG_REF = k8s.EnvFromSource(config_map_ref=k8s.ConfigMapEnvSource(name=f"{NAME}-config"))
STORE = {"kind": "SecretStore", "name": "aws-secret-store"}


def harden(read_only: bool = True) -> k8s.SecurityContext:
    return k8s.SecurityContext(
        allow_privilege_escalation=False,
        capabilities=k8s.Capabilities(drop=["ALL"]),
        read_only_root_filesystem=read_only,
    )


def ref(key: str) -> dict[str, str]:
    aws_key, _, prop = key.partition("#")
    return {"key": aws_key, "property": prop}


class MealTracker(AppConstruct):
    """The bot, the dashboard API and UI (Deployment + Service each), and their Ingress."""

    name = NAME

    def build(self) -> None:
        AppNamespace(self, labels={"app.kubernetes.io/component": "namespace", "app.kubernetes.io/name": NAME, **BASE})
        SopsSecret(self, "aws-credentials", SopsSecretSpec(name="aws-credentials"))
        aws = {
            "accessKeyIDSecretRef": {"key": "access-key-id", "name": "aws-credentials"},
            "secretAccessKeySecretRef": {"key": "secret-access-key", "name": "aws-credentials"},
        }
        provider = {"aws": {"auth": {"secretRef": aws}, "region": "us-east-1", "service": "SecretsManager"}}
        SecretStore(
            self,
            "store",
            SecretStoreSpec.model_validate({"name": "aws-secret-store", "labels": BASE, "provider": provider}),
        )
        ServiceAccount(self, "sa", ServiceAccountSpec(name=NAME, labels=BASE))
        ConfigMap(self, "config", ConfigMapSpec(name=f"{NAME}-config", labels=BASE, data=CONFIG))
        pod: dict[str, Any] = {
            "image_pull_secrets": [{"name": "dockerhub-registry"}],
            "restart_policy": "Always",
            "security_context": {"fsGroup": 1000, "runAsGroup": 1000, "runAsNonRoot": True, "runAsUser": 1000},
        }
        api_env = env(
            {"POSTGRES_PASSWORD": secret_key(f"{NAME}-credentials", "POSTGRES_PASSWORD"), "DATABASE_URL": DB_URL}
        )
        dashboards: list[tuple[str, str, int, str, dict[str, Any]]] = [
            ("dashboard-api", "api", 8080, "/api/health", {"env": api_env, "env_from": [CONFIG_REF]}),
            ("dashboard-ui", "ui", 3000, "/", {"security_context": harden(read_only=False)}),
        ]
        for name, component, target, health, extra in dashboards:
            labels = {**BASE, "app.kubernetes.io/name": name}
            service(self, name, labels=labels, selector=labels, ports=[port("http", 80, target)], id=f"{name}-service")
            container = k8s.Container(
                name=name,
                image=f"lzetam/meal-tracker-{name}:latest",
                image_pull_policy="Always",
                liveness_probe=http_probe(health, "http", initial_delay_seconds=10, period_seconds=30),
                readiness_probe=http_probe(health, "http", initial_delay_seconds=5, period_seconds=10),
                ports=[k8s.ContainerPort(container_port=target, name="http")],
                resources=resources(**RES),
                **{"security_context": harden(), **extra},
            )
            full = {"app.kubernetes.io/component": component, **labels}
            deployment(self, name, labels=full, selector=labels, pod_labels=full, containers=[container], **pod)
        labels = {**BASE, "app.kubernetes.io/name": NAME}
        bot = k8s.Container(
            name=NAME,
            image="lzetam/meal-tracker:latest",
            image_pull_policy="Always",
            env_from=[CONFIG_REF, k8s.EnvFromSource(secret_ref=k8s.SecretEnvSource(name=f"{NAME}-credentials"))],
            resources=resources(requests={"cpu": "50m", "memory": "128Mi"}, limits={"cpu": "300m", "memory": "256Mi"}),
            security_context=harden(),
        )
        full = {"app.kubernetes.io/component": "bot", **labels}
        deployment(
            self,
            NAME,
            labels=full,
            selector=labels,
            pod_labels=full,
            containers=[bot],
            service_account_name=NAME,
            **pod,
        )
        dockerhub = {"username": "dockerhub/credentials#username", "password": "dockerhub/credentials#token"}
        template = {
            "data": {".dockerconfigjson": read_file(__file__, "dockerconfig.json")},
            "type": "kubernetes.io/dockerconfigjson",
        }
        secrets: list[tuple[str, str, dict[str, str], str, dict[str, Any] | None]] = [
            ("dockerhub-secret", "dockerhub-registry", dockerhub, "24h", template),
            (f"{NAME}-credentials", f"{NAME}-credentials", CREDENTIALS, "1h", None),
        ]
        for name, key, data, refresh, tmpl in secrets:
            spec_target: dict[str, Any] = {"creationPolicy": "Owner", "name": key, "template": tmpl}
            fields: dict[str, Any] = {
                "name": name,
                "labels": BASE,
                "refreshInterval": refresh,
                "secretStoreRef": STORE,
                "target": spec_target,
            }
            fields["data"] = [{"remoteRef": ref(r), "secretKey": k} for k, r in data.items()]
            ExternalSecret(self, name, ExternalSecretSpec.model_validate(fields))
        hosts = [("diet.landryzetam.net", "dashboard-ui"), ("diet-api.landryzetam.net", "dashboard-api")]
        rules = [k8s.IngressRule(host=h, http=k8s.HTTPIngressRuleValue(paths=[path(s, 80)])) for h, s in hosts]
        notes = {"kubernetes.io/ingress.class": "traefik"}
        Ingress(self, "ingress", IngressSpec(name="dashboard-ingress", annotations=notes, labels=BASE, rules=rules))
