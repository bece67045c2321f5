"""The multi-object patterns around a workload: cloudflared tunnels (`CloudflareTunnel`),
Tailscale sidecars (`TailscaleSidecar`) and the legacy Docker Hub pull-secret Job
(`LegacyPullSecret`).

Their options are read off the objects (the tunnel's config, the Deployment's probes,
resources and volumes; the sidecar's env; the Job's script) and every combination the
objects leave open is tried in the scratch tree; the first one that renders all the
pattern's objects exactly is taken, otherwise the objects go their separate ways.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any, Literal

from fako.importer.code import Attr, Call, Const, Expr, FileText, ListOf, Local, Star, Stmt, TupleOf, lit
from fako.importer.context import Context, Piece, rank_of
from fako.importer.loading import Manifest
from fako.importer.secrets import Store
from fako.importer.typed import Options, name_of
from fako.importer.workloads import deployment_stmt
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.tailscale import TailscaleSidecar, TailscaleSpec
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec, TunnelRoute
from fako.validation.safe_yaml import load_documents

__all__ = ["legacy_pull_pieces", "sidecar_pieces", "tunnel_pieces"]


def _find(ctx: Context, kind: str, name: str, api: str | None = None) -> Manifest | None:
    for m in ctx.remaining():
        if m.kind == kind and m.name == name and ctx.in_main(m) and (api is None or m.api_version == api):
            return m
    return None


def _containers(m: Manifest) -> list[dict[str, Any]]:
    try:
        items = m.body["spec"]["template"]["spec"]["containers"]
    except (KeyError, TypeError):
        return []
    return [c for c in items if isinstance(c, dict)] if isinstance(items, list) else []


def _pod(m: Manifest) -> dict[str, Any]:
    try:
        pod = m.body["spec"]["template"]["spec"]
    except (KeyError, TypeError):
        return {}
    return pod if isinstance(pod, dict) else {}


# -- cloudflared ------------------------------------------------------------------------------


def _routes(config: str) -> list[TunnelRoute] | None:
    try:
        docs = [d for _, d in load_documents(config)]
    except Exception:
        return None
    if len(docs) != 1 or not isinstance(docs[0], dict) or not isinstance(docs[0].get("ingress"), list):
        return None
    routes = []
    for rule in docs[0]["ingress"]:
        if not isinstance(rule, dict) or "hostname" not in rule:
            continue
        try:
            routes.append(
                TunnelRoute(
                    hostname=rule["hostname"], service=rule["service"], origin_request=rule.get("originRequest")
                )
            )
        except Exception:
            return None
    return routes


def _route_expr(route: TunnelRoute) -> Expr:
    if route.origin_request is None:
        return TupleOf((Const(route.hostname), Const(route.service)))
    kwargs = (
        ("hostname", Const(route.hostname)),
        ("service", Const(route.service)),
        ("origin_request", lit(route.origin_request)),
    )
    return Call(name_of(TunnelRoute), kwargs=kwargs)


def _tunnel_name(config: str) -> str | None:
    found = re.search(r"^tunnel:\s*(\S+)\s*$", config, re.MULTILINE)
    return found.group(1) if found else None


def _config_options(tunnel: str, routes: list[TunnelRoute], text: str) -> list[tuple[str, Any]] | None:
    """The routes and style options that render `text`, if any do."""
    styles: tuple[Literal["compact", "docs"], ...] = ("compact", "docs")
    for style, indent, hello in itertools.product(styles, (0, 2), (False, True)):
        used = [r for r in routes if not (hello and r.hostname == "hello.example.com")]
        pairs = tuple(r if r.origin_request else (r.hostname, r.service) for r in used)
        try:
            spec = CloudflareTunnelSpec(tunnel=tunnel, routes=pairs, style=style, indent=indent, hello_world=hello)
        except Exception:
            continue
        if spec.render_config() == text:
            options: list[tuple[str, Any]] = [("routes", used)]
            if style != "compact":
                options.append(("style", style))
            if indent:
                options.append(("indent", indent))
            if hello:
                options.append(("hello_world", True))
            return options
    return None


_PROFILES: dict[tuple[tuple[str, Any], ...], str] = {
    (("cpu", "25m"), ("memory", "32Mi"), ("cpu", "100m"), ("memory", "128Mi")): "small",
    (("cpu", "100m"), ("memory", "128Mi"), ("cpu", "300m"), ("memory", "256Mi")): "medium",
    (("cpu", "250m"), ("memory", "128Mi"), ("cpu", "500m"), ("memory", "256Mi")): "large",
}


def _profile(container: dict[str, Any]) -> str | None:
    res = container.get("resources") or {}
    req, lim = res.get("requests") or {}, res.get("limits") or {}
    key = (
        ("cpu", req.get("cpu")),
        ("memory", req.get("memory")),
        ("cpu", lim.get("cpu")),
        ("memory", lim.get("memory")),
    )
    return _PROFILES.get(key)


def _probes(container: dict[str, Any]) -> str:
    live = container.get("livenessProbe") or {}
    if "readinessProbe" in container:
        return "readiness"
    if live.get("failureThreshold") == 1:
        return "liveness"
    return "relaxed"


def _credentials(
    ctx: Context, secret_name: str, stores: list[Store]
) -> Iterator[tuple[list[tuple[str, Any]], list[Manifest], Store | None]]:
    """(spec options, credential objects, store) for each way the credentials may be made."""
    sops = _find(ctx, "Secret", secret_name, "v1")
    if sops is not None:
        yield [], [sops], None
    for es_name, kind in (("tunnel-credentials-secret", "aws"), (secret_name, "aws-string"), (secret_name, "aws-raw")):
        es = _find(ctx, "ExternalSecret", es_name)
        if es is None:
            continue
        spec = es.body.get("spec") or {}
        ref = spec.get("secretStoreRef")
        store = next((s for s in stores if ref == {"kind": "SecretStore", "name": s.name}), None)
        data = spec.get("data")
        if store is None or not isinstance(data, list) or len(data) != 1 or not isinstance(data[0], dict):
            continue
        remote = data[0].get("remoteRef") or {}
        key = str(remote.get("key"))
        options: list[tuple[str, Any]] = [("credentials", kind)]
        with_property = kind != "aws" and "property" in remote
        remote_key = f"{key}#{remote['property']}" if with_property else key
        if remote_key != f"{ctx.namespace}/cloudflare-tunnel":
            options.append(("remote_key", remote_key))
        yield options, [es], store
    yield [("credentials", "external")], [], None


def _volumes_style(pod: dict[str, Any]) -> str:
    volumes = pod.get("volumes") or []
    names = [v.get("name") for v in volumes if isinstance(v, dict)]
    if names[:1] == ["config"]:
        return "config-first"
    config = next((v for v in volumes if isinstance(v, dict) and v.get("name") == "config"), {})
    return "items" if (config.get("configMap") or {}).get("items") else "plain"


def _secret_name(pod: dict[str, Any]) -> str | None:
    for v in pod.get("volumes") or []:
        if isinstance(v, dict) and v.get("name") == "creds":
            return (v.get("secret") or {}).get("secretName")
    return None


def tunnel_pieces(ctx: Context, stores: list[Store]) -> list[Piece]:
    """The `cloudflared` Deployment, its ConfigMap and credentials as one `CloudflareTunnel`."""
    deploy = _find(ctx, "Deployment", "cloudflared", "apps/v1")
    config_map = _find(ctx, "ConfigMap", "cloudflared", "v1")
    if deploy is None or config_map is None:
        return []
    text = (config_map.body.get("data") or {}).get("config.yaml")
    containers = _containers(deploy)
    secret_name = _secret_name(_pod(deploy))
    if not isinstance(text, str) or len(containers) != 1 or secret_name is None:
        return []
    tunnel = _tunnel_name(text)
    routes = _routes(text)
    if tunnel is None or routes is None:
        return []
    container, pod = containers[0], _pod(deploy)
    profile = _profile(container)
    if profile is None:
        return []
    fields: list[tuple[str, Any]] = [("tunnel", tunnel)]
    rendered = _config_options(tunnel, routes, text)
    file_key = ctx.file_key("cloudflared", "cloudflared.yaml")
    config_fields = rendered or [("routes", routes), ("config", FileText(file_key, text))]
    replicas = (deploy.body.get("spec") or {}).get("replicas")
    extra: list[tuple[str, Any]] = []
    if replicas != 2:
        extra.append(("replicas", replicas))
    if profile != "small":
        extra.append(("resources", profile))
    if _probes(container) != "liveness":
        extra.append(("probes", _probes(container)))
    pulls = pod.get("imagePullSecrets") or []
    if pulls:
        extra.append(("pull_secret", pulls[0].get("name")))
    if _volumes_style(pod) != "items":
        extra.append(("volumes", _volumes_style(pod)))
    labels = config_map.meta.get("labels")
    if labels is not None:
        extra.append(("labels", labels))
    template_labels = ((deploy.body["spec"].get("template") or {}).get("metadata") or {}).get("labels")
    if container.get("image") != "cloudflare/cloudflared:2025.11.1":
        extra.append(("image", container.get("image")))
    if secret_name != "tunnel-credentials":
        extra.append(("secret_name", secret_name))
    id = ctx.free_id("self", "tunnel")
    for creds, objects, store in _credentials(ctx, secret_name, stores):
        for with_labels in (False, True):
            deployment_labels = [("deployment_labels", template_labels)] if with_labels and template_labels else []
            if with_labels and not deployment_labels:
                continue
            options = fields + config_fields + extra + deployment_labels + creds
            kwargs = [(k, _value(v)) for k, v in options]
            args: tuple[Expr, ...] = (Local("self"), Call(name_of(CloudflareTunnelSpec), kwargs=tuple(kwargs)))
            call_kw: list[tuple[str, Expr]] = []
            if store is not None:
                call_kw.append(("store", Local(store.var)))
            if id != "tunnel":
                call_kw.append(("id", Const(id)))
            stmt = Stmt(Call(name_of(CloudflareTunnel), args, tuple(call_kw)))
            covers = [deploy, config_map, *objects]
            setup = [store.stmt] if store is not None else []
            if ctx.scratch.matches([stmt], covers, setup=setup):
                ctx.take_id("self", id)
                if any(isinstance(v, FileText) for _, v in options):
                    ctx.files[file_key] = text
                if objects and objects[0].kind == "Secret":
                    ctx.sops_files.add(f"{ctx.app}/{objects[0].name}.sops.yaml")
                return [Piece([stmt], covers, rank_of("Deployment"))]
    return []


def _value(value: Any) -> Expr:
    if isinstance(value, FileText):
        return value
    if isinstance(value, list) and value and isinstance(value[0], TunnelRoute):
        return TupleOf(tuple(_route_expr(r) for r in value))
    if isinstance(value, list) and not value:
        return TupleOf(())
    return lit(value)


# -- tailscale --------------------------------------------------------------------------------


def _env(container: dict[str, Any]) -> dict[str, Any]:
    return {str(e.get("name")): e.get("value") for e in container.get("env") or [] if isinstance(e, dict)}


def _swap_sidecar(expr: Expr, ts: str) -> Expr:
    """The deployment call with the sidecar's container and volumes as `ts.container`/`ts.volumes`."""
    if not isinstance(expr, Call):
        return expr
    kwargs = []
    for key, value in expr.kwargs:
        if key == "containers" and isinstance(value, ListOf):
            value = ListOf(tuple(Attr(Local(ts), "container") if _named(i, "tailscale") else i for i in value.items))
        elif key == "volumes" and isinstance(value, ListOf):
            items: list[Expr] = []
            values = list(value.items)
            i = 0
            while i < len(values):
                if _named(values[i], "serve") and i + 1 < len(values) and _named(values[i + 1], "tsstate"):
                    items.append(Star(Attr(Local(ts), "volumes")))
                    i += 2
                    continue
                if _named(values[i], "serve"):
                    items.append(Attr(Local(ts), "serve_volume"))
                elif _named(values[i], "tsstate"):
                    items.append(Attr(Local(ts), "state_volume"))
                else:
                    items.append(values[i])
                i += 1
            value = ListOf(tuple(items)) if items != [Star(Attr(Local(ts), "volumes"))] else Attr(Local(ts), "volumes")
        kwargs.append((key, value))
    return Call(expr.func, expr.args, tuple(kwargs))


