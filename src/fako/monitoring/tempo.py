"""Tempo: the trace store; Alloy forwards OTLP traces to it, Grafana reads them.

ClusterIP only (OTLP gRPC 4317 / HTTP 4318 receivers); keeps 720h of traces on a 50Gi
nfs-csi-v2 volume; runs as root; has a ServiceMonitor. Reads no secrets.
"""

from __future__ import annotations

from fako.infra.helm_operator import HelmOperator, HelmOperatorSpec, HelmValues, Map, limits
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct


class TempoValues(HelmValues):
    """What this cluster sets in the tempo chart."""

    tempo: Map
    persistence: Map
    replicas: int
    resources: Map
    security_context: Map
    server: Map
    service: Map
    service_monitor: Map


class Tempo(AppConstruct):
    """Tempo."""

    name = "tempo"
    default_layer = "monitoring-controllers"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        otlp = {p: {"endpoint": f"0.0.0.0:{port}"} for p, port in (("grpc", 4317), ("http", 4318))}
        HelmOperator(
            self,
            HelmOperatorSpec(
                name="tempo",
                chart="tempo",
                # renovate: datasource=helm depName=tempo registryUrl=https://grafana.github.io/helm-charts
                version="1.10.1",
                repo="grafana",
                url="https://grafana.github.io/helm-charts",
                repo_interval="1h",
                install_crds="Create",
                values=TempoValues(
                    tempo={
                        "auth_enabled": False,
                        "receivers": {"otlp": {"protocols": otlp}},
                        "retention": "720h",
                        "storage": {"trace": {"backend": "local", "local": {"path": "/var/tempo/traces"}}},
                    },
                    persistence={"enabled": True, "size": "50Gi", "storageClassName": "nfs-csi-v2"},
                    replicas=1,
                    resources=limits("250m", "512Mi", "1000m", "2Gi"),
                    security_context={"fsGroup": 0, "runAsGroup": 0, "runAsUser": 0},
                    server={"grpc_listen_port": 9095, "http_listen_port": 3100},
                    service={"type": "ClusterIP"},
                    service_monitor={"enabled": True, "labels": {"prometheus": "kube-prometheus"}},
                ),
            ),
        )
