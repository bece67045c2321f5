"""The generic translation: any object of a kind fako has a construct for, as that construct.

`Kind(self, "id", KindSpec(name=..., <spec fields as keyword arguments>))`. Nested core
types become `k8s.X(...)` calls built from the validated model (only the fields the input
set, Python names, in the input's order, `name` first); nested parts of custom resources
stay dict literals with their Kubernetes keys, since their generated class names are not
meant to be read. The pod short forms (`env`, `secret_key`, `http_probe`, `resources`,
`mount`, `pvc_volume`, `empty_dir`, `config_volume`, `env_from`, `pull_secrets`, ...) replace their long forms wherever they say the
same thing.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

import fako.constructs
from fako.constructs import pods
from fako.constructs.base import TypedObject
from fako.importer.code import Attr, Call, Const, DictOf, Expr, ListOf, Local, Name, Sum, TupleOf, lit
from fako.importer.loading import Manifest
from fako.patterns import rbac

__all__ = [
    "META_KEYS",
    "Options",
    "SpecCode",
    "construct_for",
    "constructs",
    "field_kwargs",
    "helper",
    "k8s_name",
    "model_expr",
    "name_of",
    "spec_kwargs",
    "typed_call",
    "value_expr",
]

META_KEYS = ("name", "namespace", "labels", "annotations")
_CORE = "fako.k8s.core"


@dataclass(frozen=True)
class Options:
    """How values are written: `short` uses the pod short forms."""

    short: bool = True


def name_of(obj: Any) -> Name:
    """The import name of a fako class or function."""
    return Name(obj.__name__, obj.__module__, obj.__name__, obj)


helper = name_of


def k8s_name(cls: type) -> Name:
    """`k8s.X` for a core model class."""
    return Name(f"k8s.{cls.__name__}", "fako", "k8s", cls)


@functools.cache
def constructs() -> dict[tuple[str, str], type[TypedObject]]:
    """Every typed construct of `fako.constructs`, by (apiVersion, kind)."""
    found: dict[tuple[str, str], type[TypedObject]] = {}
    for info in sorted(pkgutil.iter_modules(fako.constructs.__path__), key=lambda i: i.name):
        try:
            module = importlib.import_module(f"fako.constructs.{info.name}")
        except Exception:  # a module being written by someone else must not break imports
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, TypedObject)
                and value.__module__ == module.__name__
                and isinstance(getattr(value, "kind", None), str)
                and isinstance(getattr(value, "api_version", None), str)
            ):
                found.setdefault((value.api_version, value.kind), value)
    return found


def construct_for(m: Manifest) -> type[TypedObject] | None:
    """The typed construct of `m`'s apiVersion and kind, if fako has one."""
    return constructs().get((m.api_version, m.kind))


@functools.cache
def _aliases(cls: type[BaseModel]) -> dict[str, str]:
    """Kubernetes key -> Python field name."""
    out: dict[str, str] = {}
    for pyname, info in cls.model_fields.items():
        out[info.alias or pyname] = pyname
        out.setdefault(pyname, pyname)
    return out


def _set(model: BaseModel) -> set[str]:
    return {f for f in model.model_fields_set if getattr(model, f) is not None}


def _ordered_keys(raw: dict[str, Any]) -> list[str]:
    keys = list(raw)
    for first in ("image", "name"):
        if first in keys:
            keys.remove(first)
            keys.insert(0, first)
    return keys


def field_kwargs(
    model: BaseModel, raw: dict[str, Any], opts: Options, skip: frozenset[str] = frozenset()
) -> list[tuple[str, Expr]]:
    """The fields `raw` set on `model`, as keyword arguments (Python names, input order)."""
    aliases = _aliases(type(model))
    out: list[tuple[str, Expr]] = []
    for key in _ordered_keys(raw):
        pyname = aliases.get(key)
        if pyname is None or pyname in skip:
            continue
        value = getattr(model, pyname)
        if value is None:
            continue
        out.append((pyname, _field_expr(type(model), pyname, value, raw[key], opts)))
    return out


_MODES = {"default_mode", "mode"}


def _field_expr(owner: type, field: str, value: Any, raw: Any, opts: Options) -> Expr:
    if field in _MODES and isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 0o7777:
        return Const(value, oct(value))
    if opts.short:
        special = _LIST_FORMS.get((owner.__name__, field))
        if special is not None:
            got = special(value, raw, opts)
            if got is not None:
                return got
    return value_expr(value, raw, opts)


