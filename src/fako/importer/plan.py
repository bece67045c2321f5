"""Deciding what code stands for which objects: patterns first, then one object at a time.

Multi-object patterns go first (the namespace, the AWS stores with their credentials, the
cloudflared tunnels, the Tailscale sidecars), then every object left, in the order a
person writes an app, through its kind's short form, its typed construct, or `Raw`.
"""

from __future__ import annotations

from fako.importer.bundles import crd_pieces
from fako.importer.cnpg import cnpg_pieces
from fako.importer.context import Context, Piece, rank_of
from fako.importer.helm import helm_pieces
from fako.importer.loading import Manifest
from fako.importer.netpol import network_policy_piece
from fako.importer.objects import Recogniser, object_piece
from fako.importer.rbac import bind_piece, grant_pieces
from fako.importer.secrets import Store, external_secret_piece, local_store_pieces, namespace_piece, store_pieces
from fako.importer.sidecars import legacy_pull_pieces, sidecar_pieces, tunnel_pieces
from fako.importer.typed import Options
from fako.importer.volumes import static_volume_pieces
from fako.importer.workloads import (
    claim_piece,
    cronjob_piece,
    deployment_piece,
    ingress_piece,
    script_job_piece,
    service_piece,
    statefulset_piece,
)

__all__ = ["plan"]


def _patterns(stores: list[Store]) -> list[Recogniser]:
    def es(m: Manifest, ctx: Context, opts: Options) -> Piece | None:
        return external_secret_piece(m, ctx, stores, opts)

    return [
        es,
        deployment_piece,
        statefulset_piece,
        service_piece,
        claim_piece,
        cronjob_piece,
        script_job_piece,
        ingress_piece,
        network_policy_piece,
        bind_piece,
    ]


def plan(ctx: Context) -> list[Piece]:
    """The pieces of the module, in the order they are written."""
    pieces: list[Piece] = []
    for m in ctx.remaining():
        piece = namespace_piece(m, ctx)
        if piece is not None:
            pieces.append(ctx.claim(piece))
    pieces.extend(crd_pieces(ctx))
    stores = store_pieces(ctx)
    pieces.extend(s.piece for s in stores)
    pieces.extend(local_store_pieces(ctx))
    pieces.extend(helm_pieces(ctx))
    for found in (tunnel_pieces(ctx, stores), sidecar_pieces(ctx, stores), legacy_pull_pieces(ctx)):
        pieces.extend(ctx.claim(p) for p in found)
    pieces.extend(grant_pieces(ctx))
    pieces.extend(static_volume_pieces(ctx))
    pieces.extend(cnpg_pieces(ctx))
    patterns = _patterns(stores)
    for m in sorted(ctx.remaining(), key=lambda x: rank_of(x.kind)):
        pieces.append(ctx.claim(object_piece(m, ctx, patterns)))
    return sorted(pieces, key=lambda p: (p.rank, p.order))
