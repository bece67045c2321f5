"""SMB CSI driver: mounts SMB shares as volumes (paperless's static PV uses it).

Chart from the upstream master branch with no version pin (as the cluster has it),
polled every 5m; no CRD policy, remediation or timeout. No Ingress, storage or secrets.
"""

from __future__ import annotations

from fako.infra.helm_operator import HelmOperator, HelmOperatorSpec, HelmValues, Map
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct


class SmbValues(HelmValues):
    """What this cluster sets in the csi-driver-smb chart."""

    controller: Map
    linux: Map


class SmbCsi(AppConstruct):
    """SMB CSI driver."""

    name = "smb-csi"
    namespace = "csi-driver-smb"
    default_layer = "infrastructure-controllers"

    def build(self) -> None:
        AppNamespace(self, pss=None, labels={"app.kubernetes.io/name": "csi-driver-smb"})
        HelmOperator(
            self,
            HelmOperatorSpec(
                name="csi-driver-smb",
                chart="csi-driver-smb",
                interval="5m",
                repo_interval="1h",
                url="https://raw.githubusercontent.com/kubernetes-csi/csi-driver-smb/master/charts",
                install_crds=None,
                upgrade_crds=None,
                install_retries=None,
                upgrade_retries=None,
                timeout=None,
                values=SmbValues(controller={"replicas": 1}, linux={"enabled": True}),
            ),
        )
