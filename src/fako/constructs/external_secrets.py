"""External Secrets: `ExternalSecret`, `SecretStore`, `ClusterSecretStore` (`external-secrets.io/v1`)."""

from __future__ import annotations

from fako.constructs.base import ObjectSpec, TypedObject
from fako.k8s.crds import external_secrets as es

__all__ = ["ClusterSecretStore", "ExternalSecret", "ExternalSecretSpec", "SecretStore", "SecretStoreSpec"]


class ExternalSecretSpec(ObjectSpec, es.ExternalSecretSpec):
    """An ExternalSecret: metadata plus the External Secrets `spec` fields."""


class SecretStoreSpec(ObjectSpec, es.SecretStoreSpec):
    """A SecretStore: metadata plus the provider configuration."""


class ExternalSecret(TypedObject):
    """An `external-secrets.io/v1/ExternalSecret`."""

    api_version = "external-secrets.io/v1"
    kind = "ExternalSecret"
    spec_type = ExternalSecretSpec


class SecretStore(TypedObject):
    """An `external-secrets.io/v1/SecretStore`."""

    api_version = "external-secrets.io/v1"
    kind = "SecretStore"
    spec_type = SecretStoreSpec


class ClusterSecretStore(SecretStore):
    """An `external-secrets.io/v1/ClusterSecretStore`."""

    kind = "ClusterSecretStore"
    namespaced = False