def _named(expr: Expr, name: str) -> bool:
    if not isinstance(expr, Call):
        return False
    if ("name", Const(name)) in expr.kwargs:
        return True
    return bool(expr.args) and expr.args[0] == Const(name)


def sidecar_pieces(ctx: Context, stores: list[Store]) -> list[Piece]:
    """A Deployment with a `tailscale` container, plus the sidecar's ConfigMap, state claim and
    auth key, as `TailscaleSidecar` + `deployment(...)`."""
    serve = _find(ctx, "ConfigMap", "tailscale-serve", "v1")
    authkey = _find(ctx, "ExternalSecret", "tailscale-authkey")
    if serve is None or authkey is None or not stores:
        return []
    spec = authkey.body.get("spec") or {}
    store = next((s for s in stores if spec.get("secretStoreRef") == {"kind": "SecretStore", "name": s.name}), None)
    if store is None:
        return []
    for deploy in [m for m in ctx.remaining() if m.kind == "Deployment" and ctx.in_main(m)]:
        sidecar = next((c for c in _containers(deploy) if c.get("name") == "tailscale"), None)
        if sidecar is None:
            continue
        claim_name = next(
            (
                (v.get("persistentVolumeClaim") or {}).get("claimName")
                for v in _pod(deploy).get("volumes") or []
                if isinstance(v, dict) and v.get("name") == "tsstate"
            ),
            None,
        )
        if not isinstance(claim_name, str) or not claim_name.endswith("-tailscale-state"):
            continue
        state = _find(ctx, "PersistentVolumeClaim", claim_name, "v1")
        if state is None:
            continue
        piece = _sidecar_piece(ctx, deploy, sidecar, serve, state, authkey, store, claim_name)
        if piece is not None:
            return [piece]
    return []


