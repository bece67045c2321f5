"""`load_tree()`: read a rendered tree (`fako validate DIR`) back into RenderedObjects.

The input may be hostile: files over 20 MB, YAML alias bombs, duplicate keys, non-UTF-8
text and documents that are not mappings are refused with a FakoError naming the file.
Nothing is executed: only plain YAML data is constructed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from fako.errors import FakoError
from fako.rendered import RenderedObject
from fako.validation.safe_yaml import YamlRefused, load_documents

__all__ = ["MAX_FILE_BYTES", "load_tree"]

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Largest file `load_tree` reads."""

_SUFFIXES = (".yaml", ".yml")


def _files(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(folder, n) for n in sorted(names) if n.endswith(_SUFFIXES) and not n.startswith("."))
    return found


def _read(path: Path, shown: str) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise FakoError(f"{shown}: not a regular file; fako reads only plain YAML files")
        if info.st_size > MAX_FILE_BYTES:
            raise FakoError(f"{shown}: {info.st_size:,} bytes is over the {MAX_FILE_BYTES:,}-byte limit")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FakoError(f"{shown}: cannot read it ({exc.strerror or exc})") from exc
    if len(data) > MAX_FILE_BYTES:
        raise FakoError(f"{shown}: over the {MAX_FILE_BYTES:,}-byte limit")
    return data


def _place(relative: Path) -> tuple[str, str]:
    """(layer, app) from `<layer>/<app>/...`, `<layer>/<app>.yaml` or `<app>.yaml`."""
    parts = relative.parts
    if len(parts) >= 3:
        return parts[0], parts[1]
    if len(parts) == 2:
        return parts[0], Path(parts[1]).stem
    return "", relative.stem


def _is_kustomize_file(document: dict[str, object]) -> bool:
    return document.get("kind") == "Kustomization" and str(document.get("apiVersion", "")).startswith(
        "kustomize.config.k8s.io/"
    )


def load_tree(root: Path) -> list[RenderedObject]:
    """Every object in the *.yaml files under `root`, in path order then document order.

    Layer and app come from the path (`<layer>/<app>/...`); kustomize's own
    `kustomization.yaml` documents are skipped; a file with a top-level `sops:` key
    keeps its exact bytes in `raw`. Objects read back carry no construct (`typed` False).
    """
    if not root.is_dir():
        raise FakoError(f"{root}: not a directory")
    objects: list[RenderedObject] = []
    for path in _files(root):
        relative = path.relative_to(root)
        shown = relative.as_posix()
        data = _read(path, shown)
        try:
            text = data.decode("utf-8")
            documents = list(load_documents(text))
        except UnicodeDecodeError as exc:
            raise FakoError(f"{shown}: not UTF-8 text (byte {exc.start})") from exc
        except YamlRefused as exc:
            raise FakoError(f"{shown}: refused: {exc}") from exc
        layer, app = _place(relative)
        for line, document in documents:
            if not isinstance(document, dict):
                raise FakoError(
                    f"{shown}:{line}: a document is a {type(document).__name__}, not a mapping; "
                    "every document must be one Kubernetes object"
                )
            if _is_kustomize_file(document):
                continue
            objects.append(
                RenderedObject(
                    layer=layer,
                    app=app,
                    manifest=document,
                    path=shown,
                    construct_path="",
                    construct_class="",
                    source=f"{shown}:{line}",
                    typed=False,
                    raw=data if "sops" in document else None,
                )
            )
    return objects
