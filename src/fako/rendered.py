"""`RenderedObject`: one Kubernetes object as fako rendered it, with where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["RenderedObject", "identity"]


def identity(manifest: dict[str, Any]) -> tuple[str, str, str, str]:
    """(apiVersion, kind, namespace, name): how Kubernetes and Flux tell objects apart."""
    meta = manifest.get("metadata") or {}
    return (
        str(manifest.get("apiVersion", "")),
        str(manifest.get("kind", "")),
        str(meta.get("namespace") or ""),
        str(meta.get("name") or ""),
    )


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
