"""Monitoring: metrics, logs, traces, probes and alert rules (the monitoring-* layers),
one module per unit, in the order the cluster lists them."""

from __future__ import annotations

from fako.definition import Unit
from fako.monitoring.alert_rules import All
from fako.monitoring.alloy import Alloy
from fako.monitoring.blackbox_exporter import BlackboxExporter
from fako.monitoring.gpu_monitoring import GpuMonitoring
from fako.monitoring.kube_prometheus_stack import KubePrometheusStack
from fako.monitoring.loki_stack import LokiStack
from fako.monitoring.newrelic_pixie import NewrelicPixie
from fako.monitoring.nrdot_collector import NrdotCollector
from fako.monitoring.tempo import Tempo

__all__ = ["CONFIGS", "CONTROLLERS"]

CONTROLLERS = [
    Unit(Alloy),
    Unit(BlackboxExporter),
    Unit(GpuMonitoring),
    Unit(KubePrometheusStack),
    Unit(LokiStack),
    Unit(NewrelicPixie, enabled=False),
    Unit(NrdotCollector, enabled=False),
    Unit(Tempo),
]

CONFIGS = [Unit(All)]
