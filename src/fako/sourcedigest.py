"""Digests of fako's own source: the whole package, or what one module can reach.

`SourceIndex` reads every file of the installed `fako` package once (code, and the
scripts and configs under `files/` folders) and hashes it. A module's *closure* is the
set of fako modules it imports, directly or through others (found statically in the
source, so nothing is imported to find it), with every package `__init__` on the way;
its digest covers the source of each and every file shipped in their `files/<module>/`
folders (what `read_file` can read). A module that imports by computed name
(`importlib.import_module`, `__import__`) could reach anything: its closure is the
whole package.

Only the standard library is used: computing a digest never starts Node or builds a model.
"""

from __future__ import annotations

import ast
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ModuleFacts", "SourceIndex", "module_facts"]

_DYNAMIC = frozenset({"import_module", "__import__", "spec_from_file_location", "exec_module"})


@dataclass(frozen=True)
class ModuleFacts:
    """What the static reading of one module found: the modules it names in imports
    (absolute, resolved), whether it imports by computed name, the attribute names it reads."""

    imports: tuple[str, ...]
    dynamic: bool
    attributes: tuple[str, ...]


def module_facts(source: bytes, module: str, is_package: bool) -> ModuleFacts:
    """Read `source` (module `module`) without running it."""
    tree = ast.parse(source)
    package = module if is_package else module.rpartition(".")[0]
    imports: set[str] = set()
    attributes: set[str] = set()
    dynamic = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            imports.add(base)
            imports.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.Attribute):
            attributes.add(node.attr)
            dynamic = dynamic or node.attr in _DYNAMIC
        elif isinstance(node, ast.Name) and node.id in _DYNAMIC:
            dynamic = True
    return ModuleFacts(tuple(sorted(imports)), dynamic, tuple(sorted(attributes)))


