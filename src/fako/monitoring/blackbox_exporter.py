"""Blackbox exporter: probes services over TCP/HTTP for Prometheus (the `Probe`s in monitoring-configs).

Deployment `prom/blackbox-exporter` with its modules (tcp_wyoming, http_ollama,
tcp_slow; config verbatim in files/), Service `blackbox-exporter:9115` inside the
cluster and a ServiceMonitor. Stores nothing, reads no secrets.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.monitoring import ServiceMonitor, ServiceMonitorSpec
from fako.constructs.pods import config_volume, http_probe, mount, resources
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

LABELS = {"app": "blackbox-exporter"}
NAME = "blackbox-exporter"


class BlackboxExporter(AppConstruct):
    """Blackbox exporter."""

    name = "blackbox-exporter"
    namespace = "monitoring"
    default_layer = "monitoring-controllers"

    def build(self) -> None:
        ConfigMap(
            self,
            "config",
            ConfigMapSpec(name=f"{NAME}-config", data={"blackbox.yml": read_file(__file__, "blackbox.yml")}),
        )
        service(self, NAME, selector=LABELS, labels=LABELS, ports=[port("http", 9115)], id="service")
        deployment(
            self,
            NAME,
            selector=LABELS,
            containers=[
                k8s.Container(
                    name=NAME,
                    image="prom/blackbox-exporter:v0.28.0",
                    args=["--config.file=/config/blackbox.yml", "--log.level=info"],
                    ports=[k8s.ContainerPort(container_port=9115, name="http", protocol="TCP")],
                    liveness_probe=http_probe("/-/healthy", "http", initial_delay_seconds=10, period_seconds=10),
                    readiness_probe=http_probe("/-/ready", "http", initial_delay_seconds=5, period_seconds=5),
                    resources=resources({"cpu": "10m", "memory": "64Mi"}, {"cpu": "50m", "memory": "128Mi"}),
                    volume_mounts=[mount("config", "/config")],
                )
            ],
            volumes=[config_volume("config", f"{NAME}-config")],
        )
        ServiceMonitor(
            self,
            "monitor",
            ServiceMonitorSpec.model_validate(
                {
                    "name": NAME,
                    "labels": LABELS,
                    "selector": {"matchLabels": LABELS},
                    "endpoints": [{"interval": "30s", "path": "/metrics", "port": "http"}],
                }
            ),
        )
