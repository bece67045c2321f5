"""Oura agent: an LLM health coach that reads Oura data and talks on Discord.

Internal only (ClusterIP health endpoint; oura-collector posts to it with a webhook
token). Reads the `oura` database of the shared CNPG cluster and Supabase; calls
Anthropic and the APISIX Ollama gateway for chat and embeddings. Reads
oura-agent/{anthropic,discord,supabase,webhook-token}, postgres/app-user,
apisix/cluster-key and the Docker Hub pull secret from AWS; egress is limited to DNS,
Postgres, APISIX and public HTTPS. Every object but the store carries `app: oura-agent`.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.pods import env_from, http_probe, resources
from fako.patterns.aws import AwsSecretStore
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import AppNamespace
from fako.patterns.netpol import APISIX, DNS, HTTPS, POSTGRES, network_policy
from fako.patterns.rbac import rule, service_account
from fako.patterns.shared_secrets import PG_HOST, apisix_key, postgres_credentials
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

NAME = "oura-agent"
LABELS = {"app": NAME}
APISIX_URL = "http://apisix.apisix.svc.cluster.local:9080"
CONFIG = {  # `oura-agent-config`, read with envFrom
    "AWS_DEFAULT_REGION": "us-east-1", "DATABASE_HOST": PG_HOST, "DATABASE_NAME": "oura", "DATABASE_PORT": "5432",
    "DB_MAX_OVERFLOW": "10", "DB_POOL_SIZE": "5", "LLM_MAX_TOKENS": "4096", "LLM_MODEL": "claude-sonnet-4-5-20250929",
    "LLM_PROVIDER": "anthropic", "LLM_TEMPERATURE": "0.3", "LOG_LEVEL": "INFO", "MESSAGE_WINDOW_MINUTES": "30",
    "OLLAMA_BASE_URL": APISIX_URL, "OLLAMA_CHAT_BASE_URLS": APISIX_URL, "OLLAMA_CHAT_MODEL": "glm-4.7-flash:latest",
    "OLLAMA_EMBEDDING_DIM": "768", "OLLAMA_MODEL": "nomic-embed-text", "POLL_INTERVAL": "30", "RUN_ONCE": "false",
}
SECRETS = {  # ExternalSecret name: (AWS key, {env var: property}); target `<name>-env` (or the name)
    "anthropic-credentials": ("oura-agent/anthropic", {"ANTHROPIC_API_KEY": "api_key"}),
    "discord-credentials": ("oura-agent/discord", {"DISCORD_BOT_TOKEN": "bot_token", "DISCORD_GUILD_ID": "guild_id",
                                                   "DISCORD_HEALTH_CHANNEL_ID": "health_channel_id"}),
    "supabase-credentials": ("oura-agent/supabase", {"SUPABASE_URL": "url", "SUPABASE_KEY": "anon_key"}),
    "webhook-token-env": ("oura-agent/webhook-token", {"WEBHOOK_AUTH_TOKEN": "token"}),
}
ENV_SECRETS = ["postgres-credentials-env", "discord-credentials-env", "anthropic-credentials-env",
               "supabase-credentials-env", "webhook-token-env", "apisix-gateway-key"]
PG_ENV = {
    "DATABASE_PASSWORD": "{{ .password }}", "DATABASE_USER": "{{ .username }}", "DB_PASSWORD": "{{ .password }}",
    "DB_USER": "{{ .username }}",
    "DATABASE_URL": f"postgresql://{{{{ .username }}}}:{{{{ .password }}}}@{PG_HOST}:5432/oura",
}


class OuraAgent(AppConstruct):
    """The agent Deployment, its ClusterIP Service, RBAC and egress policy."""

    name = NAME

    def build(self) -> None:
        AppNamespace(self, labels=LABELS)
        store = AwsSecretStore(self)
        # SA + Role + RoleBinding, all `oura-agent`
        service_account(self, NAME, [rule("", ["configmaps"], ["get"])], labels=LABELS)
        ConfigMap(self, "config", ConfigMapSpec(name=f"{NAME}-config", labels=LABELS, data=CONFIG))
        service(self, NAME, labels=LABELS, selector=LABELS, ports=[port("health", 8080)])
        agent = k8s.Container(
            name=NAME, image="lzetam/oura-agent:latest", image_pull_policy="Always",
            env_from=env_from(*ENV_SECRETS, config_maps=[f"{NAME}-config"]),
            liveness_probe=http_probe("/health", 8080, failures=3, delay=30, period=30, timeout=10),
            readiness_probe=http_probe("/ready", 8080, failures=3, delay=30, period=10, timeout=5),
            ports=[k8s.ContainerPort(container_port=8080, name="health", protocol="TCP")],
            resources=resources(cpu=("50m", "500m"), memory=("128Mi", "512Mi")),
            security_context=k8s.SecurityContext(
                allow_privilege_escalation=False, capabilities=k8s.Capabilities(drop=["ALL"]),
                seccomp_profile=k8s.SeccompProfile(type="RuntimeDefault")))
        deployment(self, NAME, labels=LABELS, selector=LABELS, containers=[agent], service_account_name=NAME,
                   image_pull_secrets=[{"name": "dockerhub-registry"}],
                   security_context={"fsGroup": 1000, "runAsGroup": 1000, "runAsNonRoot": True, "runAsUser": 1000})
        for name, (key, envs) in SECRETS.items():
            template = {"data": {e: f"{{{{ .{p} }}}}" for e, p in envs.items()}, "type": "Opaque"}
            data = {p: f"{key}#{p}" for p in envs.values()}
            target = name if name.endswith("-env") else f"{name}-env"
            store.secret(name, data, labels=LABELS, target=target, template=template)
        apisix_key(store, labels=LABELS)
        dockerhub_pull_secret(store, labels=LABELS)
        postgres_credentials(store, labels=LABELS, env=PG_ENV)
        network_policy(self, f"{NAME}-egress", labels=LABELS, egress=[DNS, POSTGRES, APISIX, HTTPS])
