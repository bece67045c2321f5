"""Findings of single-object checks, remembered across runs in the render cache.

The object rules and schema checks look at one object at a time, so their findings are
a function of the object alone (manifest and provenance), the check code and the
libraries' versions. `StoredObjectMemo` keeps them in one cache entry keyed by the
digest of the validation code (every fako module `fako.checks` can reach, the models
included) and the settings of the run; an object that changed is checked again, and
the checks across objects always run over the whole render.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from fako.cachestore import CacheStore
from fako.rendered import RenderedObject
from fako.validation.findings import Finding

__all__ = ["StoredObjectMemo"]

_FIELDS = tuple(f.name for f in dataclasses.fields(Finding))


def _object_key(obj: RenderedObject) -> str:
    raw = hashlib.sha256(obj.raw).hexdigest() if obj.raw is not None else ""
    body = [obj.layer, obj.app, obj.manifest, obj.path, obj.construct_path, obj.construct_class, obj.source, obj.typed]
    text = json.dumps([*body, raw], separators=(",", ":"), ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class StoredObjectMemo:
    """An `ObjectMemo` (fako.validation.engine) backed by one entry of `store`."""

    def __init__(self, store: CacheStore, key: str) -> None:
        self.store = store
        self.key = key
        loaded = store.read_json("schema", key)
        self._old: dict[str, Any] = loaded if isinstance(loaded, dict) else {}
        self._new: dict[str, list[dict[str, str]]] = {}
        self._keys: dict[int, str] = {}
        self.changed = False

    def _key(self, obj: RenderedObject, part: str) -> str:
        found = self._keys.get(id(obj))
        if found is None:
            found = self._keys[id(obj)] = _object_key(obj)
        return f"{part}:{found}"

    def get(self, obj: RenderedObject, part: str) -> list[Finding] | None:
        key = self._key(obj, part)
        stored = self._new.get(key, self._old.get(key))
        if not isinstance(stored, list):
            return None
        findings = []
        for item in stored:
            if (
                not isinstance(item, dict)
                or set(item) != set(_FIELDS)
                or not all(isinstance(v, str) for v in item.values())
            ):
                return None
            findings.append(Finding(**item))
        self._new[key] = stored
        return findings

    def put(self, obj: RenderedObject, part: str, findings: list[Finding]) -> None:
        self._new[self._key(obj, part)] = [{k: str(v) for k, v in dataclasses.asdict(f).items()} for f in findings]
        self.changed = True

    def save(self) -> None:
        """Store what this run used and found (entries of objects no longer rendered go)."""
        if self.changed or set(self._new) != set(self._old):
            self.store.write_json("schema", self.key, self._new)
