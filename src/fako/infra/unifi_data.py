"""UniFi data volume: the static read-only PV onto the UNAS `Journals` share.

Cluster-scoped, bound by sftp-server's claim; no workload, nothing exposed, no secrets
(its server/path config Secret is the infrastructure-configs unit `unifi-data`).
"""

from __future__ import annotations

from fako.constructs.storage import PersistentVolume, PersistentVolumeSpec
from fako.tree import AppConstruct


class UnifiData(AppConstruct):
    """UniFi data volume."""

    name = "unifi-data"
    namespace = "infrastructure"
    default_layer = "infrastructure-controllers"

    def build(self) -> None:
        PersistentVolume(
            self,
            "journals",
            PersistentVolumeSpec.model_validate(
                {
                    "name": "unifi-journals-pv",
                    "labels": {"app.kubernetes.io/component": "storage", "app.kubernetes.io/name": "unifi-journals"},
                    "accessModes": ["ReadOnlyMany"],
                    "capacity": {"storage": "500Gi"},
                    "csi": {
                        "driver": "nfs.csi.k8s.io",
                        "volumeHandle": "unifi-journals-pv",
                        "volumeAttributes": {"server": "unas.landryzetam.net", "share": "/var/nfs/shared/Journals"},
                    },
                    "mountOptions": ["nfsvers=3", "nolock", "ro"],
                    "persistentVolumeReclaimPolicy": "Retain",
                    "storageClassName": "",
                }
            ),
        )