def value_expr(value: Any, raw: Any, opts: Options) -> Expr:
    """A validated value as code; `raw` is what the input said (for CRD parts, written as is)."""
    if isinstance(value, BaseModel):
        if type(value).__module__ != _CORE:
            return lit(raw)
        return model_expr(value, raw, opts)
    if isinstance(value, list):
        return ListOf(tuple(value_expr(v, r, opts) for v, r in zip(value, raw, strict=True)))
    if isinstance(value, dict):
        return DictOf(tuple((Const(str(k)), value_expr(v, raw[k], opts)) for k, v in value.items()))
    return lit(value)


def model_expr(model: BaseModel, raw: Any, opts: Options) -> Expr:
    """A core model as `k8s.X(...)`, or as its short form."""
    cls = type(model)
    if not isinstance(raw, dict):
        raise TypeError(f"{cls.__name__} from {type(raw).__name__}")
    if model.model_extra:
        return Call(Attr(k8s_name(cls), "model_validate"), (lit(raw),))
    if opts.short:
        short = _SHORT_FORMS.get(cls.__name__)
        if short is not None:
            got = short(model, raw, opts)
            if got is not None:
                return got
    return Call(k8s_name(cls), kwargs=tuple(field_kwargs(model, raw, opts)))


# -- short forms -------------------------------------------------------------------------


def _secret_key(m: Any, raw: dict[str, Any], opts: Options) -> Expr | None:
    for field, func in (("secret_key_ref", pods.secret_key), ("config_map_key_ref", pods.config_key)):
        if _set(m) == {field}:
            ref = getattr(m, field)
            if not {"name", "key"} <= _set(ref) or not _set(ref) <= {"name", "key", "optional"}:
                return None
            kw: tuple[tuple[str, Expr], ...] = (("optional", Const(ref.optional)),) if ref.optional is not None else ()
            return Call(helper(func), (Const(ref.name), Const(ref.key)), kw)
    if _set(m) == {"field_ref"} and _set(m.field_ref) == {"field_path"}:
        return Call(helper(pods.field_ref), (Const(m.field_ref.field_path),))
    return None


_PROBE_SHORT = {
    "initial_delay_seconds": "delay",
    "period_seconds": "period",
    "timeout_seconds": "timeout",
    "failure_threshold": "failures",
    "success_threshold": "successes",
}
"""The timing fields of a probe by the short names the probe helpers take."""


def _probe_rest(m: Any, raw: dict[str, Any], opts: Options, skip: str) -> tuple[tuple[str, Expr], ...]:
    rest = field_kwargs(m, raw, opts, skip=frozenset({skip}))
    return tuple((_PROBE_SHORT.get(k, k), v) for k, v in rest)


def _probe(m: Any, raw: dict[str, Any], opts: Options) -> Expr | None:
    fields = _set(m)
    if "http_get" in fields and _set(m.http_get) == {"path", "port"} and not fields & {"tcp_socket", "exec", "grpc"}:
        rest = _probe_rest(m, raw, opts, "http_get")
        return Call(helper(pods.http_probe), (Const(m.http_get.path), Const(m.http_get.port)), rest)
    if "tcp_socket" in fields and _set(m.tcp_socket) == {"port"} and not fields & {"http_get", "exec", "grpc"}:
        return Call(helper(pods.tcp_probe), (Const(m.tcp_socket.port),), _probe_rest(m, raw, opts, "tcp_socket"))
    if "exec" in fields and _set(m.exec) == {"command"} and not fields & {"http_get", "tcp_socket", "grpc"}:
        return Call(helper(pods.exec_probe), (lit(m.exec.command),), _probe_rest(m, raw, opts, "exec"))
    return None


def _pairs(requests: dict[str, Any] | None, limits: dict[str, Any] | None) -> list[tuple[str, Expr]] | None:
    """`cpu=(request, limit), memory=(request, limit)` when that says the same as the dicts."""
    req, lim = requests or {}, limits or {}
    if (set(req) | set(lim)) - {"cpu", "memory"} or not (req or lim):
        return None
    if (requests is not None and not req) or (limits is not None and not lim):
        return None  # an empty `requests: {}` is said as such, not left out
    return [
        (name, TupleOf((Const(req.get(name)), Const(lim.get(name)))))
        for name in ("cpu", "memory")
        if name in req or name in lim
    ]


def _resources(m: Any, raw: dict[str, Any], opts: Options) -> Expr | None:
    if not _set(m) <= {"requests", "limits"}:
        return None
    pairs = _pairs(m.requests, m.limits)
    if pairs is not None:
        return Call(helper(pods.resources), kwargs=tuple(pairs))
    kw = [(k, lit(getattr(m, k))) for k in ("requests", "limits") if getattr(m, k) is not None]
    return Call(helper(pods.resources), kwargs=tuple(kw))


