"""The construct tree: a `Cluster` (cdk8s `App`) of `Layer`s (Charts) of apps and objects.

Every Kubernetes object is one cdk8s `ApiObject` (`FakoObject`), made with a single jsii
call that carries its identity; the body is built in Python and held there. The object
answers cdk8s's `toJson`, so `cdk8s.App.synth_yaml()` renders it too, and fako's own
renderer reads the same body without crossing into Node again. The tree also keeps,
on the Python side, each construct's path, layer and app, so rendering never walks the
tree through jsii.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from fako._jsii import JsiiRef, Pipelined, cdk8s, constructs, create, create_root, jsii
from fako.errors import FakoError, Problem, SpecError
from fako.project import project_root
from fako.rendered import BuiltObject
from fako.text import shown
from fako.validation.names import dns1123_label

__all__ = [
    "AppConstruct",
    "Cluster",
    "FakoObject",
    "Group",
    "Layer",
    "Scope",
    "class_problems",
    "context_of",
    "layer_name_problems",
    "source_of",
]


def source_of(cls: type) -> str:
    """`path:line` of a class definition, relative to the working directory when inside it."""
    try:
        file = inspect.getsourcefile(cls) or "?"
        line = inspect.getsourcelines(cls)[1]
    except (OSError, TypeError):
        return f"{cls.__module__}"
    with contextlib.suppress(ValueError):
        file = str(Path(file).resolve().relative_to(project_root()))
    return f"{file}:{line}"


@dataclass
class _Context:
    """What every fako construct knows about its place without asking Node."""

    cluster: Cluster
    path: str
    layer: Layer | None = None
    app: AppConstruct | None = None
    namespace: str | None = None
    ids: set[str] | None = None
    """The ids of the constructs made under this one (kept by fako's own constructs)."""


def _claim_id(scope: Any, ctx: _Context, id: str) -> None:
    """Refuse a second construct with `id` under `scope` before it reaches Node (whose
    answer to a create arrives later), with the message constructs itself gives."""
    if ctx.ids is None:
        ctx.ids = set()
    if id in ctx.ids:
        raise RuntimeError(f"There is already a Construct with name '{id}' in {type(scope).__name__} [{ctx.path}]")
    ctx.ids.add(id)


def context_of(scope: Any) -> _Context:
    """Where a construct sits (cluster, layer, app, namespace, path), read on the Python side."""
    ctx = getattr(scope, "_fako", None)
    if ctx is None:
        raise FakoError(
            f"{type(scope).__name__} is not a fako construct; put objects under a fako Cluster, "
            "Layer, AppConstruct or Group (fako.tree.Group), not a plain constructs.Construct"
        )
    assert isinstance(ctx, _Context)
    return ctx


Scope = Any
"""A fako construct that can hold others: `Cluster`, `Layer`, `AppConstruct` or `Group`."""


class Cluster(cdk8s.App, metaclass=Pipelined):
    """The root of a cluster's tree (a cdk8s `App`); holds its layers in order.

    `root` is the repository the cluster is rendered from: encrypted secret files are
    looked up under `root / secrets_dir`.
    """

    __jsii_ref__ = JsiiRef()

    def __init__(self, name: str, *, root: Path | None = None, secrets_dir: str = "secrets") -> None:
        if not create_root(self, cdk8s.App):  # the public constructor type-checks through typeguard
            super().__init__()
        self.cluster_name = name
        self.root = root or project_root()
        self.secrets_dir = secrets_dir
        self._fako = _Context(cluster=self, path="")
        self.objects: list[BuiltObject] = []
        """Every object in the tree, in the order the constructs made them (objects a
        render reuses from the cache stand in for the ones their unit would make)."""
        self.layers: dict[str, Layer] = {}
        self.units: list[type[AppConstruct]] = []
        """Every unit the cluster definition names, switched on or not, in order."""
        self.complete = False
        """True when every unit was built, switched-off ones included (`--include-disabled`)."""

    def release(self) -> None:
        """Drop what the tree holds on the Python side once it has been rendered.

        jsii never forgets an object it created (its reference map keeps every construct
        alive for the life of the process), and each construct reaches the whole tree
        through its context; a process that builds many trees (`fako watch`) calls this
        so only the constructs' empty shells stay behind.
        """
        for obj in self.objects:
            if isinstance(obj, FakoObject):
                obj.manifest = {}
                obj._fako = _Context(cluster=self, path=obj._fako.path)
        self.objects = []
        self.layers = {}
        self.units = []


def layer_name_problems(name: object) -> list[str]:
    """Why `name` cannot name a layer (it becomes a folder of the render and a Flux name)."""
    if not isinstance(name, str):
        return [f"must be a string, got {type(name).__name__}"]
    return dns1123_label(name)


class Layer(cdk8s.Chart, metaclass=Pipelined):
    """One Flux layer: the folder a Flux `Kustomization` points at (`dist/<name>/`).

    The name is an RFC 1123 label: it becomes a folder of the render, so it can never
    reach outside it (`../x`, `/tmp/x` are refused).
    """

    __jsii_ref__ = JsiiRef()

    def __init__(self, cluster: Cluster, name: str) -> None:
        problems = layer_name_problems(name)
        if problems:
            raise FakoError(f"layer name {shown(repr(name))} {'; '.join(problems)}")
        _claim_id(cluster, cluster._fako, name)
        if not create(self, cdk8s.Chart, cluster, name):
            super().__init__(cluster, name)
        self.layer_name = name
        self._fako = _Context(cluster=cluster, path=name, layer=self)
        cluster.layers[name] = self


class Group(constructs.Construct, metaclass=Pipelined):
    """A plain grouping construct (a component of an app, a reusable pattern)."""

    __jsii_ref__ = JsiiRef()

    def __init__(self, scope: Scope, id: str, *, namespace: str | None = None) -> None:
        parent = context_of(scope)
        _claim_id(scope, parent, id)
        if not create(self, constructs.Construct, scope, id):
            super().__init__(scope, id)
        self._fako = _Context(
            cluster=parent.cluster,
            path=f"{parent.path}/{id}",
            layer=parent.layer,
            app=parent.app,
            namespace=namespace or parent.namespace,
        )

    @property
    def default_namespace(self) -> str | None:
        """The namespace objects made under this construct get when they name none."""
        return self._fako.namespace


class AppConstruct(Group):
    """The base people subclass to add a service: one app, one module, one namespace.

     Set `name` (the unit name, also the default namespace) on the subclass, and build
     the app's objects in `build()`. `namespace` defaults to `name`; set it to share
     another app's namespace. `enabled = False` keeps an app modelled but switched off
    . `fixture = True` marks a deliberately
     broken workload that validators must leave alone.
    """

    name: ClassVar[str]
    namespace: ClassVar[str | None] = None
    fixture: ClassVar[bool] = False
    databases: ClassVar[tuple[str, ...]] = ()
    """Databases this app owns in the shared CloudNative-PG cluster (created for it there):
    PostgreSQL identifiers (`[a-z_][a-z0-9_]{0,62}`), each owned by one app only."""
    shared_databases: ClassVar[tuple[str, ...]] = ()
    """Databases this app uses that another app owns (declared in that app's `databases`)."""
    default_layer: ClassVar[str] = "apps"
    """The layer `fako synth --app-file` renders the app into (clusters place it themselves)."""
    external: ClassVar[tuple[tuple[str, str], ...]] = ()
    """Objects this app uses that are made outside the render, as (Kind, name) pairs in
    its namespace, e.g. `("Secret", "thornus-secrets")`, or cluster-scoped (`("Namespace",
    "ingress-nginx")`): validation accepts references to them instead of reporting them missing."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        problems = class_problems(cls)
        if problems:
            raise SpecError(problems)

    def __init__(self, scope: Scope, id: str | None = None) -> None:
        cls = type(self)
        if not getattr(cls, "name", None):
            raise FakoError(f"{cls.__qualname__} ({source_of(cls)}) sets no `name`")
        super().__init__(scope, id or cls.name, namespace=cls.namespace or cls.name)
        self._fako.app = self
        self.build()

    @property
    def ns(self) -> str:
        """The app's namespace."""
        return type(self).namespace or type(self).name

    def build(self) -> None:
        """Make the app's objects; subclasses override this."""
        raise NotImplementedError(f"{type(self).__qualname__} must define build()")


_DATABASE = re.compile(r"[a-z_][a-z0-9_]{0,62}\Z")
"""An unquoted PostgreSQL identifier (lowercase: what `CREATE DATABASE x` creates)."""


def _names_tuple(cls: type, attr: str, what: str, check: Callable[[str], list[str]]) -> list[str]:
    value = getattr(cls, attr)
    if isinstance(value, str):
        return [f"`{attr}` must be a tuple of {what}s, got the string {shown(repr(value))}; write ({value!r},)"]
    if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
        return [f"`{attr}` must be a tuple of {what}s, got {shown(repr(value))}"]
    problems = [f"`{attr}` {shown(repr(v))} {p}" for v in value for p in check(v)]
    problems += [f"`{attr}` names {shown(repr(v))} twice" for v in sorted({v for v in value if value.count(v) > 1})]
    return problems


def _database(value: str) -> list[str]:
    if _DATABASE.match(value):
        return []
    return ["is not a PostgreSQL identifier: a-z, 0-9 and '_', starting with a letter or '_', at most 63 characters"]


def class_problems(cls: type[AppConstruct]) -> list[Problem]:
    """What is wrong with an app class's declarations (`name`, `namespace`, `databases`, ...)."""
    where = f"app class {cls.__qualname__}"
    found: list[str] = []
    name = getattr(cls, "name", None)
    if name is not None:
        if isinstance(name, str):
            found += [f"`name` {shown(repr(name))} {p}" for p in dns1123_label(name)]
        else:
            found.append(f"`name` must be a string, got {type(name).__name__}")
    namespace = cls.namespace
    if namespace is not None:
        if isinstance(namespace, str):
            found += [f"`namespace` {shown(repr(namespace))} {p}" for p in dns1123_label(namespace)]
        else:
            found.append(f"`namespace` must be a string or None, got {type(namespace).__name__}")
    found += [f"`default_layer` {p}" for p in layer_name_problems(cls.default_layer)]
    if not isinstance(cls.fixture, bool):
        found.append(f"`fixture` must be True or False, got {shown(repr(cls.fixture))}")
    found += _names_tuple(cls, "databases", "database name", _database)
    found += _names_tuple(cls, "shared_databases", "database name", _database)
    ext = cls.external
    if not isinstance(ext, tuple) or not all(
        isinstance(e, tuple) and len(e) == 2 and all(isinstance(p, str) for p in e) for e in ext
    ):
        found.append(f"`external` must be a tuple of (Kind, name) pairs, got {shown(repr(ext))}")
    if not found:
        return []
    location = source_of(cls)  # reads and parses the module: only when there is something to say
    return [Problem(where, message, location=location) for message in found]


class FakoObject(cdk8s.ApiObject, metaclass=Pipelined):
    """One Kubernetes object: a cdk8s `ApiObject` whose body fako builds in Python.

    Made with one jsii call; the body never crosses into Node unless cdk8s itself synths
    the app (it then calls `toJson`, answered from the Python side). `typed` is False only
    for the raw escape hatch (`fako.constructs.raw`).
    """

    typed: ClassVar[bool] = True
    __jsii_ref__ = JsiiRef()

    def __init__(self, scope: Scope, id: str, manifest: dict[str, Any], *, sops_file: Path | None = None) -> None:
        ctx = context_of(scope)
        _claim_id(scope, ctx, id)
        meta = manifest.get("metadata") or {}
        identity = {"name": meta.get("name")}
        if meta.get("namespace"):
            identity["namespace"] = meta["namespace"]
        props = {"apiVersion": manifest["apiVersion"], "kind": manifest["kind"], "metadata": identity}
        if not create(self, cdk8s.ApiObject, scope, id, props):
            super().__init__(
                scope,
                id,
                api_version=manifest["apiVersion"],
                kind=manifest["kind"],
                metadata=cdk8s.ApiObjectMetadata(name=meta.get("name"), namespace=meta.get("namespace")),
            )
        self._fako = _Context(
            cluster=ctx.cluster, path=f"{ctx.path}/{id}", layer=ctx.layer, app=ctx.app, namespace=ctx.namespace
        )
        self.manifest = manifest
        self.sops_file = sops_file
        self.origin = _caller_origin()
        ctx.cluster.objects.append(self)

    @jsii.member(jsii_name="toJson")
    def to_json(self) -> Any:
        return self.manifest

    @property
    def construct_path(self) -> str:
        return self._fako.path

    @property
    def construct_class(self) -> str:
        """The name of the construct class that made the object."""
        return type(self).__name__

    @property
    def unit(self) -> type[AppConstruct] | None:
        """The app class whose build made the object; None outside an app."""
        app = self._fako.app
        return type(app) if app is not None else None

    @property
    def layer_name(self) -> str:
        layer = self._fako.layer
        return layer.layer_name if layer is not None else ""

    @property
    def app_name(self) -> str:
        app = self._fako.app
        return type(app).name if app is not None else ""


_LIBRARY = (
    "jsii",
    "cdk8s",
    "constructs",
    "pydantic",
    "typeguard",
    "fako.tree",
    "fako.constructs",
    "fako.patterns",
    "fako.checked",
    "fako._jsii",
)


@functools.cache
def _relative(file: str) -> str:
    try:
        return str(Path(file).resolve().relative_to(project_root()))
    except ValueError:
        return file


def _caller_origin() -> str:
    """`file:line` of the first frame outside the construct library: the app line that made it."""
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if not module.startswith(_LIBRARY):
            return f"{_relative(frame.f_code.co_filename)}:{frame.f_lineno}"
        frame = frame.f_back  # type: ignore[assignment]
    return "?"
