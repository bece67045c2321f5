"""Kubernetes backup: nightly/weekly manifest dumps and a nightly etcd snapshot to the NAS.

CronJobs `k8s-backup-daily` (02:00), `k8s-backup-weekly` (Sun 03:00, every namespace)
and `etcd-backup` (02:30, control plane) write to the 500Gi `nfs-backup` claim
`backup-storage`; scripts verbatim in files/. Read-all ClusterRoles; nothing exposed,
no secrets. (etcd-backup looks for a `component=etcd` pod K3s does not have.)
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import config_volume, env, mount, pvc_volume, resources
from fako.patterns.cron import cronjob
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import grant, rule
from fako.patterns.storage import claim
from fako.tree import AppConstruct, Scope

IMAGE = "rancher/kubectl:v1.28.2"
CONTROL_PLANE = "node-role.kubernetes.io/control-plane"


def _backup(
    scope: Scope,
    name: str,
    schedule: str,
    container: str,
    command: list[str],
    *,
    config: str,
    account: str,
    memory: str = "512Mi",
    history: int = 3,
    env_: list[k8s.EnvVar] | None = None,
    **pod: Any,
) -> None:
    """A backup CronJob: the script ConfigMap at /scripts, the backup claim at /backups."""
    cronjob(
        scope,
        name,
        schedule,
        concurrency=None,
        successful=history,
        failed=history,
        ttl=None,
        restart_policy="OnFailure",
        service_account_name=account,
        **pod,
        containers=[
            k8s.Container(
                name=container,
                image=IMAGE,
                command=command,
                env=env_,
                resources=resources({"cpu": "100m", "memory": "128Mi"}, {"cpu": "500m", "memory": memory}),
                volume_mounts=[mount("backup-scripts", "/scripts"), mount("backup-storage", "/backups")],
            )
        ],
        volumes=[
            config_volume("backup-scripts", config, default_mode=493),
            pvc_volume("backup-storage", "backup-storage"),
        ],
    )


class K8sBackup(AppConstruct):
    """Kubernetes backup."""

    name = "k8s-backup"
    namespace = "backup-system"
    default_layer = "infrastructure-controllers"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        grant(
            self,
            account="backup-sa",
            role="backup-role",
            binding="backup-rolebinding",
            rules=[rule("*", ["*"], ["get", "list"]), rule("", ["namespaces"], ["create"])],
        )
        grant(
            self,
            account="etcd-backup-sa",
            role="etcd-backup-role",
            binding="etcd-backup-rolebinding",
            rules=[rule("", ["pods", "pods/exec"], ["get", "list", "create"]), rule("", ["pods/log"], ["get"])],
        )
        for cm, key in (("backup-scripts", "backup.sh"), ("etcd-backup-script", "backup-etcd.sh")):
            ConfigMap(self, cm, ConfigMapSpec(name=cm, data={key: read_file(__file__, key)}))
        claim(self, "backup-storage", "500Gi", storage_class="nfs-backup")
        _backup(
            self,
            "etcd-backup",
            "30 2 * * *",
            "etcd-backup",
            ["/bin/sh", "/scripts/backup-etcd.sh"],
            config="etcd-backup-script",
            account="etcd-backup-sa",
            memory="256Mi",
            host_network=True,
            node_selector={CONTROL_PLANE: "true"},
            tolerations=[k8s.Toleration(effect="NoSchedule", key=CONTROL_PLANE, operator="Exists")],
        )
        _backup(
            self,
            "k8s-backup-daily",
            "0 2 * * *",
            "backup",
            ["/bin/sh", "/scripts/backup.sh"],
            config="backup-scripts",
            account="backup-sa",
            env_=env({"NAMESPACES": "default flux-system renovate nfs-system nvidia-device-plugin"}),
        )
        _backup(
            self,
            "k8s-backup-weekly",
            "0 3 * * 0",
            "backup",
            ["/bin/sh", "-c", read_file(__file__, "weekly.sh")],
            config="backup-scripts",
            account="backup-sa",
            history=1,
        )
