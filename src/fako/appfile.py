"""`--app-file`: a cluster definition holding just the apps one Python file defines."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from fako import progress
from fako.definition import ClusterDefinition, LayerDefinition, Unit
from fako.errors import FakoError, Problem, SpecError
from fako.specerrors import problems_from
from fako.tree import AppConstruct

__all__ = ["definition_from_file"]


def definition_from_file(path: Path) -> ClusterDefinition:
    """Import `path` and render every `AppConstruct` subclass it defines, standalone."""
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
    layers: dict[str, list[Unit]] = {}
    for app in apps:
        layers.setdefault(app.default_layer, []).append(Unit(app))
    return ClusterDefinition(name=path.stem, layers=[LayerDefinition(k, v) for k, v in layers.items()])
