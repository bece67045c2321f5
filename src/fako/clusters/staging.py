"""The staging cluster: the K3s homelab as it runs today.

Layers are the Flux Kustomizations of the cluster; `enabled=False` marks the units the
cluster has switched off (they stay modelled: `fako synth --include-disabled`).
"""

from __future__ import annotations

from fako.clusters.staging_apps import APPS
from fako.definition import ClusterDefinition, LayerDefinition

__all__ = ["CLUSTER"]

CLUSTER = ClusterDefinition(
    name="staging",
    layers=[LayerDefinition("apps", APPS)],
)
