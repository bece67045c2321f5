"""A cluster definition: its layers, the units in each, which are switched on.

`build` makes the construct tree, instantiating every unit and collecting every problem
(a wrong spec, a module that raises) instead of stopping at the first, so one run
reports them all.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from fako import progress
from fako._jsii import settle
from fako.errors import Problem, SpecError
from fako.specerrors import module_file_of, problems_from
from fako.text import shown
from fako.tree import AppConstruct, Cluster, Layer, layer_name_problems, source_of
from fako.validation.facts import ClusterFacts

if TYPE_CHECKING:
    from fako.rendercache import RenderCache

__all__ = ["ClusterDefinition", "LayerDefinition", "Unit", "build", "discover"]


@dataclass(frozen=True)
class Unit:
    """One app, operator or config in a layer; `enabled=False` keeps it modelled but off."""

    app: type[AppConstruct]
    enabled: bool = True


@dataclass(frozen=True)
class LayerDefinition:
    """A Flux layer and its units, in the order they are rendered; `name` is an RFC 1123 label."""

    name: str
    units: Sequence[Unit]

    def __post_init__(self) -> None:
        problems = layer_name_problems(self.name)
        if problems:
            raise SpecError([Problem(f"layer {shown(repr(self.name))}", p) for p in problems])


@dataclass(frozen=True)
class ClusterDefinition:
    """What a cluster is made of. `extra` runs after the layers (Flux wiring and the like);
    `facts` is what validation knows of the cluster beyond its objects (node pools,
    storage classes, the Kubernetes version, the reviewed allow-list)."""

    name: str
    layers: Sequence[LayerDefinition]
    extra: Sequence[Callable[[Cluster], None]] = field(default_factory=tuple)
    facts: ClusterFacts = field(default_factory=ClusterFacts)


def discover(package: ModuleType, *, disabled: Iterable[str] = ()) -> list[Unit]:
    """Every app of `package` (one `AppConstruct` subclass per module), sorted by name.

    Adding an app is adding its module: nothing else registers it. `disabled` names the
    apps that stay modelled but switched off; a name there that no module defines, a
    module defining no app or two, and two modules claiming one name are errors.
    """
    problems: list[Problem] = []
    found: dict[str, type[AppConstruct]] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.ispkg or info.name.startswith("_"):
            continue
        qualified = f"{package.__name__}.{info.name}"
        progress.report(f"importing {qualified}")
        try:
            module = importlib.import_module(qualified)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            problems.extend(problems_from(exc, f"app module '{qualified}'", _module_path(package, info.name)))
            continue
        apps = [
            v
            for v in vars(module).values()
            if isinstance(v, type) and issubclass(v, AppConstruct) and v.__module__ == qualified
        ]
        if len(apps) != 1:
            what = "no AppConstruct subclass" if not apps else f"{len(apps)} AppConstruct subclasses"
            problems.append(
                Problem(
                    f"app module '{qualified}'",
                    f"defines {what}; an app module defines exactly one",
                    location=_module_path(package, info.name),
                )
            )
            continue
        app = apps[0]
        name = getattr(app, "name", None)
        if not isinstance(name, str) or not name:
            problems.append(
                Problem(f"app module '{qualified}'", f"{app.__qualname__} sets no `name`", location=source_of(app))
            )
            continue
        if name in found:
            problems.append(
                Problem(
                    f"app '{name}'", f"defined twice: {found[name].__module__} and {qualified}", location=source_of(app)
                )
            )
            continue
        found[name] = app
    off = set(disabled)
    problems.extend(
        Problem(
            f"app '{name}'",
            f"is listed as switched off, but no module in {package.__name__} defines it",
            fix="remove it from the table of switched-off apps",
        )
        for name in sorted(off - set(found))
    )
    if problems:
        raise SpecError(problems)
    return [Unit(found[name], enabled=name not in off) for name in sorted(found)]


def _module_path(package: ModuleType, name: str) -> str:
    return str(Path(package.__path__[0]) / f"{name}.py")


def build(
    definition: ClusterDefinition,
    *,
    include_disabled: bool = False,
    root: Path | None = None,
    secrets_dir: str = "secrets",
    cache: RenderCache | None = None,
) -> Cluster:
    """The construct tree of a cluster; raises `SpecError` listing every problem at once.

    With a render `cache`, a unit whose inputs are unchanged is not built: the objects it
    made last time stand in for it (`fako.rendercache`); units built are recorded there.
    Cluster-wide steps (`definition.extra`) always run, over every unit's objects.
    """
    cluster = Cluster(definition.name, root=root, secrets_dir=secrets_dir)
    problems: list[Problem] = []
    cluster.units = [unit.app for layer_def in definition.layers for unit in layer_def.units]
    cluster.complete = include_disabled
    for layer_def in definition.layers:
        layer = Layer(cluster, layer_def.name)
        for unit in layer_def.units:
            if not (unit.enabled or include_disabled):
                continue
            key = cache.unit_key(layer_def.name, unit.app, cluster.units) if cache is not None else None
            if cache is not None and key is not None:
                reused = cache.restore(key, layer_def.name, unit.app)
                if reused is not None:
                    cluster.objects.extend(reused)
                    continue
            before = len(cluster.objects)
            found = add_app(layer, unit.app)
            problems.extend(found)
            if cache is not None and key is not None and not found:
                cache.record(key, layer_def.name, getattr(unit.app, "name", ""), cluster.objects[before:])
    if not problems:
        for step in definition.extra:
            try:
                step(cluster)
                settle()
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # reported with the others, never swallowed
                problems.extend(problems_from(exc, f"cluster '{definition.name}'", module_file_of(type(step))))
    if problems:
        raise SpecError(problems)
    return cluster


def add_app(layer: Layer, app: type[AppConstruct]) -> list[Problem]:
    """Instantiate one app under a layer; its problems, if any, instead of an exception.

    Anything the app's code raises is its problem, `SystemExit` and other
    `BaseException`s included (an app calling `sys.exit(0)` must not end fako with
    success); only Ctrl-C (`KeyboardInterrupt`) goes through. An app that makes no
    object is a problem too: a render that silently lacks an app would be published.
    """
    where = f"app '{getattr(app, 'name', app.__name__)}'"
    progress.report(f"building app {getattr(app, 'name', app.__name__)}")
    before = len(layer._fako.cluster.objects)
    try:
        app(layer)
        settle()  # the kernel's answers to the app's creates: an error there is the app's
    except KeyboardInterrupt:
        raise
    except BaseException as exc:
        problems = problems_from(exc, where, module_file_of(app))
        return [p if p.location else Problem(p.where, p.message, p.field, source_of(app), p.fix) for p in problems]
    if len(layer._fako.cluster.objects) == before:
        return [
            Problem(
                where,
                "made no objects: build() created nothing",
                location=source_of(app),
                fix="create the app's objects in build(), or delete the module",
            )
        ]
    return []
