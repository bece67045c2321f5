"""NFS configuration: the `nfs-config` Secret the StorageClass-creator Job reads.

Namespace `infrastructure` with its AWS SecretStore (SOPS `aws-credentials`) and
ExternalSecret `nfs-config-secret`, templating `infrastructure/nfs-config` (server and
the storage/db/backup paths) into Secret `nfs-config`, so the NAS address stays out of git.
"""

from __future__ import annotations

from fako.patterns.aws import AwsSecretStore
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct

FIELDS = {
    "server": "NFS_SERVER",
    "storage_path": "NFS_STORAGE_PATH",
    "db_path": "NFS_DB_PATH",
    "backup_path": "NFS_BACKUP_PATH",
}


class NfsConfig(AppConstruct):
    """NFS configuration."""

    name = "nfs-config"
    namespace = "infrastructure"
    default_layer = "infrastructure-configs"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        store = AwsSecretStore(self)
        store.secret(
            "nfs-config-secret",
            {k: f"infrastructure/nfs-config#{k}" for k in FIELDS},
            target="nfs-config",
            template={"data": {env: f"{{{{ .{k} }}}}" for k, env in FIELDS.items()}, "type": "Opaque"},
        )
