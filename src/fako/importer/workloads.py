"""The workload and exposure short forms: `deployment`, `statefulset`, `service` + `port`,
`claim`, `cronjob` and `ingress` (+ `path`).

Each recogniser reads what its short form can say from the object, passes only values
that differ from the short form's defaults (`None` where the input leaves a defaulted
field out), and is kept only when the call renders the object exactly.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.importer.code import Call, Const, Expr, FileText, ListOf, Local, Stmt, lit
from fako.importer.context import Context, Piece, rank_of
from fako.importer.gpu import gpu_variant
from fako.importer.loading import Manifest
from fako.importer.typed import Options, field_kwargs, model_expr, name_of, value_expr
from fako.patterns.cron import cronjob
from fako.patterns.ingress import ingress, path
from fako.patterns.rbac import script_job
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service, statefulset

__all__ = [
    "claim_piece",
    "cronjob_piece",
    "deployment_piece",
    "deployment_stmt",
    "ingress_piece",
    "pod_kwargs",
    "script_job_piece",
    "service_piece",
    "statefulset_piece",
]

_META = {"name", "namespace", "labels", "annotations"}
LONG_SCRIPT_LINES = 5
"""Scripts with more lines than this are written to a file beside the module."""


def _plain(m: Manifest, kind: str, api: str, ctx: Context, spec_keys: set[str]) -> dict[str, Any] | None:
    """The spec of `m` when it is a `kind` in the app's namespace with only `spec_keys`."""
    if (m.kind, m.api_version) != (kind, api) or not ctx.in_main(m):
        return None
    if set(m.meta) - _META or set(m.body) - {"apiVersion", "kind", "metadata", "spec", "status"}:
        return None
    spec = m.body.get("spec")
    if not isinstance(spec, dict) or set(spec) - spec_keys:
        return None
    return spec


def _meta_kwargs(m: Manifest, annotations: bool = True) -> list[tuple[str, Expr]]:
    out: list[tuple[str, Expr]] = []
    if m.meta.get("labels") is not None:
        out.append(("labels", lit(m.meta["labels"])))
    if annotations and m.meta.get("annotations") is not None:
        out.append(("annotations", lit(m.meta["annotations"])))
    return out


def pod_kwargs(raw: Any, opts: Options) -> list[tuple[str, Expr]] | None:
    """A pod spec as keyword arguments (`containers=[...]`, `volumes=[...]`, ...)."""
    if not isinstance(raw, dict):
        return None
    try:
        pod = k8s.PodSpec.model_validate(raw)
    except Exception:
        return None
    return field_kwargs(pod, raw, opts)


