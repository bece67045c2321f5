"""The staging cluster: the K3s homelab as it runs today.

Layers are the Flux Kustomizations of the cluster; `enabled=False` marks the units the
cluster has switched off (they stay modelled: `fako synth --include-disabled`).
"""

from __future__ import annotations

from fako.apps.whisperx import Whisperx
from fako.definition import ClusterDefinition, LayerDefinition, Unit

__all__ = ["CLUSTER"]

APPS = [
    Unit(Whisperx),
]

CLUSTER = ClusterDefinition(
    name="staging",
    layers=[LayerDefinition("apps", APPS)],
)
