"""The render cache: reuse what an unchanged unit rendered, and a whole unchanged render.

Two kinds of entry, both keyed by a SHA-256 of everything that can change them:

- a **render** entry holds a whole render (files, objects with provenance, what was left
  out) and is keyed by the *tree key*: every file of the fako package (code, and the
  scripts and configs under `files/`), every file under the checkout's secrets folder,
  the settings of the run (cluster, checkout, secrets folder, switched-off apps or not)
  and the versions of Python, fako and the libraries that shape output. A hit answers
  without importing an app, starting Node or building a model;
- a **unit** entry holds one unit's objects and is keyed by the *unit key*: the same
  settings and versions, the unit's layer and class, and the digest of its module's
  closure (`fako.sourcedigest`: every fako module it can import, their `files/`).
  A unit whose closure reads the cluster's list of units (the Postgres cluster's
  database-init Job reads every app's `databases`) is also keyed on every unit's
  class-level declarations; one whose closure reads the cluster's objects or layers,
  or walks the construct tree, is never cached. The encrypted files a unit passes
  through are recorded in its entry with their digests and checked on every use.

The Flux wiring and other steps that read the whole cluster always run again, over the
reused objects and the rebuilt ones alike, and so do all checks.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fako
from fako.cachestore import CacheStore
from fako.fluxgraph import PROVIDES as _PROVIDES
from fako.rendered import Absent, Render, RenderedObject
from fako.sourcedigest import SourceIndex

if TYPE_CHECKING:
    from fako.definition import ClusterDefinition
    from fako.objectmemo import StoredObjectMemo
    from fako.unitstubs import StubUnit

__all__ = ["FORMAT", "CachedObject", "RenderCache", "RunSettings", "is_json_data"]

FORMAT = "fako-render-cache/1"
"""Changes whenever what an entry holds or how keys are made changes."""

_LIBRARIES = ("pydantic", "pydantic-core", "cdk8s", "constructs", "jsii", "kubernetes-validate", "PyYAML", "jsonschema")
_FRAMEWORK = frozenset(
    {"fako.tree", "fako.definition", "fako.rendercache", "fako.objectmemo", "fako.current", "fako.unitstubs"}
)
"""Modules that manage the cluster's lists and the cache themselves (what they read there is
not a unit's input; their source is still part of every unit's key)."""
_TRUSTED = _FRAMEWORK | {"fako.validation"}
"""Modules whose imports by computed name are known: `fako.definition.discover` imports what
its caller names, and `fako.unitstubs` the module a stand-in stands for; `fako.validation`
loads on first use the modules it names statically for type checkers. Their closures are
what they import statically."""
_TREE_WALKS = frozenset({"node", "children", "find_all", "find_child", "try_find_child"})
_CLUSTER_WIDE = frozenset({"objects", "layers"})


def _h(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _normal(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def _versions() -> str:
    """Python's, fako's and the output-shaping libraries' versions, read from the names of
    their `*.dist-info` folders on `sys.path` (what `importlib.metadata` reads, without
    its import cost)."""
    wanted = {_normal(name) for name in _LIBRARIES}
    found = {f"python={sys.version}", f"fako={fako.__version__}", f"FORMAT={FORMAT}"}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                dist, _, version = name[: -len(".dist-info")].partition("-")
                if _normal(dist) in wanted:
                    found.add(f"{_normal(dist)}={version}@{entry}")
    return "\n".join(sorted(found))


def is_json_data(value: Any) -> bool:
    """Whether `value` survives a JSON round trip exactly (types included): dicts with
    string keys, lists, strings, ints, finite floats, booleans and None."""
    stack = [value]
    while stack:
        v = stack.pop()
        t = type(v)
        if t is dict:
            if not all(type(k) is str for k in v):
                return False
            stack.extend(v.values())
        elif t is list:
            stack.extend(v)
        elif t is float:
            if not math.isfinite(v):
                return False
        elif t not in (str, int, bool, type(None)):
            return False
    return True


@dataclass(frozen=True)
class RunSettings:
    """What, besides the source, decides a render: the cluster, the checkout it is rendered
    from (its secrets folder), and whether switched-off apps are built."""

    cluster: str
    root: Path
    secrets_dir: str
    include_disabled: bool

    def text(self) -> str:
        return json.dumps(
            [self.cluster, str(self.root.resolve()), self.secrets_dir, self.include_disabled], ensure_ascii=False
        )


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes; None when it is not a regular file."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None


def folder_digest(folder: Path) -> str:
    """The digest of every file under `folder` (names and bytes), or of its absence."""
    h = hashlib.sha256()
    if not folder.is_dir():
        return _h("absent", str(folder))
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            h.update(f"{os.path.relpath(path, folder)}\0{file_digest(Path(path))}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


class CachedObject:
    """A unit's object brought back from the cache: what a `FakoObject` tells the render,
    the Flux wiring and the checks, without a construct behind it."""

    typed: bool

    def __init__(
        self,
        unit: type | None,
        layer_name: str,
        manifest: dict[str, Any],
        construct_path: str,
        construct_class: str,
        origin: str,
        typed: bool,
        sops_file: Path | None,
        provides: tuple[str, ...] | None,
    ) -> None:
        self.unit = unit
        self.layer_name = layer_name
        self.app_name: str = getattr(unit, "name", "")
        self.manifest = manifest
        self.construct_path = construct_path
        self.construct_class = construct_class
        self.origin = origin
        self.typed = typed
        self.sops_file = sops_file
        if provides is not None:
            setattr(self, _PROVIDES, provides)


@dataclass
class _Pending:
    key: str
    layer: str
    app: str
    objects: Sequence[Any]


@dataclass
class RenderCache:
    """Keys, lookups and stores for one run (`settings`) against one `store`."""

    store: CacheStore
    settings: RunSettings
    index: SourceIndex
    hits: list[str] = field(default_factory=list)
    """Units reused from the cache in this run, as `layer/app`."""
    misses: list[str] = field(default_factory=list)
    """Units with a key that were not in the cache in this run."""
    units: int = 0
    """Units this run considered (cacheable or not)."""
    _base: str = ""
    _declarations: str | None = None
    _pending: list[_Pending] = field(default_factory=list)
    _preloaded: dict[str, tuple[str, list[CachedObject]]] = field(default_factory=dict)
    _readers: tuple[int, int, int] | None = None

    @classmethod
    def open(cls, store: CacheStore, settings: RunSettings) -> RenderCache:
        """Index fako's package (its files are read and hashed here) for a run."""
        memo_key = _h(FORMAT, "imports")
        memo = store.read_json("imports", memo_key)
        index = SourceIndex(Path(fako.__file__).parent, memo=memo if isinstance(memo, dict) else None, trusted=_TRUSTED)
        cache = cls(store, settings, index)
        cache._base = _h(_versions(), settings.text())
        return cache

    def tree_key(self) -> str:
        """The key of a whole render: the package, the secrets folder, settings, versions."""
        return self._tree_key(self.index.digest())

    def _tree_key(self, package: str) -> str:
        secrets = folder_digest(self.settings.root / self.settings.secrets_dir)
        return _h(self._base, "tree", package, secrets)

    def still_current(self, key: str) -> bool:
        """Whether the package and secrets folder still hash to `key` (read again from disk):
        False when a file was edited while a render ran, whose entries must not be stored."""
        return self._tree_key(SourceIndex(self.index.folder, memo={}).digest()) == key

    # -- whole renders ---------------------------------------------------------------

    def load_render(self, key: str) -> tuple[Render, list[str], list[str]] | None:
        """The render stored under `key`, its layer names and its switched-off units
        (`layer/app`), or None."""
        entry = self.store.read_json("render", key)
        try:
            return _decode_render(entry)
        except (TypeError, ValueError, KeyError):
            return None

    def save_render(self, key: str, render: Render, layers: Sequence[str], off: Sequence[str]) -> None:
        """Store a whole render (when its objects survive JSON exactly)."""
        if not all(is_json_data(o.manifest) for o in render.objects):
            return
        self.store.write_json("render", key, _encode_render(render, layers, off))

    def load_report(self, key: str, mode: str) -> list[dict[str, str]] | None:
        """The findings a check `mode` found in the render `key`, as stored."""
        entry = self.store.read_json("report", _h(key, mode))
        if not isinstance(entry, dict) or entry.get("format") != FORMAT:
            return None
        findings = entry.get("findings")
        if not isinstance(findings, list) or not all(
            isinstance(f, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in f.items())
            for f in findings
        ):
            return None
        return findings

    def save_report(self, key: str, mode: str, findings: Iterable[dict[str, str]]) -> None:
        """Store the findings of check `mode` over render `key`."""
        self.store.write_json("report", _h(key, mode), {"format": FORMAT, "findings": list(findings)})

    def load_facts(self, key: str) -> dict[str, Any] | None:
        """The validation facts stored with the render `key` (JSON form), or None."""
        entry = self.store.read_json("report", _h(key, "facts"))
        if not isinstance(entry, dict) or entry.get("format") != FORMAT or not isinstance(entry.get("facts"), dict):
            return None
        facts: dict[str, Any] = entry["facts"]
        return facts

    def save_facts(self, key: str, facts: dict[str, Any]) -> None:
        """Store the validation facts of render `key` (JSON form)."""
        self.store.write_json("report", _h(key, "facts"), {"format": FORMAT, "facts": facts})

    def object_memo(self, settings: str) -> StoredObjectMemo:
        """The remembered single-object findings for validation code as it is now and `settings`."""
        from fako.objectmemo import StoredObjectMemo

        # fako.crdcheck finds the models by computed name (fako.k8s.crds.*): its closure is
        # named here instead of read, which would take in the whole package
        modules = {"fako.crdcheck", "fako.checks"} | {m for m in self.index.modules if m.startswith("fako.k8s")}
        for module in ("fako.validation", *sorted(m for m in self.index.modules if m.startswith("fako.k8s"))):
            modules |= self.index.closure(module)
        code = self.index.digest(self.index.closure_files(modules))
        return StoredObjectMemo(self.store, _h(self._base, "objects", code, settings))

    # -- units -----------------------------------------------------------------------

    def _declarations_digest(self, units: Sequence[type]) -> str:
        if self._declarations is None:
            parts = []
            for unit in units:
                values: dict[str, str] = {}
                for klass in reversed(unit.__mro__):
                    for name, value in vars(klass).items():
                        if not name.startswith("__") and isinstance(
                            value, str | int | float | bool | tuple | frozenset | type(None)
                        ):
                            values[name] = repr(value)
                parts.append(json.dumps([unit.__module__, unit.__qualname__, sorted(values.items())]))
            self._declarations = _h(*parts)
        return self._declarations

    def _cacheable(self, module: str) -> tuple[bool, bool]:
        """Whether a unit of `module` can be cached, and whether its key takes in every
        unit's declarations (its closure reads the cluster's list of units)."""
        if module not in self.index.modules:
            return False, False
        if self._readers is None:
            self._readers = self._reader_bits()
        walks, cluster_wide, units = self._readers
        closure = self.index.closure_bits(module)
        if closure & (walks | cluster_wide):
            return False, False
        return True, bool(closure & units)

    def _reader_bits(self) -> tuple[int, int, int]:
        """The package's modules (fako's framework left out) that walk the construct tree,
        that read the cluster's objects or layers, and that read its list of units."""
        walks: list[str] = []
        cluster_wide: list[str] = []
        units: list[str] = []
        for module in self.index.modules:
            if module in _FRAMEWORK:
                continue
            attributes = set(self.index.facts(module).attributes)
            if attributes & _TREE_WALKS:
                walks.append(module)
            if "cluster" in attributes and attributes & _CLUSTER_WIDE:
                cluster_wide.append(module)
            if "cluster" in attributes and "units" in attributes:
                units.append(module)
        return self.index.bits(walks), self.index.bits(cluster_wide), self.index.bits(units)

    def _unit_key(self, layer: str, module: str, qualname: str, declarations: str) -> str:
        return _h(self._base, "unit", layer, module, qualname, self.index.closure_digest(module), declarations)

    def unit_key(self, layer: str, unit: type, units: Sequence[type]) -> str | None:
        """The key of `unit` built in `layer`; None when its output cannot be cached."""
        self.units += 1
        cacheable, reads_units = self._cacheable(unit.__module__)
        if not cacheable:
            return None
        declarations = self._declarations_digest(units) if reads_units else ""
        return self._unit_key(layer, unit.__module__, unit.__qualname__, declarations)

    # -- stand-ins for unchanged units (fako.unitstubs) -------------------------------

    def _record_key(self) -> str:
        return _h(self._base, "units")

    def record_units(self, definition: ClusterDefinition) -> None:
        """Remember the declarations of the units of `definition`, whose render was stored
        whole, for `plan_stubs` in the next run."""
        from fako.unitstubs import declarations

        found = []
        for layer in definition.layers:
            for unit in layer.units:
                cls, module = unit.app, unit.app.__module__
                declared = declarations(cls)
                top_level = cls.__qualname__.isidentifier()  # a stand-in is made at module level
                if declared is not None and top_level and module in self.index.modules:
                    found.append([layer.name, module, cls.__qualname__, declared, self.index.closure_digest(module)])
        self.store.write_json("units", self._record_key(), {"format": FORMAT, "units": found})

    def plan_stubs(self) -> dict[str, tuple[str, list[StubUnit]]]:
        """The unit modules that may stand in this run (`fako.unitstubs`): module name ->
        (its file, its units). Their units' cache entries are read here and kept for
        `restore`, so a planned unit is never missing from the cache when it is built;
        but a unit whose key takes in every unit's declarations (the Postgres cluster's)
        has a key only the build can make: it stands in when its closure is the one
        recorded (so are its declarations), and should its entry be missing, it imports
        its module and builds after all (`fako.unitstubs`)."""
        from fako.unitstubs import StubUnit

        entry = self.store.read_json("units", self._record_key())
        if not isinstance(entry, dict) or entry.get("format") != FORMAT or not isinstance(entry.get("units"), list):
            return {}
        by_module: dict[str, list[tuple[str, str, dict[str, Any], str]]] = {}
        for item in entry["units"]:
            if not (isinstance(item, list) and len(item) == 5 and all(isinstance(x, str) for x in item[:3])):
                return {}
            if not isinstance(item[3], dict) or not isinstance(item[4], str):
                return {}
            by_module.setdefault(item[1], []).append((item[0], item[2], item[3], item[4]))
        imported_names: dict[str, set[str]] = {}
        for other in self.index.modules:
            for name in self.index.facts(other).imports:
                target, _, member = name.rpartition(".")
                if name in by_module:
                    imported_names.setdefault(name, set()).add(other)
                if target in by_module and other != target:
                    imported_names.setdefault(target, set()).add(f"{other}:{member}")
        planned: dict[str, tuple[str, list[StubUnit]]] = {}
        preloaded: dict[str, tuple[str, list[CachedObject]]] = {}
        for module, units in sorted(by_module.items()):
            if not all(qualname.isidentifier() and _decodable(declared) for _, qualname, declared, _ in units):
                continue  # not what record_units writes: the real module is imported
            classes = {qualname for _, qualname, _, _ in units}
            importers = imported_names.get(module, set())
            members = {i.partition(":")[2] for i in importers if ":" in i}
            plain = {i for i in importers if ":" not in i} - {i.partition(":")[0] for i in importers if ":" in i}
            if plain or not members <= classes:
                continue  # another module takes more than the unit classes from it
            cacheable, reads_units = self._cacheable(module)
            if not cacheable:
                continue
            if reads_units:
                if any(closure != self.index.closure_digest(module) for _, _, _, closure in units):
                    continue
            else:
                found = {}
                for layer, qualname, _, _ in units:
                    key = self._unit_key(layer, module, qualname, "")
                    entry = self.store.read_json("unit", key)
                    objects = _decoded(entry, layer, self.settings.root)
                    if objects is None:
                        break
                    found[key] = (entry["app"], objects)
                if len(found) != len(units):
                    continue
                preloaded.update(found)
            stubs = [StubUnit(qualname, declared) for _, qualname, declared, _ in units]
            planned[module] = (str(self.index.folder / self.index.modules[module]), stubs)
        self._preloaded.update(preloaded)
        return planned

    def restore(self, key: str, layer: str, unit: type) -> list[CachedObject] | None:
        """The objects of `unit` stored under `key`, when every file it passed through is
        unchanged; None otherwise."""
        objects: list[CachedObject] | None
        if key in self._preloaded:  # read and checked by plan_stubs; made for no unit yet
            app, objects = self._preloaded.pop(key)
            if app != getattr(unit, "name", None):
                objects = None
            for obj in objects or ():
                obj.unit, obj.app_name = unit, app
        else:
            objects = _decoded(self.store.read_json("unit", key), layer, self.settings.root, unit)
        name = f"{layer}/{getattr(unit, 'name', '')}"
        (self.misses if objects is None else self.hits).append(name)
        return objects

    def record(self, key: str, layer: str, app: str, objects: Sequence[Any]) -> None:
        """Remember a unit built in this run; stored by `flush` once the render succeeded."""
        self._pending.append(_Pending(key, layer, app, list(objects)))

    def flush(self) -> None:
        """Store the units recorded in this run, and the parse memo of fako's modules."""
        for pending in self._pending:
            entry = _encode_unit(pending, self.settings.root)
            if entry is not None:
                self.store.write_json("unit", pending.key, entry)
        self._pending.clear()
        if self.index.memo_changed:
            self.store.write_json("imports", _h(FORMAT, "imports"), self.index.memo)
            self.index.memo_changed = False
        for kind in ("unit", "render", "report"):
            self.store.prune(kind)


