"""A Helm-wrapped app: a Flux `HelmRepository` plus the `HelmRelease` installing its chart.

`HelmApp(app, HelmAppSpec(name="cert-manager", chart="cert-manager", url="https://...",
version="^1.16.0", values={...}))` renders the pair the cluster writes for every chart:
the repository (named like the release, in the app's namespace, refreshed every 24h) and
the release (reconciled every 30m, 10m timeout, CRDs `CreateReplace` on install and
upgrade, 3 remediation retries). Every default can be changed or left out (`None`).
Long values live in a YAML file beside the app module: `values=values_file(__file__)`.
A chart's `image` block is written from one full image literal (the repository's image
convention): `image_values("ghcr.io/backstage/backstage:latest")`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from fako.checked import checked
from fako.constructs.base import DnsName, Spec
from fako.constructs.config import read_file
from fako.constructs.flux import HelmRelease, HelmReleaseSpec, HelmRepository, HelmRepositorySpec
from fako.errors import FakoError
from fako.tree import Group, Scope

__all__ = ["HelmApp", "HelmAppSpec", "image_values", "values_file"]


class HelmAppSpec(Spec):
    """A chart from a Helm repository, installed as one release.

    `repo`/`repo_namespace` name the HelmRepository (default: the release's name, the
    app's namespace); `repo_interval` is its refresh interval. `chart_interval` sets
    `chart.spec.interval`. `crds` is the CRD policy of install and upgrade (`install_crds`
    overrides install's); `retries` the remediation retries of both; `None` leaves a field
    out. `values_from` and `extra` (more HelmRelease spec fields, camelCase) go in verbatim;
    `labels` go on both objects.

    Example: `HelmAppSpec(name="wger", chart="wger", url="https://wger-project.github.io/helm-charts")`
    """

    name: DnsName
    chart: str
    url: str
    version: str | None = None
    values: dict[str, Any] | None = None
    values_from: list[dict[str, Any]] | None = None
    repo: DnsName | None = None
    repo_namespace: str | None = None
    repo_interval: str = "24h"
    interval: str = "30m"
    chart_interval: str | None = None
    timeout: str | None = "10m"
    crds: str | None = "CreateReplace"
    install_crds: str | None = None
    retries: int | None = 3
    extra: dict[str, Any] | None = None
    labels: dict[str, str] | None = None


@checked
def values_file(module_file: str, relative: str = "values.yaml") -> dict[str, Any]:
    """Chart values kept as YAML beside the app module (`files/<module>/values.yaml`).

    Example: `HelmAppSpec(name="app", chart="app", url="https://charts.example.org", values=values_file(__file__))`
    """
    values = yaml.safe_load(read_file(module_file, relative))
    assert isinstance(values, dict)
    return values


def image_values(image: str, keys: Iterable[str] = ("registry", "repository", "tag")) -> dict[str, str]:
    """A full image reference as a chart's `image` block, limited to `keys`.

    `image_values("ghcr.io/backstage/backstage:latest")` is `{"registry": "ghcr.io",
    "repository": "backstage/backstage", "tag": "latest"}`; a reference without a registry
    host (`wger/server:latest`) has no `registry` key. `keys=("tag",)` keeps the tag alone,
    for a release that leaves the chart's repository as it is.

    Example: `image_values("docker.io/library/nginx:1.27")  # {"registry": "docker.io", "repository": "library/nginx", "tag": "1.27"}`
    """
    name, sep, tag = image.rpartition(":")
    if not sep or "/" in tag or "@" in image:
        raise FakoError(f"image {image!r}: expected 'repository:tag' (a tag, no digest)")
    host, _, rest = name.partition("/")
    parts = (
        {"registry": host, "repository": rest}
        if rest and ("." in host or ":" in host or host == "localhost")
        else {"repository": name}
    )
    parts["tag"] = tag
    return {k: parts[k] for k in keys if k in parts}


def _policy(crds: str | None, retries: int | None) -> dict[str, Any] | None:
    policy: dict[str, Any] = {}
    if crds is not None:
        policy["crds"] = crds
    if retries is not None:
        policy["remediation"] = {"retries": retries}
    return policy or None


class HelmApp(Group):
    """The HelmRepository (`.repository`) and HelmRelease (`.release`) of one chart.

    Example: `HelmApp(self, HelmAppSpec(name="wger", chart="wger", url="https://wger-project.github.io/helm-charts", values={"replicas": 1}))`
    """

    def __init__(self, scope: Scope, spec: HelmAppSpec, id: str = "helm") -> None:
        super().__init__(scope, id)
        self.spec = spec
        repo = spec.repo or spec.name
        self.repository = HelmRepository(
            self,
            "repository",
            HelmRepositorySpec.model_validate(
                {
                    "name": repo,
                    "namespace": spec.repo_namespace,
                    "labels": spec.labels,
                    "interval": spec.repo_interval,
                    "url": spec.url,
                }
            ),
        )
        source = {"kind": "HelmRepository", "name": repo, "namespace": spec.repo_namespace or self.default_namespace}
        chart: dict[str, Any] = {"chart": spec.chart, "sourceRef": source}
        if spec.chart_interval is not None:
            chart["interval"] = spec.chart_interval
        if spec.version is not None:
            chart["version"] = spec.version
        fields: dict[str, Any] = {
            "name": spec.name,
            "labels": spec.labels,
            "chart": {"spec": chart},
            "interval": spec.interval,
            "install": _policy(spec.install_crds or spec.crds, spec.retries),
            "upgrade": _policy(spec.crds, spec.retries),
            "timeout": spec.timeout,
            "values": spec.values,
            "valuesFrom": spec.values_from,
            **(spec.extra or {}),
        }
        self.release = HelmRelease(
            self, "release", HelmReleaseSpec.model_validate({k: v for k, v in fields.items() if v is not None})
        )
