"""The cluster after the switch: what each of fako's Flux Kustomizations applies.

fako's Flux Kustomizations are the ones in its render (the `flux` layer). Each applies the
layer folder its `spec.path` names (`./apps` → layer `apps`). Read either from a fresh
in-process render of a cluster definition (as `fako synth` renders it; encrypted objects
whose SOPS files this checkout lacks are counted by identity all the same) or from a
rendered tree on disk, each layer built with the real `kubectl kustomize`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fako.cutover.inventory import Inventory, clean, is_flux_kustomization, normalized_path
from fako.cutover.kustomize import find_kubectl, kustomize
from fako.definition import ClusterDefinition, build
from fako.errors import FakoError, SpecError
from fako.render import render

__all__ = ["NewCluster", "new_from_definition", "new_from_dist"]

Layers = dict[str, list[tuple[dict[str, Any], str, bool]]]
"""layer -> [(manifest, where it is, encrypted)]"""


@dataclass(frozen=True)
class NewCluster:
    """fako's Flux Kustomizations and what each applies; `absent` counts the encrypted
    objects taken by identity because their SOPS files are not in this checkout."""

    kustomizations: tuple[Inventory, ...]
    absent: int = 0


def new_from_definition(definition: ClusterDefinition, *, root: Path | None = None) -> NewCluster:
    """Render `definition` in memory (enabled units only, as `fako synth`) and group it by Kustomization."""
    cluster = build(definition, root=root)
    result = render(cluster)
    if result.problems:
        raise SpecError(result.problems)
    layers: Layers = {name: [] for name in cluster.layers}
    for obj in result.objects:
        layers.setdefault(obj.layer, []).append((obj.manifest, obj.path, obj.is_sops))
    declared = {
        (
            o.manifest["kind"],
            str(o.manifest["metadata"].get("namespace") or ""),
            o.manifest["metadata"]["name"],
            o.sops_file,
        ): o
        for o in cluster.objects
        if o.sops_file is not None
    }
    for absent in result.absent:
        held = declared[(absent.kind, absent.namespace, absent.name, absent.file)]
        layers.setdefault(held.layer_name, []).append((held.manifest, str(absent.file), True))
    return NewCluster(_assemble(layers, f"cluster {definition.name!r}"), len(result.absent))


def new_from_dist(dist: Path, kubectl: str | None = None) -> NewCluster:
    """Build each layer folder of a rendered tree (`dist/<layer>/kustomization.yaml`) and group it."""
    if not dist.is_dir():
        raise FakoError(f"--dist {clean(str(dist))}: no such folder; run `fako synth` first")
    binary = kubectl or find_kubectl()
    layers: Layers = {}
    for folder in sorted(p for p in dist.iterdir() if (p / "kustomization.yaml").is_file()):
        layers[folder.name] = [(doc, f"{folder.name}/", "sops" in doc) for doc in kustomize(folder, binary)]
    if not layers:
        raise FakoError(f"--dist {clean(str(dist))}: no layer folders with a kustomization.yaml; run `fako synth`")
    return NewCluster(_assemble(layers, str(dist)))


def _assemble(layers: Layers, what: str) -> tuple[Inventory, ...]:
    """One inventory per Flux Kustomization of the render, holding the layer its path names."""
    kustomizations = [m for objects in layers.values() for m, _, _ in objects if is_flux_kustomization(m)]
    if not kustomizations:
        raise FakoError(f"{clean(what)} renders no Flux Kustomization: nothing would apply it")
    inventories: list[Inventory] = []
    applied: set[str] = set()
    for k in kustomizations:
        name = str(k["metadata"]["name"])
        path = normalized_path(str((k.get("spec") or {}).get("path") or "."))
        if path not in layers:
            raise FakoError(
                f"fako's Flux Kustomization {clean(name)} applies ./{clean(path)}, which is no layer of {clean(what)}"
                f" (layers: {clean(', '.join(layers))})"
            )
        inventory = Inventory(name, path, k)
        for manifest, where, sops in layers[path]:
            inventory.add(manifest, where, sops=sops)
        inventories.append(inventory)
        applied.add(path)
    orphans = [layer for layer, objects in layers.items() if objects and layer not in applied]
    if orphans:
        raise FakoError(
            f"{clean(what)}: no Flux Kustomization applies layer {clean(', '.join(orphans))}; its objects would never"
            " reach the cluster"
        )
    return tuple(inventories)
