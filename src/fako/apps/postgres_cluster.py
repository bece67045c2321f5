"""The shared PostgreSQL cluster (CloudNative-PG, 3 instances) most stateful apps use.

Served inside the cluster at `postgres-cluster-rw.postgres` only; 50Gi per instance on
`nfs-postgres-v2`. The databases are created by Job `postgres-database-init` from what
apps declare (`databases = (...)`, see fako.patterns.cnpg) plus `OTHERS` below; nightly
`pg_dump`s go to a 100Gi `nfs-backup` claim and on to S3, watched by
`postgres-backup-alerts`. Reads the app-user, admin, oura-readonly and S3 credentials
from AWS (`postgres/*`, store `aws-secrets-store`); `app-user-secret` is also a SOPS
Secret (two owners, as in the cluster).
"""

from __future__ import annotations

from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.cnpg import CnpgBackup, CnpgCluster, CnpgClusterSpec, ManagedRole
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct

OTHERS: tuple[str, ...] = ()
"""Databases of apps fako does not model (kept so their data stays served)."""
ORDER = ("oura", "keycloak", "n8n", "paperless", "backstage", "langfuse", "plaud")
"""The order databases were added to the cluster: the init script lists them so."""
PARAMETERS = {
    "checkpoint_completion_target": "0.9", "checkpoint_timeout": "5min", "effective_cache_size": "3GB",
    "maintenance_work_mem": "64MB", "max_connections": "200", "max_wal_size": "1GB", "min_wal_size": "80MB",
    "shared_buffers": "512MB", "wal_buffers": "16MB", "wal_level": "replica", "work_mem": "8MB"}
"""postgresql.conf tuning (instances request 2Gi, limited to 4Gi)."""
BASIC_AUTH = {"type": "kubernetes.io/basic-auth"}


class PostgresCluster(AppConstruct):
    """The shared PostgreSQL cluster (CloudNative-PG, 3 instances) most stateful apps use."""

    name = "postgres-cluster"
    namespace = "postgres"

    def build(self) -> None:
        AppNamespace(self)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store"))
        SopsSecret(self, "app-user", SopsSecretSpec(name="app-user-secret"))
        for key, target in (("app-user", "app-user-secret"), ("oura-readonly", "oura-readonly-secret"),
                            ("admin-credentials", "postgres-admin-secret")):
            store.secret(f"{target.removesuffix('-secret')}-external-secret", target=target, template=BASIC_AUTH,
                         data={k: f"postgres/{key}#{k}" for k in ("username", "password")})
        s3 = {"AWS_ACCESS_KEY_ID": "access_key_id", "AWS_SECRET_ACCESS_KEY": "secret_access_key",
              "AWS_DEFAULT_REGION": "region", "S3_BUCKET": "bucket"}
        store.secret("s3-backup-external-secret", target="s3-backup-secret",
                     data={k: f"postgres/s3-backup#{prop}" for k, prop in s3.items()})
        queries = {"custom-queries": read_file(__file__, "custom-queries.yaml")}
        ConfigMap(self, "monitoring", ConfigMapSpec(name="postgres-monitoring", data=queries))
        pg = CnpgCluster(self, CnpgClusterSpec(
            image="ghcr.io/cloudnative-pg/postgresql:16.14", requests={"cpu": "1", "memory": "2Gi"},
            limits={"cpu": "2", "memory": "4Gi"}, parameters=PARAMETERS,
            pg_hba=tuple(f"host all all {net} md5" for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")),
            roles=(ManagedRole(name="admin", password_secret="app-user-secret"),
                   ManagedRole(name="oura_readonly", password_secret="oura-readonly-secret", connection_limit=5)),
            init_header=read_file(__file__, "database-init-header.sh"), order=ORDER, others=OTHERS,
            grants={"oura": "owner", "plaud": "owner", "keycloak": "admin"},
            backup=CnpgBackup(
                dump_script=read_file(__file__, "backup.sh"), s3_script=read_file(__file__, "backup-s3.sh"),
                alert_groups_yaml=read_file(__file__, "backup-alerts.yaml"))))
        pg.job("oura-readonly-grants", "grant-readonly", read_file(__file__, "oura-readonly-grants.sh"), ttl=3600)
