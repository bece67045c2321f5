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
from fako.constructs.pods import config_key, env, http_probe, mount, pvc_volume, resources, secret_key
from fako.constructs.rbac import ServiceAccount, ServiceAccountSpec
from fako.constructs.scheduling import PodDisruptionBudget, PodDisruptionBudgetSpec
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import cronjob
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import PG_ADMIN
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service, statefulset
from fako.tree import AppConstruct

SA = "market-replay-sa"
PULL = "dockerhub-pull-secret"
CONFIG = "market-replay-config"
SYMBOLS = "TQQQ,SLV,GDX,AMZN,NVDA,CNC,OSCR,AMD,INTC,SPY,QQQ,AAPL"
REDIS = "redis:7-alpine"
NO_CAPS = k8s.SecurityContext.model_validate({"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}})
POD_1000 = k8s.PodSecurityContext(fs_group=1000, run_as_non_root=True, run_as_user=1000)
POD_999 = k8s.PodSecurityContext(fs_group=999, run_as_non_root=True, run_as_user=999)
ROLLING = k8s.DeploymentStrategy.model_validate(
    {"rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}, "type": "RollingUpdate"}
)
DATABASE: dict[str, str | k8s.EnvVarSource] = {
    "DATABASE_HOST": "postgres-cluster-rw.postgres.svc.cluster.local",
    "DATABASE_PORT": "5432",
    "DATABASE_NAME": "market_replay",
    "DATABASE_USER": secret_key("market-replay-db-credentials", "username"),
    "DATABASE_PASSWORD": secret_key("market-replay-db-credentials", "password"),
}
MASSIVE = secret_key("market-replay-secrets", "massive-api-key")


def _cfg(*keys: str, config: str = CONFIG) -> dict[str, str | k8s.EnvVarSource]:
    return {k: config_key(config, k) for k in keys}


def _probes(port_: int, live: int, ready: int) -> dict[str, Any]:
    return {
        "liveness_probe": http_probe(
            "/health", port_, failure_threshold=3, initial_delay_seconds=live, period_seconds=10, timeout_seconds=5
        ),
        "readiness_probe": http_probe(
            "/ready", port_, failure_threshold=2, initial_delay_seconds=ready, period_seconds=5, timeout_seconds=3
        ),
    }


def _redis_probe(initial: int, period: int, timeout: int, failures: int, *cli: str) -> k8s.Probe:
    return k8s.Probe.model_validate(
        {
            "exec": {"command": ["redis-cli", *cli, "ping"]},
            "failureThreshold": failures,
            "initialDelaySeconds": initial,
            "periodSeconds": period,
            "timeoutSeconds": timeout,
        }
    )


def _redis_init(name: str, script: str) -> k8s.Container:
    return k8s.Container(
        name=name,
        image=REDIS,
        command=["/bin/sh", "-c", script],
        security_context=NO_CAPS.model_copy(update={"run_as_user": 999}),
        volume_mounts=[mount("config", "/config"), mount("data", "/data")],
    )


class MarketReplay(AppConstruct):
    """gateway/recorder/replay + Redis with Sentinel + backfill CronJobs."""

    name = "market-replay"

    def build(self) -> None:
        AppNamespace(self, labels={"name": self.ns})
        store = AwsSecretStore(self)
        ServiceAccount(self, "sa", ServiceAccountSpec(name=SA))
        backfill = {"app": "market-replay-backfill"}
        ConfigMap(
            self,
            "backfill-config",
            ConfigMapSpec(
                name="backfill-config",
                labels=backfill,
                data={
                    "BACKFILL_DAYS": "730",
                    "BACKFILL_SYMBOLS": SYMBOLS,
                    "RATE_LIMIT_CALLS_PER_MINUTE": "100",
                    "USE_MINUTE_BARS": "false",
                },
            ),
        )
        ConfigMap(
            self,
            "config",
            ConfigMapSpec(
                name=CONFIG,
                data={
                    "CORS_ORIGINS": '["http://localhost:3000","http://localhost:3001","https://quantum-trades.landryzetam.net"]',
                    "DEFAULT_INTERVAL_SECONDS": "60",
                    "DEFAULT_WATCHLIST": read_file(__file__, "default-watchlist.json"),
                    "FETCH_OPTIONS": "true",
                    "FETCH_TECHNICALS": "true",
                    "LOG_LEVEL": "INFO",
                    "MAX_CONCURRENT_SESSIONS": "10",
                    "MAX_OPTION_EXPIRATIONS": "4",
                    "MAX_TICK_BUFFER_SIZE": "1000",
                    "RATE_LIMIT_CALLS_PER_MINUTE": "100",
                    "STORAGE_COMPRESSION": "gzip",
                    "WATCHLIST_SYMBOLS": SYMBOLS,
                },
            ),
        )
        redis = {"app": "redis"}
        ConfigMap(
            self,
            "redis-config",
            ConfigMapSpec(
                name="redis-config",
                labels=redis,
                data={f: read_file(__file__, f) for f in ("redis.conf", "sentinel.conf")},
            ),
        )
        claim(self, "market-replay-data-pvc", "1Ti")
        self._services()
        self._redis()
        self._cronjobs()
        dockerhub_pull_secret(store, "dockerhub-secret", target=PULL, style="pretty")
        store.secret(
            "market-replay-db-credentials", {k: f"market-replay/database#{k}" for k in ("username", "password")}
        )
        store.secret("market-replay-secrets", {"massive-api-key": "market-replay/recorder#massive_api_key"})
        store.secret("postgres-admin-credentials", {k: f"{PG_ADMIN}#{k}" for k in ("username", "password")})
        ingress(
            self,
            "market-replay-ingress",
            hosts=["market-replay.example.com"],
            service="market-replay-gateway",
            port=8000,
            issuer="letsencrypt-prod",
            ingress_class="nginx",
            tls_secret="market-replay-tls",
            annotations={"nginx.ingress.kubernetes.io/rewrite-target": "/"},
        )

    def _services(self) -> None:
        """The three Python services, each a Deployment + ClusterIP Service `http`."""
        components: list[tuple[str, int, dict[str, Any], dict[str, str | k8s.EnvVarSource], dict[str, Any]]] = [
            (
                "gateway",
                8000,
                {
                    "replicas": 2,
                    "strategy": ROLLING,
                    "probes": (20, 10),
                    "cpu": ("50m", "500m"),
                    "memory": ("128Mi", "256Mi"),
                },
                {
                    "RECORDER_URL": "http://market-replay-recorder:8001",
                    "REPLAY_URL": "http://market-replay-replay:8002",
                    "REQUEST_TIMEOUT": "30.0",
                    **_cfg("LOG_LEVEL"),
                },
                {},
            ),
            (
                "recorder",
                8001,
                {
                    "replicas": 1,
                    "strategy": "Recreate",
                    "probes": (30, 20),
                    "cpu": ("100m", "1000m"),
                    "memory": ("256Mi", "512Mi"),
                },
                {
                    "MASSIVE_API_KEY": MASSIVE,
                    "RECORDING_ENABLED": "true",
                    **_cfg(
                        "DEFAULT_INTERVAL_SECONDS",
                        "WATCHLIST_SYMBOLS",
                        "RATE_LIMIT_CALLS_PER_MINUTE",
                        "FETCH_OPTIONS",
                        "FETCH_TECHNICALS",
                        "MAX_OPTION_EXPIRATIONS",
                    ),
                    "STORAGE_PATH": "/data/replay_data",
                    **_cfg("STORAGE_COMPRESSION", "LOG_LEVEL"),
                    "AWS_SECRETS_MANAGER_ENABLED": "false",
                    "AWS_REGION": "us-east-1",
                    "AWS_SECRETS_PATH": "market-replay/recorder",
                    "DATABASE_ENABLED": "true",
                    **DATABASE,
                },
                {"volume_mounts": [mount("replay-data", "/data/replay_data")]},
            ),
            (
                "replay",
                8002,
                {
                    "replicas": 2,
                    "strategy": ROLLING,
                    "probes": (20, 10),
                    "cpu": ("50m", "500m"),
                    "memory": ("128Mi", "384Mi"),
                },
                {
                    "STORAGE_PATH": "/data/replay_data",
                    **_cfg("MAX_CONCURRENT_SESSIONS", "LOG_LEVEL"),
                    "REDIS_SENTINEL_ENABLED": "true",
                    "REDIS_SENTINEL_HOSTS": "redis-sentinel:26379",
                    "REDIS_SENTINEL_MASTER": "mymaster",
                    "REDIS_DB": "0",
                    **DATABASE,
                },
                {"security_context": NO_CAPS.model_copy(update={"read_only_root_filesystem": False})},
            ),
        ]
        for component, port_, shape, variables, extra in components:
            name = f"market-replay-{component}"
            labels = {"app": name}
            service(self, name, id=f"{component}-service", labels=labels, selector=labels, ports=[port("http", port_)])
            pod: dict[str, Any] = {}
            if component == "recorder":
                pod = {
                    "security_context": POD_1000.model_copy(update={"fs_group_change_policy": "OnRootMismatch"}),
                    "volumes": [pvc_volume("replay-data", "market-replay-data-pvc")],
                }
            deployment(
                self,
                name,
                labels=labels,
                selector=labels,
                replicas=shape["replicas"],
                strategy=shape["strategy"],
                containers=[
                    k8s.Container(
                        name=component,
                        image=f"lzetam/{name}:latest",
                        image_pull_policy="Always",
                        env=env({"HOST": "0.0.0.0", "PORT": str(port_), **variables}),
                        ports=[k8s.ContainerPort(container_port=port_, name="http")],
                        resources=resources(
                            requests={"cpu": shape["cpu"][0], "memory": shape["memory"][0]},
                            limits={"cpu": shape["cpu"][1], "memory": shape["memory"][1]},
                        ),
                        **_probes(port_, *shape["probes"]),
                        **extra,
                    )
                ],
                image_pull_secrets=[k8s.LocalObjectReference(name=PULL)],
                **{"security_context": POD_1000, **pod},
                service_account_name=SA,
            )

    def _redis(self) -> None:
        """Redis master + 2 replicas (StatefulSet) watched by 3 Sentinels, with their Services and PDBs."""
        redis, sentinel = {"app": "redis"}, {"app": "redis-sentinel"}
        rport = [port("redis", 6379, protocol=None)]
        service(self, "market-replay-redis", labels=redis, selector={**redis, "role": "master"}, ports=rport)
        service(self, "redis-headless", labels=redis, selector=redis, ports=rport, type=None, cluster_ip="None")
        service(self, "redis-replicas", labels=redis, selector=redis, ports=rport)
        service(
            self,
            "redis-sentinel",
            id="sentinel-service",
            labels=sentinel,
            selector=sentinel,
            ports=[port("sentinel", 26379, protocol=None)],
        )
        config = k8s.Volume(name="config", config_map=k8s.ConfigMapVolumeSource(name="redis-config"))
        statefulset(
            self,
            "redis",
            labels=redis,
            selector=redis,
            service_name="redis-headless",
            replicas=3,
            containers=[
                k8s.Container(
                    name="redis",
                    image=REDIS,
                    image_pull_policy="IfNotPresent",
                    command=["redis-server", "/data/redis.conf"],
                    ports=[k8s.ContainerPort(container_port=6379, name="redis")],
                    liveness_probe=_redis_probe(15, 10, 5, 3),
                    readiness_probe=_redis_probe(5, 5, 3, 2),
                    resources=resources(
                        requests={"cpu": "25m", "memory": "32Mi"}, limits={"cpu": "200m", "memory": "128Mi"}
                    ),
                    security_context=NO_CAPS,
                    volume_mounts=[mount("data", "/data"), mount("config", "/config")],
                )
            ],
            init_containers=[_redis_init("init-redis", read_file(__file__, "init-redis.sh"))],
            security_context=POD_999,
            volumes=[config],
            volume_claim_templates=[
                k8s.PersistentVolumeClaim.model_validate(
                    {
                        "metadata": {"name": "data"},
                        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
                    }
                )
            ],
        )
        deployment(
            self,
            "redis-sentinel",
            labels=sentinel,
            selector=sentinel,
            replicas=3,
            containers=[
                k8s.Container(
                    name="sentinel",
                    image=REDIS,
                    image_pull_policy="IfNotPresent",
                    command=["redis-sentinel", "/data/sentinel.conf"],
                    ports=[k8s.ContainerPort(container_port=26379, name="sentinel")],
                    liveness_probe=_redis_probe(15, 10, 5, 3, "-p", "26379"),
                    readiness_probe=_redis_probe(5, 5, 3, 2, "-p", "26379"),
                    resources=resources(
                        requests={"cpu": "10m", "memory": "32Mi"}, limits={"cpu": "100m", "memory": "64Mi"}
                    ),
                    security_context=NO_CAPS,
                    volume_mounts=[mount("data", "/data")],
                )
            ],
            init_containers=[_redis_init("init-sentinel", "set -ex\ncp /config/sentinel.conf /data/sentinel.conf\n")],
            security_context=POD_999,
            volumes=[config, k8s.Volume(name="data", empty_dir=k8s.EmptyDirVolumeSource())],
        )
        for name, labels in (("redis-pdb", redis), ("redis-sentinel-pdb", sentinel)):
            PodDisruptionBudget(
                self,
                name,
                PodDisruptionBudgetSpec(name=name, min_available=2, selector=k8s.LabelSelector(match_labels=labels)),
            )

    def _cronjobs(self) -> None:
        """Daily 7-day and weekly full (suspended) history backfills, UTC."""
        backfills: tuple[tuple[str, str, str, int, tuple[str, str], tuple[str, str], dict[str, Any]], ...] = (
            ("daily", "0 5 * * *", "7", 3, ("200m", "1000m"), ("256Mi", "512Mi"), {}),
            (
                "weekly",
                "0 2 * * 6",
                "$(BACKFILL_DAYS)",
                2,
                ("500m", "2000m"),
                ("512Mi", "1Gi"),
                {"suspend": True, "active_deadline": 21600, "ttl": 172800},
            ),
        )
        for kind, schedule, days, history, cpu, memory, job in backfills:
            labels = {"app": "market-replay-backfill", "type": kind}
            keys = ("BACKFILL_SYMBOLS", "BACKFILL_DAYS") if kind == "weekly" else ("BACKFILL_SYMBOLS",)
            cronjob(
                self,
                f"backfill-{kind}",
                schedule,
                labels=labels,
                pod_labels=labels,
                time_zone="UTC",
                successful=history,
                failed=history,
                backoff_limit=3,
                restart_policy="OnFailure",
                containers=[
                    k8s.Container(
                        name="backfill",
                        image="lzetam/market-replay-recorder:latest",
                        image_pull_policy="Always",
                        command=["python", "/app/scripts/backfill_historical.py"],
                        args=["--symbols", "$(BACKFILL_SYMBOLS)", "--days", days],
                        env=env(
                            {
                                **_cfg(*keys, "RATE_LIMIT_CALLS_PER_MINUTE", config="backfill-config"),
                                "MASSIVE_API_KEY": MASSIVE,
                                **DATABASE,
                            }
                        ),
                        resources=resources(
                            requests={"cpu": cpu[0], "memory": memory[0]}, limits={"cpu": cpu[1], "memory": memory[1]}
                        ),
                        security_context=NO_CAPS,
                    )
                ],
                image_pull_secrets=[k8s.LocalObjectReference(name=PULL)],
                security_context=POD_1000,
                service_account_name=SA,
                **job,
            )
