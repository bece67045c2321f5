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
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from fako._jsii import cdk8s, constructs, create, jsii
from fako.errors import FakoError

__all__ = ["AppConstruct", "Cluster", "FakoObject", "Group", "Layer", "Scope", "context_of", "source_of"]


def source_of(cls: type) -> str:
    """`path:line` of a class definition, relative to the working directory when inside it."""
    try:
        file = inspect.getsourcefile(cls) or "?"
        line = inspect.getsourcelines(cls)[1]
    except (OSError, TypeError):
        return f"{cls.__module__}"
    with contextlib.suppress(ValueError):
        file = str(Path(file).resolve().relative_to(Path.cwd()))
    return f"{file}:{line}"


@dataclass
class _Context:
    """What every fako construct knows about its place without asking Node."""

    cluster: Cluster
    path: str
    layer: Layer | None = None
    app: AppConstruct | None = None
    namespace: str | None = None


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


class Cluster(cdk8s.App):
    """The root of a cluster's tree (a cdk8s `App`); holds its layers in order.

    `root` is the repository the cluster is rendered from: encrypted secret files are
    looked up under `root / secrets_dir`.
    """

    def __init__(self, name: str, *, root: Path | None = None, secrets_dir: str = "secrets") -> None:
        super().__init__()
        self.cluster_name = name
        self.root = root or Path.cwd()
        self.secrets_dir = secrets_dir
        self._fako = _Context(cluster=self, path="")
        self.objects: list[FakoObject] = []
        """Every object in the tree, in the order the constructs made them."""
        self.layers: dict[str, Layer] = {}
        self.units: list[type[AppConstruct]] = []
        """Every unit the cluster definition names, switched on or not, in order."""


class Layer(cdk8s.Chart):
    """One Flux layer: the folder a Flux `Kustomization` points at (`dist/<name>/`)."""

    def __init__(self, cluster: Cluster, name: str) -> None:
        super().__init__(cluster, name)
        self.layer_name = name
        self._fako = _Context(cluster=cluster, path=name, layer=self)
        cluster.layers[name] = self


class Group(constructs.Construct):
    """A plain grouping construct (a component of an app, a reusable pattern)."""

    def __init__(self, scope: Scope, id: str, *, namespace: str | None = None) -> None:
        if not create(self, constructs.Construct, scope, id):
            super().__init__(scope, id)
        parent = context_of(scope)
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
    """Databases this app needs in the shared CloudNative-PG cluster (created for it there)."""
    default_layer: ClassVar[str] = "apps"
    """The layer `fako synth --app-file` renders the app into (clusters place it themselves)."""
    external: ClassVar[tuple[tuple[str, str], ...]] = ()
    """Objects this app uses that are made outside the render, as (Kind, name) pairs in
    its namespace, e.g. `("Secret", "thornus-secrets")`, or cluster-scoped (`("Namespace",
    "ingress-nginx")`): validation accepts references to them instead of reporting them missing."""

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


class FakoObject(cdk8s.ApiObject):
    """One Kubernetes object: a cdk8s `ApiObject` whose body fako builds in Python.

    Made with one jsii call; the body never crosses into Node unless cdk8s itself synths
    the app (it then calls `toJson`, answered from the Python side). `typed` is False only
    for the raw escape hatch (`fako.constructs.raw`).
    """

    typed: ClassVar[bool] = True

    def __init__(self, scope: Scope, id: str, manifest: dict[str, Any], *, sops_file: Path | None = None) -> None:
        ctx = context_of(scope)
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
    "fako._jsii",
)


@functools.cache
def _relative(file: str) -> str:
    try:
        return str(Path(file).resolve().relative_to(Path.cwd()))
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
