"""From a built `Cluster` to files: the `dist/` layout, SOPS pass-through, provenance.

Layout: one folder per Flux layer (`dist/<layer>/`), one folder per app in it, each with
a `kustomization.yaml` listing what it holds, so `kubectl kustomize dist/<layer>` builds
exactly what Flux applies. An app's objects are one file, `<app>.yaml`, in the order the
app made them; encrypted manifests are copied byte for byte into `secrets-<namespace>/` as
`<kind>-<name>.sops.yaml`, whose kustomization sets that namespace (as the cluster's
kustomize overlays always have); cluster-scoped ones go to `secrets-cluster/`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from fako.emit import dump_all, load_all
from fako.errors import FakoError, Problem
from fako.rendered import RenderedObject
from fako.text import shown
from fako.tree import Cluster, FakoObject

__all__ = ["MARKER", "MARKER_TEXT", "MAX_SECRET_BYTES", "Absent", "Render", "render", "write_tree"]

MAX_SECRET_BYTES = 1 << 20
MARKER = ".fako-render"
"""The file that marks a folder as a render fako made (and may replace whole)."""
MARKER_TEXT = b"This folder is a render made by fako; `fako synth` replaces it whole.\n"
_KUSTOMIZATION = "kustomization.yaml"


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


def _kustomization(resources: list[str], namespace: str | None = None) -> bytes:
    doc: dict[str, Any] = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization"}
    if namespace:
        doc["namespace"] = namespace
    doc["resources"] = resources
    return dump_all([doc]).encode()


def _read_sops(obj: FakoObject, render: Render) -> tuple[bytes, dict[str, Any]] | None:
    path = obj.sops_file
    assert path is not None
    where = f"app '{obj.app_name}'"
    meta = obj.manifest["metadata"]
    if not path.is_file():
        ns = str(meta.get("namespace") or "")
        render.absent.append(Absent(obj.app_name, obj.manifest["kind"], ns, str(meta["name"]), path))
        return None
    data = path.read_bytes()
    if len(data) > MAX_SECRET_BYTES:
        render.problems.append(Problem(where, f"{path}: larger than {MAX_SECRET_BYTES} bytes; not a SOPS Secret"))
        return None
    try:
        docs = load_all(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        render.problems.append(Problem(where, f"{path}: not valid YAML ({type(exc).__name__})"))
        return None
    if len(docs) != 1 or not isinstance(docs[0], dict) or not isinstance(docs[0].get("sops"), dict):
        render.problems.append(
            Problem(
                where,
                f"{path}: not a SOPS-encrypted file (no top-level `sops:` block)",
                fix=f"encrypt it: sops --encrypt --in-place {path}",
            )
        )
        return None
    doc = docs[0]
    fmeta = doc.get("metadata") or {}
    kind = obj.manifest["kind"]
    if doc.get("kind") != kind or fmeta.get("name") != meta["name"]:
        render.problems.append(
            Problem(where, f"{path}: holds {doc.get('kind')} {fmeta.get('name')!r}, expected {kind} {meta['name']!r}")
        )
        return None
    if fmeta.get("namespace") not in (None, meta.get("namespace")):
        render.problems.append(
            Problem(
                where,
                f"{path}: encrypted for namespace {fmeta.get('namespace')!r}, the app uses {meta.get('namespace')!r}",
                fix=f"re-encrypt it with the right namespace: sops edit {path}",
            )
        )
        return None
    manifest = dict(doc)
    if meta.get("namespace"):
        manifest["metadata"] = {**fmeta, "namespace": meta["namespace"]}
    return data, manifest


def render(cluster: Cluster) -> Render:
    """Lay the cluster's objects out as files; nothing is written to disk here."""
    out = Render()
    # layer -> app -> (objects in order, namespace -> [(filename, bytes)])
    apps: dict[str, dict[str, tuple[list[dict[str, Any]], dict[str, list[tuple[str, bytes]]]]]] = {}
    for layer in cluster.layers:
        apps.setdefault(layer, {})
    for obj in cluster.objects:
        layer, app = obj.layer_name, obj.app_name or obj.layer_name
        docs, secrets = apps.setdefault(layer, {}).setdefault(app, ([], {}))
        cls = type(obj)
        if obj.sops_file is not None:
            got = _read_sops(obj, out)
            if got is None:
                continue
            data, manifest = got
            ns = manifest["metadata"].get("namespace", "")
            fname = f"{manifest['kind'].lower()}-{manifest['metadata']['name']}.sops.yaml"
            secrets.setdefault(ns, []).append((fname, data))
            path = f"{layer}/{app}/{_secrets_folder(ns)}/{fname}"
            out.objects.append(
                RenderedObject(layer, app, manifest, path, obj.construct_path, cls.__name__, obj.origin, True, data)
            )
            continue
        docs.append(obj.manifest)
        out.objects.append(
            RenderedObject(
                layer,
                app,
                obj.manifest,
                f"{layer}/{app}/{app}.yaml",
                obj.construct_path,
                cls.__name__,
                obj.origin,
                cls.typed,
            )
        )
    out.files[MARKER] = MARKER_TEXT
    for layer, by_app in apps.items():
        out.files[f"{layer}/{_KUSTOMIZATION}"] = _kustomization(sorted(by_app))
        for app, (docs, secrets) in by_app.items():
            resources = []
            if docs:
                out.files[f"{layer}/{app}/{app}.yaml"] = dump_all(docs).encode()
                resources.append(f"{app}.yaml")
            for ns, files in sorted(secrets.items()):
                folder = _secrets_folder(ns)
                names = []
                for fname, data in files:
                    out.files[f"{layer}/{app}/{folder}/{fname}"] = data
                    names.append(fname)
                out.files[f"{layer}/{app}/{folder}/{_KUSTOMIZATION}"] = _kustomization(sorted(names), ns or None)
                resources.append(folder)
            out.files[f"{layer}/{app}/{_KUSTOMIZATION}"] = _kustomization(resources)
    return out


def _secrets_folder(namespace: str) -> str:
    return f"secrets-{namespace}" if namespace else "secrets-cluster"


def _inside(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
        raise FakoError(f"refusing to write {shown(rel)!r}: not a plain relative path inside the render")
    return path


def write_tree(files: dict[str, bytes], root: Path) -> None:
    """Write the rendered files under `root` (a folder fako just made), deterministically.

    Every path must stay inside `root` (no absolute path, no '..'); files are created
    new, never through a symbolic link or over an existing file.
    """
    base = root.resolve()
    for rel in sorted(files):
        path = base.joinpath(*_inside(rel).parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.parent.resolve().is_relative_to(base):
            raise FakoError(f"refusing to write {shown(rel)!r}: it leads outside the render")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(files[rel])
