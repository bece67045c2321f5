"""The cluster's node pools, as apps refer to them.

`NVIDIA` is today's GPU pool. The others are the hosts the switched-off GPU apps were
pinned to (aitower, jetson01, jetson02 have left the cluster); they stay declared so
those apps keep rendering what git holds, and say `retired=True`.

For CPU work that needs x86 (eBPF agents built for amd64): `X86` selects the amd64 Linux
nodes (every worker; the control plane `CONTROL_PLANE` and the Jetsons are arm64), and
`avoid_hosts(...)` is a required node affinity keeping pods off named hosts.
"""

from __future__ import annotations

from fako import k8s
from fako.checked import checked
from fako.patterns.gpu import GpuNodePool, GpuNodePoolSpec

__all__ = ["AITOWER", "CONTROL_PLANE", "GPU_POOLS", "JETSON01", "JETSON02", "NVIDIA", "X86", "avoid_hosts"]

_HOSTNAME = "kubernetes.io/hostname"

NVIDIA = GpuNodePool(GpuNodePoolSpec(name="nvidia", nodes=("thinkpad02",), gpus_per_node=1))
"""thinkpad02's GTX 1650 Mobile (4 GB): the only GPU node since 2026-08-12, whole GPUs.

Example: `gpu = NVIDIA.request(1)`
"""

AITOWER = GpuNodePool(
    GpuNodePoolSpec(
        name="aitower",
        nodes=("aitower",),
        gpus_per_node=2,
        retired=True,
        selector={_HOSTNAME: "aitower", "nvidia.com/gpu.present": "true"},
    )
)
"""aitower (Ryzen, dual GPU, left 2026-08-11): pinned by hostname plus the GPU label, tolerates the GPU taint.

Example: `AITOWER.spec.retired  # True: only switched-off apps use it`
"""

JETSON01 = GpuNodePool(
    GpuNodePoolSpec(
        name="jetson01", nodes=("jetson01",), selector={_HOSTNAME: "jetson01"}, taint_key=None, retired=True
    )
)
"""jetson01 (Jetson Orin Nano, arm64, retired): hostname pin only, no toleration.

Example: `JETSON01.request(1).pod_fields()`
"""

JETSON02 = GpuNodePool(
    GpuNodePoolSpec(
        name="jetson02", nodes=("jetson02",), selector={_HOSTNAME: "jetson02"}, taint_key=None, retired=True
    )
)
"""jetson02 (Jetson Orin Nano, arm64, retired): hostname pin only, no toleration.

Example: `JETSON02.request(1).pod_fields()`
"""

GPU_POOLS = (NVIDIA, AITOWER, JETSON01, JETSON02)
"""Every GPU pool apps may ask, retired ones included (`fako graph` and `fako apps` read it).

Example: `[pool.spec.name for pool in GPU_POOLS if not pool.spec.retired]  # ["nvidia"]`
"""

CONTROL_PLANE = "zz-macbookpro"
"""The control-plane node (Apple M1 Pro, arm64, tainted NoSchedule).

Example: `avoid_hosts(CONTROL_PLANE)`
"""

X86 = {"kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux"}
"""Node selector of the amd64 Linux nodes: every worker, not the arm64 control plane or Jetsons.

Example: `deployment(self, "ebpf", selector={"app": "ebpf"}, node_selector=X86, containers=[k8s.Container(name="agent", image=IMAGE)])`
"""


@checked
def avoid_hosts(*hosts: str) -> k8s.Affinity:
    """A required node affinity: Linux nodes other than `hosts` (matched on `kubernetes.io/hostname`).

    Example: `deployment(self, "web", selector={"app": "web"}, affinity=avoid_hosts("thinkpad02"), containers=[k8s.Container(name="web", image=IMAGE)])`
    """
    linux = k8s.NodeSelectorRequirement(key="kubernetes.io/os", operator="In", values=["linux"])
    others = k8s.NodeSelectorRequirement(key=_HOSTNAME, operator="NotIn", values=list(hosts))
    required = k8s.NodeSelector(node_selector_terms=[k8s.NodeSelectorTerm(match_expressions=[linux, others])])
    return k8s.Affinity(node_affinity=k8s.NodeAffinity(required_during_scheduling_ignored_during_execution=required))
