"""Quantum Trades: an options-trading platform (Tradier paper trading) run by an agent orchestrator.

Exposed at quantum.landryzetam.net through traefik (frontend `/`, backend `/api`, WebSockets
`/ws` through an IngressRoute; TLS from the DNS-01 issuer) and the market-data API at
mds.landryzetam.net (plain HTTP). Six Python services and the Next.js frontend sit behind
ClusterIP Services; `orchestrator-qt` runs the trading loop on Ollama Cloud models, keeps agent
memory on a 10Gi NFS claim, uses Redis in the namespace and reads secrets, pods and jobs
cluster-wide. Eleven CronJobs (New York time) scan options, prequalify the universe, validate
exits, watch the loop and sync the trade journal into the vault. Trades go to the `trading`
database of the shared CNPG cluster (made by hand, not by the init Job), app data to Supabase.
Keys come from AWS (store `aws-secrets-store`, shared with alpha-scribe); images are pulled
with the legacy kubectl pull-secret Job.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.constructs import traefik
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_env, read_file
from fako.constructs.pods import (
    config_keys,
    config_volume,
    empty_dir,
    env,
    env_from,
    exec_probe,
    http_probe,
    mount,
    pull_secrets,
    pvc_volume,
    resources,
    secret_key,
    secret_keys,
)
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.cron import cronjob
from fako.patterns.ingress import LEGACY_TRAEFIK, ingress, path
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import grant, rule
from fako.patterns.shared_secrets import OPENAI_API_KEY, PG_HOST, obsidian_api
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, rolling, service, spread_over_nodes
from fako.tree import AppConstruct

NAME, HOST, NY = "quantum-trades", "quantum.landryzetam.net", "America/New_York"
QT, ORCH, PULL = "quantum-trades-secrets", "orchestrator-qt-secrets", pull_secrets("dockerhub-registry")
ORCHESTRATOR_IMAGE = "lzetam/quantum-trades-orchestrator-qt:latest"
QT_IMAGES = {  # Deployment `quantum-trades-<component>`: image
    "backend": "lzetam/quantum-trades-backend:latest", "backtesting": "lzetam/quantum-trades-backtesting:latest",
    "frontend": "lzetam/quantum-trades-frontend:latest", "signals": "lzetam/quantum-trades-signals:latest",
    "strategies": "lzetam/quantum-trades-strategies:latest", "technicals": "lzetam/quantum-trades-technicals:latest",
    "trading": "lzetam/quantum-trades-trading:latest"}
PORTS = {"backend": 8000, "technicals": 8001, "signals": 8002, "strategies": 8003, "backtesting": 8004, "trading": 8005}
URL = {c: f"http://{c}-service:{p}" for c, p in PORTS.items()}
Env = dict[str, str | k8s.EnvVarSource]
Pair = tuple[str, str]


def urls(*components: str) -> dict[str, str]:
    """`<COMPONENT>_SERVICE_URL` env entries, to the components' Services."""
    return {f"{c.upper()}_SERVICE_URL": URL[c] for c in components}


REPLAY = {"MARKET_REPLAY_URL": "http://market-replay-gateway.market-replay.svc.cluster.local:8000"}
NON_ROOT = k8s.SecurityContext(allow_privilege_escalation=False, run_as_non_root=True, run_as_user=1000)
NO_CAPS = NON_ROOT.model_copy(update={"capabilities": k8s.Capabilities(drop=["ALL"])})
SCRAPE = {"prometheus.io/path": "/metrics", "prometheus.io/scrape": "true"}
PY: Env = {"PYTHONUNBUFFERED": "1"}
MODEL, MASSIVE = {"OLLAMA_MODEL": "glm-5.2"}, secret_keys(QT, "MASSIVE_API_KEY")
OLLAMA = {"OLLAMA_BASE_URL": "https://ollama.com", **MODEL}
LLM_KEYS = secret_keys(QT, "OPENAI_API_KEY", "GOOGLE_API_KEY")
VAULT = {f"OBSIDIAN_API_{k.upper()}": secret_key("obsidian-api", f"api_{k}") for k in ("url", "key")}
FALLBACK = {"LLM_FALLBACK_ENABLED": "true", "LLM_FALLBACK_CACHE_TTL_SECONDS": "300"}
CONFIG = {**urls("backtesting"), "CORS_ORIGINS": f'["https://{HOST}"]', **REPLAY, "RATE_LIMIT_CALLS_PER_MINUTE": "1000",
          **urls("signals", "strategies", "technicals", "trading")}
