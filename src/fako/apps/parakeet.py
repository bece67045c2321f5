"""Parakeet: NVIDIA NeMo Parakeet speech-to-text behind the Wyoming protocol (Home Assistant voice).

Runs on aitower's GPU (retired host, app switched off but modelled); exposed on NodePort
30303 (Wyoming TCP 10300); keeps its ONNX models on a 5Gi NFS claim. No secrets.
`wyoming_gpu` is shared with whisper.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.constructs.pods import env, mount, pvc_volume, resources, tcp_probe
from fako.patterns.namespace import AppNamespace
from fako.patterns.nodepools import AITOWER
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

WYOMING = 10300


def wyoming_gpu(app: AppConstruct, workload: str, node_port: int, models: str, size: str, cpu_request: str,
                memory_request: str, service_port: str | None = None, **container: Any) -> None:
    """Namespace, Services (ClusterIP + `node_port`), models claim (at /data) and the GPU Deployment
    of a Wyoming speech server on aitower; `container` holds the server's own Container fields."""
    labels = {"app": workload}
    AppNamespace(app, pss=None)
    service(app, workload, selector=labels, ports=[port(service_port, WYOMING)])
    service(app, f"{app.ns}-nodeport", selector=labels, type="NodePort",
            ports=[port(None, WYOMING, protocol=None, node_port=node_port)])
    claim(app, models, size, access="ReadWriteOnce")
    gpu = AITOWER.request(1)
    server = k8s.Container(
        ports=[k8s.ContainerPort(container_port=WYOMING, protocol="TCP")],
        liveness_probe=tcp_probe(WYOMING, delay=90, period=30, timeout=10),
        readiness_probe=tcp_probe(WYOMING, delay=45, period=10, timeout=5),
        resources=resources(requests=gpu.requests(cpu=cpu_request, memory=memory_request),
                            limits=gpu.limits(cpu="4000m", memory="5Gi")),
        volume_mounts=[mount(models, "/data")], **container)
    deployment(app, workload, selector=labels, strategy="Recreate", containers=[server],
               security_context=k8s.PodSecurityContext(fs_group=1000, run_as_group=1000, run_as_non_root=True,
                                                       run_as_user=1000),
               volumes=[pvc_volume(models, models)], **gpu.pod_fields())


class Parakeet(AppConstruct):
    """Parakeet TDT 0.6B v2 on one GPU."""

    name = "parakeet"

    def build(self) -> None:
        wyoming_gpu(self, "parakeet", 30303, "parakeet-models", "5Gi", "2000m", "3Gi", service_port="wyoming",
                    name="parakeet", image="ghcr.io/tboby/wyoming-onnx-asr-gpu:latest",
                    args=["--uri", f"tcp://0.0.0.0:{WYOMING}", "--model-en", "nemo-parakeet-tdt-0.6b-v2"],
                    env=env({"ONNX_ASR_MODEL_DIR": "/data", "HF_HOME": "/data/.cache", "PYTHONUNBUFFERED": "1",
                             "NVIDIA_DRIVER_CAPABILITIES": "compute,utility"}))
