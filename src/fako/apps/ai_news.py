"""AI news: an LLM-curated AI news digest posted to Discord.

Four CronJobs (New York time) run the pipeline: morning, afternoon and evening digests
and a half-hourly breaking-news check (RSS only, high confidence); they summarise with
an LLM through APISIX, store runs in Supabase and archives in S3, and post to Discord.
A small API Deployment serves the results on ClusterIP only. Stores nothing in the
cluster. Secrets from AWS: LLM/news API keys, Discord, Supabase, S3, the APISIX key; the
Docker Hub pull secret comes both as an ExternalSecret and through the legacy Job.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import env, env_from, http_probe, pull_secrets, resources, secret_key
from fako.constructs.rbac import ServiceAccount, ServiceAccountSpec
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import cronjob
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import apisix_key
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

IMAGE = "lzetam/ai-news-pipeline:latest"
SA = "ai-news-sa"
API = {"app": "ai-news-api"}
LLM: dict[str, str | k8s.EnvVarSource] = {
    "LOG_LEVEL": "INFO", "LLM_PROVIDER": "ollama", "LLM_MODEL": "gemma3:27b",
    "OLLAMA_URL": "http://apisix.apisix.svc.cluster.local:9080",
    "OLLAMA_API_KEY": secret_key("apisix-gateway-key", "OLLAMA_API_KEY"),
}
SECRETS = {
    "ai-news-api-keys": {k: f"ai-news/api-keys#{k}" for k in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "NEWS_API_KEY")},
    "ai-news-discord": {"DISCORD_WEBHOOK_URL": "ai-news/discord#webhook_url",
                        "DISCORD_WEBHOOK_NEWS": "ai-news/discord#webhook_news",
                        "DISCORD_WEBHOOK_BREAKTHROUGH": "ai-news/discord#webhook_breakthrough",
                        "DISCORD_BOT_TOKEN": "ai-news/discord#bot_token"},
    "ai-news-storage": {"S3_BUCKET": "ai-news/storage#bucket", "AWS_ACCESS_KEY_ID": "ai-news/storage#access_key_id",
                        "AWS_SECRET_ACCESS_KEY": "ai-news/storage#secret_access_key"},
    "ai-news-supabase": {"SUPABASE_URL": "ai-news/supabase#url", "SUPABASE_KEY": "ai-news/supabase#service_role_key"},
}
RUNS = (
    ("afternoon", "0 14 * * *", ["--limit", "3", "--hours", "6"]),
    ("breaking", "*/30 * * * *", ["--limit", "1", "--hours", "1", "--min-confidence", "0.8", "--sources", "rss"]),
    ("evening", "0 18 * * *", ["--limit", "5", "--hours", "6"]),
    ("morning", "0 8 * * *", ["--limit", "5", "--hours", "12"]),
)
"""(name, schedule, `ai-news run` args) of the pipeline CronJobs; `breaking` is the lighter RSS-only check."""


class AiNews(AppConstruct):
    """API Deployment + Service, four pipeline CronJobs, secrets and the legacy pull Job."""

    name = "ai-news"

    def run(self, name: str, schedule: str, args: list[str]) -> None:
        """CronJob `ai-news-<name>`; the breaking-news check keeps less history, no S3, a shorter deadline."""
        breaking = name == "breaking"
        history = 1 if breaking else 3
        cronjob(
            self, f"ai-news-{name}", schedule, time_zone="America/New_York", successful=history, failed=history,
            ttl=3600 if breaking else 86400, active_deadline=300 if breaking else 600,
            image_pull_secrets=pull_secrets("dockerhub-registry"), service_account_name=SA,
            containers=[k8s.Container(
                name="ai-news", image=IMAGE, image_pull_policy="Always", command=["ai-news", "run", *args],
                env=env(LLM if breaking else {**LLM, "MIN_CONFIDENCE_SCORE": "0.6"}),
                env_from=env_from("ai-news-api-keys", "ai-news-discord", "ai-news-supabase",
                                   *(() if breaking else ("ai-news-storage",))),
                resources=resources(cpu=("250m", "500m"), memory=("256Mi", "512Mi")))],
        )

    def build(self) -> None:
        AppNamespace(self, labels={"app.kubernetes.io/name": "ai-news-pipeline", "name": self.name})
        ServiceAccount(self, "sa", ServiceAccountSpec(name=SA))
        LegacyPullSecret(self)
        service(self, "ai-news-api", selector=API, ports=[port("http", 80, 8000, protocol=None)])
        deployment(
            self, "ai-news-api", selector=API, image_pull_secrets=pull_secrets("dockerhub-registry"),
            service_account_name=SA,
            containers=[k8s.Container(
                name="api", image=IMAGE, image_pull_policy="Always",
                command=["ai-news", "serve", "--host", "0.0.0.0", "--port", "8000"], env=env({"LOG_LEVEL": "INFO"}),
                env_from=env_from("ai-news-api-keys", "ai-news-supabase"),
                ports=[k8s.ContainerPort(container_port=8000, name="http")],
                liveness_probe=http_probe("/health", 8000, delay=30, period=30),
                readiness_probe=http_probe("/health", 8000, delay=5, period=10),
                resources=resources(cpu=("100m", "250m"), memory=("128Mi", "256Mi")))],
        )
        for name, schedule, args in RUNS:
            self.run(name, schedule, args)
        store = AwsSecretStore(self)
        for name, data in SECRETS.items():
            store.secret(name, data)
        apisix_key(store)
        dockerhub_pull_secret(store, "dockerhub-credentials-secret", target="dockerhub-credentials", style="plain")