BACKEND_ENV: Env = {
    **secret_keys(QT, "MASSIVE_API_KEY", "OLLAMA_API_KEY"), **MODEL,
    **config_keys("quantum-trades-config", "CORS_ORIGINS", "RATE_LIMIT_CALLS_PER_MINUTE"), "HOST": "0.0.0.0",
    "PORT": "8000", **config_keys("quantum-trades-config", *urls("technicals", "signals", "strategies", "backtesting",
                                                                 "trading"), *REPLAY),
    "SCAN_RESULTS_PATH": "/app/scan_results", "SUPABASE_URL": secret_key(QT, "NEXT_PUBLIC_SUPABASE_URL"),
    **secret_keys(QT, "SUPABASE_JWT_SECRET"), **secret_keys(ORCH, "AGENTS_API_KEY")}
TRADIER = ("TRADIER_API_KEY", "TRADIER_ACCOUNT_ID", "TRADIER_SANDBOX_API_KEY", "TRADIER_SANDBOX_ACCOUNT_ID")
TRADING_ENV: Env = {
    "DB_HOST": "postgres-cluster-rw.postgres", "DB_PORT": "5432", "DB_NAME": "trading", "DB_USER": "trading",
    "DB_PASSWORD": secret_key(QT, "TRADING_DB_PASSWORD"), **secret_keys(QT, *TRADIER), "TRADIER_PAPER_TRADING": "true",
    "ENABLE_LIVE_TRADING": "false", "HOST": "0.0.0.0", "PORT": "8005",
    **{f"OBSIDIAN_API_{k.upper()}": secret_key("obsidian-api", f"api_{k}", optional=True) for k in ("url", "key")},
    "OBSIDIAN_JOURNAL_FOLDER": "trading/Journal"}
ORCHESTRATOR_ENV: Env = {
    **PY, "MAX_DAILY_LOSS_PCT": "0.10", "MAX_WEEKLY_LOSS_DOLLARS": "18800", "HOST": "0.0.0.0", "PORT": "8006",
    **urls("technicals", "signals", "trading", "backend"), "AGENT_MODEL_ID": "claude-sonnet-4-5-20250929",
    "AUTONOMOUS_LOOP_ENABLED": "true", "TRADING_MODE": "paper", "MIN_OPEN_INTEREST_OVERRIDE": "0", "LOG_LEVEL": "INFO",
    "LOG_FORMAT": "json", **secret_keys(QT, "TRADING_DB_PASSWORD"),
    "DATABASE_URL": f"postgresql://trading:$(TRADING_DB_PASSWORD)@{PG_HOST}:5432/trading", **REPLAY,
    "REDIS_URL": "redis://agent-redis:6379", "LLM_PROVIDER_ORDER": "ollama", **OLLAMA, **FALLBACK, **LLM_KEYS}
AGENT_CONFIGS = tuple(f"{n}.json" for n in (  # orchestrator-qt-config, mounted at /app/config in this order
    "pre_research_config", "research_config", "executor_config", "risk_config", "exit_config", "learning_config",
    "decision_review_config", "meta_learner_config", "validation_config", "governance_config", "strategy_params",
    "risk_limits", "watchlist", "llm_fallback_config"))
