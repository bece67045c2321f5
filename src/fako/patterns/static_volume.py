"""A static NAS share as a PersistentVolume plus the claim bound to it by name.

The cluster mounts a few existing NAS folders (backups, the UniFi journals, the scanner
inbox, the DJI archive) that no provisioner creates: a `PersistentVolume` pointing at the
share through the NFS (or SMB) CSI driver or the in-tree `nfs` source, kept on delete
(`Retain`), and a `PersistentVolumeClaim` that
names it in `volumeName`, with `storageClassName: ""` so no provisioner steps in.
`StaticVolume(app, StaticVolumeSpec(name="backups", size="100Gi", share="/volume1/x"))`
makes both; defaults are the dominant form (read-only NFSv3 on ugnas, `ReadOnlyMany`).
"""

from __future__ import annotations

from typing import Any

from fako.constructs.base import DnsName, Spec
from fako.constructs.storage import PersistentVolume, PersistentVolumeSpec
from fako.patterns.storage import claim
from fako.tree import Group, Scope

__all__ = ["NFS_OPTIONS", "StaticVolume", "StaticVolumeSpec"]

NFS_OPTIONS = ("nfsvers=3", "nolock", "hard")
"""Mount options of the NAS's NFS shares; read-only volumes add `ro` before `hard`.

Example: `StaticVolumeSpec(name="media", size="1Ti", share="/volume1/media", mount_options=(*NFS_OPTIONS, "noatime"))`
"""


class StaticVolumeSpec(Spec):
    """One NAS share, its PersistentVolume and the claim bound to it.

    `name` names the PV (and its `volumeHandle`); `claim` the PVC (default: `name`).
    `driver` is the CSI driver; `None` mounts the share with the in-tree `nfs` source
    (`server` and `path: share`, no CSI fields). `read_only` sets the source's `readOnly`
    flag and the `ro` mount option. `storage_class` is written on both objects (`""`:
    bound by name only); `labels` go on both objects, or on the PV only with
    `label_claim=False`.

    Example: `StaticVolumeSpec(name="media", size="1Ti", share="/volume1/media", claim="media-pvc")`
    """

    name: DnsName
    size: str
    share: str
    claim: DnsName | None = None
    server: str = "ugnas.landryzetam.net"
    driver: str | None = "nfs.csi.k8s.io"
    access: str = "ReadOnlyMany"
    read_only: bool = False
    mount_options: tuple[str, ...] | None = None
    storage_class: str = ""
    reclaim_policy: str = "Retain"
    labels: dict[str, str] | None = None
    label_claim: bool = True


class StaticVolume(Group):
    """A static PersistentVolume on a NAS share and the PVC bound to it (`.pv`, `.pvc`).

    Example: `StaticVolume(self, StaticVolumeSpec(name="media", size="1Ti", share="/volume1/media", read_only=True))`
    """

    def __init__(self, scope: Scope, spec: StaticVolumeSpec, id: str | None = None) -> None:
        super().__init__(scope, id or spec.name)
        self.spec = spec
        options = spec.mount_options
        if options is None:
            options = (*NFS_OPTIONS[:2], "ro", *NFS_OPTIONS[2:]) if spec.read_only else NFS_OPTIONS
        ro: dict[str, Any] = {"readOnly": True} if spec.read_only else {}
        source: dict[str, Any]
        if spec.driver is None:
            kind, source = "nfs", {"path": spec.share, "server": spec.server, **ro}
        else:
            attributes = {"server": spec.server, "share": spec.share}
            source = {"driver": spec.driver, **ro, "volumeAttributes": attributes, "volumeHandle": spec.name}
            kind = "csi"
        pv: dict[str, Any] = {
            "name": spec.name,
            "accessModes": [spec.access],
            "capacity": {"storage": spec.size},
            kind: source,
            "mountOptions": list(options),
            "persistentVolumeReclaimPolicy": spec.reclaim_policy,
            "storageClassName": spec.storage_class,
        }
        if spec.labels is not None:
            pv["labels"] = spec.labels
        self.pv = PersistentVolume(self, "pv", PersistentVolumeSpec.model_validate(pv))
        self.pvc = claim(
            self,
            spec.claim or spec.name,
            spec.size,
            storage_class=spec.storage_class,
            access=spec.access,
            labels=spec.labels if spec.label_claim else None,
            volume_name=spec.name,
            id="pvc",
        )
