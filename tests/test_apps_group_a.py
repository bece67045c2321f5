"""quantum-trades, plaud-collector, tldr-pipeline, sermon-engine: what must not drift.

Stateful names (claims and the volumes that mount them), Service selectors against their
pods, the databases the apps declare in the shared Postgres, and the small pattern
extensions these ports added. Expected values are written out by hand from the cluster.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fako import k8s
from fako.apps.alpha_scribe import AlphaScribe
from fako.apps.plaud_collector import PlaudCollector
from fako.apps.postgres_cluster import OTHERS
from fako.apps.quantum_trades import QuantumTrades
from fako.apps.sermon_engine import SermonEngine
from fako.apps.tldr_pipeline import TldrPipeline
from fako.constructs.config import read_env
from fako.constructs.pods import config_keys, http_probe, secret_keys
from fako.definition import build
from fako.errors import FakoError
from fako.patterns.workload import spread_over_nodes
from fako.testing import find, synth

Manifest = dict[str, Any]


@pytest.fixture(scope="module")
def qt() -> list[Manifest]:
    return synth(QuantumTrades)


def _pod(workload: Manifest) -> Manifest:
    """The pod spec of a Deployment, Job or CronJob."""
    spec = workload["spec"]
    template = spec["jobTemplate"]["spec"]["template"] if "jobTemplate" in spec else spec["template"]
    pod: Manifest = template["spec"]
    return pod


def _claims(workload: Manifest) -> dict[str, str]:
    """volume name -> claimName of a workload's PVC volumes."""
    return {
        v["name"]: v["persistentVolumeClaim"]["claimName"]
        for v in _pod(workload).get("volumes", [])
        if "persistentVolumeClaim" in v
    }


# --- quantum-trades: stateful names --------------------------------------------------------------


def test_quantum_trades_claims_keep_their_names_sizes_and_classes(qt: list[Manifest]) -> None:
    claims = {m["metadata"]["name"]: m for m in qt if m["kind"] == "PersistentVolumeClaim"}
    assert sorted(claims) == ["quantum-trades-scan-results", "trading-memories-pvc"]
    for name, app in (("quantum-trades-scan-results", "quantum-trades"), ("trading-memories-pvc", "orchestrator-qt")):
        assert claims[name]["metadata"]["labels"] == {"app": app}
        assert claims[name]["spec"] == {
            "accessModes": ["ReadWriteMany"],
            "resources": {"requests": {"storage": "10Gi"}},
            "storageClassName": "nfs-csi-v2",
        }


def test_quantum_trades_workloads_mount_the_pinned_claims(qt: list[Manifest]) -> None:
    assert _claims(find(qt, "Deployment", "quantum-trades-backend")) == {"scan-results": "quantum-trades-scan-results"}
    assert _claims(find(qt, "Deployment", "orchestrator-qt")) == {"memory-store": "trading-memories-pvc"}
    orchestrator = _pod(find(qt, "Deployment", "orchestrator-qt"))
    assert orchestrator["serviceAccountName"] == "orchestrator-qt-service-account"
    assert find(qt, "Deployment", "orchestrator-qt")["spec"]["strategy"] == {"type": "Recreate"}


# --- quantum-trades: Services select their pods --------------------------------------------------


@pytest.mark.parametrize(
    ("service", "selector", "workload"),
    [
        ("backend-service", {"app": "quantum-trades", "component": "backend"}, "quantum-trades-backend"),
        ("backtesting-service", {"app": "quantum-trades", "component": "backtesting"}, "quantum-trades-backtesting"),
        ("frontend-service", {"app": "quantum-trades", "component": "frontend"}, "quantum-trades-frontend"),
        ("signals-service", {"app": "quantum-trades", "component": "signals"}, "quantum-trades-signals"),
        ("strategies-service", {"app": "quantum-trades", "component": "strategies"}, "quantum-trades-strategies"),
        ("technicals-service", {"app": "quantum-trades", "component": "technicals"}, "quantum-trades-technicals"),
        ("trading-service", {"app": "quantum-trades", "component": "trading"}, "quantum-trades-trading"),
        ("market-data-api", {"app": "market-data-api"}, "market-data-api"),
        ("orchestrator-qt", {"app": "orchestrator-qt"}, "orchestrator-qt"),
        ("agent-redis", {"app": "agent-redis"}, "agent-redis"),
    ],
)
def test_quantum_trades_service_selects_its_deployment(
    qt: list[Manifest], service: str, selector: dict[str, str], workload: str
) -> None:
    assert find(qt, "Service", service)["spec"]["selector"] == selector
    pod_labels = find(qt, "Deployment", workload)["spec"]["template"]["metadata"]["labels"]
    assert selector.items() <= pod_labels.items()


