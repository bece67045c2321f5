"""`Service` and manual `Endpoints`."""

from __future__ import annotations

from fako import k8s
from fako.constructs.base import ObjectSpec, TypedObject

__all__ = ["Endpoints", "EndpointsSpec", "Service", "ServiceSpec"]


class ServiceSpec(ObjectSpec, k8s.ServiceSpec):
    """A `v1` Service: metadata plus the Kubernetes `ServiceSpec` fields (ports, selector, type)."""


class Service(TypedObject):
    """A `v1/Service`."""

    api_version = "v1"
    kind = "Service"
    spec_type = ServiceSpec


class EndpointsSpec(ObjectSpec):
    """Manual endpoints for a selector-less Service (an external host)."""

    subsets: list[k8s.EndpointSubset] | None = None


class Endpoints(TypedObject):
    """A `v1/Endpoints`."""

    api_version = "v1"
    kind = "Endpoints"
    spec_type = EndpointsSpec
    body = ""