def _template(spec: dict[str, Any], annotations: bool) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(template metadata, pod spec) of a workload whose template metadata has labels."""
    template = spec.get("template")
    if not isinstance(template, dict) or set(template) - {"metadata", "spec"}:
        return None
    meta = template.get("metadata")
    allowed = {"labels", "annotations"} if annotations else {"labels"}
    if not isinstance(meta, dict) or set(meta) - allowed or not isinstance(meta.get("labels"), dict):
        return None
    return meta, template.get("spec") or {}


def _selector(spec: dict[str, Any]) -> dict[str, Any] | None:
    selector = spec.get("selector")
    if not isinstance(selector, dict) or set(selector) != {"matchLabels"}:
        return None
    labels = selector["matchLabels"]
    return labels if isinstance(labels, dict) and labels else None


def _finish(
    ctx: Context, m: Manifest, func: Any, args: tuple[Expr, ...], kwargs: list[tuple[str, Expr]], id: str
) -> Piece | None:
    stmt = Stmt(Call(name_of(func), args, tuple(kwargs)))
    stmts = _with_gpu(ctx, m, stmt) if m.kind == "StatefulSet" else None
    if stmts is None:
        if not ctx.scratch.matches([stmt], [m]):
            return None
        stmts = [stmt]
    ctx.take_id("self", id)
    return Piece(stmts, [m], rank_of(m.kind))


def _id(m: Manifest, ctx: Context, kwargs: list[tuple[str, Expr]], default: str | None = None) -> str:
    """The object's construct id, passed as `id=` only when it is not the short form's own
    default (`name`, or `default` such as `<name>-service`)."""
    if default is not None and ctx.in_main(m) and ctx.free_id("self", default) == default:
        return default
    id = ctx.object_id(m)
    if id != (default or m.name):
        kwargs.append(("id", Const(id)))
    return id


def workload_kwargs(
    m: Manifest, spec: dict[str, Any], opts: Options, annotations: bool
) -> tuple[list[tuple[str, Expr]], list[tuple[str, Expr]]] | None:
    """(workload keyword arguments, pod keyword arguments) shared by Deployments and StatefulSets."""
    selector = _selector(spec)
    got = _template(spec, annotations)
    if selector is None or got is None:
        return None
    meta, pod_raw = got
    pod = pod_kwargs(pod_raw, opts)
    if pod is None:
        return None
    kwargs: list[tuple[str, Expr]] = [("selector", lit(selector)), *_meta_kwargs(m, annotations)]
    if "replicas" not in spec:
        kwargs.append(("replicas", Const(None)))
    elif spec["replicas"] != 1:
        kwargs.append(("replicas", lit(spec["replicas"])))
    if meta["labels"] != selector:
        kwargs.append(("pod_labels", lit(meta["labels"])))
    if meta.get("annotations") is not None:
        kwargs.append(("pod_annotations", lit(meta["annotations"])))
    return kwargs, pod


def deployment_stmt(m: Manifest, ctx: Context, opts: Options) -> tuple[Stmt, str] | None:
    """`deployment(self, name, selector=..., containers=[...], ...)` and its id, unchecked."""
    spec = _plain(
        m, "Deployment", "apps/v1", ctx, {"replicas", "selector", "strategy", "revisionHistoryLimit", "template"}
    )
    if spec is None:
        return None
    got = workload_kwargs(m, spec, opts, annotations=True)
    if got is None:
        return None
    kwargs, pod = got
    strategy = spec.get("strategy")
    if isinstance(strategy, dict):
        if set(strategy) == {"type"} and isinstance(strategy["type"], str):
            kwargs.append(("strategy", Const(strategy["type"])))
        else:
            try:
                kwargs.append(("strategy", model_expr(k8s.DeploymentStrategy.model_validate(strategy), strategy, opts)))
            except Exception:
                return None
    if "revisionHistoryLimit" in spec:
        kwargs.append(("revision_history_limit", lit(spec["revisionHistoryLimit"])))
    id = _id(m, ctx, kwargs)
    return Stmt(Call(name_of(deployment), (Local("self"), Const(m.name)), tuple(kwargs + pod))), id


def _pod_of(m: Manifest) -> dict[str, Any]:
    try:
        pod = m.body["spec"]["template"]["spec"]
    except (KeyError, TypeError):
        return {}
    return pod if isinstance(pod, dict) else {}


def _with_gpu(ctx: Context, m: Manifest, stmt: Stmt) -> list[Stmt] | None:
    """`gpu = POOL.request(n)` and the workload asking it, when that renders `m` exactly."""
    got = gpu_variant(stmt, _pod_of(m), ctx)
    if got is None:
        return None
    setup, call, var = got
    if ctx.scratch.matches([setup, call], [m]):
        return [setup, call]
    ctx.variables.discard(var)
    return None


def deployment_piece(m: Manifest, ctx: Context, opts: Options) -> Piece | None:
    """`deployment(...)`, kept when it renders `m` exactly (asking a GPU pool when it can)."""
    got = deployment_stmt(m, ctx, opts)
    if got is None:
        return None
    stmts = _with_gpu(ctx, m, got[0])
    if stmts is None:
        if not ctx.scratch.matches([got[0]], [m]):
            return None
        stmts = [got[0]]
    ctx.take_id("self", got[1])
    return Piece(stmts, [m], rank_of(m.kind))


def statefulset_piece(m: Manifest, ctx: Context, opts: Options) -> Piece | None:
    """`statefulset(self, name, selector=..., service_name=..., volume_claim_templates=[...], ...)`."""
    spec = _plain(
        m, "StatefulSet", "apps/v1", ctx, {"replicas", "selector", "serviceName", "template", "volumeClaimTemplates"}
    )
    if spec is None or m.meta.get("annotations") is not None:
        return None
    got = workload_kwargs(m, spec, opts, annotations=False)
    if got is None:
        return None
    kwargs, pod = got
    if "serviceName" in spec:
        kwargs.insert(0, ("service_name", lit(spec["serviceName"])))
    templates = spec.get("volumeClaimTemplates")
    if templates is not None:
        if not isinstance(templates, list):
            return None
        try:
            value = [k8s.PersistentVolumeClaim.model_validate(t) for t in templates]
        except Exception:
            return None
        claims = value_expr(value, templates, opts)
        kwargs.append(("volume_claim_templates", claims))
    id = _id(m, ctx, kwargs)
    return _finish(ctx, m, statefulset, (Local("self"), Const(m.name)), kwargs + pod, id)


def _port(raw: Any, opts: Options) -> Expr | None:
    if not isinstance(raw, dict) or "targetPort" not in raw or "port" not in raw:
        return None
    try:
        model = k8s.ServicePort.model_validate(raw)
    except Exception:
        return None
    args: list[Expr] = [Const(raw.get("name")), Const(raw["port"])]
    kwargs = field_kwargs(model, raw, opts, skip=frozenset({"name", "port", "target_port", "protocol"}))
    if raw["targetPort"] != raw["port"]:
        args.append(Const(raw["targetPort"]))
    protocol = raw.get("protocol")
    if protocol is None:
        kwargs.insert(0, ("protocol", Const(None)))
    elif protocol != "TCP":
        kwargs.insert(0, ("protocol", Const(protocol)))
    return Call(name_of(port), tuple(args), tuple(kwargs))


def service_piece(m: Manifest, ctx: Context, opts: Options) -> Piece | None:
    """`service(self, name, selector=..., ports=[port(...)], ...)`."""
    if (m.kind, m.api_version) != ("Service", "v1") or not ctx.in_main(m):
        return None
    if set(m.meta) - _META or set(m.body) - {"apiVersion", "kind", "metadata", "spec", "status"}:
        return None
    spec = m.body.get("spec")
    if not isinstance(spec, dict) or not isinstance(spec.get("ports"), list):
        return None
    try:
        model = k8s.ServiceSpec.model_validate(spec)
    except Exception:
        return None
    ports: list[Expr] = []
    for raw in spec["ports"]:
        got = _port(raw, opts)
        if got is None:
            got = model_expr(k8s.ServicePort.model_validate(raw), raw, opts)
        ports.append(got)
    kwargs: list[tuple[str, Expr]] = [("selector", lit(spec.get("selector")))]
    kwargs.append(("ports", ListOf(tuple(ports))))
    kwargs += _meta_kwargs(m)
    if "type" not in spec:
        kwargs.append(("type", Const(None)))
    elif spec["type"] != "ClusterIP":
        kwargs.append(("type", lit(spec["type"])))
    kwargs += field_kwargs(model, spec, opts, skip=frozenset({"selector", "ports", "type"}))
    id = _id(m, ctx, kwargs, f"{m.name}-service")
    return _finish(ctx, m, service, (Local("self"), Const(m.name)), kwargs, id)


def claim_piece(m: Manifest, ctx: Context, opts: Options) -> Piece | None:
    """`claim(self, name, size, ...)`: one access mode and a storage request."""
    spec = _plain(m, "PersistentVolumeClaim", "v1", ctx, {"accessModes", "resources", "storageClassName", "volumeName"})
    if spec is None:
        return None
    modes = spec.get("accessModes")
    resources = spec.get("resources")
    if not isinstance(modes, list) or len(modes) != 1 or resources != {"requests": {"storage": _size(resources)}}:
        return None
    kwargs: list[tuple[str, Expr]] = []
    if "storageClassName" not in spec:
        kwargs.append(("storage_class", Const(None)))
    elif spec["storageClassName"] != "nfs-csi-v2":
        kwargs.append(("storage_class", lit(spec["storageClassName"])))
    if modes[0] != "ReadWriteMany":
        kwargs.append(("access", lit(modes[0])))
    kwargs += _meta_kwargs(m)
    if "volumeName" in spec:
        kwargs.append(("volume_name", lit(spec["volumeName"])))
    id = _id(m, ctx, kwargs)
    return _finish(ctx, m, claim, (Local("self"), Const(m.name), lit(_size(resources))), kwargs, id)


def _size(resources: Any) -> Any:
    try:
        return resources["requests"]["storage"]
    except (KeyError, TypeError):
        return None


_CRON_DEFAULTS = {
    "concurrencyPolicy": ("concurrency", "Forbid"),
    "successfulJobsHistoryLimit": ("successful", 3),
    "failedJobsHistoryLimit": ("failed", 3),
}
_CRON_OPTIONAL = {"timeZone": "time_zone", "startingDeadlineSeconds": "starting_deadline", "suspend": "suspend"}
_JOB_FIELDS = {
    "backoffLimit": "backoff_limit",
    "activeDeadlineSeconds": "active_deadline",
    "completions": "completions",
    "parallelism": "parallelism",
}


def cronjob_piece(m: Manifest, ctx: Context, opts: Options) -> Piece | None:
    """`cronjob(self, name, schedule, containers=[...], ...)`."""
    spec = _plain(m, "CronJob", "batch/v1", ctx, {"schedule", "jobTemplate", *_CRON_DEFAULTS, *_CRON_OPTIONAL})
    if spec is None or not isinstance(spec.get("schedule"), str):
        return None
    job_template = spec.get("jobTemplate")
    if not isinstance(job_template, dict) or set(job_template) - {"metadata", "spec"}:
        return None
    job_meta = job_template.get("metadata")
    if job_meta is not None and (not isinstance(job_meta, dict) or set(job_meta) != {"labels"}):
        return None
    job = job_template.get("spec")
    if not isinstance(job, dict) or set(job) - {"template", "ttlSecondsAfterFinished", *_JOB_FIELDS}:
        return None
    template = job.get("template")
    if not isinstance(template, dict) or set(template) - {"metadata", "spec"}:
        return None
    pod_meta = template.get("metadata")
    if pod_meta is not None and (
        not isinstance(pod_meta, dict) or not pod_meta or set(pod_meta) - {"labels", "annotations"}
    ):
        return None
    pod_raw = dict(template.get("spec") or {})
    restart = pod_raw.pop("restartPolicy", None)
    pod = pod_kwargs(pod_raw, opts)
    if pod is None:
        return None
    kwargs: list[tuple[str, Expr]] = _meta_kwargs(m)
    if pod_meta is not None:
        if "labels" in pod_meta:
            kwargs.append(("pod_labels", lit(pod_meta["labels"])))
        if "annotations" in pod_meta:
            kwargs.append(("pod_annotations", lit(pod_meta["annotations"])))
    if job_meta is not None:
        kwargs.append(("job_labels", lit(job_meta["labels"])))
    for key, (arg, default) in _CRON_DEFAULTS.items():
        if key not in spec:
            kwargs.append((arg, Const(None)))
        elif spec[key] != default:
            kwargs.append((arg, lit(spec[key])))
    if "ttlSecondsAfterFinished" not in job:
        kwargs.append(("ttl", Const(None)))
    elif job["ttlSecondsAfterFinished"] != 86400:
        kwargs.append(("ttl", lit(job["ttlSecondsAfterFinished"])))
    for key, arg in _CRON_OPTIONAL.items():
        if key in spec:
            kwargs.append((arg, lit(spec[key])))
    for key, arg in _JOB_FIELDS.items():
        if key in job:
            kwargs.append((arg, lit(job[key])))
    if restart is None:
        kwargs.append(("restart_policy", Const(None)))
    elif restart != "Never":
        kwargs.append(("restart_policy", lit(restart)))
    id = _id(m, ctx, kwargs)
    return _finish(ctx, m, cronjob, (Local("self"), Const(m.name), Const(spec["schedule"])), kwargs + pod, id)


def _backend(raw: Any) -> tuple[str, int | str] | None:
    try:
        svc = raw["service"]
        port_ = svc["port"]
    except (KeyError, TypeError):
        return None
    if set(raw) != {"service"} or set(svc) != {"name", "port"} or not isinstance(port_, dict) or len(port_) != 1:
        return None
    if "number" in port_ and isinstance(port_["number"], int):
        return str(svc["name"]), port_["number"]
    if "name" in port_ and isinstance(port_["name"], str):
        return str(svc["name"]), port_["name"]
    return None


def ingress_piece(m: Manifest, ctx: Context, opts: Options) -> Piece | None:
    """`ingress(self, name, hosts=[...], service=..., port=..., tls_secret=..., ...)`."""
    spec = _plain(m, "Ingress", "networking.k8s.io/v1", ctx, {"ingressClassName", "rules", "tls"})
    if spec is None or not isinstance(spec.get("rules"), list) or not spec["rules"]:
        return None
    hosts: list[str] = []
    paths_raw: Any = None
    for rule in spec["rules"]:
        if not isinstance(rule, dict) or set(rule) != {"host", "http"} or not isinstance(rule["http"], dict):
            return None
        if set(rule["http"]) != {"paths"} or (paths_raw is not None and rule["http"]["paths"] != paths_raw):
            return None
        hosts.append(rule["host"])
        paths_raw = rule["http"]["paths"]
    if not isinstance(paths_raw, list) or not paths_raw:
        return None
    paths: list[tuple[str, int | str, str, str]] = []
    for p in paths_raw:
        if not isinstance(p, dict) or set(p) != {"backend", "path", "pathType"}:
            return None
        backend = _backend(p["backend"])
        if backend is None:
            return None
        paths.append((backend[0], backend[1], p["path"], p["pathType"]))
    kwargs: list[tuple[str, Expr]] = [("hosts", lit(hosts))]
    if len(paths) == 1 and paths[0][2:] == ("/", "Prefix"):
        kwargs += [("service", Const(paths[0][0])), ("port", Const(paths[0][1]))]
    else:
        calls: list[Expr] = []
        for svc, port_, path_, path_type in paths:
            args: tuple[Expr, ...] = (Const(svc), Const(port_))
            if (path_, path_type) != ("/", "Prefix"):
                args += (Const(path_),)
            if path_type != "Prefix":
                args += (Const(path_type),)
            calls.append(Call(name_of(path), args))
        kwargs.append(("paths", ListOf(tuple(calls))))
    annotations = dict(m.meta.get("annotations") or {})
    issuer = annotations.pop("cert-manager.io/cluster-issuer", None)
    if issuer is None:
        kwargs.append(("issuer", Const(None)))
    elif issuer != "letsencrypt-production":
        kwargs.append(("issuer", Const(issuer)))
    tls = spec.get("tls")
    if tls is not None:
        if not isinstance(tls, list) or len(tls) != 1 or not isinstance(tls[0], dict):
            return None
        if set(tls[0]) != {"hosts", "secretName"}:
            return None
        kwargs.append(("tls_secret", lit(tls[0]["secretName"])))
        if tls[0]["hosts"] != hosts:
            kwargs.append(("tls_hosts", lit(tls[0]["hosts"])))
    if "ingressClassName" not in spec:
        kwargs.append(("ingress_class", Const(None)))
    elif spec["ingressClassName"] != "traefik":
        kwargs.append(("ingress_class", lit(spec["ingressClassName"])))
    if annotations:
        kwargs.append(("annotations", lit(annotations)))
    if m.meta.get("labels") is not None:
        kwargs.append(("labels", lit(m.meta["labels"])))
    id = _id(m, ctx, kwargs, f"{m.name}-ingress")
    return _finish(ctx, m, ingress, (Local("self"), Const(m.name)), kwargs, id)


def script_job_piece(m: Manifest, ctx: Context, opts: Options) -> Piece | None:
    """`script_job(self, name, script=..., image=..., account=..., container=...)`: a Job running
    one script with `<shell> -c` as a ServiceAccount."""
    if (m.kind, m.api_version) != ("Job", "batch/v1") or not ctx.in_main(m) or set(m.meta) - _META:
        return None
    spec = m.body.get("spec")
    if not isinstance(spec, dict) or set(spec) - {"template", "ttlSecondsAfterFinished"}:
        return None
    template = spec.get("template")
    if not isinstance(template, dict) or set(template) != {"spec"} or not isinstance(template["spec"], dict):
        return None
    pod = template["spec"]
    if set(pod) != {"containers", "restartPolicy", "serviceAccountName"} or not isinstance(pod["containers"], list):
        return None
    if len(pod["containers"]) != 1 or pod["restartPolicy"] not in ("OnFailure", "Never"):
        return None
    container = pod["containers"][0]
    if not isinstance(container, dict) or set(container) != {"name", "image", "command"}:
        return None
    command = container["command"]
    if not isinstance(command, list) or len(command) != 3 or command[1] != "-c" or not isinstance(command[2], str):
        return None
    script = command[2]
    body: Expr = Const(script)
    if len(script.splitlines()) > LONG_SCRIPT_LINES and "\r" not in script:
        body = FileText(ctx.file_key(m.name, f"{container['name']}.sh"), script)
    kwargs: list[tuple[str, Expr]] = [
        ("script", body),
        ("image", lit(container["image"])),
        ("account", lit(pod["serviceAccountName"])),
        ("container", lit(container["name"])),
    ]
    if command[0] != "/bin/bash":
        kwargs.append(("shell", lit(command[0])))
    if pod["restartPolicy"] != "OnFailure":
        kwargs.append(("restart_policy", lit(pod["restartPolicy"])))
    if "ttlSecondsAfterFinished" in spec:
        kwargs.append(("ttl_s", lit(spec["ttlSecondsAfterFinished"])))
    kwargs += _meta_kwargs(m)
    id = _id(m, ctx, kwargs)
    piece = _finish(ctx, m, script_job, (Local("self"), Const(m.name)), kwargs, id)
    if piece is not None and isinstance(body, FileText):
        ctx.files[body.key] = body.text
    return piece
