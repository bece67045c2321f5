"""Plaud collector: the Plaud voice recorder's recordings and transcripts, mirrored into the vault.

A daily CronJob (15:00 UTC) pulls the last 48 hours from the Plaud API (OAuth refresh
token, Plaud's S3 credentials) into the `plaud` database of the shared CNPG cluster and
writes notes through vault-gateway; the Job `plaud-collector-migrate` runs the Alembic
migrations (TTL one day, so Flux re-creates it: it must stay idempotent). Not exposed,
no state of its own. Namespace enforces PSS restricted and has vault access; egress is
limited to DNS, Postgres, vault-gateway and public HTTPS. Reads plaud/*, obsidian/api,
postgres/app-user and the Docker Hub pull secret from AWS.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.jobs import Job, JobSpec
from fako.constructs.pods import empty_dir, env, env_from, mount, pull_secrets, resources, secret_keys
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import RESTRICTED_CONTAINER, cronjob, restricted_pod
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import RESTRICTED, AppNamespace
from fako.patterns.netpol import DNS, HTTPS, POSTGRES, VAULT_GATEWAY, network_policy
from fako.patterns.rbac import rule, service_account
from fako.patterns.shared_secrets import PG_HOST, obsidian_api, postgres_credentials
from fako.patterns.workload import pod_template
from fako.tree import AppConstruct

NAME = "plaud-collector"
LABELS = {"app.kubernetes.io/component": "collector", "app.kubernetes.io/instance": "production",
          "app.kubernetes.io/name": NAME, "app.kubernetes.io/part-of": "plaud"}
DATABASE = {"DATABASE_HOST": PG_HOST, "DATABASE_NAME": "plaud", "DATABASE_PORT": "5432"}
CONFIG = {"AWS_SECRETS_PLAUD_TOKEN_ID": "plaud/oauth-tokens", **DATABASE, "OBSIDIAN_VERIFY_TLS": "false",
          "PLAUD_HOURS_BACK": "48", "PLAUD_VAULT_MODE": "obsidian-api", "PLAUD_VAULT_REL_ROOT": "Plaud"}
PG_ENV = {f"{prefix}_{key}": f"{{{{ .{prop} }}}}" for prefix in ("DATABASE", "DB", "POSTGRES")
          for key, prop in (("PASSWORD", "password"), ("USER", "username"))}
AWS_KEYS = ("accessKeyId", "secretAccessKey", "region")  # plaud/aws-credentials: Plaud's own S3 access
AWS_ENV = dict(zip(("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"), AWS_KEYS, strict=True))
SECURITY = RESTRICTED_CONTAINER.model_copy(update={"seccomp_profile": k8s.SeccompProfile(type="RuntimeDefault")})
POD: dict[str, Any] = {"image_pull_secrets": pull_secrets("dockerhub-secret"), "service_account_name": NAME,
                       "security_context": restricted_pod(fs_group=1000), "volumes": [empty_dir("tmp")]}


def puller(name: str, command: list[str], cpu: str, memory: str, **fields: Any) -> k8s.Container:
    """A container of the puller image: read-only root, scratch `/tmp`, limited to 500m/512Mi."""
    return k8s.Container(
        name=name, image="lzetam/plaud-puller:latest", image_pull_policy="Always", command=command,
        resources=resources(cpu=(cpu, "500m"), memory=(memory, "512Mi")), security_context=SECURITY,
        volume_mounts=[mount("tmp", "/tmp")], **fields)


class PlaudCollector(AppConstruct):
    """The daily puller CronJob and migrate Job, their account, config, secrets and egress policy."""

    name = NAME
    databases = ("plaud",)

    def build(self) -> None:
        AppNamespace(self, RESTRICTED, {**LABELS, "vault-access": "true"})
        service_account(self, NAME, [rule("", ["configmaps", "secrets"], ["get", "list", "watch"])], labels=LABELS)
        ConfigMap(self, "config", ConfigMapSpec(name=f"{NAME}-config", labels=LABELS, data=CONFIG))
        daily = puller("puller", ["python", "/app/scripts/daily.py"], "50m", "128Mi",
                       env=env({"OBSIDIAN_API_URL": "http://vault-gateway.vault-gateway.svc.cluster.local:8080"}),
                       env_from=env_from("postgres-credentials-env", "obsidian-api-env", "plaud-oauth-env",
                                         "plaud-aws-env", config_maps=[f"{NAME}-config"]))
        cronjob(self, f"{NAME}-daily", "0 15 * * *", labels={"app": NAME, **LABELS}, pod_labels={"app": NAME},
                time_zone="UTC", starting_deadline=600, backoff_limit=1, containers=[daily], **POD)
        credentials = secret_keys("postgres-credentials-env", "DATABASE_USER", "DATABASE_PASSWORD")
        migrate = puller("migrate", ["alembic", "upgrade", "head"], "100m", "256Mi", working_dir="/app",
                         env=env({"DATABASE_HOST": PG_HOST, "DATABASE_PORT": "5432", "DATABASE_NAME": "plaud",
                                  **credentials}))
        Job(self, "migrate", JobSpec(
            name=f"{NAME}-migrate", labels={"app": f"{NAME}-migrate", **LABELS}, backoff_limit=3,
            ttl_seconds_after_finished=86400,
            template=pod_template({"app": f"{NAME}-migrate"}, containers=[migrate], restart_policy="Never", **POD)))
        store = AwsSecretStore(self)
        dockerhub_pull_secret(store, "dockerhub-secret", style="pretty", labels=LABELS)
        obsidian_api(store, "obsidian-api-env", target="obsidian-api-env", style="env", labels=LABELS)
        store.secret("plaud-aws-credentials", {p: f"plaud/aws-credentials#{p}" for p in AWS_KEYS},
                     target="plaud-aws-env", labels=LABELS,
                     template={"data": {k: f"{{{{ .{p} }}}}" for k, p in AWS_ENV.items()}, "type": "Opaque"})
        store.secret("plaud-oauth-tokens", {"refresh_token": "plaud/oauth-tokens#refresh_token"},
                     target="plaud-oauth-env", labels=LABELS,
                     template={"data": {"PLAUD_REFRESH_TOKEN": "{{ .refresh_token }}"}, "type": "Opaque"})
        postgres_credentials(store, env=PG_ENV, labels=LABELS)
        network_policy(self, f"{NAME}-egress", egress=[DNS, POSTGRES, VAULT_GATEWAY, HTTPS], labels=LABELS)
