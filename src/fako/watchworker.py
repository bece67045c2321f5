"""The worker behind `fako watch`: a process that keeps fako's imports and Node up and
re-renders on request.

It reads one request per line on stdin (`render`) and answers one JSON line on stdout:
the objects of the render (identity -> digest of the manifest), the findings of its
checks, whether it was written, the seconds it took and the process's resident memory.
Between renders it reloads the fako modules whose source changed, and every module of
the cluster's definition that imports them (apps, patterns, constructs, clusters,
validation). When a module outside those changed (the construct tree, the models, the
render), reloading is not safe: it answers `{"restart": true}` and exits, and
`fako watch` starts a fresh worker.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["RELOADABLE", "serve"]

RELOADABLE = (
    "fako.apps",
    "fako.patterns",
    "fako.constructs",
    "fako.infra",
    "fako.monitoring",
    "fako.clusters",
    "fako.validation",
    "fako.checks",
    "fako.crdcheck",
)
"""Module prefixes a worker reloads in place when their source changes."""


def _reloadable(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in RELOADABLE)


def _rss_kib(pid: str = "self") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: str) -> list[str]:
    found: list[str] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.extend((task / "children").read_text().split())
    except OSError:
        pass
    return found


def _node_rss_kib() -> int:
    """The resident memory of the processes this one started (jsii's Node), summed."""
    total, todo = 0, _children(str(os.getpid()))
    while todo:
        pid = todo.pop()
        total += _rss_kib(pid)
        todo.extend(_children(pid))
    return total


def _order(index: Any, modules: set[str]) -> list[str]:
    """`modules` with each after the ones it imports (static imports; cycles broken by name)."""
    done: list[str] = []
    seen: set[str] = set()

    def visit(name: str, stack: set[str]) -> None:
        if name in seen or name in stack:
            return
        stack.add(name)
        for dep in sorted(index.facts(name).imports):
            if dep in modules:
                visit(dep, stack)
        stack.discard(name)
        seen.add(name)
        done.append(name)

    for name in sorted(modules):
        visit(name, set())
    return done


class Worker:
    """One warm render loop (see the module docstring)."""

    def __init__(self, cluster: str, out: Path | None, include_disabled: bool) -> None:
        self.cluster = cluster
        self.out = out
        self.include_disabled = include_disabled
        self.files: dict[str, str] | None = None
        self.warmed = False
        from fako.emit import EmitMemo

        self.emitted = EmitMemo()
        """The YAML of unchanged apps, kept from one render to the next."""

    def _reload(self, index: Any) -> bool:
        """Reload what changed since the last render; False when a restart is needed."""
        previous, self.files = self.files, dict(index.files)
        if previous is None:
            return True
        changed_files = {p for p in set(previous) | set(index.files) if previous.get(p) != index.files.get(p)}
        changed = {m for m, path in index.modules.items() if path in changed_files and m in sys.modules}
        if not changed:
            return True
        if not all(_reloadable(m) for m in changed):
            return False
        loaded = [m for m in list(sys.modules) if m in index.modules and _reloadable(m)]
        # cluster definitions find their apps by computed name (discover): always reloaded
        dependents = {m for m in loaded if index.closure(m) & changed or m.startswith("fako.clusters.")}
        for name in _order(index, changed | dependents):
            importlib.reload(sys.modules[name])
        return self._current()

    def _current(self) -> bool:
        """Whether every unit of the cluster's definition is the class its module now defines
        (a definition still holding a class from before a reload would render old code)."""
        from fako.synth import load_definition

        definition = load_definition(self.cluster)
        for layer in definition.layers:
            for unit in layer.units:
                module = sys.modules.get(unit.app.__module__)
                if module is None or getattr(module, unit.app.__name__, None) is not unit.app:
                    return False
        return True

    def warm(self) -> None:
        """Get ready for the first edit while the person types: a render taken whole from
        the cache loaded neither the cluster's modules nor Node, and the first build after
        an edit would otherwise pay for both."""
        if self.warmed:
            return
        self.warmed = True
        from fako.synth import load_definition

        # any error (a typo mid-edit) is the next render's to report, in its own words
        with contextlib.suppress(Exception):
            load_definition(self.cluster)  # imports every app module, the models and cdk8s (Node)

    def render(self) -> dict[str, Any]:
        """One render: reload, build (reusing cached units), check, write; the answer."""
        from fako.cachestore import CacheStore, default_cache_dir
        from fako.project import project_root
        from fako.rendercache import RenderCache, RunSettings

        started = time.perf_counter()
        settings = RunSettings(self.cluster, project_root(), "secrets", self.include_disabled)
        cache = RenderCache.open(CacheStore(default_cache_dir()), settings)
        if not self._reload(cache.index):
            return {"restart": True}
        from fako.checks import run_validation
        from fako.current import current_render
        from fako.errors import FakoError
        from fako.synth import put_in_place

        answer: dict[str, Any] = {"restart": False, "error": "", "objects": {}, "findings": [], "written": False}
        try:
            current = current_render(
                self.cluster, include_disabled=self.include_disabled, cache=cache, emitted=self.emitted
            )
            memo = cache.object_memo(f"synth:{current.facts.kubernetes_version}")
            report = run_validation(
                current.render.objects, current.facts, skip_typed=True, complete=self.include_disabled, memo=memo
            )
            memo.save()
            answer["objects"] = {
                obj.ref: hashlib.sha256(json.dumps(obj.manifest, sort_keys=True, default=repr).encode()).hexdigest()
                for obj in current.render.objects
            }
            answer["findings"] = [f.render() for f in report.findings if not f.allowed]
            answer["ok"] = report.ok
            answer["units"] = [cache.units, len(cache.hits)]
            if report.ok and self.out is not None:
                put_in_place(current.render.files, self.out)
                answer["written"] = True
            if current.cluster is not None:
                current.cluster.release()
        except FakoError as exc:
            answer["error"] = str(exc)
            answer["ok"] = False
        answer["seconds"] = round(time.perf_counter() - started, 3)
        answer["rss_kib"] = _rss_kib()
        answer["node_rss_kib"] = _node_rss_kib()
        return answer


def serve(cluster: str, out: str, include_disabled: bool) -> None:
    """Answer render requests on stdin until it closes."""
    worker = Worker(cluster, Path(out) if out else None, include_disabled)
    try:
        for line in sys.stdin:
            if line.strip() != "render":
                continue
            answer = worker.render()
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
            if answer.get("restart"):
                return
            worker.warm()
    except (KeyboardInterrupt, BrokenPipeError):  # Ctrl-C reaches the whole process group
        return
