"""Which Flux layer must wait for which: `dependsOn` derived from what layers provide and use.

Pure functions over `LayerKinds(layer, provides, uses)`: a layer that uses something
another layer provides (a CRD kind such as `external-secrets.io/ExternalSecret`, a
ClusterIssuer by name, the shared Postgres cluster's databases) depends on it; `pairs`
adds the controllers-before-configs edges. `order` sorts the layers so every layer
comes after its dependencies and raises `FakoError` naming a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fako.errors import FakoError

PROVIDES = "fako_provides"
"""The attribute of a construct naming what its layer provides besides CRDs and issuers
(`HelmOperator` sets it to the kinds its chart installs): the Flux wiring reads it."""

DATABASES = "fako.postgres/databases"
"""What the layer holding the CloudNative-PG cluster provides, and what a layer of apps
declaring `databases` uses.

Example: `LayerKinds("apps", provides=frozenset({DATABASES}))  # the layer holding the CnpgCluster`
"""

__all__ = ["DATABASES", "PROVIDES", "LayerKinds", "depends_on", "order"]


@dataclass(frozen=True)
class LayerKinds:
    """What one layer provides (CRD kinds, named capabilities) and uses."""

    layer: str
    provides: frozenset[str] = frozenset()
    uses: frozenset[str] = frozenset()


def depends_on(layers: Sequence[LayerKinds], pairs: Iterable[tuple[str, str]] = ()) -> dict[str, list[str]]:
    """Each layer's dependencies, in the order `layers` lists them.

    A layer depends on every other layer providing something it uses; `pairs` are
    extra `(before, after)` edges (ignored when either layer is absent). Things no
    layer provides (built-in kinds, Flux's own CRDs) make no edge.
    """
    names = [lk.layer for lk in layers]
    deps: dict[str, set[str]] = {name: set() for name in names}
    for user in layers:
        for provider in layers:
            if provider.layer != user.layer and user.uses & provider.provides:
                deps[user.layer].add(provider.layer)
    for before, after in pairs:
        if before in deps and after in deps and before != after:
            deps[after].add(before)
    return {name: [d for d in names if d in deps[name]] for name in names}


def order(deps: dict[str, list[str]]) -> list[str]:
    """The layers, each after its dependencies (stable); `FakoError` naming the first cycle found."""
    done: list[str] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = placed

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = [*path[path.index(name) :], name]
            raise FakoError(f"Flux layers depend on each other in a cycle: {' -> '.join(cycle)}")
        state[name] = 1
        for dep in deps.get(name, []):
            visit(dep, [*path, name])
        state[name] = 2
        done.append(name)

    for name in deps:
        visit(name, [])
    return done
