"""Loki: the cluster's log store (SingleBinary), fed by Alloy, read by Grafana.

Served inside the cluster only (`loki-gateway.loki-stack`); keeps 720h of logs on a
100Gi nfs-csi-v2 volume (filesystem/TSDB schema v13), with chunk and results caches.
`fsGroupChangePolicy: OnRootMismatch` avoids the recursive chown that once took it down
for 23h. Pulls with `dockerhub-registry`; reads no other secrets. Privileged namespace.
"""

from __future__ import annotations

from pydantic import Field

from fako.infra.helm_operator import HelmOperator, HelmOperatorSpec, HelmValues, Map, limits
from fako.patterns.namespace import PRIVILEGED, AppNamespace
from fako.tree import AppConstruct

OFF = {"replicas": 0}


class LokiValues(HelmValues):
    """What this cluster sets in the loki chart."""

    deployment_mode: str
    global_: Map | None = Field(None, alias="global")
    loki: Map
    single_binary: Map
    chunks_cache: Map
    results_cache: Map
    backend: Map
    read: Map
    write: Map


class LokiStack(AppConstruct):
    """Loki."""

    name = "loki-stack"
    default_layer = "monitoring-controllers"

    def build(self) -> None:
        AppNamespace(self, pss=PRIVILEGED)
        uid = 10001
        values = LokiValues.model_validate(
            {
                "deploymentMode": "SingleBinary",
                "global": {"image": {"pullSecrets": ["dockerhub-registry"]}},
                "loki": {
                    "auth_enabled": False,
                    "commonConfig": {"replication_factor": 1},
                    "limits_config": {
                        "ingestion_burst_size_mb": 24,
                        "ingestion_rate_mb": 16,
                        "max_global_streams_per_user": 0,
                        "max_streams_per_user": 0,
                        "per_stream_rate_limit": "8MB",
                        "per_stream_rate_limit_burst": "12MB",
                        "retention_period": "720h",
                    },
                    "podSecurityContext": {
                        "fsGroup": uid,
                        "fsGroupChangePolicy": "OnRootMismatch",
                        "runAsGroup": uid,
                        "runAsNonRoot": True,
                        "runAsUser": uid,
                    },
                    "schemaConfig": {
                        "configs": [
                            {
                                "from": "2024-01-01",
                                "index": {"period": "24h", "prefix": "loki_index_"},
                                "object_store": "filesystem",
                                "schema": "v13",
                                "store": "tsdb",
                            }
                        ]
                    },
                    "storage": {
                        "bucketNames": {"admin": "admin", "chunks": "chunks", "ruler": "ruler"},
                        "type": "filesystem",
                    },
                },
                "singleBinary": {
                    "persistence": {"enabled": True, "size": "100Gi", "storageClass": "nfs-csi-v2"},
                    "replicas": 1,
                    "resources": limits("200m", "512Mi", "1000m", "2Gi"),
                },
                "chunksCache": {
                    "allocatedMemory": 1024,
                    "enabled": True,
                    "resources": limits("50m", "1Gi", None, "1536Mi"),
                },
                "resultsCache": {
                    "allocatedMemory": 512,
                    "enabled": True,
                    "resources": limits("25m", "512Mi", None, "768Mi"),
                },
                "backend": OFF,
                "read": OFF,
                "write": OFF,
            }
        )
        HelmOperator(
            self,
            HelmOperatorSpec(
                name="loki",
                chart="loki",
                # renovate: datasource=helm depName=loki registryUrl=https://grafana.github.io/helm-charts
                version="6.30.1",
                repo="grafana",
                url="https://grafana.github.io/helm-charts",
                install_crds="Create",
                create_namespace=True,
                timeout=None,
                values=values,
            ),
        )
