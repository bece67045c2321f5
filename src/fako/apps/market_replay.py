"""market-replay: records stock/options market data and replays it for backtesting.

Three self-built services (`gateway` 8000 → `recorder` 8001 and `replay` 8002) plus a
Redis master/replica StatefulSet with Sentinel for replay sessions. Exposed through an
`nginx` Ingress on the placeholder host market-replay.example.com (class not running,
issuer `letsencrypt-prod` does not exist) and, per the inventory, via the
cloudflare-tunnel app. Stores recordings on a 1Ti NFS claim and history in the shared
Postgres (`market_replay`); two CronJobs backfill history (the weekly one suspended).
Reads the Massive API key (`market-replay/recorder`), DB credentials
(`market-replay/database`), `postgres/admin-credentials` and the Docker Hub pull secret
from AWS (SOPS `aws-credentials`).
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import (
    config_key,
    config_volume,
    empty_dir,
    env,
    exec_probe,
    http_probe,
    mount,
    pvc_volume,
    resources,
    secret_key,
)
from fako.constructs.rbac import ServiceAccount, ServiceAccountSpec
from fako.constructs.scheduling import PodDisruptionBudget, PodDisruptionBudgetSpec
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import cronjob
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import PG_ADMIN, PG_HOST
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, rolling, service, statefulset
from fako.tree import AppConstruct

Env = dict[str, str | k8s.EnvVarSource]
SA, PULL, CONFIG = "market-replay-sa", "dockerhub-pull-secret", "market-replay-config"
DB = "market-replay-db-credentials"
CORS = '["http://localhost:3000","http://localhost:3001","https://quantum-trades.landryzetam.net"]'
SYMBOLS = "TQQQ,SLV,GDX,AMZN,NVDA,CNC,OSCR,AMD,INTC,SPY,QQQ,AAPL"
REDIS_IMAGE = "redis:7-alpine"
SERVICE_IMAGES = {  # market-replay-<component>
    "gateway": "lzetam/market-replay-gateway:latest", "recorder": "lzetam/market-replay-recorder:latest",
    "replay": "lzetam/market-replay-replay:latest"}
NO_CAPS = k8s.SecurityContext.model_validate({"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}})
POD_1000 = k8s.PodSecurityContext(fs_group=1000, run_as_non_root=True, run_as_user=1000)
POD_999 = k8s.PodSecurityContext(fs_group=999, run_as_non_root=True, run_as_user=999)
ROLLING = rolling(1, 0)
DATABASE: Env = {
    "DATABASE_HOST": PG_HOST, "DATABASE_PORT": "5432",
    "DATABASE_NAME": "market_replay", "DATABASE_USER": secret_key(DB, "username"),
    "DATABASE_PASSWORD": secret_key(DB, "password")}
PULLS = [k8s.LocalObjectReference(name=PULL)]
MASSIVE = secret_key("market-replay-secrets", "massive-api-key")


def _cfg(*keys: str, config: str = CONFIG) -> Env:
    """Env vars of the same name read from the app's ConfigMap."""
    return {k: config_key(config, k) for k in keys}


def _redis(name: str, port_: int, cpu: tuple[str, str], memory: tuple[str, str], *mounts: str) -> list[k8s.Container]:
    """Container `redis` (redis-server) or `sentinel` (redis-sentinel), both on the config an init container copies
    into /data, and that init container (`init-<name>`)."""
    cli = ["-p", str(port_)] if name == "sentinel" else []
    copy = "set -ex\ncp /config/sentinel.conf /data/sentinel.conf\n"
    script = read_file(__file__, "init-redis.sh") if name == "redis" else copy
    return [
        k8s.Container(
            name=name, image=REDIS_IMAGE, image_pull_policy="IfNotPresent", security_context=NO_CAPS,
            command=["redis-server" if name == "redis" else "redis-sentinel", f"/data/{name}.conf"],
            ports=[k8s.ContainerPort(container_port=port_, name=name)],
            liveness_probe=exec_probe(["redis-cli", *cli, "ping"], delay=15, period=10, timeout=5, failures=3),
            readiness_probe=exec_probe(["redis-cli", *cli, "ping"], delay=5, period=5, timeout=3, failures=2),
            resources=resources(cpu=cpu, memory=memory), volume_mounts=[mount(m, f"/{m}") for m in mounts]),
        k8s.Container(
            name=f"init-{name}", image=REDIS_IMAGE, command=["/bin/sh", "-c", script],
            security_context=NO_CAPS.model_copy(update={"run_as_user": 999}),
            volume_mounts=[mount("config", "/config"), mount("data", "/data")])]


