"""The staging cluster: the K3s homelab as it runs today.

Layers are the Flux Kustomizations of the cluster; `enabled=False` marks the units the
cluster has switched off (they stay modelled: `fako synth --include-disabled`).

Flux wiring (layer `flux`, rendered by the `flux_wiring` step): a GitRepository that
watches the build branch holding the rendered tree and one Kustomization per layer
(`path: ./<layer>`, SOPS decryption with `sops-age`, prune, intervals, retry and timeout
as the cluster sets them). This is the one place fako deliberately differs from
`reference/fako-cluster/flux/clusters-staging.yaml`:

- Names: each layer's Kustomization is `fako-<layer>` (`fako-apps` applies `./apps`), not
  the cluster's own `apps`. The switch is a hand-over, never a take-over: a Kustomization
  that kept the name would be the old one with a new path, so Flux would at once prune
  whatever the render lacks, and the bootstrap, still applying the old definition from
  main, would flip it back and forth. `fako cutover` reports the switch; README, "Cutover".
- Source: the layers read GitRepository `fako-build` (branch `build`, the rendered
  `dist/`), not `flux-system` on `main`; flux-system itself (bootstrap, `./clusters/staging`)
  is left as it is and keeps watching main.
- Paths: `./<layer>` in the build branch instead of `./infrastructure/controllers/staging` etc.
- `dependsOn`: derived from the construct graph (fako.fluxgraph): a layer waits for
  the layers installing the CRDs it uses (ExternalSecret, ClusterIssuer, CNPG Cluster,
  ServiceMonitor/PrometheusRule/Probe, ...), the ClusterIssuers its Ingresses name, the
  Postgres cluster its apps' databases live in, and configs wait for their controllers.
  The real cluster has every `dependsOn` commented out, naming a non-existent
  `infra-configs`, so its layers reconcile in parallel with no ordering.
- Retry and timeout stay as the cluster has them, including `infrastructure-configs`
  having none.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fako import infra, monitoring
from fako.clusters.staging_apps import APPS
from fako.clusters.staging_cutover import CUTOVER
from fako.clusters.staging_facts import FACTS
from fako.constructs.base import Spec
from fako.constructs.flux import GitRepository, GitRepositorySpec, Kustomization, KustomizationSpec
from fako.definition import ClusterDefinition, LayerDefinition
from fako.fluxgraph import DATABASES, PROVIDES, LayerKinds, depends_on, order
from fako.tree import Cluster, Layer

__all__ = ["CLUSTER", "CUTOVER", "FluxSettings", "flux_wiring", "layer_kinds"]

ISSUER = "cert-manager.io/cluster-issuer"


class FluxSettings(Spec):
    """How Flux reads the rendered tree (defaults: the cluster's own Kustomization settings)."""

    branch: str = "build"
    source: str = "fako-build"
    url: str = "ssh://git@github.com/lyzetam/fako-cluster"
    git_secret: str = "flux-system"
    namespace: str = "flux-system"
    source_interval: str = "1m0s"
    interval: str = "1m0s"
    retry_interval: str = "1m"
    timeout: str = "5m"
    no_retry: tuple[str, ...] = ("infrastructure-configs",)
    """Layers the cluster gives no retryInterval/timeout."""
    decryption_secret: str = "sops-age"
    prefix: str = "fako-"
    """Prefix of each layer's Kustomization name: new names, so the switch hands over."""
    self_name: str = "fako-flux"
    """The Kustomization that keeps this wiring (`./flux` of the build branch) applied."""
    pairs: tuple[tuple[str, str], ...] = (
        ("infrastructure-controllers", "infrastructure-configs"),
        ("monitoring-controllers", "monitoring-configs"),
    )
    """Controllers before configs."""


def _kind(obj: dict[str, Any]) -> str:
    api = str(obj.get("apiVersion", ""))
    return f"{api.split('/')[0]}/{obj.get('kind')}" if "/" in api else f"core/{obj.get('kind')}"


def layer_kinds(cluster: Cluster) -> list[LayerKinds]:
    """What each layer of the tree provides and uses, read from its objects."""
    provides: dict[str, set[str]] = defaultdict(set)
    uses: dict[str, set[str]] = defaultdict(set)
    for obj in cluster.objects:
        layer, m = obj.layer_name, obj.manifest
        uses[layer].add(_kind(m))
        provides[layer].update(getattr(obj, PROVIDES, ()))
        if m["kind"] == "CustomResourceDefinition":
            provides[layer].add(f"{m['spec']['group']}/{m['spec']['names']['kind']}")
        if m["kind"] == "ClusterIssuer":
            provides[layer].add(f"issuer/{m['metadata']['name']}")
        issuer = (m["metadata"].get("annotations") or {}).get(ISSUER)
        if issuer:
            uses[layer].add(f"issuer/{issuer}")
        if obj.unit is not None and bool(getattr(obj.unit, "databases", None)):
            uses[layer].add(DATABASES)
    return [LayerKinds(name, frozenset(provides[name]), frozenset(uses[name])) for name in cluster.layers]


def flux_wiring(settings: FluxSettings) -> Any:
    """The extra step rendering the Flux source and per-layer Kustomizations into layer `flux`."""

    def step(cluster: Cluster) -> None:
        kinds = layer_kinds(cluster)
        deps = depends_on(kinds, settings.pairs)
        order(deps)  # raises on a cycle
        flux = Layer(cluster, "flux")
        GitRepository(
            flux,
            "source",
            GitRepositorySpec.model_validate(
                {
                    "name": settings.source,
                    "namespace": settings.namespace,
                    "interval": settings.source_interval,
                    "ref": {"branch": settings.branch},
                    "secretRef": {"name": settings.git_secret},
                    "url": settings.url,
                }
            ),
        )
        for name in deps:
            fields: dict[str, Any] = {
                "name": settings.prefix + name,
                "namespace": settings.namespace,
                "interval": settings.interval,
                "path": f"./{name}",
                "prune": True,
                "sourceRef": {"kind": "GitRepository", "name": settings.source},
                "decryption": {"provider": "sops", "secretRef": {"name": settings.decryption_secret}},
            }
            if name not in settings.no_retry:
                fields.update(retryInterval=settings.retry_interval, timeout=settings.timeout)
            if deps[name]:
                fields["dependsOn"] = [{"name": settings.prefix + d} for d in deps[name]]
            Kustomization(flux, name, KustomizationSpec.model_validate(fields))
        # The wiring reconciles itself from the build branch once applied (README, "Flux").
        Kustomization(
            flux,
            "self",
            KustomizationSpec.model_validate(
                {
                    "name": settings.self_name,
                    "namespace": settings.namespace,
                    "interval": settings.interval,
                    "path": "./flux",
                    "prune": True,
                    "sourceRef": {"kind": "GitRepository", "name": settings.source},
                }
            ),
        )

    return step


CLUSTER = ClusterDefinition(
    name="staging",
    layers=[
        LayerDefinition("infrastructure-controllers", infra.CONTROLLERS),
        LayerDefinition("infrastructure-configs", infra.CONFIGS),
        LayerDefinition("monitoring-controllers", monitoring.CONTROLLERS),
        LayerDefinition("monitoring-configs", monitoring.CONFIGS),
        LayerDefinition("apps", APPS),
    ],
    extra=[flux_wiring(FluxSettings())],
    facts=FACTS,
)
