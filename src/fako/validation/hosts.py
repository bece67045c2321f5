"""Hostname checks across Ingresses and Cloudflare tunnel routes.

A tunnel route lives in a ConfigMap holding a cloudflared `config.yaml` (`tunnel:` plus
an `ingress:` list of `{hostname, service}`). One hostname, one route: two Ingresses or
two tunnels claiming it split traffic at random; an Ingress for a host the tunnel also
routes never sees the traffic (DNS points at the tunnel), so its HTTP-01 fails. All
connectors of one tunnel must share one ingress list, else each serves only its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from fako.rendered import RenderedObject
from fako.validation.findings import Finding, finding
from fako.validation.inventory import group_of
from fako.validation.pods import mapping, sequence
from fako.validation.safe_yaml import YamlRefused, load_documents

__all__ = ["Tunnel", "check_hosts", "tunnels"]


@dataclass(frozen=True)
class Tunnel:
    """One cloudflared config: the tunnel name, its routes, and the ConfigMap holding it."""

    obj: RenderedObject
    key: str
    name: str
    routes: tuple[tuple[str, str], ...]

    @property
    def where(self) -> str:
        return f"ConfigMap {self.obj.namespace}/{self.obj.name}"


def _tunnel(obj: RenderedObject, key: str, text: str) -> Tunnel | Finding | None:
    if "tunnel:" not in text or "ingress:" not in text:
        return None
    try:
        documents = [doc for _, doc in load_documents(text)]
    except YamlRefused as exc:
        return finding(obj, "tunnel.config", f"data.{key} is not valid YAML: {exc}", severity="warning")
    config = mapping(documents[0]) if len(documents) == 1 else {}
    if "tunnel" not in config or not isinstance(config.get("ingress"), list):
        return None
    routes = []
    for rule in sequence(config["ingress"]):
        rule = mapping(rule)
        if rule.get("hostname"):
            routes.append((str(rule["hostname"]).lower(), str(rule.get("service", ""))))
    return Tunnel(obj, key, str(config["tunnel"]), tuple(routes))


def tunnels(objects: Sequence[RenderedObject]) -> tuple[list[Tunnel], list[Finding]]:
    """The cloudflared configs held by ConfigMaps, and findings for ones that do not parse."""
    found: list[Tunnel] = []
    problems: list[Finding] = []
    for obj in objects:
        if obj.kind != "ConfigMap" or group_of(obj.manifest) != "":
            continue
        for key, value in sorted(mapping(obj.manifest.get("data")).items()):
            if isinstance(value, str):
                result = _tunnel(obj, str(key), value)
                if isinstance(result, Tunnel):
                    found.append(result)
                elif isinstance(result, Finding):
                    problems.append(result)
    return found, problems


def _ingress_claims(obj: RenderedObject) -> list[tuple[str, str]]:
    """(host, path) pairs an Ingress serves; a host without paths claims every path ("*")."""
    spec = mapping(obj.manifest.get("spec"))
    claims: list[tuple[str, str]] = []
    for item in sequence(spec.get("rules")):
        item = mapping(item)
        host = str(item.get("host") or "").lower()
        if not host:
            continue
        paths = [str(mapping(p).get("path") or "/") for p in sequence(mapping(item.get("http")).get("paths"))]
        claims.extend((host, path) for path in (paths or ["*"]))
    return list(dict.fromkeys(claims))


def _ingress_ref(obj: RenderedObject) -> str:
    return f"Ingress {obj.namespace}/{obj.name}"


def _split_configs(all_tunnels: list[Tunnel]) -> Iterator[Finding]:
    """Every connector config of a tunnel whose ingress list differs from the others'."""
    by_name: dict[str, list[Tunnel]] = {}
    for tunnel in all_tunnels:
        by_name.setdefault(tunnel.name, []).append(tunnel)
    for name, configs in by_name.items():
        variants = list(dict.fromkeys(t.routes for t in configs))
        if len(variants) < 2:
            continue
        for tunnel in configs:
            others = ", ".join(t.where for t in configs if t is not tunnel)
            yield finding(
                tunnel.obj,
                "tunnel.split-config",
                f"tunnel '{name}' is also configured by {others} with a different ingress list; each "
                "connector serves only its own list, so requests fail at random",
                "keep one ingress list per tunnel: merge the routes into one config, or use another tunnel",
                field=f"data.{tunnel.key}",
                value=name,
            )


def _overlap(a: str, b: str) -> bool:
    return a == "*" or b == "*" or a == b


def check_hosts(objects: Sequence[RenderedObject]) -> Iterator[Finding]:
    """Hostnames claimed twice, by Ingresses, by tunnels, or by both.

    Every claimant of a contested host gets a finding naming the others, so a new claim
    is reported on the object that made it, whatever order the objects sort in.
    """
    all_tunnels, problems = tunnels(objects)
    yield from problems
    yield from _split_configs(all_tunnels)

    routes: dict[str, list[Tunnel]] = {}
    for tunnel in all_tunnels:
        for host, _ in tunnel.routes:
            routes.setdefault(host, [])
            if tunnel not in routes[host]:
                routes[host].append(tunnel)
    for host, routed_by in routes.items():
        names = list(dict.fromkeys(t.name for t in routed_by))
        if len(names) < 2:
            continue
        for tunnel in routed_by:
            others = ", ".join(f"tunnel '{t.name}' ({t.where})" for t in routed_by if t.name != tunnel.name)
            yield finding(
                tunnel.obj,
                "host.duplicate",
                f"host '{host}' is routed by tunnel '{tunnel.name}' here and also by {others}",
                "route each hostname through one tunnel only",
                field=f"data.{tunnel.key}",
                value=host,
            )

    claims: dict[str, list[tuple[RenderedObject, str]]] = {}
    for obj in objects:
        if obj.kind != "Ingress" or group_of(obj.manifest) != "networking.k8s.io":
            continue
        for host, path in _ingress_claims(obj):
            claims.setdefault(host, []).append((obj, path))
    for host, claimants in claims.items():
        reported: set[int] = set()
        for i, (obj, path) in enumerate(claimants):
            rivals = [o for j, (o, p) in enumerate(claimants) if j != i and o is not obj and _overlap(path, p)]
            if rivals and id(obj) not in reported:
                reported.add(id(obj))
                unique = list({id(o): o for o in rivals}.values())
                others = ", ".join(f"{_ingress_ref(o)} ({o.layer}/{o.app})" for o in unique)
                yield finding(
                    obj,
                    "host.duplicate",
                    f"host '{host}' (path {path}) is also claimed by {others}",
                    "serve each hostname and path from one Ingress only",
                    field="spec.rules",
                    value=host,
                )
        if host in routes:
            tunnel = routes[host][0]
            for obj in {id(o): o for o, _ in claimants}.values():
                yield finding(
                    obj,
                    "host.tunnel-and-ingress",
                    f"host '{host}' is also routed by Cloudflare tunnel '{tunnel.name}' "
                    f"({tunnel.where}); DNS points at one of them, so the other never sees "
                    "traffic (and HTTP-01 fails)",
                    "drop the Ingress or the tunnel route",
                    severity="warning",
                    field="spec.rules",
                    value=host,
                )
