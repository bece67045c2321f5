"""GPU pools reach the rendered pod specs of every GPU app (not just their Python)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fako.errors import FakoError
from fako.patterns.gpu import GpuNodePool, GpuNodePoolSpec, TimeSlicing
from fako.patterns.nodepools import AITOWER, JETSON01, JETSON02, NVIDIA

# (app folder, workload kind, name, pool it asks)
GPU_WORKLOADS = [
    ("apps/whisperx", "Deployment", "whisperx-api", NVIDIA),
    ("apps/ollama", "Deployment", "ollama-gpu", AITOWER),
    ("apps/ollama-jetson", "Deployment", "ollama-jetson", JETSON01),
    ("apps/ollama-jetson2", "Deployment", "ollama-jetson2", JETSON02),
    ("apps/parakeet", "Deployment", "parakeet", AITOWER),
    ("apps/whisper", "Deployment", "whisper-gpu", AITOWER),
    ("monitoring-controllers/gpu-monitoring", "DaemonSet", "nvidia-gpu-exporter", NVIDIA),
]


def workload(render: Path, folder: str, kind: str, name: str) -> dict:
    for path in sorted((render / folder).glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc.get("kind") == kind and doc["metadata"]["name"] == name:
                return doc
    raise AssertionError(f"{kind} {name} not rendered under {folder}")


@pytest.mark.parametrize(("folder", "kind", "name", "pool"), GPU_WORKLOADS, ids=[w[2] for w in GPU_WORKLOADS])
def test_gpu_request_is_in_the_rendered_pod_spec(
    full_render: Path, folder: str, kind: str, name: str, pool: GpuNodePool
) -> None:
    pod = workload(full_render, folder, kind, name)["spec"]["template"]["spec"]
    assert pod["runtimeClassName"] == pool.spec.runtime_class
    for key, value in pool.spec.selector.items():
        assert pod["nodeSelector"][key] == value
    if pool.spec.taint_key:
        assert {"effect": "NoSchedule", "key": pool.spec.taint_key, "operator": "Exists"} in pod["tolerations"]
    if kind == "Deployment":  # the exporter only watches the GPU; it asks for none
        limits = [c.get("resources", {}).get("limits", {}) for c in pod["containers"]]
        assert any(limit.get("nvidia.com/gpu") == 1 for limit in limits), limits


WHOLE_GPUS = """version: v1
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
    name: nvidia.com/gpu
"""
"""The device-plugin config the cluster runs (gpu-operator ConfigMap `default-config`), written out by hand."""


def test_device_plugin_config_is_the_pools(full_render: Path) -> None:
    docs = yaml.safe_load_all(
        (full_render / "infrastructure-controllers" / "gpu-operator" / "gpu-operator.yaml").read_text()
    )
    config = next(d for d in docs if d and d["kind"] == "ConfigMap" and d["metadata"]["name"] == "default-config")
    assert config["data"] == {"config.yaml": WHOLE_GPUS}


def test_a_time_sliced_pool_shares_each_gpu() -> None:
    pool = GpuNodePool(
        GpuNodePoolSpec(name="t", nodes=("n1",), resource="example.com/gpu", time_slicing=TimeSlicing(replicas=4))
    )
    assert pool.device_plugin_config() == WHOLE_GPUS.replace("nvidia.com/gpu", "example.com/gpu") + (
        "sharing:\n  timeSlicing:\n    resources:\n    - name: example.com/gpu\n      replicas: 4\n"
    )


def test_a_pool_refuses_no_gpus_and_more_than_a_node_offers() -> None:
    pool = GpuNodePool(GpuNodePoolSpec(name="p", nodes=("n1", "n2"), gpus_per_node=2))
    for count in (0, -1):
        with pytest.raises(FakoError) as caught:
            pool.request(count)
        assert str(caught.value) == f"GPU pool 'p': asked for {count} GPUs; ask for at least 1"
    assert pool.request(2).count == 2
    with pytest.raises(FakoError) as caught:
        pool.request(3)
    assert str(caught.value) == (
        "GPU pool 'p' offers 2 nvidia.com/gpu per node (nodes: n1, n2), but 3 were asked for; "
        "ask for fewer, or add time_slicing to the pool"
    )
    sliced = GpuNodePool(GpuNodePoolSpec(name="s", nodes=(), gpus_per_node=2, time_slicing=TimeSlicing(replicas=3)))
    assert sliced.capacity_per_node == 6 and sliced.request(6).count == 6
    with pytest.raises(FakoError, match=r"offers 6 nvidia.com/gpu per node \(nodes: none\), but 7 were asked for"):
        sliced.request(7)


def test_a_request_spreads_into_the_pod_and_container() -> None:
    tainted = GpuNodePool(GpuNodePoolSpec(name="p", nodes=("n1",), selector={"gpu": "yes"}))
    request = tainted.request(1)
    assert request.limits(memory="12Gi") == {"memory": "12Gi", "nvidia.com/gpu": 1}
    assert request.requests(cpu="1") == {"cpu": "1", "nvidia.com/gpu": 1}
    fields = request.pod_fields()
    assert list(fields) == ["runtime_class_name", "node_selector", "tolerations", "host_ipc"]
    assert (fields["runtime_class_name"], fields["node_selector"], fields["host_ipc"]) == (
        "nvidia",
        {"gpu": "yes"},
        True,
    )
    assert [t.model_dump(exclude_none=True) for t in fields["tolerations"]] == [
        {"effect": "NoSchedule", "key": "nvidia.com/gpu", "operator": "Exists"}
    ]
    assert request.pod_fields(node_selector=False, tolerate=False) == {"runtime_class_name": "nvidia", "host_ipc": True}
    untainted = GpuNodePool(GpuNodePoolSpec(name="j", nodes=("j1",), taint_key=None, runtime_class="nv"))
    plain = untainted.request(host_ipc=False)
    assert (plain.count, plain.toleration) == (1, None)
    assert plain.pod_fields() == {
        "runtime_class_name": "nv",
        "node_selector": {"nvidia.com/gpu.present": "true"},
        "tolerations": [],
    }
