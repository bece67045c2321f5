"""Fieldy: the Fieldy wearable's conversations and transcripts, mirrored into the vault.

Three CronJobs share one image: the puller (16:00 UTC) fetches the day's conversations
from the Fieldy API into Postgres (`fieldy` database on the shared CNPG cluster) and the
vault, the enricher (16:30) summarises them with an LLM via APISIX (traced in Langfuse),
and the healthcheck (18:00) alerts Discord when vault areas go stale. Not exposed; puller
and enricher keep state on 64Mi local-path claims. Secrets from AWS: Fieldy and Anthropic
keys, Obsidian API, Postgres app user, APISIX key, Langfuse keys, Discord webhook, Docker
Hub pull secret. Five egress policies (two for the disabled export/publish jobs).
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import env, mount, pull_secrets, pvc_volume, resources, secret_key
from fako.patterns import shared_secrets as shared
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.cron import RESTRICTED_CONTAINER, cronjob, restricted_pod
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import RESTRICTED, AppNamespace
from fako.patterns.netpol import APISIX, DNS, HTTPS, LANGFUSE, POSTGRES, VAULT_GATEWAY, network_policy
from fako.patterns.shared_secrets import PG_HOST
from fako.patterns.storage import claim
from fako.tree import AppConstruct

LABELS = {"app.kubernetes.io/component": "puller", "app.kubernetes.io/instance": "production",
          "app.kubernetes.io/name": "fieldy-webhook", "app.kubernetes.io/part-of": "fieldy"}
IMAGE = "lzetam/fieldy-webhook:v0.24.0"
EnvMap = dict[str, str | k8s.EnvVarSource]
VAULT: EnvMap = {
    "OBSIDIAN_API_URL": "http://vault-gateway.vault-gateway.svc.cluster.local:8080",
    "OBSIDIAN_API_KEY": secret_key("obsidian-api", "api_key"),
    "FIELDY_VAULT_REL_ROOT": "fieldy",
}
POLICIES = {  # egress beyond DNS and the vault gateway, per job (postgres-publish, transcript-export: disabled jobs)
    "fieldy-enrich": [APISIX, HTTPS, LANGFUSE], "fieldy-healthcheck": [HTTPS], "fieldy-postgres-publish": [POSTGRES],
    "fieldy-puller": [HTTPS, POSTGRES], "fieldy-transcript-export": [],
}


class FieldyWebhook(AppConstruct):
    """Puller, enricher and healthcheck CronJobs with their claims, secrets and policies."""

    name = "fieldy-webhook"

    def job(self, name: str, schedule: str, script: list[str], values: EnvMap, cpu: tuple[str, str],
            memory: tuple[str, str], *, state: bool = True, backoff_limit: int = 1,
            active_deadline: int | None = None) -> None:
        """CronJob `fieldy-<name>` (UTC, restricted, non-root 1000) running `python <script>` on the
        shared image, with its 64Mi local-path `/state` claim unless `state=False`."""
        app = f"fieldy-{name}"
        if state:
            claim(self, f"{app}-state", "64Mi", storage_class="local-path", access="ReadWriteOnce", labels=LABELS)
        container = k8s.Container(
            name=name, image=IMAGE, command=["python", *script],
            env=env({"FIELDY_VAULT_MODE": "obsidian-api", **values}),
            resources=resources(cpu=cpu, memory=memory), security_context=RESTRICTED_CONTAINER,
            volume_mounts=[mount("state", "/state")] if state else None)
        cronjob(self, app, schedule, labels={"app": app, **LABELS}, pod_labels={"app": app}, time_zone="UTC",
                starting_deadline=600, backoff_limit=backoff_limit, active_deadline=active_deadline,
                automount_service_account_token=False, security_context=restricted_pod(fs_group=1000),
                image_pull_secrets=pull_secrets("dockerhub-secret"), containers=[container],
                volumes=[pvc_volume("state", f"{app}-state")] if state else None)

    def build(self) -> None:
        AppNamespace(self, RESTRICTED, {**LABELS, "vault-access": "true"})
        self.job("enrich", "30 16 * * *", ["/app/scripts/enrich.py", "--limit", "150"], {
            **VAULT, "FIELDY_STATE_DIR": "/state", "FIELDY_ENRICH_BACKEND": "ollama",
            "OLLAMA_BASE_URL": "http://apisix.apisix.svc.cluster.local:9080",
            "OLLAMA_API_KEY": secret_key("apisix-gateway-key", "OLLAMA_API_KEY"), "OLLAMA_MODEL": "gpt-oss:20b",
            "FIELDY_ENRICH_CONCURRENCY": "2", "LANGFUSE_HOST": "http://langfuse-web.langfuse.svc:3000",
            "LANGFUSE_PUBLIC_KEY": secret_key("fieldy-langfuse", "public_key"),
            "LANGFUSE_SECRET_KEY": secret_key("fieldy-langfuse", "secret_key"),
        }, ("100m", "1"), ("512Mi", "3Gi"), active_deadline=21600)
        self.job("healthcheck", "0 18 * * *", ["/app/scripts/healthcheck.py"], {
            **VAULT, "FIELDY_HEALTH_AREAS": "conversations,transcriptions", "FIELDY_STALE_AFTER_DAYS": "2",
            "FIELDY_ALERT_WEBHOOK_URL": secret_key("fieldy-discord", "sre_alerts_webhook"),
        }, ("50m", "200m"), ("64Mi", "256Mi"), state=False, backoff_limit=0, active_deadline=600)
        self.job("puller", "0 16 * * *", ["/app/scripts/daily.py"], {
            "FIELDY_API_KEY": secret_key("fieldy-api-key", "api_key"), **VAULT, "FIELDY_STATE_DIR": "/state",
            "FIELDY_MAX_TRANSCRIPT_PAGES": "50", "DATABASE_HOST": PG_HOST,
            "DATABASE_PORT": "5432", "DATABASE_NAME": "fieldy",
            "DATABASE_USER": secret_key("postgres-credentials-env", "DATABASE_USER"),
            "DATABASE_PASSWORD": secret_key("postgres-credentials-env", "DATABASE_PASSWORD"),
        }, ("25m", "250m"), ("96Mi", "256Mi"))
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(labels=LABELS))
        shared.apisix_key(store, labels=LABELS)
        dockerhub_pull_secret(store, "dockerhub-secret", style="pretty", labels=LABELS)
        for key in ("anthropic", "api-key"):
            store.secret(f"fieldy-{key}", {"api_key": f"fieldy/{key}#api_key"}, labels=LABELS,
                                   template={"data": {"api_key": "{{ .api_key }}"}, "engineVersion": "v2"})
        shared.discord_webhook(store, "fieldy-discord-secret", {"sre_alerts_webhook": "sre_alerts"},
                               target="fieldy-discord", labels=LABELS)
        shared.langfuse_keys(store, "fieldy-langfuse", labels=LABELS)
        shared.obsidian_api(store, labels=LABELS)
        shared.postgres_credentials(store, labels=LABELS)
        for name, rules in POLICIES.items():
            network_policy(self, name, id=f"netpol-{name}", pod={"app": name}, labels=LABELS,
                           egress=[DNS, VAULT_GATEWAY, *rules])
