"""What the units of a built cluster use: hosts, databases, secret stores, GPU pools, Flux order.

Read from the construct tree (`fako.definition.build`), never from rendered YAML: the
Ingress objects' rules and each `CloudflareTunnel`'s typed routes give the hosts; an
app's `databases`/`shared_databases` and the unit providing the shared Postgres
(`fako_provides`) give the database edges; every ExternalSecret's `secretStoreRef`
and the store it names give the secret stores; pod specs asking a pool's GPU resource
on its node selector give the GPU pools; the Flux `Kustomization`s the cluster renders
give `dependsOn` between layers. `fako apps` and `fako graph` are built on this.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from fako.fluxgraph import DATABASES, PROVIDES
from fako.patterns.gpu import GpuNodePool
from fako.patterns.tunnel import CloudflareTunnel
from fako.tree import AppConstruct, Cluster

__all__ = [
    "PROVIDES",
    "Host",
    "StoreUse",
    "Topology",
    "UnitKey",
    "flux_depends_on",
    "gpu_uses",
    "hosts",
    "provides",
    "store_uses",
    "topology",
]

UnitKey = tuple[str, str]
"""(layer, unit name): a unit's identity (one name may sit in two layers)."""

_POD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job")


@dataclass(frozen=True)
class Host:
    """A hostname a unit answers on: through an `Ingress`, or a route of a Cloudflare tunnel."""

    hostname: str
    via: str
    """"ingress" or "tunnel"."""
    source: str
    """The Ingress's `namespace/name`, or the tunnel's name."""
    service: str = ""
    """Where a tunnel route sends the requests (its origin URL); "" for an Ingress."""


@dataclass(frozen=True)
class StoreUse:
    """A unit reading secrets through an External Secrets store."""

    kind: str
    """"SecretStore" or "ClusterSecretStore"."""
    name: str
    provider: str
    """The store's provider (`aws`, `kubernetes`, ...), "" when the store is not in the render."""


@dataclass
class Topology:
    """Everything `fako graph` draws, keyed by unit."""

    layers: list[str]
    units: dict[str, list[str]]
    """Each layer's units, in the definition's order (switched-on only unless built complete)."""
    depends_on: dict[str, list[str]]
    hosts: dict[UnitKey, list[Host]] = field(default_factory=dict)
    databases: dict[UnitKey, list[str]] = field(default_factory=dict)
    """Databases a unit owns or shares, in the order it declares them."""
    postgres: UnitKey | None = None
    """The unit providing the shared Postgres cluster."""
    stores: dict[UnitKey, list[StoreUse]] = field(default_factory=dict)
    secrets_operator: UnitKey | None = None
    """The unit installing External Secrets (providing `external-secrets.io/ExternalSecret`)."""
    gpus: dict[UnitKey, list[tuple[str, int]]] = field(default_factory=dict)
    """(pool name, GPUs per pod) a unit's pods ask for."""


def _made(cluster: Cluster) -> list[Any]:
    """The tree's objects as constructs (a tree built without the render cache: `fako.tree`)."""
    return list(cluster.objects)


def _key(obj: Any) -> UnitKey | None:
    ctx = obj._fako
    if ctx.app is None or ctx.layer is None:
        return None
    return (ctx.layer.layer_name, type(ctx.app).name)


def _units(cluster: Cluster) -> Iterator[tuple[UnitKey, AppConstruct]]:
    for construct in cluster.node.find_all():
        if isinstance(construct, AppConstruct):
            key = _key(construct)
            if key is not None:
                yield key, construct


def hosts(cluster: Cluster) -> dict[UnitKey, list[Host]]:
    """Each unit's hosts: Ingress rules first (object order), then tunnel routes (route order)."""
    found: dict[UnitKey, list[Host]] = {}
    for obj in _made(cluster):
        m = obj.manifest
        key = _key(obj)
        if key is None or m.get("kind") != "Ingress":
            continue
        source = f"{m['metadata'].get('namespace') or obj._fako.namespace or ''}/{m['metadata']['name']}"
        for rule in (m.get("spec") or {}).get("rules") or []:
            if rule.get("host"):
                _add(found, key, Host(rule["host"], "ingress", source))
    for construct in cluster.node.find_all():
        if isinstance(construct, CloudflareTunnel):
            key = _key(construct)
            if key is None:
                continue
            for route in construct.spec.rules:
                _add(found, key, Host(route.hostname, "tunnel", construct.spec.tunnel, route.service))
    return found


def _add(found: dict[UnitKey, list[Host]], key: UnitKey, host: Host) -> None:
    if host not in found.setdefault(key, []):
        found[key].append(host)


def provides(cluster: Cluster) -> dict[UnitKey, set[str]]:
    """What each unit provides: CRD kinds (`group/Kind`), ClusterIssuers, the shared Postgres."""
    out: dict[UnitKey, set[str]] = {}
    for obj in _made(cluster):
        key = _key(obj)
        if key is None:
            continue
        m = obj.manifest
        given = out.setdefault(key, set())
        given.update(getattr(obj, PROVIDES, ()))
        if m["kind"] == "CustomResourceDefinition":
            given.add(f"{m['spec']['group']}/{m['spec']['names']['kind']}")
        if m["kind"] == "ClusterIssuer":
            given.add(f"issuer/{m['metadata']['name']}")
    return out


def _provider(spec: dict[str, Any]) -> str:
    return next(iter(sorted((spec.get("provider") or {}).keys())), "")


