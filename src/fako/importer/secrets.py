"""The namespace and secret patterns: `AppNamespace`, `AwsSecretStore` with its encrypted
credentials, ExternalSecrets through `store.secret(...)`, Docker Hub pull secrets.

Each candidate is derived from the input object, written with only the arguments that
differ from the pattern's defaults, and kept only when it renders the object exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fako.importer.code import Attr, Call, Const, Expr, Local, Name, Stmt, TupleOf, lit
from fako.importer.context import Context, Piece, rank_of
from fako.importer.loading import Manifest
from fako.importer.typed import Options, name_of
from fako.patterns import shared_secrets as shared
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.dockerhub import DOCKERHUB_KEY, dockerhub_pull_secret
from fako.patterns.local_store import LocalSecretStore, LocalSecretStoreSpec
from fako.patterns.namespace import RESTRICTED, AppNamespace, PodSecurity

__all__ = ["Store", "external_secret_piece", "local_store_pieces", "namespace_piece", "store_pieces"]

_PSS = ("enforce", "audit", "warn")


def namespace_piece(m: Manifest, ctx: Context) -> Piece | None:
    """The app's own Namespace as `AppNamespace(self, pss=..., labels=...)`."""
    if (m.kind, m.api_version) != ("Namespace", "v1") or m.name != ctx.namespace:
        return None
    if set(m.meta) - {"name", "labels"} or set(m.body) - {"apiVersion", "kind", "metadata"}:
        return None
    labels = dict(m.meta.get("labels") or {})
    levels = {
        mode: labels.pop(f"pod-security.kubernetes.io/{mode}")
        for mode in _PSS
        if f"pod-security.kubernetes.io/{mode}" in labels
    }
    kwargs: list[tuple[str, Expr]] = []
    if not levels:
        kwargs.append(("pss", Const(None)))
    elif levels == {"audit": "baseline", "warn": "baseline"}:
        pass
    elif levels == dict.fromkeys(_PSS, "restricted"):
        kwargs.append(("pss", Name("RESTRICTED", "fako.patterns.namespace", "RESTRICTED", RESTRICTED)))
    else:
        kwargs.append(("pss", Call(name_of(PodSecurity), kwargs=tuple((k, lit(v)) for k, v in levels.items()))))
    if labels:
        kwargs.append(("labels", lit(labels)))
    stmt = Stmt(Call(name_of(AppNamespace), (Local("self"),), tuple(kwargs)))
    if ctx.free_id("self", "namespace") != "namespace" or not ctx.scratch.matches([stmt], [m]):
        return None
    ctx.take_id("self", "namespace")
    return Piece([stmt], [m], rank_of("Namespace"))


@dataclass
class Store:
    """An `AwsSecretStore` the module makes: its variable, statement and store name."""

    var: str
    name: str
    stmt: Stmt
    piece: Piece


def _aws_spec(m: Manifest) -> dict[str, Any] | None:
    """The `AwsSecretStoreSpec` fields of a SecretStore that looks like the pattern's."""
    spec: Any = m.body.get("spec")
    try:
        aws = spec["provider"]["aws"]
        key_id = aws["auth"]["secretRef"]["accessKeyIDSecretRef"]["key"]
    except (KeyError, TypeError):
        return None
    fields: dict[str, Any] = {}
    if m.name != "aws-secret-store":
        fields["name"] = m.name
    if key_id == "AWS_ACCESS_KEY_ID":
        fields["keys"] = "env"
    region = aws.get("region")
    if region != "us-east-1":
        fields["region"] = region
    if m.meta.get("labels") is not None:
        fields["labels"] = m.meta["labels"]
    return fields


