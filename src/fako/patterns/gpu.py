"""NVIDIA GPU node pools, and what an app gets when it asks one for GPUs.

A `GpuNodePool` owns what "runs on the GPU nodes" means here: the device-plugin resource
(`nvidia.com/gpu`, whole GPUs or time-sliced replicas), the `nvidia` runtime class the
GPU operator's toolkit installs, the node selector and the taint/toleration pair, and
which nodes belong. An app calls `pool.request(1)` and spreads the result into its pod
and container instead of hand-writing those fields; asking for more GPUs than one node
of the pool offers is an error that says so.

`pool.device_plugin_config()` renders the NVIDIA device-plugin config (the `config.yaml`
of the gpu-operator ConfigMap `default-config`): whole GPUs, or time-slicing when the
pool sets `time_slicing`.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.checked import checked
from fako.constructs.base import Spec
from fako.errors import FakoError

__all__ = ["GpuNodePool", "GpuNodePoolSpec", "GpuRequest", "TimeSlicing"]


class TimeSlicing(Spec):
    """Share each GPU between `replicas` pods (device-plugin time-slicing).

    Example: `GpuNodePoolSpec(name="shared", nodes=("gpu01",), time_slicing=TimeSlicing(replicas=4))`
    """

    replicas: int


class GpuNodePoolSpec(Spec):
    """A pool of NVIDIA nodes.

    `selector` is what a pod selects the pool's nodes with (default: the GPU feature
    discovery label `nvidia.com/gpu.present=true`; a hostname pin for single-node pools);
    `nodes` the hostnames that belong; `gpus_per_node` the physical GPUs each offers;
    `taint_key` the taint pods must tolerate (tolerated with `Exists`, effect NoSchedule;
    None for an untainted pool); `time_slicing` None for whole GPUs; `retired` marks a
    pool whose nodes have left the cluster (kept so the switched-off apps still render).

    Example: `GpuNodePoolSpec(name="lab", nodes=("gpu01",), time_slicing=TimeSlicing(replicas=4))`
    """

    name: str
    nodes: tuple[str, ...]
    gpus_per_node: int = 1
    selector: dict[str, str] = {"nvidia.com/gpu.present": "true"}
    runtime_class: str = "nvidia"
    resource: str = "nvidia.com/gpu"
    taint_key: str | None = "nvidia.com/gpu"
    time_slicing: TimeSlicing | None = None
    retired: bool = False


class GpuRequest(Spec):
    """What a pod needs to run on a pool with `count` GPUs: spread into the pod and container.

    Example: `gpu: GpuRequest = NVIDIA.request(1)`
    """

    count: int
    resource: str
    runtime_class: str
    node_selector: dict[str, str]
    toleration: k8s.Toleration | None
    host_ipc: bool

    def limits(self, **others: k8s.Quantity) -> dict[str, k8s.Quantity]:
        """Container limits with the GPUs added after `others` (e.g. `memory="12Gi"`).

        Example: `resources(requests={"cpu": "500m"}, limits=gpu.limits(memory="12Gi"))`
        """
        return {**others, self.resource: self.count}

    def requests(self, **others: k8s.Quantity) -> dict[str, k8s.Quantity]:
        """Container requests with the GPUs added after `others` (for apps that request them too).

        Example: `resources(requests=gpu.requests(cpu="500m"), limits=gpu.limits(memory="12Gi"))`
        """
        return {**others, self.resource: self.count}

    @checked
    def resources(
        self, requests: dict[str, k8s.Quantity] | None = None, limits: dict[str, k8s.Quantity] | None = None
    ) -> k8s.ResourceRequirements:
        """A container's `resources=`: `requests` as given, `limits` with the GPUs added last.

        Example: `resources=gpu.resources(requests={"cpu": "500m"}, limits={"memory": "12Gi"})`
        """
        fields: dict[str, Any] = {"limits": self.limits(**(limits or {}))}
        if requests is not None:
            fields["requests"] = requests
        return k8s.ResourceRequirements(**fields)

    @checked
    def pod_fields(self, *, node_selector: bool = True, tolerate: bool = True) -> dict[str, Any]:
        """PodSpec fields: runtime class, node selector, tolerations, hostIPC.

        An untainted pool gets `tolerations: []` (as the Jetson manifests wrote it).

        Example: `deployment(self, "llm", selector={"app": "llm"}, **gpu.pod_fields(), containers=[k8s.Container(name="llm", image=IMAGE, resources=gpu.resources())])`
        """
        fields: dict[str, Any] = {"runtime_class_name": self.runtime_class}
        if node_selector:
            fields["node_selector"] = dict(self.node_selector)
        if tolerate:
            fields["tolerations"] = [self.toleration] if self.toleration else []
        if self.host_ipc:
            fields["host_ipc"] = True
        return fields


_PLUGIN_FLAGS = """version: v1
flags:
  migStrategy: "none"
  failOnInitError: true
  nvidiaDriverRoot: "/"
  passDeviceSpecs: false
  deviceListStrategy: "envvar"
  deviceIDStrategy: "uuid"
