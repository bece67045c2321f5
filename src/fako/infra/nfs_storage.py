"""NFS storage: the csi-driver-nfs chart plus the Job that creates the cluster's StorageClasses.

The StorageClasses `nfs-csi-v2`, `nfs-postgres-v2`, `nfs-backup`, `nfs-security-logs`
and the PV `k8s-backup-pv` are applied imperatively by Job `create-nfs-storageclasses`
(script verbatim in files/) from Secret `infrastructure/nfs-config` (infrastructure-configs
unit nfs-config), so the NAS address never appears in git. Nothing exposed.
"""

from __future__ import annotations

from fako.constructs.config import read_file
from fako.infra.helm_operator import HelmOperator, HelmOperatorSpec
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import grant, rule, script_job
from fako.tree import AppConstruct

SA = "storageclass-creator"
WRITE = ["get", "list", "create", "update", "patch"]


class NfsStorage(AppConstruct):
    """NFS storage."""

    name = "nfs-storage"
    namespace = "nfs-system"
    default_layer = "infrastructure-controllers"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        # Written for namespace `infrastructure`, forced into nfs-system: inert (kept as the cluster has it).
        grant(
            self,
            account=SA,
            role=f"{SA}-secret-reader",
            cluster=False,
            rules=[rule("", ["secrets"], ["get"], names=["nfs-config"])],
        )
        grant(
            self,
            account=SA,
            role=SA,
            make_account=False,
            rules=[
                rule("storage.k8s.io", ["storageclasses"], WRITE),
                rule("", ["persistentvolumes"], WRITE),
                rule("", ["secrets"], ["get"]),
            ],
        )
        script_job(
            self,
            "create-nfs-storageclasses",
            script=read_file(__file__, "create-storageclasses.sh"),
            image="bitnamilegacy/kubectl:1.33.4",
            account=SA,
            container="create-storageclasses",
            annotations={
                "config.kubernetes.io/depends-on": "external-secrets.io/namespaces/infrastructure/ExternalSecret/nfs-config-secret"
            },
        )
        HelmOperator(
            self,
            HelmOperatorSpec(
                name="csi-driver-nfs",
                chart="csi-driver-nfs",
                # renovate: datasource=helm depName=csi-driver-nfs registryUrl=https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/master/charts
                version="^4.8.0",
                chart_interval="12h",
                url="https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/master/charts",
                install_crds=None,
                upgrade_crds=None,
                install_retries=None,
                upgrade_retries=None,
                timeout=None,
                create_namespace=True,
            ),
        )