def store_pieces(ctx: Context) -> list[Store]:
    """Every AWS SecretStore of the app's namespace as an `AwsSecretStore`, taking the
    encrypted `aws-credentials` Secret with the first one."""
    stores: list[Store] = []
    for m in ctx.remaining():
        if (m.kind, m.api_version) != ("SecretStore", "external-secrets.io/v1") or not ctx.in_main(m):
            continue
        fields = _aws_spec(m)
        if fields is None:
            continue
        creds = next(
            (
                s
                for s in ctx.remaining()
                if (s.kind, s.api_version, s.name) == ("Secret", "v1", "aws-credentials") and ctx.in_main(s)
            ),
            None,
        )
        if creds is None:
            fields["credentials"] = "external"
        covers = [m] if creds is None else [m, creds]
        var = ctx.variable("store")
        id = ctx.free_id("self", "aws-store", "aws-store-2")
        kwargs: list[tuple[str, Expr]] = []
        if id != "aws-store":
            kwargs.append(("id", Const(id)))
        if fields:
            order = ("name", "credentials", "keys", "region", "labels")
            spec_kw = tuple((k, lit(fields[k])) for k in order if k in fields)
            kwargs.append(("spec", Call(name_of(AwsSecretStoreSpec), kwargs=spec_kw)))
        stmt = Stmt(Call(name_of(AwsSecretStore), (Local("self"),), tuple(kwargs)), target=var)
        if not ctx.scratch.matches([stmt], covers):
            ctx.variables.discard(var)
            continue
        ctx.take_id("self", id)
        ctx.ids[var] = {"store"} | ({"credentials"} if creds is not None else set())
        if creds is None and ("Secret", "aws-credentials") not in ctx.external:
            ctx.external.append(("Secret", "aws-credentials"))
        if creds is not None and not creds.encrypted:
            keys = sorted(set(creds.body.get("data") or {}) | set(creds.body.get("stringData") or {}))
            ctx.notes.append(
                f"plaintext Secret aws-credentials (keys: {', '.join(keys)}): values NOT imported; "
                f"the store reads secrets/{ctx.app}/aws-credentials.sops.yaml: write and encrypt it with sops"
            )
        stores.append(Store(var, m.name, stmt, ctx.claim(Piece([stmt], covers, rank_of("SecretStore")))))
    return stores


def _secret_args(m: Manifest) -> dict[str, Any] | None:
    """The `store.secret(...)` arguments of an ExternalSecret, or None when it has more."""
    spec = m.body.get("spec")
    if not isinstance(spec, dict) or set(spec) - {"secretStoreRef", "target", "data", "dataFrom", "refreshInterval"}:
        return None
    if set(m.meta) - {"name", "namespace", "labels"}:
        return None
    target = spec.get("target")
    if not isinstance(target, dict) or "name" not in target:
        return None
    if set(target) - {"creationPolicy", "deletionPolicy", "name", "template"}:
        return None
    args: dict[str, Any] = {}
    data = spec.get("data")
    if data is not None:
        if not isinstance(data, list):
            return None
        refs: dict[str, str] = {}
        for item in data:
            if not isinstance(item, dict) or set(item) != {"remoteRef", "secretKey"}:
                return None
            ref = item["remoteRef"]
            if not isinstance(ref, dict) or set(ref) - {"key", "property"} or "key" not in ref:
                return None
            if "#" in str(ref["key"]) or item["secretKey"] in refs:
                return None
            refs[item["secretKey"]] = f"{ref['key']}#{ref['property']}" if "property" in ref else str(ref["key"])
        args["data"] = refs
    data_from = spec.get("dataFrom")
    if data_from is not None:
        if (
            not isinstance(data_from, list)
            or len(data_from) != 1
            or not isinstance(data_from[0], dict)
            or set(data_from[0]) != {"extract"}
            or not isinstance(data_from[0]["extract"], dict)
            or set(data_from[0]["extract"]) != {"key"}
        ):
            return None
        args["extract"] = data_from[0]["extract"]["key"]
    if target["name"] != m.name:
        args["target"] = target["name"]
    if "template" in target:
        args["template"] = target["template"]
    refresh = spec.get("refreshInterval")
    if refresh != "1h":
        args["refresh"] = refresh
    policy = target.get("creationPolicy")
    if policy != "Owner":
        args["creation_policy"] = policy
    if "deletionPolicy" in target:
        args["deletion_policy"] = target["deletionPolicy"]
    if m.meta.get("labels") is not None:
        args["labels"] = m.meta["labels"]
    return args


def _dockerhub_candidates(m: Manifest, args: dict[str, Any]) -> list[list[tuple[str, Any]]]:
    data = args.get("data") or {}
    if not any(str(v).startswith(DOCKERHUB_KEY) for v in data.values()):
        return []
    password_key = "token" if "token" in data else "password"
    out = []
    for style in ("compact", "pretty", "plain"):
        default_refresh = "24h" if style == "pretty" or password_key == "token" else "1h"
        refresh = m.body["spec"].get("refreshInterval")
        if refresh is None:
            continue
        kw: list[tuple[str, Any]] = []
        if "target" in args:
            kw.append(("target", args["target"]))
        if style != "compact":
            kw.append(("style", style))
        if password_key != "password":
            kw.append(("password_key", password_key))
        if refresh != default_refresh:
            kw.append(("refresh", refresh))
        if "labels" in args:
            kw.append(("labels", args["labels"]))
        out.append(kw)
    return out


