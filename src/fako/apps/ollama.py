"""Ollama: the LLM server on aitower's GPU (retired host, app switched off but modelled).

Exposed at ollama.landryzetam.net through traefik and on NodePort 31434; keeps its models
on a 200Gi NFS claim. A `model-manager` sidecar pulls and pre-loads the models. Reads only
the Docker Hub pull secret from AWS (SOPS `aws-credentials`).

`ollama_config`, `api_probe` and `model_manager` are shared with ollama-jetson(2).
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import env, env_from, http_probe, mount, pvc_volume, resources
from fako.patterns.aws import AwsSecretStore
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.nodepools import AITOWER
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct, Scope

IMAGE = "ollama/ollama:0.31.2"
LABELS = {"app": "ollama-gpu"}
GPU_CONFIG = {
    "CUDA_VISIBLE_DEVICES": "0", "GOMAXPROCS": "8", "NVIDIA_DRIVER_CAPABILITIES": "compute,utility",
    "NVIDIA_VISIBLE_DEVICES": "0", "OLLAMA_CUDA_FORCE_MMQ": "1", "OLLAMA_FLASH_ATTENTION": "1",
    "OLLAMA_GPU_LAYERS": "999", "OLLAMA_GPU_MEMORY": "7G", "OLLAMA_KEEP_ALIVE": "24h", "OLLAMA_KV_CACHE_TYPE": "q8_0",
    "OLLAMA_MAX_LOADED_MODELS": "1", "OLLAMA_MODELS_UNLOAD_AFTER_IDLE": "86400", "OLLAMA_NUM_PARALLEL": "1",
    "OLLAMA_NUM_THREAD": "8"}
"""aitower's `ollama-gpu-configmap`: one 8 GB GPU, one model kept loaded for a day."""


def ollama_config(scope: Scope, goarch: str, gpu: dict[str, str]) -> list[k8s.EnvFromSource]:
    """The `ollama-configmap` (server basics) and `ollama-gpu-configmap` (GPU tuning), as envFrom."""
    base = {"GOARCH": goarch, "GOOS": "linux", "OLLAMA_DEBUG": "false", "OLLAMA_HOST": "0.0.0.0",
            "OLLAMA_MODELS": "/root/.ollama/models", "OLLAMA_NOHISTORY": "false", "OLLAMA_ORIGINS": "*"}
    for name, data in (("ollama-configmap", base), ("ollama-gpu-configmap", gpu)):
        ConfigMap(scope, name, ConfigMapSpec(name=name, data=data))
    return env_from(config_maps=("ollama-configmap", "ollama-gpu-configmap"))


def api_probe(initial: int, period: int, timeout: int, failures: int | None = None) -> k8s.Probe:
    """Ollama's `/api/tags` probe on 11434."""
    if failures is None:
        return http_probe("/api/tags", 11434, delay=initial, period=period, timeout=timeout)
    return http_probe("/api/tags", 11434, delay=initial, period=period, timeout=timeout, failures=failures)


def model_manager(
    script: str, volume: str, image: str, requests: dict[str, k8s.Quantity], limits: dict[str, k8s.Quantity]
) -> k8s.Container:
    """The sidecar that pulls and pre-loads models through the local API."""
    return k8s.Container(name="model-manager", image=image, command=["/bin/sh"], args=["-c", script],
                         resources=resources(requests=requests, limits=limits),
                         volume_mounts=[mount(volume, "/root/.ollama")])


class Ollama(AppConstruct):
    """Ollama on aitower: one GPU pod with its model-manager sidecar, Recreate."""

    name = "ollama"

    def build(self) -> None:
        AppNamespace(self)
        store = AwsSecretStore(self)
        env_from = ollama_config(self, "amd64", GPU_CONFIG)
        promtail = {"promtail-config.yaml": read_file(__file__, "promtail-config.yaml")}
        ConfigMap(self, "promtail", ConfigMapSpec(name="ollama-promtail-config", data=promtail))
        service(self, "ollama-gpu", selector=LABELS, ports=[port(None, 11434)])
        service(self, "ollama-nodeport", selector=LABELS, type="NodePort",
                ports=[port(None, 11434, protocol=None, node_port=31434)])
        claim(self, "ollama-models", "200Gi", access="ReadWriteOnce")
        gpu = AITOWER.request(1)
        deployment(
            self, "ollama-gpu", selector=LABELS, strategy="Recreate", **gpu.pod_fields(),
            security_context=k8s.PodSecurityContext(fs_group=1000),
            volumes=[pvc_volume("ollama-models", "ollama-models")],
            containers=[
                k8s.Container(
                    name="ollama", image=IMAGE, env_from=env_from,
                    env=env({"NVIDIA_VISIBLE_DEVICES": "GPU-da81442d-aa44-f32e-877c-57e59ed0bb8b"}),
                    ports=[k8s.ContainerPort(container_port=11434, protocol="TCP")],
                    liveness_probe=api_probe(60, 30, 10), readiness_probe=api_probe(30, 10, 5),
                    resources=resources(requests=gpu.requests(cpu="2000m", memory="8Gi"),
                                        limits=gpu.limits(cpu="6000m", memory="24Gi")),
                    volume_mounts=[mount("ollama-models", "/root/.ollama")]),
                model_manager(read_file(__file__, "model-manager.sh"), "ollama-models", IMAGE,
                              {"cpu": "500m", "memory": "1Gi"}, {"cpu": "1000m", "memory": "2Gi"})])
        dockerhub_pull_secret(store)
        ingress(self, "ollama", hosts=["ollama.landryzetam.net"], service="ollama-gpu", port=11434,
                tls_secret="ollama-tls-cert")
