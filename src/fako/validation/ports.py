"""Port numbers in range: what a schema with `format: int32` does not check.

Container and host ports, Service ports and numeric target ports must be 1-65535; a
Service's `nodePort` must lie in the NodePort range (30000-32767 by default).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeGuard

from fako.rendered import RenderedObject
from fako.validation.findings import Finding, finding
from fako.validation.pods import containers, mapping, pod_templates, sequence

__all__ = ["check_ports"]

NODE_PORTS = range(30000, 32768)


def _bad(value: Any, allowed: range) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value not in allowed


def _port_finding(obj: RenderedObject, where: str, value: int, allowed: range) -> Finding:
    return finding(
        obj,
        "schema.port-range",
        f"{where} is {value}, outside {allowed.start}-{allowed.stop - 1}",
        f"use a port between {allowed.start} and {allowed.stop - 1}",
    )


def check_ports(objects: Sequence[RenderedObject]) -> Iterator[Finding]:
    """Port numbers outside their range."""
    valid = range(1, 65536)
    for obj in objects:
        for template in pod_templates(obj):
            for name, container in containers(template.spec):
                for p in sequence(container.get("ports")):
                    for key in ("containerPort", "hostPort"):
                        value = mapping(p).get(key)
                        if _bad(value, valid):
                            yield _port_finding(obj, f"container '{name}' {key}", value, valid)
        if obj.kind == "Service":
            for p in sequence(mapping(obj.manifest.get("spec")).get("ports")):
                p = mapping(p)
                label = f"port '{p.get('name')}'" if p.get("name") else "port"
                for key, allowed in (("port", valid), ("targetPort", valid), ("nodePort", NODE_PORTS)):
                    if _bad(p.get(key), allowed):
                        yield _port_finding(obj, f"{label} {key}", p[key], allowed)