ITEMS = [k8s.KeyToPath(key=f, path=f) for f in AGENT_CONFIGS]
OLLAMA_CLOUD = "ollama-webui/ollama-cloud-api-key#api_key"
ORCHESTRATOR_SECRETS = {  # orchestrator-qt-secrets, read whole by the orchestrator and its CronJobs
    "OLLAMA_API_KEY": OLLAMA_CLOUD,
    **{k: f"quantum-trades/api-keys#{k}" for k in ("OPENAI_API_KEY", "GOOGLE_API_KEY", "MASSIVE_API_KEY",
                                                   "AGENTS_API_KEY")},
    **{k: f"quantum-trades/trading#{k}" for k in ("TRADIER_LIVE_API_KEY", "TRADIER_LIVE_ACCOUNT_ID",
                                                  "TRADIER_SANDBOX_API_KEY", "TRADIER_SANDBOX_ACCOUNT_ID",
                                                  "TRADIER_API_KEY", "TRADIER_ACCOUNT_ID")},
    **{k: f"quantum-trades/alpaca#{k}" for k in ("ALPACA_API_KEY", "ALPACA_SECRET_KEY")},
    "OBSIDIAN_API_KEY": "obsidian/api#api_key", "SUPABASE_URL": "quantum-trades/supabase#url",
    "SUPABASE_KEY": "quantum-trades/supabase#service_role_key",
    "DISCORD_WEBHOOK_LEARNING": "discord/webhook#quantum_learning"}
QT_SECRETS = {  # quantum-trades-secrets key: (template variable, AWS ref)
    "MASSIVE_API_KEY": ("massive_api_key", "quantum-trades/api-keys#MASSIVE_API_KEY"),
    "OLLAMA_API_KEY": ("ollama_api_key", OLLAMA_CLOUD), "OPENAI_API_KEY": ("openai_api_key", OPENAI_API_KEY),
    "GOOGLE_API_KEY": ("google_api_key", "google/api-key#api_key"),
    **{k: (k.lower(), f"quantum-trades/trading#{k}") for k in (*TRADIER, "TRADING_DB_PASSWORD")},
    **{k: (var, f"quantum-trades/{var.replace('_', '-')}") for k, var in (
        ("NEXT_PUBLIC_SUPABASE_URL", "supabase_url"), ("NEXT_PUBLIC_SUPABASE_ANON_KEY", "supabase_anon_key"),
        ("SUPABASE_SERVICE_ROLE_KEY", "supabase_service_role"), ("SUPABASE_JWT_SECRET", "supabase_jwt_secret"))}}
SCANNERS = (  # CronJob (config `<name>.env`), schedule, cpu limit, runs kept, Discord hook in alpha-scribe-secrets
    ("options-scanner", "0 6,9,11,13,15 * * 1-5", "1000m", 10, None),
    ("options-scanner-day", "30 9,11,14 * * 1-5", "1", 5, "DISCORD_WEBHOOK_DAY_OPTIONS"),
    ("options-scanner-swing", "0 6,10,15 * * 1-5", "1", 5, "DISCORD_WEBHOOK_SWING_OPTIONS"))
PREQUAL = (  # stage, schedule, run timeout (s), activeDeadlineSeconds, backoffLimit, minimum open interest
    ("", "0 12 * * 1-5", "7200", 7500, 2, True), ("candidates", "0 8 * * 1-5", "3600", 4200, 2, False),
    ("prune", "40 9 * * 1-5", "1800", 2400, 1, True))


def script(name: str, file: str, **fields: Any) -> k8s.Container:
    """An init container running one of the verbatim shell scripts; `fields` are its other fields (`image=`)."""
    return k8s.Container(name=name, command=["sh", "-c", read_file(__file__, file)], **fields)


