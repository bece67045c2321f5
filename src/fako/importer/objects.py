"""One object at a time: its kind's construct, checked, or `Raw` when nothing else says it.

The chain for an object no pattern took: the typed construct with the pod short forms,
the same without them, and last the `Raw` escape hatch with a comment saying why.
Encrypted manifests become `SopsSecret`/`SopsObject` references to the owner's files;
a plaintext Secret becomes the same reference, its values left behind (never written).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fako.constructs.config import ConfigMap
from fako.constructs.raw import Raw
from fako.constructs.sops import SopsObject, SopsObjectSpec, SopsSecret, SopsSecretSpec
from fako.importer.bundles import RAW_FILE_LINES, bundle_stmt, claim_ids, dump_yaml, file_name
from fako.importer.code import Call, Const, DictOf, Expr, FileText, Local, Stmt, lit
from fako.importer.context import Context, Piece, rank_of
from fako.importer.loading import Manifest
from fako.importer.typed import Options, SpecCode, construct_for, name_of, spec_kwargs, typed_call

__all__ = ["LONG_CHARS", "LONG_LINES", "generic_piece", "object_piece", "raw_piece", "sops_piece", "split_files"]

LONG_LINES = 5
"""ConfigMap values with more lines than this are written to a file beside the module."""
LONG_CHARS = 1000
"""... and so are values longer than this (a minified JSON dashboard is one long line)."""

_SAFE_KEY = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")

Recogniser = Callable[[Manifest, Context, Options], Piece | None]


def default_id(m: Manifest, ctx: Context, scope: str = "self") -> str:
    """`name` (`name-namespace` outside the app's namespace), else with the kind, else numbered."""
    return ctx.object_id(m, scope)


def _file_key_ok(key: str) -> bool:
    return bool(key) and key not in (".", "..") and set(key) <= _SAFE_KEY


def split_files(
    m: Manifest, ctx: Context, kwargs: list[tuple[str, Expr]]
) -> tuple[list[tuple[str, Expr]], dict[str, str]]:
    """ConfigMap `data` values longer than LONG_LINES lines as `read_file(...)` of files to write."""
    data = m.body.get("data")
    if m.kind != "ConfigMap" or not isinstance(data, dict):
        return kwargs, {}
    files: dict[str, str] = {}
    items: list[tuple[Expr | None, Expr]] = []
    for key, value in data.items():
        long = isinstance(value, str) and (len(value.splitlines()) > LONG_LINES or len(value) > LONG_CHARS)
        if long and "\r" not in value and _file_key_ok(key):
            fkey = ctx.file_key(m.name, key)
            while fkey in files:
                fkey = f"{m.name}-{len(files)}/{key}"
            files[fkey] = value
            items.append((Const(key), FileText(fkey, value)))
        else:
            items.append((Const(key), lit(value)))
    if not files:
        return kwargs, {}
    return [(k, DictOf(tuple(items)) if k == "data" else v) for k, v in kwargs], files


def generic_piece(m: Manifest, ctx: Context, opts: Options) -> Piece | None:
    """`Kind(self, "id", KindSpec(...))`, when the construct renders exactly `m`."""
    construct = construct_for(m)
    if construct is None or m.encrypted or (m.kind == "Secret" and m.api_version == "v1"):
        return None
    spec = spec_kwargs(m, construct, ctx.namespace, opts)
    if spec is None:
        return None
    files: dict[str, str] = {}
    if construct is ConfigMap and spec.data is None:
        kwargs, files = split_files(m, ctx, spec.kwargs)
        spec = SpecCode(kwargs, None)
    id = default_id(m, ctx)
    stmt = Stmt(typed_call(construct, id, spec))
    if not ctx.scratch.matches([stmt], [m]):
        return None
    ctx.take_id("self", id)
    ctx.files.update(files)
    return Piece([stmt], [m], rank_of(m.kind))


def raw_piece(m: Manifest, ctx: Context, reason: str) -> Piece:
    """`Raw(self, "id", {...})`: the manifest as given, with the reason in a comment; a long one
    as a YAML file beside the module, read back with `raw_documents`."""
    text = dump_yaml([m.body])
    if len(text.splitlines()) > RAW_FILE_LINES:
        key = ctx.file_key("raw", file_name(m))
        stmt = bundle_stmt([m], key, f"Raw: {reason}; carried verbatim in files/{ctx.module}/{key}")
        if claim_ids(ctx, [m]):
            ctx.files[key] = text
            return Piece([stmt], [m], rank_of(m.kind))
    id = default_id(m, ctx)
    ctx.take_id("self", id)
    stmt = Stmt(Call(name_of(Raw), (Local("self"), Const(id), lit(m.body))), comments=(f"Raw: {reason}",))
    return Piece([stmt], [m], rank_of(m.kind))


def _sops_file(m: Manifest, ctx: Context) -> str | None:
    """The `file=` of a SOPS reference: None for the default `<app>/<name>.sops.yaml`."""
    default = f"{ctx.app}/{m.name}.sops.yaml"
    if default not in ctx.sops_files:
        ctx.sops_files.add(default)
        return None
    for other in (
        f"{ctx.app}/{m.kind.lower()}-{m.name}.sops.yaml",
        f"{ctx.app}/{m.namespace or 'cluster'}/{m.kind.lower()}-{m.name}.sops.yaml",
    ):
        if other not in ctx.sops_files:
            break
    ctx.sops_files.add(other)
    return other


def sops_piece(m: Manifest, ctx: Context) -> Piece | None:
    """An encrypted manifest (or a plaintext Secret) as a reference to the owner's SOPS file."""
    plaintext = not m.encrypted
    if plaintext and not (m.kind == "Secret" and m.api_version == "v1"):
        return None
    file = _sops_file(m, ctx)
    kwargs: list[tuple[str, Expr]] = [("name", Const(m.name))]
    if m.namespace and m.namespace != ctx.namespace:
        kwargs.append(("namespace", Const(m.namespace)))
    if file is not None:
        kwargs.append(("file", Const(file)))
    path = file or f"{ctx.app}/{m.name}.sops.yaml"
    id = default_id(m, ctx)
    if m.kind == "Secret" and m.api_version == "v1":
        call = Call(
            name_of(SopsSecret), (Local("self"), Const(id), Call(name_of(SopsSecretSpec), kwargs=tuple(kwargs)))
        )
    else:
        kwargs += [("kind", Const(m.kind)), ("api_version", Const(m.api_version))]
        if not m.namespace:
            kwargs.append(("namespaced", Const(False)))
        call = Call(
            name_of(SopsObject), (Local("self"), Const(id), Call(name_of(SopsObjectSpec), kwargs=tuple(kwargs)))
        )
    if plaintext:
        keys = sorted(set(m.body.get("data") or {}) | set(m.body.get("stringData") or {}))
        comments: tuple[str, ...] = (
            f"TODO: a plaintext Secret in the input; its values were left out. Put them in secrets/{path} "
            f"and encrypt it (sops --encrypt --in-place). Keys: {', '.join(keys) or 'none'}.",
        )
        ctx.notes.append(
            f"plaintext Secret {m.namespace + '/' if m.namespace else ''}{m.name} (keys: {', '.join(keys) or 'none'}): "
            f"values NOT imported; the module reads secrets/{path}: write and encrypt it with sops"
        )
    else:
        comments = (f"encrypted: the owner keeps secrets/{path}",)
    ctx.take_id("self", id)
    return Piece([Stmt(call, comments=comments)], [m], rank_of(m.kind))


def _secret_values(m: Manifest) -> bool:
    return any(m.body.get(k) for k in ("data", "stringData"))


def object_piece(m: Manifest, ctx: Context, patterns: list[Recogniser]) -> Piece:
    """The best code for one object: a pattern, the typed construct, or `Raw`."""
    if m.encrypted or (m.kind == "Secret" and m.api_version == "v1" and _secret_values(m)):
        got = sops_piece(m, ctx)
        if got is not None:
            return got
    for opts in (Options(short=True), Options(short=False)):
        for recognise in patterns:
            piece = recognise(m, ctx, opts)
            if piece is not None:
                return piece
        piece = generic_piece(m, ctx, opts)
        if piece is not None:
            return piece
    construct = construct_for(m)
    if m.kind == "Secret" and m.api_version == "v1":
        reason = "a Secret without values (fako keeps Secrets encrypted; this one holds none)"
    elif construct is None:
        reason = f"fako has no typed construct for {m.api_version} {m.kind}"
    else:
        reason = f"{construct.__name__} cannot say this {m.kind} exactly ({_why(m, construct)})"
    return raw_piece(m, ctx, reason)


def _why(m: Manifest, construct: Any) -> str:
    extra = sorted(set(m.meta) - {"name", "namespace", "labels", "annotations"})
    if extra:
        return "metadata " + ", ".join(extra)
    if not construct.namespaced and m.namespace:
        return "a namespace on a cluster-scoped kind"
    return "its spec does not validate"