def _sidecar_piece(
    ctx: Context,
    deploy: Manifest,
    sidecar: dict[str, Any],
    serve: Manifest,
    state: Manifest,
    authkey: Manifest,
    store: Store,
    claim_name: str,
) -> Piece | None:
    env = _env(sidecar)
    key = claim_name[: -len("-tailscale-state")]
    fields: list[tuple[str, Any]] = [("hostname", env.get("TS_HOSTNAME")), ("key", key)]
    serve_json = (serve.body.get("data") or {}).get("serve.json", "")
    port = re.search(r"http://127\.0\.0\.1:(\d+)", str(serve_json))
    if port and int(port.group(1)) != 8080:
        fields.append(("port", int(port.group(1))))
    data = (authkey.body.get("spec") or {}).get("data") or [{}]
    if isinstance(data[0], dict) and (data[0].get("remoteRef") or {}).get("property") == "authkey":
        fields.append(("key_property", True))
    if sidecar.get("image") != "tailscale/tailscale:v1.80.0":
        fields.append(("image", sidecar.get("image")))
    tags = str(env.get("TS_EXTRA_ARGS", "")).removeprefix("--advertise-tags=")
    if tags != "tag:k8s":
        fields.append(("tags", tags))
    size = ((state.body.get("spec") or {}).get("resources") or {}).get("requests", {}).get("storage")
    if size != "64Mi":
        fields.append(("state_size", size))
    storage_class = (state.body.get("spec") or {}).get("storageClassName")
    if storage_class != "nfs-csi-v2":
        fields.append(("storage_class", storage_class))
    ts = ctx.variable("tailscale")
    id = ctx.free_id("self", "tailscale")
    kwargs: tuple[tuple[str, Expr], ...] = (("id", Const(id)),) if id != "tailscale" else ()
    spec = Call(name_of(TailscaleSpec), kwargs=tuple((k, lit(v)) for k, v in fields))
    ts_stmt = Stmt(Call(name_of(TailscaleSidecar), (Local("self"), Local(store.var), spec), kwargs), target=ts)
    for opts in (Options(short=True), Options(short=False)):
        got = deployment_stmt(deploy, ctx, opts)
        if got is None:
            continue
        stmt, deploy_id = got
        swapped = Stmt(_swap_sidecar(stmt.expr, ts))
        covers = [deploy, serve, state, authkey]
        if ctx.scratch.matches([ts_stmt, swapped], covers, setup=[store.stmt]):
            ctx.take_id("self", id)
            ctx.take_id("self", deploy_id)
            return Piece([ts_stmt, swapped], covers, rank_of("Deployment"))
    ctx.variables.discard(ts)
    return None


