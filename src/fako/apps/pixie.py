"""Pixie: eBPF observability (the Pixie operator chart), connected to Cosmic Cloud.

Not exposed; stores nothing; runs in namespace `pl` (privileged, for its eBPF agents).
The operator's chart comes from the Pixie repository (registered in flux-system); its
deploy key is read from AWS (`pixie/deployment-key`) and fed to the chart via `valuesFrom`.
"""

from __future__ import annotations

from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.helm import HelmApp, HelmAppSpec
from fako.patterns.namespace import AppNamespace, PodSecurity
from fako.tree import AppConstruct

LABELS = {"app.kubernetes.io/managed-by": "kustomize", "app.kubernetes.io/name": "pixie",
          "app.kubernetes.io/part-of": "observability"}
VALUES = {  # the chart values; `deployKey` is filled from the `pixie-deploy-key` Secret
    "cloudAddr": "getcosmic.ai:443", "clusterName": "Fako-cluster", "dataAccess": "Full", "deployKey": "",
    "deployOLM": False, "cloudConnectorMemoryLimit": "512Mi", "dataAccessMemoryLimit": "512Mi",
    "kelvinMemoryLimit": "512Mi", "pemMemoryLimit": "1Gi", "queryBrokerMemoryLimit": "512Mi",
}


class Pixie(AppConstruct):
    """The operator HelmRelease (every 5m), its deploy-key ExternalSecret; all objects labelled."""

    name = "pixie"
    namespace = "pl"

    def build(self) -> None:
        AppNamespace(self, PodSecurity(enforce="privileged", audit="privileged", warn="privileged"), labels=LABELS)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets", labels=LABELS))
        store.secret("pixie-deploy-key", {"deploy-key": "pixie/deployment-key#api-key"}, labels=LABELS)
        HelmApp(self, HelmAppSpec(
            name="pixie", chart="pixie-operator-chart", url="https://artifacts.px.dev/helm_charts/operator",
            # renovate: datasource=helm depName=pixie-operator-chart registryUrl=https://artifacts.px.dev/helm_charts/operator
            version="*", repo="pixie-operator", repo_namespace="flux-system", repo_interval="10m", interval="5m",
            chart_interval="1m", timeout=None, crds=None, retries=None, labels=LABELS, values=VALUES,
            values_from=[{"kind": "Secret", "name": "pixie-deploy-key", "targetPath": "deployKey",
                          "valuesKey": "deploy-key"}]))
