"""Monitoring configuration (unit `all`): blackbox Probes and the cluster's alert rules.

Four `Probe`s through the blackbox exporter against the voice services (all four
target apps are retired, so they fail permanently; kept as the cluster has them), and
PrometheusRules `vault-watchdog-alerts` and `zi-pod-alerts` (rule groups verbatim in
files/; zi's routed to its webhook by Alertmanager). `postgres-backup-alerts` is made
by the CnpgCluster pattern (fako.patterns.cnpg) with the backups it watches, and the GPU
exporter DaemonSet/Service by monitoring-controllers `gpu-monitoring` (see there).
"""

from __future__ import annotations

import yaml

from fako.constructs.config import read_file
from fako.constructs.monitoring import Probe, ProbeSpec, PrometheusRule, PrometheusRuleSpec
from fako.tree import AppConstruct, Scope

PROBER = "blackbox-exporter.monitoring.svc.cluster.local:9115"
PROBES = (  # (name, module, timeout, target)
    ("ollama-http-probe", "http_ollama", "30s", "http://ollama-gpu.ollama.svc.cluster.local:11434"),
    ("openwakeword-tcp-probe", "tcp_wyoming", "10s", "openwakeword.openwakeword.svc.cluster.local:10400"),
    ("piper-tcp-probe", "tcp_wyoming", "10s", "piper.piper.svc.cluster.local:10200"),
    ("whisper-tcp-probe", "tcp_wyoming", "10s", "whisper-gpu.whisper.svc.cluster.local:10300"),
)


def alert_rule(scope: Scope, name: str, app: str, groups_yaml: str) -> PrometheusRule:
    """A PrometheusRule `name` in namespace monitoring picked up by kube-prometheus-stack."""
    labels = {"app": app, "prometheus.io/rule": "true", "release": "kube-prometheus-stack"}
    return PrometheusRule(
        scope,
        name,
        PrometheusRuleSpec.model_validate(
            {"name": name, "namespace": "monitoring", "labels": labels, "groups": yaml.safe_load(groups_yaml)}
        ),
    )


class All(AppConstruct):
    """Monitoring configuration (unit `all`)."""

    name = "all"
    namespace = "monitoring"
    default_layer = "monitoring-configs"

    def build(self) -> None:
        for name, module, timeout, target in PROBES:
            Probe(
                self,
                name,
                ProbeSpec.model_validate(
                    {
                        "name": name,
                        "interval": "30s",
                        "module": module,
                        "prober": {"url": PROBER},
                        "scrapeTimeout": timeout,
                        "targets": {"staticConfig": {"static": [target]}},
                    }
                ),
            )
        for app in ("vault-watchdog", "zi"):
            rule = "zi-pod-alerts" if app == "zi" else f"{app}-alerts"
            alert_rule(self, rule, app, read_file(__file__, f"{rule}.yaml"))