_SOURCE_VOLUMES: tuple[tuple[str, str, Callable[..., Any], str], ...] = (
    ("config_map", "configMap", pods.config_volume, "name"),
    ("secret", "secret", pods.secret_volume, "secret_name"),
)
"""(Volume field, its key, short form, the field naming the source) of the ConfigMap/Secret volumes."""


def _volume(m: Any, raw: dict[str, Any], opts: Options) -> Expr | None:
    if _set(m) == {"name", "empty_dir"}:
        rest = field_kwargs(m.empty_dir, raw["emptyDir"], opts)
        return Call(helper(pods.empty_dir), (Const(m.name),), tuple(rest))
    for field, key, func, ref in _SOURCE_VOLUMES:
        if _set(m) == {"name", field} and ref in _set(getattr(m, field)):
            source = getattr(m, field)
            rest = field_kwargs(source, raw[key], opts, skip=frozenset({ref}))
            return Call(helper(func), (Const(m.name), Const(getattr(source, ref))), tuple(rest))
    if _set(m) != {"name", "persistent_volume_claim"}:
        return None
    pvc = m.persistent_volume_claim
    if not {"claim_name"} <= _set(pvc) <= {"claim_name", "read_only"}:
        return None
    kw: tuple[tuple[str, Expr], ...] = (("read_only", Const(pvc.read_only)),) if pvc.read_only is not None else ()
    return Call(helper(pods.pvc_volume), (Const(m.name), Const(pvc.claim_name)), kw)


def _mount(m: Any, raw: dict[str, Any], opts: Options) -> Expr | None:
    if m.mount_path is None:
        return None
    rest = field_kwargs(m, raw, opts, skip=frozenset({"name", "mount_path"}))
    return Call(helper(pods.mount), (Const(m.name), Const(m.mount_path)), tuple(rest))


def _rule(m: Any, raw: dict[str, Any], opts: Options) -> Expr | None:
    """`rule(group, resources, verbs, names=...)`: one API group, resources and verbs."""
    fields = _set(m)
    if not {"api_groups", "resources", "verbs"} <= fields <= {"api_groups", "resources", "verbs", "resource_names"}:
        return None
    if len(m.api_groups) != 1 or ("resource_names" in fields and not m.resource_names):
        return None
    names: tuple[tuple[str, Expr], ...] = (("names", lit(m.resource_names)),) if m.resource_names else ()
    return Call(helper(rbac.rule), (Const(m.api_groups[0]), lit(m.resources), lit(m.verbs)), names)


_SHORT_FORMS: dict[str, Callable[[Any, dict[str, Any], Options], Expr | None]] = {
    "PolicyRule": _rule,
    "EnvVarSource": _secret_key,
    "Probe": _probe,
    "ResourceRequirements": _resources,
    "Volume": _volume,
    "VolumeMount": _mount,
}


def _env(value: list[Any], raw: list[Any], opts: Options) -> Expr | None:
    names = [v.name for v in value]
    if len(set(names)) != len(names):
        return None
    items: list[tuple[Expr | None, Expr]] = []
    for var, r in zip(value, raw, strict=True):
        fields = _set(var)
        if fields == {"name", "value"}:
            items.append((Const(var.name), Const(var.value)))
        elif fields == {"name", "value_from"}:
            items.append((Const(var.name), model_expr(var.value_from, r["valueFrom"], opts)))
        else:
            return None
    return Call(helper(pods.env), (DictOf(tuple(items)),))


def _env_from(value: list[Any], raw: list[Any], opts: Options) -> Expr | None:
    """`env_from(*secrets, config_maps=[...])`, or several joined with `+` when Secrets come
    before ConfigMaps or the entries differ in `optional`."""
    runs: list[list[Any]] = []
    for source in value:
        if runs and _env_from_run(runs[-1] + [source]) is not None:
            runs[-1].append(source)
        else:
            runs.append([source])
    calls = [_env_from_run(run) for run in runs]
    if any(c is None for c in calls):
        return None
    parts = [c for c in calls if c is not None]
    return parts[0] if len(parts) == 1 else Sum(tuple(parts))


