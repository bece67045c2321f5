"""Ollama on jetson01 (Jetson Orin Nano, arm64; retired host, app switched off but modelled).

Exposed at ollama-jetson.landryzetam.net through traefik and on NodePort 31435; keeps its
models on a 50Gi NFS claim; a `model-manager` sidecar pulls granite3.3:2b and cogito:3b.
No secrets. `jetson_ollama` is shared with ollama-jetson2.
"""

from __future__ import annotations

from fako import k8s
from fako.apps.ollama import api_probe, model_manager, ollama_config
from fako.constructs.config import read_file
from fako.constructs.pods import mount, pvc_volume, resources
from fako.patterns.gpu import GpuNodePool
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.nodepools import JETSON01
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

IMAGE = "ollama/ollama:0.32.14"
GPU_CONFIG = {  # `ollama-gpu-configmap`: one Orin GPU, 6 cores, one model loaded at a time
    "CUDA_VISIBLE_DEVICES": "0", "GOMAXPROCS": "6", "NVIDIA_DRIVER_CAPABILITIES": "compute,utility",
    "NVIDIA_VISIBLE_DEVICES": "0", "OLLAMA_BATCH_SIZE": "256", "OLLAMA_CONTEXT_LENGTH": "8192",
    "OLLAMA_CUDA_FORCE_MMQ": "1", "OLLAMA_FLASH_ATTENTION": "0", "OLLAMA_GPU_LAYERS": "999", "OLLAMA_GPU_MEMORY": "4G",
    "OLLAMA_GPU_OVERHEAD": "0", "OLLAMA_KEEP_ALIVE": "24h", "OLLAMA_LLM_LIBRARY": "cublas",
    "OLLAMA_MAX_LOADED_MODELS": "1", "OLLAMA_MAX_QUEUE": "1", "OLLAMA_NO_MMAP": "false", "OLLAMA_NUM_PARALLEL": "1",
    "OLLAMA_NUM_THREAD": "6",
}


def jetson_ollama(app: AppConstruct, pool: GpuNodePool, node_port: int, script: str) -> None:
    """Namespace, config, Services (ClusterIP + `node_port`), 50Gi models claim and the GPU Deployment
    (Ollama + the `model-manager` sidecar running `script`) of one Jetson's Ollama."""
    name, models = app.ns, f"{app.ns}-models"
    labels = {"app": name}
    AppNamespace(app, pss=None)
    env_from = ollama_config(app, "arm64", GPU_CONFIG)
    service(app, name, selector=labels, ports=[port(None, 11434)])
    service(app, f"{name}-nodeport", selector=labels, type="NodePort",
            ports=[port(None, 11434, protocol=None, node_port=node_port)])
    claim(app, models, "50Gi", access="ReadWriteOnce")
    gpu = pool.request(1)
    ollama = k8s.Container(
        name="ollama", image=IMAGE, env_from=env_from, ports=[k8s.ContainerPort(container_port=11434, protocol="TCP")],
        liveness_probe=api_probe(60, 30, 10), readiness_probe=api_probe(30, 10, 5),
        startup_probe=api_probe(30, 10, 5, failures=30),
        resources=resources(requests={"cpu": "2500m", "memory": "3Gi"}, limits=gpu.limits(cpu="5000m", memory="6.5Gi")),
        volume_mounts=[mount(models, "/root/.ollama")])
    manager = model_manager(script, models, IMAGE, {"cpu": "250m", "memory": "500Mi"}, {"cpu": "500m", "memory": "1Gi"})
    deployment(app, name, selector=labels, strategy="Recreate", containers=[ollama, manager],
               security_context=k8s.PodSecurityContext(fs_group=1000), volumes=[pvc_volume(models, models)],
               **gpu.pod_fields())


class OllamaJetson(AppConstruct):
    """Ollama on jetson01, with its Ingress."""

    name = "ollama-jetson"

    def build(self) -> None:
        jetson_ollama(self, JETSON01, 31435, read_file(__file__, "model-manager.sh"))
        ingress(self, "ollama-jetson", hosts=["ollama-jetson.landryzetam.net"], service="ollama-jetson", port=11434,
                tls_secret="ollama-jetson-tls-cert")
