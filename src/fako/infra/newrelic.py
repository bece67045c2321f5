"""New Relic chart repository (switched off): the `newrelic` HelmRepository in flux-system.

Only the repository: the New Relic releases (monitoring-controllers units
newrelic-pixie and nrdot-collector, both off) point at it. Nothing exposed or stored.
"""

from __future__ import annotations

from fako.constructs.flux import HelmRepository, HelmRepositorySpec
from fako.tree import AppConstruct

URL = "https://helm-charts.newrelic.com"


class Newrelic(AppConstruct):
    """New Relic chart repository (switched off)."""

    name = "newrelic"
    namespace = "flux-system"
    default_layer = "infrastructure-controllers"

    def build(self) -> None:
        HelmRepository(self, "repository", HelmRepositorySpec(name="newrelic", interval="1h", url=URL))