def _env_from_run(value: list[Any]) -> Expr | None:
    """One `env_from(...)` call: whole ConfigMaps first, then whole Secrets, equally optional."""
    maps: list[Expr] = []
    secrets: list[Expr] = []
    optional: set[bool | None] = set()
    for source in value:
        if _set(source) == {"config_map_ref"} and not secrets:
            ref, names = source.config_map_ref, maps
        elif _set(source) == {"secret_ref"}:
            ref, names = source.secret_ref, secrets
        else:
            return None
        if not {"name"} <= _set(ref) <= {"name", "optional"}:
            return None
        optional.add(ref.optional)
        names.append(Const(ref.name))
    if len(optional) != 1:
        return None
    kw: list[tuple[str, Expr]] = [("config_maps", ListOf(tuple(maps)))] if maps else []
    flag = optional.pop()
    if flag is not None:
        kw.append(("optional", Const(flag)))
    return Call(helper(pods.env_from), tuple(secrets), tuple(kw))


def _pull_secrets(value: list[Any], raw: list[Any], opts: Options) -> Expr | None:
    if not value or any(_set(v) != {"name"} for v in value):
        return None
    return Call(helper(pods.pull_secrets), tuple(Const(v.name) for v in value))


_LIST_FORMS: dict[tuple[str, str], Callable[[list[Any], list[Any], Options], Expr | None]] = {
    ("Container", "env"): _env,
    ("Container", "env_from"): _env_from,
    ("EphemeralContainer", "env"): _env,
    ("EphemeralContainer", "env_from"): _env_from,
    ("PodSpec", "image_pull_secrets"): _pull_secrets,
}


# -- whole objects -----------------------------------------------------------------------


def spec_fields(m: Manifest, construct: type[TypedObject]) -> dict[str, Any] | None:
    """The fields of `m` its construct's spec takes besides metadata, or None if some would be lost."""
    body = m.body
    meta = m.meta
    if set(meta) - set(META_KEYS):
        return None
    extra = set(body) - {"apiVersion", "kind", "metadata", "status"}
    if construct.body:
        if extra - {construct.body}:
            return None
        fields = body.get(construct.body)
        if fields is None:
            return {}
        if not isinstance(fields, dict) or not fields:
            return None
    else:
        fields = {k: body[k] for k in body if k in extra}
    aliases = _aliases(construct.spec_type)
    if any(aliases.get(k) in META_KEYS for k in fields):
        return None
    return dict(fields)


def _has_crd_part(value: Any) -> bool:
    if isinstance(value, BaseModel):
        return type(value).__module__ != _CORE
    if isinstance(value, list):
        return any(_has_crd_part(v) for v in value)
    if isinstance(value, dict):
        return any(_has_crd_part(v) for v in value.values())
    return False


@dataclass(frozen=True)
class SpecCode:
    """A spec as code: keyword arguments, or (for custom resources with nested parts, whose
    generated types a dict literal cannot satisfy) one `model_validate` mapping."""

    kwargs: list[tuple[str, Expr]]
    data: dict[str, Any] | None


def spec_kwargs(m: Manifest, construct: type[TypedObject], default_ns: str | None, opts: Options) -> SpecCode | None:
    """The spec of `m` as code; None when the construct cannot say it."""
    fields = spec_fields(m, construct)
    if fields is None:
        return None
    meta = m.meta
    data: dict[str, Any] = {"name": meta["name"]}
    kwargs: list[tuple[str, Expr]] = [("name", Const(meta["name"]))]
    ns = meta.get("namespace")
    if construct.namespaced and ns and ns != default_ns:
        data["namespace"] = ns
        kwargs.append(("namespace", Const(ns)))
    if not construct.namespaced and ns:
        return None
    for key in ("labels", "annotations"):
        if meta.get(key) is not None:
            data[key] = meta[key]
            kwargs.append((key, lit(meta[key])))
    data.update(fields)
    try:
        spec = construct.spec_type.model_validate(data)
    except Exception:
        return None
    if any(_has_crd_part(getattr(spec, f)) for f in spec.model_fields_set):
        return SpecCode(kwargs, data)
    kwargs.extend(field_kwargs(spec, fields, opts))
    return SpecCode(kwargs, None)


def typed_call(construct: type[TypedObject], id: str, spec: SpecCode) -> Call:
    """`Kind(self, "id", KindSpec(...))` or `Kind(self, "id", KindSpec.model_validate({...}))`."""
    spec_type = name_of(construct.spec_type)
    if spec.data is not None:
        spec_expr = Call(Attr(spec_type, "model_validate"), (lit(spec.data),))
    else:
        spec_expr = Call(spec_type, kwargs=tuple(spec.kwargs))
    return Call(name_of(construct), (Local("self"), Const(id), spec_expr))
