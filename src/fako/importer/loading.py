"""Reading the Kubernetes YAML an import starts from, refusing what is not plain manifests.

Files are parsed with fako's hostile-YAML loader (no tags, no alias bombs, no duplicate
keys); `List` documents (`kubectl get -o yaml`) and typed lists (`ConfigMapList`,
`RoleBindingList`, any `<Kind>List` with `items`, as upstream bundles ship them) are
flattened, an item without `apiVersion`/`kind` taking the list's. `-` is standard input. Every object must carry
`apiVersion`, `kind` and `metadata.name`; null fields are dropped (objects are compared
without them, as `parity.py` does). Encrypted Secrets (a top-level `sops:` block, or
the reference corpus's `reference.fako/sops-encrypted` annotation) are marked: their values
are the owner's, and only their identity and keys are ever looked at.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fako.errors import FakoError
from fako.validation.safe_yaml import YamlRefused, load_documents

__all__ = ["MAX_BYTES", "SOPS_MARK", "STDIN", "Manifest", "load_manifests", "source_label"]

MAX_BYTES = 16 << 20
"""Largest input file read (16 MiB)."""
SOPS_MARK = "reference.fako/sops-encrypted"
STDIN = Path("-")
"""The path that stands for standard input (`helm template ... | fako import - --name x`)."""


def source_label(path: Path) -> str:
    """How a source is named in the module docstring."""
    return "standard input" if path == STDIN else path.name


def _shown(path: Path) -> str:
    return "standard input" if path == STDIN else str(path)


@dataclass
class Manifest:
    """One input object and where it came from (`file`, first `line` of its document)."""

    body: dict[str, Any]
    file: Path
    line: int

    @property
    def kind(self) -> str:
        return str(self.body["kind"])

    @property
    def api_version(self) -> str:
        return str(self.body["apiVersion"])

    @property
    def meta(self) -> dict[str, Any]:
        meta = self.body["metadata"]
        assert isinstance(meta, dict)
        return meta

    @property
    def name(self) -> str:
        return str(self.meta["name"])

    @property
    def namespace(self) -> str | None:
        ns = self.meta.get("namespace")
        return str(ns) if ns else None

    @property
    def encrypted(self) -> bool:
        """An encrypted manifest: a SOPS file, or a placeholder for one."""
        notes = self.meta.get("annotations") or {}
        return isinstance(self.body.get("sops"), dict) or (isinstance(notes, dict) and SOPS_MARK in notes)

    @property
    def where(self) -> str:
        return f"{_shown(self.file)}:{self.line}"

    def __str__(self) -> str:
        ns = self.namespace
        return f"{self.kind} {ns + '/' if ns else ''}{self.name}"


def _strip_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_nulls(v) for v in value]
    return value


def _check(doc: Any, path: Path, line: int) -> dict[str, Any]:
    file = _shown(path)
    if not isinstance(doc, dict):
        raise FakoError(f"{file}:{line}: a document is not a mapping (got {type(doc).__name__})")
    for key in ("apiVersion", "kind"):
        if not isinstance(doc.get(key), str) or not doc[key]:
            raise FakoError(f"{file}:{line}: a document has no {key}; not a Kubernetes manifest")
    meta = doc.get("metadata")
    if not isinstance(meta, dict) or not isinstance(meta.get("name"), str) or not meta["name"]:
        raise FakoError(f"{file}:{line}: {doc['kind']} has no metadata.name")
    if meta.get("namespace") is not None and not isinstance(meta["namespace"], str):
        raise FakoError(f"{file}:{line}: {doc['kind']} {meta['name']}: metadata.namespace is not a string")
    for key, value in doc.items():
        if not isinstance(key, str):
            raise FakoError(f"{file}:{line}: {doc['kind']} {meta['name']}: a top-level key is not a string")
        _check_plain(value, file, line)
    stripped = _strip_nulls(doc)  # compared without nulls anyway (`creationTimestamp: null`, `limits: null`)
    assert isinstance(stripped, dict)
    return stripped


def _check_plain(value: Any, file: str, line: int) -> None:
    """Plain JSON-like data only: string keys, scalars, lists and mappings."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for k, v in item.items():
                if not isinstance(k, str):
                    raise FakoError(f"{file}:{line}: mapping key {k!r} is not a string; not a Kubernetes manifest")
                stack.append(v)
        elif isinstance(item, list):
            stack.extend(item)
        elif not (item is None or isinstance(item, (str, int, float, bool))):
            raise FakoError(f"{file}:{line}: a value of type {type(item).__name__} is not plain data")


def _list_items(doc: Any) -> list[Any] | None:
    """The items of a `List` or `<Kind>List` document, each with an apiVersion and kind."""
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        return None
    kind = doc.get("kind")
    if not isinstance(kind, str) or not kind.endswith("List") or set(doc) - {"apiVersion", "kind", "metadata", "items"}:
        return None
    if kind == "List":
        return list(doc["items"])
    defaults = {"apiVersion": doc.get("apiVersion"), "kind": kind.removesuffix("List")}
    return [
        {**{k: v for k, v in defaults.items() if k not in item}, **item} if isinstance(item, dict) else item
        for item in doc["items"]
    ]


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FakoError(f"{path}: larger than {MAX_BYTES >> 20} MiB; not read")
        return path.read_bytes()
    except OSError as exc:
        raise FakoError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def load_file(path: Path, data: bytes | None = None) -> list[Manifest]:
    """The objects of one YAML file (or of `data`, read from it already), in order."""
    if data is None:
        data = _read(path)
    where = _shown(path)
    if len(data) > MAX_BYTES:
        raise FakoError(f"{where}: larger than {MAX_BYTES >> 20} MiB; not read")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FakoError(f"{where}: not UTF-8 text") from None
    out: list[Manifest] = []
    try:
        for line, doc in load_documents(text):
            items = _list_items(doc)
            for item in items if items is not None else [doc]:
                out.append(Manifest(_check(item, path, line), path, line))
    except YamlRefused as exc:
        raise FakoError(f"{where}: refused: {exc}") from None
    return out


def load_manifests(paths: list[Path], stdin: bytes | None = None) -> list[Manifest]:
    """Every object of `paths` (`-` is `stdin`); fails on a repeated identity, naming both places."""
    if paths.count(STDIN) > 1:
        raise FakoError("standard input ('-') can be read only once")
    manifests: list[Manifest] = []
    seen: dict[tuple[str, str, str, str], Manifest] = {}
    for path in paths:
        if path == STDIN and stdin is None:
            raise FakoError("'-' (standard input) was given but nothing was read from it")
        for m in load_file(path, stdin if path == STDIN else None):
            key = (m.api_version, m.kind, m.namespace or "", m.name)
            if key in seen:
                raise FakoError(f"{m.where}: {m} is defined twice (first at {seen[key].where})")
            seen[key] = m
            manifests.append(m)
    if not manifests:
        raise FakoError(f"no Kubernetes objects in {', '.join(_shown(p) for p in paths)}")
    return manifests
