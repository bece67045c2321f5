"""Trying candidate code before it is written: run it in a throwaway tree, compare with the input.

A recogniser proposes statements for some input objects; `Scratch.matches` runs them with
fako's own constructs under a fresh app of a private cluster and accepts them only when
they make exactly those objects, equal after the normalisation `parity.py` uses (nulls and
`status` dropped, key order ignored, list order kept; encrypted Secrets on identity). A
candidate that raises, makes too much or too little is simply not taken.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fako.importer.code import Stmt, evaluate
from fako.importer.loading import Manifest
from fako.tree import AppConstruct, Cluster, FakoObject, Layer

__all__ = ["Scratch", "identity", "normalize"]


def strip_nulls(value: Any) -> Any:
    """`value` without null mapping entries, recursively."""
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value]
    return value


def normalize(body: dict[str, Any]) -> dict[str, Any]:
    """An object as it is compared: nulls and `status` dropped."""
    out = strip_nulls(body)
    assert isinstance(out, dict)
    out.pop("status", None)
    return out


def identity(body: dict[str, Any]) -> tuple[str, str, str, str]:
    """(apiVersion, kind, namespace, name)."""
    meta = body.get("metadata") or {}
    return (
        str(body.get("apiVersion", "")),
        str(body.get("kind", "")),
        str(meta.get("namespace") or ""),
        str(meta.get("name") or ""),
    )


class Scratch:
    """A private cluster where candidates run, each under a fresh app named like the import."""

    def __init__(self, app: str, namespace: str | None) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="fako-import-")
        self.cluster = Cluster("import-scratch", root=Path(self._tmp.name))
        self.layer = Layer(self.cluster, "scratch")
        self.app_type: type[AppConstruct] = type(
            "ScratchApp",
            (AppConstruct,),
            {"name": app, "namespace": namespace, "build": lambda self: None, "__module__": __name__},
        )
        self.runs = 0

    def close(self) -> None:
        self._tmp.cleanup()

    def run(self, stmts: Sequence[Stmt], setup: Sequence[Stmt] = ()) -> tuple[list[FakoObject], dict[str, Any]]:
        """Run `setup` then `stmts` under a fresh app; the objects `stmts` made, and the locals."""
        self.runs += 1
        app = self.app_type(self.layer, f"candidate-{self.runs}")
        env: dict[str, Any] = {"self": app}
        for stmt in setup:
            _execute(stmt, env)
        start = len(self.cluster.objects)
        for stmt in stmts:
            _execute(stmt, env)
        return [o for o in self.cluster.objects[start:] if isinstance(o, FakoObject)], env

    def matches(self, stmts: Sequence[Stmt], covers: Sequence[Manifest], setup: Sequence[Stmt] = ()) -> bool:
        """Whether `stmts` make exactly the objects `covers`, nothing more or less."""
        try:
            made, _ = self.run(stmts, setup)
        except Exception:  # a candidate that does not even build is just not taken
            return False
        return same_objects(made, covers)


def _execute(stmt: Stmt, env: dict[str, Any]) -> None:
    value = evaluate(stmt.expr, env)
    if stmt.target:
        env[stmt.target] = value


def same_objects(made: Sequence[FakoObject], covers: Sequence[Manifest]) -> bool:
    """Made objects and input manifests pair up one to one and are equal."""
    if len(made) != len(covers):
        return False
    wanted = {identity(m.body): m for m in covers}
    if len(wanted) != len(covers):
        return False
    for obj in made:
        m = wanted.pop(identity(obj.manifest), None)
        if m is None:
            return False
        if obj.sops_file is not None:
            if not m.encrypted and m.kind != "Secret":
                return False
            continue
        if m.encrypted or normalize(obj.manifest) != normalize(m.body):
            return False
    return not wanted
