"""`--app-file`: the apps one Python file defines, judged in the cluster they join.

`fako synth --app-file FILE` and `fako validate --app-file FILE` render the cluster
(its switched-on apps) with the file's apps added, so an app is checked against the
issuers, secret stores, hostnames and databases of the others (`with_app_file`);
`fako validate --app NAME` does the same for an app the cluster already has
(`switch_on`). `definition_from_file` renders a file's apps on their own (what
`fako import` round-trips).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable
from pathlib import Path

from fako import progress
from fako.definition import ClusterDefinition, LayerDefinition, Unit
from fako.errors import FakoError, Problem, SpecError, UsageError
from fako.specerrors import problems_from
from fako.tree import AppConstruct

__all__ = ["apps_from_file", "definition_from_file", "switch_on", "with_app_file"]


def apps_from_file(path: Path) -> list[type[AppConstruct]]:
    """Import `path` and return every `AppConstruct` subclass with a `name` it defines."""
    if not path.is_file() or path.suffix != ".py":
        raise FakoError(f"{path}: not a Python file")
    name = f"_fako_appfile_{path.stem.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise FakoError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    progress.report(f"importing {path}")
    try:
        spec.loader.exec_module(module)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:
        raise SpecError(problems_from(exc, f"app file '{path}'", str(path))) from None
    apps = [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type)
        and issubclass(obj, AppConstruct)
        and obj.__module__ == name
        and getattr(obj, "name", None)
    ]
    if not apps:
        raise SpecError([Problem(f"app file '{path}'", "defines no AppConstruct subclass with a `name`")])
    return apps


def definition_from_file(path: Path) -> ClusterDefinition:
    """A cluster of just the file's apps, each in its default layer (no cluster around them)."""
    layers: dict[str, list[Unit]] = {}
    for app in apps_from_file(path):
        layers.setdefault(app.default_layer, []).append(Unit(app))
    return ClusterDefinition(name=path.stem, layers=[LayerDefinition(k, v) for k, v in layers.items()])


def with_app_file(definition: ClusterDefinition, path: Path) -> tuple[ClusterDefinition, tuple[str, ...]]:
    """`definition` with the file's apps added, switched on, and the names of those apps.

    Each app goes into its `default_layer` (a layer the cluster lacks is added after the
    others) and replaces an app of the same name, wherever it was: editing
    `src/fako/apps/x.py` and rendering it with `--app-file` shows the edited app in place
    of the cluster's copy. The cluster keeps its facts and its extra steps (Flux wiring).
    """
    apps = apps_from_file(path)
    names = {app.name for app in apps}
    units = {layer.name: [u for u in layer.units if u.app.name not in names] for layer in definition.layers}
    for app in apps:
        units.setdefault(app.default_layer, []).append(Unit(app))
    layers = [LayerDefinition(name, layer_units) for name, layer_units in units.items()]
    changed = ClusterDefinition(definition.name, layers, extra=definition.extra, facts=definition.facts)
    return changed, tuple(app.name for app in apps)


def switch_on(definition: ClusterDefinition, names: Iterable[str]) -> ClusterDefinition:
    """`definition` with the apps named switched on; a name no unit has is a UsageError."""
    wanted = set(names)
    known = {unit.app.name for layer in definition.layers for unit in layer.units}
    unknown = sorted(wanted - known)
    if unknown:
        raise UsageError(
            f"no app named {', '.join(map(repr, unknown))} in cluster '{definition.name}'; `fako apps` lists them"
        )
    layers = [
        LayerDefinition(layer.name, [Unit(u.app, u.enabled or u.app.name in wanted) for u in layer.units])
        for layer in definition.layers
    ]
    return ClusterDefinition(definition.name, layers, extra=definition.extra, facts=definition.facts)