# -- entry formats -------------------------------------------------------------------


def _relative_to(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _encode_unit(pending: _Pending, root: Path) -> dict[str, Any] | None:
    objects = []
    deps: dict[str, str | None] = {}
    for obj in pending.objects:
        if not is_json_data(obj.manifest) or obj.layer_name != pending.layer or obj.app_name != pending.app:
            return None
        sops = obj.sops_file
        if sops is not None:
            deps[str(sops)] = file_digest(sops)
        provides = getattr(obj, _PROVIDES, None)
        if provides is not None and not (isinstance(provides, tuple) and all(isinstance(p, str) for p in provides)):
            return None
        objects.append(
            {
                "manifest": obj.manifest,
                "path": obj.construct_path,
                "class": obj.construct_class,
                "origin": obj.origin,
                "typed": bool(obj.typed),
                "sops": None if sops is None else str(sops),
                "provides": None if provides is None else list(provides),
            }
        )
    return {"format": FORMAT, "layer": pending.layer, "app": pending.app, "objects": objects, "deps": deps}


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _decodable(declared: dict[str, Any]) -> bool:
    """Whether recorded declarations decode (`fako.unitstubs.decode_value`) under names a
    class can hold."""
    from fako.unitstubs import decode_value

    try:
        for name, value in declared.items():
            decode_value(value)
            if not name.isidentifier() or name.startswith("__"):
                return False
    except TypeError:
        return False
    return True


def _decoded(entry: Any, layer: str, root: Path, unit: type | None = None) -> list[CachedObject] | None:
    """The objects of a unit entry (None when its format is wrong or a file it passed
    through changed), made for `unit` (or for none yet: `plan_stubs`)."""
    try:
        return _decode_unit(entry, layer, unit, root)
    except (TypeError, ValueError, KeyError):
        return None


def _decode_unit(entry: Any, layer: str, unit: type | None, root: Path) -> list[CachedObject] | None:
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        return None
    if entry["layer"] != layer or (unit is not None and entry["app"] != getattr(unit, "name", None)):
        return None
    deps = entry["deps"]
    if not isinstance(deps, dict):
        return None
    for path, digest in deps.items():
        if file_digest(Path(_str(path))) != digest:
            return None
    objects = []
    for item in entry["objects"]:
        manifest = item["manifest"]
        if not isinstance(manifest, dict) or not isinstance(manifest.get("metadata"), dict):
            return None
        sops = item["sops"]
        provides = item["provides"]
        if provides is not None and not (isinstance(provides, list) and all(isinstance(p, str) for p in provides)):
            return None
        if not isinstance(item["typed"], bool):
            return None
        objects.append(
            CachedObject(
                unit,
                layer,
                manifest,
                _str(item["path"]),
                _str(item["class"]),
                _str(item["origin"]),
                item["typed"],
                None if sops is None else Path(_str(sops)),
                None if provides is None else tuple(provides),
            )
        )
    return objects or None


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _bytes(text: Any) -> bytes:
    return _str(text).encode("utf-8", "surrogateescape")


def _encode_render(render: Render, layers: Sequence[str], off: Sequence[str]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "layers": list(layers),
        "off": list(off),
        "files": {path: _text(data) for path, data in render.files.items()},
        "objects": [
            [
                o.layer,
                o.app,
                o.manifest,
                o.path,
                o.construct_path,
                o.construct_class,
                o.source,
                o.typed,
                o.raw is not None,
            ]
            for o in render.objects
        ],
        "absent": [[a.app, a.kind, a.namespace, a.name, str(a.file)] for a in render.absent],
    }


def _decode_render(entry: Any) -> tuple[Render, list[str], list[str]] | None:
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        return None
    layers = [_str(x) for x in entry["layers"]]
    off = [_str(x) for x in entry["off"]]
    files_in = entry["files"]
    if not isinstance(files_in, dict):
        return None
    files = {_str(path): _bytes(text) for path, text in files_in.items()}
    render = Render(files=files)
    for item in entry["objects"]:
        layer, app, manifest, path, construct_path, construct_class, source, typed, raw = item
        if not isinstance(manifest, dict) or not isinstance(typed, bool) or not isinstance(raw, bool):
            return None
        path = _str(path)
        if raw and path not in files:
            return None
        render.objects.append(
            RenderedObject(
                _str(layer),
                _str(app),
                manifest,
                path,
                _str(construct_path),
                _str(construct_class),
                _str(source),
                typed,
                files[path] if raw else None,
            )
        )
    for app, kind, namespace, name, file in entry["absent"]:
        render.absent.append(Absent(_str(app), _str(kind), _str(namespace), _str(name), Path(_str(file))))
    return render, layers, off
