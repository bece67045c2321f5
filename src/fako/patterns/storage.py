"""Volume claims on the cluster's storage classes.

`nfs-csi-v2` (RWX on the NAS) is where app data lives; `local-path` holds tiny state;
`""` binds a claim to a static PersistentVolume by name.
"""

from __future__ import annotations

from typing import Any

from fako.checked import checked
from fako.constructs.storage import PersistentVolumeClaim, PersistentVolumeClaimSpec
from fako.tree import Scope

__all__ = ["claim"]


@checked
def claim(
    scope: Scope,
    name: str,
    size: str,
    *,
    storage_class: str | None = "nfs-csi-v2",
    access: str = "ReadWriteMany",
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    volume_name: str | None = None,
    id: str | None = None,
) -> PersistentVolumeClaim:
    """A PersistentVolumeClaim `name` of `size` (default: RWX on nfs-csi-v2).

    `storage_class=None` leaves the class out (the cluster default, local-path).

    Example: `claim(self, "data", "10Gi")  # RWX on nfs-csi-v2; access="ReadWriteOnce", storage_class=None for local-path`
    """
    spec: dict[str, Any] = {"name": name, "accessModes": [access], "resources": {"requests": {"storage": size}}}
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    if volume_name is not None:
        spec["volumeName"] = volume_name
    if labels is not None:
        spec["labels"] = labels
    if annotations is not None:
        spec["annotations"] = annotations
    return PersistentVolumeClaim(scope, id or name, PersistentVolumeClaimSpec.model_validate(spec))
