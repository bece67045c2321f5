"""What the two New Relic units share: New Relic's `nri-bundle` chart through Flux.

`nri_bundle(app, ...)` makes the namespace, its AWS SecretStore (SOPS `aws-credentials`),
the license-key ExternalSecret and the HelmRelease (repository: infrastructure-controllers
`newrelic`, in flux-system) passing the key in with `valuesFrom`.
"""

from __future__ import annotations

from pydantic import Field

from fako.infra.helm_operator import HelmOperator, HelmOperatorSpec, HelmValues, Map
from fako.patterns.aws import AwsSecretStore
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct

__all__ = ["OFF", "ON", "NriBundleValues", "nri_bundle"]

ON, OFF = {"enabled": True}, {"enabled": False}
GLOBAL = {"cluster": "Fako-cluster", "lowDataMode": True, "privileged": True, "verboseLog": False}
LICENSE = {
    "kind": "Secret",
    "name": "newrelic-license-key",
    "targetPath": "global.licenseKey",
    "valuesKey": "license-key",
}


class NriBundleValues(HelmValues):
    """What this cluster sets in the nri-bundle chart: `global` and one switch per sub-chart."""

    global_: Map = Field(alias="global")
    k8s_agents_operator: Map = Field(alias="k8s-agents-operator")
    kube_state_metrics: Map = Field(alias="kube-state-metrics")
    newrelic_eapm_agent: Map = Field(alias="newrelic-eapm-agent")
    newrelic_infra_operator: Map | None = Field(None, alias="newrelic-infra-operator")
    newrelic_infrastructure: Map = Field(alias="newrelic-infrastructure")
    newrelic_k8s_metrics_adapter: Map | None = Field(None, alias="newrelic-k8s-metrics-adapter")
    newrelic_logging: Map = Field(alias="newrelic-logging")
    newrelic_pixie: Map = Field(alias="newrelic-pixie")
    newrelic_prometheus_agent: Map = Field(alias="newrelic-prometheus-agent")
    nri_kube_events: Map = Field(alias="nri-kube-events")
    nri_metadata_injection: Map = Field(alias="nri-metadata-injection")
    nri_prometheus: Map | None = Field(None, alias="nri-prometheus")
    pixie_chart: Map = Field(alias="pixie-chart")


def nri_bundle(
    app: AppConstruct,
    name: str,
    *,
    version: str,
    values: Map,
    values_from: tuple[Map, ...] = (),
    provides: tuple[str, ...] = (),
) -> AwsSecretStore:
    """The bundle release `name` of chart `version` with `values` (besides `global`); returns the namespace's store.

    Callers write `version=` on its own line under a `# renovate: datasource=helm depName=nri-bundle ...`
    marker: the chart's name and repository live here, its version with each release.
    """
    AppNamespace(app, pss=None)
    store = AwsSecretStore(app)
    store.secret("newrelic-license-key", {"license-key": "newrelic/license-key#license-key"})
    HelmOperator(
        app,
        HelmOperatorSpec(
            name=name,
            chart="nri-bundle",
            version=version,
            repo="newrelic",
            repo_namespace="flux-system",
            interval="5m",
            chart_interval="1m",
            install_crds=None,
            upgrade_crds=None,
            install_retries=None,
            upgrade_retries=None,
            timeout=None,
            values=NriBundleValues.model_validate({"global": GLOBAL, **values}),
            values_from=[LICENSE, *values_from],
            provides=provides,
        ),
    )
    return store