def store_uses(cluster: Cluster) -> dict[UnitKey, list[StoreUse]]:
    """The stores each unit's ExternalSecrets read, with their provider, in first-use order."""
    stores: dict[tuple[str, str, str], str] = {}
    for obj in _made(cluster):
        m = obj.manifest
        if m["kind"] in ("SecretStore", "ClusterSecretStore"):
            ns = "" if m["kind"] == "ClusterSecretStore" else m["metadata"].get("namespace") or obj._fako.namespace
            stores[(m["kind"], ns or "", m["metadata"]["name"])] = _provider(m.get("spec") or {})
    found: dict[UnitKey, list[StoreUse]] = {}
    for obj in _made(cluster):
        m = obj.manifest
        key = _key(obj)
        if key is None or m["kind"] not in ("ExternalSecret", "PushSecret"):
            continue
        ref = (m.get("spec") or {}).get("secretStoreRef") or {}
        kind = ref.get("kind") or "SecretStore"
        ns = "" if kind == "ClusterSecretStore" else m["metadata"].get("namespace") or obj._fako.namespace or ""
        use = StoreUse(kind, str(ref.get("name", "")), stores.get((kind, ns, str(ref.get("name", ""))), ""))
        if use not in found.setdefault(key, []):
            found[key].append(use)
    return found


def _pod_specs(m: dict[str, Any]) -> Iterator[dict[str, Any]]:
    spec = m.get("spec") or {}
    if m["kind"] == "Pod":
        yield spec
    elif m["kind"] in _POD_KINDS:
        yield (spec.get("template") or {}).get("spec") or {}
    elif m["kind"] == "CronJob":
        yield ((((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get("spec")) or {}


def _asked(pod: dict[str, Any], resource: str) -> int:
    total = 0
    for container in pod.get("containers") or []:
        res = container.get("resources") or {}
        amount = (res.get("limits") or {}).get(resource) or (res.get("requests") or {}).get(resource)
        if amount is not None:
            total += int(amount)
    return total


def gpu_uses(cluster: Cluster, pools: Sequence[GpuNodePool]) -> dict[UnitKey, list[tuple[str, int]]]:
    """(pool, GPUs) for every pod asking for a pool's resource on nodes the pool's selector picks.

    A pod's pool is the one whose selector is the largest part of the pod's node selector
    (a hostname pin plus the GPU label is aitower, the GPU label alone the shared pool).
    A pod asking for GPUs on no declared pool's nodes gets the pool "(none)".
    """
    found: dict[UnitKey, list[tuple[str, int]]] = {}
    for obj in _made(cluster):
        key = _key(obj)
        if key is None:
            continue
        for pod in _pod_specs(obj.manifest):
            selector = pod.get("nodeSelector") or {}
            for resource in sorted({p.spec.resource for p in pools} or {"nvidia.com/gpu"}):
                count = _asked(pod, resource)
                if not count:
                    continue
                fitting = [
                    p
                    for p in pools
                    if p.spec.resource == resource and all(selector.get(k) == v for k, v in p.spec.selector.items())
                ]
                fitting.sort(key=lambda p: -len(p.spec.selector))
                use = (fitting[0].spec.name if fitting else "(none)", count)
                if use not in found.setdefault(key, []):
                    found[key].append(use)
    return found


def flux_depends_on(cluster: Cluster) -> dict[str, list[str]]:
    """Each layer's Flux `dependsOn`, read from the `Kustomization`s the cluster renders.

    A Kustomization applying `./<layer>` stands for that layer; layers no Kustomization
    applies have no edges.
    """
    by_name: dict[str, str] = {}
    deps: dict[str, list[str]] = {}
    kustomizations = [o.manifest for o in cluster.objects if o.manifest["kind"] == "Kustomization"]
    for m in kustomizations:
        path = str((m.get("spec") or {}).get("path", "")).removeprefix("./").strip("/")
        if path in cluster.layers:
            by_name[m["metadata"]["name"]] = path
    for m in kustomizations:
        layer = by_name.get(m["metadata"]["name"])
        if layer is None:
            continue
        names = [d.get("name") for d in (m.get("spec") or {}).get("dependsOn") or []]
        deps[layer] = [by_name[n] for n in names if n in by_name]
    return deps


def _first(given: dict[UnitKey, set[str]], what: Iterable[str]) -> UnitKey | None:
    wanted = set(what)
    return next((key for key, kinds in given.items() if kinds & wanted), None)


def topology(cluster: Cluster, pools: Sequence[GpuNodePool] = ()) -> Topology:
    """The whole picture of a built cluster (`pools`: the GPU pools apps may ask)."""
    units: dict[str, list[str]] = {}
    databases: dict[UnitKey, list[str]] = {}
    for key, app in _units(cluster):
        layer, name = key
        if name not in units.setdefault(layer, []):
            units[layer].append(name)
        dbs = [*type(app).databases, *type(app).shared_databases]
        if dbs:
            databases[key] = dbs
    given = provides(cluster)
    return Topology(
        layers=[name for name in cluster.layers if name in units],
        units=units,
        depends_on=flux_depends_on(cluster),
        hosts=hosts(cluster),
        databases=databases,
        postgres=_first(given, [DATABASES]),
        stores=store_uses(cluster),
        secrets_operator=_first(given, ["external-secrets.io/ExternalSecret"]),
        gpus=gpu_uses(cluster, pools),
    )
