"""The cluster's node pools, as apps refer to them."""

from __future__ import annotations

from fako.patterns.gpu import GpuNodePool, GpuNodePoolSpec

__all__ = ["NVIDIA"]

NVIDIA = GpuNodePool(GpuNodePoolSpec(name="nvidia", nodes=("thinkpad02",), gpus_per_node=1))
"""thinkpad02's GTX 1650 Mobile (4 GB): the only GPU node since 2026-08-12, whole GPUs."""
