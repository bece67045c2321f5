"""Stand-ins for unchanged units, so a render that rebuilds one app imports one app.

A cluster definition imports every unit's module (apps, operators, configs), and those
import the models and patterns they build with: most of what a render that reuses all
but one unit from the cache spends before it builds anything. When a unit's module and
everything it imports are unchanged, and the render cache holds what the unit made for
this very run, the module is not needed: the definition only names the unit's class,
and what the checks, the Flux wiring and the cache read from the class are its
class-level declarations (`name`, `namespace`, `databases`, `external`, `fixture`, ...).

`fako.rendercache.RenderCache` records those declarations, with each module's closure
digest, after every render it stores whole (`record_units`), and before the next one
decides which modules may stand in (`plan_stubs`): a module qualifies when its closure
is unchanged, nothing in it walks the tree or reads the cluster's objects, every other
module of the package that imports it takes only its unit classes from it, and its
units' cache entries restore (they are read then and handed to the build). A unit whose
key takes in every unit's declarations (the Postgres cluster's, which reads them all)
has a key only the build can make: it stands in on its unchanged closure alone.
`install` then puts a finder first on `sys.meta_path` that answers an import of such a
module with a module of the same name and file holding, for each unit, a class of the
same name and module carrying the recorded declarations. The build reuses the cached
objects instead of building it; should it have to build one after all, the stand-in
imports its module for real and becomes the real class before it builds.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fako.errors import FakoError

if TYPE_CHECKING:
    from fako.rendercache import RenderCache

__all__ = [
    "StubFinder",
    "StubUnit",
    "declarations",
    "decode_value",
    "encode_value",
    "install",
    "is_stub",
    "real_class",
    "stand_in",
]

_SIMPLE = (str, int, float, bool, type(None))
_METHODS = (types.FunctionType, property, staticmethod, classmethod)


def encode_value(value: Any) -> Any:
    """A class-level declaration as JSON (tuples tagged); raises TypeError for anything else."""
    if type(value) in _SIMPLE:
        return value
    if type(value) is tuple:
        return {"tuple": [encode_value(v) for v in value]}
    raise TypeError(f"a {type(value).__name__} declaration cannot stand in")


def decode_value(value: Any) -> Any:
    """The declaration `encode_value` encoded; raises TypeError for anything else."""
    if type(value) in _SIMPLE:
        return value
    if type(value) is dict and set(value) == {"tuple"} and type(value["tuple"]) is list:
        return tuple(decode_value(v) for v in value["tuple"])
    raise TypeError("not an encoded declaration")


def declarations(cls: type) -> dict[str, Any] | None:
    """The class-level declarations of a unit class (every non-dunder attribute that is
    not a method, through its bases, the nearest winning), encoded; None when one cannot
    be (a unit whose class holds other values, a list or a model, is always imported)."""
    from fako.tree import AppConstruct

    values: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if klass is object or (issubclass(AppConstruct, klass) and klass is not AppConstruct):
            continue
        for name, value in vars(klass).items():
            if name.startswith("__") or isinstance(value, _METHODS):
                continue
            values[name] = value
    try:
        return {name: encode_value(value) for name, value in sorted(values.items())}
    except TypeError:
        return None


@dataclass(frozen=True)
class StubUnit:
    """A unit class to stand in for: its name in the module and its declarations."""

    qualname: str
    declarations: Mapping[str, Any]


def is_stub(cls: type) -> bool:
    """Whether `cls` is a stand-in made here."""
    return bool(cls.__dict__.get("__fako_stub__", False))


def real_class(stub: type) -> type:
    """The class `stub` stands in for, from its module imported for real (the finder
    no longer answers for it)."""
    module = stub.__module__
    for finder in sys.meta_path:
        if isinstance(finder, StubFinder):
            finder.modules.pop(module, None)
    if getattr(sys.modules.get(module), "__fako_stubs__", False):
        del sys.modules[module]
    real = getattr(importlib.import_module(module), stub.__qualname__, None)
    if not isinstance(real, type) or is_stub(real):
        raise FakoError(f"{module} no longer defines {stub.__qualname__}")
    return real


def _stub_build(self: Any) -> None:
    """A stand-in's unit must be built after all (its cached objects are gone, or its key
    takes in declarations that changed): it becomes the real unit and builds."""
    self.__class__ = real_class(type(self))
    self.build()


class StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers the import of each planned module with its stand-in."""

    def __init__(self, modules: Mapping[str, tuple[str, Sequence[StubUnit]]]) -> None:
        self.modules = dict(modules)
        """Module name -> (its source file, its units)."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        found = self.modules.get(fullname)
        if found is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, origin=found[0])

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        from fako.tree import AppConstruct

        file, units = self.modules[module.__name__]
        module.__file__ = file
        module.__fako_stubs__ = True  # type: ignore[attr-defined]
        for unit in units:
            namespace: dict[str, Any] = {name: decode_value(v) for name, v in unit.declarations.items()}
            namespace.update(
                __module__=module.__name__, __qualname__=unit.qualname, __fako_stub__=True, build=_stub_build
            )
            namespace["__doc__"] = f"Stands in for the unchanged unit {unit.qualname} ({file})."
            setattr(module, unit.qualname, type(unit.qualname, (AppConstruct,), namespace))


def install(modules: Mapping[str, tuple[str, Sequence[StubUnit]]]) -> StubFinder | None:
    """Put a finder for `modules` first on `sys.meta_path` (none when there are none, or
    one of them is imported already)."""
    if not modules or any(name in sys.modules for name in modules):
        return None
    finder = StubFinder(modules)
    sys.meta_path.insert(0, finder)
    return finder


def stand_in(cache: RenderCache) -> int:
    """Put stand-ins in place for the unit modules `cache` plans; how many (0 when none)."""
    planned = cache.plan_stubs()
    return len(planned) if install(planned) is not None else 0
