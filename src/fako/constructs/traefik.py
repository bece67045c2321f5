"""traefik custom resources: `Middleware`, `IngressRoute`, `ServersTransport`."""

from __future__ import annotations

from fako.constructs.base import ObjectSpec, TypedObject
from fako.k8s.crds import traefik

__all__ = [
    "IngressRoute",
    "IngressRouteSpec",
    "Middleware",
    "MiddlewareSpec",
    "ServersTransport",
    "ServersTransportSpec",
]


class MiddlewareSpec(ObjectSpec, traefik.MiddlewareSpec):
    """A Middleware: metadata plus its `spec` fields."""


class Middleware(TypedObject):
    """A `traefik.io/v1alpha1/Middleware`."""

    api_version = "traefik.io/v1alpha1"
    kind = "Middleware"
    spec_type = MiddlewareSpec


class IngressRouteSpec(ObjectSpec, traefik.IngressRouteSpec):
    """A IngressRoute: metadata plus its `spec` fields."""


class IngressRoute(TypedObject):
    """A `traefik.io/v1alpha1/IngressRoute`."""

    api_version = "traefik.io/v1alpha1"
    kind = "IngressRoute"
    spec_type = IngressRouteSpec


class ServersTransportSpec(ObjectSpec, traefik.ServersTransportSpec):
    """A ServersTransport: metadata plus its `spec` fields."""


class ServersTransport(TypedObject):
    """A `traefik.io/v1alpha1/ServersTransport`."""

    api_version = "traefik.io/v1alpha1"
    kind = "ServersTransport"
    spec_type = ServersTransportSpec
