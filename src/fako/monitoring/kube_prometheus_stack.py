"""kube-prometheus-stack: Prometheus, Alertmanager, Grafana and the Prometheus operator.

Prometheus keeps 30 days on a 50Gi nfs-csi-v2 claim and selects every ServiceMonitor,
PodMonitor and rule in every namespace. Alertmanager sends `k8s-engineer`/`platform-sre`
and critical alerts to zi's webhook. Grafana is exposed at grafana.landryzetam.net
(traefik, TLS secret `grafana-tls-secret`, no issuer annotation) with a Loki datasource
and the dashboard sidecar; its `adminPassword: admin` sits in plain values, as the
cluster has it. Pulls with the `dockerhub-registry` secret; reads no other secrets.
"""

from __future__ import annotations

from pydantic import Field

from fako.infra.helm_operator import HelmOperator, HelmOperatorSpec, HelmValues, Map, limits
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct

ON, OFF = {"enabled": True}, {"enabled": False}
HOST = "grafana.landryzetam.net"
ZI = "http://zi.zi.svc.cluster.local:8080/webhooks/prometheus"
SELECT_ALL: Map = {
    f"{kind}{part}": value
    for kind in ("podMonitor", "rule", "serviceMonitor")
    for part, value in (("NamespaceSelector", {}), ("Selector", {}), ("SelectorNilUsesHelmValues", False))
}


def _route(matcher: str, wait: str, repeat: str) -> Map:
    return {
        "continue": True,
        "group_interval": "1m",
        "group_wait": wait,
        "matchers": [matcher],
        "receiver": "zi-webhook",
        "repeat_interval": repeat,
    }


class KubePrometheusStackValues(HelmValues):
    """What this cluster sets in the kube-prometheus-stack chart."""

    alertmanager: Map
    grafana: Map
    prometheus: Map
    global_: Map | None = Field(None, alias="global")
    core_dns: Map
    kube_api_server: Map
    kube_controller_manager: Map
    kube_dns: Map
    kube_etcd: Map
    kube_proxy: Map
    kube_scheduler: Map
    kube_state_metrics: Map
    kubelet: Map
    node_exporter: Map
    prometheus_operator: Map


def _sidecar(label: str) -> Map:
    return {"enabled": True, "label": label, "labelValue": "1", "searchNamespace": "ALL"}


class KubePrometheusStack(AppConstruct):
    """kube-prometheus-stack."""

    name = "kube-prometheus-stack"
    namespace = "monitoring"
    default_layer = "monitoring-controllers"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        values = KubePrometheusStackValues.model_validate(
            {
                "global": {"imagePullSecrets": [{"name": "dockerhub-registry"}]},
                "alertmanager": {
                    "enabled": True,
                    "alertmanagerSpec": {"resources": limits("50m", "64Mi", "200m", "256Mi")},
                    "config": {
                        "global": {"resolve_timeout": "5m"},
                        "inhibit_rules": [
                            {
                                "equal": ["namespace", "alertname"],
                                "source_matchers": ['severity="critical"'],
                                "target_matchers": ['severity=~"warning|info"'],
                            }
                        ],
                        "receivers": [
                            {"name": "default"},
                            {
                                "name": "zi-webhook",
                                "webhook_configs": [{"max_alerts": 10, "send_resolved": True, "url": ZI}],
                            },
                        ],
                        "route": {
                            "group_by": ["namespace", "alertname", "severity"],
                            "group_interval": "5m",
                            "group_wait": "30s",
                            "receiver": "default",
                            "repeat_interval": "4h",
                            "routes": [
                                _route('agent=~"k8s-engineer|platform-sre"', "10s", "1h"),
                                _route('severity="critical"', "0s", "30m"),
                            ],
                        },
                    },
                },
                "grafana": {
                    "additionalDataSources": [
                        {
                            "access": "proxy",
                            "jsonData": {"maxLines": 1000, "timeout": 60},
                            "name": "Loki",
                            "type": "loki",
                            "url": "http://loki-gateway.loki-stack.svc.cluster.local",
                        }
                    ],
                    "adminPassword": "admin",
                    "ingress": {
                        "enabled": True,
                        "hosts": [HOST],
                        "ingressClassName": "traefik",
                        "path": "/",
                        "tls": [{"hosts": [HOST], "secretName": "grafana-tls-secret"}],
                    },
                    "sidecar": {
                        "dashboards": {
                            **_sidecar("grafana_dashboard"),
                            "folderAnnotation": "grafana_folder",
                            "provider": {"allowUiUpdates": True, "disableDelete": False},
                        },
                        "datasources": _sidecar("grafana_datasource"),
                    },
                },
                "prometheus": {
                    "prometheusSpec": {
                        "initContainers": [
                            {
                                "command": ["sh", "-c", "chown -R 1000:2000 /prometheus"],
                                "image": "busybox:1.38",
                                "name": "fix-permissions",
                                "securityContext": {"runAsNonRoot": False, "runAsUser": 0},
                                "volumeMounts": [
                                    {
                                        "mountPath": "/prometheus",
                                        "name": "prometheus-kube-prometheus-stack-prometheus-db",
                                    }
                                ],
                            }
                        ],
                        "maximumStartupDurationSeconds": 15000,
                        "resources": limits("200m", "512Mi", "2000m", "4Gi"),
                        "retention": "30d",
                        **SELECT_ALL,
                        "storageSpec": {
                            "volumeClaimTemplate": {
                                "spec": {
                                    "accessModes": ["ReadWriteOnce"],
                                    "resources": {"requests": {"storage": "50Gi"}},
                                    "storageClassName": "nfs-csi-v2",
                                }
                            }
                        },
                    }
                },
                "coreDns": ON,
                "kubeApiServer": ON,
                "kubeControllerManager": ON,
                "kubeDns": OFF,
                "kubeEtcd": ON,
                "kubeProxy": ON,
                "kubeScheduler": ON,
                "kubeStateMetrics": ON,
                "kubelet": ON,
                "nodeExporter": ON,
                "prometheusOperator": ON,
            }
        )
        HelmOperator(
            self,
            HelmOperatorSpec(
                name="kube-prometheus-stack",
                chart="kube-prometheus-stack",
                # renovate: datasource=helm depName=kube-prometheus-stack registryUrl=https://prometheus-community.github.io/helm-charts
                version="^87.10.1",
                chart_interval="12h",
                url="https://prometheus-community.github.io/helm-charts",
                install_crds="Create",
                install_retries=None,
                upgrade_retries=2,
                timeout="30m",
                values=values,
                provides=tuple(
                    f"monitoring.coreos.com/{k}" for k in ("ServiceMonitor", "PodMonitor", "PrometheusRule", "Probe")
                ),
                drift_detection={
                    "mode": "enabled",
                    "ignore": [
                        {
                            "paths": ["/metadata/annotations/prometheus-operator-validated"],
                            "target": {"kind": "PrometheusRule"},
                        }
                    ],
                },
            ),
        )
