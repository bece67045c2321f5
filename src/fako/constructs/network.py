"""`NetworkPolicy` and `Ingress` (traefik)."""

from __future__ import annotations

from fako import k8s
from fako.constructs.base import ObjectSpec, TypedObject

__all__ = ["Ingress", "IngressSpec", "NetworkPolicy", "NetworkPolicySpec"]


class NetworkPolicySpec(ObjectSpec, k8s.NetworkPolicySpec):
    """A `networking.k8s.io/v1` NetworkPolicy: metadata plus the policy fields."""


class NetworkPolicy(TypedObject):
    """A `networking.k8s.io/v1/NetworkPolicy`."""

    api_version = "networking.k8s.io/v1"
    kind = "NetworkPolicy"
    spec_type = NetworkPolicySpec


class IngressSpec(ObjectSpec, k8s.IngressSpec):
    """A `networking.k8s.io/v1` Ingress: metadata plus rules, TLS and the ingress class."""


class Ingress(TypedObject):
    """A `networking.k8s.io/v1/Ingress`."""

    api_version = "networking.k8s.io/v1"
    kind = "Ingress"
    spec_type = IngressSpec
