"""UniFi drive configuration: Secret `unifi-drive-config` (UNAS server and journals path).

ExternalSecret `unifi-drive-config-secret` in `infrastructure`, read through the
`aws-secret-store` that the nfs-config unit makes there (this unit's own store file is
unreferenced in the cluster). No hourly refresh is set. Nothing exposed or stored.
"""

from __future__ import annotations

from fako.constructs.external_secrets import ExternalSecret, ExternalSecretSpec
from fako.patterns.aws import remote
from fako.tree import AppConstruct

KEYS = ("server", "journals_path")


class UnifiDriveConfig(AppConstruct):
    """UniFi drive configuration."""

    name = "unifi-data"
    namespace = "infrastructure"
    default_layer = "infrastructure-configs"
    external = (("SecretStore", "aws-secret-store"),)

    def build(self) -> None:
        ExternalSecret(
            self,
            "drive",
            ExternalSecretSpec.model_validate(
                {
                    "name": "unifi-drive-config-secret",
                    "secretStoreRef": {"kind": "SecretStore", "name": "aws-secret-store"},
                    "data": [{"remoteRef": remote(f"infrastructure/unifi-drive#{k}"), "secretKey": k} for k in KEYS],
                    "target": {
                        "creationPolicy": "Owner",
                        "name": "unifi-drive-config",
                        "template": {
                            "data": {k: f"{{{{ .{k} }}}}" for k in sorted(KEYS, reverse=True)},
                            "engineVersion": "v2",
                        },
                    },
                }
            ),
        )