class MarketReplay(AppConstruct):
    """gateway/recorder/replay + Redis with Sentinel + backfill CronJobs."""

    name = "market-replay"

    def build(self) -> None:
        AppNamespace(self, labels={"name": self.ns})
        store = AwsSecretStore(self)
        ServiceAccount(self, "sa", ServiceAccountSpec(name=SA))
        backfill = {"app": "market-replay-backfill"}
        ConfigMap(self, "backfill-config", ConfigMapSpec(name="backfill-config", labels=backfill, data={
            "BACKFILL_DAYS": "730", "BACKFILL_SYMBOLS": SYMBOLS, "RATE_LIMIT_CALLS_PER_MINUTE": "100",
            "USE_MINUTE_BARS": "false"}))
        ConfigMap(self, "config", ConfigMapSpec(name=CONFIG, data={
            "CORS_ORIGINS": CORS,
            "DEFAULT_INTERVAL_SECONDS": "60", "DEFAULT_WATCHLIST": read_file(__file__, "default-watchlist.json"),
            "FETCH_OPTIONS": "true", "FETCH_TECHNICALS": "true", "LOG_LEVEL": "INFO", "MAX_CONCURRENT_SESSIONS": "10",
            "MAX_OPTION_EXPIRATIONS": "4", "MAX_TICK_BUFFER_SIZE": "1000", "RATE_LIMIT_CALLS_PER_MINUTE": "100",
            "STORAGE_COMPRESSION": "gzip", "WATCHLIST_SYMBOLS": SYMBOLS}))
        redis_files = {f: read_file(__file__, f) for f in ("redis.conf", "sentinel.conf")}
        ConfigMap(self, "redis-config", ConfigMapSpec(name="redis-config", labels={"app": "redis"}, data=redis_files))
        claim(self, "market-replay-data-pvc", "1Ti")
        self._service(
            "gateway", 8000, replicas=2, strategy=ROLLING, delays=(20, 10), cpu=("50m", "500m"),
            memory=("128Mi", "256Mi"), variables={
                "RECORDER_URL": "http://market-replay-recorder:8001", "REPLAY_URL": "http://market-replay-replay:8002",
                "REQUEST_TIMEOUT": "30.0", **_cfg("LOG_LEVEL")})
        self._service(
            "recorder", 8001, replicas=1, strategy="Recreate", delays=(30, 20), cpu=("100m", "1000m"),
            memory=("256Mi", "512Mi"), variables={
                "MASSIVE_API_KEY": MASSIVE, "RECORDING_ENABLED": "true",
                **_cfg("DEFAULT_INTERVAL_SECONDS", "WATCHLIST_SYMBOLS", "RATE_LIMIT_CALLS_PER_MINUTE", "FETCH_OPTIONS",
                       "FETCH_TECHNICALS", "MAX_OPTION_EXPIRATIONS"),
                "STORAGE_PATH": "/data/replay_data", **_cfg("STORAGE_COMPRESSION", "LOG_LEVEL"),
                "AWS_SECRETS_MANAGER_ENABLED": "false", "AWS_REGION": "us-east-1",
                "AWS_SECRETS_PATH": "market-replay/recorder", "DATABASE_ENABLED": "true", **DATABASE},
            container={"volume_mounts": [mount("replay-data", "/data/replay_data")]},
            security_context=POD_1000.model_copy(update={"fs_group_change_policy": "OnRootMismatch"}),
            volumes=[pvc_volume("replay-data", "market-replay-data-pvc")])
        self._service(
            "replay", 8002, replicas=2, strategy=ROLLING, delays=(20, 10), cpu=("50m", "500m"),
            memory=("128Mi", "384Mi"), variables={
                "STORAGE_PATH": "/data/replay_data", **_cfg("MAX_CONCURRENT_SESSIONS", "LOG_LEVEL"),
                "REDIS_SENTINEL_ENABLED": "true", "REDIS_SENTINEL_HOSTS": "redis-sentinel:26379",
                "REDIS_SENTINEL_MASTER": "mymaster", "REDIS_DB": "0", **DATABASE},
            container={"security_context": NO_CAPS.model_copy(update={"read_only_root_filesystem": False})})
        self._redis_ha()
        # Daily 7-day and weekly full (suspended) history backfills, UTC.
        backfills: list[tuple[str, str, str, int, tuple[str, str], tuple[str, str], dict[str, Any]]] = [
            ("daily", "0 5 * * *", "7", 3, ("200m", "1000m"), ("256Mi", "512Mi"), {}),
            ("weekly", "0 2 * * 6", "$(BACKFILL_DAYS)", 2, ("500m", "2000m"), ("512Mi", "1Gi"),
             {"suspend": True, "active_deadline": 21600, "ttl": 172800})]
        for kind, schedule, days, history, cpu, memory, job in backfills:
            labels = {**backfill, "type": kind}
            keys = ("BACKFILL_SYMBOLS", "BACKFILL_DAYS") if kind == "weekly" else ("BACKFILL_SYMBOLS",)
            cronjob(self, f"backfill-{kind}", schedule, labels=labels, pod_labels=labels, time_zone="UTC",
                    successful=history, failed=history, backoff_limit=3, restart_policy="OnFailure", **job,
                    image_pull_secrets=PULLS, security_context=POD_1000, service_account_name=SA,
                    containers=[k8s.Container(
                        name="backfill", image=SERVICE_IMAGES["recorder"], image_pull_policy="Always",
                        command=["python", "/app/scripts/backfill_historical.py"],
                        args=["--symbols", "$(BACKFILL_SYMBOLS)", "--days", days],
                        env=env({**_cfg(*keys, "RATE_LIMIT_CALLS_PER_MINUTE", config="backfill-config"),
                                 "MASSIVE_API_KEY": MASSIVE, **DATABASE}),
                        resources=resources(cpu=cpu, memory=memory), security_context=NO_CAPS)])
        dockerhub_pull_secret(store, "dockerhub-secret", target=PULL, style="pretty")
        store.secret(DB, {k: f"market-replay/database#{k}" for k in ("username", "password")})
        store.secret("market-replay-secrets", {"massive-api-key": "market-replay/recorder#massive_api_key"})
        store.secret("postgres-admin-credentials", {k: f"{PG_ADMIN}#{k}" for k in ("username", "password")})
        ingress(self, "market-replay-ingress", hosts=["market-replay.example.com"], service="market-replay-gateway",
                port=8000, issuer="letsencrypt-prod", ingress_class="nginx", tls_secret="market-replay-tls",
                annotations={"nginx.ingress.kubernetes.io/rewrite-target": "/"})

    def _service(self, component: str, port_: int, *, replicas: int, strategy: str | k8s.DeploymentStrategy,
                 delays: tuple[int, int], cpu: tuple[str, str], memory: tuple[str, str], variables: Env,
                 container: dict[str, Any] | None = None, **pod: Any) -> None:
        """One Python service `market-replay-<component>`: ClusterIP Service `http` + Deployment, probed on
        /health and /ready after `delays`, as the ServiceAccount with the pull secret."""
        name = f"market-replay-{component}"
        labels = {"app": name}
        service(self, name, labels=labels, selector=labels, ports=[port("http", port_)])
        deployment(self, name, labels=labels, selector=labels, replicas=replicas, strategy=strategy,
                   image_pull_secrets=PULLS, service_account_name=SA, **{"security_context": POD_1000, **pod},
                   containers=[k8s.Container(
                       name=component, image=SERVICE_IMAGES[component], image_pull_policy="Always",
                       env=env({"HOST": "0.0.0.0", "PORT": str(port_), **variables}),
                       ports=[k8s.ContainerPort(container_port=port_, name="http")],
                       liveness_probe=http_probe("/health", port_, delay=delays[0], period=10, timeout=5, failures=3),
                       readiness_probe=http_probe("/ready", port_, delay=delays[1], period=5, timeout=3, failures=2),
                       resources=resources(cpu=cpu, memory=memory), **(container or {}))])

    def _redis_ha(self) -> None:
        """Redis master + 2 replicas (StatefulSet) watched by 3 Sentinels, with their Services and PDBs."""
        redis, sentinel = {"app": "redis"}, {"app": "redis-sentinel"}
        rport = [port("redis", 6379, protocol=None)]
        service(self, "market-replay-redis", labels=redis, selector={**redis, "role": "master"}, ports=rport)
        service(self, "redis-headless", labels=redis, selector=redis, ports=rport, type=None, cluster_ip="None")
        service(self, "redis-replicas", labels=redis, selector=redis, ports=rport)
        sport = [port("sentinel", 26379, protocol=None)]
        service(self, "redis-sentinel", labels=sentinel, selector=sentinel, ports=sport)
        config = config_volume("config", "redis-config")
        main, init = _redis("redis", 6379, ("25m", "200m"), ("32Mi", "128Mi"), "data", "config")
        statefulset(self, "redis", labels=redis, selector=redis, service_name="redis-headless", replicas=3,
                    containers=[main], init_containers=[init], security_context=POD_999, volumes=[config],
                    volume_claim_templates=[k8s.PersistentVolumeClaim.model_validate({
                        "metadata": {"name": "data"},
                        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}})])
        main, init = _redis("sentinel", 26379, ("10m", "100m"), ("32Mi", "64Mi"), "data")
        deployment(self, "redis-sentinel", labels=sentinel, selector=sentinel, replicas=3, containers=[main],
                   init_containers=[init], security_context=POD_999,
                   volumes=[config, empty_dir("data")])
        for name, labels in (("redis-pdb", redis), ("redis-sentinel-pdb", sentinel)):
            PodDisruptionBudget(self, name, PodDisruptionBudgetSpec(
                name=name, min_available=2, selector=k8s.LabelSelector(match_labels=labels)))
