"""A cluster definition: its layers, the units in each, which are switched on.

`build` makes the construct tree, instantiating every unit and collecting every problem
(a wrong spec, a module that raises) instead of stopping at the first, so one run
reports them all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fako.errors import Problem, SpecError
from fako.specerrors import module_file_of, problems_from
from fako.tree import AppConstruct, Cluster, Layer, source_of
from fako.validation.facts import ClusterFacts

__all__ = ["ClusterDefinition", "LayerDefinition", "Unit", "build"]


@dataclass(frozen=True)
class Unit:
    """One app, operator or config in a layer; `enabled=False` keeps it modelled but off."""

    app: type[AppConstruct]
    enabled: bool = True


@dataclass(frozen=True)
class LayerDefinition:
    """A Flux layer and its units, in the order they are rendered."""

    name: str
    units: Sequence[Unit]


@dataclass(frozen=True)
class ClusterDefinition:
    """What a cluster is made of. `extra` runs after the layers (Flux wiring and the like);
    `facts` is what validation knows of the cluster beyond its objects (node pools,
    storage classes, the Kubernetes version, the reviewed allow-list)."""

    name: str
    layers: Sequence[LayerDefinition]
    extra: Sequence[Callable[[Cluster], None]] = field(default_factory=tuple)
    facts: ClusterFacts = field(default_factory=ClusterFacts)


def build(
    definition: ClusterDefinition,
    *,
    include_disabled: bool = False,
    root: Path | None = None,
    secrets_dir: str = "secrets",
) -> Cluster:
    """The construct tree of a cluster; raises `SpecError` listing every problem at once."""
    cluster = Cluster(definition.name, root=root, secrets_dir=secrets_dir)
    problems: list[Problem] = []
    cluster.units = [unit.app for layer_def in definition.layers for unit in layer_def.units]
    for layer_def in definition.layers:
        layer = Layer(cluster, layer_def.name)
        for unit in layer_def.units:
            if unit.enabled or include_disabled:
                problems.extend(add_app(layer, unit.app))
    if not problems:
        for step in definition.extra:
            try:
                step(cluster)
            except Exception as exc:  # reported with the others, never swallowed
                problems.extend(problems_from(exc, f"cluster '{definition.name}'", module_file_of(type(step))))
    if problems:
        raise SpecError(problems)
    return cluster


def add_app(layer: Layer, app: type[AppConstruct]) -> list[Problem]:
    """Instantiate one app under a layer; its problems, if any, instead of an exception."""
    try:
        app(layer)
    except Exception as exc:
        where = f"app '{getattr(app, 'name', app.__name__)}'"
        problems = problems_from(exc, where, module_file_of(app))
        return [p if p.location else Problem(p.where, p.message, p.field, source_of(app), p.fix) for p in problems]
    return []
