"""`RenderedObject`: one Kubernetes object as fako rendered it, with where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from fako.errors import Problem

__all__ = ["Absent", "BuiltObject", "Render", "RenderedObject", "identity"]


def identity(manifest: dict[str, Any]) -> tuple[str, str, str, str]:
    """(apiVersion, kind, namespace, name): how Kubernetes and Flux tell objects apart."""
    meta = manifest.get("metadata") or {}
    return (
        str(manifest.get("apiVersion", "")),
        str(manifest.get("kind", "")),
        str(meta.get("namespace") or ""),
        str(meta.get("name") or ""),
    )


class BuiltObject(Protocol):
    """An object of a built cluster as the render and the cluster-wide steps read it: a
    `fako.tree.FakoObject`, or a unit's object brought back from the render cache."""

    @property
    def manifest(self) -> dict[str, Any]: ...
    @property
    def layer_name(self) -> str: ...
    @property
    def app_name(self) -> str: ...
    @property
    def construct_path(self) -> str: ...
    @property
    def construct_class(self) -> str: ...
    @property
    def origin(self) -> str: ...
    @property
    def typed(self) -> bool: ...
    @property
    def sops_file(self) -> Path | None: ...
    @property
    def unit(self) -> type | None:
        """The unit (app class) that made the object; None for cluster-wide steps."""


@dataclass(frozen=True)
class RenderedObject:
    """A rendered object and its provenance.

    `layer` is the Flux layer (the folder a Flux Kustomization points at), `app` the unit
    (app, operator or config) inside it, `path` the file under `dist/` that holds it.
    `construct_path` and `construct_class` name the construct that produced it and
    `source` the `file:line` of that construct's class. `typed` is False only for the raw
    escape hatch. `raw` holds the exact bytes of a file that is copied verbatim (SOPS).
    """

    layer: str
    app: str
    manifest: dict[str, Any]
    path: str
    construct_path: str
    construct_class: str
    source: str
    typed: bool = True
    raw: bytes | None = None

    @property
    def kind(self) -> str:
        return str(self.manifest.get("kind", ""))

    @property
    def name(self) -> str:
        return str((self.manifest.get("metadata") or {}).get("name", ""))

    @property
    def namespace(self) -> str:
        return str((self.manifest.get("metadata") or {}).get("namespace") or "")

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return identity(self.manifest)

    @property
    def ref(self) -> str:
        """`Kind/namespace/name` (or `Kind/name` when cluster-scoped)."""
        ns = self.namespace
        return f"{self.kind}/{ns}/{self.name}" if ns else f"{self.kind}/{self.name}"

    @property
    def is_sops(self) -> bool:
        return "sops" in self.manifest


@dataclass(frozen=True)
class Absent:
    """An encrypted object an app declares whose SOPS file this checkout does not hold."""

    app: str
    kind: str
    namespace: str
    name: str
    file: Path

    @property
    def identity(self) -> tuple[str, str, str]:
        """(Kind, namespace, name), as validation's external objects are written."""
        return (self.kind, self.namespace, self.name)

    @property
    def label(self) -> str:
        """How the summary names it: the Secret's name, or `Kind name` for other kinds."""
        return self.name if self.kind == "Secret" else f"{self.kind} {self.name}"


@dataclass
class Render:
    """The rendered tree: objects with provenance, files by relative path, what was left out."""

    objects: list[RenderedObject] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    absent: list[Absent] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