class QuantumTrades(AppConstruct):
    """Seven component Deployments with their Services, the orchestrator, market-data API, Redis,
    eleven CronJobs, two claims, the Ingresses and WebSocket route, RBAC and the AWS secrets."""

    name = NAME
    external = (("Secret", "dockerhub-registry"),)  # made at runtime by the legacy pull-secret Job

    def component(self, name: str, *, replicas: int = 2, values: Env | None = None, cpu: Pair = ("50m", "500m"),
                  memory: Pair = ("128Mi", "512Mi"), probe: str = "/health", delays: tuple[int, int] = (10, 5),
                  restarted: str | None = None, container: dict[str, Any] | None = None,
                  ports: tuple[int, int] | None = None, **pod: Any) -> None:
        """Service `<name>-service` + Deployment `quantum-trades-<name>` (app=quantum-trades, component=<name>),
        probed on `probe` after `delays`; `ports` (container, Service) default to PORTS[name] for both;
        `container` overrides container fields."""
        labels, (target, exposed) = {"app": NAME, "component": name}, ports or (PORTS[name], PORTS[name])
        service(self, f"{name}-service", labels=labels, selector=labels, ports=[port("http", exposed, target)])
        fields: dict[str, Any] = {
            "liveness_probe": http_probe(probe, target, failures=3, delay=delays[0], period=30, timeout=5),
            "readiness_probe": http_probe(probe, target, failures=3, delay=delays[1], period=10, timeout=3),
            **(container or {})}
        deployment(self, f"quantum-trades-{name}", labels=labels, selector=labels, replicas=replicas,
                   pod_annotations={"kubectl.kubernetes.io/restartedAt": restarted} if restarted else None,
                   image_pull_secrets=PULL, restart_policy="Always", **pod, containers=[k8s.Container(
                       name=name, image=QT_IMAGES[name], image_pull_policy="Always", env=env(values or {**MASSIVE}),
                       ports=[k8s.ContainerPort(container_port=target, protocol="TCP")],
                       resources=resources(cpu=cpu, memory=memory), **fields)])

    def task(self, name: str, schedule: str, module: list[str], values: Env, cpu: Pair, memory: Pair, *,
             restart: str = "OnFailure", successful: int = 5, failed: int = 5, **job: Any) -> None:
        """CronJob `name` (New York time): `python -m <module>` on the orchestrator image with its secrets."""
        labels = {"app.kubernetes.io/managed-by": "flux", "app.kubernetes.io/name": name,
                  "app.kubernetes.io/part-of": NAME}
        cronjob(self, name, schedule, labels=labels, successful=successful, failed=failed, time_zone=NY,
                restart_policy=restart, image_pull_secrets=PULL, **job, containers=[k8s.Container(
                    name=name, image=ORCHESTRATOR_IMAGE, image_pull_policy="Always", command=["python", "-m", *module],
                    env=env(values), env_from=env_from(ORCH), resources=resources(cpu=cpu, memory=memory),
                    security_context=NON_ROOT)])

    def build(self) -> None:
        AppNamespace(self)
        LegacyPullSecret(self)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store"))
        obsidian_api(store)
        store.secret("orchestrator-qt-secrets-sync", ORCHESTRATOR_SECRETS, target=ORCH, deletion_policy="Retain")
        store.secret("quantum-trades-external-secret", dict(QT_SECRETS.values()), target=QT, template={
            "data": {k: f"{{{{ .{var} }}}}" for k, (var, _) in QT_SECRETS.items()}, "type": "Opaque"})
        ConfigMap(self, "config", ConfigMapSpec(name="quantum-trades-config", labels={"app": NAME}, data=CONFIG))
        claim(self, "quantum-trades-scan-results", "10Gi", labels={"app": NAME})

        # The platform: six Python services and the frontend.
        for name in ("backtesting", "strategies", "technicals"):
            self.component(name)
        scan, health = mount("scan-results", "/app/scan_results"), "/api/health"
        self.component(
            "backend", replicas=1, values=BACKEND_ENV, memory=("256Mi", "1Gi"), restarted="2026-07-10T12:35:00Z",
            container={"liveness_probe": http_probe(health, 8000, failures=3, period=30, timeout=10),
                       "readiness_probe": http_probe(health, 8000, failures=3, period=10, timeout=5),
                       "startup_probe": http_probe(health, 8000, failures=30, delay=5, period=5, timeout=10),
                       "volume_mounts": [mount("reports", "/app/reports"), scan]},
            init_containers=[k8s.Container(
                name="fix-scan-results-permissions", image="busybox:1.37", volume_mounts=[scan], command=[
                    "sh", "-c", "mkdir -p /app/scan_results && chown 999:999 /app/scan_results && chmod 755 "
                    "/app/scan_results"])],
            security_context=k8s.PodSecurityContext(fs_group=999),
            volumes=[empty_dir("reports"), pvc_volume("scan-results", "quantum-trades-scan-results")])
        self.component("frontend", ports=(3000, 80), probe="/", delays=(15, 10), cpu=("50m", "300m"),
                       restarted="2026-07-10T12:55:00Z", values={
                           "NODE_ENV": "production", "INTERNAL_API_URL": URL["backend"],
                           **secret_keys(QT, "NEXT_PUBLIC_SUPABASE_URL", "NEXT_PUBLIC_SUPABASE_ANON_KEY")})
        self.component(
            "signals", replicas=4, cpu=("500m", "2"), memory=("512Mi", "2Gi"), restarted="2026-06-02T13:46:00Z",
            values={**secret_keys(QT, "MASSIVE_API_KEY", "OLLAMA_API_KEY"), **OLLAMA, **LLM_KEYS,
                    "LLM_PROVIDER_ORDER": "ollama", **FALLBACK},
            container={"volume_mounts": [mount("config", "/app/config", read_only=True)]},
            topology_spread_constraints=[k8s.TopologySpreadConstraint(
                label_selector=k8s.LabelSelector(match_labels={"app": NAME, "component": "signals"}), max_skew=1,
                topology_key="kubernetes.io/hostname", when_unsatisfiable="ScheduleAnyway")],
            volumes=[config_volume("config", "orchestrator-qt-config", items=ITEMS[-1:])])
        self.component("trading", replicas=1, values=TRADING_ENV, delays=(30, 10), cpu=("50m", "300m"),
                       init_containers=[script("wait-for-db", "wait-for-db.sh", image="busybox:1.37")])
        self._orchestrator()
        self._market_data()
        redis, ping = {"app": "agent-redis"}, ["redis-cli", "ping"]
        service(self, "agent-redis", labels=redis, selector=redis, ports=[port(None, 6379)])
        deployment(self, "agent-redis", labels=redis, selector=redis, volumes=[empty_dir("data")], containers=[
            k8s.Container(name="redis", image="redis:7-alpine", ports=[k8s.ContainerPort(container_port=6379)],
                          liveness_probe=exec_probe(ping, delay=10, period=10), volume_mounts=[mount("data", "/data")],
                          readiness_probe=exec_probe(ping, delay=5, period=5),
                          resources=resources(cpu=("50m", "100m"), memory=("64Mi", "256Mi")))])

        # Exposure: the web app, its API and WebSockets on one host (see also _market_data).
        tls = "quantum-trades-tls"
        ingress(self, NAME, hosts=[HOST], labels={"app": NAME}, issuer="letsencrypt-dns01", tls_secret=tls,
                paths=[path("frontend-service", 80), path("frontend-service", 80, "/api/chat"),
                       path("backend-service", 8000, "/api")], ingress_class=None, annotations=LEGACY_TRAEFIK)
        traefik.IngressRoute(self, "websocket", traefik.IngressRouteSpec.model_validate({
            "name": "quantum-trades-websocket", "entryPoints": ["websecure"], "tls": {"secretName": tls},
            "routes": [{"kind": "Rule", "match": f"Host(`{HOST}`) && PathPrefix(`/ws`)",
                        "middlewares": [{"name": "websocket-headers", "namespace": NAME}],
                        "services": [{"name": "backend-service", "port": 8000,
                                      "serversTransport": "websocket-transport"}]}]}))
        traefik.Middleware(self, "websocket-headers", traefik.MiddlewareSpec.model_validate({
            "name": "websocket-headers", "headers": {"customRequestHeaders": {"X-Forwarded-Proto": "https"},
                                                     "customResponseHeaders": {"X-WebSocket-Support": "true"}}}))
        timeouts = {"dialTimeout": "30s", "idleConnTimeout": "1800s", "responseHeaderTimeout": "1800s"}
        traefik.ServersTransport(self, "websocket-transport", traefik.ServersTransportSpec.model_validate(
            {"name": "websocket-transport", "forwardingTimeouts": timeouts}))

        # Scheduled work: options scans, prequalification, exit validation, the loop watchdog, journal sync.
        for name, schedule, cpu, kept, hook in SCANNERS:
            config = ConfigMapSpec(name=f"{name}-config", data=read_env(__file__, f"{name}.env"))
            ConfigMap(self, f"{name}-config", config)
            hooked = secret_keys("alpha-scribe-secrets", hook) if hook else urls("signals")
            values: Env = {**MASSIVE, **VAULT, **hooked, **secret_keys(QT, "OLLAMA_API_KEY"), **MODEL}
            cronjob(self, name, schedule, successful=kept, failed=5, time_zone=NY, suspend=False if hook else None,
                    restart_policy="OnFailure", image_pull_secrets=PULL, containers=[k8s.Container(
                        name="scanner", image="lzetam/quantum-trades-scanner:latest", image_pull_policy="Always",
                        env=env(values), resources=resources(cpu=("200m", cpu), memory=("512Mi", "1Gi")),
                        env_from=env_from(*(["alpha-scribe-secrets"] if hook else []), config_maps=[config.name]))])
        for stage, schedule, timeout, deadline, backoff, oi in PREQUAL:
            prequal: Env = {**MASSIVE, **urls("signals"), **PY, "PREQUAL_RUN_TIMEOUT_SECONDS": timeout,
                      "PREQUAL_MIN_UNIVERSE": "10", **({"PREQUAL_MIN_OPTION_OI": "250"} if oi else {})}
            self.task(f"prequalification-{stage}" if stage else "prequalification", schedule,
                      ["prequalification", *(["--stage", stage] if stage else [])], prequal, ("100m", "1"),
                      ("256Mi", "512Mi"), restart="Never", successful=10, starting_deadline=600,
                      active_deadline=deadline, backoff_limit=backoff)
        for mode, schedule in (("post_close", "30 16 * * 1-5"), ("pre_open", "30 8 * * 1-5")):
            self.task(f"exit-validation-{mode.replace('_', '')}", schedule, ["validation.run", "--mode", mode], PY,
                      ("100m", "1000m"), ("256Mi", "768Mi"), active_deadline=1800, backoff_limit=0)
        self.task("funnel-fillability-check", "50 10 * * 1-5", ["prequalification.fillability_check"], PY,
                  ("50m", "500m"), ("128Mi", "256Mi"), active_deadline=600, backoff_limit=0)
        self.task("trading-loop-watchdog", "*/5 8-16 * * 1-5", ["validation.watchdog"],
                  {"TRADING_STATUS_URL": "http://orchestrator-qt:8006/trading/status", **PY}, ("20m", "200m"),
                  ("64Mi", "192Mi"), restart="Never", successful=1, failed=3, ttl=900, starting_deadline=120,
                  active_deadline=120, backoff_limit=0)
        cronjob(self, "trade-journal-sync", "0 * * * *", successful=5, failed=3, ttl=3600, time_zone=NY,
                restart_policy="OnFailure", image_pull_secrets=PULL, containers=[k8s.Container(
                    name="sync", image="curlimages/curl:8.21.0",
                    command=["/bin/sh", "-c", read_file(__file__, "sync.sh")],
                    resources=resources(cpu=("10m", "100m"), memory=("32Mi", "64Mi")))])

    def _orchestrator(self) -> None:
        """orchestrator-qt: the agent loop (Recreate, one replica) with its memory claim, config, Service and RBAC."""
        labels, watch = {"app": "orchestrator-qt"}, ["get", "list", "watch"]
        memory = mount("memory-store", "/app/memories")
        grant(self, account="orchestrator-qt-service-account", role="orchestrator-qt-role",
              binding="orchestrator-qt-role-binding", rules=[
                  rule("", ["secrets"], watch), rule("", ["configmaps"], watch), rule("", ["pods"], ["get", "list"]),
                  rule("batch", ["cronjobs", "jobs"], watch)])
        ConfigMap(self, "agent-config", ConfigMapSpec(name="orchestrator-qt-config", labels=labels,
                                                      data={f: read_file(__file__, f) for f in AGENT_CONFIGS}))
        claim(self, "trading-memories-pvc", "10Gi", labels=labels)
        service(self, "orchestrator-qt", labels=labels, selector=labels, session_affinity="None",
                ports=[port("http", 8006), port("metrics", 8086)])
        agent = k8s.Container(
            name="orchestrator-qt-service", image=ORCHESTRATOR_IMAGE, image_pull_policy="Always",
            env=env(ORCHESTRATOR_ENV), env_from=env_from(ORCH),
            ports=[k8s.ContainerPort(container_port=p, name=n, protocol="TCP")
                   for n, p in (("http", 8006), ("metrics", 8086))],
            liveness_probe=http_probe("/health/live", "http", failures=6, period=30, timeout=15),
            readiness_probe=http_probe("/health/ready", "http", failures=5, period=15, timeout=10),
            startup_probe=http_probe("/health/live", "http", failures=30, delay=10, period=10),
            resources=resources(cpu=("500m", "2000m"), memory=("512Mi", "2Gi")),
            security_context=NO_CAPS.model_copy(update={"read_only_root_filesystem": False}),
            volume_mounts=[memory, mount("config", "/app/config", read_only=True)])
        init = [k8s.Container(name="fix-permissions", image="busybox:1.37", volume_mounts=[memory],
                              command=["sh", "-c", "chown -R 1000:1000 /app/memories && chmod -R 775 /app/memories"]),
                script("check-dependencies", "check-orchestrator.sh", image="busybox:1.37")]
        pod = {**labels, "component": "autonomous-agents"}
        deployment(self, "orchestrator-qt", labels=pod, selector=pod, strategy="Recreate",
                   pod_annotations={"kubectl.kubernetes.io/restartedAt": "2026-06-12T19:30:00Z", **SCRAPE,
                                    "prometheus.io/port": "8086"},
                   affinity=spread_over_nodes("orchestrator-qt"), automount_service_account_token=True,
                   containers=[agent], image_pull_secrets=PULL, init_containers=init, restart_policy="Always",
                   security_context=k8s.PodSecurityContext(fs_group=1000),
                   service_account_name="orchestrator-qt-service-account", termination_grace_period_seconds=120,
                   volumes=[pvc_volume("memory-store", "trading-memories-pvc"),
                            config_volume("config", "orchestrator-qt-config", items=ITEMS)])

    def _market_data(self) -> None:
        """market-data-api: two replicas behind a Service (whose cluster IP was exported into git) and an Ingress."""
        labels = {"app": "market-data-api"}
        service(self, "market-data-api", labels=labels, selector=labels, ports=[port("http", 8007)],
                cluster_ip="10.43.201.151", cluster_i_ps=["10.43.201.151"], internal_traffic_policy="Cluster",
                ip_families=["IPv4"], ip_family_policy="SingleStack", session_affinity="None")
        api = k8s.Container(
            name="market-data-api", image="lzetam/quantum-trades-market-data-api:latest", image_pull_policy="Always",
            env=env({"HOST": "0.0.0.0", "PORT": "8007", **urls("technicals", "signals"),
                     "AGENTS_SERVICE_URL": "http://agents:8006", "LOG_LEVEL": "INFO"}),
            ports=[k8s.ContainerPort(container_port=8007, name="http", protocol="TCP")],
            liveness_probe=http_probe("/health", "http", scheme="HTTP", successes=1, failures=3, delay=10, period=10,
                                      timeout=5),
            readiness_probe=http_probe("/health", "http", scheme="HTTP", successes=1, failures=2, delay=5, period=5,
                                       timeout=3),
            resources=resources(cpu=("100m", "500m"), memory=("128Mi", "512Mi")),
            security_context=NO_CAPS.model_copy(update={"read_only_root_filesystem": True}))
        init = script("check-dependencies", "check-market-data.sh", image="busybox:1.36",
                      image_pull_policy="IfNotPresent", resources=k8s.ResourceRequirements(),
                      termination_message_path="/dev/termination-log", termination_message_policy="File")
        pod = {**labels, "component": "data-aggregation"}
        deployment(self, "market-data-api", labels=pod, selector=pod, replicas=2, strategy=rolling(1, 0),
                   pod_annotations={"kubectl.kubernetes.io/restartedAt": "2026-07-06T07:30:27-04:00", **SCRAPE,
                                    "prometheus.io/port": "8007"},
                   containers=[api], image_pull_secrets=PULL, init_containers=[init], restart_policy="Always")
        ingress(self, "market-data-api", hosts=["mds.landryzetam.net"], service="market-data-api", port=8007,
                issuer=None)