# -- legacy pull secret ---------------------------------------------------------------------------


def legacy_pull_pieces(ctx: Context) -> list[Piece]:
    """The kubectl Job that makes `dockerhub-registry`, with its SA, RBAC and SOPS credentials."""
    job = _find(ctx, "Job", "create-docker-registry-secret", "batch/v1")
    account = _find(ctx, "ServiceAccount", "docker-secret-creator", "v1")
    if job is None or account is None:
        return []
    containers = _pod(job).get("containers") or []
    if len(containers) != 1 or not isinstance(containers[0], dict):
        return []
    command = containers[0].get("command") or []
    script = command[-1] if command and isinstance(command[-1], str) else ""
    creds = re.search(r"kubectl get secret (\S+)", script)
    target = re.search(r"create secret docker-registry (\S+)", script)
    if creds is None or target is None:
        return []
    role = _find(ctx, "Role", "docker-secret-creator")
    binding = _find(ctx, "RoleBinding", "docker-secret-creator")
    secret = _find(ctx, "Secret", creds.group(1), "v1")
    kwargs: list[tuple[str, Any]] = []
    if target.group(1) != "dockerhub-registry":
        kwargs.append(("target", target.group(1)))
    if creds.group(1) != "dockerhub-credentials":
        kwargs.append(("credentials", creds.group(1)))
    if secret is None:
        kwargs.append(("sops", False))
    if role is None:
        kwargs.append(("role", False))
    if job.meta.get("labels") is not None:
        kwargs.append(("labels", job.meta["labels"]))
    if containers[0].get("image") != "bitnamilegacy/kubectl:1.33.4":
        kwargs.append(("image", containers[0].get("image")))
    id = ctx.free_id("self", "legacy-pull")
    if id != "legacy-pull":
        kwargs.insert(0, ("id", id))
    stmt = Stmt(Call(name_of(LegacyPullSecret), (Local("self"),), tuple((k, lit(v)) for k, v in kwargs)))
    covers = [m for m in (job, account, role, binding, secret) if m is not None]
    if not ctx.scratch.matches([stmt], covers):
        return []
    ctx.take_id("self", id)
    if secret is not None:
        ctx.sops_files.add(f"{ctx.app}/{secret.name}.sops.yaml")
    return [Piece([stmt], covers, rank_of("Job"))]
