"""Helpers for tests of apps and constructs: build a tiny tree, render to plain data.

objs = fako.testing.synth(MyApp)
deployment = fako.testing.find(objs, "Deployment", "web")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fako.definition import ClusterDefinition, LayerDefinition, Unit, build
from fako.render import Render, render
from fako.tree import AppConstruct

__all__ = ["find", "render_apps", "synth"]


def render_apps(*apps: type[AppConstruct], root: Path | None = None) -> Render:
    """Render apps standalone (each into its default layer, without the rest of the cluster)."""
    layers: dict[str, list[Unit]] = {}
    for app in apps:
        layers.setdefault(app.default_layer, []).append(Unit(app))
    definition = ClusterDefinition("test", [LayerDefinition(k, v) for k, v in layers.items()])
    return render(build(definition, root=root))


def synth(*apps: type[AppConstruct], root: Path | None = None) -> list[dict[str, Any]]:
    """The manifests the apps render, in order (encrypted Secrets only when their file exists)."""
    return [o.manifest for o in render_apps(*apps, root=root).objects]


def find(manifests: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    """The one manifest of `kind` named `name`; fails listing what there is."""
    hits = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    if len(hits) != 1:
        have = sorted(f"{m['kind']}/{m['metadata']['name']}" for m in manifests)
        raise AssertionError(f"expected one {kind}/{name}, found {len(hits)}; have: {have}")
    return hits[0]
