"""The staging cluster with its apps copied N times (benchmarks/scale.py; not a real cluster).

benchmarks/scale.py copies this module into a temporary copy of the package as
`fako.clusters.bench_scale` and renders it with `FAKO_BENCH_SCALE=N`. Copy i of an app
(i >= 1) is a subclass named `<name>-s<i>` in namespace `<namespace>-s<i>`, its databases
suffixed `_s<i>`; its cluster-scoped objects and the objects it makes in another
namespace get the same suffix (a step after the apps, so two copies never make one object
twice). Every app is one of the cluster's fixtures: every check still runs over every
object, but the findings that only say "these copies share hard-coded hosts and names"
(references, hosts, policy, placement) are set aside, as for any fixture. Infrastructure and monitoring are not copied: a cluster ten times larger
has ten times the apps, not ten cert-managers.
"""

from __future__ import annotations

import os
from typing import Any

from fako.clusters.staging import CLUSTER as STAGING
from fako.definition import ClusterDefinition, LayerDefinition, Unit
from fako.tree import AppConstruct, Cluster

FACTOR = int(os.environ.get("FAKO_BENCH_SCALE", "1"))
if FACTOR < 1:
    raise ValueError(f"FAKO_BENCH_SCALE must be 1 or more, got {FACTOR}")


def _copy(app: type[AppConstruct], i: int) -> type[AppConstruct]:
    if i == 0:
        return app
    attrs: dict[str, Any] = {
        "name": f"{app.name}-s{i}",
        "namespace": f"{app.namespace or app.name}-s{i}",
        "databases": tuple(f"{d}_s{i}" for d in app.databases),
        "shared_databases": tuple(f"{d}_s{i}" for d in app.shared_databases),
        "__module__": app.__module__,
        "__qualname__": f"{app.__qualname__}S{i}",
    }
    return type(f"{app.__name__}S{i}", (app,), attrs)


def _suffix_cluster_scoped(cluster: Cluster) -> None:
    for obj in cluster.objects:
        app = getattr(obj._fako, "app", None)
        name = type(app).name if app is not None else ""
        if "-s" not in name or not name.rsplit("-s", 1)[1].isdigit():
            continue
        suffix = f"-s{name.rsplit('-s', 1)[1]}"
        meta = obj.manifest.get("metadata") or {}
        namespace = meta.get("namespace") or ""
        if obj.manifest.get("kind") != "Namespace" and meta.get("name") and not namespace.endswith(suffix):
            meta["name"] = f"{meta['name']}{suffix}"


_layers = []
_apps: set[str] = set()
for _layer in STAGING.layers:
    if _layer.name != "apps":
        _layers.append(_layer)
        continue
    _units = [Unit(_copy(u.app, i), u.enabled) for i in range(FACTOR) for u in _layer.units]
    _apps |= {u.app.name for u in _units}
    _layers.append(LayerDefinition(_layer.name, _units))

_spaces = _apps | {u.app.namespace for layer in _layers if layer.name == "apps" for u in layer.units if u.app.namespace}
_kept = [a for a in STAGING.facts.allow if a.check.startswith(("schema", "identity."))]
_allow = (
    *_kept,
    *(
        a.model_copy(
            update={
                "ref": a.ref.replace(f"/{ns}/", f"/{ns}-s{i}/", 1),
                "value": a.value.replace(f" {ns}/", f" {ns}-s{i}/"),
            }
        )
        for a in _kept
        for ns in _spaces & set(a.ref.split("/")[1:2])
        for i in range(1, FACTOR)
    ),
    *(a for a in STAGING.facts.allow if not _spaces & {*a.ref.split("/")[1:], a.value}),
)
"""The allow-list entries still meaningful when every app is a fixture (the rest would be stale), the identity ones for every copy too."""

CLUSTER = ClusterDefinition(
    name=f"staging-x{FACTOR}",
    layers=_layers,
    extra=[_suffix_cluster_scoped, *STAGING.extra],
    facts=STAGING.facts.model_copy(update={"fixtures": STAGING.facts.fixtures | _apps, "allow": _allow}),
)
