"""Inventories: the objects one Flux Kustomization applies, keyed by identity.

Identity is what Flux's inventory and the API server go by: API group (not version: a
`v1beta1` → `v1` bump is the same object), kind, namespace and name.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from fako.errors import FakoError

__all__ = [
    "FLUX_KUSTOMIZE_GROUP",
    "SOPS_MARK",
    "Entry",
    "Inventory",
    "ObjectId",
    "clean",
    "is_flux_kustomization",
    "is_sops",
    "load_yaml",
    "normalized_path",
]

FLUX_KUSTOMIZE_GROUP = "kustomize.toolkit.fluxcd.io"
SOPS_MARK = "reference.fako/sops-encrypted"
"""The annotation the reference render puts on Secrets whose values it replaced."""

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def clean(text: str) -> str:
    """`text` with control characters escaped, safe to print."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


class ObjectId(NamedTuple):
    """(group, kind, namespace, name) of an object; `""` for the core group and for no namespace."""

    group: str
    kind: str
    namespace: str
    name: str

    @classmethod
    def of(cls, manifest: Mapping[str, Any]) -> ObjectId:
        """The identity of a manifest."""
        api = str(manifest.get("apiVersion") or "")
        meta = manifest.get("metadata") or {}
        return cls(
            api.split("/")[0] if "/" in api else "",
            str(manifest.get("kind") or ""),
            str(meta.get("namespace") or ""),
            str(meta.get("name") or ""),
        )

    @property
    def label(self) -> str:
        """`Kind namespace/name (group)`; the group is left out for the core group."""
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        group = f" ({self.group})" if self.group else ""
        return clean(f"{self.kind} {where}{group}")


def is_sops(manifest: Mapping[str, Any]) -> bool:
    """True for a SOPS-encrypted manifest, or one whose values the reference render replaced."""
    annotations = (manifest.get("metadata") or {}).get("annotations") or {}
    return "sops" in manifest or str(annotations.get(SOPS_MARK, "")).lower() == "true"


def is_flux_kustomization(manifest: Mapping[str, Any]) -> bool:
    """True for a Flux `Kustomization` (not kustomize's own `kustomization.yaml`)."""
    return manifest.get("kind") == "Kustomization" and ObjectId.of(manifest).group == FLUX_KUSTOMIZE_GROUP


def normalized_path(path: str) -> str:
    """A Flux `spec.path` as a plain relative path: `./apps/` → `apps`, `./` → `.`."""
    return posixpath.normpath(path.strip().lstrip("/") or ".")


@dataclass(frozen=True)
class Entry:
    """One object of an inventory: its manifest, whether its values are encrypted, its file."""

    manifest: dict[str, Any]
    sops: bool
    source: str


@dataclass
class Inventory:
    """What one Flux Kustomization applies.

    `name` is the Kustomization's name; `path` its `spec.path` normalized (None when the
    render names the Kustomization only by its file or folder); `manifest` the Kustomization
    object itself when the render defines it.
    """

    name: str
    path: str | None = None
    manifest: dict[str, Any] | None = None
    objects: dict[ObjectId, Entry] = field(default_factory=dict)

    def add(self, manifest: dict[str, Any], source: str, *, sops: bool | None = None) -> None:
        """Add one object; the same object twice is kept once, two different ones are an error."""
        ident = ObjectId.of(manifest)
        entry = Entry(manifest, is_sops(manifest) if sops is None else sops, source)
        held = self.objects.get(ident)
        if held is not None and held.manifest != manifest:
            raise FakoError(
                f"{ident.label} is defined twice for Kustomization {clean(self.name)}, differently: "
                f"in {clean(held.source)} and in {clean(source)}"
            )
        self.objects.setdefault(ident, entry)

    def add_all(self, manifests: Iterable[dict[str, Any]], source: str) -> None:
        """Add every object of a rendered stream."""
        for manifest in manifests:
            self.add(manifest, source)


def load_yaml(text: str, source: str) -> list[dict[str, Any]]:
    """The Kubernetes objects in a YAML stream: kustomize's own files and non-objects skipped."""
    try:
        docs = list(yaml.load_all(text, Loader=_LOADER))
    except yaml.YAMLError as exc:
        # Not str(exc): it quotes the offending line, which may hold a secret.
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise FakoError(
            f"cannot parse {clean(source)}{where}: {getattr(exc, 'problem', None) or 'invalid YAML'}"
        ) from None
    objects: list[dict[str, Any]] = []
    for doc in docs:
        if not isinstance(doc, dict) or not doc.get("kind") or not doc.get("apiVersion"):
            continue
        if str(doc["apiVersion"]).startswith("kustomize.config.k8s.io/"):
            continue
        if doc["kind"] == "List" and isinstance(doc.get("items"), list):
            objects.extend(item for item in doc["items"] if isinstance(item, dict))
            continue
        objects.append(doc)
    return objects
