"""`HelmOperator`: an operator installed from a Helm chart, as Flux installs it here.

One construct makes the pair every operator of the cluster is made of: a
`HelmRepository` (where the chart comes from) and a `HelmRelease` (chart, version,
CRD policy, remediation, timeout, values), both in the operator's namespace. Defaults
are the dominant form of the cluster: release interval 30m, repository interval 24h,
CRDs `CreateReplace` on install and upgrade, 3 remediation retries each, timeout 10m.

Values are typed at the top level: each chart gets a `HelmValues` subclass whose
fields name the top-level keys this cluster changes (`resources`, `webhook`, ...);
below that they are the chart's own plain mappings, emitted as written.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field
from pydantic.alias_generators import to_camel

from fako.constructs.base import DnsName, Spec
from fako.constructs.flux import HelmRelease, HelmReleaseSpec, HelmRepository, HelmRepositorySpec
from fako.fluxgraph import PROVIDES
from fako.tree import Group, Scope

__all__ = ["PROVIDES", "HelmOperator", "HelmOperatorSpec", "HelmValues", "Map", "limits"]

Map = dict[str, Any]
"""A chart's own values below the typed top level, emitted as written."""
CrdPolicy = Literal["Skip", "Create", "CreateReplace"]


def limits(req_cpu: str, req_mem: str, lim_cpu: str | None, lim_mem: str) -> Map:
    """A chart's `resources` block: requests and limits (`lim_cpu=None` leaves the CPU limit out)."""
    lim = {"cpu": lim_cpu, "memory": lim_mem} if lim_cpu else {"memory": lim_mem}
    return {"limits": lim, "requests": {"cpu": req_cpu, "memory": req_mem}}


class HelmValues(Spec):
    """Base of a chart's values: one field per top-level key (camelCase in the output)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, strict=True)

    def dump(self) -> Map:
        return self.model_dump(by_alias=True, exclude_unset=True, exclude_none=True)


class HelmOperatorSpec(Spec):
    """A chart release and its repository.

    `repo` names the HelmRepository (default: the chart name) and `url` is where it
    points; `url=None` reuses a repository made elsewhere (`repo_namespace`). `install_crds`
    / `upgrade_crds` / `*_retries` set to None leave that part out; `chart_interval` is
    the chart template's own poll interval.
    """

    name: DnsName
    chart: str
    version: str | None = None
    url: str | None = None
    repo: str | None = None
    repo_namespace: str | None = None
    repo_interval: str = "24h"
    interval: str = "30m"
    chart_interval: str | None = None
    install_crds: CrdPolicy | None = "CreateReplace"
    upgrade_crds: CrdPolicy | None = "CreateReplace"
    install_retries: int | None = 3
    upgrade_retries: int | None = 3
    create_namespace: bool | None = None
    timeout: str | None = "10m"
    drift_detection: Map | None = None
    values: HelmValues | None = None
    values_from: list[Map] | None = Field(None)
    provides: tuple[str, ...] = ()
    """The custom resource kinds the chart installs (`group/Kind`): Flux layers using them wait for this one."""


def _policy(crds: str | None, retries: int | None, create_namespace: bool | None = None) -> Map | None:
    out: Map = {}
    if crds:
        out["crds"] = crds
    if create_namespace is not None:
        out["createNamespace"] = create_namespace
    if retries is not None:
        out["remediation"] = {"retries": retries}
    return out or None


class HelmOperator(Group):
    """The HelmRepository + HelmRelease of one operator, in the scope's namespace."""

    def __init__(self, scope: Scope, spec: HelmOperatorSpec, id: str = "helm") -> None:
        super().__init__(scope, id)
        self.spec = spec
        ns = self.default_namespace
        repo = spec.repo or spec.chart
        if spec.url is not None:
            HelmRepository(self, "repository", HelmRepositorySpec(name=repo, interval=spec.repo_interval, url=spec.url))
        chart: Map = {
            "chart": spec.chart,
            "sourceRef": {"kind": "HelmRepository", "name": repo, "namespace": spec.repo_namespace or ns},
        }
        if spec.version is not None:
            chart["version"] = spec.version
        if spec.chart_interval is not None:
            chart["interval"] = spec.chart_interval
        fields: Map = {"name": spec.name, "chart": {"spec": chart}, "interval": spec.interval}
        optional = {
            "install": _policy(spec.install_crds, spec.install_retries, spec.create_namespace),
            "upgrade": _policy(spec.upgrade_crds, spec.upgrade_retries),
            "timeout": spec.timeout,
            "driftDetection": spec.drift_detection,
            "values": spec.values.dump() if spec.values is not None else None,
            "valuesFrom": spec.values_from,
        }
        fields.update({k: v for k, v in optional.items() if v is not None})
        self.release = HelmRelease(self, "release", HelmReleaseSpec.model_validate(fields))
        setattr(self.release, PROVIDES, spec.provides)  # read by the Flux wiring (fluxgraph)
