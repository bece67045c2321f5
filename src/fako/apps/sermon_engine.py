"""Sermon engine: a weekly sermon written from the week's world news.

One CronJob (Sundays 06:00 New York time) gathers news (Brave search), drafts the
sermon with Claude and the APISIX Ollama gateway, stores it in Supabase and posts it to
Discord. Not exposed, stores nothing in the cluster. Reads its API keys
(`sermon-engine/api-keys`), the APISIX cluster key and the Docker Hub pull secret from
AWS; the store's `aws-credentials` Secret was made by hand.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.pods import env_from, pull_secrets, resources
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.cron import cronjob
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import apisix_key
from fako.tree import AppConstruct

NAME = "sermon-engine"
LABELS = {"app.kubernetes.io/component": "cronjob", "app.kubernetes.io/instance": "production",
          "app.kubernetes.io/name": NAME, "app.kubernetes.io/part-of": NAME}
CONFIG = {
    "CLAUDE_MODEL": "claude-sonnet-4-20250514", "NEWS_MAX_RESULTS": "5",
    "NEWS_QUERY": "major world news events this week", "OLLAMA_URL": "http://apisix.apisix.svc.cluster.local:9080",
    "SUPABASE_URL": "https://rehpmoxczibgkwcawelo.supabase.co",
}
KEYS = ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GOOGLE_API_KEY", "BRAVE_API_KEY", "DISCORD_WEBHOOK_URL", "SUPABASE_KEY")


class SermonEngine(AppConstruct):
    """The weekly `sermon-generator` CronJob, its config and three ExternalSecrets."""

    name = NAME
    external = (("Secret", "aws-credentials"),)

    def build(self) -> None:
        AppNamespace(self, labels=LABELS)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(credentials="external", labels=LABELS))
        apisix_key(store, labels=LABELS)
        dockerhub_pull_secret(store, "dockerhub-secret", style="pretty", labels=LABELS)
        store.secret(f"{NAME}-secrets", {k: f"{NAME}/api-keys#{k}" for k in KEYS}, labels=LABELS)
        ConfigMap(self, "config", ConfigMapSpec(name=f"{NAME}-config", labels=LABELS, data=CONFIG))
        generator = k8s.Container(
            name="sermon-generator", image="lzetam/sermon-engine:latest", image_pull_policy="Always",
            command=["python", "-m", "app.main", "generate"],
            env_from=env_from(f"{NAME}-secrets", "apisix-gateway-key", config_maps=[f"{NAME}-config"]),
            resources=resources(cpu=("100m", "500m"), memory=("256Mi", "512Mi")))
        cronjob(self, "sermon-generator", "0 6 * * 0", labels={"app": "sermon-generator", **LABELS},
                pod_labels={"app": "sermon-generator"}, successful=4, failed=2, ttl=604800,
                time_zone="America/New_York", backoff_limit=2, active_deadline=900, restart_policy="OnFailure",
                containers=[generator], image_pull_secrets=pull_secrets("dockerhub-secret"))
