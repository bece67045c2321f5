"""The shared CloudNative-PG cluster, its database registry and its backups.

`CnpgCluster(scope, spec)` makes the `postgresql.cnpg.io/v1` Cluster from a typed spec
(instances, image, storage, resources, PostgreSQL parameters and pg_hba, bootstrap
owner, managed roles), the Job `postgres-database-init` that creates every database
apps need and grants on them, and, when `spec.backup` is set, the nightly `pg_dump`
CronJob onto an NFS claim, the S3 archive CronJob and the PrometheusRule watching both.

**Database registry.** An app declares the databases it needs on its class
(`databases = ("n8n",)`); the init Job's SQL is derived from every unit the cluster
definition names (on or off: a switched-off app keeps its data), plus `spec.others`
for apps fako does not model. Databases are created in `spec.order` (the order they
were added to the cluster, which keeps the script stable), then any new ones
alphabetically; grants follow in the same order grouped by `Grants` style (owner,
admin, app). The script is the verbatim `init_header` followed by the generated lines.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from typing import Any, Literal

import yaml

from fako import k8s
from fako.checked import checked
from fako.constructs.base import DnsName, Spec
from fako.constructs.cnpg import Cluster, ClusterSpec
from fako.constructs.jobs import Job, JobSpec
from fako.constructs.monitoring import PrometheusRule, PrometheusRuleSpec
from fako.constructs.pods import env, env_from, mount, pull_secrets, pvc_volume, resources, secret_key
from fako.errors import FakoError, Problem, SpecError
from fako.fluxgraph import DATABASES
from fako.fluxgraph import PROVIDES as _PROVIDES
from fako.patterns.cron import cronjob
from fako.patterns.storage import claim
from fako.tree import AppConstruct, Group, Scope, context_of, source_of

__all__ = [
    "DATABASES",
    "ROLE_DEFAULTS",
    "CnpgBackup",
    "CnpgCluster",
    "CnpgClusterSpec",
    "GrantStyle",
    "ManagedRole",
    "database_init_script",
    "declared_databases",
]

GrantStyle = Literal["owner", "admin", "app"]
"""How the init Job grants on a database: `owner` makes `app` own schema public and gives
`admin` everything now and by default; `admin` grants `admin` all on what exists; `app`
(the default) grants `app` all on what exists."""
_STYLE_RANK = {"owner": 0, "admin": 1, "app": 2}
ROLE_DEFAULTS = {
    "bypassrls": False,
    "createdb": False,
    "createrole": False,
    "ensure": "present",
    "inherit": True,
    "login": True,
    "replication": False,
    "superuser": False,
}
"""What every managed role of the cluster sets besides its name, password and connection limit.

