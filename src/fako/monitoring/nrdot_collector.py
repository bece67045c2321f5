"""New Relic collector with APM auto-instrumentation (switched off for data volume).

The `nri-bundle` release `newrelic-bundle` (infrastructure, Prometheus agent, APM agent
in every namespace) reads the license key from AWS through the namespace's SecretStore
(SOPS `aws-credentials`); three `Instrumentation`s inject agents: Java in `default`,
Node.js in n8n, Python in the voice apps. Nothing exposed or stored.
"""

from __future__ import annotations

from fako.constructs.newrelic import Instrumentation, InstrumentationSpec
from fako.monitoring.newrelic import OFF, ON, nri_bundle
from fako.tree import AppConstruct

AGENT_IMAGES = {  # by language
    "java": "newrelic/newrelic-java-init:9.4.0",
    "nodejs": "newrelic/newrelic-node-init:13.20.0",
    "python": "newrelic/newrelic-python-init:13.4.0",
}
AGENTS = (  # (name suffix, language, namespaces, pod label that must exist)
    ("", "java", ["default"], "app.kubernetes.io/name"),
    ("-nodejs", "nodejs", ["n8n"], "app"),
    ("-python", "python", ["piper", "piper-v13", "whisper", "openwakeword"], "app"),
)


class NrdotCollector(AppConstruct):
    """New Relic collector with APM auto-instrumentation (switched off for data volume)."""

    name = "nrdot-collector"
    default_layer = "monitoring-controllers"

    def build(self) -> None:
        nri_bundle(
            self,
            "newrelic-bundle",
            # renovate: datasource=helm depName=nri-bundle registryUrl=https://helm-charts.newrelic.com
            version=">=5.0.0",
            provides=("newrelic.com/Instrumentation",),
            values={
                "k8s-agents-operator": ON,
                "kube-state-metrics": ON,
                "newrelic-eapm-agent": {"config": {"enabledNamespaces": ["*"]}, "enabled": True},
                "newrelic-infra-operator": OFF,
                "newrelic-infrastructure": ON,
                "newrelic-k8s-metrics-adapter": OFF,
                "newrelic-logging": OFF,
                "newrelic-pixie": OFF,
                "newrelic-prometheus-agent": ON,
                "nri-kube-events": ON,
                "nri-metadata-injection": ON,
                "nri-prometheus": OFF,
                "pixie-chart": OFF,
            },
        )
        for suffix, language, namespaces, label in AGENTS:
            Instrumentation(
                self,
                f"instrumentation{suffix}",
                InstrumentationSpec.model_validate(
                    {
                        "name": f"newrelic-instrumentation{suffix}",
                        "agent": {"image": AGENT_IMAGES[language], "language": language},
                        "namespaceLabelSelector": {
                            "matchExpressions": [
                                {"key": "kubernetes.io/metadata.name", "operator": "In", "values": namespaces}
                            ]
                        },
                        "podLabelSelector": {"matchExpressions": [{"key": label, "operator": "Exists"}]},
                    }
                ),
            )
