"""The platform below the apps: operators (infrastructure-controllers) and their configuration
(infrastructure-configs), one module per unit, in the order the cluster lists them."""

from __future__ import annotations

from fako.definition import Unit
from fako.infra.argo_workflows import ArgoWorkflows
from fako.infra.cert_manager import CertManager
from fako.infra.cloudnative_pg import CloudnativePg
from fako.infra.cluster_issuers import ClusterIssuers
from fako.infra.control_plane_taint import ControlPlaneTaint
from fako.infra.external_secrets import ExternalSecrets
from fako.infra.gpu_operator import GpuOperator
from fako.infra.k8s_backup import K8sBackup
from fako.infra.newrelic import Newrelic
from fako.infra.nfs_config import NfsConfig
from fako.infra.nfs_storage import NfsStorage
from fako.infra.renovate import Renovate
from fako.infra.smb_csi import SmbCsi
from fako.infra.system_tuning import SystemTuning
from fako.infra.system_upgrade_controller import SystemUpgradeController
from fako.infra.unifi_data import UnifiData
from fako.infra.unifi_drive_config import UnifiDriveConfig

__all__ = ["CONFIGS", "CONTROLLERS"]

CONTROLLERS = [
    Unit(ArgoWorkflows, enabled=False),
    Unit(CertManager),
    Unit(CloudnativePg),
    Unit(ExternalSecrets),
    Unit(GpuOperator),
    Unit(K8sBackup),
    Unit(Newrelic, enabled=False),
    Unit(NfsStorage),
    Unit(Renovate),
    Unit(SmbCsi),
    Unit(SystemTuning),
    Unit(SystemUpgradeController),
    Unit(UnifiData),
]

CONFIGS = [Unit(ClusterIssuers), Unit(ControlPlaneTaint), Unit(NfsConfig), Unit(UnifiDriveConfig)]
