"""Family manager: a Discord bot and a voice/SMS webhook that run the family's logistics.

The webhook is exposed at family-webhook.landryzetam.net through its own Cloudflare tunnel
and at landryzetam.net/voice and /webhook through traefik; the bot has no inbound traffic.
Memory lives in Supabase; Redis (1Gi NFS claim) is the webhook's cache. A CronJob batches
email every 4 hours. Reads the Discord, Anthropic, ElevenLabs, Nylas, Twilio, Supabase,
Amadeus, Brave, OpenAI and Ollama settings (`family-manager-secrets`), the tunnel
credentials and the Docker Hub pull secret from AWS; `aws-credentials` is made by hand.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.constructs.pods import (
    empty_dir,
    env,
    env_from,
    exec_probe,
    http_probe,
    mount,
    pull_secrets,
    pvc_volume,
    resources,
)
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.cron import cronjob
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.ingress import ingress, path
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import OPENAI_API_KEY
from fako.patterns.storage import claim
from fako.patterns.tunnel import (
    CatchAll,
    CloudflareTunnel,
    CloudflareTunnelSpec,
    OriginRequest,
    TunnelLayout,
    TunnelRoute,
)
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

LABELS = {"app.kubernetes.io/component": "webhook", "app.kubernetes.io/instance": "production",
          "app.kubernetes.io/name": "family-manager", "app.kubernetes.io/part-of": "family-manager"}
BOT_IMAGE = "lzetam/family-manager-bot:latest"
WEBHOOK_IMAGE = "lzetam/family-manager-webhook:latest"
WEBHOOK = "family-manager-webhook"
PULL = pull_secrets("dockerhub-secret")
APP_SECRETS = env_from("family-manager-secrets")
REDIS_ARGS = ["redis-server", "--appendonly", "yes", "--maxmemory", "128mb", "--maxmemory-policy", "allkeys-lru"]
ALIVE = ["python", "-c", "import os; exit(0 if os.path.exists('/proc/1/cmdline') else 1)"]


def refs(key: str, **props: str) -> dict[str, str]:
    """Secret keys read from properties of AWS secret `key`."""
    return {name: f"{key}#{prop}" for name, prop in props.items()}


def whole(prefix: str, *names: str) -> dict[str, str]:
    """Secret keys `<PREFIX>_<NAME>` holding the whole AWS secret `<prefix>/<name>`."""
    return {f"{prefix}_{n}".upper().replace("-", "_"): f"{prefix}/{n}" for n in names}


SECRETS = {
    **refs("family-manager-bot/discord", DISCORD_BOT_TOKEN="bot_token", DISCORD_GUILD_ID="guild_id"),
    **refs("family-manager-bot/anthropic", ANTHROPIC_API_KEY="api_key"),
    **refs("elevenlabs/api-key", ELEVENLABS_API_KEY="api_key"),
    **whole("nylas", "api-key", "grant-id"),
    **whole("twilio", "account-sid", "auth-token", "phone-number", "landry-cell", "wife-cell", "messaging-service-sid"),
    **refs("twilio/private-line", TWILIO_PRIVATE_LINE="private_line"),
    **refs("twilio/public-line", TWILIO_PUBLIC_LINE="public_line"),
    **refs("family-manager-bot/webhooks", ELEVENLABS_WEBHOOK_SECRET="elevenlabs_secret"),
    **refs("family-manager-bot/webhooks", RETELL_WEBHOOK_SECRET="retell_secret", INTERNAL_API_KEY="internal_api_key"),
    **refs("family-manager-bot/supabase", SUPABASE_URL="url", SUPABASE_ANON_KEY="anon_key"),
    **refs("family-manager-bot/supabase", SUPABASE_SERVICE_ROLE_KEY="service_role_key"),
    **refs("amadeus/api-credentials", AMADEUS_CLIENT_ID="apikey", AMADEUS_CLIENT_SECRET="apisecret"),
    **refs("family-manager-bot/ollama", OLLAMA_BASE_URL="base_url", OLLAMA_MODEL="model"),
    **refs("brave/search-api-credentials", BRAVE_API_KEY="apikey"),
    "OPENAI_API_KEY": OPENAI_API_KEY,
    "FAMILY_PINS": "family-manager-bot/family-pins",
}


def bot(name: str, image: str, command: list[str] | None, extra_env: dict[str, str] | None = None,
        **fields: Any) -> k8s.Container:
    """A container of the app: Supabase memory backend, the app secrets as environment."""
    fields |= {"env": env({**(extra_env or {}), "MEMORY_BACKEND": "supabase"}), "env_from": APP_SECRETS}
    return k8s.Container(name=name, image=image, command=command, **fields)


def app(scope: AppConstruct, name: str, timestamp: str, container: k8s.Container, **pod: Any) -> None:
    """A Deployment `name` (label `app: name`) of `container`, restarted by bumping `timestamp`."""
    pod |= {"pod_annotations": {"rollout/timestamp": timestamp}, "image_pull_secrets": PULL}
    deployment(scope, name, selector={"app": name}, labels={"app": name, **LABELS}, containers=[container], **pod)


class FamilyManager(AppConstruct):
    """Bot, webhook (+ Redis, + tunnel) and the email-batching CronJob."""

    name = "family-manager"
    external = (("Secret", "aws-credentials"),)

    def build(self) -> None:
        AppNamespace(self, labels=LABELS)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(credentials="external", labels=LABELS))
        CloudflareTunnel(self, CloudflareTunnelSpec(
            tunnel="family-manager",
            routes=(TunnelRoute(
                hostname="family-webhook.landryzetam.net",
                service=f"http://{WEBHOOK}.family-manager.svc.cluster.local:80",
                origin_request=OriginRequest(connect_timeout="30s", no_tls_verify=False, keep_alive_timeout="90s",
                                             http_host_header="family-webhook.landryzetam.net",
                                             disable_chunked_encoding=True)),),
            style=TunnelLayout(header="Dedicated tunnel for family-manager (not shared with other apps)",
                               blank_before_credentials=True, blank_before_metrics=True, blank_before_ingress=True),
            catch_all=CatchAll(comment="Catch-all returns 404 for unmatched requests", blank_before=True),
            probes="readiness", pull_secret="dockerhub-secret",
            labels=LABELS, credentials="aws-string", remote_key="family-manager-bot/cloudflare-tunnel",
        ), store=store)
        for name, svc_port, kind in ((WEBHOOK, port("http", 80, 8080), None),
                                     ("redis", port("redis", 6379), "ClusterIP")):
            service(self, name, selector={"app": name}, ports=[svc_port], labels=LABELS, type=kind)
        claim(self, "redis-data", "1Gi", access="ReadWriteOnce", labels=LABELS)
        app(self, "family-manager-bot", "2026-01-14T19:30:00Z", bot(
            "bot", BOT_IMAGE, ["python", "bot.py"],
            liveness_probe=exec_probe(ALIVE, delay=30, period=60, timeout=5, failures=3),
            startup_probe=exec_probe(ALIVE, delay=15, period=10, timeout=5, failures=6),
            resources=resources(cpu=("200m", "500m"), memory=("384Mi", "768Mi")),
            volume_mounts=[mount("data", "/app/data")],
        ), volumes=[empty_dir("data")])
        app(self, WEBHOOK, "2026-01-14T21:00:00Z", bot(
            "webhook", WEBHOOK_IMAGE, None,
            {"REDIS_URL": "redis://redis.family-manager.svc.cluster.local:6379/0"},
            liveness_probe=http_probe("/health", 8080, delay=20, period=60, timeout=15, failures=5),
            readiness_probe=http_probe("/ready", 8080, delay=15, period=15, timeout=10, failures=4),
            ports=[k8s.ContainerPort(container_port=8080)],
            resources=resources(cpu=("100m", "1000m"), memory=("256Mi", "512Mi")),
        ))
        ping, data = ["redis-cli", "ping"], [mount("redis-data", "/data")]
        deployment(
            self, "redis", selector={"app": "redis"}, labels=LABELS, image_pull_secrets=PULL,
            containers=[k8s.Container(
                name="redis", image="redis:7-alpine", args=REDIS_ARGS,
                liveness_probe=exec_probe(ping, delay=10, period=10),
                readiness_probe=exec_probe(ping, delay=5, period=5),
                ports=[k8s.ContainerPort(container_port=6379, protocol="TCP")],
                resources=resources(cpu=("50m", "200m"), memory=("64Mi", "256Mi")), volume_mounts=data)],
            init_containers=[k8s.Container(
                name="fix-permissions", image="busybox:1.38", command=["sh", "-c", "chown -R 999:999 /data"],
                security_context=k8s.SecurityContext(run_as_user=0), volume_mounts=data)],
            security_context=k8s.PodSecurityContext(fs_group=999), volumes=[pvc_volume("redis-data", "redis-data")],
        )
        email = "family-manager-email-processor"
        cronjob(
            self, email, "0 8,12,16,20,0,4 * * *", labels={"app": email, **LABELS}, pod_labels={"app": email},
            successful=5, ttl=None, time_zone="America/New_York", backoff_limit=2, active_deadline=600,
            restart_policy="OnFailure", image_pull_secrets=PULL,
            containers=[bot("email-processor", BOT_IMAGE, ["python", "batch_email.py", "--hours", "6"],
                            resources=resources(cpu=("200m", "500m"), memory=("256Mi", "512Mi")))],
        )
        dockerhub_pull_secret(store, "dockerhub-secret", style="pretty", labels=LABELS)
        store.secret("family-manager-secrets", SECRETS, labels=LABELS)
        ingress(
            self, WEBHOOK, hosts=["landryzetam.net"], paths=[path(WEBHOOK, 80, p) for p in ("/voice", "/webhook")],
            issuer="letsencrypt-prod", annotations={"traefik.ingress.kubernetes.io/router.entrypoints": "websecure"},
            tls_secret="landryzetam-net-tls", labels=LABELS)
