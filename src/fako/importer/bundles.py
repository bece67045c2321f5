"""Upstream bundles: CustomResourceDefinitions (and any other large untyped object) as YAML
files beside the module, read back with `raw_documents(self, read_file(__file__, "crds.yaml"))`.

A CRD is thousands of lines of schema nobody edits by hand; as a Python dict literal it
would bury the app. It stays what it is upstream, a YAML document, written once with block
scalars for multi-line text, and still checked object by object by the round trip.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from fako.constructs.raw import raw_documents
from fako.importer.code import Call, FileText, Local, Stmt
from fako.importer.context import Context, Piece, rank_of
from fako.importer.loading import Manifest
from fako.importer.typed import name_of

__all__ = ["RAW_FILE_LINES", "bundle_stmt", "crd_pieces", "dump_yaml"]

RAW_FILE_LINES = 60
"""An untyped object longer than this (as YAML) goes to a file instead of a dict literal."""


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, multi-line strings as `|` blocks, lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(docs: list[dict[str, Any]], *, start: bool = True) -> str:
    """`docs` as one YAML stream, in order, keys as given (each after `---` unless not `start`)."""
    return yaml.dump_all(docs, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120, explicit_start=start)


def bundle_stmt(docs: list[Manifest], key: str, comment: str) -> Stmt:
    """`raw_documents(self, read_file(__file__, key))` for `docs`, written to `key`."""
    text = dump_yaml([m.body for m in docs])
    call = Call(name_of(raw_documents), (Local("self"), FileText(key, text)))
    return Stmt(call, comments=(comment,))


def file_name(m: Manifest) -> str:
    """A file name for one object: `<kind>-<name>.yaml`, lowercase, safe characters only."""
    stem = re.sub(r"[^a-z0-9._-]+", "-", f"{m.kind}-{m.name}".lower()).strip("-.")
    return f"{stem or 'object'}.yaml"


def _ids_free(ctx: Context, docs: list[Manifest]) -> list[str] | None:
    ids = [f"{m.kind}-{m.name}" for m in docs]
    if len(set(ids)) != len(ids) or any(ctx.free_id("self", i) != i for i in ids):
        return None
    return ids


def claim_ids(ctx: Context, docs: list[Manifest]) -> bool:
    """Take the construct ids `raw_documents` gives `docs`; False when one is taken already."""
    ids = _ids_free(ctx, docs)
    if ids is None:
        return False
    for i in ids:
        ctx.take_id("self", i)
    return True


def crd_pieces(ctx: Context) -> list[Piece]:
    """Every CustomResourceDefinition of the input in one `crds.yaml`, read back as `Raw`."""
    crds = [
        m
        for m in ctx.remaining()
        if m.kind == "CustomResourceDefinition" and m.api_version.startswith("apiextensions.k8s.io/")
    ]
    if not crds or _ids_free(ctx, crds) is None:
        return []
    key = ctx.file_key("crds", "crds.yaml")
    names = ", ".join(m.name for m in crds)
    stmt = bundle_stmt(
        crds, key, f"Raw: CustomResourceDefinitions, carried verbatim in files/{ctx.module}/{key}: {names}"
    )
    if not ctx.scratch.matches([stmt], crds):
        return []
    claim_ids(ctx, crds)
    ctx.files[key] = dump_yaml([m.body for m in crds])
    return [ctx.claim(Piece([stmt], crds, rank_of("CustomResourceDefinition")))]
