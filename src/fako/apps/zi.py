"""Zi: an AI orchestrator ("claude-agent-platform") with a dashboard and a team of agents.

Exposed at zi.landryzetam.net through traefik (dashboard at `/`, orchestrator API at
`/api`, `/health`, `/ready`). The orchestrator keeps its brain and skills on a 1Gi NFS
claim and agent memory on a shared 10Gi claim (one subPath per agent); Redis in the
namespace holds shared knowledge. Agents reach models through APISIX and the cluster
through two ServiceAccounts (read-only, and a k8s-operator that may restart pods); the
k8s-engineer runs at a high PriorityClass as the self-heal path. Reads API keys (Anthropic,
OpenAI, Discord, Obsidian, Supabase, Postgres admin, ...), the APISIX consumer key, the
GitHub token, Langfuse keys and the Docker Hub pull secret from AWS; the store's
`aws-credentials` Secret was made by hand.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.base import DnsName, Spec
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import (
    config_volume,
    env,
    env_from,
    exec_probe,
    http_probe,
    mount,
    pull_secrets,
    pvc_volume,
    resources,
    secret_key,
)
from fako.constructs.scheduling import PriorityClass, PriorityClassSpec
from fako.patterns.args import expect
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.ingress import ingress, path
from fako.patterns.namespace import AppNamespace
from fako.patterns.overrides import Quantity
from fako.patterns.rbac import grant, rule
from fako.patterns.shared_secrets import OBSIDIAN_API, OPENAI_API_KEY, PG_ADMIN, langfuse_keys
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

LABELS = {"app.kubernetes.io/component": "ai-interface", "app.kubernetes.io/name": "zi",
          "app.kubernetes.io/part-of": "claude-agent-platform"}
ZI = {"app": "zi", **LABELS}
APISIX = "http://apisix.apisix.svc.cluster.local:9080"
PULL = pull_secrets("dockerhub-registry")
READ = ["get", "list", "watch"]
CORE = [("", ["nodes", "pods", "services", "namespaces", "events", "configmaps"], READ),
        ("apps", ["deployments", "replicasets", "daemonsets", "statefulsets"], READ),
        ("batch", ["jobs", "cronjobs"], READ)]
FLUX = [("kustomize.toolkit.fluxcd.io", ["kustomizations"], READ),
        ("source.toolkit.fluxcd.io", ["gitrepositories", "helmrepositories"], READ),
        ("helm.toolkit.fluxcd.io", ["helmreleases"], READ)]
OPERATOR = [  # the reader's rules with PVCs, plus logs, pod deletion and Deployment restarts/scaling
    ("", ["nodes", "pods", "services", "namespaces", "events", "configmaps", "persistentvolumeclaims"], READ),
    *CORE[1:], ("", ["pods/log"], ["get", "list"]), ("", ["pods"], ["delete"]),
    ("apps", ["deployments"], ["patch", "update"]), ("apps", ["deployments/scale"], ["patch", "update"]), *FLUX]
GENERATORS = ("force-restart.py", "generate-manifests-full.py", "generate-manifests.py", "update-kustomization.sh",
              "update-resources.sh")
SECRETS = {  # zi-secrets: every key the orchestrator and agents read as env
    "ZI_ANTHROPIC_API_KEY": "family-manager-bot/anthropic#api_key", "ZI_OPENAI_API_KEY": OPENAI_API_KEY,
    "ZI_AUTOBOTS_API_KEY": "autobots/api-key#api_key",
    "ZI_DISCORD_BOT_TOKEN": "zi/discord#bot_token", "ZI_DISCORD_ALLOWED_USERS": "zi/discord#allowed_users",
    "ZI_OBSIDIAN_API_URL": f"{OBSIDIAN_API}#api_url", "ZI_OBSIDIAN_API_KEY": f"{OBSIDIAN_API}#api_key",
    "ZI_CLOUDFLARE_API_TOKEN": "cloudflare/api-token", "ZI_TRADIER_API_KEY": "tradier/api-key",
    "ZI_POSTGRES_USER": f"{PG_ADMIN}#username", "ZI_POSTGRES_PASSWORD": f"{PG_ADMIN}#password",
    "ZI_COMPOSIO_API_KEY": "composio/api-key#api_key", "ZI_BRAIN_API_KEY": "zi/brain-api-key#api_key",
    "DISCORD_WEBHOOK_URL": "discord/webhook#ci_cd",
    "ZI_SUPABASE_URL": "zi/supabase-autobots#url", "ZI_SUPABASE_SERVICE_KEY": "zi/supabase-autobots#service_key",
    "ZI_SUPABASE_DB_URL": "autobots/supabase-db#db_url", "BRAVE_API_KEY": "brave/search-api-credentials#apikey",
    "ZI_API_KEY": "zi/api-key#api_key", "OLLAMA_API_KEY": "zi/ollama-cloud-api-key#api_key"}
ORCHESTRATOR_ENV: dict[str, str | k8s.EnvVarSource] = {
    "ZI_HOST": "0.0.0.0", "ZI_PORT": "8080", "ZI_BRAIN_URL": "http://zi-brain:8100", "ZI_REDIS_HOST": "redis",
    "ZI_REDIS_PORT": "6379", "ZI_OLLAMA_URL": APISIX, "ZI_AGENT_MEMORY_PATH": "/data/agents",
    "ZI_AGENT_CONFIG_PATH": "/config/agents.yaml", "ZI_BRAIN_PATH": "/data/brain", "ZI_AUDIT_ENABLED": "true",
    "ZI_PROACTIVE_ENABLED": "true", "ZI_CLUSTER_HEALTH_CHECK_ENABLED": "false", "ZI_SKILLS_DIR": "/data/brain/skills",
    "ZI_MCP_GATEWAY_URL": "http://mcp-gateway.mcp-gateway.svc.cluster.local:8811",
    **{f"LANGFUSE_{k.upper()}": secret_key("langfuse-agent-keys", k) for k in ("public_key", "secret_key")},
    "LANGFUSE_BASE_URL": "http://langfuse-web.langfuse.svc:3000"}


class Agent(Spec):
    """One agent: Deployment + Service `agent-<name>` running `image` (one full literal per agent).

    `cpu` and `memory` are the agent container's (request, limit), written per agent so
    one agent's limit is one line of `AGENTS`. `model`/`reasoning` put AGENT_MODEL and
    the reasoning switch (with the gateway URL) first; `early` env goes before the shared
    URLs, `late` after; `gh_token` adds the GitHub token Secret; `priority_class` names a
    PriorityClass (default: none).
    """

    name: DnsName
    image: str
    description: str
    cpu: tuple[Quantity, Quantity]
    memory: tuple[Quantity, Quantity]
    replicas: int = 1
    max_iterations: str = "15"
    model: str | None = None
    reasoning: bool = False
    early: dict[str, str] = {}
    late: dict[str, str] = {}
    gh_token: bool = False
    priority_class: str | None = None


PULSE = {"ZI_PULSE_ENABLED": "true"}
GLM = "glm-4.7-flash:latest"
AGENTS = (  # one block per agent; `memory=(request, limit)` is that agent's container memory
    Agent(name="backend-engineer", image="lzetam/zi-agent-backend-engineer:latest", replicas=0,
          cpu=("50m", "500m"), memory=("256Mi", "2Gi"),
          description="Backend development, API design, database optimization, and service implementation"),
    Agent(name="code-reviewer", image="lzetam/zi-agent-code-reviewer:latest", gh_token=True,
          cpu=("50m", "500m"), memory=("256Mi", "2Gi"),
          description="Code review, code quality, best practices, and technical feedback",
          late={**PULSE, "ZI_PULSE_CHECK_INTERVAL": "2700", "ZI_PULSE_REPORT_CHANNEL": "engineering-team",
                "ZI_FAKO_REPO": "lyzetam/fako-cluster", "ZI_PR_REVIEW_AUTHOR_DENY": "k8s-engineer",
                "ZI_AUTOMERGE_ENABLED": "true", "ZI_MERGE_MAX_RATIO": "2.0"}),
    Agent(name="devops-engineer", image="lzetam/zi-agent-devops-engineer:latest", model=GLM, early=PULSE,
          cpu=("50m", "500m"), memory=("256Mi", "2Gi"),
          description="CI/CD, infrastructure automation, deployment pipelines, and operational excellence"),
    Agent(name="k8s-engineer", image="lzetam/zi-agent-k8s-engineer:latest", model=GLM, reasoning=True,
          gh_token=True, priority_class="zi-agent-remediator", cpu=("50m", "500m"), memory=("256Mi", "2Gi"),
          early={"ZI_OLLAMA_TIMEOUT": "600", **PULSE}, late={"ZI_FAKO_REPO": "lyzetam/fako-cluster"},
          description="Kubernetes deployment, cluster management, container orchestration, and cloud native "
                      "architecture"),
    Agent(name="platform-sre", image="lzetam/zi-agent-platform-sre:latest", model=GLM, reasoning=True,
          max_iterations="20", cpu=("50m", "500m"), memory=("256Mi", "2Gi"),
          description="Platform reliability, infrastructure operations, and SRE practices",
          late={**PULSE, "ZI_PULSE_CHECK_INTERVAL": "2700", "ZI_OLLAMA_TIMEOUT": "400",
                "ZI_PULSE_REPORT_CHANNEL": "infrastructure", "ZI_SELF_HEAL_ENABLED": "false",
                "ZI_A2A_TIMEOUT": "1200"}))


def agent(app: AppConstruct, a: Agent) -> None:
    """Service + Deployment `agent-<name>`: port 8000, memory on its subPath of the shared claim."""
    expect("agent", "app", app, AppConstruct, "the Zi app (self)")
    expect("agent", "a", a, Agent, "an Agent(name=..., image=..., cpu=..., memory=..., description=...)")
    name, gateway = f"agent-{a.name}", {"ZI_AGENT_GATEWAY_URL": f"{APISIX}/v1"}
    values: dict[str, str | k8s.EnvVarSource] = {"AGENT_NAME": a.name}
    if a.model:
        values["AGENT_MODEL"] = a.model
    if a.reasoning:  # reasoning agents name the gateway up front, the others after the brain URL
        values |= {"ZI_AGENT_REASONING": "true", **gateway}
    values |= {"AGENT_DESCRIPTION": a.description, "AGENT_MAX_ITERATIONS": a.max_iterations, **a.early,
               "ZI_BRAIN_URL": "http://zi-brain.zi.svc.cluster.local:8100", **({} if a.reasoning else gateway)}
    values |= {"ZI_OLLAMA_URL": APISIX, "ZI_KNOWLEDGE_REDIS_HOST": "redis.zi.svc.cluster.local",
               "ZI_KNOWLEDGE_REDIS_PORT": "6379", "ZI_API_URL": "http://zi.zi.svc.cluster.local:8080", **a.late}
    secrets = ["zi-secrets", "apisix-gateway-key"] + (["fako-gh-token"] if a.gh_token else [])
    service(app, name, labels=LABELS, selector={"app": name}, ports=[port("http", 8000, "http", protocol=None)],
            type=None)
    container = k8s.Container(
        name="agent", image=a.image, image_pull_policy="Always", env=env(values),
        env_from=env_from(*secrets), ports=[k8s.ContainerPort(container_port=8000, name="http")],
        liveness_probe=http_probe("/health", "http", period=30, timeout=5),
        readiness_probe=http_probe("/ready", "http", delay=30, period=10, timeout=5),
        startup_probe=http_probe("/health", "http", failures=30, period=10, timeout=5),
        resources=resources(cpu=a.cpu, memory=a.memory),
        volume_mounts=[mount("agent-memory", "/data", sub_path=a.name)])
    deployment(app, name, selector={"app": name}, labels=LABELS, replicas=a.replicas,
               pod_labels={"app": name, "app.kubernetes.io/component": "agent", "app.kubernetes.io/name": name},
               containers=[container], image_pull_secrets=PULL, priority_class_name=a.priority_class,
               security_context={"fsGroup": 1000, "runAsNonRoot": True, "runAsUser": 1000},
               volumes=[pvc_volume("agent-memory", "zi-agents-memory")])


class Zi(AppConstruct):
    """Orchestrator, dashboard, Redis and the agents, all labelled as the claude-agent-platform."""

    name = "zi"
    external = (("Secret", "aws-credentials"),)

    def build(self) -> None:
        AppNamespace(self, labels=LABELS)
        grant(self, account="zi", role="zi-cluster-reader", rules=[rule(*r) for r in CORE + FLUX], labels=LABELS)
        grant(self, account="k8s-operator", role="zi-k8s-operator", rules=[rule(*r) for r in OPERATOR], labels=LABELS)
        generators = {f: read_file(__file__, f) for f in GENERATORS}
        ConfigMap(self, "generators", ConfigMapSpec(name="zi-agent-generators", labels=LABELS, data=generators))
        app_yaml = {"app.yaml": read_file(__file__, "app.yaml")}
        ConfigMap(self, "config", ConfigMapSpec(name="zi-config", labels=ZI, data=app_yaml))
        PriorityClass(self, "priority", PriorityClassSpec(
            name="zi-agent-remediator", labels=LABELS, value=100000, global_default=False,
            preemption_policy="PreemptLowerPriority",
            description="The zi remediation agent (Sol / k8s-engineer). Scheduled ahead of, and evicted after, "
            "ordinary workloads \u2014 it is the cluster's self-heal path."))
        claim(self, "zi-agents-memory", "10Gi", labels=LABELS)
        claim(self, "zi-brain-pvc", "10Gi", access="ReadWriteOnce", labels=ZI)
        claim(self, "zi-brain-storage", "1Gi", access="ReadWriteOnce", labels=LABELS)
        for a in AGENTS:
            agent(self, a)

        # Orchestrator: API on 8080, brain on its claim, agents' memory shared with them.
        orchestrator = {"app.kubernetes.io/component": "orchestrator", "app.kubernetes.io/name": "zi"}
        service(self, "zi", labels=ZI, selector=orchestrator, ports=[port("http", 8080)])
        brain = mount("brain-storage", "/data/brain")
        zi = k8s.Container(
            name="zi", image="lzetam/zi:latest", image_pull_policy="Always", env=env(ORCHESTRATOR_ENV),
            env_from=env_from("zi-secrets"),
            ports=[k8s.ContainerPort(container_port=8080, name="http", protocol="TCP")],
            liveness_probe=http_probe("/health", "http", delay=60, period=30, timeout=10),
            readiness_probe=http_probe("/ready", "http", delay=15, period=10, timeout=5),
            resources=resources(cpu=("100m", "500m"), memory=("256Mi", "2Gi")),
            volume_mounts=[brain, mount("agent-config", "/config", read_only=True),
                           mount("agents-memory", "/data/agents")])
        setup = k8s.Container(name="setup-brain-storage", image="busybox:1.38.0", volume_mounts=[brain], command=[
            "sh", "-c", "mkdir -p /data/brain/zi/journal /data/brain/skills\nchmod -R 777 /data/brain\n"])
        deployment(self, "zi", selector={"app.kubernetes.io/name": "zi"}, pod_labels=orchestrator, labels=LABELS,
                   containers=[zi], image_pull_secrets=PULL, init_containers=[setup], service_account_name="zi",
                   volumes=[pvc_volume("brain-storage", "zi-brain-storage"),
                            config_volume("agent-config", "zi-config"),
                            pvc_volume("agents-memory", "zi-agents-memory")])

        # Dashboard (port 3000, calls the orchestrator) and Redis (shared knowledge).
        dash = {"app": "zi-dashboard", **LABELS}
        service(self, "zi-dashboard", labels=dash, selector={"app": "zi-dashboard"}, ports=[port(None, 3000)])
        deployment(self, "zi-dashboard", selector={"app": "zi-dashboard"}, labels=dash, image_pull_secrets=PULL,
                   containers=[k8s.Container(
                       name="zi-dashboard", image="lzetam/zi-dashboard:latest", image_pull_policy="Always",
                       env=env({"INTERNAL_API_URL": "http://zi:8080"}),
                       liveness_probe=http_probe("/", 3000, delay=10, period=30),
                       readiness_probe=http_probe("/", 3000, delay=5, period=10),
                       ports=[k8s.ContainerPort(container_port=3000, protocol="TCP")],
                       resources=resources(cpu=("25m", "200m"), memory=("64Mi", "256Mi")))])
        service(self, "redis", labels=LABELS, selector={"app": "redis"}, ports=[port("redis", 6379, protocol=None)],
                type=None)
        redis = {"app": "redis", "app.kubernetes.io/component": "cache", "app.kubernetes.io/name": "redis"}
        deployment(self, "redis", selector={"app": "redis"}, labels=LABELS, pod_labels=redis,
                   containers=[k8s.Container(
                       name="redis", image="redis:7-alpine",
                       ports=[k8s.ContainerPort(container_port=6379, name="redis")],
                       liveness_probe=exec_probe(["redis-cli", "ping"], delay=5, period=10),
                       readiness_probe=exec_probe(["redis-cli", "ping"], delay=3, period=5),
                       resources=resources(cpu=("10m", "200m"), memory=("32Mi", "256Mi")))])

        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(credentials="external", labels=LABELS))
        dockerhub_pull_secret(store, labels=LABELS)
        store.secret("apisix-gateway-key", {"ZI_AGENT_GATEWAY_KEY": "apisix/cluster-consumer-key#key"}, labels=LABELS)
        store.secret("fako-gh-token", {"ZI_FAKO_GH_TOKEN": "mcp-gateway/github-token#token"}, labels=LABELS)
        langfuse_keys(store, labels=LABELS)
        store.secret("zi-secrets", SECRETS, labels=LABELS)
        api = [path("zi", 8080, "/api"), path("zi", 8080, "/health", "Exact"), path("zi", 8080, "/ready", "Exact")]
        ingress(self, "zi", hosts=["zi.landryzetam.net"], paths=[*api, path("zi-dashboard", 3000)], labels=ZI,
                issuer="letsencrypt-dns01", tls_secret="zi-tls-cert",
                annotations={"traefik.ingress.kubernetes.io/router.entrypoints": "web,websecure"})
