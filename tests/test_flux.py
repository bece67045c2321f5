"""The Flux wiring in dist/: dependsOn is the construct graph, paths exist, sources match."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import ROOT
from fako.clusters.staging import CLUSTER, FluxSettings, layer_kinds
from fako.definition import build
from fako.fluxgraph import depends_on


def flux_objects(dist: Path) -> dict[str, dict]:
    docs = yaml.safe_load_all((dist / "flux" / "flux" / "flux.yaml").read_text())
    return {d["metadata"]["name"]: d for d in docs if d}


def test_depends_on_in_dist_is_derived_from_the_construct_graph() -> None:
    cluster = build(CLUSTER)
    expected = depends_on(layer_kinds(cluster), FluxSettings().pairs)
    objs = flux_objects(ROOT / "dist")
    for layer, deps in expected.items():
        if layer == "flux":  # the wiring's own layer, made after the graph is read
            continue
        got = [d["name"] for d in objs[f"fako-{layer}"]["spec"].get("dependsOn", [])]
        assert got == [f"fako-{d}" for d in deps], layer
    # the orderings the cluster needs: CRD owners before CRD users, controllers before configs
    assert "infrastructure-controllers" in expected["infrastructure-configs"]
    assert "infrastructure-controllers" in expected["apps"]  # ExternalSecret, HelmRelease, CNPG CRDs
    assert "monitoring-controllers" in expected["monitoring-configs"]


def test_every_layer_kustomization_points_at_a_rendered_folder() -> None:
    objs = flux_objects(ROOT / "dist")
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
        folder = ROOT / "dist" / o["spec"]["path"].removeprefix("./")
        assert (folder / "kustomization.yaml").is_file(), o["metadata"]["name"]
        assert o["spec"]["sourceRef"] == {"kind": "GitRepository", "name": settings.source}
        names = {n["name"] for n in o["spec"].get("dependsOn", [])}
        assert names <= set(objs), f"{o['metadata']['name']} depends on a Kustomization that does not exist"


def test_no_kustomization_reuses_a_name_of_the_running_cluster() -> None:
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
    objs = flux_objects(ROOT / "dist")
    names = {name for name, o in objs.items() if o["kind"] in ("Kustomization", "GitRepository")}
    assert names and not names & running
    assert objs["fako-apps"]["spec"]["path"] == "./apps"
