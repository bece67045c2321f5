"""CloudNative-PG: the Postgres operator behind the shared `postgres-cluster` (apps layer).

Controller only, cluster-wide, with its PodMonitor; no Ingress, storage or secrets.
"""

from __future__ import annotations

from fako.infra.helm_operator import HelmOperator, HelmOperatorSpec, HelmValues, Map, limits
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct


class CnpgValues(HelmValues):
    """What this cluster sets in the cloudnative-pg chart (empty placement blocks included)."""

    config: Map
    monitoring: Map
    resources: Map
    affinity: Map
    node_selector: Map
    tolerations: list[Map]


class CloudnativePg(AppConstruct):
    """CloudNative-PG."""

    name = "cloudnative-pg"
    namespace = "cnpg-system"
    default_layer = "infrastructure-controllers"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        HelmOperator(
            self,
            HelmOperatorSpec(
                name="cloudnative-pg",
                chart="cloudnative-pg",
                # renovate: datasource=helm depName=cloudnative-pg registryUrl=https://cloudnative-pg.github.io/charts
                version="^0.27.0",
                install_crds="Create",
                url="https://cloudnative-pg.github.io/charts",
                provides=("postgresql.cnpg.io/Cluster",),
                values=CnpgValues(
                    config={"clusterWide": True},
                    monitoring={"enabled": True, "podMonitor": {"enabled": True}},
                    resources=limits("100m", "128Mi", "500m", "512Mi"),
                    affinity={},
                    node_selector={},
                    tolerations=[],
                ),
            ),
        )