Example: `{"name": "oura_readonly", **ROLE_DEFAULTS}`"""
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}\Z")
_EXISTING = ("SCHEMA public", "ALL TABLES IN SCHEMA public", "ALL SEQUENCES IN SCHEMA public")
_DEFAULTS = ("TABLES", "SEQUENCES")


class ManagedRole(Spec):
    """A login role CNPG keeps in place (`managed.roles`), its password from a Secret.

    Example: `ManagedRole(name="oura_readonly", password_secret="oura-readonly-secret", connection_limit=5)`
    """

    name: str
    password_secret: str
    connection_limit: int = -1


class CnpgBackup(Spec):
    """Nightly `pg_dump` onto an NFS claim and its S3 archive; scripts given verbatim.

    Example: `CnpgBackup(dump_script="pg_dumpall > /backup/all.sql", s3_script="aws s3 sync /backup s3://b/", alert_groups_yaml="groups: []")`
    """

    dump_script: str
    s3_script: str
    alert_groups_yaml: str
    claim: DnsName = "postgres-backup"
    size: str = "100Gi"
    storage_class: str = "nfs-backup"
    schedule: str = "0 2 * * *"
    s3_schedule: str = "0 5 * * *"
    time_zone: str = "America/New_York"
    retention_days: str = "30"
    max_age_minutes: str = "720"
    s3_prefix: str = "postgres"
    s3_secret: str = "s3-backup-secret"
    aws_image: str = "amazon/aws-cli:2.36.25"


class CnpgClusterSpec(Spec):
    """The Cluster and what is made around it.

    `parameters` are postgresql.conf settings (strings, as CNPG wants them); `grants`
    sets a database's `GrantStyle` (default `app`); `order` and `others` drive the
    database registry (module docstring). Secrets: `app_secret` (bootstrap owner),
    `superuser_secret` (the init Job and backups connect as `postgres` with it).

    Example: `CnpgClusterSpec(image=IMAGE, requests={"cpu": "500m"}, limits={"memory": "2Gi"}, parameters={"max_connections": "200"}, init_header="set -e")`
    """

    name: DnsName = "postgres-cluster"
    instances: int = 3
    image: str
    storage_class: str = "nfs-postgres-v2"
    size: str = "50Gi"
    requests: dict[str, str]
    limits: dict[str, str]
    parameters: dict[str, str]
    pg_hba: tuple[str, ...] = ()
    preload: tuple[str, ...] = ("pg_stat_statements",)
    owner: str = "app"
    database: str = "app"
    app_secret: str = "app-user-secret"
    superuser_secret: str = "postgres-admin-secret"
    roles: tuple[ManagedRole, ...] = ()
    start_delay: int = 300
    stop_delay: int = 300
    anti_affinity: Literal["required", "preferred"] = "required"
    client_image: str = "postgres:16"
    pull_secret: str | None = "dockerhub-registry"
    init_header: str
    order: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    grants: dict[str, GrantStyle] = {}
    backup: CnpgBackup | None = None


def declared_databases(units: Iterable[type[AppConstruct]], others: Iterable[str] = ()) -> list[str]:
    """Every database the units own plus `others`, once each, in first-seen order.

    Each database has one owner: a second app declaring it in `databases` is an error
    naming both (an app using another's database says so in `shared_databases`), as is a
    `shared_databases` entry no app owns. The names themselves are checked when the app
    class is defined (PostgreSQL identifiers, a tuple).

    Example: `declared_databases(self._fako.cluster.units)`
    """
    owners: dict[str, type[AppConstruct]] = {}
    problems: list[Problem] = []
    for unit in units:
        for db in unit.databases:
            if db in owners:
                first = owners[db]
                problems.append(
                    Problem(
                        f"app '{unit.name}'",
                        f"declares database {db!r}, which app '{first.name}' already owns ({source_of(first)})",
                        "databases",
                        source_of(unit),
                        f"a database has one owner: use `shared_databases = ({db!r},)` to use {first.name}'s",
                    )
                )
            else:
                owners[db] = unit
    for db in others:
        if db in owners:
            problems.append(
                Problem(
                    "the shared Postgres",
                    f"lists {db!r} among apps fako does not model, but app '{owners[db].name}' declares it",
                    "others",
                    fix=f"remove {db!r} from `others`",
                )
            )
    owned = set(owners) | set(others)
    problems.extend(
        Problem(
            f"app '{unit.name}'",
            f"uses database {db!r}, which no app declares in `databases`",
            "shared_databases",
            source_of(unit),
            "declare it on the app that owns it, or fix the name",
        )
        for unit in units
        for db in unit.shared_databases
        if db not in owned
    )
    if problems:
        raise SpecError(problems)
    return [*owners, *(db for db in others if db not in owners)]


def _grant_lines(db: str, style: GrantStyle, first_owner: str | None) -> list[str]:
    psql = f'psql -d {shlex.quote(db)} -c "{{}}"'
    if style == "owner":
        note = f" (same pattern as {first_owner})" if first_owner and first_owner != db else ""
        lines = [
            f"# Set schema ownership and permissions for {db} database{note}",
            psql.format("ALTER SCHEMA public OWNER TO app;"),
        ]
        lines += [psql.format(f"GRANT ALL ON {what} TO admin;") for what in _EXISTING]
        lines += [
            psql.format(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON {what} TO admin;")
            for what in _DEFAULTS
        ]
        return lines
    role = "admin" if style == "admin" else "app"
    return [psql.format(f"GRANT ALL ON {what} TO {role};") for what in _EXISTING]


_CREATE_FUNCTION = """create_database() {
  # $1 the database, $2 its owner: PostgreSQL identifiers (checked by fako when rendered)
  exists=$(psql -v ON_ERROR_STOP=1 -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")
  if [ "$exists" = "1" ]; then
    echo "Database $1 already exists"
  else
    psql -v ON_ERROR_STOP=1 -c "CREATE DATABASE \\"$1\\" OWNER \\"$2\\""
  fi
}
"""


def database_init_script(
    header: str,
    databases: Iterable[str],
    *,
    owner: str = "app",
    order: Iterable[str] = (),
    grants: dict[str, GrantStyle] | None = None,
) -> str:
    """The init Job's script: `header`, a create per database, then the grants (module docstring).

    Every database is created only when missing (looked up in `pg_database`), with its
    name quoted; any other failure (no connection, no permission) stops the script with
    psql's error, so the Job fails where people look, instead of printing "already
    exists" over an error sent to /dev/null.

    Example: `database_init_script("set -e", ["n8n", "oura"], grants={"oura": "owner"})`
    """
    names = [*databases, owner]
    bad = [n for n in names if not _IDENTIFIER.match(n)]
    if bad:
        raise FakoError(f"not PostgreSQL identifiers: {', '.join(repr(b) for b in bad)}")
    wanted = set(databases)
    ranked = [db for db in order if db in wanted] + sorted(wanted - set(order))
    styles = {db: (grants or {}).get(db, "app") for db in ranked}
    creates = [f"create_database {shlex.quote(db)} {shlex.quote(owner)}" for db in ranked]
    owners = [db for db in ranked if styles[db] == "owner"]
    blocks = [
        _grant_lines(db, styles[db], owners[0] if owners else None)
        for db in sorted(ranked, key=lambda d: _STYLE_RANK[styles[d]])
    ]
    body = _CREATE_FUNCTION + "\n".join(creates) + "\n\n" + "\n\n".join("\n".join(b) for b in blocks)
    return f'{header}{body}\n\necho "Database initialization completed successfully"\n'


class CnpgCluster(Group):
    """The CNPG Cluster, its database-init Job and (with `spec.backup`) its backups.

    Example: `pg = CnpgCluster(self, CnpgClusterSpec(image=IMAGE, requests={"cpu": "500m", "memory": "1Gi"}, limits={"memory": "2Gi"}, parameters={"max_connections": "200"}, init_header="set -e"))`
    """

    def __init__(self, scope: Scope, spec: CnpgClusterSpec, id: str = "cnpg") -> None:
        super().__init__(scope, id)
        self.spec = spec
        ns = self.default_namespace
        self.host = f"{spec.name}-rw.{ns}.svc.cluster.local"
        self.cluster = Cluster(self, "cluster", ClusterSpec.model_validate(self._cluster_fields()))
        setattr(self.cluster, _PROVIDES, (DATABASES,))  # apps declaring databases wait for this layer
        units = context_of(self).cluster.units
        self.databases = declared_databases(units, spec.others)
        script = database_init_script(
            spec.init_header, self.databases, owner=spec.owner, order=spec.order, grants=spec.grants
        )
        self.job(
            "postgres-database-init",
            "db-init",
            script,
            ttl=3600,
            pull=True,
            annotations={
                "argocd.argoproj.io/hook": "PostSync",
                "argocd.argoproj.io/hook-delete-policy": "HookSucceeded",
            },
        )
        if spec.backup is not None:
            self._backups(spec.backup)

    def _cluster_fields(self) -> dict[str, Any]:
        s = self.spec
        role_defaults = dict(ROLE_DEFAULTS)
        return {
            "name": s.name,
            "instances": s.instances,
            "imageName": s.image,
            "enableSuperuserAccess": True,
            "affinity": {
                "enablePodAntiAffinity": True,
                "podAntiAffinityType": s.anti_affinity,
                "topologyKey": "kubernetes.io/hostname",
            },
            "bootstrap": {
                "initdb": {
                    "dataChecksums": True,
                    "database": s.database,
                    "encoding": "UTF8",
                    "localeCType": "en_US.UTF-8",
                    "localeCollate": "en_US.UTF-8",
                    "owner": s.owner,
                    "secret": {"name": s.app_secret},
                }
            },
            "managed": {
                "roles": [
                    {
                        **role_defaults,
                        "name": r.name,
                        "connectionLimit": r.connection_limit,
                        "passwordSecret": {"name": r.password_secret},
                    }
                    for r in s.roles
                ]
            },
            "postgresql": {
                "parameters": dict(s.parameters),
                "pg_hba": list(s.pg_hba),
                "shared_preload_libraries": list(s.preload),
            },
            "primaryUpdateStrategy": "unsupervised",
            "resources": {"limits": dict(s.limits), "requests": dict(s.requests)},
            "startDelay": s.start_delay,
            "stopDelay": s.stop_delay,
            "storage": {"size": s.size, "storageClass": s.storage_class},
            "superuserSecret": {"name": s.superuser_secret},
        }

    @checked
    def client_env(self, port: bool = False) -> list[k8s.EnvVar]:
        """PGHOST/PGPORT/PGUSER/PGPASSWORD for connecting as the superuser.

        Example: `env=CnpgCluster(self, CnpgClusterSpec(image=IMAGE, requests={}, limits={}, parameters={}, init_header="")).client_env(port=True)`
        """
        values: dict[str, str | k8s.EnvVarSource] = {"PGHOST": self.host}
        if port:
            values["PGPORT"] = "5432"
        values.update({"PGUSER": "postgres", "PGPASSWORD": secret_key(self.spec.superuser_secret, "password")})
        return env(values)

    @checked
    def job(
        self,
        name: str,
        container: str,
        script: str,
        *,
        ttl: int,
        pull: bool = False,
        annotations: dict[str, str] | None = None,
    ) -> Job:
        """A one-shot Job running `script` with bash against the cluster as the superuser.

        Example: `CnpgCluster(self, CnpgClusterSpec(image=IMAGE, requests={}, limits={}, parameters={}, init_header="")).job("grants", "psql", "psql -c 'select 1'", ttl=600)`
        """
        pod = k8s.PodSpec(
            containers=[
                k8s.Container(
                    name=container,
                    image=self.spec.client_image,
                    image_pull_policy="IfNotPresent",
                    command=["/bin/bash", "-c", script],
                    env=self.client_env(),
                )
            ],
            restart_policy="OnFailure",
            image_pull_secrets=pull_secrets(self.spec.pull_secret) if pull and self.spec.pull_secret else None,
        )
        return Job(
            self,
            name,
            JobSpec(
                name=name,
                annotations=annotations,
                ttl_seconds_after_finished=ttl,
                template=k8s.PodTemplateSpec(spec=pod),
            ),
        )

    def _backups(self, b: CnpgBackup) -> None:
        claim(self, b.claim, b.size, storage_class=b.storage_class, id="backup-claim")
        common: dict[str, Any] = {"successful": 5, "failed": 5, "time_zone": b.time_zone, "restart_policy": "OnFailure"}
        cronjob(
            self,
            "postgres-backup",
            b.schedule,
            **common,
            containers=[
                k8s.Container(
                    name="postgres-backup",
                    image=self.spec.client_image,
                    image_pull_policy="IfNotPresent",
                    command=["/bin/bash", "-c", b.dump_script],
                    env=self.client_env(port=True)
                    + env({"BACKUP_DIR": "/backups", "RETENTION_DAYS": b.retention_days}),
                    resources=resources({"cpu": "500m", "memory": "1Gi"}, {"cpu": "2", "memory": "4Gi"}),
                    volume_mounts=[mount("backup-volume", "/backups")],
                )
            ],
            volumes=[pvc_volume("backup-volume", b.claim)],
        )
        cronjob(
            self,
            "postgres-backup-s3",
            b.s3_schedule,
            **common,
            starting_deadline=3600,
            backoff_limit=2,
            active_deadline=14400,
            containers=[
                k8s.Container(
                    name="s3-archive",
                    image=b.aws_image,
                    image_pull_policy="IfNotPresent",
                    command=["/bin/bash", "-c", b.s3_script],
                    env=env({"BACKUP_DIR": "/backups", "S3_PREFIX": b.s3_prefix, "MAX_AGE_MINUTES": b.max_age_minutes}),
                    env_from=env_from(b.s3_secret),
                    resources=resources({"cpu": "200m", "memory": "512Mi"}, {"cpu": "1", "memory": "1Gi"}),
                    volume_mounts=[mount("backup-volume", "/backups", read_only=True)],
                )
            ],
            volumes=[pvc_volume("backup-volume", b.claim, read_only=True)],
        )
        labels = {"app": "postgres", "prometheus.io/rule": "true", "release": "kube-prometheus-stack"}
        PrometheusRule(
            self,
            "backup-alerts",
            PrometheusRuleSpec.model_validate(
                {
                    "name": "postgres-backup-alerts",
                    "namespace": "monitoring",
                    "labels": labels,
                    "groups": yaml.safe_load(b.alert_groups_yaml),
                }
            ),
        )
