"""postgres-recovery: a scratch PostgreSQL 16 to restore and inspect backups of the shared cluster.

ClusterIP only (`postgres-recovery-service:5432`, reached from pgAdmin); data on a hostPath
of its node; the NAS backup share (`/volume1/k8s-backups`) mounted read-only through a
static NFS volume; the superuser password from AWS (`postgres/admin-credentials`).
Verification queries for the restored keycloak/n8n/oura databases ship in a ConfigMap.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import env, exec_probe, mount, pvc_volume, resources, secret_key
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.namespace import AppNamespace
from fako.patterns.static_volume import StaticVolume, StaticVolumeSpec
from fako.patterns.workload import port, service, statefulset
from fako.tree import AppConstruct

LABELS = {"app": "postgres-recovery"}
QUERIES = ("all-databases-summary", "keycloak-verification", "n8n-verification", "oura-verification")


READY = ["/bin/sh", "-c", "pg_isready -U postgres"]


class PostgresRecovery(AppConstruct):
    """One postgres pod (StatefulSet) beside the read-only backup share."""

    name = "postgres-recovery"

    def build(self) -> None:
        AppNamespace(self, labels={"name": self.ns, "purpose": "database-recovery"})
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store"))
        ConfigMap(self, "queries", ConfigMapSpec(name="postgres-verification-queries",
                                                 data={f"{q}.sql": read_file(__file__, f"{q}.sql") for q in QUERIES}))
        service(self, "postgres-recovery-service", labels=LABELS, selector=LABELS, ports=[port("postgresql", 5432)])
        StaticVolume(self, StaticVolumeSpec(name="postgres-backup-recovery-pv", claim="postgres-backup-recovery",
                                            size="100Gi", share="/volume1/k8s-backups", storage_class="nfs-backup"))
        statefulset(
            self, "postgres-recovery", selector=LABELS, service_name="postgres-recovery-service",
            containers=[k8s.Container(
                name="postgres", image="postgres:16", image_pull_policy="IfNotPresent",
                env=env({"POSTGRES_PASSWORD": secret_key("postgres-admin-secret", "password"),
                         "POSTGRES_USER": "postgres", "PGDATA": "/var/lib/postgresql/data/pgdata"}),
                liveness_probe=exec_probe(READY, delay=30, period=10, timeout=5),
                readiness_probe=exec_probe(READY, delay=5, period=5, timeout=3),
                ports=[k8s.ContainerPort(container_port=5432, name="postgresql")],
                resources=resources(cpu=("100m", "500m"), memory=("128Mi", "512Mi")),
                volume_mounts=[mount("postgres-data", "/var/lib/postgresql/data"),
                               mount("backup-access", "/backups", read_only=True)])],
            volumes=[k8s.Volume(name="postgres-data", host_path=k8s.HostPathVolumeSource(
                        path="/mnt/postgres-recovery/data", type="DirectoryOrCreate")),
                     pvc_volume("backup-access", "postgres-backup-recovery")],
        )
        store.secret(
            "postgres-admin-external-secret",
            {"username": "postgres/admin-credentials#username", "password": "postgres/admin-credentials#password"},
            target="postgres-admin-secret", template={"type": "kubernetes.io/basic-auth"})
