"""Storage: `PersistentVolumeClaim`, static `PersistentVolume`, `StorageClass`.

Claim and volume names are identities: renaming one is a new, empty volume.
"""

from __future__ import annotations

from pydantic import Field

from fako import k8s
from fako.constructs.base import ObjectSpec, TypedObject

__all__ = [
    "PersistentVolume",
    "PersistentVolumeClaim",
    "PersistentVolumeClaimSpec",
    "PersistentVolumeSpec",
    "StorageClass",
    "StorageClassSpec",
]


class PersistentVolumeClaimSpec(ObjectSpec, k8s.PersistentVolumeClaimSpec):
    """A `v1` PersistentVolumeClaim: metadata plus the Kubernetes claim fields."""


class PersistentVolumeSpec(ObjectSpec, k8s.PersistentVolumeSpec):
    """A static `v1` PersistentVolume (cluster-scoped): metadata plus the volume fields."""


class PersistentVolumeClaim(TypedObject):
    """A `v1/PersistentVolumeClaim`."""

    api_version = "v1"
    kind = "PersistentVolumeClaim"
    spec_type = PersistentVolumeClaimSpec


class PersistentVolume(TypedObject):
    """A `v1/PersistentVolume`."""

    api_version = "v1"
    kind = "PersistentVolume"
    spec_type = PersistentVolumeSpec
    namespaced = False


class StorageClassSpec(ObjectSpec):
    """A `storage.k8s.io/v1` StorageClass."""

    provisioner: str
    parameters: dict[str, str] | None = None
    reclaim_policy: str | None = Field(None, alias="reclaimPolicy")
    volume_binding_mode: str | None = Field(None, alias="volumeBindingMode")
    allow_volume_expansion: bool | None = Field(None, alias="allowVolumeExpansion")
    mount_options: list[str] | None = Field(None, alias="mountOptions")


class StorageClass(TypedObject):
    """A `storage.k8s.io/v1/StorageClass`."""

    api_version = "storage.k8s.io/v1"
    kind = "StorageClass"
    spec_type = StorageClassSpec
    namespaced = False
    body = ""
