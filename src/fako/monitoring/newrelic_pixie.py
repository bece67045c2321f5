"""New Relic with Pixie (switched off for data volume): eBPF tracing into New Relic.

The `nri-bundle` release `newrelic-pixie-bundle` (low-data mode, Pixie on) reads the
license key and Pixie's API/deploy keys from AWS (`newrelic/*`) through the namespace's
SecretStore (SOPS `aws-credentials`). Nothing exposed or stored.
"""

from __future__ import annotations

from fako.monitoring.newrelic import OFF, ON, nri_bundle
from fako.tree import AppConstruct


class NewrelicPixie(AppConstruct):
    """New Relic with Pixie (switched off for data volume)."""

    name = "newrelic-pixie"
    default_layer = "monitoring-controllers"

    def build(self) -> None:
        store = nri_bundle(
            self,
            "newrelic-pixie-bundle",
            # renovate: datasource=helm depName=nri-bundle registryUrl=https://helm-charts.newrelic.com
            version=">=5.0.96",
            values={
                "k8s-agents-operator": OFF,
                # renovate: datasource=docker depName=registry.k8s.io/kube-state-metrics/kube-state-metrics
                "kube-state-metrics": {"enabled": True, "image": {"tag": "v2.10.0"}},
                "newrelic-eapm-agent": OFF,
                "newrelic-infrastructure": {"controlPlane": OFF, "enabled": True, "privileged": True},
                "newrelic-logging": OFF,
                "newrelic-pixie": ON,
                "nri-kube-events": ON,
                "nri-metadata-injection": ON,
                "newrelic-prometheus-agent": {
                    "config": {"kubernetes": {"integrations_filter": OFF}},
                    "enabled": True,
                    "lowDataMode": True,
                },
                "pixie-chart": {"clusterName": "Fako-cluster", "enabled": True},
            },
            values_from=tuple(
                {"kind": "Secret", "name": "pixie-keys", "targetPath": path, "valuesKey": key}
                for path, key in (("newrelic-pixie.apiKey", "apiKey"), ("pixie-chart.deployKey", "deployKey"))
            ),
        )
        store.secret("pixie-keys", {"apiKey": "newrelic/pixie-api-key", "deployKey": "newrelic/pixie-deploy-key"})
