"""Every unit of a cluster definition, as `fako apps` lists it.

One `UnitInfo` per unit of every layer (switched-off ones included): its layer, whether
it is on, how many objects it renders, in which namespaces, the hosts it answers on
(Ingress rules and Cloudflare tunnel routes), the databases it owns and shares, and the
file that defines it. Read from the construct tree of a complete build.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from fako.definition import ClusterDefinition
from fako.topology import hosts
from fako.tree import Cluster, source_of

__all__ = ["UnitInfo", "catalog"]


@dataclass(frozen=True)
class UnitInfo:
    """What `fako apps` shows of one unit."""

    name: str
    layer: str
    enabled: bool
    objects: int
    namespaces: tuple[str, ...]
    """Namespaces of its namespaced objects, sorted."""
    hosts: tuple[str, ...]
    """Hostnames, Ingress rules first then tunnel routes, each once."""
    databases: tuple[str, ...]
    shared_databases: tuple[str, ...]
    source: str
    """`path:line` of the class, relative to the repository."""

    def as_dict(self) -> dict[str, object]:
        """The JSON form (`fako apps --format json`): lists for the tuples."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


def catalog(definition: ClusterDefinition, cluster: Cluster) -> list[UnitInfo]:
    """One entry per unit of `definition`, in its order; `cluster` is its complete build."""
    counts: dict[tuple[str, str], int] = {}
    namespaces: dict[tuple[str, str], set[str]] = {}
    for obj in cluster.objects:
        key = (obj.layer_name, obj.app_name)
        counts[key] = counts.get(key, 0) + 1
        ns = obj.manifest.get("metadata", {}).get("namespace")
        if ns:
            namespaces.setdefault(key, set()).add(ns)
    found = hosts(cluster)
    out: list[UnitInfo] = []
    for layer in definition.layers:
        for unit in layer.units:
            app = unit.app
            key = (layer.name, app.name)
            names: list[str] = []
            for host in found.get(key, []):
                if host.hostname not in names:
                    names.append(host.hostname)
            out.append(
                UnitInfo(
                    name=app.name,
                    layer=layer.name,
                    enabled=unit.enabled,
                    objects=counts.get(key, 0),
                    namespaces=tuple(sorted(namespaces.get(key, set()))),
                    hosts=tuple(names),
                    databases=tuple(app.databases),
                    shared_databases=tuple(app.shared_databases),
                    source=source_of(app).rsplit(":", 1)[0],
                )
            )
    return out
