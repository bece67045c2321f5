"""cert-manager resources: `ClusterIssuer`, `Certificate`."""

from __future__ import annotations

from fako.constructs.base import ObjectSpec, TypedObject
from fako.k8s.crds import cert_manager

__all__ = ["Certificate", "CertificateSpec", "ClusterIssuer", "ClusterIssuerSpec"]


class ClusterIssuerSpec(ObjectSpec, cert_manager.ClusterIssuerSpec):
    """A ClusterIssuer: metadata plus its `spec` fields."""


class ClusterIssuer(TypedObject):
    """A `cert-manager.io/v1/ClusterIssuer`."""

    api_version = "cert-manager.io/v1"
    kind = "ClusterIssuer"
    spec_type = ClusterIssuerSpec
    namespaced = False


class CertificateSpec(ObjectSpec, cert_manager.CertificateSpec):
    """A Certificate: metadata plus its `spec` fields."""


class Certificate(TypedObject):
    """A `cert-manager.io/v1/Certificate`."""

    api_version = "cert-manager.io/v1"
    kind = "Certificate"
    spec_type = CertificateSpec
