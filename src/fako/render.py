"""From a built `Cluster` to files: the `dist/` layout, SOPS pass-through, provenance.

Layout: one folder per Flux layer (`dist/<layer>/`), one folder per app in it, each with
a `kustomization.yaml` listing what it holds, so `kubectl kustomize dist/<layer>` builds
exactly what Flux applies. An app's objects are one file, `<app>.yaml`, in the order the
app made them; encrypted manifests are copied byte for byte into `secrets-<namespace>/` as
`<kind>-<name>.sops.yaml`, whose kustomization sets that namespace (as the cluster's
kustomize overlays always have); cluster-scoped ones go to `secrets-cluster/`.
"""

from __future__ import annotations

from typing import Any

import yaml

from fako.emit import EmitMemo, dump_all, load_all
from fako.errors import Problem
from fako.output import MARKER, MARKER_TEXT, write_tree
from fako.rendered import Absent, BuiltObject, Render, RenderedObject
from fako.tree import Cluster

__all__ = ["MARKER", "MARKER_TEXT", "MAX_SECRET_BYTES", "Absent", "Render", "render", "write_tree"]

MAX_SECRET_BYTES = 1 << 20
_KUSTOMIZATION = "kustomization.yaml"


def _kustomization(resources: list[str], namespace: str | None = None) -> bytes:
    doc: dict[str, Any] = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization"}
    if namespace:
        doc["namespace"] = namespace
    doc["resources"] = resources
    return dump_all([doc]).encode()


def _read_sops(obj: BuiltObject, render: Render) -> tuple[bytes, dict[str, Any]] | None:
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


def render(cluster: Cluster, memo: EmitMemo | None = None) -> Render:
    """Lay the cluster's objects out as files; nothing is written to disk here."""
    out = Render()
    # layer -> app -> (objects in order, namespace -> [(filename, bytes)])
    apps: dict[str, dict[str, tuple[list[dict[str, Any]], dict[str, list[tuple[str, bytes]]]]]] = {}
    for layer in cluster.layers:
        apps.setdefault(layer, {})
    for obj in cluster.objects:
        layer, app = obj.layer_name, obj.app_name or obj.layer_name
        docs, secrets = apps.setdefault(layer, {}).setdefault(app, ([], {}))
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
                RenderedObject(
                    layer, app, manifest, path, obj.construct_path, obj.construct_class, obj.origin, True, data
                )
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
                obj.construct_class,
                obj.origin,
                obj.typed,
            )
        )
    out.files[MARKER] = MARKER_TEXT
    for layer, by_app in apps.items():
        out.files[f"{layer}/{_KUSTOMIZATION}"] = _kustomization(sorted(by_app))
        for app, (docs, secrets) in by_app.items():
            resources = []
            if docs:
                out.files[f"{layer}/{app}/{app}.yaml"] = (memo.dump_all(docs) if memo else dump_all(docs)).encode()
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
