"""`Raw`: the one escape hatch for manifests fako has no typed construct for.

Greppable on purpose (`Raw(`): every use is a place a typed construct could take over.
`fako inspect` marks what it renders as untyped. A `Raw` object is still emitted exactly
as given; `raw_from_file` loads a vendored upstream bundle verbatim (one object each), and
`raw_documents` the same from text an app reads beside its module
(`raw_documents(self, read_file(__file__, "crds.yaml"))`, how `fako import` carries CRDs).
"""

from __future__ import annotations

from typing import Any

import yaml

from fako.constructs.config import read_file
from fako.errors import FakoError
from fako.tree import FakoObject, Scope

__all__ = ["Raw", "raw_documents", "raw_from_file"]


class Raw(FakoObject):
    """One manifest given as a plain mapping, emitted as is (untyped)."""

    typed = False

    def __init__(self, scope: Scope, id: str, manifest: dict[str, Any]) -> None:
        for key in ("apiVersion", "kind", "metadata"):
            if key not in manifest:
                raise FakoError(f"Raw manifest {id!r} has no {key!r}")
        super().__init__(scope, id, manifest)


def raw_from_file(scope: Scope, module_file: str, relative: str) -> list[Raw]:
    """Every document of a vendored YAML file shipped beside the module (`files/<module>/`,
    as for `read_file`) as a `Raw` object, ids `<kind>-<name>`."""
    return raw_documents(scope, read_file(module_file, relative))


def raw_documents(scope: Scope, text: str) -> list[Raw]:
    """Every document of the YAML `text` as a `Raw` object, in order, ids `<kind>-<name>`."""
    try:
        docs = [d for d in yaml.load_all(text, Loader=yaml.CSafeLoader) if d]
    except yaml.YAMLError as exc:
        raise FakoError(f"vendored manifests: cannot parse: {exc}") from None
    out = []
    for doc in docs:
        if not isinstance(doc, dict):
            raise FakoError("vendored manifests: a document is not a mapping")
        name = (doc.get("metadata") or {}).get("name", "")
        out.append(Raw(scope, f"{doc.get('kind')}-{name}", doc))
    return out
