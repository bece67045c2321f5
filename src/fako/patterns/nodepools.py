"""The cluster's node pools, as apps refer to them.

`NVIDIA` is today's GPU pool. The others are the hosts the switched-off GPU apps were
pinned to (aitower, jetson01, jetson02 have left the cluster); they stay declared so
those apps keep rendering what git holds, and say `retired=True`.
"""

from __future__ import annotations

from fako.patterns.gpu import GpuNodePool, GpuNodePoolSpec

__all__ = ["AITOWER", "JETSON01", "JETSON02", "NVIDIA"]

_HOSTNAME = "kubernetes.io/hostname"

NVIDIA = GpuNodePool(GpuNodePoolSpec(name="nvidia", nodes=("thinkpad02",), gpus_per_node=1))
"""thinkpad02's GTX 1650 Mobile (4 GB): the only GPU node since 2026-08-12, whole GPUs."""

AITOWER = GpuNodePool(
    GpuNodePoolSpec(
        name="aitower",
        nodes=("aitower",),
        gpus_per_node=2,
        retired=True,
        selector={_HOSTNAME: "aitower", "nvidia.com/gpu.present": "true"},
    )
)
"""aitower (Ryzen, dual GPU, left 2026-08-11): pinned by hostname plus the GPU label, tolerates the GPU taint."""

JETSON01 = GpuNodePool(
    GpuNodePoolSpec(
        name="jetson01", nodes=("jetson01",), selector={_HOSTNAME: "jetson01"}, taint_key=None, retired=True
    )
)
"""jetson01 (Jetson Orin Nano, arm64, retired): hostname pin only, no toleration."""

JETSON02 = GpuNodePool(
    GpuNodePoolSpec(
        name="jetson02", nodes=("jetson02",), selector={_HOSTNAME: "jetson02"}, taint_key=None, retired=True
    )
)
"""jetson02 (Jetson Orin Nano, arm64, retired): hostname pin only, no toleration."""
