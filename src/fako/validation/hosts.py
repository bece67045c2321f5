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


def _ingress_hosts(obj: RenderedObject) -> list[str]:
    spec = mapping(obj.manifest.get("spec"))
    hosts = (str(mapping(rule).get("host") or "").lower() for rule in sequence(spec.get("rules")))
    return list(dict.fromkeys(h for h in hosts if h))


def _ingress_ref(obj: RenderedObject) -> str:
    return f"Ingress {obj.namespace}/{obj.name}"


def _split_configs(all_tunnels: list[Tunnel]) -> Iterator[Finding]:
    by_name: dict[str, list[Tunnel]] = {}
    for tunnel in all_tunnels:
        by_name.setdefault(tunnel.name, []).append(tunnel)
    for name, configs in by_name.items():
        variants = list(dict.fromkeys(t.routes for t in configs))
        if len(variants) < 2:
            continue
        places = ", ".join(t.where for t in configs)
        for tunnel in configs[1:]:
            yield finding(
                tunnel.obj,
                "tunnel.split-config",
                f"tunnel '{name}' is configured by {len(configs)} ConfigMaps with different "
                f"ingress lists ({places}); each connector serves only its own list, so requests "
                "fail at random",
                "keep one ingress list per tunnel: merge the routes into one config, or use another tunnel",
            )


def check_hosts(objects: Sequence[RenderedObject]) -> Iterator[Finding]:
    """Hostnames claimed twice, by Ingresses, by tunnels, or by both."""
    all_tunnels, problems = tunnels(objects)
    yield from problems
    yield from _split_configs(all_tunnels)

    routed: dict[str, Tunnel] = {}
    for tunnel in all_tunnels:
        for host, _ in tunnel.routes:
            first = routed.setdefault(host, tunnel)
            if first.name != tunnel.name:
                yield finding(
                    tunnel.obj,
                    "host.duplicate",
                    f"host '{host}' is routed by tunnel '{tunnel.name}' here and by tunnel "
                    f"'{first.name}' ({first.where})",
                    "route each hostname through one tunnel only",
                )

    claimed: dict[str, RenderedObject] = {}
    for obj in objects:
        if obj.kind != "Ingress" or group_of(obj.manifest) != "networking.k8s.io":
            continue
        for host in _ingress_hosts(obj):
            owner = claimed.setdefault(host, obj)
            if owner is not obj:
                yield finding(
                    obj,
                    "host.duplicate",
                    f"host '{host}' is also claimed by {_ingress_ref(owner)} ({owner.layer}/{owner.app})",
                    "serve each hostname from one Ingress only",
                )
            if host in routed:
                tunnel = routed[host]
                yield finding(
                    obj,
                    "host.tunnel-and-ingress",
                    f"host '{host}' is also routed by Cloudflare tunnel '{tunnel.name}' "
                    f"({tunnel.where}); DNS points at one of them, so the other never sees "
                    "traffic (and HTTP-01 fails)",
                    "drop the Ingress or the tunnel route",
                    severity="warning",
                )
