"""Quantum Trades: an options-trading platform (Tradier paper trading) run by an agent orchestrator.

Exposed at quantum.landryzetam.net through traefik (frontend `/`, backend `/api`, WebSockets
`/ws` through an IngressRoute; TLS from the DNS-01 issuer) and the market-data API at
mds.landryzetam.net (plain HTTP). Six Python services and the Next.js frontend sit behind
ClusterIP Services; `orchestrator-qt` runs the trading loop on Ollama Cloud models, keeps agent
memory on a 10Gi NFS claim, uses Redis in the namespace and reads secrets, pods and jobs
cluster-wide. Trades go to the `trading` database of the shared CNPG cluster (made by hand, not
by the init Job), app data to Supabase. Keys come from AWS (store `aws-secrets-store`, shared
with alpha-scribe); images are pulled with the legacy kubectl pull-secret Job.

The cluster's largest app (57 objects), composed of private parts that app discovery skips
(their names start with `_`) so that each module stays readable: `_quantum_trades_env` holds the
names and the env and secret tables, `_quantum_trades_jobs` adds the eleven CronJobs (New York
time) that scan options, prequalify the universe, validate exits, watch the loop and sync the
trade journal into the vault. Every image literal stays here and is passed to the parts:
Renovate groups updates per file, so the app's images move in one pull request.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.apps._quantum_trades_env import (
    AGENT_CONFIGS,
    BACKEND_ENV,
    CONFIG,
    FRONTEND_ENV,
    HOST,
    ITEMS,
    MARKET_DATA_ENV,
    MASSIVE,
    NAME,
    NO_CAPS,
    ORCH,
    ORCHESTRATOR_ENV,
    ORCHESTRATOR_SECRETS,
    PORTS,
    PULL,
    QT,
    QT_SECRETS,
    SIGNALS_ENV,
    TRADING_ENV,
    Env,
    Pair,
)
from fako.apps._quantum_trades_jobs import add_jobs
from fako.constructs import traefik
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import (
    config_volume,
    empty_dir,
    env,
    env_from,
    exec_probe,
    http_probe,
    mount,
    pvc_volume,
    resources,
)
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.ingress import LEGACY_TRAEFIK, ingress, path
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import grant, rule
from fako.patterns.shared_secrets import obsidian_api
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, rolling, service, spread_over_nodes
from fako.tree import AppConstruct

ORCHESTRATOR_IMAGE = "lzetam/quantum-trades-orchestrator-qt:latest"  # the agent loop and its CronJob tasks
SCANNER_IMAGE = "lzetam/quantum-trades-scanner:latest"
JOURNAL_SYNC_IMAGE = "curlimages/curl:8.21.0"
QT_IMAGES = {  # Deployment `quantum-trades-<component>`: image
    "backend": "lzetam/quantum-trades-backend:latest", "backtesting": "lzetam/quantum-trades-backtesting:latest",
    "frontend": "lzetam/quantum-trades-frontend:latest", "signals": "lzetam/quantum-trades-signals:latest",
    "strategies": "lzetam/quantum-trades-strategies:latest", "technicals": "lzetam/quantum-trades-technicals:latest",
    "trading": "lzetam/quantum-trades-trading:latest"}
SCRAPE = {"prometheus.io/path": "/metrics", "prometheus.io/scrape": "true"}


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
                       restarted="2026-07-10T12:55:00Z", values=FRONTEND_ENV)
        self.component(
            "signals", replicas=4, cpu=("500m", "2"), memory=("512Mi", "2Gi"), restarted="2026-06-02T13:46:00Z",
            values=SIGNALS_ENV, container={"volume_mounts": [mount("config", "/app/config", read_only=True)]},
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
        add_jobs(self, orchestrator_image=ORCHESTRATOR_IMAGE, scanner_image=SCANNER_IMAGE,
                 sync_image=JOURNAL_SYNC_IMAGE)

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
            env=env(MARKET_DATA_ENV), ports=[k8s.ContainerPort(container_port=8007, name="http", protocol="TCP")],
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