def test_quantum_trades_frontend_is_served_on_80_and_routed_by_the_ingress(qt: list[Manifest]) -> None:
    assert find(qt, "Service", "frontend-service")["spec"]["ports"] == [
        {"name": "http", "port": 80, "protocol": "TCP", "targetPort": 3000}
    ]
    paths = find(qt, "Ingress", "quantum-trades")["spec"]["rules"][0]["http"]["paths"]
    assert [(p["path"], p["backend"]["service"]["name"], p["backend"]["service"]["port"]["number"]) for p in paths] == [
        ("/", "frontend-service", 80),
        ("/api/chat", "frontend-service", 80),
        ("/api", "backend-service", 8000),
    ]
    route = find(qt, "IngressRoute", "quantum-trades-websocket")["spec"]["routes"][0]
    assert route["services"] == [{"name": "backend-service", "port": 8000, "serversTransport": "websocket-transport"}]


def test_quantum_trades_scanner_configs_come_from_env_files_as_strings(qt: list[Manifest]) -> None:
    day = find(qt, "ConfigMap", "options-scanner-day-config")["data"]
    assert len(day) == 16
    assert (day["TRADING_STYLE"], day["MIN_DTE"], day["MAX_DTE"], day["SECTOR_SCAN_ENABLED"]) == (
        "day",
        "0",
        "5",
        "false",
    )
    assert find(qt, "ConfigMap", "options-scanner-config")["data"]["TOP_PICKS_PER_LIST"] == "3"
    swing = find(qt, "CronJob", "options-scanner-swing")
    assert _pod(swing)["containers"][0]["envFrom"] == [
        {"configMapRef": {"name": "options-scanner-swing-config"}},
        {"secretRef": {"name": "alpha-scribe-secrets"}},
    ]


def test_alpha_scribe_reads_the_store_quantum_trades_now_renders(qt: list[Manifest]) -> None:
    assert AlphaScribe.namespace == QuantumTrades.name == "quantum-trades"
    assert ("SecretStore", "aws-secrets-store") not in AlphaScribe.external
    store = find(qt, "SecretStore", "aws-secrets-store")
    assert store["metadata"]["namespace"] == "quantum-trades"
    scribe = find(synth(AlphaScribe), "ExternalSecret", "alpha-scribe-secrets")
    assert scribe["spec"]["secretStoreRef"] == {"kind": "SecretStore", "name": "aws-secrets-store"}


# --- databases in the shared Postgres ------------------------------------------------------------


def test_database_declarations() -> None:
    assert PlaudCollector.databases == ("plaud",)
    assert QuantumTrades.databases == ()  # `trading` was made by hand; the init Job does not create it
    assert OTHERS == ()  # every database the init Job creates is declared by a modelled app


def test_staging_init_job_creates_plaud_once_from_the_declaration() -> None:
    from fako.clusters.staging import CLUSTER

    objects = [o.manifest for o in build(CLUSTER, include_disabled=True).objects]
    job = find(objects, "Job", "postgres-database-init")
    script = "\n".join(job["spec"]["template"]["spec"]["containers"][0]["command"])
    assert script.count("\ncreate_database plaud app\n") == 1
    assert script.index("create_database langfuse") < script.index("create_database plaud")
    assert "create_database trading" not in script


# --- plaud-collector, tldr-pipeline, sermon-engine -----------------------------------------------


def test_plaud_collector_jobs_run_as_the_account_on_the_plaud_database() -> None:
    objs = synth(PlaudCollector)
    migrate = find(objs, "Job", "plaud-collector-migrate")
    assert (migrate["spec"]["backoffLimit"], migrate["spec"]["ttlSecondsAfterFinished"]) == (3, 86400)
    env = {e["name"]: e.get("value") for e in _pod(migrate)["containers"][0]["env"]}
    assert env["DATABASE_NAME"] == "plaud"
    assert env["DATABASE_HOST"] == "postgres-cluster-rw.postgres.svc.cluster.local"
    daily = find(objs, "CronJob", "plaud-collector-daily")
    assert (daily["spec"]["schedule"], daily["spec"]["timeZone"]) == ("0 15 * * *", "UTC")
    for workload in (migrate, daily):
        assert _pod(workload)["serviceAccountName"] == "plaud-collector"
    assert find(objs, "ConfigMap", "plaud-collector-config")["data"]["DATABASE_NAME"] == "plaud"
    egress = find(objs, "NetworkPolicy", "plaud-collector-egress")["spec"]["egress"]
    assert [r["ports"][0]["port"] for r in egress] == [53, 5432, 8080, 443]


