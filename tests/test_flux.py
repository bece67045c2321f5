"""The Flux wiring in dist/: dependsOn is the construct graph, paths exist, sources match."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fako.clusters.staging import FluxSettings
from fako.errors import FakoError
from fako.fluxgraph import LayerKinds, depends_on, order


def flux_objects(dist: Path) -> dict[str, dict]:
    docs = yaml.safe_load_all((dist / "flux" / "flux" / "flux.yaml").read_text())
    return {d["metadata"]["name"]: d for d in docs if d}


EXPECTED_DEPENDS_ON = {
    # what the cluster needs, stated by hand (not derived by the code under test):
    "fako-infrastructure-controllers": [],
    # cert-manager/ESO CRDs, then issuers and stores
    "fako-infrastructure-configs": ["fako-infrastructure-controllers"],
    "fako-monitoring-controllers": [],
    "fako-monitoring-configs": ["fako-monitoring-controllers"],  # Prometheus operator CRDs before Probes and rules
    # ExternalSecret/HelmRelease/CNPG CRDs; ClusterIssuers the Ingresses name; ServiceMonitor/PrometheusRule CRDs
    "fako-apps": ["fako-infrastructure-controllers", "fako-infrastructure-configs", "fako-monitoring-controllers"],
    "fako-flux": [],
}


def test_depends_on_in_the_render_is_what_the_cluster_needs(enabled_render: Path) -> None:
    objs = flux_objects(enabled_render)
    got = {
        name: [d["name"] for d in o["spec"].get("dependsOn", [])]
        for name, o in objs.items()
        if o["kind"] == "Kustomization"
    }
    assert got == EXPECTED_DEPENDS_ON


def test_depends_on_adds_pair_edges_to_layers_that_already_have_dependencies() -> None:
    layers = [
        LayerKinds("crds", provides=frozenset({"x.io/Thing"})),
        LayerKinds("controllers", uses=frozenset({"x.io/Thing"})),
        LayerKinds("configs", provides=frozenset({"issuer/a"}), uses=frozenset({"x.io/Thing"})),
        LayerKinds("apps", uses=frozenset({"issuer/a", "core/Service"})),
    ]
    deps = depends_on(layers, pairs=[("controllers", "configs"), ("absent", "apps")])
    assert deps == {"crds": [], "controllers": ["crds"], "configs": ["crds", "controllers"], "apps": ["configs"]}


def test_a_cycle_between_layers_is_refused_naming_it() -> None:
    with pytest.raises(FakoError, match="cycle: a -> b -> a"):
        order({"a": ["b"], "b": ["a"]})


def test_every_layer_kustomization_points_at_a_rendered_folder(enabled_render: Path) -> None:
    objs = flux_objects(enabled_render)
    settings = FluxSettings()
    source = objs[settings.source]
    assert source["kind"] == "GitRepository" and source["spec"]["ref"] == {"branch": "build"}
    layers = [o for o in objs.values() if o["kind"] == "Kustomization"]
    assert {o["metadata"]["name"] for o in layers} >= {
        "fako-infrastructure-controllers",
        "fako-infrastructure-configs",
        "fako-monitoring-controllers",
        "fako-monitoring-configs",
        "fako-apps",
        settings.self_name,
    }
    for o in layers:
        folder = enabled_render / o["spec"]["path"].removeprefix("./")
        assert (folder / "kustomization.yaml").is_file(), o["metadata"]["name"]
        assert o["spec"]["sourceRef"] == {"kind": "GitRepository", "name": settings.source}
        names = {n["name"] for n in o["spec"].get("dependsOn", [])}
        assert names <= set(objs), f"{o['metadata']['name']} depends on a Kustomization that does not exist"


def test_no_kustomization_reuses_a_name_of_the_running_cluster(enabled_render: Path) -> None:
    # The switch hands over (README, "Cutover"): a reused name would take over the old
    # Kustomization's inventory and prune at once whatever the render lacks.
    running = {
        "flux-system",
        "infrastructure-controllers",
        "infrastructure-configs",
        "monitoring-controllers",
        "monitoring-configs",
        "apps",
    }
    objs = flux_objects(enabled_render)
    names = {name for name, o in objs.items() if o["kind"] in ("Kustomization", "GitRepository")}
    assert names and not names & running
    assert objs["fako-apps"]["spec"]["path"] == "./apps"
