"""The shared Postgres: a CloudNative-PG `Cluster` and its `postgres-database-init` Job as one
`CnpgCluster(self, CnpgClusterSpec(...))`, and Jobs run against it as `pg.job(...)`.

The spec is read off the Cluster (image, instances, storage, resources, parameters,
pg_hba, bootstrap owner, managed roles) and the init Job (client image, pull secret, the
script's verbatim header, its databases in order and how each is granted). The databases
go to `others`: the import does not know which app needs which, and a person moves them
to the apps' `databases = (...)` later. Taken only when the pattern renders both exactly.
"""

from __future__ import annotations

import re
from typing import Any

from fako.importer.code import Attr, Call, Const, DictOf, Expr, FileText, Local, Stmt, TupleOf, lit
from fako.importer.context import Context, Piece, rank_of
from fako.importer.loading import Manifest
from fako.importer.typed import name_of
from fako.patterns.cnpg import (
    ROLE_DEFAULTS,
    CnpgCluster,
    CnpgClusterSpec,
    GrantStyle,
    ManagedRole,
    database_init_script,
)

__all__ = ["cnpg_pieces"]

_DEFAULTS = CnpgClusterSpec(image="x", requests={}, limits={}, parameters={}, init_header="")
_CREATE = re.compile(r"^create_database (\S+) (\S+)$", re.MULTILINE)
_FUNCTION = "create_database() {\n"
"""Where fako's init script (fako.patterns.cnpg) starts after the hand-written header."""
_INIT = "postgres-database-init"
_ROLE_DEFAULTS = ROLE_DEFAULTS


def _find(ctx: Context, kind: str, api: str, name: str | None = None) -> list[Manifest]:
    return [
        m
        for m in ctx.remaining()
        if (m.kind, m.api_version) == (kind, api) and ctx.in_main(m) and (name is None or m.name == name)
    ]


