"""GPU pools reach the rendered pod specs of every GPU app (not just their Python)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fako.patterns.gpu import GpuNodePool
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


def test_device_plugin_config_is_the_pools(full_render: Path) -> None:
    docs = yaml.safe_load_all(
        (full_render / "infrastructure-controllers" / "gpu-operator" / "gpu-operator.yaml").read_text()
    )
    config = next(d for d in docs if d and d["kind"] == "ConfigMap" and d["metadata"]["name"] == "default-config")
    assert next(iter(config["data"].values())) == NVIDIA.device_plugin_config()
