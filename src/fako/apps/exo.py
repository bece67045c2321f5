"""exo: a distributed LLM inference cluster that runs outside Kubernetes (at 10.85.30.15:52415).

Exposed in-cluster only, as the ClusterIP Service `exo` (port 80) backed by a manual
Endpoints object pointing at the external host. Stores nothing, reads no secrets.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.service import Endpoints, EndpointsSpec
from fako.patterns.namespace import AppNamespace
from fako.patterns.workload import port, service
from fako.tree import AppConstruct


class Exo(AppConstruct):
    """A selector-less Service in front of the external exo host."""

    name = "exo"

    def build(self) -> None:
        AppNamespace(self)
        Endpoints(self, "endpoints", EndpointsSpec(name="exo", subsets=[k8s.EndpointSubset(
            addresses=[k8s.EndpointAddress(ip="10.85.30.15")],
            ports=[k8s.EndpointPort(name="http", port=52415, protocol="TCP")])]))
        service(self, "exo", selector=None, ports=[port("http", 80, 52415)])