def _shared_candidates(m: Manifest, args: dict[str, Any], store: Expr) -> list[Call]:
    """Calls of the shared-key helpers (`obsidian_api`, `postgres_credentials`, ...) that may
    make this ExternalSecret; each is checked before it is taken."""
    data: dict[str, str] = args.get("data") or {}
    if not data or set(args) - {"data", "target", "template", "labels"}:
        return []
    labels: list[tuple[str, Expr]] = [("labels", lit(args["labels"]))] if "labels" in args else []
    target = args.get("target", m.name)
    template = args.get("template")
    out: list[Call] = []

    def call(func: Any, default_name: str, kwargs: list[tuple[str, Expr]], *extra: Expr) -> Call:
        pos: tuple[Expr, ...] = (store,) if m.name == default_name and not extra else (store, Const(m.name), *extra)
        return Call(name_of(func), pos, tuple(kwargs + labels))

    values = list(data.values())
    if all(v.startswith(f"{shared.OBSIDIAN_API}#") for v in values) and all(
        data[k] == f"{shared.OBSIDIAN_API}#{k}" for k in data
    ):
        keys = tuple(data)
        for style in ("files", "env", "plain"):
            kw: list[tuple[str, Expr]] = []
            if target != "obsidian-api":
                kw.append(("target", Const(target)))
            if style != "files":
                kw.append(("style", Const(style)))
            if keys != ("api_url", "api_key"):
                kw.append(("keys", TupleOf(tuple(Const(k) for k in keys))))
            out.append(call(shared.obsidian_api, "obsidian-api-secret", kw))
    if set(data) == {"username", "password"}:
        key = data["username"].partition("#")[0]
        pg = (shared.PG_APP_USER, shared.PG_ADMIN)
        if key in pg and data == {"username": f"{key}#username", "password": f"{key}#password"}:
            kw = [] if key == shared.PG_APP_USER else [("key", Const(key))]
            if template == {"type": "kubernetes.io/basic-auth"}:
                kw += [("target", Const(target)), ("basic_auth", Const(True))]
            elif template is None and target == m.name:
                kw.append(("target", Const(None)))
            elif isinstance(template, dict) and set(template) == {"data", "type"} and template["type"] == "Opaque":
                if target != "postgres-credentials-env":
                    kw.append(("target", Const(target)))
                default = {"DATABASE_PASSWORD": "{{ .password }}", "DATABASE_USER": "{{ .username }}"}
                if template["data"] != default:
                    kw.append(("env", lit(template["data"])))
            out.append(call(shared.postgres_credentials, "postgres-credentials", kw))
    if template is None and target == m.name:
        if len(data) == 1 and values == [shared.APISIX_KEY]:
            (secret_key,) = data
            kw = [] if secret_key == "OLLAMA_API_KEY" else [("secret_key", Const(secret_key))]
            out.append(call(shared.apisix_key, "apisix-gateway-key", kw))
        if all(v.startswith(f"{shared.DISCORD_WEBHOOK}#") for v in values):
            channels = {k: v.partition("#")[2] for k, v in data.items()}
            out.append(call(shared.discord_webhook, "", [], lit(channels)))
    if template is None and len(data) == 2:
        keys_ = list(data)
        prefix = keys_[0].removesuffix("public_key")
        if keys_ == [f"{prefix}public_key", f"{prefix}secret_key"] and values == [
            f"{shared.LANGFUSE_KEYS}#public_key",
            f"{shared.LANGFUSE_KEYS}#secret_key",
        ]:
            kw = [("prefix", Const(prefix))] if prefix else []
            if target != m.name:
                kw.append(("target", Const(target)))
            out.append(call(shared.langfuse_keys, "langfuse-agent-keys", kw))
    return out


