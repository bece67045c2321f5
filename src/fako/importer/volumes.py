"""Static NAS volumes: a PersistentVolume on an NFS/SMB share and the claim bound to it by
name, as one `StaticVolume(self, StaticVolumeSpec(name=..., size=..., share=...))`.

The spec is read off the two objects with only the fields that differ from the pattern's
defaults (read-only NFSv3 on the NAS, `ReadOnlyMany`, kept on delete); the pair is taken
only when the pattern renders both exactly.
"""

from __future__ import annotations

from typing import Any

from fako.importer.code import Call, Expr, Local, Stmt, TupleOf, lit
from fako.importer.context import Context, Piece, rank_of
from fako.importer.loading import Manifest
from fako.importer.typed import name_of
from fako.patterns.static_volume import NFS_OPTIONS, StaticVolume, StaticVolumeSpec

__all__ = ["static_volume_pieces"]

_DEFAULTS = StaticVolumeSpec(name="x", size="1", share="/")


def _spec_fields(pv: Manifest, pvc: Manifest) -> list[tuple[str, Any]] | None:
    spec: Any = pv.body.get("spec")
    try:
        csi = spec["csi"]
        attributes = csi["volumeAttributes"]
        fields: list[tuple[str, Any]] = [
            ("name", pv.name),
            ("size", spec["capacity"]["storage"]),
            ("share", attributes["share"]),
        ]
        server, driver, modes = attributes["server"], csi["driver"], spec["accessModes"]
    except (KeyError, TypeError):
        return None
    if not isinstance(modes, list) or len(modes) != 1:
        return None
    read_only = csi.get("readOnly") is True
    if pvc.name != pv.name:
        fields.append(("claim", pvc.name))
    for key, value, default in (
        ("server", server, _DEFAULTS.server),
        ("driver", driver, _DEFAULTS.driver),
        ("access", modes[0], _DEFAULTS.access),
    ):
        if value != default:
            fields.append((key, value))
    if read_only:
        fields.append(("read_only", True))
    options = spec.get("mountOptions")
    default_options = [*NFS_OPTIONS[:2], "ro", *NFS_OPTIONS[2:]] if read_only else list(NFS_OPTIONS)
    if options != default_options:
        if not isinstance(options, list):
            return None
        fields.append(("mount_options", tuple(options)))
    if spec.get("storageClassName", "") != _DEFAULTS.storage_class:
        fields.append(("storage_class", spec.get("storageClassName")))
    if spec.get("persistentVolumeReclaimPolicy") != _DEFAULTS.reclaim_policy:
        fields.append(("reclaim_policy", spec.get("persistentVolumeReclaimPolicy")))
    if pv.meta.get("labels") is not None:
        fields.append(("labels", pv.meta["labels"]))
    return fields


def _value(value: Any) -> Expr:
    return TupleOf(tuple(lit(v) for v in value)) if isinstance(value, tuple) else lit(value)


def static_volume_pieces(ctx: Context) -> list[Piece]:
    """Every PersistentVolume bound by name to a claim of the app's namespace, as a `StaticVolume`."""
    pieces = []
    for pv in [m for m in ctx.remaining() if (m.kind, m.api_version) == ("PersistentVolume", "v1")]:
        if pv.encrypted or set(pv.meta) - {"name", "labels"}:
            continue
        pvc = next(
            (
                m
                for m in ctx.remaining()
                if (m.kind, m.api_version) == ("PersistentVolumeClaim", "v1")
                and ctx.in_main(m)
                and not m.encrypted
                and (m.body.get("spec") or {}).get("volumeName") == pv.name
            ),
            None,
        )
        if pvc is None:
            continue
        fields = _spec_fields(pv, pvc)
        if fields is None or ctx.free_id("self", pv.name) != pv.name:
            continue
        spec = Call(name_of(StaticVolumeSpec), kwargs=tuple((k, _value(v)) for k, v in fields))
        stmt = Stmt(Call(name_of(StaticVolume), (Local("self"), spec)))
        if ctx.scratch.matches([stmt], [pv, pvc]):
            ctx.take_id("self", pv.name)
            pieces.append(ctx.claim(Piece([stmt], [pv, pvc], rank_of("PersistentVolume"))))
    return pieces
