"""CloudNative-PG `Cluster` (the generic building block; `fako.infra.cnpg` owns the typed pattern)."""

from __future__ import annotations

from fako.constructs.base import ObjectSpec, TypedObject
from fako.k8s.crds import cnpg

__all__ = ["Cluster", "ClusterSpec"]


class ClusterSpec(ObjectSpec, cnpg.ClusterSpec):
    """A Cluster: metadata plus its `spec` fields."""


class Cluster(TypedObject):
    """A `postgresql.cnpg.io/v1/Cluster`."""

    api_version = "postgresql.cnpg.io/v1"
    kind = "Cluster"
    spec_type = ClusterSpec