def external_secret_piece(m: Manifest, ctx: Context, stores: list[Store], opts: Options) -> Piece | None:
    """An ExternalSecret reading one of the app's AWS stores, as the store's short form."""
    if (m.kind, m.api_version) != ("ExternalSecret", "external-secrets.io/v1") or not ctx.in_main(m):
        return None
    ref = (m.body.get("spec") or {}).get("secretStoreRef")
    store = next((s for s in stores if ref == {"kind": "SecretStore", "name": s.name}), None)
    if store is None:
        return None
    args = _secret_args(m)
    if args is None:
        return None
    id = ctx.free_id(store.var, m.name, f"{m.name}-secret")
    id_kw: list[tuple[str, Expr]] = [("id", Const(id))] if id != m.name else []
    store_ref: Expr = Local(store.var)
    for kw in _dockerhub_candidates(m, args):
        pos: tuple[Expr, ...] = (store_ref,) if m.name == "dockerhub-registry" else (store_ref, Const(m.name))
        call = Call(name_of(dockerhub_pull_secret), pos, tuple((k, lit(v)) for k, v in kw) + tuple(id_kw))
        stmt = Stmt(call)
        if ctx.scratch.matches([stmt], [m], setup=[store.stmt]):
            ctx.take_id(store.var, id)
            return Piece([stmt], [m], rank_of("ExternalSecret"))
    if not id_kw:
        for call in _shared_candidates(m, args, store_ref):
            stmt = Stmt(call)
            if ctx.scratch.matches([stmt], [m], setup=[store.stmt]):
                ctx.take_id(store.var, id)
                return Piece([stmt], [m], rank_of("ExternalSecret"))
    pos = (Const(m.name),) + ((lit(args["data"]),) if "data" in args else ())
    order = ("target", "template", "extract", "refresh", "creation_policy", "deletion_policy", "labels")
    kwargs = tuple((k, lit(args[k])) for k in order if k in args) + tuple(id_kw)
    stmt = Stmt(Call(Attr(store_ref, "secret"), pos, kwargs))
    if not ctx.scratch.matches([stmt], [m], setup=[store.stmt]):
        return None
    ctx.take_id(store.var, id)
    return Piece([stmt], [m], rank_of("ExternalSecret"))


def _role_rule(m: Manifest | None) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(resources, verbs) of a Role with one core-group rule."""
    if m is None:
        return None
    rules = m.body.get("rules")
    if not isinstance(rules, list) or len(rules) != 1 or not isinstance(rules[0], dict):
        return None
    rule = rules[0]
    if set(rule) != {"apiGroups", "resources", "verbs"} or rule["apiGroups"] != [""]:
        return None
    return tuple(rule["resources"]), tuple(rule["verbs"])


def local_store_pieces(ctx: Context) -> list[Piece]:
    """The kubernetes-provider `local-secret-store`, its ServiceAccount, Roles and bindings and the
    `aws-credentials-env` ExternalSecret as one `LocalSecretStore`."""
    found = []
    for store in [m for m in ctx.remaining() if m.kind == "SecretStore" and ctx.in_main(m)]:
        try:
            provider = store.body["spec"]["provider"]["kubernetes"]
            account = provider["auth"]["serviceAccount"]["name"]
        except (KeyError, TypeError):
            continue

        def find(kind: str, name: str) -> Manifest | None:
            return next((x for x in ctx.remaining() if (x.kind, x.name) == (kind, name) and ctx.in_main(x)), None)

        sa = find("ServiceAccount", account)
        if sa is None:
            continue
        fields: list[tuple[str, Expr]] = []
        if store.name != "local-secret-store":
            fields.append(("name", Const(store.name)))
        if account != ctx.namespace:
            fields.append(("service_account", Const(account)))
        covers = [store, sa]
        app_role = _role_rule(find("Role", account))
        if app_role is None:
            fields.append(("app_role", Const(None)))
        else:
            covers += [x for x in (find("Role", account), find("RoleBinding", account)) if x is not None]
            if app_role[0] != ("configmaps", "secrets"):
                fields.append(("app_role", TupleOf(tuple(Const(r) for r in app_role[0]))))
            if app_role[1] != ("get", "list", "watch"):
                fields.append(("app_verbs", TupleOf(tuple(Const(v) for v in app_role[1]))))
        reader = find("Role", "secret-reader")
        if reader is None:
            fields.append(("secret_reader", Const(False)))
        else:
            covers += [x for x in (reader, find("RoleBinding", f"{account}-secret-reader")) if x is not None]
        env = next(
            (
                x
                for x in ctx.remaining()
                if x.kind == "ExternalSecret"
                and ctx.in_main(x)
                and (x.body.get("spec") or {}).get("secretStoreRef") == {"kind": "SecretStore", "name": store.name}
                and ((x.body.get("spec") or {}).get("target") or {}).get("name") == "aws-credentials-env"
            ),
            None,
        )
        if env is None:
            fields.append(("aws_env", Const(None)))
        else:
            covers.append(env)
            if env.name != "aws-credentials-transformed":
                fields.append(("aws_env", Const(env.name)))
        id = ctx.free_id("self", "local-store")
        args: tuple[Expr, ...] = (Local("self"),)
        if fields:
            args += (Call(name_of(LocalSecretStoreSpec), kwargs=tuple(fields)),)
        kwargs: tuple[tuple[str, Expr], ...] = (("id", Const(id)),) if id != "local-store" else ()
        stmt = Stmt(Call(name_of(LocalSecretStore), args, kwargs))
        if ctx.scratch.matches([stmt], covers):
            ctx.take_id("self", id)
            found.append(ctx.claim(Piece([stmt], covers, rank_of("SecretStore"))))
    return found