def test_tldr_pull_secret_is_the_compact_template_without_engine_refreshed_daily() -> None:
    es = find(synth(TldrPipeline), "ExternalSecret", "dockerhub-registry")
    assert es["spec"]["refreshInterval"] == "24h"
    assert "engineVersion" not in es["spec"]["target"]["template"]
    assert es["spec"]["target"]["template"]["data"][".dockerconfigjson"].startswith('{"auths":{"https://index.docker')


def test_tldr_jobs_and_sermon_generator_schedules() -> None:
    tldr = synth(TldrPipeline)
    assert {n: find(tldr, "CronJob", n)["spec"]["schedule"] for n in ("tldr-check", "tldr-enrich", "tldr-harvest")} == {
        "tldr-check": "15 16 * * 1-5",
        "tldr-enrich": "0 2 * * 2-6",
        "tldr-harvest": "0 15 * * 1-5",
    }
    assert "command" not in _pod(find(tldr, "CronJob", "tldr-harvest"))["containers"][0]
    sermon = find(synth(SermonEngine), "CronJob", "sermon-generator")["spec"]
    assert (
        sermon["schedule"],
        sermon["timeZone"],
        sermon["successfulJobsHistoryLimit"],
        sermon["failedJobsHistoryLimit"],
    ) == ("0 6 * * 0", "America/New_York", 4, 2)


# --- pattern extensions --------------------------------------------------------------------------


def _dump(model: Any) -> Any:
    return model.model_dump(by_alias=True, exclude_none=True)


def test_spread_over_nodes_by_app_and_by_labels() -> None:
    by_app = _dump(spread_over_nodes("web"))["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert by_app == [
        {
            "podAffinityTerm": {
                "labelSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]},
                "topologyKey": "kubernetes.io/hostname",
            },
            "weight": 100,
        }
    ]
    by_labels = _dump(spread_over_nodes(labels={"app": "gw"}, weight=50))["podAntiAffinity"]
    term = by_labels["preferredDuringSchedulingIgnoredDuringExecution"][0]
    assert (term["podAffinityTerm"]["labelSelector"], term["weight"]) == ({"matchLabels": {"app": "gw"}}, 50)


def test_spread_over_nodes_needs_exactly_one_selector() -> None:
    with pytest.raises(FakoError, match=r"give exactly one of app= or labels=, got app='a', labels=\{'app': 'a'\}"):
        spread_over_nodes("a", labels={"app": "a"})
    with pytest.raises(FakoError, match="got app=None, labels=None"):
        spread_over_nodes()


def test_secret_keys_and_config_keys_read_same_named_keys_in_order() -> None:
    refs = {k: _dump(v) for k, v in secret_keys("s", "B", "A", optional=True).items()}
    assert list(refs) == ["B", "A"]
    assert refs["A"] == {"secretKeyRef": {"key": "A", "name": "s", "optional": True}}
    assert {k: _dump(v) for k, v in config_keys("c", "X").items()} == {
        "X": {"configMapKeyRef": {"key": "X", "name": "c"}}
    }


def test_http_probe_writes_scheme_only_when_given() -> None:
    assert _dump(http_probe("/h", "http", scheme="HTTP", successes=1)) == {
        "httpGet": {"path": "/h", "port": "http", "scheme": "HTTP"},
        "successThreshold": 1,
    }
    assert _dump(http_probe("/h", 80)) == {"httpGet": {"path": "/h", "port": 80}}
    assert isinstance(http_probe("/h", 80), k8s.Probe)


def test_read_env_keeps_values_verbatim_in_file_order(tmp_path: Path) -> None:
    module = tmp_path / "demo.py"
    (tmp_path / "files" / "demo").mkdir(parents=True)
    (tmp_path / "files" / "demo" / "x.env").write_text("Z=1\nA=a=b\n\nURL=http://h:80/p?q=1\n")
    assert list(read_env(str(module), "x.env").items()) == [("Z", "1"), ("A", "a=b"), ("URL", "http://h:80/p?q=1")]
