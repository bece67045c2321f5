"""Grafana Alloy: the per-node collector (DaemonSet) for logs, metrics and traces.

Ships pod logs to Loki (`loki-gateway`), receives OTLP traces on 4317/4318 (Service
`alloy-otlp`) and forwards them to Tempo, and remote-writes node and annotated-Service
metrics to Prometheus (whose remote-write receiver is not switched on). Its River
config (~300 lines, verbatim in files/) is ConfigMap `alloy-config`; clustering runs
over the headless Service `alloy-cluster`. Reads host log folders; no secrets.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.infra.helm_operator import HelmOperator, HelmOperatorSpec, HelmValues, Map, limits
from fako.patterns.namespace import PRIVILEGED, AppNamespace
from fako.patterns.rbac import grant, rule
from fako.patterns.workload import port, service
from fako.tree import AppConstruct

SELECTOR = {"app.kubernetes.io/instance": "alloy", "app.kubernetes.io/name": "alloy"}
READ = ["get", "list", "watch"]


class AlloyValues(HelmValues):
    """What this cluster sets in the alloy chart."""

    alloy: Map
    controller: Map
    rbac: Map
    resources: Map
    security_context: Map
    service_account: Map
    service_monitor: Map
    tolerations: list[Map]


def _host(name: str, path: str, mount: str, kind: str = "DirectoryOrCreate", read_only: bool = True) -> tuple[Map, Map]:
    return (
        {"mountPath": mount, "name": name, "readOnly": read_only},
        {"hostPath": {"path": path, "type": kind}, "name": name},
    )


class Alloy(AppConstruct):
    """Grafana Alloy."""

    name = "alloy"
    default_layer = "monitoring-controllers"

    def build(self) -> None:
        AppNamespace(self, pss=PRIVILEGED)
        grant(
            self,
            account="alloy",
            role="alloy",
            rules=[
                rule("", ["nodes", "nodes/metrics", "services", "endpoints", "pods"], READ),
                rule("", ["pods/log"], READ),
                rule("apps", ["deployments", "daemonsets", "replicasets", "statefulsets"], READ),
                rule("batch", ["cronjobs", "jobs"], READ),
                rule("monitoring.coreos.com", ["servicemonitors", "podmonitors", "prometheusrules", "probes"], READ),
                k8s.PolicyRule(non_resource_ur_ls=["/metrics", "/metrics/cadvisor"], verbs=["get"]),
            ],
        )
        ConfigMap(
            self,
            "config",
            ConfigMapSpec(name="alloy-config", data={"config.alloy": read_file(__file__, "config.alloy")}),
        )
        service(
            self,
            "alloy-cluster",
            selector=SELECTOR,
            labels={"app.kubernetes.io/component": "cluster", "app.kubernetes.io/name": "alloy"},
            cluster_ip="None",
            publish_not_ready_addresses=True,
            ports=[port("http-metrics", 12345), port("alloy-cluster", 12346)],
        )
        service(
            self,
            "alloy-otlp",
            selector=SELECTOR,
            labels={"app.kubernetes.io/component": "otlp", "app.kubernetes.io/name": "alloy"},
            ports=[port("otlp-grpc", 4317), port("otlp-http", 4318)],
        )
        mounts, volumes = zip(
            _host("pods", "/var/log/pods", "/var/log/pods", "Directory"),
            _host("journal", "/var/log/journal", "/var/log/journal"),
            _host("alloy-data", "/var/lib/alloy", "/alloy-data", read_only=False),
            strict=True,
        )
        HelmOperator(
            self,
            HelmOperatorSpec(
                name="alloy",
                chart="alloy",
                # renovate: datasource=helm depName=alloy registryUrl=https://grafana.github.io/helm-charts
                version="0.10.1",
                repo="grafana",
                url="https://grafana.github.io/helm-charts",
                install_crds="Create",
                values=AlloyValues(
                    alloy={
                        "clustering": {"enabled": True},
                        "configMap": {"create": False, "key": "config.alloy", "name": "alloy-config"},
                        "extraVolumeMounts": list(mounts),
                        "extraVolumes": list(volumes),
                        "mounts": {"dockercontainers": True, "varlog": True},
                    },
                    controller={"hostPID": True, "type": "daemonset"},
                    rbac={"create": True},
                    resources=limits("100m", "256Mi", "500m", "512Mi"),
                    security_context={"privileged": True, "runAsUser": 0},
                    service_account={"create": True},
                    service_monitor={"additionalLabels": {"prometheus": "kube-prometheus"}, "enabled": True},
                    tolerations=[{"operator": "Exists"}],
                ),
            ),
        )