def _container(job: Manifest) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(pod spec, its one container) of a Job."""
    try:
        pod = job.body["spec"]["template"]["spec"]
        (container,) = pod["containers"]
    except (KeyError, TypeError, ValueError):
        return None
    return (pod, container) if isinstance(pod, dict) and isinstance(container, dict) else None


def _script(container: dict[str, Any]) -> str | None:
    command = container.get("command")
    if not isinstance(command, list) or len(command) != 3 or command[:2] != ["/bin/bash", "-c"]:
        return None
    return command[2] if isinstance(command[2], str) else None


def _databases(script: str, owner: str) -> tuple[str, list[str], dict[str, GrantStyle]] | None:
    """(header, databases in order, grant style by database) of the init script."""
    start = script.find(_FUNCTION)
    if start < 0:
        return None
    header = script[:start]
    found = _CREATE.findall(script)
    if any(o != owner for _, o in found):
        return None
    dbs = [db for db, _ in found]
    grants: dict[str, GrantStyle] = {}
    for db in dbs:
        if f'psql -d {db} -c "ALTER SCHEMA public OWNER TO' in script:
            grants[db] = "owner"
        elif f'psql -d {db} -c "GRANT ALL ON SCHEMA public TO admin;"' in script:
            grants[db] = "admin"
    return header, dbs, grants


def _roles(managed: Any) -> Expr | None:
    roles = (managed or {}).get("roles") if isinstance(managed, dict) else None
    if roles is None:
        return TupleOf(())
    items: list[Expr] = []
    for role in roles:
        if not isinstance(role, dict) or {k: role.get(k) for k in _ROLE_DEFAULTS} != _ROLE_DEFAULTS:
            return None
        kwargs: list[tuple[str, Expr]] = [
            ("name", Const(role.get("name"))),
            ("password_secret", Const((role.get("passwordSecret") or {}).get("name"))),
        ]
        if role.get("connectionLimit") != -1:
            kwargs.append(("connection_limit", Const(role.get("connectionLimit"))))
        items.append(Call(name_of(ManagedRole), kwargs=tuple(kwargs)))
    return TupleOf(tuple(items))


def _spec(ctx: Context, cluster: Manifest, job: Manifest) -> list[tuple[str, Expr]] | None:
    spec: Any = cluster.body.get("spec")
    got = _container(job)
    if not isinstance(spec, dict) or got is None:
        return None
    pod, container = got
    script = _script(container)
    try:
        initdb = spec["bootstrap"]["initdb"]
        postgresql = spec["postgresql"]
        fields: dict[str, Any] = {
            "name": cluster.name,
            "instances": spec["instances"],
            "image": spec["imageName"],
            "storage_class": spec["storage"]["storageClass"],
            "size": spec["storage"]["size"],
            "requests": spec["resources"]["requests"],
            "limits": spec["resources"]["limits"],
            "parameters": postgresql["parameters"],
            "pg_hba": tuple(postgresql.get("pg_hba") or ()),
            "preload": tuple(postgresql.get("shared_preload_libraries") or ()),
            "owner": initdb["owner"],
            "database": initdb["database"],
            "app_secret": initdb["secret"]["name"],
            "superuser_secret": spec["superuserSecret"]["name"],
            "start_delay": spec["startDelay"],
            "stop_delay": spec["stopDelay"],
            "anti_affinity": spec["affinity"]["podAntiAffinityType"],
            "client_image": container["image"],
            "pull_secret": ((pod.get("imagePullSecrets") or [{}])[0]).get("name"),
        }
    except (KeyError, TypeError, IndexError, AttributeError):
        return None
    parsed = _databases(script or "", fields["owner"])
    roles = _roles(spec.get("managed"))
    if parsed is None or roles is None:
        return None
    header, dbs, grants = parsed
    wanted = database_init_script(header, dbs, owner=fields["owner"], order=dbs, grants=grants)
    if wanted != script:
        return None
    out: list[tuple[str, Expr]] = []
    for key in ("name", "instances", "image", "storage_class", "size", "requests", "limits", "parameters", "pg_hba"):
        if key in ("image", "requests", "limits", "parameters") or fields[key] != getattr(_DEFAULTS, key):
            out.append((key, _value(fields[key])))
    for key in ("preload", "owner", "database", "app_secret", "superuser_secret", "start_delay", "stop_delay"):
        if fields[key] != getattr(_DEFAULTS, key):
            out.append((key, _value(fields[key])))
    if isinstance(roles, TupleOf) and roles.items:
        out.append(("roles", roles))
    for key in ("anti_affinity", "client_image", "pull_secret"):
        if fields[key] != getattr(_DEFAULTS, key):
            out.append((key, _value(fields[key])))
    key = ctx.file_key("cnpg", "database-init-header.sh")
    out.append(("init_header", FileText(key, header)))
    databases = TupleOf(tuple(Const(db) for db in dbs))
    if dbs != sorted(dbs):
        out.append(("order", databases))
    out.append(("others", databases))
    if grants:
        out.append(("grants", DictOf(tuple((Const(k), Const(v)) for k, v in grants.items()))))
    return out


def _value(value: Any) -> Expr:
    return TupleOf(tuple(lit(v) for v in value)) if isinstance(value, tuple) else lit(value)


def _job_stmt(ctx: Context, job: Manifest, pg: str) -> Stmt | None:
    """`pg.job(name, container, script, ttl=...)` for a Job of the cluster's client shape."""
    got = _container(job)
    if got is None or set(job.meta) - {"name", "namespace", "annotations"}:
        return None
    pod, container = got
    script = _script(container)
    ttl = (job.body.get("spec") or {}).get("ttlSecondsAfterFinished")
    if script is None or not isinstance(ttl, int) or not isinstance(container.get("name"), str):
        return None
    lines = script.count("\n")
    body: Expr = FileText(ctx.file_key(job.name, f"{job.name}.sh"), script) if lines > 5 else Const(script)
    kwargs: list[tuple[str, Expr]] = [("ttl", Const(ttl))]
    if pod.get("imagePullSecrets"):
        kwargs.append(("pull", Const(True)))
    if job.meta.get("annotations") is not None:
        kwargs.append(("annotations", lit(job.meta["annotations"])))
    call = Call(Attr(Local(pg), "job"), (Const(job.name), Const(container["name"]), body), tuple(kwargs))
    return Stmt(call)


def cnpg_pieces(ctx: Context) -> list[Piece]:
    """The app's CNPG Cluster with its init Job as a `CnpgCluster`, plus the Jobs it runs."""
    clusters = _find(ctx, "Cluster", "postgresql.cnpg.io/v1")
    jobs = _find(ctx, "Job", "batch/v1", _INIT)
    if len(clusters) != 1 or len(jobs) != 1 or ctx.free_id("self", "cnpg") != "cnpg":
        return []
    cluster, init = clusters[0], jobs[0]
    if set(cluster.meta) - {"name", "namespace"}:
        return []
    fields = _spec(ctx, cluster, init)
    if fields is None:
        return []
    pg = ctx.variable("pg")
    spec = Call(name_of(CnpgClusterSpec), kwargs=tuple(fields))
    main = Stmt(Call(name_of(CnpgCluster), (Local("self"), spec)), target=pg)
    if not ctx.scratch.matches([main], [cluster, init]):
        ctx.variables.discard(pg)
        return []
    ctx.take_id("self", "cnpg")
    for key, value in fields:
        if key == "init_header" and isinstance(value, FileText):
            ctx.files[value.key] = value.text
    stmts, covers = [main], [cluster, init]
    for job in [m for m in _find(ctx, "Job", "batch/v1") if m.name != _INIT]:
        stmt = _job_stmt(ctx, job, pg)
        if stmt is not None and ctx.scratch.matches([stmt], [job], setup=[main]):
            if isinstance(stmt.expr, Call) and isinstance(stmt.expr.args[2], FileText):
                ctx.files[stmt.expr.args[2].key] = stmt.expr.args[2].text
            stmts.append(stmt)
            covers.append(job)
    return [ctx.claim(Piece(stmts, covers, rank_of("StatefulSet")))]
