"""The cluster before the switch: what each of its Flux Kustomizations applies today.

`load_old(path)` reads either of two things and says which it found:

- a checkout of the repository (a folder holding `clusters/<cluster>/`): the Flux
  Kustomizations are the ones that folder defines; the bootstrap one (whose `path` is
  `clusters/<cluster>`) applies that folder, built the way Flux builds a folder without a
  `kustomization.yaml`; every other one applies `kubectl kustomize <its path>`.
- a render (one YAML file, or a folder of them): each top-level file or folder is the
  render of the Flux Kustomization it is named after (`apps.yaml`, `apps/`); an entry named
  after none must define the Flux Kustomizations themselves (`flux/clusters-staging.yaml`)
  and is the render of the bootstrap one, the one Kustomization it defines that has no
  render of its own. The bootstrap is the Kustomization whose render holds its own
  definition (it applies itself). An `index.json` beside it (`{"units": [{"layer", "unit", "enabled"}]}`)
  leaves out `LAYER/UNIT.yaml` for every unit with `enabled: false`: switched-off apps are
  not in the cluster's inventory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fako.cutover.inventory import Inventory, clean, is_flux_kustomization, load_yaml, normalized_path
from fako.cutover.kustomize import find_kubectl, kustomize
from fako.errors import FakoError

__all__ = ["UNSUPPORTED", "OldCluster", "load_old"]

_YAML = (".yaml", ".yml")
_KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")

UNSUPPORTED = ("components", "images", "namePrefix", "nameSuffix", "patches", "postBuild", "targetNamespace")
"""Flux Kustomization settings that change what a path builds, which `load_old` does not emulate."""


@dataclass(frozen=True)
class OldCluster:
    """The Flux Kustomizations of the cluster today and what each applies, bootstrap first.

    `kind` says what `load_old` read (`render` or `checkout`); `switched_off` lists the
    `LAYER/UNIT` renders an `index.json` left out.
    """

    kind: Literal["render", "checkout"]
    kustomizations: tuple[Inventory, ...]
    bootstrap: str | None
    switched_off: tuple[str, ...] = ()


def load_old(path: Path, cluster: str = "staging", kubectl: str | None = None) -> OldCluster:
    """Read the cluster as it runs from a checkout or a render at `path` (see the module doc)."""
    if not path.exists():
        raise FakoError(f"--from {clean(str(path))}: no such file or folder")
    if path.is_dir() and (path / "clusters").is_dir():
        folder = path / "clusters" / cluster
        if not folder.is_dir():
            have = ", ".join(sorted(p.name for p in (path / "clusters").iterdir() if p.is_dir())) or "none"
            raise FakoError(
                f"--from {clean(str(path))}: a checkout without clusters/{clean(cluster)}/ (clusters there: {clean(have)});"
                " pass --cluster"
            )
        return _checkout(path, cluster, kubectl or find_kubectl())
    return _render(path)


# --- a render --------------------------------------------------------------------------------


def _render(path: Path) -> OldCluster:
    off = _switched_off(path / "index.json") if path.is_dir() else set()
    entries: dict[str, list[tuple[str, list[dict[str, Any]]]]] = {}
    skipped: list[str] = []
    if path.is_file():
        entries[_stem(path.name)] = [(path.name, load_yaml(path.read_text(), path.name))]
    for file in _yaml_files(path) if path.is_dir() else []:
        rel = file.relative_to(path).as_posix()
        parts = rel.split("/")
        entry = parts[0] if len(parts) > 1 else _stem(parts[0])
        if len(parts) == 2 and (parts[0], _stem(parts[1])) in off:
            skipped.append(f"{parts[0]}/{_stem(parts[1])}")
            continue
        entries.setdefault(entry, []).append((rel, load_yaml(file.read_text(), rel)))
    if not entries:
        raise FakoError(f"--from {clean(str(path))}: no YAML files, neither a render nor a checkout")
    defined: dict[str, dict[str, Any]] = {}
    for files in entries.values():
        for _, docs in files:
            for doc in docs:
                if is_flux_kustomization(doc):
                    defined.setdefault(_name(doc), doc)
    owner = _owners(entries, defined, path)
    inventories: dict[str, Inventory] = {}
    for entry, files in entries.items():
        name = owner[entry]
        manifest = defined.get(name)
        spec_path = (manifest.get("spec") or {}).get("path") if manifest else None
        inventory = inventories.setdefault(
            name, Inventory(name, normalized_path(str(spec_path)) if spec_path else None, manifest)
        )
        for rel, docs in files:
            inventory.add_all(docs, rel)
    missing = [name for name in defined if name not in inventories]
    if missing:
        raise FakoError(
            f"--from {clean(str(path))}: defines Flux Kustomization {clean(', '.join(missing))} but holds no render"
            f" of it: add {clean(missing[0])}.yaml or {clean(missing[0])}/"
        )
    # The bootstrap applies itself: its render holds its own definition.
    bootstrap = next((k.name for k in inventories.values() if _defines_itself(k)), None)
    order = [bootstrap] if bootstrap else []
    order += [n for n in defined if n != bootstrap] + sorted(n for n in inventories if n not in defined)
    return OldCluster("render", tuple(inventories[n] for n in order), bootstrap, tuple(sorted(skipped)))


def _owners(
    entries: dict[str, list[tuple[str, list[dict[str, Any]]]]], defined: dict[str, dict[str, Any]], path: Path
) -> dict[str, str]:
    """Which Kustomization each top-level entry is the render of."""
    if not defined:
        return {entry: entry for entry in entries}
    unnamed = [e for e in entries if e not in defined]
    for entry in unnamed:
        if not any(is_flux_kustomization(d) for _, docs in entries[entry] for d in docs):
            raise FakoError(
                f"--from {clean(str(path))}: {clean(entry)} is named after no Flux Kustomization (the render"
                f" defines {clean(', '.join(defined))}): name each render after the Kustomization that applies it"
            )
    if not unnamed:
        return {entry: entry for entry in entries}
    candidates = [name for name in defined if name not in entries]
    if len(candidates) != 1:
        which = ", ".join(candidates) or "none"
        raise FakoError(
            f"--from {clean(str(path))}: cannot tell which Kustomization applies {clean(', '.join(unnamed))}"
            f" (Kustomizations without a render of their own: {clean(which)}): give each layer its own render"
            " (NAME.yaml or NAME/) so that only the bootstrap is left, or name the entry after one"
        )
    return {entry: candidates[0] if entry in unnamed else entry for entry in entries}


def _defines_itself(inventory: Inventory) -> bool:
    return any(
        is_flux_kustomization(e.manifest) and _name(e.manifest) == inventory.name for e in inventory.objects.values()
    )


def _name(manifest: dict[str, Any]) -> str:
    return str((manifest.get("metadata") or {}).get("name") or "")


def _switched_off(index: Path) -> set[tuple[str, str]]:
    if not index.is_file():
        return set()
    try:
        data = json.loads(index.read_text())
        return {(str(u["layer"]), str(u["unit"])) for u in data["units"] if u.get("enabled") is False}
    except (ValueError, KeyError, TypeError) as exc:
        raise FakoError(
            f'{clean(str(index))}: expected {{"units": [{{"layer", "unit", "enabled"}}]}} ({exc!r})'
        ) from None


def _yaml_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.name.endswith(_YAML)
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def _stem(name: str) -> str:
    for suffix in _YAML:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


# --- a checkout ------------------------------------------------------------------------------


def _checkout(root: Path, cluster: str, kubectl: str) -> OldCluster:
    folder = root / "clusters" / cluster
    here = f"clusters/{cluster}"
    flux_docs = _flux_build(folder, root, kubectl)
    kustomizations = [d for _, d in flux_docs if is_flux_kustomization(d)]
    if not kustomizations:
        raise FakoError(f"{clean(here)} in {clean(str(root))} defines no Flux Kustomization")
    boot = next((k for k in kustomizations if _spec_path(k) == here), None)
    source = ((boot or {}).get("spec") or {}).get("sourceRef") or {}
    inventories: list[Inventory] = []
    if boot is not None:
        inventory = Inventory(_name(boot), here, boot)
        for rel, doc in flux_docs:
            inventory.add(doc, rel)
        inventories.append(inventory)
    for k in kustomizations:
        if k is boot:
            continue
        name = _name(k)
        spec = k.get("spec") or {}
        used = [f for f in UNSUPPORTED if spec.get(f)]
        if used:
            raise FakoError(
                f"Flux Kustomization {clean(name)} sets spec.{used[0]}, which `fako cutover` does not emulate;"
                " compare against a render of it instead (--from a folder of YAML)"
            )
        if boot is not None and (spec.get("sourceRef") or {}) != source:
            raise FakoError(
                f"Flux Kustomization {clean(name)} reads {clean(json.dumps(spec.get('sourceRef')))}, not the"
                f" repository {clean(here)} is in; compare against a render of it instead"
            )
        spec_path = _spec_path(k) or ""
        target = (root / spec_path).resolve()
        if not spec_path or not target.is_dir() or not target.is_relative_to(root.resolve()):
            raise FakoError(
                f"Flux Kustomization {clean(name)}: path {clean(spec_path or '(none)')} is not a folder"
                f" of {clean(str(root))}"
            )
        inventory = Inventory(name, spec_path, k)
        inventory.add_all(kustomize(target, kubectl), spec_path)
        inventories.append(inventory)
    return OldCluster("checkout", tuple(inventories), _name(boot) if boot is not None else None)


def _spec_path(kustomization: dict[str, Any]) -> str | None:
    path = (kustomization.get("spec") or {}).get("path")
    return normalized_path(str(path)) if path is not None else None


def _flux_build(folder: Path, root: Path, kubectl: str) -> list[tuple[str, dict[str, Any]]]:
    """What Flux applies from `folder`: its kustomization when it has one, else (as Flux
    generates one) every manifest in it, each sub-folder with a kustomization built whole."""
    rel = folder.relative_to(root).as_posix()
    if any((folder / name).is_file() for name in _KUSTOMIZATION_FILES):
        return [(rel, doc) for doc in kustomize(folder, kubectl)]
    out: list[tuple[str, dict[str, Any]]] = []
    for child in sorted(folder.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            out.extend(_flux_build(child, root, kubectl))
        elif child.name.endswith(_YAML):
            child_rel = child.relative_to(root).as_posix()
            out.extend((child_rel, doc) for doc in load_yaml(child.read_text(), child_rel))
    return out