class SourceIndex:
    """The files of the package at `folder` (named `package`), read and hashed once.

    `memo` maps a file's digest to its `ModuleFacts` as JSON-ready lists, so a module
    is parsed only when its source changed; `memo_changed` says whether it grew.
    """

    def __init__(
        self,
        folder: Path,
        package: str = "fako",
        memo: dict[str, list[object]] | None = None,
        trusted: frozenset[str] = frozenset(),
    ) -> None:
        self.folder = folder
        self.trusted = trusted
        """Modules whose imports by computed name import only what their caller names
        (`fako.definition.discover`): their closure is what they import statically."""
        self.package = package
        self.memo: dict[str, list[object]] = dict(memo or {})
        self.memo_changed = False
        self.files: dict[str, str] = {}
        """Relative path (with '/') -> SHA-256 of the file's bytes."""
        self._sources: dict[str, bytes] = {}
        self._facts: dict[str, ModuleFacts] = {}
        self._closures: dict[str, frozenset[str]] = {}
        self._names: list[str] = []
        self._reach: dict[str, int] = {}
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            rel = os.path.relpath(dirpath, folder)
            prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
            for name in sorted(filenames):
                if name.endswith((".pyc", ".pyo")):
                    continue
                with open(os.path.join(dirpath, name), "rb") as handle:
                    data = handle.read()
                path = prefix + name
                self.files[path] = hashlib.sha256(data).hexdigest()
                if name.endswith(".py") and "/files/" not in f"/{prefix}":
                    self._sources[path] = data
        self.modules: dict[str, str] = {self._module_name(path): path for path in self._sources}
        """Module name -> relative path of its source."""
        self._shipped: dict[str, list[str]] = {}
        for path in self.files:
            parts = path.split("/")
            for i, part in enumerate(parts[:-2]):
                if part == "files":
                    self._shipped.setdefault("/".join(parts[: i + 2]) + "/", []).append(path)
                    break
        self._digests: dict[str, str] = {}

    def _module_name(self, path: str) -> str:
        parts = path[: -len(".py")].split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        return ".".join([self.package, *parts])

    def digest(self, paths: Iterable[str] | None = None) -> str:
        """The digest of the given files (default: every file of the package), names included."""
        chosen = sorted(self.files if paths is None else set(paths))
        h = hashlib.sha256()
        for path in chosen:
            h.update(f"{path}\0{self.files[path]}\n".encode())
        return h.hexdigest()

    def facts(self, module: str) -> ModuleFacts:
        """The static facts of a module of the package."""
        found = self._facts.get(module)
        if found is not None:
            return found
        path = self.modules[module]
        digest = self.files[path]
        cached = self.memo.get(digest)
        facts: ModuleFacts | None = None
        if isinstance(cached, list) and len(cached) == 3:
            imports, dynamic, attributes = cached
            if (
                isinstance(imports, list)
                and all(isinstance(i, str) for i in imports)
                and isinstance(dynamic, bool)
                and isinstance(attributes, list)
                and all(isinstance(a, str) for a in attributes)
            ):
                facts = ModuleFacts(tuple(imports), dynamic, tuple(attributes))
        if facts is None:
            facts = module_facts(self._sources[path], module, path.endswith("__init__.py"))
            self.memo[digest] = [list(facts.imports), facts.dynamic, list(facts.attributes)]
            self.memo_changed = True
        self._facts[module] = facts
        return facts

    def _parents(self, module: str) -> list[str]:
        parts = module.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts))]

    def closure(self, module: str) -> frozenset[str]:
        """Every package module `module` can run on import: itself, what it imports, transitively."""
        found = self._closures.get(module)
        if found is None:
            bits = self.closure_bits(module)
            names = self._names
            members = []
            while bits:
                low = bits & -bits
                members.append(names[low.bit_length() - 1])
                bits ^= low
            found = self._closures[module] = frozenset(members)
        return found

    def closure_bits(self, module: str) -> int:
        """`closure(module)` as a bit set over the package's modules (see `bits`)."""
        if not self._reach:
            self._names = sorted(self.modules)
            self._reach = self._all_closures()
        return self._reach.get(module, 0)

    def bits(self, modules: Iterable[str]) -> int:
        """A bit set of `modules`, to intersect with `closure_bits`."""
        if not self._reach:
            self.closure_bits("")
        number = {name: i for i, name in enumerate(self._names)}
        found = 0
        for name in modules:
            if name in number:
                found |= 1 << number[name]
        return found

    def _edges(self, name: str) -> list[str]:
        facts = self.facts(name)
        found = [p for p in self._parents(name) if p in self.modules]
        found += [i for i in facts.imports if i in self.modules]
        return found

    def _all_closures(self) -> dict[str, int]:
        """Every module's closure at once: the import graph's strongly connected components
        (Tarjan's algorithm, iterative), each one's reach computed from those it imports,
        as bit sets over `_names`. A module that imports by computed name (and is not
        trusted) reaches the whole package, and so does every module that reaches it."""
        names = self._names
        number = {name: i for i, name in enumerate(names)}
        edges = [[number[e] for e in self._edges(name)] for name in names]
        dynamic = [self.facts(name).dynamic and name not in self.trusted for name in names]
        everything = (1 << len(names)) - 1
        index = [-1] * len(names)
        low = [0] * len(names)
        on_stack = [False] * len(names)
        stack: list[int] = []
        component = [-1] * len(names)
        reach: list[int] = []  # per component, in the order they are completed
        counter = 0
        for root in range(len(names)):
            if index[root] != -1:
                continue
            work = [(root, 0)]
            while work:
                node, i = work.pop()
                if i == 0:
                    index[node] = low[node] = counter
                    counter += 1
                    stack.append(node)
                    on_stack[node] = True
                if i < len(edges[node]):
                    work.append((node, i + 1))
                    nxt = edges[node][i]
                    if index[nxt] == -1:
                        work.append((nxt, 0))
                    elif on_stack[nxt]:
                        low[node] = min(low[node], index[nxt])
                    continue
                if work and work[-1][1] > 0:  # back in the caller: carry the low link up
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    members = []
                    while True:
                        member = stack.pop()
                        on_stack[member] = False
                        component[member] = len(reach)
                        members.append(member)
                        if member == node:
                            break
                    bits = 0
                    for member in members:
                        bits |= everything if dynamic[member] else 1 << member
                        for target in edges[member]:
                            if component[target] != len(reach):
                                bits |= reach[component[target]]
                    reach.append(bits)
        return {name: reach[component[i]] for i, name in enumerate(names)}

    def closure_files(self, modules: Iterable[str]) -> set[str]:
        """The source files of `modules` and every file in their `files/<module>/` folders."""
        paths: set[str] = set()
        for module in modules:
            path = self.modules[module]
            paths.add(path)
            folder, _, name = path.rpartition("/")
            shipped = f"{folder}/files/{name[: -len('.py')]}/" if folder else f"files/{name[: -len('.py')]}/"
            paths.update(self._shipped.get(shipped, ()))
        return paths

    def closure_digest(self, module: str) -> str:
        """The digest of everything `module` can read or run from the package."""
        found = self._digests.get(module)
        if found is None:
            found = self._digests[module] = self.digest(self.closure_files(self.closure(module)))
        return found
