"""The multi-object patterns around a workload: cloudflared tunnels (`CloudflareTunnel`),
Tailscale sidecars (`TailscaleSidecar`) and the legacy Docker Hub pull-secret Job
(`LegacyPullSecret`).

Their options are read off the objects (the tunnel's config, parsed into typed routes and
layout by `fako.importer.cloudflared`; the Deployment's probes, resources and volumes; the
sidecar's env; the Job's script) and every combination the
objects leave open is tried in the scratch tree; the first one that renders all the
pattern's objects exactly is taken, otherwise the objects go their separate ways.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic.alias_generators import to_camel

from fako import k8s
from fako.constructs.base import Spec
from fako.importer.cloudflared import parse_config
from fako.importer.code import Attr, Call, Const, Expr, ListOf, Local, Name, Star, Stmt, TupleOf, lit
from fako.importer.context import Context, Piece, rank_of
from fako.importer.loading import Manifest
from fako.importer.secrets import Store
from fako.importer.typed import Options, model_expr, name_of
from fako.importer.workloads import deployment_stmt
from fako.patterns import tailscale, tunnel
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.overrides import PROBE_FIELDS
from fako.patterns.tailscale import TailscaleSidecar, TailscaleSpec
from fako.patterns.tunnel import (
    LIVENESS,
    PROFILES,
    READINESS,
    CloudflareTunnel,
    CloudflareTunnelSpec,
    ProbeTimings,
    TunnelLayout,
    TunnelRoute,
)

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


def _route_expr(route: TunnelRoute) -> Expr:
    if route == TunnelRoute(hostname=route.hostname, service=route.service):
        return TupleOf((Const(route.hostname), Const(route.service)))
    return _spec_expr(route)


def _public(obj: Any, name: str) -> Name:
    """`name` as `fako.patterns.tunnel` exports it (the classes and constants apps import)."""
    return Name(name, tunnel.__name__, name, obj)


def _spec_expr(model: Spec) -> Expr:
    """`Model(field=value, ...)` for the fields that differ from their defaults, in field order;
    the sample comments as the tunnel module's constants (`HELLO_WORLD_COMMENT`, `DOCS.header`)."""
    kwargs: list[tuple[str, Expr]] = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if value == info.get_default(call_default_factory=True):
            continue
        if isinstance(model, TunnelLayout) and isinstance(value, str) and value == getattr(tunnel.DOCS, name):
            kwargs.append((name, Attr(_public(tunnel.DOCS, "DOCS"), name)))
        else:
            kwargs.append((name, _value(value)))
    cls = type(model)
    return Call(_public(cls, cls.__name__) if cls.__name__ in tunnel.__all__ else name_of(cls), kwargs=tuple(kwargs))


def _timings(preset: dict[str, Any], probe: dict[str, Any]) -> ProbeTimings | None:
    """The timings that turn the preset's probe into `probe` (None when they agree)."""
    changed: dict[str, Any] = {}
    for name, field in PROBE_FIELDS.items():
        key = to_camel(field)
        if probe.get(key) != preset.get(field):
            changed[name] = probe.get(key, "default")
    try:
        return ProbeTimings(**changed) if changed else None
    except ValueError:
        return None


def _probe_options(container: dict[str, Any]) -> list[tuple[str, Any]]:
    """`probes` and the liveness/readiness timings closest to the container's probes."""
    live = container.get("livenessProbe") or {}
    if "readinessProbe" in container:
        options: list[tuple[str, Any]] = [("probes", "readiness")]
        readiness = _timings(READINESS, container["readinessProbe"] or {})
        liveness = _timings(LIVENESS["readiness"], live)
        options += [("liveness", liveness)] if liveness else []
        return options + ([("readiness", readiness)] if readiness else [])
    presets = ("liveness", "relaxed") if "failureThreshold" in live else ("relaxed", "liveness")
    best = min(presets, key=lambda p: len((_timings(LIVENESS[p], live) or ProbeTimings()).model_fields_set))
    timings = _timings(LIVENESS[best], live)
    options = [] if best == "liveness" else [("probes", best)]
    return options + ([("liveness", timings)] if timings else [])


def _resource_options(container: dict[str, Any]) -> list[tuple[str, Any]] | None:
    """The `resources` profile (+ per-resource overrides) closest to the container's resources."""
    res = container.get("resources") or {}
    req, lim = res.get("requests"), res.get("limits")
    if not isinstance(req, dict) or not isinstance(lim, dict) or set(res) != {"requests", "limits"}:
        return None
    best: list[tuple[str, Any]] | None = None
    for profile, (preq, plim) in PROFILES.items():
        if not set(preq) <= set(req) or not set(plim) <= set(lim):
            continue
        options: list[tuple[str, Any]] = [] if profile == "small" else [("resources", profile)]
        over_req = {k: v for k, v in req.items() if preq.get(k) != v}
        over_lim = {k: v for k, v in lim.items() if plim.get(k) != v}
        options += [("requests", over_req)] if over_req else []
        options += [("limits", over_lim)] if over_lim else []
        if best is None or len(over_req) + len(over_lim) < _overridden(best):
            best = options
    return best


def _overridden(options: list[tuple[str, Any]]) -> int:
    return sum(len(v) for k, v in options if k in ("requests", "limits"))


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
    parsed = parse_config(text)
    resource_options = _resource_options(containers[0])
    if parsed is None or resource_options is None:
        return []
    container, pod = containers[0], _pod(deploy)
    fields: list[tuple[str, Any]] = [("tunnel", parsed.pop("tunnel"))]
    config_fields = list(parsed.items())
    replicas = (deploy.body.get("spec") or {}).get("replicas")
    extra: list[tuple[str, Any]] = []
    if replicas != 2:
        extra.append(("replicas", replicas))
    extra += resource_options
    extra += _probe_options(container)
    strategy = (deploy.body.get("spec") or {}).get("strategy")
    if isinstance(strategy, dict):
        try:
            model = k8s.DeploymentStrategy.model_validate(strategy)
        except ValueError:
            return []
        typed = set(strategy) == {"type"}
        extra.append(("strategy", Const(strategy["type"]) if typed else model_expr(model, strategy, Options())))
    if "revisionHistoryLimit" in (deploy.body.get("spec") or {}):
        extra.append(("revision_history_limit", deploy.body["spec"]["revisionHistoryLimit"]))
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
                if objects and objects[0].kind == "Secret":
                    ctx.sops_files.add(f"{ctx.app}/{objects[0].name}.sops.yaml")
                return [Piece([stmt], covers, rank_of("Deployment"))]
    return []


_COMMENTS = {tunnel.HELLO_WORLD_COMMENT: "HELLO_WORLD_COMMENT", tunnel.CATCH_ALL_COMMENT: "CATCH_ALL_COMMENT"}


def _value(value: Any) -> Expr:
    if isinstance(value, (Call, Const)):
        return value
    if isinstance(value, str) and value in _COMMENTS:
        return _public(value, _COMMENTS[value])
    if isinstance(value, tuple) and all(isinstance(r, TunnelRoute) for r in value):
        return TupleOf(tuple(_route_expr(r) for r in value))
    if isinstance(value, Spec):
        return _spec_expr(value)
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
    res = sidecar.get("resources") or {}
    for name, pattern in (("requests", tailscale.REQUESTS), ("limits", tailscale.LIMITS)):
        given = res.get(name) or {}
        changed = {k: v for k, v in given.items() if pattern.get(k) != v} if isinstance(given, dict) else {}
        if changed:
            fields.append((name, changed))
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