resources:
  gpus:
  - pattern: "*"
    name: {resource}
"""
_PLUGIN_SHARING = """sharing:
  timeSlicing:
    resources:
    - name: {resource}
      replicas: {replicas}
"""


class GpuNodePool:
    """A declared pool of GPU nodes that apps request GPUs from.

    Example: `GpuNodePool(GpuNodePoolSpec(name="lab", nodes=("gpu01",), gpus_per_node=2))`
    """

    def __init__(self, spec: GpuNodePoolSpec) -> None:
        self.spec = spec

    @property
    def capacity_per_node(self) -> int:
        """Schedulable `nvidia.com/gpu` per node: GPUs times time-slicing replicas.

        Example: `NVIDIA.capacity_per_node  # 1`
        """
        slicing = self.spec.time_slicing
        return self.spec.gpus_per_node * (slicing.replicas if slicing else 1)

    @checked
    def request(self, count: int = 1, *, host_ipc: bool = True) -> GpuRequest:
        """GPUs for one pod; `host_ipc` for CUDA's shared memory (on by default).

        Example: `gpu = NVIDIA.request(1)  # then **gpu.pod_fields() on the pod, resources=gpu.resources(...) on the container`
        """
        if count < 1:
            raise FakoError(f"GPU pool {self.spec.name!r}: asked for {count} GPUs; ask for at least 1")
        if count > self.capacity_per_node:
            raise FakoError(
                f"GPU pool {self.spec.name!r} offers {self.capacity_per_node} {self.spec.resource} per node "
                f"(nodes: {', '.join(self.spec.nodes) or 'none'}), but {count} were asked for; "
                "ask for fewer, or add time_slicing to the pool"
            )
        key = self.spec.taint_key
        return GpuRequest(
            count=count,
            resource=self.spec.resource,
            runtime_class=self.spec.runtime_class,
            node_selector=dict(self.spec.selector),
            toleration=k8s.Toleration(effect="NoSchedule", key=key, operator="Exists") if key else None,
            host_ipc=host_ipc,
        )

    def device_plugin_config(self) -> str:
        """The NVIDIA device-plugin `config.yaml` for this pool.

        Envvar device list, uuid IDs, no MIG; every GPU advertised as `resource`, shared
        between `time_slicing.replicas` pods when the pool time-slices.

        Example: `ConfigMap(self, "plugin", ConfigMapSpec(name="default-config", data={"config.yaml": NVIDIA.device_plugin_config()}))`
        """
        text = _PLUGIN_FLAGS.format(resource=self.spec.resource)
        if self.spec.time_slicing:
            text += _PLUGIN_SHARING.format(resource=self.spec.resource, replicas=self.spec.time_slicing.replicas)
        return text
